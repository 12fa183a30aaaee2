//! Bad HTTP input over raw TCP (where a client library would tidy the request): oversized
//! URLs and headers, huge query strings, invalid UTF-8 and percent-encoding, path traversal,
//! unsupported methods and versions, a slow client. Each gets a 4xx or a closed connection,
//! never a 5xx or a hang, and the server keeps serving `/healthz` after each.

use crate::scratch::TempFolder;
use crate::support::TestServer;
use reqwest::StatusCode;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Sends `bytes` exactly as given and reads until the server closes or 15 s pass. Returns
/// the status code (0 when the server closed without answering) and the response text.
fn send(address: &str, bytes: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    // The server may answer and close before it has read everything (a 414 on a huge
    // URL): a failed write is then part of the outcome, not a test failure.
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let started = Instant::now();
    let mut buffer = [0u8; 8192];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => response.extend_from_slice(&buffer[..read]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!(
                    "no answer and no close within {:?} for {:?}",
                    started.elapsed(),
                    String::from_utf8_lossy(&bytes[..bytes.len().min(120)])
                );
            }
            // A reset after the server refused the request is a closed connection.
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A request line plus `Host` and `Connection: close`, then `extra` header lines.
fn request(address: &str, line: &[u8], extra: &[u8]) -> Vec<u8> {
    let mut bytes = line.to_vec();
    bytes.extend_from_slice(format!("\r\nHost: {address}\r\nConnection: close\r\n").as_bytes());
    bytes.extend_from_slice(extra);
    bytes.extend_from_slice(b"\r\n");
    bytes
}

/// A 4xx or a closed connection: the server refused cleanly.
fn assert_refused(what: &str, (status, text): &(u16, String)) {
    assert!(
        *status == 0 || (400..500).contains(status),
        "{what}: expected a 4xx or a closed connection, got {status}: {}",
        &text[..text.len().min(300)]
    );
}

/// Never a 5xx: a 2xx, 3xx, 4xx or a closed connection.
fn assert_not_server_error(what: &str, (status, text): &(u16, String)) {
    assert!(
        *status < 500,
        "{what}: got {status}: {}",
        &text[..text.len().min(300)]
    );
}

async fn assert_still_serving(server: &TestServer, after: &str) {
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK, "/healthz after {after}");
}

#[tokio::test]
async fn oversized_urls_headers_and_queries_are_refused() {
    let server = TestServer::builtin();
    let address = server.address().to_string();
    let long_path = format!("GET /{} HTTP/1.1", "a".repeat(100 * 1024));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a 100 KB path",
            request(&address, long_path.as_bytes(), b""),
        ),
        (
            "a 100 KB header",
            request(
                &address,
                b"GET / HTTP/1.1",
                format!("X-Big: {}\r\n", "b".repeat(100 * 1024)).as_bytes(),
            ),
        ),
        (
            "a 1 MB header",
            request(
                &address,
                b"GET / HTTP/1.1",
                format!("X-Big: {}\r\n", "b".repeat(1024 * 1024)).as_bytes(),
            ),
        ),
        (
            "500 headers",
            request(
                &address,
                b"GET / HTTP/1.1",
                (0..500)
                    .map(|n| format!("X-Header-{n}: {n}\r\n"))
                    .collect::<String>()
                    .as_bytes(),
            ),
        ),
        (
            "a 100 KB query on /search",
            request(
                &address,
                format!("GET /search?q={} HTTP/1.1", "q".repeat(100 * 1024)).as_bytes(),
                b"",
            ),
        ),
        (
            "a 100 KB query on /api/search",
            request(
                &address,
                format!("GET /api/search?q={} HTTP/1.1", "q%20".repeat(25 * 1024)).as_bytes(),
                b"",
            ),
        ),
    ];
    for (what, bytes) in &cases {
        let outcome = send(&address, bytes);
        assert_refused(what, &outcome);
        assert_still_serving(&server, what).await;
    }

    // Long but not absurd queries (under the URL limit) are answered: the query is cut.
    for path in [
        format!("/search?q={}", "word+".repeat(6000)),
        format!(
            "/api/search?q={}&q={}",
            "x".repeat(20_000),
            "y".repeat(20_000)
        ),
        format!("/api/search?{}", "category=&".repeat(3000)),
    ] {
        let outcome = send(
            &address,
            &request(&address, format!("GET {path} HTTP/1.1").as_bytes(), b""),
        );
        assert_not_server_error(&path[..40], &outcome);
        assert_still_serving(&server, &path[..40]).await;
    }
}

