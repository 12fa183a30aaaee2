//! Health endpoints for load balancers and orchestrators.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::fmt::Write;

/// Shallow: the process is up and answering.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

/// Ready: a catalogue is loaded and its pages are rendered. A failed reload leaves the
/// replica ready (it serves the last good catalogue) and says so.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let edition = state.0.live.current();
    let pages = edition.catalogue.page_count();
    if pages == 0 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the catalogue has no pages\n".to_string(),
        );
    }
    let mut body = format!(
        "ready: {pages} pages in {} categories (edition {})\n",
        edition.catalogue.categories().len(),
        edition.number
    );
    let problems = state.0.live.problems();
    if !problems.is_empty() {
        let _ = writeln!(
            body,
            "the last reload was refused; still serving edition {}:",
            edition.number
        );
        for problem in problems.iter() {
            let _ = writeln!(body, "  {problem}");
        }
    }
    (StatusCode::OK, body)
}
