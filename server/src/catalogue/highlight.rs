//! Server-side syntax highlighting of code blocks: CSS classes only, no client-side script.

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix, so highlighting classes never collide with the site's own.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Holds the grammar set, which is costly to load: build one per catalogue load.
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
        }
    }
}

impl Highlighter {
    /// Returns the complete `<pre>` element for `code` written in `language`.
    ///
    /// Unknown languages and grammar failures fall back to escaped plain text: a code
    /// block is never an error.
    pub fn highlight(&self, code: &str, language: &str) -> String {
        let language = language.trim();
        let syntax = (!language.is_empty())
            .then(|| {
                self.syntaxes
                    .find_syntax_by_token(language)
                    .or_else(|| self.syntaxes.find_syntax_by_token(alias(language)))
            })
            .flatten();
        let label = html_escape::encode_double_quoted_attribute(language);
        let lang_attr = if language.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{label}\"")
        };
        let body = syntax
            .and_then(|syntax| {
                let mut generator =
                    ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
                for line in LinesWithEndings::from(code) {
                    generator
                        .parse_html_for_line_which_includes_newline(line)
                        .ok()?;
                }
                Some(generator.finalize())
            })
            .unwrap_or_else(|| html_escape::encode_text(code).into_owned());
        // Focusable so keyboard users can scroll long lines (WCAG 2.1.1).
        format!("<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{body}</code></pre>")
    }
}

/// Names authors use that the bundled grammars know under another token.
fn alias(language: &str) -> &str {
    match language.to_ascii_lowercase().as_str() {
        "shell" | "console" | "zsh" => "bash",
        "golang" => "go",
        "yml" => "yaml",
        "js" | "javascript" => "js",
        "ts" | "typescript" => "js",
        "py" | "python3" => "python",
        "rs" => "rust",
        "postgres" | "postgresql" | "psql" => "sql",
        _ => "txt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_prefixed_classes() {
        let html = Highlighter::default().highlight("fn main() { let x = 1; }\n", "rust");
        assert!(
            html.starts_with("<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code>"),
            "{html}"
        );
        assert!(html.contains("hl-keyword"), "{html}");
    }

    #[test]
    fn escapes_code_in_any_language() {
        let highlighter = Highlighter::default();
        for language in ["", "python", "no-such-language"] {
            let html = highlighter.highlight("<script>alert(1)</script>\n", language);
            assert!(!html.contains("<script"), "{language}: {html}");
            assert!(html.contains("&lt;"), "{language}: {html}");
        }
    }

    #[test]
    fn escapes_the_language_label() {
        let html = Highlighter::default().highlight("x", "\"onmouseover=alert(1)");
        assert!(!html.contains("\"onmouseover"), "{html}");
    }
}