#[tokio::test]
async fn invalid_utf8_and_bad_percent_encoding_are_refused() {
    let server = TestServer::builtin();
    let address = server.address().to_string();
    let raw_lines: Vec<(&str, Vec<u8>)> = vec![
        (
            "raw invalid UTF-8 in the path",
            b"GET /patterns/\xff\xfe HTTP/1.1".to_vec(),
        ),
        (
            "raw invalid UTF-8 in the query",
            b"GET /search?q=\xc3\x28 HTTP/1.1".to_vec(),
        ),
        (
            "a raw NUL in the path",
            b"GET /patterns/a\x00b HTTP/1.1".to_vec(),
        ),
        (
            "a space in the path",
            b"GET /patterns/a b HTTP/1.1".to_vec(),
        ),
        ("no path at all", b"GET HTTP/1.1".to_vec()),
        ("an empty request line", b"".to_vec()),
    ];
    for (what, line) in &raw_lines {
        let outcome = send(&address, &request(&address, line, b""));
        assert_refused(what, &outcome);
        assert_still_serving(&server, what).await;
    }
    // Well-formed requests whose percent-encoding decodes to nonsense: no page by that
    // name (400 or 404), or a filter the API refuses (400).
    for path in [
        "/patterns/%ff%fe",
        "/patterns/%c0%af",
        "/patterns/%zz",
        "/patterns/%",
        "/patterns/%e2%82",
        "/categories/%00",
        "/paths/%ed%a0%80",
        "/assets/%ff.css",
        "/files/%ff",
        "/pkg/%ff.wasm",
        "/api/search?q=x&limit=%ff",
        "/api/search?q=x&level=%zz",
    ] {
        let outcome = send(
            &address,
            &request(&address, format!("GET {path} HTTP/1.1").as_bytes(), b""),
        );
        assert_refused(path, &outcome);
        assert_still_serving(&server, path).await;
    }
    // In the query text itself, undecodable bytes become U+FFFD and stray `%` stay as they
    // are: the query is searched for (lenient by design), never a failure.
    for path in [
        "/search?q=%ff%fe",
        "/search?q=%zz&level=%",
        "/search?%00=%00",
        "/api/search?q=%ff%fe",
        "/api/search?q=%zz",
        "/api/search?q=%",
        "/api/search?q=%e2%82",
        "/api/search?%ff=%fe",
    ] {
        let outcome = send(
            &address,
            &request(&address, format!("GET {path} HTTP/1.1").as_bytes(), b""),
        );
        assert_not_server_error(path, &outcome);
        assert_still_serving(&server, path).await;
    }
}

