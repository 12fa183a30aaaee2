//! The cache-pattern visualizer island: controls, live charts, a flow diagram and a table over
//! the pure simulation in `crate::sim::cache`.
//!
//! The server renders the state after the first ticks, so the charts and figures are filled
//! in before any WASM arrives, and passes that state to the island as a [`Snapshot`]: the
//! browser hydrates from it without simulating anything, then rebuilds the run (the same
//! deterministic ticks) a few ticks per task in the background, so no long task blocks the
//! page. A control used before that is done finishes the rebuild first.

mod chart;
mod diagram;

use super::{config, erased};
use crate::model::WidgetKind;
use crate::number;
use crate::sim::cache::{
    describe_tick, Pattern, Scenario, Settings, Simulation, Snapshot, TickStats, START_TICKS,
};
use chart::{Chart, Series};
use diagram::FlowDiagram;
use leptos::prelude::*;

/// Playback speeds offered, in ticks per second.
const SPEEDS: [u32; 5] = [1, 2, 5, 10, 20];
const DEFAULT_SPEED: u32 = 5;

const CHARTS: [Series; 4] = [
    Series {
        title: "Hit ratio",
        unit: "%",
        test_id: "chart-hit-ratio",
        fixed_max: Some(100),
        value: TickStats::hit_percent,
    },
    Series {
        title: "Database load",
        unit: "queries",
        test_id: "chart-db-load",
        fixed_max: None,
        value: TickStats::db_queries,
    },
    Series {
        title: "Stale reads",
        unit: "reads",
        test_id: "chart-stale-reads",
        fixed_max: None,
        value: |stats| stats.stale_reads,
    },
    Series {
        title: "Lost writes",
        unit: "writes",
        test_id: "chart-lost-writes",
        fixed_max: None,
        value: |stats| stats.lost_writes,
    },
];

/// What the trigger button says for a scenario.
fn trigger_label(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::None => "Trigger (choose a scenario)",
        Scenario::Herd => "Expire every key now",
        Scenario::Penetration => "Send requests for missing keys",
        Scenario::Restart => "Restart the cache node",
    }
}

/// The run as the widget keeps it in the browser: `None` until the rebuild starts.
type Run = StoredValue<Option<Simulation>>;

/// Applies `change` to the run (finishing its rebuild first if need be) and shows the result.
fn live(
    run: Run,
    settings: RwSignal<Settings>,
    shown: RwSignal<Snapshot>,
    change: impl FnOnce(&mut Simulation),
) {
    let next = run.try_update_value(|slot| {
        let simulation = slot.get_or_insert_with(|| Simulation::new(settings.get_untracked()));
        simulation.warm_up(START_TICKS);
        change(simulation);
        Snapshot::of(simulation)
    });
    if let Some(next) = next {
        shown.set(next);
    }
}

