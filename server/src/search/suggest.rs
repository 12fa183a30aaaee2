//! Words near a word: "did you mean" suggestions, and the typo expansion of query words.
//!
//! Both scan a [`Lexicon`], a sorted word list bucketed by length in characters, with an
//! edit distance that gives up as soon as a word is out of reach. A misspelt word is
//! compared with the few words of a similar length, and most of those are dismissed after
//! their first letters, so a query pays microseconds, not a pass over every word.

/// Which edits a distance counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edits {
    /// Insertions, deletions and substitutions (Levenshtein).
    Plain,
    /// Those, plus swapping two adjacent letters as one edit, as the index's typo
    /// matching counts them ("recieve" is one edit from "receive").
    WithTranspositions,
}

/// Longest word compared, in characters (the index keeps no longer words either).
const MAX_CHARS: usize = 64;

/// The edit distance between `a` and `b` if it is at most `max`, else `None`.
///
/// Stops at the first row of the table whose every cell exceeds `max`: from there the
/// distance can only grow. No allocation: rows live on the stack.
pub fn distance_within(a: &[char], b: &[char], max: usize, edits: Edits) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max || a.len() > MAX_CHARS || b.len() > MAX_CHARS {
        return None;
    }
    let width = b.len() + 1;
    // Cells hold at most MAX_CHARS + 1, which fits a byte.
    let mut before = [0u8; MAX_CHARS + 1];
    let mut previous = [0u8; MAX_CHARS + 1];
    let mut current = [0u8; MAX_CHARS + 1];
    for (j, cell) in (0u8..).zip(previous.iter_mut().take(width)) {
        *cell = j;
    }
    let max = u8::try_from(max).unwrap_or(u8::MAX);
    for (i, &ca) in a.iter().enumerate() {
        current[0] = previous[0] + 1;
        let mut row_min = current[0];
        for (j, &cb) in b.iter().enumerate() {
            let mut cell = (previous[j] + u8::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            if edits == Edits::WithTranspositions
                && i > 0
                && j > 0
                && ca == b[j - 1]
                && a[i - 1] == cb
            {
                cell = cell.min(before[j - 1] + 1);
            }
            current[j + 1] = cell;
            row_min = row_min.min(cell);
        }
        if row_min > max {
            return None;
        }
        before[..width].copy_from_slice(&previous[..width]);
        previous[..width].copy_from_slice(&current[..width]);
    }
    Some(previous[b.len()])
        .filter(|distance| *distance <= max)
        .map(usize::from)
}

/// A sorted, deduplicated word list, indexed by length for near-word scans.
#[derive(Debug, Default)]
pub struct Lexicon {
    words: Vec<String>,
    /// Every word's characters, end to end, so a scan decodes no UTF-8.
    letters: Vec<char>,
    /// `letters[starts[i]..starts[i + 1]]` are the characters of `words[i]`.
    starts: Vec<usize>,
    /// `by_length[n]`: the positions in `words` of the words of `n` characters.
    by_length: Vec<Vec<u32>>,
}

impl Lexicon {
    pub fn new(words: impl IntoIterator<Item = String>) -> Lexicon {
        let mut words: Vec<String> = words.into_iter().collect();
        words.sort_unstable();
        words.dedup();
        let mut by_length: Vec<Vec<u32>> = Vec::new();
        let mut letters = Vec::new();
        let mut starts = vec![0];
        for (position, word) in words.iter().enumerate() {
            letters.extend(word.chars());
            starts.push(letters.len());
            let length = word.chars().count();
            if by_length.len() <= length {
                by_length.resize_with(length + 1, Vec::new);
            }
            // A lexicon of more than 4 billion words cannot be held in memory anyway.
            by_length[length].push(u32::try_from(position).unwrap_or(u32::MAX));
        }
        Lexicon {
            words,
            letters,
            starts,
            by_length,
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|probe| probe.as_str().cmp(word))
            .is_ok()
    }

