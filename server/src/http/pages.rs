//! Page handlers: look up the already-rendered document and send it, compressed once,
//! with an ETag; a page whose file failed to reload carries a banner saying why.

use super::encoding::Encoding;
use super::site::RenderedDocument;
use super::AppState;
use crate::live::{Edition, Problem};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let edition = state.0.live.current();
    // The home page lists every problem of the last reload.
    let problems = state.0.live.problems();
    send(&edition.site.home, StatusCode::OK, &headers, &problems)
}

pub async fn pattern(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let edition = state.0.live.current();
    let source = edition
        .catalogue
        .page(&slug)
        .map(|entry| entry.page.source_path.clone());
    found_or_not(
        &state,
        &edition,
        edition.site.pages.get(&slug),
        source.as_deref(),
        &headers,
    )
}

pub async fn category(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let edition = state.0.live.current();
    let source = edition
        .catalogue
        .category(&name)
        .and_then(|category| category.source_path.clone());
    found_or_not(
        &state,
        &edition,
        edition.site.categories.get(&name),
        source.as_deref(),
        &headers,
    )
}

pub async fn learning_path(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let edition = state.0.live.current();
    let source = edition
        .catalogue
        .path(&slug)
        .map(|path| path.source_path.clone());
    found_or_not(
        &state,
        &edition,
        edition.site.paths.get(&slug),
        source.as_deref(),
        &headers,
    )
}

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let edition = state.0.live.current();
    send(
        &edition.site.not_found,
        StatusCode::NOT_FOUND,
        &headers,
        &[],
    )
}

fn found_or_not(
    state: &AppState,
    edition: &Edition,
    document: Option<&RenderedDocument>,
    source: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    match document {
        Some(document) => {
            let problems = state.0.live.problems();
            let own: Vec<Problem> = problems
                .iter()
                .filter(|problem| problem.file.is_some() && problem.file.as_deref() == source)
                .cloned()
                .collect();
            send(document, StatusCode::OK, headers, &own)
        }
        None => send(&edition.site.not_found, StatusCode::NOT_FOUND, headers, &[]),
    }
}

/// Sends `document`, or 304 when the client already holds this version. With `problems`,
/// sends a one-off copy with a banner instead (never cached: it goes once the file is fixed).
fn send(
    document: &RenderedDocument,
    status: StatusCode,
    headers: &HeaderMap,
    problems: &[Problem],
) -> Response {
    if !problems.is_empty() {
        return (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            with_banner(&document.html(), problems),
        )
            .into_response();
    }
    let (parts, body) = respond(document, status, headers).into_parts();
    Response::from_parts(parts, body.map(axum::body::Body::from).unwrap_or_default())
}

/// The answer for `document` without a banner: 304 when the request's `If-None-Match`
/// holds its ETag, otherwise the body in the best encoding the client accepts (`None`
/// for 304). The page fast path sends the same, with the security headers added.
pub(super) fn respond(
    document: &RenderedDocument,
    status: StatusCode,
    request: &HeaderMap,
) -> axum::http::Response<Option<Bytes>> {
    let fresh = status == StatusCode::OK
        && request
            .get(header::IF_NONE_MATCH)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| document.matches(value));
    let mut response = axum::http::Response::new(None);
    let headers = response.headers_mut();
    // Room for these and the security headers added later, so the map never grows.
    headers.reserve(12);
    headers.insert(header::ETAG, document.etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if fresh {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return response;
    }
    let encoding = Encoding::negotiate(
        request
            .get(header::ACCEPT_ENCODING)
            .and_then(|value| value.to_str().ok()),
    );
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Some(value) = encoding.header_value() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(value));
    }
    *response.status_mut() = status;
    *response.body_mut() = Some(document.body(encoding));
    response
}

/// The document with an alert at the top of `<main>` listing what is wrong in its file.
fn with_banner(html: &str, problems: &[Problem]) -> String {
    let items: String = problems
        .iter()
        .map(|problem| {
            format!(
                "<li><code>{}</code></li>",
                html_escape::encode_text(&problem.to_string())
            )
        })
        .collect();
    let banner = format!(
        "<div class=\"reload-problem\" role=\"alert\" data-test=\"reload-problem\"><p><strong>This content did not reload.</strong> \
         The last good version is shown until the file is fixed:</p><ul>{items}</ul></div>"
    );
    let marker = "<main id=\"main\" tabindex=\"-1\">";
    match html.find(marker) {
        Some(at) => {
            let insert = at + marker.len();
            format!("{}{banner}{}", &html[..insert], &html[insert..])
        }
        None => format!("{banner}{html}"),
    }
}
