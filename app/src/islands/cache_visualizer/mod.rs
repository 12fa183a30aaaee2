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

use super::{config, erased, follows};
use crate::model::WidgetKind;
use crate::number;
use crate::sim::cache::{
    describe_tick, Pattern, Scenario, Settings, Simulation, Snapshot, TickStats, START_TICKS,
};
use chart::{chart, Series};
use diagram::flow_diagram;
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

/// A row of the figures table: a measure for the current tick and for the whole run.
struct Figure {
    label: &'static str,
    test_id: &'static str,
    now: fn(&Snapshot) -> String,
    /// Empty for measures that only make sense per tick.
    run: fn(&Snapshot) -> String,
}

const FIGURES: [Figure; 8] = [
    Figure {
        label: "Requests (reads / writes)",
        test_id: "figure-requests",
        now: |shown| {
            let tick = shown.last();
            format!("{} / {}", tick.reads, tick.writes)
        },
        run: |shown| format!("{} / {}", shown.totals.reads, shown.totals.writes),
    },
    Figure {
        label: "Hit ratio",
        test_id: "figure-hit-ratio",
        now: |shown| format!("{}%", shown.last().hit_percent()),
        run: |shown| format!("{}%", shown.totals.hit_percent()),
    },
    Figure {
        label: "Database queries",
        test_id: "figure-db-queries",
        now: |shown| shown.last().db_queries().to_string(),
        run: |shown| (shown.totals.db_reads + shown.totals.db_writes).to_string(),
    },
    Figure {
        label: "Misses waiting on a rebuild",
        test_id: "figure-coalesced",
        now: |shown| shown.last().coalesced.to_string(),
        run: |_| String::new(),
    },
    Figure {
        label: "Reads for missing keys",
        test_id: "figure-missing-reads",
        now: |shown| shown.last().missing_reads.to_string(),
        run: |_| String::new(),
    },
    Figure {
        label: "Stale reads",
        test_id: "figure-stale-reads",
        now: |shown| shown.last().stale_reads.to_string(),
        run: |shown| shown.totals.stale_reads.to_string(),
    },
    Figure {
        label: "Lost writes",
        test_id: "figure-lost-writes",
        now: |shown| shown.last().lost_writes.to_string(),
        run: |shown| shown.totals.lost_writes.to_string(),
    },
    Figure {
        label: "Cache entries",
        test_id: "figure-entries",
        now: |shown| format!("{} of {}", shown.entries, shown.capacity),
        run: |_| String::new(),
    },
];

/// A numeric setting's input.
struct NumberField {
    label: &'static str,
    name: &'static str,
    min: &'static str,
    max: &'static str,
    step: &'static str,
    value: fn(&Settings) -> String,
}

const NUMBER_FIELDS: [NumberField; 8] = [
    NumberField {
        label: "Keys",
        name: "keys",
        min: "1",
        max: "1000000",
        step: "1",
        value: |s| s.keys.to_string(),
    },
    NumberField {
        label: "Zipf skew",
        name: "skew",
        min: "0",
        max: "5",
        step: "0.1",
        value: |s| number::shortest(s.skew),
    },
    NumberField {
        label: "Capacity (entries)",
        name: "capacity",
        min: "1",
        max: "1000000",
        step: "1",
        value: |s| s.capacity.to_string(),
    },
    NumberField {
        label: "TTL (ticks)",
        name: "ttl",
        min: "1",
        max: "100000",
        step: "1",
        value: |s| s.ttl.to_string(),
    },
    NumberField {
        label: "TTL jitter (%)",
        name: "jitter",
        min: "0",
        max: "100",
        step: "1",
        value: |s| number::shortest(s.jitter),
    },
    NumberField {
        label: "Reads (%)",
        name: "reads",
        min: "0",
        max: "100",
        step: "1",
        value: |s| number::shortest(s.reads),
    },
    NumberField {
        label: "Requests per tick",
        name: "rate",
        min: "1",
        max: "100000",
        step: "1",
        value: |s| s.rate.to_string(),
    },
    NumberField {
        label: "Seed",
        name: "seed",
        min: "0",
        max: "9007199254740991",
        step: "1",
        value: |s| s.seed.to_string(),
    },
];

/// An on/off setting: label, name, value.
type CheckField = (&'static str, &'static str, fn(&Settings) -> bool);

