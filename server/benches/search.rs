//! Search benchmark: a synthetic 10,000-page catalogue written with the built-in catalogue's
//! words, timed for index build and for four kinds of query. It measures; it asserts nothing.
//!
//! Before criterion runs, it prints what criterion does not give: p50/p99 latency per query
//! kind, one index build's wall time and the resident memory the index added.
//! `CAIRN_BENCH_QUICK=1` shrinks the corpus to 500 pages and prints only that table, so CI
//! can smoke-test the benchmark in seconds.
//!
//! Run: `cargo bench -p server --bench search`.

use criterion::{Criterion, SamplingMode};
use server::catalogue::source::builtin_files;
use server::catalogue::{load_catalogue, Catalogue, SourceFile};
use server::search::{SearchIndex, SearchRequest};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

const FULL_PAGES: usize = 10_000;
const QUICK_PAGES: usize = 500;
/// Queries of each kind, used in rotation so no single term's posting list dominates.
const QUERIES_PER_KIND: usize = 64;
/// Timed runs of each query for the percentile table.
const RUNS_PER_QUERY: usize = 20;
/// Fixed, so every run benchmarks the very same corpus and queries.
const SEED: u64 = 0xCA1E_5EED;
const CATEGORIES: [&str; 8] = [
    "caching",
    "messaging",
    "storage",
    "networking",
    "consistency",
    "resilience",
    "observability",
    "scaling",
];
const LEVELS: [&str; 3] = ["intro", "intermediate", "advanced"];
const SECTIONS_PER_PAGE: usize = 5;

fn main() {
    let quick = std::env::var("CAIRN_BENCH_QUICK").is_ok_and(|value| value == "1");
    let page_count = if quick { QUICK_PAGES } else { FULL_PAGES };
    let mut random = SplitMix64(SEED);

    let started = Instant::now();
    let words = RunningText::from_builtin_catalogue();
    let files = synthesize_pages(page_count, &words, &mut random);
    let synthesis_time = started.elapsed();

    let started = Instant::now();
    let catalogue = load_catalogue(files)
        .unwrap_or_else(|errors| panic!("the synthetic corpus must load cleanly:\n{errors}"));
    let load_time = started.elapsed();

    let rss_before = resident_megabytes();
    let started = Instant::now();
    let index = SearchIndex::build(&catalogue).expect("an in-memory index of valid pages builds");
    let build_time = started.elapsed();
    let rss_after = resident_megabytes();

    let queries = QueryKind::ALL.map(|kind| (kind, kind.generate(&catalogue, &mut random)));

    println!();
    println!(
        "corpus: {} pages, {} index documents in {} segment(s), {} distinct words (seed {SEED:#x}{})",
        catalogue.page_count(),
        index.document_count(),
        index.segment_count(),
        words.distinct_count(),
        if quick { ", quick mode" } else { "" },
    );
    println!(
        "synthesize Markdown: {:>9.1} ms",
        milliseconds(synthesis_time)
    );
    println!("load_catalogue:      {:>9.1} ms", milliseconds(load_time));
    println!("SearchIndex::build:  {:>9.1} ms", milliseconds(build_time));
    match (rss_before, rss_after) {
        (Some(before), Some(after)) => println!(
            "resident memory:     {before:.1} MB before the index, {after:.1} MB after (+{:.1} MB)",
            after - before
        ),
        _ => println!("resident memory:     not available (no /proc/self/status)"),
    }
    print_latency_table(&index, &queries);

    if quick {
        return;
    }
    // Plots would need gnuplot or the plotters feature; the numbers on the terminal suffice.
    let mut criterion = Criterion::default().without_plots().configure_from_args();
    bench_index_build(&mut criterion, &catalogue, build_time);
    bench_queries(&mut criterion, &index, &queries);
    criterion.final_summary();
}

