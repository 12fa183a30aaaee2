//! A team content folder full of XSS payloads (`tests/fixtures/hostile`), and hostile search
//! queries: the HTML Cairn serves carries no script of the author's, no event handler and
//! no script URL; poisoned widget parameters are refused at load with file and line.

use crate::support::TestServer;
use reqwest::{header, StatusCode};
use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn hostile_server() -> TestServer {
    TestServer::builder()
        .arg("--no-builtin")
        .arg("--content")
        .arg(fixture("hostile"))
        .start()
}

/// One start tag: its name and its attributes (name, raw value), lower-cased names.
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// A small tokenizer for the well-formed HTML Cairn emits: start tags with their
/// attributes, skipping comments, end tags and the bodies of `<script>` elements (whose
/// text is checked separately).
fn start_tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset + 1;
        at = start;
        if html[start..].starts_with("!--") {
            at = html[start..]
                .find("-->")
                .map_or(html.len(), |end| start + end + 3);
            continue;
        }
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut cursor = start;
        while cursor < bytes.len()
            && !bytes[cursor].is_ascii_whitespace()
            && !matches!(bytes[cursor], b'>' | b'/')
        {
            cursor += 1;
        }
        let name = html[start..cursor].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while cursor < bytes.len()
                && (bytes[cursor].is_ascii_whitespace() || bytes[cursor] == b'/')
            {
                cursor += 1;
            }
            if cursor >= bytes.len() || bytes[cursor] == b'>' {
                break;
            }
            let name_start = cursor;
            while cursor < bytes.len()
                && !bytes[cursor].is_ascii_whitespace()
                && !matches!(bytes[cursor], b'=' | b'>' | b'/')
            {
                cursor += 1;
            }
            let attribute = html[name_start..cursor].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(cursor) == Some(&b'=') {
                cursor += 1;
                match bytes.get(cursor) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[cursor + 1..]
                            .find(quote as char)
                            .map_or(html.len(), |end| cursor + 1 + end);
                        value = html[cursor + 1..end].to_string();
                        cursor = (end + 1).min(html.len());
                    }
                    _ => {
                        let value_start = cursor;
                        while cursor < bytes.len()
                            && !bytes[cursor].is_ascii_whitespace()
                            && bytes[cursor] != b'>'
                        {
                            cursor += 1;
                        }
                        value = html[value_start..cursor].to_string();
                    }
                }
            }
            attributes.push((attribute, value));
        }
        at = cursor;
        if name == "script" {
            at = html[at..]
                .find("</script>")
                .map_or(html.len(), |end| at + end);
        }
        tags.push(Tag { name, attributes });
    }
    tags
}

/// Decodes the character references a browser would decode in an attribute value, and
/// drops the whitespace and control characters it ignores in a URL scheme.
fn url_as_browser_reads(value: &str) -> String {
    let decoded = html_escape::decode_html_entities(value);
    decoded
        .chars()
        .filter(|ch| !ch.is_whitespace() && !ch.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Everything that would let markup in `html` run script, described for the failure message.
/// (`<svg>` itself is allowed: Cairn's own logo mark is one; what could run inside one, a
/// script, a handler, a script URL or an animation of one, is flagged.)
fn dangers(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        if matches!(
            tag.name.as_str(),
            "iframe" | "object" | "embed" | "base" | "form" | "meta" | "style" | "template" | "frame" | "applet" | "foreignobject" | "animate" | "set"
        ) && !(tag.name == "meta" && tag.attributes.iter().all(|(name, _)| name != "http-equiv"))
            // Cairn's own search forms (header and search page) post nowhere else.
            && !(tag.name == "form"
                && tag
                    .attributes
                    .iter()
                    .any(|(name, value)| name == "action" && value == "/search"))
        {
            found.push(format!("<{}> element", tag.name));
        }
        if tag.name == "script" {
            let src = tag.attributes.iter().find(|(name, _)| name == "src");
            match src {
                // Cairn's own scripts: the theme switch and the islands loader.
                Some((_, src)) if src.starts_with("/assets/") || src.starts_with("/pkg/") => {}
                Some((_, src)) => found.push(format!("<script src={src}>")),
                None => {}
            }
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                found.push(format!("<{} {name}=…> event handler", tag.name));
            }
            if name == "style" {
                found.push(format!("<{} style=…>", tag.name));
            }
            if matches!(
                name.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "xlink:href"
                    | "data"
                    | "srcdoc"
                    | "poster"
                    | "background"
                    | "to"
                    | "values"
                    | "from"
            ) {
                let url = url_as_browser_reads(value);
                if ["javascript:", "vbscript:", "data:text", "data:application"]
                    .iter()
                    .any(|scheme| url.starts_with(scheme))
                    || (url.starts_with("data:image/svg") && tag.name != "img")
                    || name == "srcdoc"
                {
                    found.push(format!("<{} {name}=\"{value}\">", tag.name));
                }
            }
        }
    }
    // Inline scripts: only Cairn's own (the theme bootstrap) may appear, and it does not
    // mention the payloads' flag.
    let inline =
        html.matches("<script>").count() + html.matches("<script type=\"module\">").count();
    if inline > 1 {
        found.push(format!("{inline} inline scripts"));
    }
    for marker in ["__pwned", "alert(", "msgbox("] {
        for (offset, _) in html.match_indices(marker) {
            // The payload text may be shown (escaped) to the reader; it must never be in a
            // script element.
            let before = &html[..offset];
            let open = before.rfind("<script");
            let close = before.rfind("</script>");
            if open.is_some() && open > close {
                found.push(format!("`{marker}` inside a <script> element"));
            }
        }
    }
    found
}

