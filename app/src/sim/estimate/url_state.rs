//! The calculator's state in the page URL, so a result can be shared as a link.
//!
//! A page can hold several calculators, so each one's keys carry its number on the page
//! (1-based, in reading order): `?est2.users=200M&est2.peak=5` sets the second calculator
//! only. Other parameters in the query (a search highlight, another calculator's state)
//! are kept as they were. The reader accepts any text: values it cannot use are ignored,
//! so a hand-edited or truncated link still opens the page.

use super::{Field, Inputs, Preset};

fn prefix(instance: usize) -> String {
    format!("est{instance}.")
}

/// Decodes one query component: `+` is a space, `%XY` a byte; a malformed escape is kept
/// as written rather than refused.
fn decode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = if byte == b'%' {
            bytes
                .get(index + 1..index + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        } else {
            None
        };
        match (byte, escaped) {
            (_, Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            (b'+', None) => {
                decoded.push(b' ');
                index += 1;
            }
            (other, None) => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The query's `name=value` pairs, decoded, with the raw text of each pair.
fn pairs(query: &str) -> impl Iterator<Item = (&str, String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (pair, decode(key), decode(value))
        })
}

/// `base` with whatever `query` says about calculator number `instance`. A `preset` key
/// applies first, then the fields, whatever their order in the query.
pub fn read_query(query: &str, instance: usize, base: Inputs) -> Inputs {
    let prefix = prefix(instance);
    let mut inputs = base;
    let mine = || {
        pairs(query).filter_map(|(_, key, value)| {
            key.strip_prefix(prefix.as_str())
                .map(|name| (name.to_string(), value))
        })
    };
    for (name, value) in mine() {
        if name == "preset" {
            if let Some(preset) = Preset::find(&value) {
                inputs = Inputs {
                    rate_unit: inputs.rate_unit,
                    ..preset.inputs
                };
            }
        }
    }
    for (name, value) in mine() {
        if let Some(field) = Field::from_key(&name) {
            // A value the calculator cannot use leaves the field as it was.
            let _ = inputs.set(field, &value);
        }
    }
    inputs
}

/// `query` with calculator number `instance`'s state replaced by `inputs`; everything
/// else is kept byte for byte. Returns the query without its leading `?`.
pub fn write_query(query: &str, instance: usize, inputs: &Inputs) -> String {
    let prefix = prefix(instance);
    let mut query = clear_query(query, instance);
    // Values are digits, `.` and unit letters: nothing to escape.
    for field in Field::ALL {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&format!("{prefix}{}={}", field.key(), inputs.get(field)));
    }
    query
}

/// `query` without calculator number `instance`'s state: back to what the author wrote.
pub fn clear_query(query: &str, instance: usize) -> String {
    let prefix = prefix(instance);
    pairs(query)
        .filter(|(_, key, _)| !key.starts_with(prefix.as_str()))
        .map(|(raw, _, _)| raw)
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::super::splitmix::{inputs as random_inputs, SplitMix};
    use super::super::{CountScale, RateUnit, Users};
    use super::*;

    #[test]
    fn reads_only_its_own_instance() {
        let base = Inputs::reference();
        let query = "?highlight=qps&est2.users=5K&est2.peak=7&est1.peak=9&est2.per=day";
        let second = read_query(query, 2, base);
        assert_eq!(
            second.users,
            Users {
                value: 5.0,
                scale: CountScale::Thousand
            }
        );
        assert_eq!(second.peak, 7.0);
        assert_eq!(second.rate_unit, RateUnit::Day);
        assert_eq!(second.reads, base.reads);
        assert_eq!(read_query(query, 1, base).peak, 9.0);
        assert_eq!(read_query(query, 3, base), base);
        // `est12.` is not `est1.` followed by something.
        assert_eq!(read_query("est12.peak=4", 1, base), base);
    }

    #[test]
    fn bad_values_are_ignored_and_escapes_decoded() {
        let base = Inputs::reference();
        let query = "est1.peak=0&est1.years=1e400&est1.users=%31%30M&est1%2Ereads=4&est1.size=%zz";
        let inputs = read_query(query, 1, base);
        assert_eq!(inputs.peak, base.peak);
        assert_eq!(inputs.years, base.years);
        assert_eq!(inputs.users.total(), 10e6);
        assert_eq!(inputs.reads, 4.0);
        assert_eq!(inputs.size, base.size);
    }

    #[test]
    fn a_preset_applies_before_the_fields() {
        let inputs = read_query("est1.peak=8&est1.preset=instagram", 1, Inputs::reference());
        let instagram = Preset::find("instagram").expect("preset").inputs;
        assert_eq!(
            inputs,
            Inputs {
                peak: 8.0,
                ..instagram
            }
        );
    }

    #[test]
    fn writing_keeps_other_parameters_and_replaces_its_own() {
        let inputs = Inputs::reference();
        let written = write_query("?highlight=a+b&est1.peak=9&est2.peak=4", 1, &inputs);
        assert_eq!(
            written,
            "highlight=a+b&est2.peak=4&est1.users=200M&est1.actions=2.5&est1.reads=120\
             &est1.size=256B&est1.peak=3&est1.years=5&est1.replicas=3&est1.per=second"
        );
        assert_eq!(write_query("", 3, &inputs).matches("est3.").count(), 8);
        assert_eq!(clear_query(&written, 1), "highlight=a+b&est2.peak=4");
    }

    #[test]
    fn property_any_text_reads_without_panic() {
        // Printable noise, escapes and separators in every position; the reader must return
        // valid inputs (it starts from valid ones and only ever accepts checked values).
        let alphabet: Vec<char> = "est1.2=&%+?#usrpeakizM5KBé\u{0}\u{ffff}-e9"
            .chars()
            .collect();
        let mut random = SplitMix(1);
        for _ in 0..5000 {
            let length = random.below(80);
            let text: String = (0..length)
                .map(|_| alphabet[random.below(alphabet.len())])
                .collect();
            let base = random_inputs(&mut random);
            let read = read_query(&text, 1 + random.below(2), base);
            let mut checked = Inputs::reference();
            for field in Field::ALL {
                checked.set(field, &read.get(field)).expect("still valid");
            }
            let _ = write_query(&text, 1, &read);
        }
    }

    #[test]
    fn property_written_state_reads_back_and_leaves_others_alone() {
        let mut random = SplitMix(2);
        let noise = [
            "",
            "?highlight=x",
            "est2.peak=5&est1.users=garbage",
            "a=%&&b",
            "est1",
        ];
        for _ in 0..2000 {
            let inputs = random_inputs(&mut random);
            let other = random_inputs(&mut random);
            let before = noise[random.below(noise.len())];
            let instance = 1 + random.below(4);
            let written = write_query(before, instance, &inputs);
            assert_eq!(read_query(&written, instance, other), inputs, "{written}");
            // Every other instance reads what it read before.
            for neighbour in (1..=5).filter(|n| *n != instance) {
                assert_eq!(
                    read_query(&written, neighbour, other),
                    read_query(before, neighbour, other)
                );
            }
            // Writing twice does not grow the URL.
            assert_eq!(write_query(&written, instance, &inputs), written);
            assert!(written
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "=&.?%+".contains(c)));
        }
    }
}
