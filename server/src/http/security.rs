//! Security headers, with a Content-Security-Policy that allows only this origin.
//!
//! The page's inline scripts (the theme bootstrap and Leptos's hydration loader) are
//! allowed by their SHA-256 hashes, computed from the rendered pages at start-up, so pages
//! stay cacheable (no per-request nonce) and no `unsafe-inline` is needed.

use super::RenderedSite;
use axum::http::{header, HeaderName, HeaderValue};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Builds the policy from the inline scripts the rendered pages contain.
pub fn content_security_policy(site: &RenderedSite) -> HeaderValue {
    HeaderValue::from_str(&policy_text(site))
        .expect("the policy is built from ASCII hashes and keywords")
}

fn policy_text(site: &RenderedSite) -> String {
    let hashes: BTreeSet<String> = site
        .documents()
        .flat_map(|html| inline_scripts(html))
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let script_hashes = hashes.into_iter().collect::<Vec<_>>().join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every `<script>` element without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start + "<script".len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(body_end) = body.find("</script>") else {
            break;
        };
        if !attributes.contains("src=") {
            scripts.push(&body[..body_end]);
        }
        rest = &body[body_end..];
    }
    scripts
}

/// Adds the security headers to a response (used with `map_response_with_state`). A
/// response that set a stricter policy of its own (a team's SVG file) keeps it.
pub async fn add_headers(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    mut response: axum::response::Response,
) -> axum::response::Response {
    let csp = state.0.live.current().csp.clone();
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = "<head><script>a()</script><script src=\"/x.js\" defer></script></head><body><script type=\"module\">b()</script></body>";
        assert_eq!(inline_scripts(html), vec!["a()", "b()"]);
    }
}
