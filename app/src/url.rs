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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_form() {
        assert_eq!(encode_query_value("circuit breaker"), "circuit+breaker");
        assert_eq!(encode_query_value("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
        assert_eq!(encode_query_value("safe-_.~"), "safe-_.~");
    }
}
