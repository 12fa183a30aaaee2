//! Lays out a page's rendered blocks in order, so widgets sit where the author put them.

use crate::model::{Block, WidgetSpec};
use leptos::prelude::*;

#[component]
pub fn Blocks(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Html(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
            Block::Widget(spec) => view! { <WidgetPlaceholder spec=spec/> }.into_any(),
        })
        .collect_view()
}

/// Stands in for a widget whose island is not built yet: says what it is and how it starts.
#[component]
fn WidgetPlaceholder(spec: WidgetSpec) -> impl IntoView {
    let title = spec.kind.title();
    let params = spec
        .params
        .into_iter()
        .map(|(name, value)| {
            view! {
                <div class="widget-param">
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="widget widget-placeholder" data-widget=spec.kind.name() data-test="widget">
            <figcaption>
                <span class="widget-badge">"Interactive widget"</span>
                <strong>{title}</strong>
            </figcaption>
            <p>
                "This live simulation is not available in this build yet. It starts from these parameters:"
            </p>
            <dl class="widget-params">{params}</dl>
        </figure>
    }
}
