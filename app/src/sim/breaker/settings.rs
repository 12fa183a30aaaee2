//! The knobs of the circuit-breaker widget: defaults, limits, and reading them from the
//! parameters an author wrote in the page's ```` ```widget ```` block.

use super::machine::Rules;
use crate::number::clamp;

/// Everything the simulation needs to know, in the units a reader sees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Consecutive failures that open the breaker.
    pub failures: u32,
    /// Consecutive half-open successes that close it.
    pub successes: u32,
    /// How long the breaker stays open, in milliseconds.
    pub open_timeout_ms: u64,
    /// Share of downstream calls that fail while it is healthy, in percent.
    pub failure_percent: f64,
    /// How long every downstream call takes, in milliseconds. A call's outcome (success or
    /// failure) is known only after it, so latency is what a rejected call is spared.
    pub latency_ms: u64,
    /// Requests per second arriving at the breaker, evenly spaced.
    pub rate_per_second: f64,
    pub seed: u64,
}

/// Limits of each knob, the same the content loader enforces on authors.
pub mod limits {
    pub const THRESHOLD: (u32, u32) = (1, 1000);
    pub const OPEN_TIMEOUT_MS: (u64, u64) = (100, 3_600_000);
    pub const FAILURE_PERCENT: (f64, f64) = (0.0, 100.0);
    pub const LATENCY_MS: (u64, u64) = (0, 60_000);
    pub const RATE_PER_SECOND: (f64, f64) = (0.1, 10_000.0);
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            failures: 5,
            successes: 2,
            open_timeout_ms: 10_000,
            failure_percent: 0.0,
            latency_ms: 50,
            rate_per_second: 10.0,
            seed: 1,
        }
    }
}

impl Settings {
    /// Reads `failures`, `successes`, `timeout` (seconds), `failure-rate` (percent),
    /// `latency` (ms), `rate` (per second) and `seed`. The loader has already checked them;
    /// anything unreadable still falls back to the default, and values are clamped, so a
    /// hand-made page can never break the widget.
    pub fn from_params(params: &[(String, String)]) -> Self {
        let mut settings = Settings::default();
        for (name, value) in params {
            let Some(number) = crate::number::parse(value) else {
                continue;
            };
            if !number.is_finite() {
                continue;
            }
            match name.as_str() {
                "failures" => settings.failures = clamp_threshold(number),
                "successes" => settings.successes = clamp_threshold(number),
                "timeout" => {
                    settings.open_timeout_ms = clamp_ms(number * 1000.0, limits::OPEN_TIMEOUT_MS)
                }
                "failure-rate" => settings.failure_percent = clamp_percent(number),
                "latency" => settings.latency_ms = clamp_ms(number, limits::LATENCY_MS),
                "rate" => settings.rate_per_second = clamp_rate(number),
                "seed" => {
                    if let Ok(seed) = value.parse::<u64>() {
                        settings.seed = seed;
                    }
                }
                _ => {}
            }
        }
        settings
    }

    pub fn rules(&self) -> Rules {
        Rules {
            failures: self.failures,
            successes: self.successes,
            open_timeout_us: self.open_timeout_ms.saturating_mul(1000),
        }
    }

    /// The failure share as parts per million, for integer draws.
    pub fn failure_ppm(&self) -> u32 {
        (clamp_percent(self.failure_percent) * 10_000.0).round() as u32
    }

    /// Microseconds between two requests (at least 1).
    pub fn interval_us(&self) -> u64 {
        ((1_000_000.0 / clamp_rate(self.rate_per_second)).round() as u64).max(1)
    }
}

/// One knob the reader can turn, with what the control needs to show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knob {
    Failures,
    Successes,
    OpenTimeout,
    FailureRate,
    Latency,
    RequestRate,
}

