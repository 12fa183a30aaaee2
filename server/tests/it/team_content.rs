//! A team's own content folder over the built-in catalogue: replace, add, only the team's,
//! foreign front matter, files beside the pages, and paths that try to climb out.

use crate::scratch::{raw_request, TempFolder};
use crate::support::TestServer;
use reqwest::{header, StatusCode};

/// A PNG signature and a few bytes: enough to tell the file came back whole.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nteam-diagram-bytes";

fn team_folder() -> TempFolder {
    let folder = TempFolder::new("team");
    // Hugo-style TOML front matter with fields Cairn does not know; no summary.
    folder.write(
        "caching/cache-aside.md",
        "+++\nweight = 3\ndraft = false\n+++\n# Cache-aside at Acme\n\nAcme keeps the zebrafish cache in front of the ledger.\n\n## Why\n\nBecause.\n",
    );
    // Docusaurus-style YAML with unknown fields, a relative image and a relative page link.
    folder.write(
        "runbooks/deploy.md",
        "---\nsidebar_position: 2\nslug: ignored\ndescription: not ours\n---\n# Deploying the ledger\n\nRoll out with the quokka pipeline.\n\n![The flow](img/flow.png)\n\nSee [our cache](../caching/cache-aside.md) and the [drawing](drawing.svg).\n\n```widget\nestimate preset=twitter\n```\n",
    );
    folder.write("runbooks/img/flow.png", PNG);
    folder.write(
        "runbooks/drawing.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    folder.write("runbooks/secret.env", "TOKEN=hunter2\n");
    folder
}

#[tokio::test]
async fn team_pages_replace_and_join_the_builtin_catalogue() {
    let folder = team_folder();
    let server = TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .start();

    let (status, _, html) = server.text("/patterns/cache-aside").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Cache-aside at Acme"),
        "the team page replaced the built-in one"
    );
    assert!(html.contains("zebrafish"));
    assert!(
        html.contains("content=\"Acme keeps the zebrafish cache in front of the ledger.\""),
        "the summary comes from the first paragraph"
    );

    let (status, _, html) = server.text("/patterns/deploy").await;
    assert_eq!(status, StatusCode::OK, "a new team page is added");
    assert!(
        html.contains("<img src=\"/files/runbooks/img/flow.png\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/patterns/cache-aside\""),
        "relative page links resolve"
    );
    assert!(html.contains("href=\"/files/runbooks/drawing.svg\""));
    assert!(
        html.contains("data-widget=\"estimate\""),
        "team pages embed widgets"
    );

    // The built-in pages the team did not replace are still there.
    let (status, _, _) = server.text("/patterns/sharding").await;
    assert_eq!(status, StatusCode::OK);

    // Team pages are searchable like built-in ones.
    let hits = server.json("/api/search?q=quokka").await;
    assert_eq!(
        hits["hits"][0]["url"]
            .as_str()
            .map(|url| url.starts_with("/patterns/deploy")),
        Some(true),
        "{hits}"
    );

    // Files beside the pages are served with their type; nothing else is.
    let response = server.get("/files/runbooks/img/flow.png").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
    assert_eq!(&response.bytes().await.expect("bytes")[..], PNG);
    let response = server.get("/files/runbooks/drawing.svg").await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        policy.contains("sandbox") && policy.contains("default-src 'none'"),
        "{policy}"
    );
    for refused in [
        "/files/runbooks/secret.env",
        "/files/runbooks/deploy.md",
        "/files/nothing.png",
    ] {
        assert_eq!(
            server.get(refused).await.status(),
            StatusCode::NOT_FOUND,
            "{refused}"
        );
    }
}

#[tokio::test]
async fn paths_that_climb_out_find_nothing() {
    let folder = team_folder();
    let server = TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .start();
    for path in [
        "/files/../../../../etc/passwd",
        "/files/runbooks/../../../../etc/passwd",
        "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/files/runbooks/%2e%2e%2f%2e%2e%2fsecret.env",
        "/files/runbooks/..%2fsecret.env",
        "/files/%2Fetc%2Fpasswd",
        "/files//etc/passwd",
        "/files/runbooks%5c..%5c..%5cetc%5cpasswd",
        "/files/%252e%252e/etc/passwd",
        "/files/..%c0%af..%c0%afetc/passwd",
        "/assets/../../etc/passwd",
        "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets/..%5c..%5cCargo.toml",
        "/pkg/../../../etc/passwd",
        "/pkg/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/pkg/..%2f..%2fCargo.toml",
        "/pkg/%2e%2e%5c%2e%2e%5cCargo.toml",
    ] {
        let (status, response) = raw_request(&server.base, &format!("GET {path} HTTP/1.1"));
        assert!(
            status == 404 || status == 400,
            "{path}: expected 404, got {status}: {response}"
        );
        assert!(!response.contains("root:"), "{path} leaked /etc/passwd");
        assert!(
            !response.contains("[workspace]"),
            "{path} leaked a repository file"
        );
        assert!(
            !response.contains("hunter2"),
            "{path} leaked a refused file"
        );
    }
}

#[tokio::test]
async fn no_builtin_serves_only_the_team_pages() {
    let folder = team_folder();
    let server = TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .arg("--no-builtin")
        .start();
    assert_eq!(server.text("/patterns/deploy").await.0, StatusCode::OK);
    assert_eq!(server.text("/patterns/cache-aside").await.0, StatusCode::OK);
    assert_eq!(
        server.text("/patterns/sharding").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, _, home) = server.text("/").await;
    assert!(home.contains("/categories/runbooks"), "{home}");
    assert!(!home.contains("/categories/resilience"));
    let (_, _, ready) = server.text("/readyz").await;
    assert!(ready.starts_with("ready: 2 pages"), "{ready}");
}

#[tokio::test]
async fn a_logo_is_served_under_a_hashed_name() {
    let folder = TempFolder::new("logo");
    folder.write("acme.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>");
    let server = TestServer::builder()
        .arg("--logo")
        .arg(folder.join("acme.svg").to_string_lossy())
        .start();
    let (_, _, html) = server.text("/").await;
    let start = html
        .find("<img src=\"/assets/logo.")
        .expect("a logo in the header")
        + 10;
    let href = &html[start..start + html[start..].find('"').expect("end of src")];
    assert!(
        href.starts_with("/assets/logo.") && href.ends_with(".svg"),
        "{href}"
    );
    let response = server.get(href).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/svg+xml");
    assert!(response.headers()[header::CACHE_CONTROL]
        .to_str()
        .expect("ascii")
        .contains("immutable"));
}