fn assert_harmless(what: &str, html: &str) {
    let found = dangers(html);
    assert!(
        found.is_empty(),
        "{what} serves dangerous markup: {found:#?}"
    );
}

#[test]
fn the_detector_sees_what_the_browser_would_run() {
    // The checks below are only as good as this scanner: prove it flags each construct.
    for (html, expected) in [
        ("<p><img src=x onerror=alert(1)></p>", "onerror"),
        ("<a href=\"&#106;avascript:x()\">", "href"),
        ("<a href=\" JaVa&#x09;Script:x()\">", "href"),
        ("<a href='vbscript:x'>", "href"),
        ("<iframe src=x></iframe>", "iframe"),
        (
            "<form action=\"https://evil.example/\"><button>go</button></form>",
            "form",
        ),
        (
            "<svg><animate attributeName=\"href\" to=\"javascript:x()\"/></svg>",
            "animate",
        ),
        ("<p style=\"x:expression(1)\">", "style"),
        (
            "<script src=\"https://evil.example/x.js\"></script>",
            "script src",
        ),
        ("<script>window.__pwned=1</script>", "inside a <script>"),
        (
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\">",
            "meta",
        ),
    ] {
        let found = dangers(html);
        assert!(
            found.iter().any(|danger| danger.contains(expected)),
            "{html}: {found:?}"
        );
    }
    assert!(dangers("<p title=\"a\">&lt;script&gt;window.__pwned=1&lt;/script&gt; onerror=x</p><a href=\"/patterns/x\">x</a>").is_empty());
}

#[tokio::test]
async fn no_page_of_the_hostile_folder_serves_a_script_or_a_handler() {
    let server = hostile_server();
    for path in [
        "/",
        "/patterns/markup",
        "/patterns/links",
        "/categories/xss",
        "/patterns/does-not-exist%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
    ] {
        let (status, headers, html) = server.text(path).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .expect("ascii")
                .starts_with("text/html"),
            "{path}"
        );
        assert_harmless(path, &html);
    }

    // The payloads are shown as text (escaped), not dropped silently from titles.
    let (_, _, html) = server.text("/patterns/markup").await;
    assert!(
        html.contains("<title>Markup &lt;script&gt;window.__pwned = 'title'&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("data-widget=\"estimate\""),
        "the real widget is kept"
    );
    let (_, _, html) = server.text("/patterns/links").await;
    assert!(
        html.contains("&#39;</span>code-block<span"),
        "the code block shows its payload as highlighted text: {html}"
    );
    assert!(
        html.contains("href=\"/files/img/drawing.svg\""),
        "the SVG file is linked: {html}"
    );
}

#[tokio::test]
async fn an_svg_file_with_script_is_served_sandboxed() {
    let server = hostile_server();
    let response = server.get("/files/img/drawing.svg").await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(policy.contains("sandbox"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
}

#[tokio::test]
async fn hostile_queries_come_back_escaped() {
    let server = hostile_server();
    let payloads = [
        "<script>window.__pwned='q'</script>",
        "\"><img src=x onerror=alert('q')>",
        "javascript:alert('q')",
        "' onmouseover='alert(1)",
        "<svg/onload=alert('q')>",
        "</title><script>alert(1)</script>",
        "hostilemarker pwned script",
    ];
    for payload in payloads {
        let encoded: String = url_encode(payload);
        for path in [
            format!("/search?q={encoded}"),
            format!("/search?q={encoded}&level={encoded}"),
            format!("/search?q=x&category={encoded}"),
            format!("/search?q=x&tag={encoded}"),
        ] {
            let (status, headers, html) = server.text(&path).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
                "{path}: {status}"
            );
            assert!(headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .expect("ascii")
                .contains("script-src 'self'"));
            assert_harmless(&path, &html);
        }
        // The JSON API is JSON: a browser never renders it as a page.
        let response = server
            .get(&format!("/api/search?q={encoded}&tag={encoded}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("application/json"));
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        let response = server.get(&format!("/api/search?q={encoded}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{payload}");
        let json: serde_json::Value = response.json().await.expect("json");
        for hit in json["hits"].as_array().expect("hits") {
            let snippet = hit["snippet"].as_str().expect("snippet");
            assert_harmless(&format!("snippet for {payload}"), snippet);
            assert!(
                !snippet.contains("<script") && !snippet.contains("<img"),
                "{snippet}"
            );
        }
    }
    // A search that finds the payload pages shows their text escaped, never as markup.
    let (_, _, html) = server.text("/search?q=pwned").await;
    assert!(
        html.contains("hit-snippet"),
        "the hostile pages are found: {html}"
    );
    assert_harmless("/search?q=pwned", &html);
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[test]
fn poisoned_widget_parameters_are_refused_with_file_and_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args([
            "--check",
            "--no-builtin",
            "--content",
            &fixture("hostile-refused"),
        ])
        .env("CAIRN_LOG", "warn")
        .output()
        .expect("cairn runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("7 content errors"), "{text}");
    for expected in [
        "notes/poisoned.md:6: widget `estimate`: `preset=<script>",
        "notes/poisoned.md:10: widget `cache-visualizer`: `pattern=\"><img",
        "notes/poisoned.md:14: widget `estimate`: `users=1e9999` is not valid",
        "notes/poisoned.md:18: unknown widget `<svg/onload=alert(1)>`",
        "notes/poisoned.md:22: widget `circuit-breaker`: `javascript:alert(1)` is not a `name=value` parameter",
        "notes/poisoned.md:29: broken link to `%20javascript:",
        "notes/poisoned.md:30: broken link to `java\tscript:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}
