//! Lays out a page's rendered blocks in order, so widgets sit where the author put them.

use crate::islands::{CacheVisualizerWidget, CircuitBreakerWidget, EstimateWidget};
use crate::model::{Block, WidgetKind, WidgetSpec};
use crate::sim::cache::{Settings, Simulation, Snapshot};
use leptos::prelude::*;

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
#[component]
fn Widget(spec: WidgetSpec) -> impl IntoView {
    let WidgetSpec { kind, params } = spec;
    let island = match kind {
        WidgetKind::Estimate => view! { <EstimateWidget params=params/> }.into_any(),
        WidgetKind::CacheVisualizer => {
            // Rendered once per edition; the island hydrates from this instead of rerunning it.
            let start = Snapshot::of(&Simulation::started(Settings::from_params(&params))).encode();
            view! { <CacheVisualizerWidget params=params start=start/> }.into_any()
        }
        WidgetKind::CircuitBreaker => view! { <CircuitBreakerWidget params=params/> }.into_any(),
    };
    view! {
        <figure class="widget" data-widget=kind.name() data-test="widget">
            <figcaption>
                <span class="widget-badge">"Interactive"</span>
                <strong>{kind.title()}</strong>
            </figcaption>
            {island}
        </figure>
    }
}
