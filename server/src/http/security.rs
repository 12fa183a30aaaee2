//! Security headers, with a Content-Security-Policy that allows only this origin.
//!
//! The page's inline script (the theme bootstrap; the islands' loader is in the site
//! script, `app/assets/site.js`) is allowed by its SHA-256 hash, computed from the rendered
//! pages at start-up, so pages stay cacheable (no per-request nonce) and no
//! `unsafe-inline` is needed.
//!
//! Only scripts outside `<main>` are hashed: `<main>` holds the author's (sanitised)
//! content, so if a script ever slipped past the sanitiser it would not be allowed by
//! its own hash, and the browser would still refuse to run it.

use super::RenderedSite;
use axum::http::{header, HeaderMap, HeaderValue};
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
        .all()
        .flat_map(|document| document.script_digests())
        .map(|digest| {
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

/// The document with its `<main>` element (the page's content) cut out: the scripts Cairn
/// itself writes are in `<head>` and after `</main>`. The cut runs from the first `<main`
/// to the last `</main>`, so content that closes `main` early cannot move a script out.
fn outside_main(html: &str) -> std::borrow::Cow<'_, str> {
    match (html.find("<main"), html.rfind("</main>")) {
        (Some(start), Some(end)) if start < end => {
            std::borrow::Cow::Owned(format!("{}{}", &html[..start], &html[end..]))
        }
        _ => std::borrow::Cow::Borrowed(html),
    }
}

/// SHA-256 of each inline script of `html` outside `<main>`, taken when a document is
/// rendered, so the policy is put together without reading the pages again.
pub fn inline_script_digests(html: &str) -> Vec<[u8; 32]> {
    inline_scripts(outside_main(html))
        .iter()
        .map(|script| Sha256::digest(script.as_bytes()).into())
        .collect()
}

/// The text of every `<script>` element without a `src` attribute.
fn inline_scripts(html: std::borrow::Cow<'_, str>) -> Vec<String> {
    inline_script_slices(&html)
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn inline_script_slices(html: &str) -> Vec<&str> {
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
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            state.0.live.current().csp.clone(),
        );
    }
    add_fixed_headers(headers);
    response
}

/// The security headers that are the same on every response (all but the policy).
pub fn add_fixed_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = "<head><script>a()</script><script src=\"/x.js\" defer></script></head><body><script type=\"module\">b()</script></body>";
        assert_eq!(inline_script_slices(html), vec!["a()", "b()"]);
    }

    #[test]
    fn scripts_inside_main_are_never_allowed_by_hash() {
        let html = "<head><script>theme()</script></head><body><main id=\"main\"><div class=\"prose\"><script>window.__pwned=1</script></main></div></main><script>loader()</script></body>";
        assert_eq!(
            inline_scripts(outside_main(html)),
            vec!["theme()".to_string(), "loader()".to_string()]
        );
        // Without a <main>, every inline script counts (nothing to cut).
        assert_eq!(
            inline_scripts(outside_main("<script>a()</script>")),
            vec!["a()".to_string()]
        );
    }
}
