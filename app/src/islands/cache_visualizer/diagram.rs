//! Where the current tick's requests go: application → cache → database.

use super::follows;
use crate::sim::cache::{Settings, Snapshot};
use leptos::prelude::*;

/// Stroke width for a flow, 1 to 7 units, growing with its share of the tick's traffic.
fn width(flow: u32, total: u32) -> u32 {
    let total = total.max(1);
    1 + (u64::from(flow.min(total)) * 6 / u64::from(total)) as u32
}

/// Where misses are loaded from the database: `app` when the application itself loads them
/// (cache-aside), `cache` when the cache layer does. One closure type for all four uses.
fn by_loader(
    settings: RwSignal<Settings>,
    app: &'static str,
    cache: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || {
        if settings.with(|s| s.pattern.cache_loads()) {
            cache
        } else {
            app
        }
    }
}

pub fn flow_diagram(
    shown: RwSignal<Snapshot>,
    settings: RwSignal<Settings>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <svg
            class="cv-diagram"
            class:cv-playing=move || playing.get()
            viewBox="0 0 320 116"
            role="img"
            aria-label=follows(shown, |now| {
                let s = now.last();
                format!(
                    "This tick: {} requests reach the cache, {} are answered there, the database receives {} queries",
                    s.reads + s.writes,
                    s.hits,
                    s.db_queries()
                )
            })
        >
            <rect class="cv-node" x="5" y="30" width="80" height="40" rx="6"></rect>
            <text class="cv-node-label" x="45" y="54">"App"</text>
            <rect class="cv-node" x="120" y="30" width="75" height="40" rx="6"></rect>
            <text class="cv-node-label" x="157" y="48">"Cache"</text>
            <text class="cv-node-note" x="157" y="63">{follows(shown, |now| format!("{}% hits", now.last().hit_percent()))}</text>
            <rect class="cv-node" x="240" y="30" width="75" height="40" rx="6"></rect>
            <text class="cv-node-label" x="277" y="48">"Database"</text>
            <text class="cv-node-note" x="277" y="63">{follows(shown, |now| {
                let s = now.last();
                format!("{}r {}w", s.db_reads, s.db_writes)
            })}</text>
            <path
                class="cv-flow"
                d="M85 50 L118 50"
                stroke-width=follows(shown, |now| {
                    let total = now.last().reads + now.last().writes;
                    width(total, total).to_string()
                })
            ></path>
            <path class="cv-arrowhead" d="M111 44 L120 50 L111 56 z"></path>
            <text class="cv-flow-label" x="102" y="22">{follows(shown, |now| (now.last().reads + now.last().writes).to_string())}</text>
            <path
                class="cv-flow cv-flow-db"
                d=by_loader(settings, "M45 70 C45 112, 275 112, 275 76", "M195 50 L232 50")
                stroke-width=follows(shown, |now| {
                    let s = now.last();
                    width(s.db_queries(), s.reads + s.writes).to_string()
                })
            ></path>
            <path class="cv-arrowhead" d=by_loader(settings, "M269 80 L275 71 L281 80 z", "M229 44 L238 50 L229 56 z")></path>
            <text class="cv-flow-label" x=by_loader(settings, "160", "215") y=by_loader(settings, "108", "38")>
                {follows(shown, |now| format!("{} queries", now.last().db_queries()))}
            </text>
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