/// SplitMix64: tiny, seedable and good enough to pick words; the bench needs determinism,
/// not cryptographic quality, so no `rand` dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// A number in `0..bound`; the modulo bias is negligible for bounds this small.
    fn below(&mut self, bound: usize) -> usize {
        assert!(bound > 0, "cannot pick from an empty range");
        (self.next_u64() % bound as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every word of the built-in catalogue in reading order, repeats kept.
///
/// Drawing uniformly from running text reproduces its word frequencies, which in English
/// are roughly Zipfian: "the" everywhere, "idempotency" now and then. Posting-list lengths,
/// and so query costs, then resemble a real handbook's.
struct RunningText {
    words: Vec<String>,
}

impl RunningText {
    fn from_builtin_catalogue() -> RunningText {
        let mut words = Vec::new();
        for file in builtin_files() {
            let text = String::from_utf8_lossy(&file.bytes);
            words.extend(
                text.split(|ch: char| !ch.is_alphabetic())
                    .filter(|word| word.chars().count() >= 3)
                    .map(str::to_lowercase),
            );
        }
        assert!(!words.is_empty(), "the built-in catalogue has words");
        RunningText { words }
    }

    fn distinct_count(&self) -> usize {
        let mut distinct: Vec<&str> = self.words.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct.len()
    }

    fn word<'a>(&'a self, random: &mut SplitMix64) -> &'a str {
        random.pick(&self.words).as_str()
    }

    /// `count` words separated by spaces.
    fn phrase(&self, count: usize, random: &mut SplitMix64) -> String {
        let words: Vec<&str> = (0..count).map(|_| self.word(random)).collect();
        words.join(" ")
    }

    /// `count` words cut into sentences of 6 to 16 words, each capitalised and ended with a
    /// full stop, so snippets look like prose.
    fn prose(&self, count: usize, random: &mut SplitMix64) -> String {
        let mut text = String::new();
        let mut written = 0;
        while written < count {
            let length = random.between(6, 16).min(count - written);
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&capitalise(&self.phrase(length, random)));
            text.push('.');
            written += length;
        }
        text
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes `count` pages as content files: front matter, then five `##` sections.
///
/// Values are quoted in YAML so a drawn word such as `null` or `yes` stays a string, and
/// bodies hold letters and full stops only: no links to check, no Markdown to trip over.
fn synthesize_pages(count: usize, words: &RunningText, random: &mut SplitMix64) -> Vec<SourceFile> {
    // Slugs come from titles, as authors write them. A numbered scheme (`page-00042`) would
    // put 10,000 numbers in the index's vocabulary, which no real handbook has.
    let mut slug_uses: HashMap<String, usize> = HashMap::new();
    (0..count)
        .map(|_| {
            let category = random.pick(&CATEGORIES);
            let title_words = words.phrase(random.between(2, 4), random);
            let title = capitalise(&title_words);
            let summary = words.prose(15, random);
            let tags: Vec<String> = (0..random.between(2, 4))
                .map(|_| format!("\"{}\"", words.word(random)))
                .collect();
            let level = random.pick(&LEVELS);
            let mut text = format!(
                "---\ntitle: \"{title}\"\nsummary: \"{summary}\"\ntags: [{}]\nlevel: {level}\n---\n",
                tags.join(", ")
            );
            for _ in 0..SECTIONS_PER_PAGE {
                let heading = capitalise(&words.phrase(random.between(2, 3), random));
                let body = words.prose(random.between(80, 150), random);
                text.push_str(&format!("\n## {heading}\n\n{body}\n"));
            }
            let mut slug = title_words.replace(' ', "-");
            let uses = slug_uses.entry(slug.clone()).or_insert(0);
            *uses += 1;
            if *uses > 1 {
                slug = format!("{slug}-{uses}");
            }
            SourceFile::new(format!("{category}/{slug}.md"), text)
        })
        .collect()
}

/// The four ways readers search, each exercising a different part of the query.
#[derive(Clone, Copy)]
enum QueryKind {
    /// Two common words, finished (trailing space): stemmed exact terms only.
    Exact,
    /// Two adjacent words in quotes: a phrase query over positions.
    Phrase,
    /// The first five letters of a word, still being typed: prefix plus typo expansion.
    Prefix,
    /// A 6-10 letter word with one letter changed: edit-distance automaton over the terms.
    Fuzzy,
}

impl QueryKind {
    const ALL: [QueryKind; 4] = [
        QueryKind::Exact,
        QueryKind::Phrase,
        QueryKind::Prefix,
        QueryKind::Fuzzy,
    ];

    fn name(self) -> &'static str {
        match self {
            QueryKind::Exact => "exact",
            QueryKind::Phrase => "phrase",
            QueryKind::Prefix => "prefix",
            QueryKind::Fuzzy => "fuzzy",
        }
    }

    /// Queries drawn from the loaded pages' section text, the very text the index holds, so
    /// exact and phrase queries always find at least the page they came from.
    fn generate(self, catalogue: &Catalogue, random: &mut SplitMix64) -> Vec<SearchRequest> {
        let sections: Vec<&str> = catalogue
            .pages()
            .flat_map(|page| &page.sections)
            .filter(|section| section.heading.is_some())
            .map(|section| section.text.as_str())
            .collect();
        assert!(!sections.is_empty(), "the synthetic pages have sections");
        let mut queries = Vec::with_capacity(QUERIES_PER_KIND);
        while queries.len() < QUERIES_PER_KIND {
            let words: Vec<&str> = random
                .pick(&sections)
                .split(|ch: char| !ch.is_alphabetic())
                .filter(|word| !word.is_empty())
                .collect();
            if let Some(text) = self.query_from(&words, random) {
                queries.push(SearchRequest {
                    text,
                    limit: 10,
                    ..SearchRequest::default()
                });
            }
        }
        queries
    }

    /// One query of this kind from a section's words, or `None` when the section has no
    /// suitable word where the dice fell.
    fn query_from(self, words: &[&str], random: &mut SplitMix64) -> Option<String> {
        if words.len() < 2 {
            return None;
        }
        let at = random.below(words.len() - 1);
        let word = words[at].to_lowercase();
        let letters = word.chars().count();
        match self {
            QueryKind::Exact => {
                let other = words[random.below(words.len())].to_lowercase();
                (other != word).then(|| format!("{word} {other} "))
            }
            QueryKind::Phrase => Some(format!("\"{word} {}\"", words[at + 1].to_lowercase())),
            QueryKind::Prefix => (letters > 5).then(|| word.chars().take(5).collect()),
            QueryKind::Fuzzy => (6..=10)
                .contains(&letters)
                .then(|| format!("{} ", misspell(&word, random))),
        }
    }
}

