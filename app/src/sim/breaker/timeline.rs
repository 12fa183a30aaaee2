//! The recent history of requests, counted into fixed-width bars so its size stays the same
//! at 0.1 or 10,000 requests per second.

use std::collections::VecDeque;

/// Bars kept and drawn.
pub const BARS: usize = 60;

/// Bar widths to pick from, in milliseconds: round numbers a reader can take in.
const BAR_WIDTHS_MS: [u64; 12] = [
    250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
];

/// How one request ended, as the timeline shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The downstream answered successfully (counted when the answer arrives).
    Succeeded,
    /// The downstream answered with a failure (counted when the answer arrives).
    Failed,
    /// The breaker refused the call without making it (counted at once).
    Rejected,
}

/// Requests that ended during one bar's stretch of time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bar {
    pub succeeded: u32,
    pub failed: u32,
    pub rejected: u32,
}

impl Bar {
    pub fn total(&self) -> u32 {
        self.succeeded + self.failed + self.rejected
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    bar_us: u64,
    /// Index (time / bar width) of the first bar kept.
    first: u64,
    bars: VecDeque<Bar>,
}

impl Timeline {
    /// A timeline whose window shows about three open timeouts (at least 20 s), so a whole
    /// trip, wait, probe and recovery fits on screen.
    pub fn new(open_timeout_ms: u64, now_us: u64) -> Self {
        let bar_ms = bar_width_ms(open_timeout_ms);
        let bar_us = bar_ms * 1000;
        let mut bars = VecDeque::with_capacity(BARS + 1);
        bars.push_back(Bar::default());
        Timeline {
            bar_us,
            first: now_us / bar_us,
            bars,
        }
    }

    pub fn bar_us(&self) -> u64 {
        self.bar_us
    }

    /// Start of the first bar kept.
    pub fn start_us(&self) -> u64 {
        self.first * self.bar_us
    }

    /// The bars, oldest first; the last one is still filling.
    pub fn bars(&self) -> impl Iterator<Item = &Bar> {
        self.bars.iter()
    }

    /// Opens bars up to the one holding `now_us`, dropping the oldest past [`BARS`].
    pub fn roll_to(&mut self, now_us: u64) {
        let index = now_us / self.bar_us;
        let last = self.first + self.bars.len() as u64 - 1;
        if index <= last {
            return;
        }
        // After a long jump every kept bar would be empty: refill instead of looping.
        if index - last >= BARS as u64 {
            self.bars.clear();
            self.bars.resize(BARS, Bar::default());
            self.first = index + 1 - BARS as u64;
            return;
        }
        for _ in last..index {
            self.bars.push_back(Bar::default());
            if self.bars.len() > BARS {
                self.bars.pop_front();
                self.first += 1;
            }
        }
    }

    pub fn record(&mut self, at_us: u64, outcome: Outcome) {
        self.roll_to(at_us);
        if let Some(bar) = self.bars.back_mut() {
            match outcome {
                Outcome::Succeeded => bar.succeeded += 1,
                Outcome::Failed => bar.failed += 1,
                Outcome::Rejected => bar.rejected += 1,
            }
        }
    }

    /// Totals over every bar kept.
    pub fn sum(&self) -> Bar {
        self.bars.iter().fold(Bar::default(), |sum, bar| Bar {
            succeeded: sum.succeeded + bar.succeeded,
            failed: sum.failed + bar.failed,
            rejected: sum.rejected + bar.rejected,
        })
    }
}

/// The narrowest round bar width that makes [`BARS`] bars span max(20 s, 3 × timeout).
pub fn bar_width_ms(open_timeout_ms: u64) -> u64 {
    let window = open_timeout_ms.saturating_mul(3).max(20_000);
    let wanted = window.div_ceil(BARS as u64);
    BAR_WIDTHS_MS
        .iter()
        .copied()
        .find(|&width| width >= wanted)
        .unwrap_or(BAR_WIDTHS_MS[BAR_WIDTHS_MS.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_three_timeouts_in_round_bars() {
        assert_eq!(bar_width_ms(100), 500);
        assert_eq!(bar_width_ms(10_000), 500);
        assert_eq!(bar_width_ms(30_000), 2_000);
        assert_eq!(bar_width_ms(3_600_000), 300_000);
        for timeout in [100, 7_000, 10_000, 61_000, 3_600_000] {
            assert!(bar_width_ms(timeout) * BARS as u64 >= (3 * timeout).max(20_000));
        }
    }

    #[test]
    fn keeps_the_latest_bars_and_counts_into_the_right_one() {
        let mut timeline = Timeline::new(10_000, 0);
        timeline.record(100_000, Outcome::Succeeded);
        timeline.record(400_000, Outcome::Failed);
        timeline.record(600_000, Outcome::Rejected);
        let bars: Vec<Bar> = timeline.bars().copied().collect();
        assert_eq!(bars.len(), 2);
        assert_eq!(
            bars[0],
            Bar {
                succeeded: 1,
                failed: 1,
                rejected: 0
            }
        );
        assert_eq!(bars[1].rejected, 1);

        timeline.roll_to(100 * 500_000 + 1);
        assert_eq!(timeline.bars().count(), BARS);
        assert_eq!(timeline.start_us(), (100 - BARS as u64 + 1) * 500_000);
        assert_eq!(timeline.sum(), Bar::default(), "old bars scrolled out");

        timeline.record(1_000_000_000, Outcome::Failed);
        assert_eq!(timeline.bars().count(), BARS);
        assert_eq!(
            timeline.start_us(),
            1_000_000_000 - (BARS as u64 - 1) * 500_000
        );
        assert_eq!(timeline.bars().last().map(|bar| bar.failed), Some(1));
    }
}
