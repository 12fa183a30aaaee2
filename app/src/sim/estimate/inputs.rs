//! What the reader and the author set: the seven assumptions with their units, and the
//! text forms (`100M`, `300KB`) that Markdown, URLs and the form share.

use super::{
    plain_number, Preset, MAX_OBJECT_BYTES, MAX_USERS, PRESETS, PRESET_NAMES, SECONDS_PER_DAY,
};

/// How a count was written: the K/M/B suffix the reader or author chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountScale {
    One,
    Thousand,
    Million,
    Billion,
}

impl CountScale {
    pub const ALL: [CountScale; 4] = [
        CountScale::One,
        CountScale::Thousand,
        CountScale::Million,
        CountScale::Billion,
    ];

    /// The suffix in Markdown and URLs (`100M`).
    pub fn suffix(self) -> &'static str {
        match self {
            CountScale::One => "",
            CountScale::Thousand => "K",
            CountScale::Million => "M",
            CountScale::Billion => "B",
        }
    }

    /// The word shown in the unit menu.
    pub fn label(self) -> &'static str {
        match self {
            CountScale::One => "× 1",
            CountScale::Thousand => "thousand (K)",
            CountScale::Million => "million (M)",
            CountScale::Billion => "billion (B)",
        }
    }

    pub fn factor(self) -> f64 {
        match self {
            CountScale::One => 1.0,
            CountScale::Thousand => 1e3,
            CountScale::Million => 1e6,
            CountScale::Billion => 1e9,
        }
    }

    pub fn from_suffix(suffix: &str) -> Option<CountScale> {
        CountScale::ALL
            .into_iter()
            .find(|scale| scale.suffix() == suffix)
    }
}

/// The unit of an object size. Decimal, like the handbook (1 KB = 1,000 B).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeUnit {
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Terabytes,
}

impl SizeUnit {
    pub const ALL: [SizeUnit; 5] = [
        SizeUnit::Bytes,
        SizeUnit::Kilobytes,
        SizeUnit::Megabytes,
        SizeUnit::Gigabytes,
        SizeUnit::Terabytes,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            SizeUnit::Bytes => "B",
            SizeUnit::Kilobytes => "KB",
            SizeUnit::Megabytes => "MB",
            SizeUnit::Gigabytes => "GB",
            SizeUnit::Terabytes => "TB",
        }
    }

    pub fn factor(self) -> f64 {
        match self {
            SizeUnit::Bytes => 1.0,
            SizeUnit::Kilobytes => 1e3,
            SizeUnit::Megabytes => 1e6,
            SizeUnit::Gigabytes => 1e9,
            SizeUnit::Terabytes => 1e12,
        }
    }

    pub fn from_symbol(symbol: &str) -> Option<SizeUnit> {
        SizeUnit::ALL
            .into_iter()
            .find(|unit| unit.symbol() == symbol)
    }
}

/// Whether rates (QPS, bandwidth) are shown per second or per day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    Second,
    Day,
}

impl RateUnit {
    pub const ALL: [RateUnit; 2] = [RateUnit::Second, RateUnit::Day];

    /// The value in URLs (`per=day`).
    pub fn name(self) -> &'static str {
        match self {
            RateUnit::Second => "second",
            RateUnit::Day => "day",
        }
    }

    /// The suffix after a rate (`6.9K/s`).
    pub fn suffix(self) -> &'static str {
        match self {
            RateUnit::Second => "/s",
            RateUnit::Day => "/day",
        }
    }

    /// Multiplier from "per second" to this unit.
    pub fn factor(self) -> f64 {
        match self {
            RateUnit::Second => 1.0,
            RateUnit::Day => SECONDS_PER_DAY,
        }
    }

    pub fn from_name(name: &str) -> Option<RateUnit> {
        RateUnit::ALL.into_iter().find(|unit| unit.name() == name)
    }
}

/// Daily active users as written: `value` in units of `scale` (so `43.2M` stays `43.2M`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Users {
    pub value: f64,
    pub scale: CountScale,
}

impl Users {
    pub fn total(self) -> f64 {
        self.value * self.scale.factor()
    }
}

/// Bytes per object as written: `value` in `unit` (so `300KB` stays `300KB`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ObjectSize {
    pub value: f64,
    pub unit: SizeUnit,
}

impl ObjectSize {
    pub fn bytes(self) -> f64 {
        self.value * self.unit.factor()
    }
}

/// Everything the reader can set. Units are kept as chosen so that the form, the URL and
/// the Markdown all show the numbers the way a person wrote them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inputs {
    pub users: Users,
    /// Writes (stored objects) per user per day.
    pub actions: f64,
    /// Reads per write.
    pub reads: f64,
    pub size: ObjectSize,
    /// Peak-to-average traffic factor.
    pub peak: f64,
    /// Retention in years.
    pub years: f64,
    /// Copies of every object.
    pub replicas: u32,
    /// How rates are shown; does not change any result.
    pub rate_unit: RateUnit,
}

