//! Snippets: a window of a section's text around the matched words, with those words
//! marked. Every character of the text is HTML-escaped, so neither a page nor a query
//! can inject markup.

/// About this many characters of context are shown.
const WINDOW_CHARS: usize = 180;

/// Builds the snippet of `text` where `matches(word)` says which words to mark.
pub fn snippet(text: &str, matches: impl Fn(&str) -> bool) -> String {
    let words: Vec<(usize, &str)> = word_spans(text);
    let first_match = words.iter().position(|(_, word)| matches(&lowercase(word)));
    let start_byte = match first_match {
        // Start a little before the first match, at a word boundary.
        Some(index) => words[index.saturating_sub(6)].0,
        None => 0,
    };
    let mut end_byte = text.len();
    for (taken, (offset, ch)) in text[start_byte..].char_indices().enumerate() {
        if taken >= WINDOW_CHARS && ch.is_whitespace() {
            end_byte = start_byte + offset;
            break;
        }
    }
    let window = &text[start_byte..end_byte];
    let mut html = String::with_capacity(window.len() + 32);
    if start_byte > 0 {
        html.push_str("… ");
    }
    let mut last = 0;
    for (offset, word) in word_spans(window) {
        html.push_str(&html_escape::encode_text(&window[last..offset]));
        if matches(&lowercase(word)) {
            html.push_str("<mark>");
            html.push_str(&html_escape::encode_text(word));
            html.push_str("</mark>");
        } else {
            html.push_str(&html_escape::encode_text(word));
        }
        last = offset + word.len();
    }
    html.push_str(&html_escape::encode_text(&window[last..]));
    if end_byte < text.len() {
        html.push_str(" …");
    }
    html
}

/// `word` in lower case, copied only when that changes it: most words of prose are
/// lower-case ASCII already.
fn lowercase(word: &str) -> std::borrow::Cow<'_, str> {
    if word
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
    {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// Byte offsets and text of each run of letters and digits.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (offset, ch) in text.char_indices() {
        match (ch.is_alphanumeric(), start) {
            (true, None) => start = Some(offset),
            (false, Some(begin)) => {
                spans.push((begin, &text[begin..offset]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        spans.push((begin, &text[begin..]));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_and_escapes_everything() {
        let html = snippet("Use a <b>cache</b> & a TTL.", |word| {
            word == "cache" || word == "ttl"
        });
        assert_eq!(
            html,
            "Use a &lt;b&gt;<mark>cache</mark>&lt;/b&gt; &amp; a <mark>TTL</mark>."
        );
    }

    #[test]
    fn shows_a_window_around_the_first_match() {
        let text = format!(
            "{} breaker opens here {}",
            "filler ".repeat(100),
            "tail ".repeat(100)
        );
        let html = snippet(&text, |word| word == "breaker");
        assert!(html.starts_with("… filler"), "{html}");
        assert!(html.contains("<mark>breaker</mark> opens here"), "{html}");
        assert!(html.ends_with(" …"), "{html}");
        assert!(html.len() < 400, "{html}");
    }

    #[test]
    fn handles_multibyte_text() {
        let html = snippet("キャッシュ é café", |word| word == "café");
        assert_eq!(html, "キャッシュ é <mark>café</mark>");
    }
}
