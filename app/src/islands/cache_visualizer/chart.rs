//! A small live chart: one SVG polyline over the sliding window of ticks.

use crate::sim::cache::{TickStats, WINDOW};
use leptos::prelude::*;

/// Drawing area in SVG units; two units per tick so the window fills the width.
const WIDTH: u32 = 2 * WINDOW as u32;
const HEIGHT: u32 = 60;

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

#[component]
pub fn Chart(series: Series, history: Memo<Vec<TickStats>>) -> impl IntoView {
    let Series {
        title,
        unit,
        test_id,
        fixed_max,
        value,
    } = series;
    let values =
        Memo::new(move |_| history.with(|ticks| ticks.iter().map(value).collect::<Vec<u32>>()));
    let peak = move || values.with(|values| values.iter().copied().max().unwrap_or(0));
    let scale = move || fixed_max.unwrap_or_else(|| peak().max(1));
    let current = move || values.with(|values| values.last().copied().unwrap_or(0));
    let label = move || {
        let count = values.with(Vec::len);
        format!(
            "{title}: {} {unit} this tick, peak {} over the last {count} ticks",
            current(),
            peak()
        )
    };
    // Ticks where a scenario fired, marked so its effect can be read against the cause.
    let markers = move || {
        history.with(|ticks| {
            let offset = WINDOW.saturating_sub(ticks.len()) as u32;
            ticks
                .iter()
                .enumerate()
                .filter(|(_, tick)| tick.event.is_some())
                .map(|(index, _)| {
                    let x = (offset + index as u32) * 2;
                    view! { <line class="cv-event" x1=x x2=x y1="0" y2=HEIGHT></line> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="cv-chart">
            <div class="cv-chart-head">
                <span class="cv-chart-title">{title}</span>
                <span class="cv-chart-now" data-test=test_id>{current}" "{unit}</span>
            </div>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="none"
                role="img"
                aria-label=label
                data-peak=peak
            >
                <line class="cv-axis" x1="0" x2=WIDTH y1=HEIGHT - 2 y2=HEIGHT - 2></line>
                {markers}
                <polyline class="cv-line" points=move || points(&values.get(), scale())></polyline>
            </svg>
            <div class="cv-chart-scale" aria-hidden="true">"max "{scale}</div>
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
}
