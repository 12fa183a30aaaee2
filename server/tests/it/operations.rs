//! Running Cairn in production: configuration precedence and errors, compressed pages,
//! metrics, JSON logs.

use crate::scratch::TempFolder;
use crate::support::TestServer;
use reqwest::{header, StatusCode};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a title") + 7;
    &html[start..start + html[start..].find("</title>").expect("closed")]
}

#[tokio::test]
async fn flags_beat_variables_beat_the_config_file() {
    let folder = TempFolder::new("config");
    folder.write(
        "cairn.toml",
        "site_title = \"From the file\"\nedit_url = \"https://git.example.com/edit/{path}\"\n",
    );
    let config = folder.join("cairn.toml").to_string_lossy().into_owned();

    let server = TestServer::builder().arg("--config").arg(&config).start();
    let (_, _, html) = server.text("/").await;
    assert_eq!(title_of(&html), "From the file");
    let (_, _, page) = server.text("/patterns/cache-aside").await;
    assert!(
        page.contains("https://git.example.com/edit/caching/cache-aside.md"),
        "edit link from the file"
    );

    let server = TestServer::builder()
        .arg("--config")
        .arg(&config)
        .env("CAIRN_SITE_TITLE", "From the environment")
        .start();
    assert_eq!(title_of(&server.text("/").await.2), "From the environment");

    let server = TestServer::builder()
        .arg("--config")
        .arg(&config)
        .arg("--site-title")
        .arg("From the flag")
        .env("CAIRN_SITE_TITLE", "From the environment")
        .start();
    assert_eq!(title_of(&server.text("/").await.2), "From the flag");
}

