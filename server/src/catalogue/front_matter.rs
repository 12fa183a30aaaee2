//! Front matter: the fields at the top of a page, in YAML (`---`) or TOML (`+++`).
//!
//! Fields other tools write (Hugo's `date`, `draft`, `weight`...) are ignored, so existing
//! docs load as they are; the fields Cairn reads are checked and reported with their line.

use super::error::ContentErrorKind;
use serde::Deserialize;

/// The fields Cairn reads, as written by the author (not yet validated).
#[derive(Debug, Default, Deserialize, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    pub level: Option<String>,
    pub order: Option<i64>,
    /// Only for learning paths: the ordered steps.
    #[serde(default)]
    pub steps: Vec<PathStepSpec>,
}

#[derive(Debug, Default, Deserialize, PartialEq, Clone)]
pub struct PathStepSpec {
    pub page: String,
    #[serde(default)]
    pub why: String,
}

/// A file split into its front matter and its Markdown body.
#[derive(Debug, PartialEq)]
pub struct SplitSource<'a> {
    pub front_matter: FrontMatter,
    /// The raw front matter text, to find the line of a field.
    pub front_matter_text: &'a str,
    pub body: &'a str,
    /// Number of lines before the body (front matter and its fences).
    pub body_line_offset: usize,
}

/// A front-matter problem and the 1-based line of the file it is on.
pub type FrontMatterError = (usize, ContentErrorKind);

/// Splits `source` into front matter and body and parses the front matter.
///
/// A file without front matter is all body.
pub fn split_front_matter(source: &str) -> Result<SplitSource<'_>, FrontMatterError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (fence, format) = match first_line(source) {
        "---" => ("---", Format::Yaml),
        "+++" => ("+++", Format::Toml),
        _ => {
            return Ok(SplitSource {
                front_matter: FrontMatter::default(),
                front_matter_text: "",
                body: source,
                body_line_offset: 0,
            })
        }
    };
    let after_open = &source[source.find('\n').map_or(source.len(), |i| i + 1)..];
    let mut offset = 0;
    let mut closing = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == fence {
            closing = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((text_end, body_start)) = closing else {
        return Err((1, ContentErrorKind::UnclosedFrontMatter(fence)));
    };
    let text = &after_open[..text_end];
    let front_matter = parse_fields(text, format)?;
    let body_line_offset = 2 + text.lines().count();
    Ok(SplitSource {
        front_matter,
        front_matter_text: text,
        body: &after_open[body_start..],
        body_line_offset,
    })
}

/// The 1-based file line of `field` in the front matter, or the first line when absent.
pub fn field_line(front_matter_text: &str, field: &str) -> usize {
    front_matter_text
        .lines()
        .position(|line| {
            line.strip_prefix(field)
                .map(|rest| rest.trim_start().starts_with([':', '=']))
                .unwrap_or(false)
        })
        .map_or(1, |index| index + 2)
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
}

fn first_line(source: &str) -> &str {
    source.lines().next().unwrap_or("").trim_end()
}

fn parse_fields(text: &str, format: Format) -> Result<FrontMatter, FrontMatterError> {
    match format {
        Format::Yaml => {
            if text.trim().is_empty() {
                return Ok(FrontMatter::default());
            }
            serde_yaml_ng::from_str(text).map_err(|error| {
                let line = error.location().map_or(1, |location| location.line() + 1);
                (
                    line,
                    ContentErrorKind::FrontMatterSyntax {
                        format: "YAML",
                        message: strip_location(&error.to_string()),
                    },
                )
            })
        }
        Format::Toml => toml::from_str(text).map_err(|error| {
            let line = error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].lines().count().max(1) + 1
            });
            (
                line,
                ContentErrorKind::FrontMatterSyntax {
                    format: "TOML",
                    message: error.message().to_string(),
                },
            )
        }),
    }
}

/// serde_yaml appends "at line X column Y" for the YAML text; the error already names the
/// file line, so drop the confusing front-matter-relative position.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_front_matter() {
        let source = "---\ntitle: Cache-aside\nsummary: Lazy.\ntags: [cache, ttl]\nlevel: intro\nweight: 3\n---\n# Body\n";
        let split = split_front_matter(source).expect("valid");
        assert_eq!(split.front_matter.title.as_deref(), Some("Cache-aside"));
        assert_eq!(split.front_matter.tags, vec!["cache", "ttl"]);
        assert_eq!(split.front_matter.level.as_deref(), Some("intro"));
        assert_eq!(split.body, "# Body\n");
        assert_eq!(split.body_line_offset, 7);
    }

    #[test]
    fn reads_toml_front_matter() {
        let source = "+++\ntitle = \"CAP\"\naliases = [\"brewer\"]\norder = 2\n+++\nText\n";
        let split = split_front_matter(source).expect("valid");
        assert_eq!(split.front_matter.title.as_deref(), Some("CAP"));
        assert_eq!(split.front_matter.aliases, vec!["brewer"]);
        assert_eq!(split.front_matter.order, Some(2));
        assert_eq!(split.body, "Text\n");
        assert_eq!(split.body_line_offset, 5);
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let split = split_front_matter("# Title\n\nText").expect("valid");
        assert_eq!(split.front_matter, FrontMatter::default());
        assert_eq!(split.body_line_offset, 0);
    }

    #[test]
    fn unclosed_front_matter_is_reported_on_line_one() {
        let error = split_front_matter("---\ntitle: x\n# Body\n").expect_err("unclosed");
        assert_eq!(error.0, 1);
        assert!(matches!(
            error.1,
            ContentErrorKind::UnclosedFrontMatter("---")
        ));
    }

    #[test]
    fn yaml_syntax_errors_name_the_file_line() {
        let error = split_front_matter("---\ntitle: ok\ntags: [a, b\n---\n").expect_err("bad yaml");
        assert!(
            error.0 >= 3,
            "line {} should point into the front matter",
            error.0
        );
        assert!(matches!(
            error.1,
            ContentErrorKind::FrontMatterSyntax { format: "YAML", .. }
        ));
    }

    #[test]
    fn wrong_field_types_are_errors() {
        let error =
            split_front_matter("---\ntitle: ok\norder: first\n---\n").expect_err("bad type");
        assert!(matches!(
            error.1,
            ContentErrorKind::FrontMatterSyntax { .. }
        ));
        let error = split_front_matter("+++\ntitle = 3\n+++\n").expect_err("bad type");
        assert_eq!(error.0, 2);
    }

    #[test]
    fn finds_the_line_of_a_field() {
        let text = "title: x\nlevel: expert\n";
        assert_eq!(field_line(text, "level"), 3);
        assert_eq!(field_line(text, "related"), 1);
    }
}
