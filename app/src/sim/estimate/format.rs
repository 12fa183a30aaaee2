//! Numbers for people: `6.9K`, `1.2 TB`, and the exact value (`6,944.44`) for the tooltip.
//!
//! Estimates are about orders of magnitude, so the shown figure keeps two or three
//! significant digits; the exact one is there to check the arithmetic by hand.

/// A count with a K/M/B/T suffix: `5.8K`, `694K`, `2.1M`.
pub fn human_count(value: f64) -> String {
    scaled(value, &["", "K", "M", "B", "T"], "")
}

/// Bytes with a decimal unit: `256 B`, `1.5 MB`, `700 TB`, `33 PB`.
pub fn human_bytes(value: f64) -> String {
    scaled(
        value,
        &["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"],
        " ",
    )
}

/// Bits per second from bytes per second: `12 Mbit/s`, `1.4 Gbit/s`.
pub fn human_bits_per_second(bytes_per_second: f64) -> String {
    scaled(
        bytes_per_second * 8.0,
        &[
            "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s", "Ebit/s", "Zbit/s", "Ybit/s",
        ],
        " ",
    )
}

/// A number as typed in a form, Markdown or a URL: the shortest text that reads back as
/// exactly the same `f64` (`2.5`, `43.2`, `1389`).
pub fn plain_number(value: f64) -> String {
    crate::number::shortest(value)
}

