//! Load-time errors: every one names the file and line an author has to fix.

use std::fmt;

/// One problem found in the content, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct ContentError {
    /// Path of the file relative to its content root, e.g. `caching/cache-aside.md`.
    pub file: String,
    /// 1-based line number in that file.
    pub line: usize,
    pub kind: ContentErrorKind,
}

/// What is wrong, in words an author can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentErrorKind {
    #[error("the front matter is not closed: add a closing `{0}` line after the fields")]
    UnclosedFrontMatter(&'static str),
    #[error("the front matter is not valid {format}: {message}")]
    FrontMatterSyntax {
        format: &'static str,
        message: String,
    },
    #[error("front matter field `{field}` {problem}")]
    FrontMatterField { field: String, problem: String },
    #[error("the page has no title: add `title:` to the front matter or start with a `#` heading")]
    MissingTitle,
    #[error("the page slug `{slug}` is also used by {other}: rename one of the files")]
    DuplicateSlug { slug: String, other: String },
    #[error("unknown widget `{kind}`: use one of {known}")]
    UnknownWidget { kind: String, known: String },
    #[error("widget block is empty: write the widget kind, e.g. `estimate preset=twitter`")]
    EmptyWidget,
    #[error("widget `{kind}`: {problem}")]
    WidgetParameter { kind: String, problem: String },
    #[error("broken link to `{target}`: {problem}")]
    BrokenLink { target: String, problem: String },
    #[error("the file is not valid UTF-8 text")]
    NotUtf8,
    #[error("learning path step {step}: {problem}")]
    PathStep { step: usize, problem: String },
}

/// All the problems found in one load, so an author can fix them in one go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "{count} content error{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}
