//! `--watch`: reloads the team's content folder when a file in it changes.
//!
//! File events are debounced (an editor's save is often several events), then a whole new
//! edition is built on a blocking thread and swapped in. A load that fails keeps the last
//! good edition serving and records the problems (log, `/readyz`, a banner on the page).
//! If the folder itself disappears, the watcher notices when it comes back and reloads.

use crate::config::Config;
use crate::http::AppState;
use crate::live::Problem;
use crate::{build_edition, gather_content, StartError};
use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Quiet time after the last file event before reloading.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// How often a vanished folder is looked for.
const FOLDER_POLL: Duration = Duration::from_secs(1);

/// Starts watching `config.content` (if set) for the life of the process.
pub fn spawn_watcher(config: Config, state: AppState) {
    let Some(folder) = config.content.clone() else {
        return;
    };
    // Watch before returning, so no change after start-up can slip past unseen.
    let (sender, mut events) = mpsc::unbounded_channel::<()>();
    let mut watcher = watch(&folder, sender.clone());
    tokio::spawn(async move {
        // The catalogue was just loaded from the folder, so it was there: if it is gone by
        // the first look, that is a change to report.
        let mut present = true;
        loop {
            match tokio::time::timeout(FOLDER_POLL, events.recv()).await {
                Ok(Some(())) => {
                    // Let a burst of events settle, then reload once for all of them.
                    loop {
                        tokio::time::sleep(DEBOUNCE).await;
                        let mut more = false;
                        while events.try_recv().is_ok() {
                            more = true;
                        }
                        if !more {
                            break;
                        }
                    }
                }
                Ok(None) => return,
                Err(_) => {
                    // No event: only a folder that vanished or came back needs a look.
                    if folder.is_dir() == present {
                        continue;
                    }
                }
            }
            let now_present = folder.is_dir();
            if now_present && (!present || watcher.is_none()) {
                // A recreated folder is a new inode: the old watch is gone with the old one.
                watcher = watch(&folder, sender.clone());
            }
            present = now_present;
            reload(&config, &state).await;
        }
    });
}

/// Watches `folder` recursively, sending a unit on every event; `None` if it cannot.
fn watch(folder: &Path, sender: mpsc::UnboundedSender<()>) -> Option<notify::RecommendedWatcher> {
    let handler = move |event: notify::Result<notify::Event>| match event {
        // Reading files (our own reloads included) is not a change.
        Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => {}
        Ok(event) => {
            tracing::debug!(?event, "content changed");
            let _ = sender.send(());
        }
        Err(error) => {
            tracing::warn!(%error, "watching content");
            let _ = sender.send(());
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(error) => {
            tracing::error!(%error, "cannot watch for content changes");
            return None;
        }
    };
    match watcher.watch(folder, RecursiveMode::Recursive) {
        Ok(()) => {
            tracing::info!(folder = %folder.display(), "watching content for changes");
            Some(watcher)
        }
        Err(error) => {
            tracing::warn!(folder = %folder.display(), %error, "cannot watch the content folder; will retry when it appears");
            None
        }
    }
}

/// Builds a new edition from the folder and serves it, or keeps the last good one.
pub async fn reload(config: &Config, state: &AppState) {
    let started = Instant::now();
    let number = state.0.live.current().number + 1;
    tracing::debug!(edition = number, "reloading content");
    let job = {
        let config = config.clone();
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            let app = &state.0;
            let previous = app.live.current();
            gather_content(&config).and_then(|content| {
                build_edition(
                    number,
                    content,
                    &app.site_info,
                    &app.renderer,
                    Some(&previous),
                )
            })
        })
    };
    let problems = match job.await {
        Ok(Ok(edition)) => {
            let pages = edition.catalogue.page_count();
            state.0.live.publish(edition);
            state.0.metrics.reloads.fetch_add(1, Ordering::Relaxed);
            tracing::info!(edition = number, pages, elapsed = ?started.elapsed(), "content reloaded");
            return;
        }
        Ok(Err(StartError::Content(errors))) => Problem::from_content_errors(&errors),
        // A file that cannot be read is reported against that file, so its page says so.
        Ok(Err(StartError::ContentFolder { source, .. })) if source.file.is_some() => {
            vec![Problem {
                file: source.file,
                line: None,
                message: format!("cannot be read: {}", source.source),
            }]
        }
        Ok(Err(other)) => vec![Problem::general(other.to_string())],
        Err(error) => vec![Problem::general(format!(
            "the reload stopped unexpectedly: {error}"
        ))],
    };
    for problem in &problems {
        tracing::error!(
            file = problem.file.as_deref().unwrap_or("-"),
            line = problem.line.unwrap_or(0),
            message = %problem.message,
            "content reload refused; still serving the last good catalogue"
        );
    }
    state
        .0
        .metrics
        .reload_errors
        .fetch_add(1, Ordering::Relaxed);
    state.0.live.refuse(problems);
}
