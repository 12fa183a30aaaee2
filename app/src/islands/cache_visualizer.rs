//! The `cache_visualizer` island (being written).

use leptos::prelude::*;

/// Parameters as the author wrote them in the ```` ```widget ```` block, already checked by the loader.
#[island]
pub fn CacheVisualizerWidget(params: Vec<(String, String)>) -> impl IntoView {
    let count = params.len();
    view! { <p>{format!("{count} parameters")}</p> }
}
