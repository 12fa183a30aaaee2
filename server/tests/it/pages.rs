//! The pages a reader visits, fetched over HTTP from the built-in catalogue.

use crate::support::TestServer;
use reqwest::header;
use reqwest::StatusCode;

fn hrefs<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.match_indices(&format!("href=\"{prefix}"))
        .filter_map(|(start, _)| {
            let rest = &html[start + 6..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[tokio::test]
async fn home_lists_categories_and_learning_paths() {
    let server = TestServer::builtin();
    let (status, headers, html) = server.text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Cairn</title>"), "{html}");
    assert!(html.contains("<meta name=\"description\""));
    assert!(html.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:"));
    assert!(html.contains("rel=\"icon\""));
    for category in [
        "/categories/caching",
        "/categories/resilience",
        "/categories/foundations",
    ] {
        assert!(
            html.contains(&format!("href=\"{category}\"")),
            "home links {category}"
        );
    }
    assert!(html.contains("/patterns/cache-aside"));
    assert!(html.contains("id=\"paths\""), "learning paths section");
    assert!(
        html.contains("<leptos-island data-component=\"InstantSearch"),
        "the header search is an island: {html}"
    );
    assert!(
        html.contains("action=\"/search\""),
        "and a plain form without JavaScript"
    );
}

#[tokio::test]
async fn a_category_page_lists_its_pages() {
    let server = TestServer::builtin();
    let (status, _, html) = server.text("/categories/caching").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Caching</h1>"), "{html}");
    for slug in ["cache-aside", "write-through", "thundering-herd"] {
        assert!(
            html.contains(&format!("href=\"/patterns/{slug}\"")),
            "lists {slug}"
        );
    }
    assert!(html.contains("aria-label=\"Breadcrumb\""));
}

#[tokio::test]
async fn a_pattern_page_has_everything_around_its_text() {
    let server = TestServer::builtin();
    let (status, headers, html) = server.text("/patterns/cache-aside").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Cache-aside · Cairn</title>"), "title");
    assert!(html.contains("<h1>Cache-aside</h1>"));
    assert!(html.contains("On this page"), "table of contents");
    assert!(
        html.contains("href=\"#the-problem\""),
        "TOC links to sections"
    );
    assert!(
        html.contains("<h2 id=\"the-problem\">"),
        "anchored headings"
    );
    assert!(
        html.contains("href=\"/categories/caching\">Caching</a>"),
        "breadcrumb"
    );
    assert!(html.contains("Related pages"));
    assert!(
        html.contains("rel=\"prev\"") && html.contains("rel=\"next\""),
        "pager"
    );
    assert!(
        html.contains("content/caching/cache-aside.md"),
        "edit this page path"
    );
    assert!(
        html.contains("<figure class=\"diagram\""),
        "server-rendered diagram"
    );
    assert!(html.contains("<svg"), "diagram is inline SVG");
    assert!(html.contains("class=\"hl-"), "server-side highlighting");
    assert!(
        html.contains("data-widget=\"cache-visualizer\""),
        "widget placed"
    );
    assert!(
        html.contains(".wasm"),
        "a widget page loads the islands bundle"
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn every_page_of_the_catalogue_renders() {
    let server = TestServer::builtin();
    let (_, _, home) = server.text("/").await;
    let mut categories = hrefs(&home, "/categories/");
    categories.sort_unstable();
    categories.dedup();
    assert!(categories.len() >= 4, "{categories:?}");
    let mut pages = Vec::new();
    for category in &categories {
        let (status, _, html) = server.text(category).await;
        assert_eq!(status, StatusCode::OK, "{category}");
        pages.extend(hrefs(&html, "/patterns/").into_iter().map(str::to_string));
    }
    pages.sort();
    pages.dedup();
    assert!(pages.len() >= 5, "{pages:?}");
    for page in &pages {
        let (status, _, html) = server.text(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(html.contains("<h1>"), "{page} has a title");
    }
    for path in hrefs(&home, "/paths/") {
        let (status, _, _) = server.text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn unknown_addresses_get_a_real_404_page() {
    let server = TestServer::builtin();
    for path in [
        "/patterns/no-such-pattern",
        "/categories/nope",
        "/paths/nope",
        "/nothing/here",
    ] {
        let (status, _, html) = server.text(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Page not found"), "{path}");
        assert!(html.contains("href=\"/\""), "{path} offers the way home");
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let server = TestServer::builtin();
    let (status, _, body) = server.text("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    let (status, _, body) = server.text("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("ready: "), "{body}");
}

#[tokio::test]
async fn assets_are_cached_for_a_year_and_pages_revalidate() {
    let server = TestServer::builtin();
    let (_, headers, home) = server.text("/").await;
    let script = hrefs(&home, "/assets/icon.")
        .into_iter()
        .next()
        .expect("icon link")
        .to_string();
    let response = server.get(&script).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let theme = home
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("theme script");
    let response = server.get(theme).await;
    assert_eq!(response.status(), StatusCode::OK, "{theme}");
    assert!(response.text().await.expect("text").contains("cairn-theme"));
    assert_eq!(
        server.get("/assets/site.0000.js").await.status(),
        StatusCode::NOT_FOUND
    );

    let etag = headers[header::ETAG].clone();
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let revalidated = server
        .client
        .get(format!("{}/", server.base))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("response");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn site_title_and_edit_links_come_from_the_configuration() {
    let server = TestServer::builder()
        .arg("--site-title")
        .arg("Acme Handbook")
        .arg("--edit-url")
        .arg("https://git.example.com/handbook/edit/main/content/{path}")
        .arg("--base-url")
        .arg("https://handbook.example.com/")
        .start();
    let (_, _, html) = server.text("/patterns/circuit-breaker").await;
    assert!(
        html.contains("<title>Circuit breaker · Acme Handbook</title>"),
        "{html}"
    );
    assert!(html.contains(
        "href=\"https://git.example.com/handbook/edit/main/content/resilience/circuit-breaker.md\""
    ));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://handbook.example.com/patterns/circuit-breaker\""
    ));
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    let server = TestServer::builtin();
    for encoding in ["br", "gzip"] {
        let response = server
            .client
            .get(format!("{}/patterns/cache-aside", server.base))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
        assert!(response.headers().get(header::ETAG).is_some());
    }
    let plain = server.get("/patterns/cache-aside").await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
}

/// Page requests are answered from memory before the router; these are the cases where
/// that path and the router could disagree.
#[tokio::test]
async fn pages_answer_head_revalidation_and_unusual_addresses_alike() {
    let server = TestServer::builtin();
    let page = |method: reqwest::Method, path: &str| {
        server
            .client
            .request(method, format!("{}{path}", server.base))
            .header(header::ACCEPT_ENCODING, "br, gzip")
    };
    let full = page(reqwest::Method::GET, "/patterns/cache-aside")
        .send()
        .await
        .expect("response");
    assert_eq!(full.status(), StatusCode::OK);
    let headers = full.headers().clone();
    let length = full.bytes().await.expect("body").len();
    for name in [
        header::CONTENT_SECURITY_POLICY,
        header::X_CONTENT_TYPE_OPTIONS,
        header::REFERRER_POLICY,
        header::X_FRAME_OPTIONS,
        header::VARY,
        header::CACHE_CONTROL,
    ] {
        assert!(headers.contains_key(&name), "a page carries {name}");
    }

    // HEAD: the same headers, the length of the body it would have sent, and no body.
    let head = page(reqwest::Method::HEAD, "/patterns/cache-aside")
        .send()
        .await
        .expect("response");
    assert_eq!(head.status(), StatusCode::OK);
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_ENCODING,
        header::ETAG,
        header::CONTENT_SECURITY_POLICY,
        header::X_FRAME_OPTIONS,
    ] {
        assert_eq!(head.headers().get(&name), headers.get(&name), "HEAD {name}");
    }
    assert_eq!(
        head.headers()[header::CONTENT_LENGTH],
        length.to_string().as_str()
    );
    assert!(head.bytes().await.expect("body").is_empty());

    // Any listed validator matches; the 304 keeps the validator and the policy.
    let etag = headers[header::ETAG].to_str().expect("ascii").to_string();
    let revalidated = page(reqwest::Method::GET, "/patterns/cache-aside")
        .header(header::IF_NONE_MATCH, format!("W/\"stale\", {etag}"))
        .send()
        .await
        .expect("response");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(revalidated.headers()[header::ETAG], etag.as_str());
    assert!(revalidated
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(revalidated.headers().get(header::CONTENT_TYPE).is_none());

    // A query, or a percent-encoded slug, is the same page.
    for path in ["/patterns/cache-aside?ref=home", "/patterns/cache%2Daside"] {
        let response = page(reqwest::Method::GET, path)
            .send()
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[header::ETAG], etag.as_str(), "{path}");
    }
    // A trailing slash or an unknown page is the 404 page.
    for path in [
        "/patterns/cache-aside/",
        "/patterns/no-such-page",
        "/paths/",
    ] {
        let response = page(reqwest::Method::GET, path)
            .send()
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }

    // A body over the limit is refused even on a page address.
    let oversized = page(reqwest::Method::GET, "/patterns/cache-aside")
        .body(vec![b'x'; 64 * 1024])
        .send()
        .await
        .expect("response");
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Every one of them counted under its route (the trailing slash and `/paths/` match
    // no route).
    let (_, _, metrics) = server.text("/metrics").await;
    for needle in [
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"200\"} 4",
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"304\"} 1",
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"404\"} 1",
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"413\"} 1",
        "cairn_http_request_duration_seconds_count{route=\"/patterns/{slug}\"} 7",
    ] {
        assert!(
            metrics.contains(needle),
            "missing `{needle}` in:\n{metrics}"
        );
    }
}
