//! How a widget island gets its starting configuration without island props.
//!
//! Leptos hands island props to the browser as JSON and parses them there with serde_json,
//! which put serde_json's parser (about 18 KB before compression) into the WASM of every
//! widget page. Instead, the server writes the configuration as plain `data-` attributes on
//! the widget's `<figure>` (see `components/blocks.rs`) and the island reads it back here:
//! on the server from a context the figure provides, in the browser from the attribute.

use crate::model::WidgetKind;

/// What a widget starts from: the author's parameters and, for the cache visualizer, the
/// server's snapshot of the run (empty for the other widgets).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WidgetConfig {
    pub params: Vec<(String, String)>,
    pub start: String,
}

/// The figure's attribute holding the author's parameters (written in `components/blocks.rs`,
/// whose `view!` needs the names spelled out).
pub const PARAMS_ATTRIBUTE: &str = "data-params";
/// The figure's attribute holding the cache visualizer's starting snapshot.
pub const START_ATTRIBUTE: &str = "data-start";

/// Parameters as one attribute value: `name=value` words separated by spaces, as the author
/// wrote them. The loader only accepts words without whitespace, so this reads back intact.
pub fn encode_params(params: &[(String, String)]) -> String {
    let mut text = String::new();
    for (name, value) in params {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(value);
    }
    text
}

/// Reads [`encode_params`]'s form back; a word without `=` (a page edited by hand) is skipped,
/// as the widgets' own readers skip names they do not know.
pub fn decode_params(text: &str) -> Vec<(String, String)> {
    text.split_whitespace()
        .filter_map(|word| word.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// The configuration of the widget island being built now.
///
/// On the server the enclosing figure provides it as context just before it creates the
/// island.
#[cfg(not(feature = "hydrate"))]
pub fn current(_kind: WidgetKind) -> WidgetConfig {
    leptos::prelude::use_context::<WidgetConfig>().unwrap_or_default()
}

/// The configuration of the widget island being hydrated now.
///
/// The page's island loader (`app/assets/site.js`) hydrates one island at a time and marks
/// the one it is hydrating with `data-hydrating`; its figure holds the configuration.
#[cfg(feature = "hydrate")]
pub fn current(kind: WidgetKind) -> WidgetConfig {
    let figure = leptos::prelude::document()
        .query_selector("leptos-island[data-hydrating]")
        .ok()
        .flatten()
        .and_then(|island| {
            island
                .closest(&format!("figure[data-widget=\"{}\"]", kind.name()))
                .ok()
                .flatten()
        });
    let attribute = |name: &str| {
        figure
            .as_ref()
            .and_then(|figure| figure.get_attribute(name))
            .unwrap_or_default()
    };
    WidgetConfig {
        params: decode_params(&attribute(PARAMS_ATTRIBUTE)),
        start: attribute(START_ATTRIBUTE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::params;

    #[test]
    fn parameters_read_back_as_the_author_wrote_them() {
        let written = params(&[
            ("users", "20M"),
            ("size", "1KB"),
            ("preset", "url-shortener"),
        ]);
        let text = encode_params(&written);
        assert_eq!(text, "users=20M size=1KB preset=url-shortener");
        assert_eq!(decode_params(&text), written);
        assert_eq!(decode_params(&encode_params(&[])), Vec::new());
    }

    #[test]
    fn a_value_may_hold_an_equals_sign_and_stray_words_are_skipped() {
        assert_eq!(
            decode_params("pattern=a=b  stray seed=7 "),
            params(&[("pattern", "a=b"), ("seed", "7")])
        );
    }
}
