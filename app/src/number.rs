//! Decimal text to and from `f64`, exactly as the standard library reads and writes it, but
//! without the standard library's float code in the browser.
//!
//! `str::parse::<f64>` and `f64`'s `Display` bring their conversion tables and bignum
//! fallbacks into the WASM (about 20 KB after compression, on every widget page). The
//! browser already holds conversions of the same precision: JavaScript's `Number()` is
//! correctly rounded and its `String()` writes the shortest digits that read back exactly,
//! as Rust does. So in the browser the digits come from there, and only the spelling is
//! Rust's (which texts are numbers at all; no exponent in the output). The server keeps the
//! standard library, so a page rendered there and hydrated here shows the same text.

/// Reads `text` as `text.parse::<f64>().ok()` does: the same spellings (`1.5`, `-.5`, `2e3`,
/// `inf`, `NaN`), no surrounding whitespace, the same correctly rounded value.
pub fn parse(text: &str) -> Option<f64> {
    #[cfg(feature = "hydrate")]
    {
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let sign = if negative { -1.0 } else { 1.0 };
        if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
            return Some(sign * f64::INFINITY);
        }
        if unsigned.eq_ignore_ascii_case("nan") {
            return Some(f64::NAN);
        }
        // JavaScript reads every decimal spelling Rust accepts, and more (`0x1f`, spaces):
        // only texts of Rust's form go to it.
        is_decimal(unsigned).then(|| browser::number(text))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        text.parse().ok()
    }
}

/// Writes `value` as its `Display` does: the shortest digits that read back as exactly
/// `value`, never in exponent form (`0.0000001`, `1000000000000000000000`, `-0`, `inf`).
pub fn shortest(value: f64) -> String {
    #[cfg(feature = "hydrate")]
    {
        if value.is_nan() {
            return "NaN".to_string();
        }
        let sign = if value.is_sign_negative() { "-" } else { "" };
        if value.is_infinite() {
            return format!("{sign}inf");
        }
        if value == 0.0 {
            return format!("{sign}0");
        }
        format!("{sign}{}", plain_from_script(&browser::string(value.abs())))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        value.to_string()
    }
}

/// Writes `value` with one decimal, as `format!("{value:.1}")` does for every value that is
/// not within a rounding error of a tie (a tie goes to the even tenth either way).
pub fn one_decimal(value: f64) -> String {
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let tenths = (value.abs() * 10.0).round_ties_even() as u64;
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// `value.clamp(low, high)` for bounds known to be in order: `f64::clamp` checks them with
/// an assertion whose message prints floats with `Debug`, which alone brings float printing
/// into the WASM. NaN stays NaN, as with `clamp`.
pub fn clamp(value: f64, low: f64, high: f64) -> f64 {
    if value.is_nan() {
        value
    } else {
        value.max(low).min(high)
    }
}

/// Whether `text` (without its sign) is a decimal of the form Rust reads: digits with an
/// optional point (at least one digit in all), then an optional exponent `e`/`E`, an
/// optional sign and at least one digit.
#[cfg_attr(not(any(feature = "hydrate", test)), allow(dead_code))]
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && whole.len() + fraction.len() > 0;
    let exponent_ok = exponent.is_none_or(|exponent| {
        let unsigned = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        !unsigned.is_empty() && digits(unsigned)
    });
    mantissa_ok && exponent_ok
}