const CHECK_FIELDS: [CheckField; 2] = [
    ("Rebuild lock", "lock", |s| s.lock),
    ("Negative caching", "negative", |s| s.negative),
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
    let scenario = move || settings.with(|s| s.scenario);

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
        let scenario = settings.with_untracked(|s| s.scenario);
        if scenario == Scenario::None {
            return;
        }
        live(run, settings, shown, Simulation::trigger);
        announcement.set(format!(
            "{}: takes effect on the next tick.",
            trigger_label(scenario)
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

    let choice_field = move |label: &'static str,
                             name: &'static str,
                             options: Vec<&'static str>,
                             initial: &'static str,
                             value: fn(&Settings) -> String| {
        view! {
            <label class="cv-field">
                <span>{label}</span>
                <select
                    data-test=format!("setting-{name}")
                    prop:value=follows(settings, value)
                    on:change=move |event| change(name, event_target_value(&event))
                >
                    {options
                        .into_iter()
                        .map(|option| view! { <option value=option selected={option == initial}>{option}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    };
    let number_field = move |field: &NumberField| {
        let name = field.name;
        view! {
            <label class="cv-field">
                <span>{field.label}</span>
                <input
                    type="number"
                    inputmode="decimal"
                    min=field.min
                    max=field.max
                    step=field.step
                    value=settings.with_untracked(field.value)
                    prop:value=follows(settings, field.value)
                    data-test=format!("setting-{name}")
                    on:change=move |event| change(name, event_target_value(&event))
                />
            </label>
        }
    };
    let check_field = move |(label, name, value): CheckField| {
        view! {
            <label class="cv-check">
                <input
                    type="checkbox"
                    checked=settings.with_untracked(value)
                    prop:checked=move || settings.with(value)
                    data-test=format!("setting-{name}")
                    on:change=move |event| change(name, event_target_checked(&event).to_string())
                />
                <span>{label}</span>
            </label>
        }
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
                    disabled=move || scenario() == Scenario::None
                    on:click=trigger
                >
                    {move || trigger_label(scenario())}
                </button>
            </div>
    });
    let settings_panel = erased(view! {
            <details class="cv-settings">
                <summary>"Settings"</summary>
                <div class="cv-settings-grid">
                    {choice_field(
                        "Pattern",
                        "pattern",
                        Pattern::ALL.into_iter().map(Pattern::name).collect(),
                        initial_pattern.name(),
                        |s| s.pattern.name().to_string(),
                    )}
                    {choice_field(
                        "Scenario",
                        "scenario",
                        Scenario::ALL.into_iter().map(Scenario::name).collect(),
                        initial_scenario.name(),
                        |s| s.scenario.name().to_string(),
                    )}
                    {NUMBER_FIELDS.iter().map(number_field).collect_view()}
                    {CHECK_FIELDS.into_iter().map(check_field).collect_view()}
                </div>
                <p class="cv-note">"Changing a setting replays the run from the start with the same seed. Requests above 1,000 a tick are sampled and scaled."</p>
            </details>
    });
    let charts = CHARTS
        .into_iter()
        .map(|series| erased(chart(series, shown)))
        .collect_view();
    let figures = erased(view! {
            <table class="cv-figures" data-test="figures">
                <caption>{follows(shown, |now| format!("Figures at tick {}", now.last().tick))}</caption>
                <thead>
                    <tr><th scope="col">"Measure"</th><th scope="col">"This tick"</th><th scope="col">"Whole run"</th></tr>
                </thead>
                <tbody>
                    {FIGURES
                        .iter()
                        .map(|figure| view! {
                            <tr>
                                <th scope="row">{figure.label}</th>
                                <td data-test=figure.test_id>{follows(shown, figure.now)}</td>
                                <td>{follows(shown, figure.run)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
    });

    view! {
        <div class="cache-visualizer" data-test="cache-visualizer">
            {transport}
            <p class="cv-summary" data-test="summary">{follows(shown, |now| describe_tick(&now.last()))}</p>
            <p class="visually-hidden" aria-live="polite" data-test="announcement">{move || announcement.get()}</p>
            <div class="cv-charts">
                {charts}
            </div>
            {erased(flow_diagram(shown, settings, playing))}
            {figures}
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