    /// The words beginning with `prefix` (the prefix itself included), in order.
    pub fn starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let start = self.words.partition_point(|word| word.as_str() < prefix);
        self.words[start..]
            .iter()
            .map(String::as_str)
            .take_while(move |word| word.starts_with(prefix))
    }

    /// Every word within `max` edits of `word`, with its distance, in lexicon order.
    pub fn within(&self, word: &str, max: usize, edits: Edits) -> Vec<(usize, &str)> {
        let target: Vec<char> = word.chars().collect();
        let lengths = target.len().saturating_sub(max)..=target.len() + max;
        let mut found: Vec<(u32, usize)> = Vec::new();
        for length in lengths {
            for &position in self.by_length.get(length).map_or(&[][..], Vec::as_slice) {
                let at = position as usize;
                let (Some(&start), Some(&end)) = (self.starts.get(at), self.starts.get(at + 1))
                else {
                    continue;
                };
                let Some(candidate) = self.letters.get(start..end) else {
                    continue;
                };
                if let Some(distance) = distance_within(&target, candidate, max, edits) {
                    found.push((position, distance));
                }
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|(position, distance)| {
                Some((distance, self.words.get(position as usize)?.as_str()))
            })
            .collect()
    }

    /// Up to `limit` words within 3 edits of `word` (fewer for short words), closest
    /// first, not counting `word` itself.
    pub fn closest(&self, word: &str, limit: usize) -> Vec<&str> {
        let length = word.chars().count();
        let max = 3.min(length.max(2) - 1);
        let mut scored: Vec<(usize, &str)> = self
            .within(word, max, Edits::Plain)
            .into_iter()
            .filter(|(distance, _)| *distance > 0)
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(limit)
            .map(|(_, word)| word)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full edit distance: the reference the bounded one is checked against.
    fn edit_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut previous: Vec<usize> = (0..=b.len()).collect();
        let mut current = vec![0; b.len() + 1];
        for (i, ca) in a.iter().enumerate() {
            current[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let substitution = previous[j] + usize::from(ca != cb);
                current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            }
            std::mem::swap(&mut previous, &mut current);
        }
        previous[b.len()]
    }

    fn chars(word: &str) -> Vec<char> {
        word.chars().collect()
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("circut", "circuit"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("café", "cafe"), 1);
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_one_within_its_bound() {
        let words = [
            "",
            "a",
            "abc",
            "cache",
            "caches",
            "cahce",
            "circuit",
            "circut",
            "kitten",
            "sitting",
            "thundering",
            "thundring",
            "café",
            "cafe",
            "キャッシュ",
            "キャシュ",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for max in 0..4 {
                    let bounded = distance_within(&chars(a), &chars(b), max, Edits::Plain);
                    assert_eq!(bounded, (full <= max).then_some(full), "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit_with_transpositions() {
        let (a, b) = (chars("recieve"), chars("receive"));
        assert_eq!(distance_within(&a, &b, 2, Edits::Plain), Some(2));
        assert_eq!(
            distance_within(&a, &b, 2, Edits::WithTranspositions),
            Some(1)
        );
        assert_eq!(
            distance_within(&chars("ab"), &chars("ba"), 1, Edits::WithTranspositions),
            Some(1)
        );
    }

    #[test]
    fn suggests_the_nearest_words() {
        let lexicon = Lexicon::new(["sharding", "sharing", "charting", "cache"].map(String::from));
        assert_eq!(lexicon.closest("shardng", 2), vec!["sharding", "sharing"]);
        assert!(lexicon.closest("zzzzzzzz", 2).is_empty());
        assert!(
            lexicon.closest("cache", 2).is_empty(),
            "a word is not its own suggestion"
        );
    }

    #[test]
    fn finds_words_by_prefix_and_by_typo() {
        let lexicon = Lexicon::new(
            [
                "idempotent",
                "idempotency",
                "idea",
                "circuit",
                "circuits",
                "idempotency",
            ]
            .map(String::from),
        );
        assert!(lexicon.contains("idea"));
        assert!(!lexicon.contains("ide"));
        assert_eq!(
            lexicon.starting_with("idempot").collect::<Vec<_>>(),
            vec!["idempotency", "idempotent"]
        );
        assert_eq!(lexicon.starting_with("zz").count(), 0);
        assert_eq!(
            lexicon.within("circut", 1, Edits::WithTranspositions),
            vec![(1, "circuit")]
        );
        assert_eq!(
            lexicon.within("circut", 2, Edits::WithTranspositions),
            vec![(1, "circuit"), (2, "circuits")]
        );
    }
}
