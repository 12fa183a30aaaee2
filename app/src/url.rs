//! Building URLs: query-string values percent-encoded the way forms send them.

/// Percent-encodes `value` for a query string, with spaces as `+`.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte))
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Puts every site-absolute link of a rendered document (`href="/..."`, `src="/..."`,
/// `action="/..."`) under `prefix` (`/handbook`), for a site served under a sub-path behind
/// a proxy. Links that are already under `{prefix}/pkg/` (Leptos's own loader links) and
/// protocol-relative or absolute URLs are left alone.
pub fn under_prefix(html: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return html.to_string();
    }
    let already = format!("{prefix}/pkg/");
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut rest = html;
    while let Some(at) = next_link_attribute(rest) {
        let (before, value) = rest.split_at(at);
        out.push_str(before);
        if value.starts_with('/') && !value.starts_with("//") && !value.starts_with(&already) {
            out.push_str(prefix);
        }
        rest = value;
    }
    out.push_str(rest);
    out
}

/// Where the value of the next `href="`, `src="` or `action="` attribute starts.
fn next_link_attribute(html: &str) -> Option<usize> {
    ["href=\"", "src=\"", "action=\""]
        .iter()
        .filter_map(|name| {
            html.match_indices(name)
                .find(|(at, _)| html[..*at].ends_with([' ', '\n', '\t']))
                .map(|(at, _)| at + name.len())
        })
        .min()
}

/// The sub-path the site is served under, as the page says (`<html data-base-path>`).
#[cfg(feature = "hydrate")]
pub fn base_path() -> String {
    leptos::prelude::document()
        .document_element()
        .and_then(|root| root.get_attribute("data-base-path"))
        .unwrap_or_default()
}

/// On the server, links are put under the sub-path after rendering (see [`under_prefix`]).
#[cfg(not(feature = "hydrate"))]
pub fn base_path() -> String {
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_move_under_the_prefix() {
        let html = r##"<a href="/patterns/x">x</a><img src="/files/a.png"><form action="/search"></form><a href="https://e.x/y">e</a><a href="//cdn">c</a><a href="#top">t</a><link rel="modulepreload" href="/handbook/pkg/cairn.js"><p>href="/not-an-attribute"</p>"##;
        assert_eq!(
            under_prefix(html, "/handbook"),
            r##"<a href="/handbook/patterns/x">x</a><img src="/handbook/files/a.png"><form action="/handbook/search"></form><a href="https://e.x/y">e</a><a href="//cdn">c</a><a href="#top">t</a><link rel="modulepreload" href="/handbook/pkg/cairn.js"><p>href="/not-an-attribute"</p>"##
        );
        assert_eq!(under_prefix(html, ""), html);
    }

    #[test]
    fn encodes_like_a_form() {
        assert_eq!(encode_query_value("circuit breaker"), "circuit+breaker");
        assert_eq!(encode_query_value("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
        assert_eq!(encode_query_value("safe-_.~"), "safe-_.~");
    }
}
