//! Static files: the embedded theme script and icon, and the compiled `pkg/` folder.
//!
//! File names carry a content hash, so they are cached for a year and never revalidated.

use super::site::{hex, SiteAssets};
use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

const SITE_SCRIPT: &str = include_str!("../../../app/assets/site.js");
const ICON: &str = include_str!("../../../app/assets/icon.svg");

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// An embedded file and the hashed name it is served under.
struct Embedded {
    name: String,
    body: &'static str,
    content_type: &'static str,
}

fn embed(stem: &str, extension: &str, body: &'static str, content_type: &'static str) -> Embedded {
    let hash = hex(&Sha256::digest(body.as_bytes())[..8]);
    Embedded {
        name: format!("{stem}.{hash}.{extension}"),
        body,
        content_type,
    }
}

static EMBEDDED: LazyLock<[Embedded; 2]> = LazyLock::new(|| {
    [
        embed("site", "js", SITE_SCRIPT, "text/javascript; charset=utf-8"),
        embed("icon", "svg", ICON, "image/svg+xml"),
    ]
});

/// Public path of the page script (theme toggle, search-term highlighting).
pub fn theme_script_href() -> String {
    format!("/assets/{}", EMBEDDED[0].name)
}

/// Public path of the site icon.
pub fn icon_href() -> String {
    format!("/assets/{}", EMBEDDED[1].name)
}

/// The team's logo, read once at start-up and served under a content-hashed name.
#[derive(Debug)]
pub struct Logo {
    pub href: String,
    name: String,
    bytes: Bytes,
    media_type: &'static str,
}

impl Logo {
    /// Reads the logo at `path` (its type and size were checked with the configuration).
    pub fn read(path: &std::path::Path) -> std::io::Result<Logo> {
        let bytes = Bytes::from(std::fs::read(path)?);
        let media_type = crate::config::logo_media_type(path).unwrap_or("application/octet-stream");
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or("img")
            .to_ascii_lowercase();
        let name = format!("logo.{}.{extension}", hex(&Sha256::digest(&bytes)[..8]));
        Ok(Logo {
            href: format!("/assets/{name}"),
            name,
            bytes,
            media_type,
        })
    }
}

pub async fn embedded(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    if let Some(logo) = state.0.logo.as_ref().filter(|logo| logo.name == file) {
        let mut response = (
            [
                (header::CONTENT_TYPE, logo.media_type),
                (header::CACHE_CONTROL, IMMUTABLE),
            ],
            logo.bytes.clone(),
        )
            .into_response();
        // An SVG logo opened on its own must not run script.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
        return response;
    }
    match EMBEDDED.iter().find(|embedded| embedded.name == file) {
        Some(embedded) => (
            [
                (header::CONTENT_TYPE, embedded.content_type),
                (header::CACHE_CONTROL, IMMUTABLE),
            ],
            embedded.body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset\n").into_response(),
    }
}

/// Serves the compiled stylesheet, JS loader and WASM, precompressed when available.
pub fn pkg_service(assets: &SiteAssets) -> SetResponseHeader<ServeDir, HeaderValue> {
    let cache = if assets.hashed {
        HeaderValue::from_static(IMMUTABLE)
    } else {
        HeaderValue::from_static("no-cache")
    };
    let dir = ServeDir::new(assets.site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    SetResponseHeader::overriding(dir, header::CACHE_CONTROL, cache)
}
