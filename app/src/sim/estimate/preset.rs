//! Named starting points: the reference's scale figures and every worked design's estimate.
//!
//! The server takes the list of names from here for the `preset=` parameter, and a test
//! checks each worked design's Markdown embeds exactly its preset's numbers, so the page,
//! its prose and the calculator cannot drift apart.

use super::{CountScale, Inputs, ObjectSize, RateUnit, SizeUnit, Users};

/// One preset: a name for Markdown and URLs, a label for the menu, and the inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    pub name: &'static str,
    pub label: &'static str,
    pub inputs: Inputs,
    /// The built-in page (under `content/`) whose widget shows these numbers, if any.
    pub page: Option<&'static str>,
}

impl Preset {
    pub fn find(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|preset| preset.name == name)
    }
}

#[allow(clippy::too_many_arguments)] // a table row: each argument is one column
const fn row(
    users: f64,
    scale: CountScale,
    actions: f64,
    reads: f64,
    size: f64,
    unit: SizeUnit,
    peak: f64,
    years: f64,
    replicas: u32,
) -> Inputs {
    Inputs {
        users: Users {
            value: users,
            scale,
        },
        actions,
        reads,
        size: ObjectSize { value: size, unit },
        peak,
        years,
        replicas,
        rate_unit: RateUnit::Second,
    }
}

use CountScale::Million as M;
use SizeUnit::{Bytes as B, Kilobytes as KB, Megabytes as MB};

/// The presets, reference figures first (the first is the default when an author gives
/// no numbers).
pub const PRESETS: [Preset; 14] = [
    // 200M DAU × 2.5 posts = the reference's 500M tweets/day; 120 post reads per post
    // (15 timeline loads of 20 posts per user per day, see back-of-the-envelope.md).
    Preset {
        name: "twitter",
        label: "Twitter: 500M tweets/day",
        inputs: row(200.0, M, 2.5, 120.0, 256.0, B, 3.0, 5.0, 3),
        page: None,
    },
    // 100M new links/day and 100 redirects per link = the reference's 10B redirects/day.
    Preset {
        name: "url-shortener",
        label: "URL shortener: 100M URLs, 10B redirects/day",
        inputs: row(100.0, M, 1.0, 100.0, 500.0, B, 3.0, 5.0, 3),
        page: Some("worked-designs/url-shortener.md"),
    },
    // 500M DAU × 0.2 photos = the reference's 100M photos/day of 300 KB.
    Preset {
        name: "instagram",
        label: "Instagram: 100M photos/day",
        inputs: row(500.0, M, 0.2, 30.0, 300.0, KB, 2.0, 1.0, 3),
        page: None,
    },
    Preset {
        name: "chat-system",
        label: "Chat system",
        inputs: row(100.0, M, 40.0, 2.0, 200.0, B, 3.0, 5.0, 3),
        page: Some("worked-designs/chat-system.md"),
    },
    Preset {
        name: "key-value-store",
        label: "Key-value store",
        inputs: row(100.0, M, 10.0, 10.0, 1.0, KB, 3.0, 1.0, 3),
        page: Some("worked-designs/key-value-store.md"),
    },
    Preset {
        name: "leaderboard",
        label: "Leaderboard",
        inputs: row(50.0, M, 20.0, 2.0, 100.0, B, 5.0, 1.0, 3),
        page: Some("worked-designs/leaderboard.md"),
    },
    Preset {
        name: "news-feed",
        label: "News feed",
        inputs: row(250.0, M, 2.0, 5.0, 256.0, B, 3.0, 5.0, 3),
        page: Some("worked-designs/news-feed.md"),
    },
    Preset {
        name: "notification-system",
        label: "Notification system",
        inputs: row(200.0, M, 5.0, 1.0, 500.0, B, 10.0, 1.0, 3),
        page: Some("worked-designs/notification-system.md"),
    },
    Preset {
        name: "payment-system",
        label: "Payment system",
        inputs: row(10.0, M, 1.0, 5.0, 5.0, KB, 10.0, 7.0, 3),
        page: Some("worked-designs/payment-system.md"),
    },
    Preset {
        name: "photo-sharing",
        label: "Photo sharing",
        inputs: row(500.0, M, 0.2, 300.0, 300.0, KB, 2.0, 1.0, 3),
        page: Some("worked-designs/photo-sharing.md"),
    },
    Preset {
        name: "rate-limiter-service",
        label: "Rate-limiter service",
        inputs: row(30.0, M, 400.0, 1.0, 100.0, B, 4.0, 1.0, 2),
        page: Some("worked-designs/rate-limiter-service.md"),
    },
    Preset {
        name: "typeahead",
        label: "Typeahead",
        inputs: row(100.0, M, 10.0, 8.0, 100.0, B, 3.0, 1.0, 3),
        page: Some("worked-designs/typeahead.md"),
    },
    Preset {
        name: "video-streaming",
        label: "Video streaming",
        inputs: row(43.2, M, 1.0, 1389.0, 50.0, MB, 2.0, 1.0, 3),
        page: Some("worked-designs/video-streaming.md"),
    },
    Preset {
        name: "web-crawler",
        label: "Web crawler",
        inputs: row(500.0, M, 1.0, 1.0, 25.0, KB, 2.0, 1.0, 3),
        page: Some("worked-designs/web-crawler.md"),
    },
];

