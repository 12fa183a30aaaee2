//! The catalogue being served, replaced whole when the content reloads.
//!
//! A reload builds a complete new [`Edition`] (catalogue, search index, rendered pages) off
//! to the side and swaps it in with one pointer store. A request holds the edition it
//! started with until it finishes, so a reload never drops or mixes a request. When a
//! reload fails, the last good edition keeps serving and the problems are kept beside it,
//! for the log, `/readyz` and a banner on the affected pages.

use crate::catalogue::{Catalogue, ContentErrors};
use crate::http::RenderedSite;
use crate::search::SearchIndex;
use axum::http::HeaderValue;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use tokio::sync::watch;

/// One complete, consistent version of everything the site serves.
pub struct Edition {
    /// Counts successful loads: 1 at start-up, +1 per successful reload.
    pub number: u64,
    /// Pages without their blocks and section text: `site` and `search` hold what they became.
    pub catalogue: Catalogue,
    pub search: SearchIndex,
    pub site: RenderedSite,
    /// The Content-Security-Policy for this edition's pages (it allows their inline scripts).
    pub csp: HeaderValue,
    /// Servable files of the team's content folder, by path relative to it.
    pub files: BTreeMap<String, PathBuf>,
}

/// A problem the last reload ran into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The content file at fault, relative to the content folder, when there is one.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl Problem {
    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            file: None,
            line: None,
            message: message.into(),
        }
    }

    pub fn from_content_errors(errors: &ContentErrors) -> Vec<Problem> {
        errors
            .0
            .iter()
            .map(|error| Problem {
                file: Some(error.file.clone()),
                line: Some(error.line),
                message: error.kind.to_string(),
            })
            .collect()
    }
}

/// The served edition, the problems of the last reload, and a signal for open tabs.
pub struct LiveCatalogue {
    edition: RwLock<Arc<Edition>>,
    problems: RwLock<Arc<Vec<Problem>>>,
    /// Bumped after every reload attempt, good or bad, so open tabs refresh and show it.
    changes: watch::Sender<u64>,
}

impl LiveCatalogue {
    pub fn new(edition: Edition) -> Self {
        LiveCatalogue {
            edition: RwLock::new(Arc::new(edition)),
            problems: RwLock::new(Arc::new(Vec::new())),
            changes: watch::Sender::new(0),
        }
    }

    /// The edition to answer a request from.
    pub fn current(&self) -> Arc<Edition> {
        // A panic while holding the lock cannot leave a half-written Arc: recover the value.
        self.edition
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What went wrong in the last reload (empty when it succeeded).
    pub fn problems(&self) -> Arc<Vec<Problem>> {
        self.problems
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Serves `edition` from now on and clears the problems.
    pub fn publish(&self, edition: Edition) {
        *self.edition.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(edition);
        *self
            .problems
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(Vec::new());
        self.changes.send_modify(|count| *count += 1);
    }

    /// Keeps serving the current edition and records why the new one was refused.
    pub fn refuse(&self, problems: Vec<Problem>) {
        *self
            .problems
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(problems);
        self.changes.send_modify(|count| *count += 1);
    }

    /// Wakes on every reload attempt.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }
}
