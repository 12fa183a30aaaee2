//! Health endpoints for load balancers and orchestrators.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Shallow: the process is up and answering.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

/// Ready: the catalogue is loaded and its pages are rendered.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let pages = state.0.catalogue.page_count();
    if pages == 0 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the catalogue has no pages\n".to_string(),
        );
    }
    (
        StatusCode::OK,
        format!(
            "ready: {pages} pages in {} categories\n",
            state.0.catalogue.categories().len()
        ),
    )
}