/// The exact value with thousands separators and at most two decimals: `11,574.07`.
/// Beyond what separators make readable, scientific notation with six digits.
pub fn exact(value: f64) -> String {
    if !value.is_finite() {
        return "not a number".to_string();
    }
    if value.abs() >= 1e18 {
        return scientific(value, 6);
    }
    let hundredths = (value.abs() * 100.0).round() as u64;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    let mut text = String::new();
    if value < 0.0 && hundredths > 0 {
        text.push('-');
    }
    text.push_str(&separated(whole));
    if fraction > 0 {
        let digits = format!("{fraction:02}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    if value != 0.0 && hundredths == 0 {
        // Below 0.005: two decimals would say 0, which is not exact at all.
        return scientific(value, 3);
    }
    text
}

fn separated(whole: u64) -> String {
    let digits = whole.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// Shows `value` with the largest unit of `units` (each 1,000 times the last) that keeps
/// the number at 1 or more: one decimal below 100, none from 100.
fn scaled(value: f64, units: &[&str], gap: &str) -> String {
    if !value.is_finite() {
        return "not a number".to_string();
    }
    if value == 0.0 {
        return format!("0{gap}{}", units[0]);
    }
    if value < 1.0 {
        return format!("{}{gap}{}", small(value), units[0]);
    }
    if value >= 1000f64.powi(units.len() as i32) {
        // Past the largest unit: scientific notation of the base unit.
        return format!("{}{gap}{}", scientific(value, 1), units[0]);
    }
    let mut index = 0;
    let mut mantissa = value;
    while mantissa >= 1000.0 && index + 1 < units.len() {
        mantissa /= 1000.0;
        index += 1;
    }
    let mut text = rounded(mantissa);
    // 999.96K rounds to "1000K": say 1M instead.
    if text == "1000" && index + 1 < units.len() {
        index += 1;
        text = "1".to_string();
    }
    format!("{text}{gap}{}", units[index])
}

// Decimals are written from integers rather than with `{:.1}` and `{:e}`: each float
// format mode links its own code into the WASM bundle every page downloads.

/// One decimal under 100 (`17.4`), none from 100 (`694`), no trailing `.0`.
fn rounded(mantissa: f64) -> String {
    let tenths = (mantissa * 10.0).round() as u64;
    if tenths < 1000 {
        with_point(tenths, 1, true)
    } else {
        (mantissa.round() as u64).to_string()
    }
}

/// Under 1: two significant digits (`0.46`, `0.0012`), scientific below a millionth.
fn small(value: f64) -> String {
    if value < 1e-6 {
        return scientific(value, 1);
    }
    let decimals = (-value.log10()).floor() as usize + 2;
    let scaled = (value * 10f64.powi(decimals as i32)).round() as u64;
    with_point(scaled, decimals, true)
}

/// `scaled / 10^decimals` written out: (174, 1) is `17.4`; with `trim`, (170, 1) is `17`.
fn with_point(scaled: u64, decimals: usize, trim: bool) -> String {
    let digits = format!("{scaled:0>width$}", width = decimals + 1);
    let (whole, fraction) = digits.split_at(digits.len() - decimals);
    let fraction = if trim {
        fraction.trim_end_matches('0')
    } else {
        fraction
    };
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// Positive `value` as `d.ddde±n` with `decimals` digits after the point, like `{:.3e}`.
fn scientific(value: f64, decimals: usize) -> String {
    let mut exponent = value.log10().floor() as i32;
    let mut scaled = (value / 10f64.powi(exponent) * 10f64.powi(decimals as i32)).round() as u64;
    // Rounding 9.96 to one decimal gives 10.0: carry into the exponent.
    if scaled >= 10u64.pow(decimals as u32 + 1) {
        scaled /= 10;
        exponent += 1;
    }
    format!("{}e{exponent}", with_point(scaled, decimals, false))
}

#[cfg(test)]
mod tests {
    use super::super::splitmix::SplitMix;
    use super::*;

    #[test]
    fn counts_read_like_the_prose() {
        assert_eq!(human_count(0.0), "0");
        assert_eq!(human_count(7.0), "7");
        assert_eq!(human_count(115.74), "116");
        assert_eq!(human_count(46.29), "46.3");
        assert_eq!(human_count(5_787.04), "5.8K");
        assert_eq!(human_count(6_944.44), "6.9K");
        assert_eq!(human_count(17_361.1), "17.4K");
        assert_eq!(human_count(694_444.4), "694K");
        assert_eq!(human_count(2_083_333.0), "2.1M");
        assert_eq!(human_count(1e9), "1B");
        assert_eq!(human_count(999_960.0), "1M");
        assert_eq!(human_count(99.96), "100");
        assert_eq!(human_count(3.2e14), "320T");
        assert_eq!(human_count(2e18), "2.0e18");
        assert_eq!(human_bytes(3.61e36), "3.6e36 B");
        assert_eq!(human_count(0.46), "0.46");
        assert_eq!(human_count(0.001_23), "0.0012");
    }

    #[test]
    fn bytes_and_bits_use_decimal_units() {
        assert_eq!(human_bytes(256.0), "256 B");
        assert_eq!(human_bytes(128e9), "128 GB");
        assert_eq!(human_bytes(46.72e12), "46.7 TB");
        assert_eq!(human_bytes(1.2e12), "1.2 TB");
        assert_eq!(human_bytes(700.8e12), "701 TB");
        assert_eq!(human_bytes(1.095e15), "1.1 PB");
        assert_eq!(human_bits_per_second(1_481_481.0), "11.9 Mbit/s");
        assert_eq!(human_bits_per_second(125e6), "1 Gbit/s");
    }

    #[test]
    fn exact_values_have_separators() {
        assert_eq!(exact(86_400.0), "86,400");
        assert_eq!(exact(11_574.074_07), "11,574.07");
        assert_eq!(exact(0.5), "0.5");
        assert_eq!(exact(0.0), "0");
        assert_eq!(exact(999.999), "1,000");
        assert_eq!(exact(0.001), "1.000e-3");
        assert_eq!(exact(3.65e36), "3.650000e36");
        assert_eq!(human_count(4.2e-7), "4.2e-7");
        assert_eq!(human_count(9.96e15), "1.0e16");
    }

    #[test]
    fn property_shown_figures_are_within_five_percent_of_the_truth() {
        let mut random = SplitMix(3);
        for _ in 0..5000 {
            // Spread over 18 orders of magnitude, as the calculator's outputs are.
            let value = 10f64.powf(random.unit() * 18.0 - 4.0);
            let text = human_count(value);
            let (number, suffix) = text.split_at(
                text.find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(text.len()),
            );
            let factor = match suffix {
                "" => 1.0,
                "K" => 1e3,
                "M" => 1e6,
                "B" => 1e9,
                "T" => 1e12,
                other => panic!("suffix {other} in {text}"),
            };
            let shown: f64 = number.parse().expect("a number");
            let error = (shown * factor - value).abs() / value;
            assert!(error < 0.05, "{value} shown as {text}");
            assert!(
                text.len() <= 7,
                "{value} shown as {text}: too long for a table cell"
            );
        }
    }
}
