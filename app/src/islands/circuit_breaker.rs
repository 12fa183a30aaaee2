//! The circuit-breaker widget: the state machine as a diagram lit at its current state, a
//! simulated downstream the reader can break and heal, a timeline of requests, counters of
//! the calls the breaker spared, and a log of transitions with their causes.
//!
//! The server renders the run at time zero (deterministic, so hydration matches); in the
//! browser a timer advances the simulated clock while playing. With reduced motion the run
//! starts paused and nothing animates, but Play and Step still move it.

use super::{config, escaped};
use crate::model::WidgetKind;
use crate::number::one_decimal;
use crate::sim::breaker::{text, Knob, Settings, Simulation, State, BARS};
use leptos::prelude::*;
use std::fmt::Write;

/// Real milliseconds between two ticks of the clock while playing.
#[cfg(feature = "hydrate")]
const TICK_MS: u64 = 100;

/// Playback speeds: simulated milliseconds per tick, and their label.
const SPEEDS: [(u64, &str); 6] = [
    (50, "0.5×"),
    (100, "1×"),
    (200, "2×"),
    (500, "5×"),
    (1_000, "10×"),
    (5_000, "50×"),
];

/// Log lines shown, newest first.
const LOG_SHOWN: usize = 8;

/// Timeline drawing size (SVG units): bars above, the state strip below.
const CHART_WIDTH: u64 = 600;
const BAR_SLOT: u64 = CHART_WIDTH / BARS as u64;
const BARS_HEIGHT: u64 = 110;

/// Starts from the parameters the author wrote in the ```` ```widget ```` block, already
/// checked by the loader (see [`config`](super::config)).
// Lazy in the browser: its code is a separate WASM chunk, fetched only by pages that show
// it. (A bare `island(lazy)` would also compile the lazy loader into the server build.)
#[cfg_attr(feature = "hydrate", island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
pub fn CircuitBreakerWidget() -> impl IntoView {
    let params = config::current(WidgetKind::CircuitBreaker).params;
    let sim = RwSignal::new(Simulation::new(Settings::from_params(&params)));
    let playing = RwSignal::new(false);
    // Simulated milliseconds per tick.
    let speed = RwSignal::new(100u64);
    // Set once the island runs in the browser, so tests (and styles) can tell.
    let live = RwSignal::new(false);
    let break_button = NodeRef::<leptos::html::Button>::new();
    let heal_button = NodeRef::<leptos::html::Button>::new();

    #[cfg(feature = "hydrate")]
    browser::run_clock(sim, playing, speed, live);
    // On the server nothing ticks: the speed is only read by the browser's clock.
    #[cfg(not(feature = "hydrate"))]
    let _ = speed;

    // Plain reads, not memos: each is cheap, and every distinct memo type adds to the
    // bundle every page downloads.
    let state = move || sim.with(|s| s.breaker().state());
    let broken = move || sim.with(Simulation::downstream_broken);

    let step = move |_| {
        playing.set(false);
        sim.update(|s| {
            let bar_ms = s.timeline().bar_us() / 1000;
            s.advance_to(s.now_us() / 1000 + bar_ms);
        });
    };
    let reset = move |_| sim.update(|s| *s = Simulation::new(*s.settings()));
    let on_speed = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Ok(value) = event_target_value(&_event).parse::<u64>() {
            speed.set(value);
        }
    };
    let break_downstream = move |_| {
        sim.update(Simulation::break_downstream);
        // The pressed button is now disabled: keep keyboard focus on the one that undoes it.
        focus(heal_button);
    };
    let heal_downstream = move |_| {
        sim.update(Simulation::heal_downstream);
        focus(break_button);
    };

    view! {
        <div class="cb" data-test="circuit-breaker" data-live=move || live.get().then_some("true")>
            <div class="cb-top">
                {state_diagram(sim)}
                <div class="cb-status">
                    <p class="cb-state" data-test="breaker-state">
                        "Breaker: "
                        <strong data-state=move || state().name()>{move || state().name()}</strong>
                        {move || format!(" ({})", text::state_role(state()))}
                    </p>
                    <p class="cb-detail">{move || sim.with(state_detail)}</p>
                    <p class="cb-downstream" data-test="downstream-state">
                        "Downstream: "
                        <strong>{move || if broken() { "broken (every call fails)" } else { "healthy" }}</strong>
                    </p>
                    <div class="cb-buttons" role="group" aria-label="Downstream">
                        <button
                            type="button"
                            class="cb-break"
                            node_ref=break_button
                            disabled=broken
                            on:click=break_downstream
                        >
                            "Break the downstream"
                        </button>
                        <button
                            type="button"
                            node_ref=heal_button
                            disabled=move || !broken()
                            on:click=heal_downstream
                        >
                            "Heal the downstream"
                        </button>
                    </div>
                </div>
            </div>

            <div class="cb-transport" role="group" aria-label="Playback">
                <button type="button" class="cb-play" on:click=move |_| playing.update(|on| *on = !*on)>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" on:click=step>"Step"</button>
                <button type="button" on:click=reset>"Reset"</button>
                <label class="cb-speed">
                    "Speed "
                    // Options as markup: they never change, and as elements each would be
                    // hydrated for nothing.
                    <select on:change=on_speed inner_html=speed_options()></select>
                </label>
                <span class="cb-clock" data-test="breaker-clock">
                    {move || format!("t = {}", sim.with(|s| text::clock(s.now_us())))}
                </span>
            </div>

            <fieldset class="cb-knobs">
                <legend>"Settings"</legend>
                {Knob::ALL.into_iter().map(|knob| knob_field(knob, sim)).collect_view()}
            </fieldset>

            {timeline(sim)}

            <div class="cb-numbers">
                {counters(sim)}
                <div class="cb-log">
                    <p class="cb-subhead">"Transitions"</p>
                    {transition_log(sim)}
                </div>
            </div>

            <p class="visually-hidden" role="status">
                {move || {
                    sim.with(|s| {
                        s.last_transition()
                            .map(|t| format!("At {}: breaker {}", text::clock(t.at_us), text::transition(t)))
                            .unwrap_or_default()
                    })
                }}
            </p>
        </div>
    }
}

