//! "Did you mean": the vocabulary words closest to a query word that matched nothing.

/// Edit distance between two words, counting characters (not bytes).
pub fn edit_distance(a: &str, b: &str) -> usize {
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

/// Up to `limit` vocabulary words within 3 edits of `word`, closest first.
pub fn closest<'a>(word: &str, vocabulary: &'a [String], limit: usize) -> Vec<&'a str> {
    let length = word.chars().count();
    let mut scored: Vec<(usize, &str)> = vocabulary
        .iter()
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= 3)
        .map(|candidate| (edit_distance(word, candidate), candidate.as_str()))
        .filter(|(distance, _)| *distance <= 3.min(length.max(2) - 1) && *distance > 0)
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, word)| word)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("circut", "circuit"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("café", "cafe"), 1);
    }

    #[test]
    fn suggests_the_nearest_words() {
        let vocabulary: Vec<String> = ["sharding", "sharing", "charting", "cache"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            closest("shardng", &vocabulary, 2),
            vec!["sharding", "sharing"]
        );
        assert!(closest("zzzzzzzz", &vocabulary, 2).is_empty());
    }
}