/// The names alone, for the server's parameter check (`preset=` must be one of these).
pub const PRESET_NAMES: [&str; PRESETS.len()] = {
    let mut names = [""; PRESETS.len()];
    let mut index = 0;
    while index < PRESETS.len() {
        names[index] = PRESETS[index].name;
        index += 1;
    }
    names
};

#[cfg(test)]
mod tests {
    use super::super::Field;
    use super::*;

    /// The built-in pages that embed a preset, read at compile time.
    fn page_text(path: &str) -> &'static str {
        match path {
            "worked-designs/url-shortener.md" => {
                include_str!("../../../../content/worked-designs/url-shortener.md")
            }
            "worked-designs/chat-system.md" => {
                include_str!("../../../../content/worked-designs/chat-system.md")
            }
            "worked-designs/key-value-store.md" => {
                include_str!("../../../../content/worked-designs/key-value-store.md")
            }
            "worked-designs/leaderboard.md" => {
                include_str!("../../../../content/worked-designs/leaderboard.md")
            }
            "worked-designs/news-feed.md" => {
                include_str!("../../../../content/worked-designs/news-feed.md")
            }
            "worked-designs/notification-system.md" => {
                include_str!("../../../../content/worked-designs/notification-system.md")
            }
            "worked-designs/payment-system.md" => {
                include_str!("../../../../content/worked-designs/payment-system.md")
            }
            "worked-designs/photo-sharing.md" => {
                include_str!("../../../../content/worked-designs/photo-sharing.md")
            }
            "worked-designs/rate-limiter-service.md" => {
                include_str!("../../../../content/worked-designs/rate-limiter-service.md")
            }
            "worked-designs/typeahead.md" => {
                include_str!("../../../../content/worked-designs/typeahead.md")
            }
            "worked-designs/video-streaming.md" => {
                include_str!("../../../../content/worked-designs/video-streaming.md")
            }
            "worked-designs/web-crawler.md" => {
                include_str!("../../../../content/worked-designs/web-crawler.md")
            }
            other => panic!("no page text for {other}"),
        }
    }

    #[test]
    fn names_are_unique_and_listed_in_order() {
        for (index, preset) in PRESETS.iter().enumerate() {
            assert_eq!(PRESET_NAMES[index], preset.name);
            assert_eq!(Preset::find(preset.name), Some(preset));
            assert!(PRESETS[..index]
                .iter()
                .all(|other| other.name != preset.name));
        }
    }

    #[test]
    fn every_worked_design_embeds_its_preset() {
        for preset in PRESETS {
            let Some(path) = preset.page else { continue };
            let widget_lines: Vec<&str> = page_text(path)
                .lines()
                .filter(|line| line.starts_with("estimate "))
                .collect();
            let by_name = format!("estimate preset={}", preset.name);
            let by_numbers = format!(
                "estimate {}",
                Field::ALL[..7]
                    .iter()
                    .map(|field| format!("{}={}", field.key(), preset.inputs.get(*field)))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            assert!(
                widget_lines
                    .iter()
                    .any(|line| *line == by_name || *line == by_numbers),
                "{path} should embed `{by_name}` or `{by_numbers}`, has {widget_lines:?}"
            );
        }
    }

    #[test]
    fn the_reference_figures_hold() {
        // "Twitter: 500M tweets/day", "100M URLs, 10B redirects/day", "Instagram: 100M
        // photos/day": checked on writes and reads per day.
        let per_day = |name: &str| {
            let inputs = Preset::find(name).expect("preset").inputs;
            let writes = inputs.users.total() * inputs.actions;
            (writes, writes * inputs.reads)
        };
        assert_eq!(per_day("twitter").0, 500e6);
        assert_eq!(per_day("url-shortener"), (100e6, 10e9));
        assert_eq!(per_day("instagram").0, 100e6);
    }
}
