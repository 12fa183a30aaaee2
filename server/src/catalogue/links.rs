//! Internal links: where a Markdown link points, and whether anything lives there.
//!
//! Authors write `/patterns/cache-aside#anchor` or a relative path to the Markdown file
//! (`../caching/cache-aside.md`), the way it works on a Git forge; both resolve to the
//! page's URL, and a target that does not exist is a load error.

use std::collections::{HashMap, HashSet};

/// Everything a link may point at, gathered before any page is rendered.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Source path (`caching/cache-aside.md`) to the page's URL path (`/patterns/cache-aside`).
    pub files: HashMap<String, String>,
    pub pages: HashSet<String>,
    pub categories: HashSet<String>,
    pub paths: HashSet<String>,
    /// Other files of a team's content folder (images, PDFs...), by relative path.
    pub assets: HashSet<String>,
}

/// Where a team content folder's own files (images and the like) are served.
pub const FILES_PREFIX: &str = "/files/";

/// What a link turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Leaves the site (or is a scheme the sanitiser decides on): left as written.
    External,
    /// A link inside the site, rewritten to `href`; `anchor_check` names the page and anchor
    /// to verify once every page's headings are known.
    Internal {
        href: String,
        anchor_check: Option<(String, String)>,
    },
    /// A file of the content folder (an image, a PDF), served under [`FILES_PREFIX`].
    Asset {
        href: String,
    },
    Broken(String),
}

impl LinkTargets {
    /// Resolves `url`, written in the file at `source_path` whose page slug is `own_slug`.
    pub fn resolve(&self, url: &str, source_path: &str, own_slug: Option<&str>) -> Resolution {
        let url = url.trim();
        if url.is_empty() {
            return Resolution::Broken("the link has no target".into());
        }
        if has_scheme(url) || url.starts_with("//") {
            return Resolution::External;
        }
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url, None),
        };
        if path.is_empty() {
            let fragment = fragment.unwrap_or_default().to_string();
            return Resolution::Internal {
                href: url.to_string(),
                anchor_check: own_slug.map(|slug| (slug.to_string(), fragment)),
            };
        }
        let site_path = if path.starts_with('/') {
            path.to_string()
        } else {
            let Some(file) = join_relative(source_path, path) else {
                return Resolution::Broken(format!("`{path}` climbs above the content folder"));
            };
            if self.assets.contains(&file) {
                let mut href = format!("{FILES_PREFIX}{}", encode_path(&file));
                if let Some(fragment) = fragment {
                    href.push('#');
                    href.push_str(fragment);
                }
                return Resolution::Asset { href };
            }
            if !file.ends_with(".md") {
                return Resolution::Broken(format!(
                    "`{path}` is neither a Markdown page nor a file in the content folder; link to pages with their `.md` file or `/patterns/<slug>`"
                ));
            }
            match self.files.get(&file) {
                Some(site_path) => site_path.clone(),
                None => return Resolution::Broken(format!("no page at `{file}`")),
            }
        };
        self.check_site_path(&site_path, fragment)
    }

    fn check_site_path(&self, site_path: &str, fragment: Option<&str>) -> Resolution {
        let href = match fragment {
            Some(fragment) => format!("{site_path}#{fragment}"),
            None => site_path.to_string(),
        };
        let (section, name) = match site_path.trim_end_matches('/').rsplit_once('/') {
            Some((section, name)) => (section, name),
            None => ("", ""),
        };
        let known = match section {
            "" if name.is_empty() => true,
            "" => matches!(name, "search"),
            "/patterns" => self.pages.contains(name),
            "/categories" => self.categories.contains(name),
            "/paths" => self.paths.contains(name),
            _ => false,
        };
        if !known {
            return Resolution::Broken(format!("no page is served at `{site_path}`"));
        }
        let anchor_check = (section == "/patterns")
            .then(|| fragment.map(|fragment| (name.to_string(), fragment.to_string())))
            .flatten();
        Resolution::Internal { href, anchor_check }
    }
}

/// Percent-encodes what may not stand in a URL path, keeping the `/` separators.
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative link to the folder of `source_path`; `None` if it leaves the root.
fn join_relative(source_path: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = source_path.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut targets = LinkTargets::default();
        targets.files.insert(
            "caching/cache-aside.md".into(),
            "/patterns/cache-aside".into(),
        );
        targets
            .files
            .insert("caching/index.md".into(), "/categories/caching".into());
        targets.pages.insert("cache-aside".into());
        targets.pages.insert("cap-theorem".into());
        targets.categories.insert("caching".into());
        targets.paths.insert("first-week".into());
        targets
    }

    #[test]
    fn relative_markdown_links_become_page_urls() {
        let resolution = targets().resolve(
            "../caching/cache-aside.md#trade-offs",
            "foundations/cap-theorem.md",
            None,
        );
        assert_eq!(
            resolution,
            Resolution::Internal {
                href: "/patterns/cache-aside#trade-offs".into(),
                anchor_check: Some(("cache-aside".into(), "trade-offs".into())),
            }
        );
        assert_eq!(
            targets().resolve("index.md", "caching/cache-aside.md", None),
            Resolution::Internal {
                href: "/categories/caching".into(),
                anchor_check: None
            }
        );
    }

    #[test]
    fn site_links_are_checked() {
        let targets = targets();
        assert!(matches!(
            targets.resolve("/patterns/cap-theorem", "a.md", None),
            Resolution::Internal { .. }
        ));
        assert!(matches!(
            targets.resolve("/categories/caching", "a.md", None),
            Resolution::Internal { .. }
        ));
        assert!(matches!(
            targets.resolve("/paths/first-week", "a.md", None),
            Resolution::Internal { .. }
        ));
        assert!(matches!(
            targets.resolve("/", "a.md", None),
            Resolution::Internal { .. }
        ));
        for broken in [
            "/patterns/nope",
            "/categories/nope",
            "/elsewhere/x",
            "nope.md",
            "../../x.md",
            "image.png",
            "",
        ] {
            assert!(
                matches!(
                    targets.resolve(broken, "caching/a.md", None),
                    Resolution::Broken(_)
                ),
                "{broken} should be broken"
            );
        }
    }

    #[test]
    fn relative_links_to_folder_files_are_served_as_files() {
        let mut targets = targets();
        targets.assets.insert("runbooks/img/flow chart.png".into());
        assert_eq!(
            targets.resolve("img/flow chart.png", "runbooks/deploy.md", None),
            Resolution::Asset {
                href: "/files/runbooks/img/flow%20chart.png".into()
            }
        );
        assert!(matches!(
            targets.resolve("img/missing.png", "runbooks/deploy.md", None),
            Resolution::Broken(_)
        ));
        assert!(matches!(
            targets.resolve("../../img/flow chart.png", "runbooks/deploy.md", None),
            Resolution::Broken(_)
        ));
    }

    #[test]
    fn same_page_anchors_are_checked_against_the_page() {
        assert_eq!(
            targets().resolve("#numbers", "caching/cache-aside.md", Some("cache-aside")),
            Resolution::Internal {
                href: "#numbers".into(),
                anchor_check: Some(("cache-aside".into(), "numbers".into())),
            }
        );
    }

    #[test]
    fn other_schemes_are_left_to_the_sanitiser() {
        for url in [
            "https://redis.io/docs",
            "mailto:a@b.c",
            "javascript:alert(1)",
            "//evil.example",
        ] {
            assert_eq!(
                targets().resolve(url, "a.md", None),
                Resolution::External,
                "{url}"
            );
        }
    }
}