#[tokio::test]
async fn traversal_in_other_encodings_finds_nothing() {
    // `team_content.rs` covers the common forms; these are the rarer ones.
    let folder = TempFolder::new("traversal");
    folder.write(
        "notes/page.md",
        "---\ntitle: Page\nsummary: A page.\n---\nSee ![x](img/x.png).\n",
    );
    folder.write("notes/img/x.png", b"\x89PNG\r\n\x1a\nx");
    folder.write("notes/secret.env", "TOKEN=hunter2\n");
    let server = TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .start();
    let address = server.address().to_string();
    for target in [
        "/files/.%2e/.%2e/.%2e/etc/passwd",
        "/files/%2e./%2e./%2e./etc/passwd",
        "/files/notes/img/%2e%2e/secret.env",
        "/files/notes/img/..%2Fsecret.env",
        "/files/notes/img/..%5Csecret.env",
        "/files/notes/img/%252e%252e%252fsecret.env",
        "/files/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/files/%e0%80%ae%e0%80%ae/etc/passwd",
        "/files/%ef%bc%8e%ef%bc%8e%ef%bc%8fetc%ef%bc%8fpasswd",
        "/files/%u002e%u002e/etc/passwd",
        "/files/....//....//....//etc/passwd",
        "/files/notes/..;/..;/..;/etc/passwd",
        "/files/notes/img/x.png%00/../../secret.env",
        "/files/notes/secret.env%00.png",
        "/files/notes/secret.env%20",
        "/files/notes/secret.env.",
        "/files/NOTES/SECRET.ENV",
        "/files/C:%5cWindows%5cwin.ini",
        "/files/\\..\\..\\etc\\passwd",
        "/files/notes/img/x.png/../../secret.env",
        "/patterns/..%2f..%2f..%2fetc%2fpasswd",
        "/patterns/%2e%2e%2fsecret",
        "/categories/..%2fnotes",
        "/assets/%2e%2e%2f%2e%2e%2fserver%2fCargo.toml",
        "/pkg/%252e%252e%252f%252e%252e%252fCargo.toml",
        "../../../../etc/passwd",
        "http://localhost/../../../etc/passwd",
        "*",
    ] {
        let outcome = send(
            &address,
            &request(&address, format!("GET {target} HTTP/1.1").as_bytes(), b""),
        );
        assert!(
            outcome.0 == 0 || outcome.0 == 400 || outcome.0 == 404,
            "{target}: expected 400, 404 or a close, got {}: {}",
            outcome.0,
            &outcome.1[..outcome.1.len().min(300)]
        );
        for leak in ["root:", "hunter2", "[package]", "[workspace]"] {
            assert!(!outcome.1.contains(leak), "{target} leaked `{leak}`");
        }
        assert_still_serving(&server, target).await;
    }
    // The real file is still there for the page that links it.
    assert_eq!(
        server.get("/files/notes/img/x.png").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn unsupported_methods_and_versions_are_refused() {
    let server = TestServer::builtin();
    let address = server.address().to_string();
    for line in [
        "PUT /patterns/cache-aside HTTP/1.1",
        "DELETE /patterns/cache-aside HTTP/1.1",
        "PATCH /api/search?q=x HTTP/1.1",
        "POST /search?q=x HTTP/1.1",
        "TRACE / HTTP/1.1",
        "TRACK / HTTP/1.1",
        "CONNECT 127.0.0.1:22 HTTP/1.1",
        "PROPFIND /files/ HTTP/1.1",
        "BREW /coffee HTTP/1.1",
        "G\u{7f}ET / HTTP/1.1",
        "GET\t/ HTTP/1.1",
        "get / HTTP/1.1",
        "GET / HTTP/9.9",
        "GET / HTTP/2.0",
        "GET / HTTP/1.1 extra",
        "GET /",
        "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}",
    ] {
        let outcome = send(
            &address,
            &request(
                &address,
                line.as_bytes(),
                b"X-Trace-Marker: tracedvalue\r\n",
            ),
        );
        assert_refused(line, &outcome);
        assert!(
            !outcome.1.contains("tracedvalue"),
            "{line} echoed the request headers"
        );
        assert_still_serving(&server, line).await;
    }
    // Request smuggling shapes: a body Cairn never reads, framed two ways at once.
    for (what, extra) in [
        (
            "two Content-Lengths",
            "Content-Length: 1\r\nContent-Length: 2\r\n",
        ),
        ("a negative Content-Length", "Content-Length: -1\r\n"),
        (
            "an unknown Transfer-Encoding",
            "Transfer-Encoding: gzip, identity\r\n",
        ),
    ] {
        let outcome = send(
            &address,
            &request(&address, b"GET / HTTP/1.1", extra.as_bytes()),
        );
        assert_refused(what, &outcome);
        assert_still_serving(&server, what).await;
    }
    // Both framings at once: hyper goes by Transfer-Encoding (as RFC 9112 says) and closes
    // the connection after the answer, so nothing can be smuggled behind it.
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    stream
        .write_all(
            format!("GET / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes(),
        )
        .expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "{}",
        &response[..response.len().min(200)]
    );
    assert_eq!(
        response.matches("HTTP/1.1 ").count(),
        1,
        "one answer only, then the connection closes"
    );
    assert_still_serving(&server, "Content-Length with Transfer-Encoding").await;
}

#[tokio::test]
async fn http_1_0_is_answered_and_closed() {
    let server = TestServer::builtin();
    let address = server.address().to_string();
    // No Host header (it is optional in HTTP/1.0), no keep-alive: answered, then closed
    // (`send` returning at all proves the close).
    let (status, text) = send(&address, b"GET /healthz HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "{text}");
    let (status, text) = send(&address, b"GET /patterns/cache-aside HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "{}", &text[..text.len().min(300)]);
    assert!(text.contains("Cache-aside"));
    let (status, _) = send(&address, b"HEAD /api/search?q=cache HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200);
    // HTTP/0.9 (a bare request line) is not HTTP/1.x: refused.
    let outcome = send(&address, b"GET /\r\n\r\n");
    assert_refused("HTTP/0.9", &outcome);
    assert_still_serving(&server, "HTTP/1.0").await;
}

#[tokio::test]
async fn a_slow_client_does_not_hold_up_others_and_is_closed() {
    let server = TestServer::builtin();
    let address = server.address().to_string();
    // Sends its headers one byte every 100 ms, and never finishes them.
    let slow_address = address.clone();
    let slow = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(&slow_address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(10)))
            .expect("timeout");
        let head = format!("GET /healthz HTTP/1.1\r\nHost: {slow_address}\r\nX-Slow: ");
        let started = Instant::now();
        let mut bytes = head.bytes().chain(std::iter::repeat(b'z'));
        let mut answer = Vec::new();
        loop {
            if started.elapsed() > Duration::from_secs(60) {
                return None;
            }
            let byte = bytes.next().expect("endless");
            if stream.write_all(&[byte]).is_err() {
                return Some((started.elapsed(), answer));
            }
            let mut buffer = [0u8; 1024];
            match stream.read(&mut buffer) {
                Ok(0) => return Some((started.elapsed(), answer)),
                Ok(read) => answer.extend_from_slice(&buffer[..read]),
                Err(error)
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return Some((started.elapsed(), answer)),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    // Meanwhile everyone else is answered as usual.
    for round in 0..20 {
        let started = Instant::now();
        let response = server.get("/patterns/cache-aside").await;
        assert_eq!(response.status(), StatusCode::OK, "round {round}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "round {round} waited {:?} behind the slow client",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let outcome = tokio::task::spawn_blocking(move || slow.join().expect("the slow client ran"))
        .await
        .expect("join");
    let (after, answer) = outcome.expect("the server closed the slow client within 60 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408") || answer.starts_with("HTTP/1.1 4"),
        "{answer}"
    );
    assert!(
        after >= Duration::from_secs(5),
        "closed too soon: {after:?}"
    );
    assert_still_serving(&server, "the slow client").await;
}
