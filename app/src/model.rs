//! The catalogue as the views see it: pages already rendered to blocks, ready to lay out.
//!
//! The server builds these once when it loads the content; the views only read them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How far into a subject a page goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Intro,
    Intermediate,
    Advanced,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Intro, Level::Intermediate, Level::Advanced];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Intro => "intro",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Intro => "Intro",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == text)
    }
}

/// One piece of a rendered page, in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// Trusted, already-sanitised HTML.
    Html(String),
    /// An interactive widget, placed where the author wrote its fenced block.
    Widget(WidgetSpec),
}

/// A widget as written in Markdown: its kind and its starting parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSpec {
    pub kind: WidgetKind,
    /// Parameters in the order the author wrote them.
    pub params: Vec<(String, String)>,
}

/// The widgets Cairn knows how to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WidgetKind {
    Estimate,
    CacheVisualizer,
    CircuitBreaker,
}

impl WidgetKind {
    pub const ALL: [WidgetKind; 3] = [
        WidgetKind::Estimate,
        WidgetKind::CacheVisualizer,
        WidgetKind::CircuitBreaker,
    ];

    /// The name used in a ```` ```widget ```` block.
    pub fn name(self) -> &'static str {
        match self {
            WidgetKind::Estimate => "estimate",
            WidgetKind::CacheVisualizer => "cache-visualizer",
            WidgetKind::CircuitBreaker => "circuit-breaker",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            WidgetKind::Estimate => "Back-of-the-envelope calculator",
            WidgetKind::CacheVisualizer => "Cache-pattern visualizer",
            WidgetKind::CircuitBreaker => "Circuit-breaker demo",
        }
    }

    pub fn from_name(name: &str) -> Option<WidgetKind> {
        WidgetKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// A heading inside a page, for the table of contents and deep links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// A link to another page, as shown in lists and navigation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    pub slug: String,
    pub title: String,
    pub summary: String,
}

/// A fully rendered catalogue page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub related: Vec<String>,
    pub level: Option<Level>,
    pub order: Option<i64>,
    /// The file this page came from, relative to its content root (for "edit this page").
    pub source_path: String,
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
}

impl Page {
    pub fn has_widgets(&self) -> bool {
        self.blocks
            .iter()
            .any(|block| matches!(block, Block::Widget(_)))
    }

    pub fn link(&self) -> PageLink {
        PageLink {
            slug: self.slug.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
        }
    }
}

/// A category: its overview text and its pages in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    pub title: String,
    pub summary: String,
    pub order: Option<i64>,
    pub source_path: Option<String>,
    pub blocks: Vec<Block>,
    pub pages: Vec<PageLink>,
}

/// One step of a learning path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathStep {
    pub page: PageLink,
    pub why: String,
}

/// An ordered reading list for onboarding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearningPath {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: Option<i64>,
    pub source_path: String,
    pub blocks: Vec<Block>,
    pub steps: Vec<PathStep>,
}

/// Where a page sits in a learning path, for "next in this path" links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathPosition {
    pub path_slug: String,
    pub path_title: String,
    pub step: usize,
    pub total: usize,
    pub next: Option<PageLink>,
}

/// Site-wide settings the views need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub title: String,
    /// Absolute base URL without a trailing slash, for canonical links (e.g. `https://cairn.example.com`).
    pub base_url: String,
    /// Template for "edit this page" links; `{path}` is replaced by the page's source path.
    pub edit_url_template: Option<String>,
    /// Where the stylesheet is served.
    pub stylesheet_href: String,
    /// Where the theme script is served.
    pub theme_script_href: String,
    /// The islands' JS module and main WASM module, fetched only when an island is wanted
    /// (see the loader in `app/assets/site.js`).
    pub islands_script_href: String,
    pub islands_wasm_href: String,
    pub icon_href: String,
    /// The team's logo, shown instead of the built-in mark.
    pub logo_href: Option<String>,
    /// The sub-path the site is served under behind a proxy (`/handbook`), or empty.
    pub path_prefix: String,
    /// Where open tabs listen for content changes (set with `--watch`).
    pub live_reload_url: Option<String>,
}

/// Everything the home page lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub categories: Vec<Category>,
    pub paths: Vec<LearningPath>,
    pub page_count: usize,
}

/// The neighbours of a page inside its category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbours {
    pub previous: Option<PageLink>,
    pub next: Option<PageLink>,
}

/// Category names mapped to their titles, for breadcrumbs.
pub type CategoryTitles = BTreeMap<String, String>;

/// One search result as the search page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHitView {
    pub title: String,
    pub category_title: String,
    pub section: Option<String>,
    pub url: String,
    /// Escaped text with the matched words in `<mark>`.
    pub snippet_html: String,
}

/// Everything the server-rendered search page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: String,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub level: Option<Level>,
    pub hits: Vec<SearchHitView>,
    pub total: usize,
    /// 1-based page number and the number of pages.
    pub page: usize,
    pub pages: usize,
    pub suggestions: Vec<String>,
    pub relaxed: bool,
    /// Category names and titles, for the filter and the "nothing found" list.
    pub categories: Vec<(String, String)>,
    /// Set when a filter was invalid: the message to show.
    pub error: Option<String>,
}
