//! Static files: the embedded theme script and icon, and the compiled `pkg/` folder.
//!
//! File names carry a content hash, so they are cached for a year and never revalidated.

use super::site::{hex, SiteAssets};
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
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

pub async fn embedded(Path(file): Path<String>) -> Response {
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