fn focus(button: NodeRef<leptos::html::Button>) {
    // After the next render: until then the button is still disabled and cannot take focus.
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = button;
}

/// What the current state is counting, in words.
fn state_detail(sim: &Simulation) -> String {
    let breaker = sim.breaker();
    let settings = sim.settings();
    match breaker.state() {
        State::Closed => format!(
            "{} of {} failures in a row so far.",
            breaker.consecutive_failures(),
            settings.failures
        ),
        State::Open => format!(
            "Rejecting every call; a trial goes through in {}.",
            text::duration(sim.reopens_in_us().unwrap_or(0))
        ),
        State::HalfOpen => format!(
            "{} of {} trial successes; {}.",
            breaker.trial_successes(),
            settings.successes,
            if breaker.trials_in_flight() > 0 {
                "a trial is in flight"
            } else {
                "waiting for the next request"
            }
        ),
    }
}

/// The counter a node of the diagram shows: live for the current state, its role otherwise.
fn node_detail(sim: &Simulation, node: State) -> String {
    let breaker = sim.breaker();
    if breaker.state() != node {
        return text::state_role(node).to_string();
    }
    match node {
        State::Closed => format!(
            "{} of {} failures",
            breaker.consecutive_failures(),
            sim.settings().failures
        ),
        State::Open => format!(
            "trial in {}",
            text::duration(sim.reopens_in_us().unwrap_or(0))
        ),
        State::HalfOpen => format!(
            "{} of {} successes",
            breaker.trial_successes(),
            sim.settings().successes
        ),
    }
}

/// A box of the diagram: its rectangle and where its text goes.
struct Node {
    state: State,
    x: u32,
    y: u32,
}

const NODE_WIDTH: u32 = 124;
const NODE_HEIGHT: u32 = 54;

/// An arrow of the diagram, with its label.
struct Arrow {
    from: State,
    to: State,
    /// Whole SVG units, so they are written without float formatting.
    line: (u32, u32, u32, u32),
    label_at: (u32, u32),
    anchor: &'static str,
}

