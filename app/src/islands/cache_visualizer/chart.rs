//! A small live chart: one SVG polyline over the sliding window of ticks.

use crate::sim::cache::{Snapshot, TickStats, WINDOW};
use leptos::prelude::*;

/// Drawing area in SVG units; two units per tick so the window fills the width.
const WIDTH: u32 = 2 * WINDOW as u32;
const HEIGHT: u32 = 60;
// The markup writes the box and the axis as literals so those elements stay static (nothing
// to hydrate); they must follow the constants.
const _: () = assert!(WIDTH == 240 && HEIGHT == 60);

/// What a chart plots from each tick.
#[derive(Clone, Copy)]
pub struct Series {
    pub title: &'static str,
    pub unit: &'static str,
    pub test_id: &'static str,
    /// A fixed top of scale (percentages); `None` scales to the window's peak.
    pub fixed_max: Option<u32>,
    pub value: fn(&TickStats) -> u32,
}

impl Series {
    fn values(&self, shown: &Snapshot) -> Vec<u32> {
        shown.history.iter().map(self.value).collect()
    }

    fn current(&self, shown: &Snapshot) -> u32 {
        shown.history.last().map_or(0, self.value)
    }

    fn peak(&self, shown: &Snapshot) -> u32 {
        shown.history.iter().map(self.value).max().unwrap_or(0)
    }

    fn scale(&self, shown: &Snapshot) -> u32 {
        self.fixed_max.unwrap_or_else(|| self.peak(shown).max(1))
    }
}

/// The polyline's points, newest at the right edge; integer coordinates keep it cheap.
fn points(values: &[u32], max: u32) -> String {
    let offset = WINDOW.saturating_sub(values.len()) as u32;
    let mut text = String::with_capacity(values.len() * 8);
    for (index, value) in values.iter().enumerate() {
        let x = (offset + index as u32) * 2;
        let y = HEIGHT
            - 2
            - (u64::from(*value.min(&max)) * u64::from(HEIGHT - 4) / u64::from(max.max(1))) as u32;
        if index > 0 {
            text.push(' ');
        }
        text.push_str(&x.to_string());
        text.push(',');
        text.push_str(&y.to_string());
    }
    text
}

/// Ticks where a scenario fired, as one path of vertical lines, so its effect can be read
/// against the cause. (One path rather than a line each: a list of elements rebuilt every
/// tick costs far more WASM than one attribute.)
fn markers(ticks: &[TickStats]) -> String {
    let offset = WINDOW.saturating_sub(ticks.len()) as u32;
    let mut text = String::new();
    for (index, tick) in ticks.iter().enumerate() {
        if tick.event.is_some() {
            let x = (offset + index as u32) * 2;
            text.push_str(&format!("M{x} 0V{HEIGHT}"));
        }
    }
    text
}

/// A text of the chart that follows the run; like [`follows`](super::follows), one closure type
/// for all of them.
fn charted(
    shown: RwSignal<Snapshot>,
    series: Series,
    draw: fn(&Snapshot, &Series) -> String,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || shown.with(|now| draw(now, &series))
}

pub fn chart(series: Series, shown: RwSignal<Snapshot>) -> impl IntoView {
    let Series { title, test_id, .. } = series;
    view! {
        <div class="cv-chart">
            <div class="cv-chart-head">
                <span class="cv-chart-title">{title}</span>
                <span class="cv-chart-now" data-test=test_id>
                    {charted(shown, series, |now, series| format!("{} {}", series.current(now), series.unit))}
                </span>
            </div>
            <svg
                viewBox="0 0 240 60"
                preserveAspectRatio="none"
                role="img"
                aria-label=charted(shown, series, |now, series| {
                    format!(
                        "{}: {} {} this tick, peak {} over the last {} ticks",
                        series.title,
                        series.current(now),
                        series.unit,
                        series.peak(now),
                        now.history.len()
                    )
                })
                data-peak=charted(shown, series, |now, series| series.peak(now).to_string())
            >
                <line class="cv-axis" x1="0" x2="240" y1="58" y2="58"></line>
                <path class="cv-event" d=charted(shown, series, |now, _| markers(&now.history))></path>
                <polyline
                    class="cv-line"
                    points=charted(shown, series, |now, series| points(&series.values(now), series.scale(now)))
                ></polyline>
            </svg>
            <div class="cv-chart-scale" aria-hidden="true">
                {charted(shown, series, |now, series| format!("max {}", series.scale(now)))}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_put_the_newest_tick_at_the_right_edge_and_scale_to_the_top() {
        assert_eq!(points(&[0, 50, 100], 100), "234,58 236,30 238,2");
        assert_eq!(points(&[], 10), "");
        // Values above a fixed maximum are drawn at the top, not outside the box.
        assert_eq!(points(&[500], 100), "238,2");
    }

    #[test]
    fn markers_draw_a_full_height_line_at_each_event() {
        let quiet = TickStats::default();
        let event = TickStats {
            event: Some(crate::sim::cache::Scenario::Herd),
            ..TickStats::default()
        };
        assert_eq!(markers(&[quiet, quiet]), "");
        assert_eq!(markers(&[event, quiet, event]), "M234 0V60M238 0V60");
    }
}
