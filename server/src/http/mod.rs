//! The HTTP layer: routes, handlers and the headers every response carries.

mod assets;
pub mod encoding;
mod error;
mod events;
mod files;
mod front_door;
mod health;
pub mod metrics;
mod pages;
mod search;
mod security;
pub mod serve;
mod site;

pub use assets::{icon_href, theme_script_href, Logo};
pub use error::AppError;
pub use front_door::FrontDoor;
pub use security::content_security_policy;
pub use site::{RenderedDocument, RenderedSite, SiteAssets};

use crate::live::LiveCatalogue;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use metrics::Metrics;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Everything a request may need, shared by all handlers.
pub struct App {
    /// The catalogue edition being served, swapped on reload.
    pub live: LiveCatalogue,
    /// Site settings, for pages rendered per request (search).
    pub site_info: app::model::Site,
    pub assets: SiteAssets,
    pub metrics: Metrics,
    /// Whether open tabs are told to refresh when the content changes (`--watch`).
    pub live_reload: bool,
    /// Kept for reloads: compiled highlighting rules and drawn diagrams are reused.
    pub renderer: crate::catalogue::MarkdownRenderer,
    /// The team's logo, when configured.
    pub logo: Option<Logo>,
    /// Turns true when the server starts shutting down, to end long-lived responses.
    pub shutdown: watch::Receiver<bool>,
}

/// Cheap to clone: the handlers' shared state.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

/// Where open tabs listen for content changes when live reload is on.
pub const LIVE_RELOAD_PATH: &str = "/_cairn/changes";

/// No request carries a body Cairn reads: refuse big ones early.
const BODY_LIMIT_BYTES: usize = 16 * 1024;
/// Longest a request may take before it is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Requests that arrive with the site's sub-path still on (a proxy that does not strip it)
/// are answered as if it had: `/handbook/patterns/x` is `/patterns/x`.
pub fn strip_path_prefix(
    mut request: axum::extract::Request,
    prefix: &str,
) -> axum::extract::Request {
    if prefix.is_empty() {
        return request;
    }
    let uri = request.uri();
    let Some(rest) = uri.path().strip_prefix(prefix) else {
        return request;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return request;
    }
    let path = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    if let Ok(rewritten) = path_and_query.parse::<axum::http::Uri>() {
        *request.uri_mut() = rewritten;
    }
    request
}

/// No handler reads a request body, so a request that came with one (a POST, an upload
/// refused with 413) leaves bytes on its connection that nobody read, and the connection
/// cannot carry another request. `Connection: close` says so, and the client opens a fresh
/// connection instead of sending its next request down one the server is closing.
async fn close_after_unread_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    let mut response = next.run(request).await;
    if has_body {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Builds the whole router for `state` (the [`FrontDoor`] answers plain page requests
/// before it).
pub fn router(state: AppState) -> Router {
    // Work done per request (search, reading a team file) gets a deadline; pages, assets and
    // health checks are lookups of ready bytes and skip the timer.
    let per_request = Router::new()
        .route("/search", get(search::page))
        .route("/api/search", get(search::api))
        .route("/files/{*path}", get(files::team_file))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    let routes = Router::new()
        .route("/", get(pages::home))
        .route("/patterns/{slug}", get(pages::pattern))
        .route("/categories/{name}", get(pages::category))
        .route("/paths/{slug}", get(pages::learning_path))
        .route("/opensearch.xml", get(search::opensearch))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/assets/{file}", get(assets::embedded))
        .nest_service("/pkg", assets::pkg_service(&state.0.assets))
        .merge(per_request)
        .fallback(pages::not_found);
    // The change stream (server-sent events) never finishes on its own: no deadline for it.
    let routes = if state.0.live_reload {
        routes.route(LIVE_RELOAD_PATH, get(events::changes))
    } else {
        routes
    };
    routes
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            BODY_LIMIT_BYTES,
        ))
        .layer(axum::middleware::from_fn(close_after_unread_body))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security::add_headers,
        ))
        // Pages arrive already compressed (they carry Content-Encoding, which this layer
        // leaves alone); it compresses only what is made per request, such as search.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::DEBUG))
                // One line per request costs a quarter of a page's serving time under load
                // (measured with bench/run.sh): answered requests log at debug; failures
                // (5xx) are still logged as errors by the layer.
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
        .with_state(state)
}