/// Starts from the block's parameters as the author wrote them in the ```` ```widget ````
/// block, already checked by the loader, and the state after the first ticks of that run in
/// [`Snapshot::encode`]'s form (see the module comment); both come through
/// [`config`](super::config).
// Lazy in the browser: its code is a separate WASM chunk, fetched only by pages that show
// it. (A bare `island(lazy)` would also compile the lazy loader into the server build.)
#[cfg_attr(feature = "hydrate", island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
pub fn CacheVisualizerWidget() -> impl IntoView {
    let config::WidgetConfig { params, start } = config::current(WidgetKind::CacheVisualizer);
    let initial = Settings::from_params(&params);
    let (initial_pattern, initial_scenario) = (initial.pattern, initial.scenario);
    // Only a page edited by hand fails to decode; simulating is the slow but right answer.
    let opening = Snapshot::decode(&start)
        .unwrap_or_else(|| Snapshot::of(&Simulation::started(initial.clone())));
    let settings = RwSignal::new(initial);
    let run: Run = StoredValue::new(None);
    let shown = RwSignal::new(opening);
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(DEFAULT_SPEED);
    let announcement = RwSignal::new(String::new());

    let history = Memo::new(move |_| shown.with(|now| now.history.clone()));
    let last = Memo::new(move |_| shown.with(Snapshot::last));
    let pattern = Memo::new(move |_| settings.with(|s| s.pattern));
    let scenario = Memo::new(move |_| settings.with(|s| s.scenario));

    #[cfg(feature = "hydrate")]
    {
        browser::rebuild(run, settings);
        browser::drive(playing, speed, move || {
            live(run, settings, shown, |simulation| {
                simulation.step();
            })
        });
    }

    let announce_last =
        move || announcement.set(shown.with_untracked(|now| describe_tick(&now.last())));
    let step = move |_| {
        playing.set(false);
        live(run, settings, shown, |simulation| {
            simulation.step();
        });
        announce_last();
    };
    let toggle_play = move |_| {
        let now_playing = !playing.get_untracked();
        playing.set(now_playing);
        if now_playing {
            announcement.set("Playing.".to_string());
        } else {
            announce_last();
        }
    };
    // A fresh run replaces any rebuild still under way.
    let restart = move || {
        let simulation = Simulation::started(settings.get_untracked());
        shown.set(Snapshot::of(&simulation));
        run.set_value(Some(simulation));
    };
    let reset = move |_| {
        restart();
        announcement.set(format!(
            "Replayed from the start with seed {}: {}",
            settings.with_untracked(|s| s.seed),
            shown.with_untracked(|now| describe_tick(&now.last()))
        ));
    };
    let trigger = move |_| {
        if scenario.get_untracked() == Scenario::None {
            return;
        }
        live(run, settings, shown, Simulation::trigger);
        announcement.set(format!(
            "{}: takes effect on the next tick.",
            trigger_label(scenario.get_untracked())
        ));
    };
    // Any change of settings replays the run from tick 0 with the same seed, so a setting can
    // be compared against the same request stream.
    let change = move |name: &'static str, value: String| {
        settings.update(|s| s.set(name, &value));
        restart();
        announcement.set(format!(
            "Setting changed; replayed from the start. {}",
            shown.with_untracked(|now| describe_tick(&now.last()))
        ));
    };

    let number_field = move |label: &'static str,
                             name: &'static str,
                             min: &'static str,
                             max: &'static str,
                             step: &'static str,
                             value: fn(&Settings) -> String| {
        let initial = settings.with_untracked(value);
        erased(view! {
            <label class="cv-field">
                <span>{label}</span>
                <input
                    type="number"
                    inputmode="decimal"
                    min=min
                    max=max
                    step=step
                    value=initial
                    prop:value=move || settings.with(value)
                    data-test=format!("setting-{name}")
                    on:change=move |event| change(name, event_target_value(&event))
                />
            </label>
        })
    };
    let check_field = move |label: &'static str,
                            name: &'static str,
                            value: fn(&Settings) -> bool| {
        let initial = settings.with_untracked(value);
        erased(view! {
            <label class="cv-check">
                <input
                    type="checkbox"
                    checked=initial
                    prop:checked=move || settings.with(value)
                    data-test=format!("setting-{name}")
                    on:change=move |event| change(name, event_target_checked(&event).to_string())
                />
                <span>{label}</span>
            </label>
        })
    };

    let figures = move || {
        let stats = last.get();
        let (totals, entries, capacity) = shown.with(|now| (now.totals, now.entries, now.capacity));
        let rows: [(&str, &str, String, String); 8] = [
            (
                "Requests (reads / writes)",
                "requests",
                format!("{} / {}", stats.reads, stats.writes),
                format!("{} / {}", totals.reads, totals.writes),
            ),
            (
                "Hit ratio",
                "hit-ratio",
                format!("{}%", stats.hit_percent()),
                format!("{}%", totals.hit_percent()),
            ),
            (
                "Database queries",
                "db-queries",
                stats.db_queries().to_string(),
                (totals.db_reads + totals.db_writes).to_string(),
            ),
            (
                "Misses waiting on a rebuild",
                "coalesced",
                stats.coalesced.to_string(),
                String::new(),
            ),
            (
                "Reads for missing keys",
                "missing-reads",
                stats.missing_reads.to_string(),
                String::new(),
            ),
            (
                "Stale reads",
                "stale-reads",
                stats.stale_reads.to_string(),
                totals.stale_reads.to_string(),
            ),
            (
                "Lost writes",
                "lost-writes",
                stats.lost_writes.to_string(),
                totals.lost_writes.to_string(),
            ),
            (
                "Cache entries",
                "entries",
                format!("{entries} of {capacity}"),
                String::new(),
            ),
        ];
        rows.into_iter()
            .map(|(label, id, now, run)| {
                view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <td data-test=format!("figure-{id}")>{now}</td>
                        <td>{run}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    // Built in parts and type-erased on the server: one nested view type this size
    // overflows the compiler (see `erased`).
    let transport = erased(view! {
            <div class="cv-transport" role="group" aria-label="Playback">
                <button type="button" class="cv-button cv-primary" data-test="play" on:click=toggle_play>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" class="cv-button" data-test="step" on:click=step>"Step"</button>
                <button type="button" class="cv-button" data-test="reset" on:click=reset>"Reset"</button>
                <label class="cv-field cv-inline">
                    <span>"Speed"</span>
                    <select data-test="speed" on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).parse::<u32>() {
                            speed.set(value);
                        }
                    }>
                        {SPEEDS
                            .into_iter()
                            .map(|value| view! { <option value=value selected={value == DEFAULT_SPEED}>{format!("{value} ticks/s")}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button
                    type="button"
                    class="cv-button cv-trigger"
                    data-test="trigger"
                    disabled=move || scenario.get() == Scenario::None
                    on:click=trigger
                >
                    {move || trigger_label(scenario.get())}
                </button>
            </div>
    });
    let settings_panel = erased(view! {
            <details class="cv-settings">
                <summary>"Settings"</summary>
                <div class="cv-settings-grid">
                    <label class="cv-field">
                        <span>"Pattern"</span>
                        <select data-test="setting-pattern" prop:value=move || pattern.get().name() on:change=move |event| change("pattern", event_target_value(&event))>
                            {Pattern::ALL
                                .into_iter()
                                .map(|option| view! { <option value=option.name() selected={option == initial_pattern}>{option.name()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="cv-field">
                        <span>"Scenario"</span>
                        <select data-test="setting-scenario" prop:value=move || scenario.get().name() on:change=move |event| change("scenario", event_target_value(&event))>
                            {Scenario::ALL
                                .into_iter()
                                .map(|option| view! { <option value=option.name() selected={option == initial_scenario}>{option.name()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    {number_field("Keys", "keys", "1", "1000000", "1", |s| s.keys.to_string())}
                    {number_field("Zipf skew", "skew", "0", "5", "0.1", |s| number::shortest(s.skew))}
                    {number_field("Capacity (entries)", "capacity", "1", "1000000", "1", |s| s.capacity.to_string())}
                    {number_field("TTL (ticks)", "ttl", "1", "100000", "1", |s| s.ttl.to_string())}
                    {number_field("TTL jitter (%)", "jitter", "0", "100", "1", |s| number::shortest(s.jitter))}
                    {number_field("Reads (%)", "reads", "0", "100", "1", |s| number::shortest(s.reads))}
                    {number_field("Requests per tick", "rate", "1", "100000", "1", |s| s.rate.to_string())}
                    {number_field("Seed", "seed", "0", "9007199254740991", "1", |s| s.seed.to_string())}
                    {check_field("Rebuild lock", "lock", |s| s.lock)}
                    {check_field("Negative caching", "negative", |s| s.negative)}
                </div>
                <p class="cv-note">"Changing a setting replays the run from the start with the same seed. Requests above 1,000 a tick are sampled and scaled."</p>
            </details>
    });
    let charts = CHARTS
        .into_iter()
        .map(|series| erased(view! { <Chart series=series history=history/> }))
        .collect_view();

    view! {
        <div class="cache-visualizer" data-test="cache-visualizer">
            {transport}
            <p class="cv-summary" data-test="summary">{move || describe_tick(&last.get())}</p>
            <p class="visually-hidden" aria-live="polite" data-test="announcement">{move || announcement.get()}</p>
            <div class="cv-charts">
                {charts}
            </div>
            <FlowDiagram last=last pattern=pattern playing=playing/>
            <table class="cv-figures" data-test="figures">
                <caption>{move || format!("Figures at tick {}", last.with(|s| s.tick))}</caption>
                <thead>
                    <tr><th scope="col">"Measure"</th><th scope="col">"This tick"</th><th scope="col">"Whole run"</th></tr>
                </thead>
                <tbody>{figures}</tbody>
            </table>
            {settings_panel}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser side: the background rebuild of the run and the play timer.

    use super::Run;
    use crate::sim::cache::{Settings, Simulation};
    use leptos::leptos_dom::helpers::{set_interval_with_handle, set_timeout, IntervalHandle};
    use leptos::prelude::*;
    use std::time::Duration;

    /// Ticks rebuilt per task, at most 1,000 sampled requests each: six took about 50 ms a
    /// task with the CPU slowed four times (Lighthouse's phone) on a busy machine; three keep
    /// each task well under the 50 ms of a long task.
    const TICKS_PER_TASK: u32 = 3;

    /// Rebuilds the run the server rendered, a few ticks per task, yielding to the page
    /// between tasks. Stops when it is done, when a control finished it first, or when the
    /// island is gone.
    pub fn rebuild(run: Run, settings: RwSignal<Settings>) {
        fn next(run: Run, settings: RwSignal<Settings>) {
            let done = run
                .try_update_value(|slot| match slot {
                    Some(simulation) => simulation.warm_up(TICKS_PER_TASK),
                    // The first task only sets up (for a million keys, that alone takes a while).
                    None => {
                        *slot = settings.try_get_untracked().map(Simulation::new);
                        slot.is_none()
                    }
                })
                .unwrap_or(true);
            if !done {
                set_timeout(move || next(run, settings), Duration::ZERO);
            }
        }
        set_timeout(move || next(run, settings), Duration::ZERO);
    }

    /// Calls `tick` while `playing`, at `speed` ticks a second.
    pub fn drive(playing: RwSignal<bool>, speed: RwSignal<u32>, tick: impl Fn() + Clone + 'static) {
        let handle = StoredValue::new_local(None::<IntervalHandle>);
        let stop = move || {
            if let Some(interval) = handle.get_value() {
                interval.clear();
            }
            handle.set_value(None);
        };
        Effect::new(move |_| {
            let running = playing.get();
            let per_second = u64::from(speed.get().max(1));
            stop();
            if running {
                if let Ok(interval) =
                    set_interval_with_handle(tick.clone(), Duration::from_millis(1000 / per_second))
                {
                    handle.set_value(Some(interval));
                }
            }
        });
        on_cleanup(stop);
    }
}
