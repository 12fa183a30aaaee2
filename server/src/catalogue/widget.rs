//! ```` ```widget ```` blocks: `kind name=value ...`, checked against what each widget accepts.

use super::error::ContentErrorKind;
use app::model::{WidgetKind, WidgetSpec};
use app::sim::estimate;

/// What a parameter's value must look like.
#[derive(Clone, Copy, Debug)]
enum ValueShape {
    /// A whole number in a range.
    Integer {
        min: i64,
        max: i64,
    },
    /// A decimal number in a range.
    Decimal {
        min: f64,
        max: f64,
    },
    /// A count with an optional K/M/B suffix (`100M`).
    Count,
    /// A size with a unit (`300KB`).
    Bytes,
    Boolean,
    OneOf(&'static [&'static str]),
}

fn parameters(kind: WidgetKind) -> &'static [(&'static str, ValueShape)] {
    use ValueShape::*;
    match kind {
        WidgetKind::Estimate => &[
            // The calculator's own preset table, so a new preset needs no edit here.
            ("preset", OneOf(&estimate::PRESET_NAMES)),
            ("users", Count),
            ("actions", Decimal { min: 0.0, max: 1e6 }),
            ("reads", Decimal { min: 0.0, max: 1e6 }),
            ("size", Bytes),
            (
                "peak",
                Decimal {
                    min: 1.0,
                    max: 1000.0,
                },
            ),
            (
                "years",
                Decimal {
                    min: 0.0,
                    max: 100.0,
                },
            ),
            ("replicas", Integer { min: 1, max: 100 }),
        ],
        WidgetKind::CacheVisualizer => &[
            (
                "pattern",
                OneOf(&[
                    "cache-aside",
                    "read-through",
                    "write-through",
                    "write-behind",
                    "refresh-ahead",
                ]),
            ),
            (
                "keys",
                Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            ("skew", Decimal { min: 0.0, max: 5.0 }),
            (
                "capacity",
                Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            (
                "ttl",
                Integer {
                    min: 1,
                    max: 100_000,
                },
            ),
            (
                "jitter",
                Decimal {
                    min: 0.0,
                    max: 100.0,
                },
            ),
            (
                "reads",
                Decimal {
                    min: 0.0,
                    max: 100.0,
                },
            ),
            (
                "rate",
                Integer {
                    min: 1,
                    max: 100_000,
                },
            ),
            (
                "scenario",
                OneOf(&["none", "herd", "penetration", "restart"]),
            ),
            ("lock", Boolean),
            ("negative", Boolean),
            (
                "seed",
                Integer {
                    min: 0,
                    max: i64::MAX,
                },
            ),
        ],
        WidgetKind::CircuitBreaker => &[
            ("failures", Integer { min: 1, max: 1000 }),
            ("successes", Integer { min: 1, max: 1000 }),
            (
                "timeout",
                Decimal {
                    min: 0.1,
                    max: 3600.0,
                },
            ),
            (
                "failure-rate",
                Decimal {
                    min: 0.0,
                    max: 100.0,
                },
            ),
            (
                "latency",
                Decimal {
                    min: 0.0,
                    max: 60_000.0,
                },
            ),
            (
                "rate",
                Decimal {
                    min: 0.1,
                    max: 10_000.0,
                },
            ),
            (
                "seed",
                Integer {
                    min: 0,
                    max: i64::MAX,
                },
            ),
        ],
    }
}

/// Parses the body of a widget block.
pub fn parse_widget(text: &str) -> Result<WidgetSpec, ContentErrorKind> {
    let mut words = text.split_whitespace();
    let name = words.next().ok_or(ContentErrorKind::EmptyWidget)?;
    let kind = WidgetKind::from_name(name).ok_or_else(|| ContentErrorKind::UnknownWidget {
        kind: name.to_string(),
        known: WidgetKind::ALL
            .iter()
            .map(|kind| format!("`{}`", kind.name()))
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let allowed = parameters(kind);
    let problem = |problem: String| ContentErrorKind::WidgetParameter {
        kind: name.to_string(),
        problem,
    };
    let mut params: Vec<(String, String)> = Vec::new();
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(problem(format!("`{word}` is not a `name=value` parameter")));
        };
        let Some((_, shape)) = allowed.iter().find(|(allowed, _)| *allowed == key) else {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            return Err(problem(format!(
                "unknown parameter `{key}`; it accepts {}",
                names.join(", ")
            )));
        };
        if params.iter().any(|(seen, _)| seen == key) {
            return Err(problem(format!("parameter `{key}` is given twice")));
        }
        check_value(*shape, value).map_err(|expected| {
            problem(format!("`{key}={value}` is not valid: expected {expected}"))
        })?;
        params.push((key.to_string(), value.to_string()));
    }
    if kind == WidgetKind::Estimate {
        // The shapes above catch typos; the calculator's own reader has the last word on
        // ranges that depend on units (1000B users, a 2 TB object), so a page never embeds
        // numbers the widget would refuse.
        estimate::Inputs::from_params(&params).map_err(problem)?;
    }
    Ok(WidgetSpec { kind, params })
}

fn check_value(shape: ValueShape, value: &str) -> Result<(), String> {
    match shape {
        ValueShape::Integer { min, max } => match value.parse::<i64>() {
            Ok(number) if (min..=max).contains(&number) => Ok(()),
            _ => Err(format!("a whole number from {min} to {max}")),
        },
        ValueShape::Decimal { min, max } => match value.parse::<f64>() {
            Ok(number) if number.is_finite() && (min..=max).contains(&number) => Ok(()),
            _ => Err(format!("a number from {min} to {max}")),
        },
        ValueShape::Count => parse_scaled(value, &[("K", 1e3), ("M", 1e6), ("B", 1e9), ("", 1.0)])
            .map(|_| ())
            .ok_or_else(|| "a positive count such as 2500, 40K, 100M or 1.5B".to_string()),
        ValueShape::Bytes => parse_scaled(
            value,
            &[
                ("KB", 1e3),
                ("MB", 1e6),
                ("GB", 1e9),
                ("TB", 1e12),
                ("B", 1.0),
            ],
        )
        .map(|_| ())
        .ok_or_else(|| "a size with a unit such as 256B, 300KB or 50MB".to_string()),
        ValueShape::Boolean => match value {
            "true" | "false" => Ok(()),
            _ => Err("true or false".to_string()),
        },
        ValueShape::OneOf(choices) => {
            if choices.contains(&value) {
                Ok(())
            } else {
                Err(format!("one of {}", choices.join(", ")))
            }
        }
    }
}

/// Reads `number` followed by one of `suffixes`, returning the scaled value.
fn parse_scaled(value: &str, suffixes: &[(&str, f64)]) -> Option<f64> {
    suffixes.iter().find_map(|(suffix, scale)| {
        let number = value.strip_suffix(suffix)?;
        let number: f64 = number.parse().ok()?;
        (number.is_finite() && number > 0.0).then_some(number * scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kind_and_parameters_in_order() {
        let spec = parse_widget("cache-visualizer pattern=cache-aside keys=1000 skew=1.1\n")
            .expect("valid");
        assert_eq!(spec.kind, WidgetKind::CacheVisualizer);
        assert_eq!(
            spec.params,
            vec![
                ("pattern".to_string(), "cache-aside".to_string()),
                ("keys".to_string(), "1000".to_string()),
                ("skew".to_string(), "1.1".to_string()),
            ]
        );
    }

    #[test]
    fn accepts_counts_and_sizes_with_units() {
        assert!(parse_widget("estimate users=100M size=300KB reads=100 peak=3").is_ok());
        assert!(parse_widget("estimate preset=twitter").is_ok());
    }

    #[test]
    fn estimate_presets_come_from_the_calculator() {
        for name in estimate::PRESET_NAMES {
            assert!(
                parse_widget(&format!("estimate preset={name}")).is_ok(),
                "{name}"
            );
        }
        let error = parse_widget("estimate preset=myspace").expect_err("unknown preset");
        assert!(error.to_string().contains("url-shortener"), "{error}");
    }

    #[test]
    fn estimate_totals_are_checked_by_the_calculator() {
        for (text, expected) in [
            (
                "estimate users=2000B",
                "Daily active users must be a count from 0 to 1000B",
            ),
            (
                "estimate size=2000GB",
                "Object size must be a size from 0 B to 1 TB",
            ),
        ] {
            let error = parse_widget(text).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        assert!(parse_widget("estimate preset=twitter users=1000B size=1TB").is_ok());
    }

    #[test]
    fn unknown_kinds_list_the_known_ones() {
        let error = parse_widget("lava-lamp").expect_err("unknown");
        assert!(error.to_string().contains("`estimate`"), "{error}");
    }

    #[test]
    fn bad_parameters_say_what_is_expected() {
        for (text, expected) in [
            ("circuit-breaker failures=0", "whole number from 1"),
            ("circuit-breaker colour=red", "unknown parameter `colour`"),
            ("estimate size=300", "a size with a unit"),
            ("estimate users=-5", "positive count"),
            (
                "cache-visualizer pattern=write-around",
                "one of cache-aside",
            ),
            ("cache-visualizer lock=yes", "true or false"),
            ("cache-visualizer keys", "not a `name=value`"),
            ("cache-visualizer keys=1 keys=2", "given twice"),
            ("estimate peak=NaN", "a number from 1"),
        ] {
            let error = parse_widget(text).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        assert_eq!(parse_widget("  \n"), Err(ContentErrorKind::EmptyWidget));
    }

    #[test]
    fn circuit_breaker_takes_its_knobs_within_their_limits() {
        let spec = parse_widget(
            "circuit-breaker failures=5 successes=2 timeout=0.5 failure-rate=12.5 latency=20 rate=0.1 seed=7",
        )
        .expect("valid");
        assert_eq!(spec.kind, WidgetKind::CircuitBreaker);
        assert_eq!(spec.params.len(), 7);
        for (text, expected) in [
            (
                "circuit-breaker successes=1001",
                "whole number from 1 to 1000",
            ),
            ("circuit-breaker timeout=0.05", "a number from 0.1 to 3600"),
            ("circuit-breaker failure-rate=101", "a number from 0 to 100"),
            ("circuit-breaker latency=60001", "a number from 0 to 60000"),
            ("circuit-breaker rate=0", "a number from 0.1 to 10000"),
            ("circuit-breaker seed=-1", "whole number from 0"),
        ] {
            let error = parse_widget(text).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
