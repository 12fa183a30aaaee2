//! Islands: the only parts of a page that hydrate in the browser.

mod cache_visualizer;
mod circuit_breaker;
pub mod config;
mod estimate;
mod instant_search;

pub use cache_visualizer::CacheVisualizerWidget;
pub use circuit_breaker::CircuitBreakerWidget;
pub use estimate::EstimateWidget;
pub use instant_search::InstantSearch;

/// On the server, erases a part of a widget's view type: a whole widget as one nested type
/// is deeper than the compiler's type-layout limit once the page wraps it. In the browser
/// the type is kept: erasing (`into_any`) links every rendering mode of the part (async
/// hydration among them) into the widget's WASM, 61 KB of it when first measured.
#[cfg(feature = "ssr")]
fn erased(view: impl leptos::prelude::IntoView + 'static) -> leptos::prelude::AnyView {
    use leptos::prelude::IntoAny;
    view.into_any()
}

#[cfg(not(feature = "ssr"))]
fn erased<V: leptos::prelude::IntoView>(view: V) -> V {
    view
}

/// A text that follows `signal` (a text node, an attribute or a property value), made from
/// its value by `draw`. The islands make their live texts here so that the closures share
/// one type per signal: each distinct closure type brings its own copy of Leptos's
/// rendering and effect code into the WASM.
fn follows<T: Send + Sync + 'static>(
    signal: leptos::prelude::RwSignal<T>,
    draw: fn(&T) -> String,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    use leptos::prelude::With;
    move || signal.with(draw)
}

/// Text made safe to place in markup, in an element or a quoted attribute.
fn escaped(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            _ => safe.push(character),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn markup_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escaped(r#"<b title="x">5 × 2 & more</b>"#),
            "&lt;b title=&quot;x&quot;&gt;5 × 2 &amp; more&lt;/b&gt;"
        );
    }
}
