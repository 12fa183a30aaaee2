//! Where the current tick's requests go: application → cache → database.

use crate::sim::cache::{Pattern, TickStats};
use leptos::prelude::*;

/// Stroke width for a flow, 1 to 7 units, growing with its share of the tick's traffic.
fn width(flow: u32, total: u32) -> u32 {
    let total = total.max(1);
    1 + (u64::from(flow.min(total)) * 6 / u64::from(total)) as u32
}

#[component]
pub fn FlowDiagram(
    last: Memo<TickStats>,
    pattern: Memo<Pattern>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    let total = move || last.with(|s| s.reads + s.writes);
    let to_cache = move || width(total(), total());
    let to_db = move || last.with(|s| width(s.db_queries(), s.reads + s.writes));
    // Cache-aside: the application itself loads misses from the database.
    let app_loads = move || !pattern.get().cache_loads();
    let db_path = move || {
        if app_loads() {
            "M45 70 C45 112, 275 112, 275 76"
        } else {
            "M195 50 L232 50"
        }
    };
    let db_label_y = move || if app_loads() { 108 } else { 38 };
    let db_label_x = move || if app_loads() { 160 } else { 215 };
    view! {
        <svg
            class="cv-diagram"
            class:cv-playing=move || playing.get()
            viewBox="0 0 320 116"
            role="img"
            aria-label=move || {
                last.with(|s| {
                    format!(
                        "This tick: {} requests reach the cache, {} are answered there, the database receives {} queries",
                        s.reads + s.writes,
                        s.hits,
                        s.db_queries()
                    )
                })
            }
        >
            <rect class="cv-node" x="5" y="30" width="80" height="40" rx="6"></rect>
            <text class="cv-node-label" x="45" y="54">"App"</text>
            <rect class="cv-node" x="120" y="30" width="75" height="40" rx="6"></rect>
            <text class="cv-node-label" x="157" y="48">"Cache"</text>
            <text class="cv-node-note" x="157" y="63">{move || format!("{}% hits", last.with(TickStats::hit_percent))}</text>
            <rect class="cv-node" x="240" y="30" width="75" height="40" rx="6"></rect>
            <text class="cv-node-label" x="277" y="48">"Database"</text>
            <text class="cv-node-note" x="277" y="63">{move || last.with(|s| format!("{}r {}w", s.db_reads, s.db_writes))}</text>
            <path class="cv-flow" d="M85 50 L118 50" stroke-width=to_cache></path>
            <path class="cv-arrowhead" d="M111 44 L120 50 L111 56 z"></path>
            <text class="cv-flow-label" x="102" y="22">{total}</text>
            <path class="cv-flow cv-flow-db" d=db_path stroke-width=to_db></path>
            <path class="cv-arrowhead" d=move || if app_loads() { "M269 80 L275 71 L281 80 z" } else { "M229 44 L238 50 L229 56 z" }></path>
            <text class="cv-flow-label" x=db_label_x y=db_label_y>{move || format!("{} queries", last.with(TickStats::db_queries))}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_width_grows_with_share() {
        assert_eq!(width(0, 100), 1);
        assert_eq!(width(50, 100), 4);
        assert_eq!(width(100, 100), 7);
        assert_eq!(width(5, 0), 7, "never wider than the full flow");
    }
}
