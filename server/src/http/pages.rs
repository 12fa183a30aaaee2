//! Page handlers: look up the already-rendered document and send it, with an ETag.

use super::site::RenderedDocument;
use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    send(&state.0.site.home, StatusCode::OK, &headers)
}

pub async fn pattern(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    found_or_not(&state, state.0.site.pages.get(&slug), &headers)
}

pub async fn category(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    found_or_not(&state, state.0.site.categories.get(&name), &headers)
}

pub async fn learning_path(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    found_or_not(&state, state.0.site.paths.get(&slug), &headers)
}

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap) -> Response {
    send(&state.0.site.not_found, StatusCode::NOT_FOUND, &headers)
}

fn found_or_not(
    state: &AppState,
    document: Option<&RenderedDocument>,
    headers: &HeaderMap,
) -> Response {
    match document {
        Some(document) => send(document, StatusCode::OK, headers),
        None => send(&state.0.site.not_found, StatusCode::NOT_FOUND, headers),
    }
}

/// Sends `document`, or 304 when the client already holds this version.
fn send(document: &RenderedDocument, status: StatusCode, headers: &HeaderMap) -> Response {
    let fresh = status == StatusCode::OK
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .split(',')
                    .any(|tag| tag.trim() == document.etag || tag.trim() == "*")
            });
    let common = [
        (header::ETAG, document.etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        status,
        common,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        document.html.clone(),
    )
        .into_response()
}