impl Knob {
    pub const ALL: [Knob; 6] = [
        Knob::Failures,
        Knob::Successes,
        Knob::OpenTimeout,
        Knob::FailureRate,
        Knob::Latency,
        Knob::RequestRate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Knob::Failures => "Failure threshold",
            Knob::Successes => "Success threshold",
            Knob::OpenTimeout => "Open timeout",
            Knob::FailureRate => "Downstream failure rate",
            Knob::Latency => "Downstream latency",
            Knob::RequestRate => "Request rate",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Knob::Failures => "failures in a row",
            Knob::Successes => "trial successes",
            Knob::OpenTimeout => "s",
            Knob::FailureRate => "%",
            Knob::Latency => "ms",
            Knob::RequestRate => "requests/s",
        }
    }

    /// `min`, `max` and `step` of the number field, in the unit shown.
    pub fn range(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Knob::Failures | Knob::Successes => ("1", "1000", "1"),
            Knob::OpenTimeout => ("0.1", "3600", "0.1"),
            Knob::FailureRate => ("0", "100", "1"),
            Knob::Latency => ("0", "60000", "1"),
            Knob::RequestRate => ("0.1", "10000", "0.1"),
        }
    }

    /// The knob's value in its unit, as the field shows it.
    pub fn read(self, settings: &Settings) -> String {
        match self {
            Knob::Failures => settings.failures.to_string(),
            Knob::Successes => settings.successes.to_string(),
            Knob::OpenTimeout => super::text::ms_as_seconds(settings.open_timeout_ms),
            Knob::FailureRate => crate::number::shortest(settings.failure_percent),
            Knob::Latency => settings.latency_ms.to_string(),
            Knob::RequestRate => crate::number::shortest(settings.rate_per_second),
        }
    }

    /// `settings` with this knob set to `value` (in its unit), clamped to its limits.
    pub fn set(self, settings: Settings, value: f64) -> Settings {
        match self {
            Knob::Failures => Settings {
                failures: clamp_threshold(value),
                ..settings
            },
            Knob::Successes => Settings {
                successes: clamp_threshold(value),
                ..settings
            },
            Knob::OpenTimeout => Settings {
                open_timeout_ms: clamp_ms(value * 1000.0, limits::OPEN_TIMEOUT_MS),
                ..settings
            },
            Knob::FailureRate => Settings {
                failure_percent: clamp_percent(value),
                ..settings
            },
            Knob::Latency => Settings {
                latency_ms: clamp_ms(value, limits::LATENCY_MS),
                ..settings
            },
            Knob::RequestRate => Settings {
                rate_per_second: clamp_rate(value),
                ..settings
            },
        }
    }
}

pub fn clamp_threshold(value: f64) -> u32 {
    clamp(
        value.round(),
        f64::from(limits::THRESHOLD.0),
        f64::from(limits::THRESHOLD.1),
    ) as u32
}

pub fn clamp_percent(value: f64) -> f64 {
    clamp(value, limits::FAILURE_PERCENT.0, limits::FAILURE_PERCENT.1)
}

pub fn clamp_rate(value: f64) -> f64 {
    clamp(value, limits::RATE_PER_SECOND.0, limits::RATE_PER_SECOND.1)
}

pub fn clamp_ms(value: f64, (min, max): (u64, u64)) -> u64 {
    clamp(value.round(), min as f64, max as f64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::params;

    #[test]
    fn reads_the_block_parameters_in_their_units() {
        let settings = Settings::from_params(&params(&[
            ("failures", "7"),
            ("successes", "3"),
            ("timeout", "2.5"),
            ("failure-rate", "40"),
            ("latency", "20"),
            ("rate", "50"),
            ("seed", "99"),
        ]));
        assert_eq!(
            settings,
            Settings {
                failures: 7,
                successes: 3,
                open_timeout_ms: 2500,
                failure_percent: 40.0,
                latency_ms: 20,
                rate_per_second: 50.0,
                seed: 99,
            }
        );
        assert_eq!(settings.failure_ppm(), 400_000);
        assert_eq!(settings.interval_us(), 20_000);
        assert_eq!(settings.rules().open_timeout_us, 2_500_000);
    }

    #[test]
    fn missing_unreadable_or_out_of_range_values_stay_usable() {
        assert_eq!(Settings::from_params(&[]), Settings::default());
        let settings = Settings::from_params(&params(&[
            ("failures", "0"),
            ("successes", "nope"),
            ("timeout", "0.001"),
            ("failure-rate", "150"),
            ("latency", "NaN"),
            ("rate", "1e9"),
            ("colour", "red"),
        ]));
        assert_eq!(settings.failures, 1);
        assert_eq!(settings.successes, 2);
        assert_eq!(settings.open_timeout_ms, 100);
        assert_eq!(settings.failure_percent, 100.0);
        assert_eq!(settings.latency_ms, 50);
        assert_eq!(settings.interval_us(), 100);
    }

    #[test]
    fn knobs_round_trip_through_their_fields_and_clamp() {
        let settings = Settings::default();
        for knob in Knob::ALL {
            let shown = knob.read(&settings);
            let value: f64 = shown.parse().expect("a field shows a number");
            assert_eq!(knob.set(settings, value), settings, "{knob:?} {shown}");
            let (min, max, _) = knob.range();
            let min: f64 = min.parse().expect("number");
            let max: f64 = max.parse().expect("number");
            assert_eq!(
                knob.read(&knob.set(settings, min - 1.0)),
                knob.read(&knob.set(settings, min))
            );
            assert_eq!(
                knob.read(&knob.set(settings, max * 2.0)),
                knob.read(&knob.set(settings, max))
            );
        }
        assert_eq!(
            Knob::OpenTimeout.read(&Knob::OpenTimeout.set(settings, 2.5)),
            "2.5"
        );
        assert_eq!(Knob::FailureRate.set(settings, 40.0).failure_ppm(), 400_000);
    }
}
