//! Reading a query leniently: any string is a valid query. Words, quoted phrases and the
//! word being typed are pulled out; nothing else has meaning, so nothing can fail to parse.

/// Longer queries are cut here (in characters), so a query's cost is bounded.
pub const MAX_QUERY_CHARS: usize = 256;
/// At most this many words are searched; the rest are ignored.
pub const MAX_WORDS: usize = 16;
/// Words longer than this are not words (tantivy drops them from the index too).
const MAX_WORD_CHARS: usize = 40;

/// A query after lenient parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Lowercased words outside quotes.
    pub words: Vec<String>,
    /// Lowercased word sequences that were inside double quotes.
    pub phrases: Vec<Vec<String>>,
    /// The last word is still being typed (no space after it): match it as a prefix too.
    pub last_word_is_prefix: bool,
}

impl ParsedQuery {
    pub fn parse(text: &str) -> ParsedQuery {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let mut parsed = ParsedQuery::default();
        let mut word_count = 0;
        for (index, part) in text.split('"').enumerate() {
            // Odd parts are inside quotes; an unclosed quote still counts as a phrase.
            let words: Vec<String> = split_words(part)
                .into_iter()
                .take(MAX_WORDS.saturating_sub(word_count))
                .collect();
            word_count += words.len();
            if index % 2 == 1 && words.len() > 1 {
                parsed.phrases.push(words);
            } else {
                parsed.words.extend(words);
            }
        }
        let ends_in_word = text.chars().last().is_some_and(|ch| ch.is_alphanumeric())
            && text.matches('"').count().is_multiple_of(2);
        parsed.last_word_is_prefix = ends_in_word && !parsed.words.is_empty();
        parsed
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// Every word, in and out of phrases, for highlighting.
    pub fn all_words(&self) -> Vec<String> {
        let mut all = self.words.clone();
        all.extend(self.phrases.iter().flatten().cloned());
        all.sort();
        all.dedup();
        all
    }
}

/// Splits like the index's tokenizer: runs of letters and digits, lowercased.
pub fn split_words(text: &str) -> Vec<String> {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty() && word.chars().count() <= MAX_WORD_CHARS)
        .map(str::to_lowercase)
        .collect()
}

/// How many edits a word may be from a match: none below 5 letters, 1 from 5, 2 from 9.
pub fn typo_allowance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_the_word_being_typed() {
        let parsed = ParsedQuery::parse("Circuit \"half open\" state idempot");
        assert_eq!(parsed.words, vec!["circuit", "state", "idempot"]);
        assert_eq!(
            parsed.phrases,
            vec![vec!["half".to_string(), "open".to_string()]]
        );
        assert!(parsed.last_word_is_prefix);
        assert!(!ParsedQuery::parse("cache aside ").last_word_is_prefix);
        assert!(!ParsedQuery::parse("\"cache aside\"").last_word_is_prefix);
    }

    #[test]
    fn hostile_strings_parse_to_something_harmless() {
        let long_parens = "(".repeat(10_000);
        for text in [
            "",
            "   ",
            "- *",
            "a:(^",
            long_parens.as_str(),
            "\"",
            "\"\"\"",
            "<script>alert(1)</script>",
            "日本語 キャッシュ",
            "🙂🙂",
            "\u{0}\u{feff}",
            "AND OR NOT",
            "field:value^3~2",
        ] {
            let parsed = ParsedQuery::parse(text);
            assert!(
                parsed.words.len() + parsed.phrases.iter().map(Vec::len).sum::<usize>()
                    <= MAX_WORDS,
                "{text}"
            );
        }
        assert!(ParsedQuery::parse("- *").is_empty());
        assert!(ParsedQuery::parse(&long_parens).is_empty());
        assert_eq!(ParsedQuery::parse("a:(^").words, vec!["a"]);
        assert_eq!(
            ParsedQuery::parse("<script>alert(1)</script>").words,
            vec!["script", "alert", "1", "script"]
        );
        assert_eq!(
            ParsedQuery::parse("日本語 キャッシュ").words,
            vec!["日本語", "キャッシュ"]
        );
    }

    #[test]
    fn long_queries_are_capped() {
        let parsed = ParsedQuery::parse(&"word ".repeat(1000));
        assert_eq!(parsed.words.len(), MAX_WORDS);
        let unclosed = ParsedQuery::parse("\"one two three");
        assert_eq!(
            unclosed.phrases.len(),
            1,
            "an unclosed quote is still a phrase"
        );
        assert!(!unclosed.last_word_is_prefix);
    }

    #[test]
    fn typo_allowance_grows_with_word_length() {
        assert_eq!(typo_allowance("lock"), 0);
        assert_eq!(typo_allowance("circut"), 1);
        assert_eq!(typo_allowance("thundring"), 2);
    }
}
