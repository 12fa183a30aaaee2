//! Live reload: a server-sent event stream that tells open tabs the content changed.
//!
//! Each message carries a counter of reload attempts; a tab reloads itself when the counter
//! moves past the one it first saw. The stream ends when the server shuts down, so open
//! tabs never hold a graceful shutdown open.

use super::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::convert::Infallible;

pub async fn changes(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = state.0.live.subscribe();
    let shutdown = state.0.shutdown.clone();
    let first = *changes.borrow();
    let stream = stream::unfold(
        (changes, shutdown, Some(first)),
        |(mut changes, mut shutdown, pending)| async move {
            if let Some(count) = pending {
                let event = Event::default().event("content").data(count.to_string());
                return Some((Ok(event), (changes, shutdown, None)));
            }
            if *shutdown.borrow() {
                return None;
            }
            tokio::select! {
                changed = changes.changed() => {
                    changed.ok()?;
                    let count = *changes.borrow_and_update();
                    let event = Event::default().event("content").data(count.to_string());
                    Some((Ok(event), (changes, shutdown, None)))
                }
                _ = shutdown.changed() => None,
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}