fn state_diagram(sim: RwSignal<Simulation>) -> impl IntoView {
    let nodes = [
        Node {
            state: State::Closed,
            x: 6,
            y: 18,
        },
        Node {
            state: State::Open,
            x: 230,
            y: 18,
        },
        Node {
            state: State::HalfOpen,
            x: 118,
            y: 138,
        },
    ];
    let arrows = [
        Arrow {
            from: State::Closed,
            to: State::Open,
            line: (130, 38, 228, 38),
            label_at: (179, 30),
            anchor: "middle",
        },
        Arrow {
            from: State::Open,
            to: State::HalfOpen,
            line: (258, 72, 210, 136),
            label_at: (226, 100),
            anchor: "end",
        },
        Arrow {
            from: State::HalfOpen,
            to: State::Open,
            line: (226, 136, 274, 72),
            label_at: (262, 118),
            anchor: "start",
        },
        Arrow {
            from: State::HalfOpen,
            to: State::Closed,
            line: (134, 136, 86, 72),
            label_at: (96, 118),
            anchor: "end",
        },
    ];
    let lit = move |from: State, to: State| {
        sim.with(|s| {
            s.last_transition()
                .is_some_and(|t| t.from == from && t.to == to)
        })
    };
    let description = move || {
        sim.with(|s| {
            let now = s.breaker().state().name();
            match s.last_transition() {
                Some(t) => format!(
                    "State machine with closed, open and half-open states; now {now}, last transition {} to {}.",
                    t.from.name(),
                    t.to.name()
                ),
                None => format!("State machine with closed, open and half-open states; now {now}."),
            }
        })
    };
    view! {
        <svg class="cb-diagram" viewBox="0 0 360 200" role="img" aria-label=description data-test="breaker-diagram">
            {arrows
                .into_iter()
                .map(|arrow| {
                    let (x1, y1, x2, y2) = arrow.line;
                    let (from, to) = (arrow.from, arrow.to);
                    let label = move || sim.with(|s| arrow_label(from, to, s.settings()));
                    view! {
                        <g class=move || if lit(from, to) { "cb-arrow lit" } else { "cb-arrow" }
                            data-transition=format!("{}-{}", from.name(), to.name())>
                            <line x1=x1 y1=y1 x2=x2 y2=y2></line>
                            <polygon points=arrow_head(x1.into(), y1.into(), x2.into(), y2.into())></polygon>
                            <text x=arrow.label_at.0 y=arrow.label_at.1 text-anchor=arrow.anchor>{label}</text>
                        </g>
                    }
                })
                .collect_view()}
            {nodes
                .into_iter()
                .map(|node| {
                    let state = node.state;
                    let current = move || sim.with(|s| s.breaker().state() == state);
                    let centre = node.x + NODE_WIDTH / 2;
                    view! {
                        <g class=move || if current() { "cb-node current" } else { "cb-node" }
                            data-node=state.name()>
                            <rect x=node.x y=node.y width=NODE_WIDTH height=NODE_HEIGHT rx="10"></rect>
                            <text class="cb-node-name" x=centre y=node.y + 22 text-anchor="middle">{state.title()}</text>
                            <text class="cb-node-detail" x=centre y=node.y + 40 text-anchor="middle">
                                {move || sim.with(|s| node_detail(s, state))}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

fn arrow_label(from: State, to: State, settings: &Settings) -> String {
    match (from, to) {
        (State::Closed, State::Open) => {
            text::plural(u64::from(settings.failures), "failure", "failures")
        }
        (State::Open, State::HalfOpen) => {
            format!("after {}", text::duration(settings.open_timeout_ms * 1000))
        }
        (State::HalfOpen, State::Open) => "a trial fails".to_string(),
        _ => text::plural(u64::from(settings.successes), "success", "successes"),
    }
}

/// The three points of an arrowhead at the end of a line.
fn arrow_head(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    let (bx, by) = (x2 - 8.0 * ux, y2 - 8.0 * uy);
    // `one_decimal` rather than `{:.1}`: see `crate::number`.
    [
        (x2, y2),
        (bx - 4.0 * uy, by + 4.0 * ux),
        (bx + 4.0 * uy, by - 4.0 * ux),
    ]
    .map(|(x, y)| format!("{},{}", one_decimal(x), one_decimal(y)))
    .join(" ")
}

fn knob_field(knob: Knob, sim: RwSignal<Simulation>) -> impl IntoView {
    let (min, max, step) = knob.range();
    let value = sim.with_untracked(|s| knob.read(s.settings()));
    let on_change = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input = event_target::<web_sys::HtmlInputElement>(&_event);
            let current = sim.with_untracked(|s| *s.settings());
            let wanted = crate::number::parse(input.value().trim()).filter(|v| v.is_finite());
            let next = wanted.map_or(current, |value| knob.set(current, value));
            if next != current {
                sim.update(|s| s.set_settings(next));
            }
            // Show what was applied: clamped into range, or the old value if unreadable.
            input.set_value(&knob.read(&next));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (knob, sim);
    };
    view! {
        <label class="cb-knob">
            <span class="cb-knob-label">{knob.label()}</span>
            <span class="cb-knob-input">
                <input type="number" inputmode="decimal" min=min max=max step=step value=value on:change=on_change/>
                <span class="cb-unit">{knob.unit()}</span>
            </span>
        </label>
    }
}

/// The timeline as drawn: one path per outcome and per breaker state, and its labels.
#[derive(Clone, Debug, PartialEq)]
struct Chart {
    succeeded: String,
    failed: String,
    rejected: String,
    closed: String,
    open: String,
    half_open: String,
    start: String,
    end: String,
    summary: String,
    bar: String,
}

fn draw_chart(sim: &Simulation) -> Chart {
    let timeline = sim.timeline();
    let tallest = timeline
        .bars()
        .map(|bar| bar.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let (mut succeeded, mut failed, mut rejected) = (String::new(), String::new(), String::new());
    for (i, bar) in timeline.bars().enumerate() {
        let x = i as u64 * BAR_SLOT;
        let mut bottom = BARS_HEIGHT;
        for (count, path) in [
            (bar.succeeded, &mut succeeded),
            (bar.failed, &mut failed),
            (bar.rejected, &mut rejected),
        ] {
            if count == 0 {
                continue;
            }
            // A single request still shows as a sliver.
            let height = (u64::from(count) * BARS_HEIGHT / u64::from(tallest)).max(1);
            let _ = write!(
                path,
                "M{x} {}h{}v{height}h-{}z",
                bottom - height,
                BAR_SLOT - 1,
                BAR_SLOT - 1
            );
            bottom -= height;
        }
    }
    let start_us = timeline.start_us();
    let window_us = timeline.bar_us() * BARS as u64;
    let (mut closed, mut open, mut half_open) = (String::new(), String::new(), String::new());
    for segment in sim.state_segments() {
        let x0 = (segment.start_us - start_us) * CHART_WIDTH / window_us;
        let x1 = (segment.end_us - start_us) * CHART_WIDTH / window_us;
        let path = match segment.state {
            State::Closed => &mut closed,
            State::Open => &mut open,
            State::HalfOpen => &mut half_open,
        };
        // Even an instant in half-open gets a visible mark.
        let _ = write!(
            path,
            "M{x0} {}h{}v10h-{}z",
            BARS_HEIGHT + 6,
            (x1 - x0).max(2),
            (x1 - x0).max(2)
        );
    }
    let sum = timeline.sum();
    let shown_us = sim.now_us().saturating_sub(start_us).min(window_us);
    Chart {
        succeeded,
        failed,
        rejected,
        closed,
        open,
        half_open,
        start: text::clock(start_us),
        end: text::clock(start_us + window_us),
        summary: format!(
            "Requests over the last {}: {} succeeded, {} failed, {} rejected fast.",
            text::duration(shown_us),
            text::count(u64::from(sum.succeeded)),
            text::count(u64::from(sum.failed)),
            text::count(u64::from(sum.rejected)),
        ),
        bar: text::duration(timeline.bar_us()),
    }
}

fn timeline(sim: RwSignal<Simulation>) -> impl IntoView {
    let chart = Memo::new(move |_| sim.with(draw_chart));
    let part = move |pick: fn(&Chart) -> &String| move || chart.with(|c| pick(c).clone());
    view! {
        <div class="cb-timeline">
            <p class="cb-subhead">"Requests over time"</p>
            <svg
                viewBox=format!("0 0 {CHART_WIDTH} {}", BARS_HEIGHT + 18)
                role="img"
                aria-label=part(|c| &c.summary)
                data-test="breaker-timeline"
            >
                <line class="cb-axis" x1="0" y1=BARS_HEIGHT x2=CHART_WIDTH y2=BARS_HEIGHT></line>
                <path class="cb-ok" d=part(|c| &c.succeeded)></path>
                <path class="cb-fail" d=part(|c| &c.failed)></path>
                <path class="cb-reject" d=part(|c| &c.rejected)></path>
                <path class="cb-strip-closed" d=part(|c| &c.closed)></path>
                <path class="cb-strip-open" d=part(|c| &c.open)></path>
                <path class="cb-strip-half" d=part(|c| &c.half_open)></path>
            </svg>
            <p class="cb-axis-labels" aria-hidden="true">
                <span>{part(|c| &c.start)}</span>
                <span>{part(|c| &c.end)}</span>
            </p>
            <ul class="cb-legend">
                <li><span class="cb-swatch cb-ok"></span>"succeeded"</li>
                <li><span class="cb-swatch cb-fail"></span>"failed"</li>
                <li><span class="cb-swatch cb-reject"></span>"rejected fast"</li>
                <li><span class="cb-swatch cb-strip-closed"></span>"closed"</li>
                <li><span class="cb-swatch cb-strip-open"></span>"open"</li>
                <li><span class="cb-swatch cb-strip-half"></span>"half-open"</li>
            </ul>
            <p class="cb-note">
                {move || format!(
                    "Each bar counts the outcomes that arrived in {}; a call's outcome arrives after the downstream's latency, a rejection at once. The strip under the bars shows the breaker's state.",
                    chart.with(|c| c.bar.clone())
                )}
            </p>
        </div>
    }
}

/// The counters as label and value pairs, the spared ones marked.
fn counter_rows(sim: &Simulation) -> [(&'static str, String, bool); 7] {
    let totals = sim.totals();
    [
        ("Requests", text::count(totals.arrived), false),
        ("Succeeded", text::count(totals.succeeded), false),
        ("Failed", text::count(totals.failed), false),
        ("Rejected fast", text::count(totals.rejected), false),
        (
            "Calls spared (rejected when the downstream would have failed them)",
            text::count(totals.spared),
            true,
        ),
        (
            "Waiting saved (calls spared × the latency each would have waited)",
            text::duration(totals.waiting_spared_ms * 1000),
            true,
        ),
        (
            "Rejected needlessly (the downstream would have served them)",
            text::count(totals.needlessly_rejected),
            false,
        ),
    ]
}

fn counters(sim: RwSignal<Simulation>) -> impl IntoView {
    // One row shape for every counter keeps the bundle small.
    let row = move |index: usize| {
        let label = sim.with_untracked(|s| counter_rows(s)[index].0);
        let spared = sim.with_untracked(|s| counter_rows(s)[index].2);
        view! {
            <div class:cb-spared=spared>
                <dt>{label}</dt>
                <dd>{move || sim.with(|s| counter_rows(s)[index].1.clone())}</dd>
            </div>
        }
    };
    view! {
        <dl class="cb-counters" data-test="breaker-counters">
            {(0..7).map(row).collect_view()}
        </dl>
    }
}

/// The speed menu's options, 1× selected.
fn speed_options() -> String {
    SPEEDS
        .iter()
        .map(|&(ms, label)| {
            let chosen = if ms == 100 { " selected" } else { "" };
            format!("<option value=\"{ms}\"{chosen}>{label}</option>")
        })
        .collect()
}

/// The log's items, newest first.
fn log_html(sim: &Simulation) -> String {
    let mut html = String::new();
    for (at_us, line) in sim.log().rev().take(LOG_SHOWN).map(text::log_entry) {
        let _ = write!(
            html,
            "<li><span class=\"cb-time\">{}</span> {}</li>",
            escaped(&text::clock(at_us)),
            escaped(&line)
        );
    }
    if html.is_empty() {
        html.push_str("<li class=\"cb-empty\">None yet: the breaker starts closed.</li>");
    }
    html
}

fn transition_log(sim: RwSignal<Simulation>) -> impl IntoView {
    // Rewritten whole as one string when the log changes: a list of elements rebuilt
    // reactively brings far more rendering code into the WASM than one property.
    view! {
        <ul
            class="cb-log-list"
            aria-label="Transitions, newest first"
            data-test="breaker-log"
            inner_html=move || sim.with(log_html)
        ></ul>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser side: the playback clock and the reduced-motion preference.

    use super::TICK_MS;
    use crate::sim::breaker::Simulation;
    use leptos::leptos_dom::helpers::{set_interval_with_handle, IntervalHandle};
    use leptos::prelude::*;
    use std::time::Duration;

    pub fn run_clock(
        sim: RwSignal<Simulation>,
        playing: RwSignal<bool>,
        speed: RwSignal<u64>,
        live: RwSignal<bool>,
    ) {
        // Play on arrival, unless the reader asked for less motion: then it waits for Play
        // or Step.
        Effect::new(move |_| {
            live.set(true);
            if !prefers_reduced_motion() {
                playing.set(true);
            }
        });
        let timer = StoredValue::new(None::<IntervalHandle>);
        Effect::new(move |_| {
            let on = playing.get();
            if let Some(handle) = timer.get_value() {
                handle.clear();
                timer.set_value(None);
            }
            if on {
                let tick = move || {
                    let step = speed.get_untracked();
                    sim.update(|s| s.advance_to(s.now_us() / 1000 + step));
                };
                if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(TICK_MS)) {
                    timer.set_value(Some(handle));
                }
            }
        });
        on_cleanup(move || {
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
        });
    }

    fn prefers_reduced_motion() -> bool {
        window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches())
    }
}