/// `word` with one letter replaced by a different one.
fn misspell(word: &str, random: &mut SplitMix64) -> String {
    let mut letters: Vec<char> = word.chars().collect();
    let at = random.below(letters.len());
    let alphabet: Vec<char> = ('a'..='z').filter(|&ch| ch != letters[at]).collect();
    letters[at] = *random.pick(&alphabet);
    letters.into_iter().collect()
}

/// Times every query `RUNS_PER_QUERY` times and prints p50/p99 per kind, in microseconds.
fn print_latency_table(index: &SearchIndex, queries: &[(QueryKind, Vec<SearchRequest>); 4]) {
    println!();
    println!(
        "{:<8} {:>9} {:>9} {:>14}   ({} queries x {} runs each)",
        "kind", "p50 us", "p99 us", "mean matches", QUERIES_PER_KIND, RUNS_PER_QUERY
    );
    for (kind, requests) in queries {
        // One untimed pass, so the first query of a kind does not pay for cold caches alone.
        let matches: usize = requests
            .iter()
            .map(|request| index.search(request).total)
            .sum();
        let mut samples: Vec<Duration> = Vec::with_capacity(requests.len() * RUNS_PER_QUERY);
        for _ in 0..RUNS_PER_QUERY {
            for request in requests {
                let started = Instant::now();
                black_box(index.search(black_box(request)));
                samples.push(started.elapsed());
            }
        }
        samples.sort_unstable();
        println!(
            "{:<8} {:>9.1} {:>9.1} {:>14.1}",
            kind.name(),
            microseconds(percentile(&samples, 0.50)),
            microseconds(percentile(&samples, 0.99)),
            matches as f64 / requests.len() as f64,
        );
    }
    println!();
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn bench_index_build(criterion: &mut Criterion, catalogue: &Catalogue, one_build: Duration) {
    let mut group = criterion.benchmark_group("index");
    // A build takes seconds: ten flat samples of one build each. Criterion notes that it
    // "cannot complete" them in time; giving it two builds a sample to hush that would
    // double a minute-long run for no better figure.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(one_build * 10);
    group.bench_function("build", |bencher| {
        bencher.iter(|| {
            SearchIndex::build(black_box(catalogue)).expect("the same build succeeded before")
        })
    });
    group.finish();
}

fn bench_queries(
    criterion: &mut Criterion,
    index: &SearchIndex,
    queries: &[(QueryKind, Vec<SearchRequest>); 4],
) {
    let mut group = criterion.benchmark_group("query");
    // A query takes milliseconds at 10k pages: 8 s fits criterion's 100 samples, 5 s does not.
    group.measurement_time(Duration::from_secs(8));
    for (kind, requests) in queries {
        group.bench_function(kind.name(), |bencher| {
            let mut rotation = requests.iter().cycle();
            bencher.iter(|| {
                let request = rotation
                    .next()
                    .expect("cycling a non-empty list never ends");
                index.search(black_box(request))
            })
        });
    }
    group.finish();
}

/// This process's resident set size (`VmRSS`), in megabytes; `None` off Linux.
fn resident_megabytes() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn microseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
