//! Stable anchors for headings: the same heading text always gives the same anchor.

/// Lowercases `text` and joins its runs of ASCII letters and digits with `-`.
///
/// Letters outside ASCII are kept (lowercased) so headings in other scripts still get
/// readable anchors; everything else separates words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(ch);
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Hands out anchors for one page, numbering repeats (`faq`, `faq-2`, `faq-3`).
#[derive(Default)]
pub struct AnchorRegistry {
    seen: std::collections::HashMap<String, usize>,
}

impl AnchorRegistry {
    pub fn anchor_for(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_words_with_single_dashes() {
        assert_eq!(slugify("Layer 4 vs layer 7"), "layer-4-vs-layer-7");
        assert_eq!(
            slugify("When to use it / when not to"),
            "when-to-use-it-when-not-to"
        );
        assert_eq!(slugify("  Trade-offs!  "), "trade-offs");
        assert_eq!(slugify("Read-your-writes"), "read-your-writes");
    }

    #[test]
    fn keeps_non_ascii_letters() {
        assert_eq!(slugify("Café Größe"), "café-größe");
    }

    #[test]
    fn repeated_headings_get_numbered_anchors() {
        let mut anchors = AnchorRegistry::default();
        assert_eq!(anchors.anchor_for("Example"), "example");
        assert_eq!(anchors.anchor_for("Example"), "example-2");
        assert_eq!(anchors.anchor_for("!!!"), "section");
    }
}