/// Runs the binary expecting it to refuse to start; returns its exit code and stderr.
fn refused(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--address", "127.0.0.1:0"])
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_configuration_is_refused_with_a_clear_message() {
    let folder = TempFolder::new("bad-config");
    folder.write("typo.toml", "site_titel = \"Acme\"\n");
    folder.write("broken.toml", "site_title = \n");
    let typo = folder.join("typo.toml").to_string_lossy().into_owned();
    let broken = folder.join("broken.toml").to_string_lossy().into_owned();
    for (args, expected) in [
        (
            vec!["--config", typo.as_str()],
            vec!["typo.toml", "site_titel"],
        ),
        (
            vec!["--config", broken.as_str()],
            vec!["broken.toml", "line 1"],
        ),
        (
            vec!["--config", "/no/such/cairn.toml"],
            vec!["/no/such/cairn.toml", "cannot be read"],
        ),
        (vec!["--base-url", "handbook.example.com"], vec!["http://"]),
        (vec!["--edit-url", "https://git/edit"], vec!["{path}"]),
        (vec!["--watch"], vec!["--content"]),
        (
            vec!["--content", "/no/such/folder"],
            vec!["/no/such/folder"],
        ),
        (vec!["--log-format", "xml"], vec!["xml", "json"]),
    ] {
        let (code, stderr) = refused(&args);
        assert_eq!(code, 2, "{args:?} must exit 2: {stderr}");
        for needle in expected {
            assert!(
                stderr.contains(needle),
                "{args:?}: expected `{needle}` in: {stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[tokio::test]
async fn pages_come_compressed_once_with_one_validator() {
    let server = TestServer::builtin();
    let plain = server.get("/patterns/cache-aside").await;
    assert_eq!(plain.headers().get(header::CONTENT_ENCODING), None);
    let etag = plain.headers()[header::ETAG].clone();
    let plain = plain.text().await.expect("text");
    for (accept, expected) in [
        ("br, gzip", "br"),
        ("gzip, deflate, br;q=0", "gzip"),
        ("gzip;q=0.5, br;q=0.9", "br"),
    ] {
        let response = server
            .client
            .get(format!("{}/patterns/cache-aside", server.base))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .expect("response");
        assert_eq!(
            response.headers()[header::CONTENT_ENCODING],
            expected,
            "{accept}"
        );
        assert_eq!(response.headers()[header::VARY], "accept-encoding");
        assert_eq!(
            response.headers()[header::ETAG],
            etag,
            "one validator for every form"
        );
        let body = response.bytes().await.expect("bytes");
        let mut decoded = String::new();
        if expected == "br" {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_string(&mut decoded)
                .expect("brotli");
        } else {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_string(&mut decoded)
                .expect("gzip");
        }
        assert_eq!(decoded, plain, "{accept} decodes to the same page");
        assert!(body.len() * 4 < plain.len(), "{accept}: compressed");
    }
    let not_modified = server
        .client
        .get(format!("{}/patterns/cache-aside", server.base))
        .header(header::IF_NONE_MATCH, etag.clone())
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .expect("response");
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let server = TestServer::builtin();
    server.get("/patterns/cache-aside").await;
    server.get("/patterns/cache-aside").await;
    server.get("/patterns/no-such-page").await;
    server.get("/api/search?q=cache").await;
    server.get("/search?q=sharding").await;
    let (status, headers, text) = server.text("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("text/plain; version=0.0.4"));
    for needle in [
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"200\"} 2",
        "cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"404\"} 1",
        "cairn_http_requests_total{route=\"/api/search\",status=\"200\"} 1",
        "# TYPE cairn_http_request_duration_seconds histogram",
        "cairn_http_request_duration_seconds_count{route=\"/patterns/{slug}\"} 3",
        "cairn_search_queries_total 2",
        "cairn_reloads_total 0",
        "cairn_reload_errors_total 0",
        "cairn_catalogue_edition 1",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    let pages = text
        .lines()
        .find_map(|line| line.strip_prefix("cairn_catalogue_pages "))
        .and_then(|value| value.parse::<usize>().ok())
        .expect("a page gauge");
    assert!(pages >= 60, "{pages}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--address", "127.0.0.1:0", "--log-format", "json"])
        .env("CAIRN_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("piped");
    let mut serving = None;
    for line in BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .take(20)
    {
        let value: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        if value["message"] == "Cairn is serving" {
            serving = Some(value);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let serving = serving.expect("a start-up line");
    assert_eq!(serving["level"], "INFO");
    assert!(
        serving["pages"].as_u64().is_some_and(|pages| pages >= 60),
        "{serving}"
    );
    assert!(serving["timestamp"].is_string());
}

#[tokio::test]
async fn oversized_bodies_and_other_methods_are_refused() {
    let server = TestServer::builtin();
    let response = server
        .client
        .post(format!("{}/api/search", server.base))
        .body(vec![b'x'; 64 * 1024])
        .send()
        .await
        .expect("response");
    assert!(
        response.status() == StatusCode::PAYLOAD_TOO_LARGE
            || response.status() == StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        response.status()
    );
    // The body was never read: the client is told not to reuse the connection.
    assert_eq!(response.headers()["connection"], "close");
    let response = server
        .client
        .delete(format!("{}/patterns/cache-aside", server.base))
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        server.get("/healthz").await.status(),
        StatusCode::OK,
        "still serving"
    );
}

#[tokio::test]
async fn a_sub_path_base_url_puts_every_link_under_it() {
    let server = TestServer::builder()
        .arg("--base-url")
        .arg("https://intranet.example.com/handbook/")
        .start();
    let (status, _, html) = server.text("/patterns/cache-aside").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<html lang=\"en\" data-base-path=\"/handbook\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://intranet.example.com/handbook/patterns/cache-aside\""),
        "canonical"
    );
    assert!(html.contains("href=\"/handbook/categories/caching\""));
    assert!(html.contains("action=\"/handbook/search\""));
    let site_links: Vec<&str> = html
        .split(" href=\"/")
        .skip(1)
        .chain(html.split(" src=\"/").skip(1))
        .filter(|rest| !rest.starts_with("handbook/") && !rest.starts_with('/'))
        .collect();
    assert!(
        site_links.is_empty(),
        "links outside the sub-path: {site_links:?}"
    );

    // Behind a proxy that keeps the prefix, the same pages answer under it.
    let (status, _, prefixed) = server.text("/handbook/patterns/cache-aside").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(prefixed, html);
    let stylesheet = html
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet link");
    assert!(stylesheet.starts_with("/handbook/pkg/"), "{stylesheet}");
    assert_eq!(server.get(stylesheet).await.status(), StatusCode::OK);
    // The islands' loader fetches the module and WASM the page names, under the sub-path.
    for attribute in ["data-islands-script=\"", "data-islands-wasm=\""] {
        let href = html
            .split(attribute)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect(attribute);
        assert!(href.starts_with("/handbook/pkg/"), "{href}");
        assert_eq!(server.get(href).await.status(), StatusCode::OK);
    }
    assert_eq!(
        server.get("/handbook/api/search?q=cache").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        server.get("/handbookish").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Debug logging shows every request, whichever way it was answered (pages from memory,
/// the rest through the router), under the `tower_http` target operators filter on.
#[tokio::test]
async fn debug_logs_trace_every_request() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--address", "127.0.0.1:0"])
        .env("CAIRN_LOG", "warn,tower_http=debug")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = BufReader::new(child.stdout.take().expect("piped"));
    let base = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_string))
        .expect("an address");
    for path in ["/patterns/cache-aside", "/healthz"] {
        let response = reqwest::get(format!("{base}{path}"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut logs = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut logs)
        .expect("the log is text");
    for path in ["/patterns/cache-aside", "/healthz"] {
        assert!(
            logs.lines()
                .any(|line| line.contains(&format!("uri={path} "))
                    && line.contains("finished processing request")
                    && line.contains("status=200")),
            "no trace of {path} in:\n{logs}"
        );
    }
}