/// One setting, as named in Markdown (`users=100M`) and URLs (`est1.users=100M`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Users,
    Actions,
    Reads,
    Size,
    Peak,
    Years,
    Replicas,
    Per,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Users,
        Field::Actions,
        Field::Reads,
        Field::Size,
        Field::Peak,
        Field::Years,
        Field::Replicas,
        Field::Per,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Field::Users => "users",
            Field::Actions => "actions",
            Field::Reads => "reads",
            Field::Size => "size",
            Field::Peak => "peak",
            Field::Years => "years",
            Field::Replicas => "replicas",
            Field::Per => "per",
        }
    }

    /// The label of the form control, also used in error messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Users => "Daily active users",
            Field::Actions => "Writes per user per day",
            Field::Reads => "Reads per write",
            Field::Size => "Object size",
            Field::Peak => "Peak-to-average factor",
            Field::Years => "Retention (years)",
            Field::Replicas => "Replication factor",
            Field::Per => "Show rates per",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }

    /// The accepted range of the number the reader types (for users and size, of the
    /// total, checked separately; see [`Inputs::set`]).
    pub fn range(self) -> (f64, f64) {
        match self {
            Field::Users => (0.0, MAX_USERS),
            Field::Actions | Field::Reads => (0.0, 1e6),
            Field::Size => (0.0, MAX_OBJECT_BYTES),
            Field::Peak => (1.0, 1000.0),
            Field::Years => (0.0, 100.0),
            Field::Replicas => (1.0, 100.0),
            Field::Per => (0.0, 0.0),
        }
    }

    /// What a valid value looks like, for messages.
    pub fn expected(self) -> String {
        let (min, max) = self.range();
        match self {
            Field::Users => "a count from 0 to 1000B, such as 2500, 40K, 100M or 1.5B".to_string(),
            Field::Size => "a size from 0 B to 1 TB, such as 256B, 300KB or 50MB".to_string(),
            Field::Replicas => format!(
                "a whole number from {} to {}",
                plain_number(min),
                plain_number(max)
            ),
            Field::Per => "second or day".to_string(),
            _ => format!(
                "a number from {} to {}",
                plain_number(min),
                plain_number(max)
            ),
        }
    }
}

/// A value that cannot be used, with what was expected instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub expected: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{} must be {}",
            self.field.label(),
            self.field.expected()
        )
    }
}

/// Reads a finite number, refusing the spellings `f64::from_str` allows but people do not
/// mean (`inf`, `NaN`) and anything outside `range`.
fn parse_number(text: &str, (min, max): (f64, f64)) -> Option<f64> {
    let number = crate::number::parse(text.trim())?;
    (number.is_finite() && number >= min && number <= max).then_some(number)
}

impl Inputs {
    /// The calculator's defaults when an author gives neither preset nor numbers: the
    /// Twitter-like figures of the reference.
    pub fn reference() -> Inputs {
        PRESETS[0].inputs
    }

    /// Sets one field from its text form (`100M`, `2.5`, `300KB`, `day`), as written in
    /// Markdown and URLs. On error nothing changes.
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), FieldError> {
        let error = || FieldError {
            field,
            expected: field.expected(),
        };
        let range = field.range();
        match field {
            Field::Users => {
                // The suffix is one ASCII letter, so splitting before it stays on a char
                // boundary; a lone number has no suffix.
                let (number, scale) = match text.char_indices().last() {
                    Some((at, letter)) if letter.is_ascii_alphabetic() => (
                        &text[..at],
                        CountScale::from_suffix(&text[at..]).ok_or_else(error)?,
                    ),
                    _ => (text, CountScale::One),
                };
                let value = parse_number(number, (0.0, f64::MAX)).ok_or_else(error)?;
                let users = Users { value, scale };
                if users.total() > range.1 {
                    return Err(error());
                }
                self.users = users;
            }
            Field::Size => {
                // Longest symbol first, so `300KB` is 300 KB rather than `300K` bytes.
                let (number, unit) = SizeUnit::ALL
                    .iter()
                    .rev()
                    .find_map(|unit| Some((text.strip_suffix(unit.symbol())?, *unit)))
                    .ok_or_else(error)?;
                let value = parse_number(number, (0.0, f64::MAX)).ok_or_else(error)?;
                let size = ObjectSize { value, unit };
                if size.bytes() > range.1 {
                    return Err(error());
                }
                self.size = size;
            }
            Field::Replicas => {
                let replicas: u32 = text.trim().parse().map_err(|_| error())?;
                if !(1..=100).contains(&replicas) {
                    return Err(error());
                }
                self.replicas = replicas;
            }
            Field::Per => self.rate_unit = RateUnit::from_name(text).ok_or_else(error)?,
            Field::Actions => self.actions = parse_number(text, range).ok_or_else(error)?,
            Field::Reads => self.reads = parse_number(text, range).ok_or_else(error)?,
            Field::Peak => self.peak = parse_number(text, range).ok_or_else(error)?,
            Field::Years => self.years = parse_number(text, range).ok_or_else(error)?,
        }
        Ok(())
    }

    /// One field in its text form, the inverse of [`Inputs::set`].
    pub fn get(&self, field: Field) -> String {
        match field {
            Field::Users => format!(
                "{}{}",
                plain_number(self.users.value),
                self.users.scale.suffix()
            ),
            Field::Size => format!(
                "{}{}",
                plain_number(self.size.value),
                self.size.unit.symbol()
            ),
            Field::Actions => plain_number(self.actions),
            Field::Reads => plain_number(self.reads),
            Field::Peak => plain_number(self.peak),
            Field::Years => plain_number(self.years),
            Field::Replicas => self.replicas.to_string(),
            Field::Per => self.rate_unit.name().to_string(),
        }
    }

    /// The widget's starting inputs from an author's parameters: the preset (or the
    /// reference defaults), then every other parameter over it, so an author can start
    /// from a preset and change one number.
    pub fn from_params(params: &[(String, String)]) -> Result<Inputs, String> {
        let mut inputs = Inputs::reference();
        if let Some((_, name)) = params.iter().find(|(key, _)| key == "preset") {
            let preset = Preset::find(name).ok_or_else(|| {
                format!(
                    "unknown preset `{name}`; use one of {}",
                    PRESET_NAMES.join(", ")
                )
            })?;
            inputs = preset.inputs;
        }
        for (key, value) in params {
            if key == "preset" {
                continue;
            }
            let field = Field::from_key(key).ok_or_else(|| format!("unknown parameter `{key}`"))?;
            inputs
                .set(field, value)
                .map_err(|error| format!("`{key}={value}`: {error}"))?;
        }
        Ok(inputs)
    }

    /// The preset these inputs equal (ignoring how rates are shown), if any.
    pub fn matching_preset(&self) -> Option<&'static Preset> {
        let shown_per_second = Inputs {
            rate_unit: RateUnit::Second,
            ..*self
        };
        PRESETS
            .iter()
            .find(|preset| preset.inputs == shown_per_second)
    }
}