/// Rust's spelling of a positive finite number from JavaScript's (`1.5e+21`, `1e-7`, `0.25`,
/// `120`): the same digits, never an exponent.
#[cfg_attr(not(any(feature = "hydrate", test)), allow(dead_code))]
fn plain_from_script(script: &str) -> String {
    let (mantissa, exponent) = match script.split_once('e') {
        Some((mantissa, exponent)) => (
            mantissa,
            exponent
                .trim_start_matches('+')
                .parse::<i32>()
                .unwrap_or_default(),
        ),
        None => (script, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The value is 0.DIGITS × 10^point.
    let mut point = whole.len() as i32 + exponent;
    let all = format!("{whole}{fraction}");
    let digits = all.trim_start_matches('0');
    point -= (all.len() - digits.len()) as i32;
    let digits = digits.trim_end_matches('0');
    let length = digits.len() as i32;
    if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= length {
        format!("{digits}{}", "0".repeat((point - length) as usize))
    } else {
        let (before, after) = digits.split_at(point as usize);
        format!("{before}.{after}")
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The JavaScript conversions the browser already has.

    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// `Number(text)`: correctly rounded.
        #[wasm_bindgen(js_name = Number)]
        pub fn number(text: &str) -> f64;

        /// `String(value)`: the shortest digits that read back as `value`.
        #[wasm_bindgen(js_name = String)]
        pub fn string(value: f64) -> String;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JavaScript's `String(value)` for a positive finite value, built from Rust's shortest
    /// digits (ECMAScript's Number::toString: plain from 1e-7 up to 1e21, else exponent).
    fn script_spelling(value: f64) -> String {
        let rust = format!("{value:e}");
        let (mantissa, exponent) = rust.split_once('e').expect("`{:e}` has an exponent");
        let exponent: i32 = exponent.parse().expect("a whole exponent");
        let digits = mantissa.replace('.', "");
        let count = digits.len() as i32;
        if (-7..21).contains(&exponent) {
            if exponent >= count - 1 {
                format!("{digits}{}", "0".repeat((exponent - count + 1) as usize))
            } else if exponent >= 0 {
                let (before, after) = digits.split_at(exponent as usize + 1);
                format!("{before}.{after}")
            } else {
                format!("0.{}{digits}", "0".repeat((-exponent - 1) as usize))
            }
        } else {
            let (first, rest) = digits.split_at(1);
            let point = if rest.is_empty() { "" } else { "." };
            let sign = if exponent < 0 { "-" } else { "+" };
            format!("{first}{point}{rest}e{sign}{}", exponent.abs())
        }
    }

    /// Values of every size, with short and long digit strings.
    fn samples() -> Vec<f64> {
        let mut values = vec![
            0.1,
            0.5,
            1.0,
            1.1,
            2.5,
            43.2,
            1389.0,
            1e-7,
            1.5e-7,
            1e-6,
            123e-9,
            1e20,
            1e21,
            1.5e21,
            1e22,
            9_007_199_254_740_993.0,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.30000000000000004,
            11_574.074_074_074_073,
            1.0 / 3.0,
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = f64::from_bits(state >> 1);
            if value.is_finite() && value > 0.0 {
                values.push(value);
            }
            // Numbers people type: a few digits at a modest scale.
            values.push((state % 100_000) as f64 / 10f64.powi((state % 7) as i32));
        }
        values
    }

    #[test]
    fn javascript_digits_are_respelled_exactly_as_display_writes_them() {
        for value in samples() {
            assert_eq!(
                plain_from_script(&script_spelling(value)),
                value.to_string(),
                "{value:e}"
            );
        }
    }

    #[test]
    fn the_texts_taken_as_decimals_are_exactly_those_rust_reads() {
        let texts = [
            "0", "1", "1.5", "-1.5", "+2", ".5", "5.", "1e5", "1E5", "1e+5", "1e-5", "1.e3",
            ".5e1", "007", "1_000", "", ".", "-", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "0x10",
            "1,5", "١", "1e5.5", "--1", "+-1", "1ee5", "infinity", "nan",
        ];
        for text in texts {
            let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
            let std_reads_a_number = text.parse::<f64>().is_ok_and(f64::is_finite)
                || (text.parse::<f64>().is_ok() && is_decimal(unsigned));
            assert_eq!(is_decimal(unsigned), std_reads_a_number, "{text:?}");
        }
    }

    #[test]
    fn one_decimal_matches_the_standard_format() {
        for value in samples().into_iter().filter(|value| *value < 1e15) {
            for value in [value, -value] {
                let tenths = value * 10.0;
                // Exact ties aside, where the two may round differently by design.
                if (tenths - tenths.trunc()).abs() == 0.5 {
                    continue;
                }
                assert_eq!(one_decimal(value), format!("{value:.1}"), "{value:e}");
            }
        }
        assert_eq!(one_decimal(-0.04), "-0.0");
        assert_eq!(one_decimal(0.0), "0.0");
        assert_eq!(one_decimal(149.96), "150.0");
    }

    #[test]
    fn clamp_matches_the_standard_clamp() {
        for value in [
            -1.5,
            0.0,
            -0.0,
            0.5,
            99.9,
            100.0,
            250.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(clamp(value, 0.0, 100.0), value.clamp(0.0, 100.0), "{value}");
        }
        assert!(clamp(f64::NAN, 0.0, 1.0).is_nan());
    }

    #[test]
    fn the_server_reads_and_writes_with_the_standard_library() {
        assert_eq!(parse("1.5"), Some(1.5));
        assert_eq!(parse("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse(" 1"), None);
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(-0.0), "-0");
    }
}
