//! Full-text search over the catalogue: one tantivy document per page and per section,
//! built in memory at start-up, queried leniently (typos, prefixes, phrases, aliases).

mod index;
mod query;
mod snippet;
mod suggest;

pub use index::{SearchIndex, SearchIndexError};
pub use query::{ParsedQuery, MAX_QUERY_CHARS};

use app::model::Level;

/// What a reader asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    pub text: String,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub level: Option<Level>,
    pub limit: usize,
    pub offset: usize,
}

/// One result: the best-matching section (or the page itself) of one page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub slug: String,
    pub title: String,
    pub category: String,
    /// The section heading, when the best match is inside a section.
    pub section: Option<String>,
    pub anchor: Option<String>,
    /// Where the hit links: the page, the section, and the terms to highlight there.
    pub url: String,
    /// Matched text with the terms in `<mark>`; everything else HTML-escaped.
    pub snippet: String,
    pub score: f32,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Matching pages in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<SearchHit>,
    /// Close vocabulary words, offered when nothing matched.
    pub suggestions: Vec<String>,
    /// True when no page had every word, so pages with any of them are shown.
    pub relaxed: bool,
}
