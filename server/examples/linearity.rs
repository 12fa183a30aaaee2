//! Linearity check, benchmark-style (timed, so not a test): for each input family,
//! doubling the input's size must not take more than about 2.5 times as long. Families are
//! the shapes that make parsers go quadratic: deep nesting, long runs of delimiters that
//! never close, many links, wide tables, raw HTML, and the two other parsers a reader's
//! input reaches (search queries, the estimate calculator's URL state).
//!
//! `cargo run --release -p server --example linearity [NAME]` prints one line per doubling
//! (of every family, or those whose name contains NAME) and exits with status 1 if any
//! ratio is over the limit. It counts the CPU time of its own thread (to the nanosecond),
//! not wall-clock time, so other work on the machine skews it little; the caches it shares
//! still do, so a doubling over the limit is measured again before it counts.
//!
//! It runs with the server's allocator, told to keep the memory it frees. By default
//! jemalloc hands freed pages back to the kernel on a timer; rendering one input over and
//! over, as a measurement does, then pays page faults for a share of its memory that grows
//! with how long each render takes, not with the parser's work (unclosed brackets at
//! 128 KB: ×2.9–3.2 against ×1.7–2.1 with the memory kept). A server renders a page once
//! per load, where each page is touched once either way.

use app::sim::estimate::{read_query, PRESETS};
use server::catalogue::{load_catalogue, SourceFile};
use server::search::{SearchIndex, SearchRequest};
use std::time::Duration;

/// The allocator the `cairn` binary runs with: allocation is much of a parse's time.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The largest acceptable time ratio for a doubled input.
const LIMIT: f64 = 2.5;
/// Below this a measurement is mostly fixed cost and timer noise: not judged.
const NOISE_FLOOR: Duration = Duration::from_micros(500);

/// `unit` repeated to about `bytes` bytes.
fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

fn page(body: &str) -> SourceFile {
    SourceFile::new(
        "notes/page.md",
        format!("---\ntitle: Linearity\nsummary: A generated page.\n---\n{body}\n"),
    )
}

/// CPU time per run: the average over as many runs as take at least `WINDOW`, and the
/// least of `WINDOWS` such averages, since other work on the machine can only ever add time.
fn time(run: &dyn Fn()) -> Duration {
    run(); // warm-up: first-touch page faults and lazily built tables are not the input's cost
    let clock = || cpu_time::ThreadTime::now().as_duration();
    (0..WINDOWS)
        .map(|_| {
            let started = clock();
            let mut runs = 0u32;
            loop {
                run();
                runs += 1;
                let spent = clock().saturating_sub(started);
                if spent >= WINDOW {
                    return spent / runs;
                }
            }
        })
        .min()
        .unwrap_or_default()
}

/// How many times a doubling over the limit is measured again before it counts, and the
/// pause before each.
const RETRIES: usize = 4;
const PAUSE: Duration = Duration::from_millis(500);

fn ratio(after: Duration, before: Duration) -> f64 {
    after.as_secs_f64() / before.as_secs_f64()
}

/// How long each measurement window lasts, and how many there are per size.
const WINDOW: Duration = Duration::from_millis(100);
const WINDOWS: usize = 3;

/// jemalloc's settings for the measurement; read when the process starts, so the check
/// starts itself again with them.
const KEEP_FREED_MEMORY: (&str, &str) =
    ("_RJEM_MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1");

