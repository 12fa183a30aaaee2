//! Lays out a page's rendered blocks in order, so widgets sit where the author put them.

use crate::islands::config::{self, WidgetConfig};
use crate::islands::{CacheVisualizerWidget, CircuitBreakerWidget, EstimateWidget};
use crate::model::{Block, WidgetKind, WidgetSpec};
use crate::sim::cache::{Settings, Simulation, Snapshot};
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

#[component]
pub fn Blocks(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Html(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
            Block::Widget(spec) => view! { <Widget spec=spec/> }.into_any(),
        })
        .collect_view()
}

/// One widget: a figure the island draws into, first on the server, then live in the browser.
///
/// The figure carries the island's configuration as `data-` attributes (read back in the
/// browser) and provides it as context to the island rendered here (see `islands::config`).
#[component]
fn Widget(spec: WidgetSpec) -> impl IntoView {
    let WidgetSpec { kind, params } = spec;
    let start = match kind {
        // Rendered once per edition; the island hydrates from this instead of rerunning it.
        WidgetKind::CacheVisualizer => {
            Snapshot::of(&Simulation::started(Settings::from_params(&params))).encode()
        }
        WidgetKind::Estimate | WidgetKind::CircuitBreaker => String::new(),
    };
    let params_attribute = config::encode_params(&params);
    let start_attribute = (!start.is_empty()).then(|| start.clone());
    // An owner of the widget's own carries the context (the page's view may be built before
    // any owner exists), and the view keeps it alive until the page is rendered.
    let owner = Owner::new();
    let island = owner.with(|| {
        provide_context(WidgetConfig { params, start });
        match kind {
            WidgetKind::Estimate => view! { <EstimateWidget/> }.into_any(),
            WidgetKind::CacheVisualizer => view! { <CacheVisualizerWidget/> }.into_any(),
            WidgetKind::CircuitBreaker => view! { <CircuitBreakerWidget/> }.into_any(),
        }
    });
    let island = OwnedView::new_with_owner(island, owner);
    view! {
        <figure
            class="widget"
            data-widget=kind.name()
            data-test="widget"
            data-params=params_attribute
            data-start=start_attribute
        >
            <figcaption>
                <span class="widget-badge">"Interactive"</span>
                <strong>{kind.title()}</strong>
            </figcaption>
            {island}
        </figure>
    }
}
