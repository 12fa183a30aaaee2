//! The HTTP layer: routes, handlers and the headers every response carries.

mod assets;
mod error;
mod health;
mod pages;
mod search;
mod security;
mod site;

pub use assets::{icon_href, theme_script_href};
pub use error::AppError;
pub use site::{RenderedSite, SiteAssets};

use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::catalogue::Catalogue;

/// Everything a request may need, shared by all handlers.
pub struct App {
    pub catalogue: Catalogue,
    pub search: crate::search::SearchIndex,
    pub site: RenderedSite,
    /// Site settings, for pages rendered per request (search).
    pub site_info: app::model::Site,
    pub assets: SiteAssets,
}

/// Cheap to clone: the handlers' shared state.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

/// Builds the whole router for `state`.
pub fn router(state: AppState) -> Router {
    let csp = security::content_security_policy(&state.0.site);
    let csp = axum::http::HeaderValue::from_str(&csp)
        .expect("the policy is built from ASCII hashes and keywords");
    Router::new()
        .route("/", get(pages::home))
        .route("/patterns/{slug}", get(pages::pattern))
        .route("/categories/{name}", get(pages::category))
        .route("/paths/{slug}", get(pages::learning_path))
        .route("/search", get(search::page))
        .route("/api/search", get(search::api))
        .route("/opensearch.xml", get(search::opensearch))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/assets/{file}", get(assets::embedded))
        .nest_service("/pkg", assets::pkg_service(&state.0.assets))
        .fallback(pages::not_found)
        .layer(axum::middleware::map_response_with_state(
            csp,
            security::add_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}