fn main() {
    if std::env::var_os(KEEP_FREED_MEMORY.0).is_none() {
        let status = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env(KEEP_FREED_MEMORY.0, KEEP_FREED_MEMORY.1)
                .status()
        });
        match status {
            Ok(status) => std::process::exit(status.code().unwrap_or(1)),
            Err(error) => {
                eprintln!("could not start the check again with the allocator settings: {error}");
                std::process::exit(2);
            }
        }
    }
    type Family = (&'static str, Box<dyn Fn(usize) -> Box<dyn Fn()>>);
    let markdown = |name: &'static str, unit: &'static str| -> Family {
        (
            name,
            Box::new(move |bytes| {
                let file = page(&repeat_to(unit, bytes));
                Box::new(move || {
                    let _ = load_catalogue(vec![file.clone()]);
                })
            }),
        )
    };
    let index = {
        let catalogue = load_catalogue(vec![page(
            "## Caching\n\nThe cache holds hot keys with a TTL; a miss reads the database.\n",
        )])
        .expect("the seed page loads");
        std::sync::Arc::new(SearchIndex::build(&catalogue).expect("the index builds"))
    };
    let families: Vec<Family> = vec![
        markdown("plain paragraphs", "Words in a paragraph about caches and queues.\n\n"),
        markdown("nested lists", "- item\n  - nested\n    - deeper\n"),
        markdown("nested quotes", "> > > > quoted text\n"),
        markdown("unclosed emphasis", "*a _b **c __d "),
        markdown("unclosed brackets", "[[[[ ![ ]( "),
        markdown("unclosed backticks", "`` ``` a ` b "),
        markdown("links", "[cache](https://example.com/cache) and <https://example.com> "),
        markdown("wide table", "| a | b | c | d | e | f | g | h |\n|---|---|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n"),
        markdown("raw HTML", "<div><span onclick=\"x\"><script>x</script><img src=x onerror=y></span></div>\n"),
        markdown("unclosed HTML", "<div <span <a href=\"x "),
        markdown("headings", "## A heading about caching\n\ntext\n\n"),
        markdown("code blocks", "```rust\nfn main() { let x = 1; }\n```\n\n"),
        markdown("footnotes", "Text[^a] more[^b].\n\n[^a]: One.\n[^b]: Two.\n\n"),
        (
            "search query",
            Box::new({
                let index = index.clone();
                move |bytes| {
                    let index = index.clone();
                    let text = repeat_to("cache \"hot keys\" databse* ", bytes);
                    Box::new(move || {
                        let _ = index.search(&SearchRequest {
                            text: text.clone(),
                            category: None,
                            tag: None,
                            level: None,
                            limit: 10,
                            offset: 0,
                        });
                    })
                }
            }),
        ),
        (
            "estimate URL state",
            Box::new(|bytes| {
                let query = repeat_to("est1.users=200M&est1.peak=%zz&x=%41+&", bytes);
                Box::new(move || {
                    let _ = read_query(&query, 1, PRESETS[0].inputs);
                })
            }),
        ),
    ];

    // `linearity brackets` checks only the families whose name contains "brackets".
    let only = std::env::args().nth(1).unwrap_or_default();
    let mut worst: f64 = 0.0;
    let mut failed = Vec::new();
    for (name, make) in families.iter().filter(|(name, _)| name.contains(&*only)) {
        let mut previous: Option<Duration> = None;
        let mut line = format!("{name:>20}:");
        for bytes in (10..=17).map(|power| 1usize << power) {
            let mut elapsed = time(&*make(bytes));
            if let Some(before) = previous.as_mut() {
                // A doubling over the limit is measured again, both sizes, after a pause,
                // keeping the least time of each: a burst of other work on the machine (a
                // neighbour's, on a shared host) passes, a parser that really is superlinear
                // is over the limit every time.
                for _ in 0..RETRIES {
                    if *before < NOISE_FLOOR || ratio(elapsed, *before) <= LIMIT {
                        break;
                    }
                    std::thread::sleep(PAUSE);
                    *before = (*before).min(time(&*make(bytes / 2)));
                    elapsed = elapsed.min(time(&*make(bytes)));
                }
            }
            line.push_str(&format!(
                " {}KB {:.1}ms",
                bytes / 1024,
                elapsed.as_secs_f64() * 1e3
            ));
            if let Some(before) = previous {
                if before >= NOISE_FLOOR {
                    let ratio = ratio(elapsed, before);
                    worst = worst.max(ratio);
                    line.push_str(&format!(" (x{ratio:.2})"));
                    if ratio > LIMIT {
                        failed.push(format!("{name} at {} KB: x{ratio:.2}", bytes / 1024));
                    }
                }
            }
            previous = Some(elapsed);
        }
        println!("{line}");
    }
    println!("worst ratio for a doubled input: x{worst:.2} (limit x{LIMIT})");
    if !failed.is_empty() {
        println!("over the limit: {}", failed.join("; "));
        std::process::exit(1);
    }
}
