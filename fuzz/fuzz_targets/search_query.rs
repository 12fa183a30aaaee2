//! The search query path: any text (with any filters, limit and offset) is parsed and run
//! against a small index built once from two pages. No query may panic or hang.
#![no_main]

use app::model::Level;
use libfuzzer_sys::fuzz_target;
use server::catalogue::{load_catalogue, Catalogue, SourceFile};
use server::search::{SearchIndex, SearchRequest};
use std::sync::OnceLock;

fn index() -> &'static (Catalogue, SearchIndex) {
    static INDEX: OnceLock<(Catalogue, SearchIndex)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let catalogue = load_catalogue(vec![
            SourceFile::new(
                "caching/cache-aside.md",
                "---\ntitle: Cache-aside\nsummary: Load into the cache on a miss.\ntags: [cache, ttl]\naliases: [lazy loading]\nlevel: intro\n---\n## The problem\n\nReads are slow; the database is far away.\n\n## How it works\n\nOn a miss the application reads the database and fills the cache with a TTL.\n",
            ),
            SourceFile::new(
                "resilience/circuit-breaker.md",
                "---\ntitle: Circuit breaker\nsummary: Stop calling a dependency that keeps failing.\ntags: [resilience]\nlevel: advanced\n---\n## Failure modes\n\nThe breaker opens after repeated failures and half-opens to probe recovery, \"thundering herd\" aside.\n",
            ),
        ])
        .expect("the seed pages load");
        let index = SearchIndex::build(&catalogue).expect("the seed index builds");
        (catalogue, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, index) = index();
    // The first bytes choose the knobs; the rest is the query text.
    let (knobs, text) = data.split_at(data.len().min(4));
    let knob = |at: usize| knobs.get(at).copied().unwrap_or(0);
    let request = SearchRequest {
        text: String::from_utf8_lossy(text).into_owned(),
        category: (knob(0) & 1 == 1).then(|| "caching".to_string()),
        tag: (knob(0) & 2 == 2).then(|| "cache".to_string()),
        level: match knob(0) >> 6 {
            1 => Some(Level::Intro),
            2 => Some(Level::Advanced),
            _ => None,
        },
        // The HTTP layer allows limit 1..=50 and offset 0..=1000.
        limit: 1 + usize::from(knob(1)) % 50,
        offset: usize::from(u16::from_le_bytes([knob(2), knob(3)])) % 1001,
    };
    let _ = index.search(&request);
});