#[cfg(test)]
mod tests {
    use super::super::splitmix::{inputs as random_inputs, SplitMix};
    use super::*;

    fn params(text: &str) -> Vec<(String, String)> {
        text.split_whitespace()
            .filter_map(|word| word.split_once('='))
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn author_parameters_override_the_preset() {
        let inputs = Inputs::from_params(&params("preset=instagram peak=5 users=1B")).expect("ok");
        let instagram = Preset::find("instagram").expect("preset").inputs;
        assert_eq!(inputs.peak, 5.0);
        assert_eq!(inputs.users.total(), 1e9);
        assert_eq!(inputs.size, instagram.size);
        assert_eq!(inputs.reads, instagram.reads);
        // The preset applies first even when written after another parameter.
        let later = Inputs::from_params(&params("peak=5 preset=instagram")).expect("ok");
        assert_eq!(later.peak, 5.0);
        assert_eq!(Inputs::from_params(&[]), Ok(Inputs::reference()));
    }

    #[test]
    fn bad_values_are_refused_with_what_was_expected() {
        for text in [
            "users=-5",
            "users=5X",
            "users=2000B",
            "users=NaN",
            "size=300",
            "size=KB",
            "size=2000GB",
            "size=1.5PB",
            "peak=0.5",
            "peak=inf",
            "years=101",
            "replicas=0",
            "replicas=2.5",
            "per=week",
            "preset=myspace",
            "colour=red",
        ] {
            let error = Inputs::from_params(&params(text)).expect_err(text);
            assert!(!error.is_empty());
        }
        let error = Inputs::from_params(&params("peak=0")).expect_err("peak");
        assert!(
            error.contains("Peak-to-average factor must be a number from 1 to 1000"),
            "{error}"
        );
    }

    #[test]
    fn text_forms_keep_the_units_as_written() {
        let mut inputs = Inputs::reference();
        inputs.set(Field::Users, "43.2M").expect("users");
        inputs.set(Field::Size, "50MB").expect("size");
        assert_eq!(
            inputs.users,
            Users {
                value: 43.2,
                scale: CountScale::Million
            }
        );
        assert_eq!(inputs.get(Field::Users), "43.2M");
        assert_eq!(inputs.get(Field::Size), "50MB");
        inputs
            .set(Field::Size, "1e3KB")
            .expect("exponent, as number fields allow");
        assert_eq!(inputs.size.bytes(), 1e6);
        inputs.set(Field::Users, "2500").expect("plain count");
        assert_eq!(inputs.get(Field::Users), "2500");
        // The multi-byte character must not be split when looking for the suffix.
        assert!(inputs.set(Field::Users, "5é").is_err());
        assert!(inputs.set(Field::Size, "5éB").is_err());
    }

    #[test]
    fn property_every_field_round_trips_through_its_text() {
        let mut random = SplitMix(7);
        for _ in 0..2000 {
            let inputs = random_inputs(&mut random);
            let mut copy = Inputs::reference();
            for field in Field::ALL {
                copy.set(field, &inputs.get(field))
                    .unwrap_or_else(|error| panic!("{:?}: {error}", inputs));
            }
            assert_eq!(copy, inputs);
        }
    }
}
