//! A breaker in front of a simulated downstream: requests arrive at a steady rate, calls
//! take the downstream's latency, and each outcome is drawn from a seeded generator. Time is
//! an input, so the same seed and inputs always give the same history.

use super::machine::{Breaker, Permit, Rules, State, Transition};
use super::settings::Settings;
use super::timeline::{bar_width_ms, Outcome, Timeline};
use crate::sim::random::SplitMix64;
use std::collections::VecDeque;

/// Log entries kept: enough to draw the state strip under a full timeline even while the
/// breaker flaps with a 0.1 s timeout.
const LOG_KEPT: usize = 600;

/// Running counts since the last reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub arrived: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Refused by the breaker without calling the downstream.
    pub rejected: u64,
    /// Rejected calls the downstream would have failed: the breaker spared the caller a
    /// wait that ended in an error, and the downstream a call it could not serve.
    pub spared: u64,
    /// Rejected calls the downstream would have served: the price of breaking the circuit.
    pub needlessly_rejected: u64,
    /// Waiting the spared calls did not do (each would have taken the latency of its time).
    pub waiting_spared_ms: u64,
}

/// What the log shows: the breaker's transitions and the reader's break and heal buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogEntry {
    Transition(Transition),
    DownstreamBroken { at_us: u64 },
    DownstreamHealed { at_us: u64 },
}

/// Everything that happens, in order, for tests and anyone who wants to watch closely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A request arrived; `state` is the breaker's state when it decided.
    Arrived {
        at_us: u64,
        state: State,
        admitted: bool,
        /// Whether the downstream would fail (or did fail) this call.
        would_fail: bool,
    },
    /// An admitted call came back. `counted` is false when the breaker has changed state
    /// since admitting it, so its outcome no longer counts.
    Completed {
        at_us: u64,
        succeeded: bool,
        counted: bool,
    },
    Transition(Transition),
}

/// A stretch of time the breaker spent in one state, for the strip under the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start_us: u64,
    pub end_us: u64,
    pub state: State,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Call {
    completes_us: u64,
    permit: Permit,
    succeeded: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    settings: Settings,
    // Derived from `settings` once, not on every request.
    rules: Rules,
    failure_ppm: u32,
    interval_us: u64,
    latency_us: u64,

    rng: SplitMix64,
    now_us: u64,
    breaker: Breaker,
    broken: bool,
    next_arrival_us: u64,
    /// Admitted calls not yet answered, in the order their answers arrive.
    in_flight: VecDeque<Call>,
    totals: Totals,
    timeline: Timeline,
    log: VecDeque<LogEntry>,
}

impl Simulation {
    /// A fresh run at time zero: breaker closed, downstream healthy, first request at once.
    pub fn new(settings: Settings) -> Self {
        Simulation {
            settings,
            rules: settings.rules(),
            failure_ppm: settings.failure_ppm(),
            interval_us: settings.interval_us(),
            latency_us: settings.latency_ms * 1000,
            rng: SplitMix64::new(settings.seed),
            now_us: 0,
            breaker: Breaker::new(0),
            broken: false,
            next_arrival_us: 0,
            in_flight: VecDeque::new(),
            totals: Totals::default(),
            timeline: Timeline::new(settings.open_timeout_ms, 0),
            log: VecDeque::new(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Applies new knobs from now on; the run's seed stays. Calls already in flight keep the
    /// latency and outcome they started with; a faster request rate starts at once. A new
    /// open timeout that needs another bar width starts the timeline afresh.
    pub fn set_settings(&mut self, settings: Settings) {
        let old_bar = bar_width_ms(self.settings.open_timeout_ms);
        self.settings = Settings {
            seed: self.settings.seed,
            ..settings
        };
        self.rules = settings.rules();
        self.failure_ppm = settings.failure_ppm();
        self.interval_us = settings.interval_us();
        self.latency_us = settings.latency_ms * 1000;
        self.next_arrival_us = self.next_arrival_us.min(self.now_us + self.interval_us);
        if bar_width_ms(settings.open_timeout_ms) != old_bar {
            self.timeline = Timeline::new(settings.open_timeout_ms, self.now_us);
        }
    }

    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    pub fn breaker(&self) -> &Breaker {
        &self.breaker
    }

    /// Time left until an open breaker lets a trial through.
    pub fn reopens_in_us(&self) -> Option<u64> {
        self.breaker
            .reopens_at_us(self.rules)
            .map(|at| at.saturating_sub(self.now_us))
    }

    pub fn downstream_broken(&self) -> bool {
        self.broken
    }

    /// From now on every call the downstream receives fails (after its latency).
    pub fn break_downstream(&mut self) {
        if !self.broken {
            self.broken = true;
            self.push_log(LogEntry::DownstreamBroken { at_us: self.now_us });
        }
    }

    /// The downstream goes back to failing only the configured share of calls.
    pub fn heal_downstream(&mut self) {
        if self.broken {
            self.broken = false;
            self.push_log(LogEntry::DownstreamHealed { at_us: self.now_us });
        }
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The log, oldest first.
    pub fn log(&self) -> impl DoubleEndedIterator<Item = &LogEntry> {
        self.log.iter()
    }

    pub fn last_transition(&self) -> Option<&Transition> {
        self.transitions().next_back()
    }

    fn transitions(&self) -> impl DoubleEndedIterator<Item = &Transition> {
        self.log.iter().filter_map(|entry| match entry {
            LogEntry::Transition(transition) => Some(transition),
            _ => None,
        })
    }

    /// The breaker's states over the timeline's window, oldest first.
    pub fn state_segments(&self) -> Vec<Segment> {
        let start = self.timeline.start_us();
        let mut state_at_start = None;
        let mut state_before_first_later = None;
        for transition in self.transitions() {
            if transition.at_us <= start {
                state_at_start = Some(transition.to);
            } else if state_before_first_later.is_none() {
                state_before_first_later = Some(transition.from);
            }
        }
        let mut state = state_at_start
            .or(state_before_first_later)
            .unwrap_or(self.breaker.state());
        let mut segments = Vec::new();
        let mut cursor = start;
        for transition in self.transitions().filter(|t| t.at_us > start) {
            if transition.at_us > cursor {
                segments.push(Segment {
                    start_us: cursor,
                    end_us: transition.at_us,
                    state,
                });
                cursor = transition.at_us;
            }
            state = transition.to;
        }
        if self.now_us > cursor {
            segments.push(Segment {
                start_us: cursor,
                end_us: self.now_us,
                state,
            });
        }
        segments
    }

    /// Runs every arrival, answer and timeout up to and including `now_ms`.
    pub fn advance_to(&mut self, now_ms: u64) {
        self.advance_observed(now_ms, &mut |_| {});
    }

    /// Like [`Simulation::advance_to`], telling `observe` about every event in order.
    pub fn advance_observed(&mut self, now_ms: u64, observe: &mut dyn FnMut(&Event)) {
        let target = now_ms.saturating_mul(1000);
        loop {
            let answer = self.in_flight.front().map(|call| call.completes_us);
            // A timeout shortened while open may already have passed: act on it now.
            let reopen = self
                .breaker
                .reopens_at_us(self.rules)
                .map(|at| at.max(self.now_us));
            let next = [answer, reopen]
                .into_iter()
                .flatten()
                .fold(self.next_arrival_us, u64::min);
            if next > target {
                break;
            }
            self.now_us = next;
            // At equal times: answers first (a returning trial frees its permit), then the
            // timeout (a request arriving exactly at the deadline finds it half-open).
            if answer == Some(next) {
                self.answer(observe);
            } else if reopen == Some(next) {
                if let Some(transition) = self.breaker.poll(next, self.rules) {
                    self.note(transition, observe);
                }
            } else {
                self.arrive(observe);
            }
        }
        self.now_us = self.now_us.max(target);
        self.timeline.roll_to(self.now_us);
    }

    fn arrive(&mut self, observe: &mut dyn FnMut(&Event)) {
        let at = self.now_us;
        self.next_arrival_us = at + self.interval_us;
        self.totals.arrived += 1;
        // Drawn for every request, admitted or not, so the downstream's luck does not depend
        // on what the breaker decides.
        let unlucky = self.rng.chance_ppm(self.failure_ppm);
        let would_fail = self.broken || unlucky;
        let state = self.breaker.state();
        let permit = self.breaker.admit();
        if let Some(permit) = permit {
            let call = Call {
                completes_us: at + self.latency_us,
                permit,
                succeeded: !would_fail,
            };
            // Usually the back; earlier only after the latency was lowered.
            let index = self
                .in_flight
                .partition_point(|other| other.completes_us <= call.completes_us);
            self.in_flight.insert(index, call);
        } else {
            self.totals.rejected += 1;
            if would_fail {
                self.totals.spared += 1;
                self.totals.waiting_spared_ms += self.settings.latency_ms;
            } else {
                self.totals.needlessly_rejected += 1;
            }
            self.timeline.record(at, Outcome::Rejected);
        }
        observe(&Event::Arrived {
            at_us: at,
            state,
            admitted: permit.is_some(),
            would_fail,
        });
    }

    fn answer(&mut self, observe: &mut dyn FnMut(&Event)) {
        let Some(call) = self.in_flight.pop_front() else {
            return;
        };
        let at = self.now_us;
        if call.succeeded {
            self.totals.succeeded += 1;
            self.timeline.record(at, Outcome::Succeeded);
        } else {
            self.totals.failed += 1;
            self.timeline.record(at, Outcome::Failed);
        }
        let counted = self.breaker.counts(call.permit);
        let transition = self
            .breaker
            .record(call.permit, call.succeeded, at, self.rules);
        observe(&Event::Completed {
            at_us: at,
            succeeded: call.succeeded,
            counted,
        });
        if let Some(transition) = transition {
            self.note(transition, observe);
        }
    }

    fn note(&mut self, transition: Transition, observe: &mut dyn FnMut(&Event)) {
        self.push_log(LogEntry::Transition(transition));
        observe(&Event::Transition(transition));
    }

    fn push_log(&mut self, entry: LogEntry) {
        if self.log.len() == LOG_KEPT {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::super::machine::Cause;
    use super::*;

    fn settings() -> Settings {
        Settings {
            failures: 5,
            successes: 2,
            open_timeout_ms: 10_000,
            failure_percent: 0.0,
            latency_ms: 50,
            rate_per_second: 10.0,
            seed: 1,
        }
    }

    fn transitions(sim: &Simulation) -> Vec<(u64, State, State, Cause)> {
        sim.transitions()
            .map(|t| (t.at_us / 1000, t.from, t.to, t.cause))
            .collect()
    }

    #[test]
    fn breaking_the_downstream_opens_the_breaker_and_healing_lets_it_close_after_the_timeout() {
        let mut sim = Simulation::new(settings());
        sim.advance_to(5_000);
        assert_eq!(sim.breaker().state(), State::Closed);
        assert_eq!(sim.totals().failed, 0);

        sim.break_downstream();
        sim.advance_to(8_000);
        // The request at 5.0 s went out before the break; those at 5.1 … 5.5 s fail 50 ms
        // later, and the fifth failure opens the breaker.
        assert_eq!(
            transitions(&sim),
            vec![(5_550, State::Closed, State::Open, Cause::FailuresInARow(5))]
        );
        sim.heal_downstream();
        sim.advance_to(15_549);
        assert_eq!(
            sim.breaker().state(),
            State::Open,
            "open for the whole timeout"
        );
        sim.advance_to(20_000);
        assert_eq!(
            transitions(&sim)[1..],
            [
                (
                    15_550,
                    State::Open,
                    State::HalfOpen,
                    Cause::TimeoutElapsed(10_000_000)
                ),
                (
                    15_750,
                    State::HalfOpen,
                    State::Closed,
                    Cause::TrialsSucceeded(2)
                ),
            ]
        );
        let totals = *sim.totals();
        // Rejected: the requests at 5.6 … 15.5 s. Those up to 8.0 s met a broken downstream.
        assert_eq!(totals.rejected, 100);
        assert_eq!(totals.spared, 25);
        assert_eq!(totals.needlessly_rejected, 75);
        assert_eq!(totals.waiting_spared_ms, 25 * 50);
        assert_eq!(totals.failed, 5);
        assert_eq!(
            sim.log()
                .filter(|entry| !matches!(entry, LogEntry::Transition(_)))
                .count(),
            2,
            "break and heal are logged"
        );
    }

    #[test]
    fn a_still_broken_downstream_reopens_on_the_single_trial() {
        let mut sim = Simulation::new(Settings {
            failures: 3,
            ..settings()
        });
        sim.break_downstream();
        sim.advance_to(60_000);
        let log = transitions(&sim);
        assert!(log.len() >= 6, "{log:?}");
        for pair in log.windows(2) {
            if pair[0].2 == State::HalfOpen {
                // The first trial goes at the next request and fails 50 ms later.
                assert_eq!(
                    (pair[1].1, pair[1].2, pair[1].3),
                    (State::HalfOpen, State::Open, Cause::TrialFailed)
                );
                assert!(pair[1].0 - pair[0].0 <= 150, "{pair:?}");
            }
        }
        // While broken, every rejection spared a call that would have failed.
        assert_eq!(sim.totals().spared, sim.totals().rejected);
        assert_eq!(sim.totals().needlessly_rejected, 0);
    }

    #[test]
    fn the_state_strip_covers_the_window_in_order() {
        let mut sim = Simulation::new(settings());
        sim.advance_to(2_000);
        sim.break_downstream();
        sim.advance_to(20_000);
        let segments = sim.state_segments();
        assert_eq!(
            segments.first().map(|s| s.start_us),
            Some(sim.timeline().start_us())
        );
        assert_eq!(segments.last().map(|s| s.end_us), Some(20_000_000));
        assert!(segments
            .windows(2)
            .all(|p| p[0].end_us == p[1].start_us && p[0].state != p[1].state));
        let states: Vec<State> = segments.iter().map(|s| s.state).collect();
        assert_eq!(&states[..3], [State::Closed, State::Open, State::HalfOpen]);

        // Long after recovery the window has scrolled past every transition.
        sim.heal_downstream();
        sim.advance_to(200_000);
        let segments = sim.state_segments();
        assert_eq!(segments.len(), 1, "{segments:?}");
        assert_eq!(segments[0].state, State::Closed);
        assert_eq!(segments[0].start_us, sim.timeline().start_us());
    }

    #[test]
    fn settings_changes_apply_mid_run() {
        let mut sim = Simulation::new(settings());
        sim.advance_to(3_000);
        sim.set_settings(Settings {
            failure_percent: 100.0,
            rate_per_second: 100.0,
            ..settings()
        });
        sim.advance_to(3_100);
        // At 100/s the next request goes at 3.01 s; the fifth failing one (3.05 s) is back at 3.1 s.
        assert_eq!(
            transitions(&sim),
            vec![(3_100, State::Closed, State::Open, Cause::FailuresInARow(5))]
        );
        // Shortening the timeout below the time already spent open takes effect at once.
        sim.advance_to(3_250);
        sim.set_settings(Settings {
            open_timeout_ms: 100,
            ..settings()
        });
        assert_eq!(sim.breaker().state(), State::Open);
        sim.advance_to(3_250);
        assert_eq!(
            transitions(&sim)[1],
            (
                3_250,
                State::Open,
                State::HalfOpen,
                Cause::TimeoutElapsed(100_000)
            )
        );
    }

    #[test]
    fn very_high_rates_keep_their_counts_straight() {
        let mut sim = Simulation::new(Settings {
            rate_per_second: 10_000.0,
            failure_percent: 50.0,
            latency_ms: 0,
            ..settings()
        });
        sim.advance_to(10_000);
        let totals = *sim.totals();
        assert_eq!(totals.arrived, 100_001);
        assert_eq!(
            totals.arrived,
            totals.succeeded + totals.failed + totals.rejected + sim.in_flight() as u64
        );
        assert!(totals.rejected > 0 && totals.spared > 0);
        let bars = sim.timeline().sum();
        assert!(bars.total() > 0 && u64::from(bars.total()) <= totals.arrived);
    }

    /// Replays one run's events and checks each rule a reader of the page would notice.
    struct Referee {
        rules: Rules,
        state: State,
        since_us: u64,
        failures_in_a_row: u32,
        successes: u32,
        trials_out: u32,
        last_failed_trial_at: Option<u64>,
    }

    impl Referee {
        fn see(&mut self, event: &Event) {
            match *event {
                Event::Arrived {
                    at_us,
                    state,
                    admitted,
                    ..
                } => {
                    assert_eq!(state, self.state);
                    if self.state == State::Open {
                        assert!(!admitted, "a call went through while open at {at_us}");
                        assert!(at_us < self.since_us + self.rules.open_timeout_us);
                    }
                    if admitted && self.state == State::HalfOpen {
                        self.trials_out += 1;
                        assert!(self.trials_out <= 1, "two trials in flight at {at_us}");
                    }
                }
                Event::Completed {
                    at_us,
                    succeeded,
                    counted,
                } => {
                    if !counted {
                        return;
                    }
                    match (self.state, succeeded) {
                        (State::Closed, true) => self.failures_in_a_row = 0,
                        (State::Closed, false) => self.failures_in_a_row += 1,
                        (State::HalfOpen, ok) => {
                            self.trials_out -= 1;
                            if ok {
                                self.successes += 1;
                            } else {
                                self.last_failed_trial_at = Some(at_us);
                            }
                        }
                        (State::Open, _) => panic!("an outcome counted while open"),
                    }
                }
                Event::Transition(t) => {
                    assert_eq!(t.from, self.state);
                    match (t.from, t.to) {
                        (State::Closed, State::Open) => {
                            assert_eq!(
                                self.failures_in_a_row, self.rules.failures,
                                "trips at exactly the threshold"
                            )
                        }
                        (State::Open, State::HalfOpen) => {
                            assert_eq!(
                                t.at_us,
                                self.since_us + self.rules.open_timeout_us,
                                "open exactly one timeout"
                            )
                        }
                        (State::HalfOpen, State::Open) => {
                            assert_eq!(
                                self.last_failed_trial_at,
                                Some(t.at_us),
                                "re-opens on the failed trial"
                            );
                            assert!(self.successes < self.rules.successes);
                        }
                        (State::HalfOpen, State::Closed) => {
                            assert_eq!(
                                self.successes, self.rules.successes,
                                "closes after the full count"
                            )
                        }
                        other => panic!("impossible transition {other:?}"),
                    }
                    // Counters start from zero in every new state.
                    self.state = t.to;
                    self.since_us = t.at_us;
                    self.failures_in_a_row = 0;
                    self.successes = 0;
                    self.trials_out = 0;
                    self.last_failed_trial_at = None;
                }
            }
            // A counted failed trial must have re-opened the breaker at once.
            if let Some(at) = self.last_failed_trial_at {
                if !matches!(event, Event::Completed { .. }) {
                    panic!("a failed trial at {at} did not re-open the breaker");
                }
            }
        }
    }

    /// Plays one case: random chunks of time, with the downstream broken and healed at
    /// random moments drawn from `script`.
    fn play(settings: Settings, script: u64, observe: &mut dyn FnMut(&Event)) -> Simulation {
        let mut dice = SplitMix64::new(script);
        let mut sim = Simulation::new(settings);
        let mut now = 0;
        for _ in 0..40 {
            now += dice.modulo(1_500);
            let needless_before = sim.totals().needlessly_rejected;
            let broken = sim.downstream_broken();
            sim.advance_observed(now, observe);
            let totals = *sim.totals();
            if broken {
                assert_eq!(
                    totals.needlessly_rejected, needless_before,
                    "a broken downstream serves nothing"
                );
            }
            assert_eq!(
                totals.arrived,
                totals.succeeded + totals.failed + totals.rejected + sim.in_flight() as u64
            );
            assert_eq!(totals.spared + totals.needlessly_rejected, totals.rejected);
            assert_eq!(
                totals.waiting_spared_ms,
                totals.spared * settings.latency_ms
            );
            if dice.modulo(4) == 0 {
                if broken {
                    sim.heal_downstream();
                } else {
                    sim.break_downstream();
                }
            }
        }
        sim
    }

    #[test]
    fn many_seeds_and_settings_obey_the_state_machine() {
        let mut dice = SplitMix64::new(2026);
        let mut trips = 0;
        let mut recoveries = 0;
        for case in 0..250 {
            let settings = Settings {
                failures: 1 + dice.modulo(8) as u32,
                successes: 1 + dice.modulo(4) as u32,
                open_timeout_ms: 100 + dice.modulo(3_000),
                failure_percent: [0.0, 5.0, 30.0, 60.0, 100.0][dice.modulo(5) as usize],
                latency_ms: [0, 10, 50, 300][dice.modulo(4) as usize],
                rate_per_second: [1.0, 7.5, 40.0, 300.0][dice.modulo(4) as usize],
                seed: dice.next_u64(),
            };
            let script = dice.next_u64();
            let mut referee = Referee {
                rules: settings.rules(),
                state: State::Closed,
                since_us: 0,
                failures_in_a_row: 0,
                successes: 0,
                trials_out: 0,
                last_failed_trial_at: None,
            };
            let sim = play(settings, script, &mut |event| referee.see(event));
            assert_eq!(sim.breaker().state(), referee.state, "case {case}");
            trips += sim.transitions().filter(|t| t.to == State::Open).count();
            recoveries += sim.transitions().filter(|t| t.to == State::Closed).count();
            // The same seed and inputs replay the same history.
            assert_eq!(play(settings, script, &mut |_| {}), sim, "case {case}");
        }
        // The cases exercise the whole machine, not only its quiet corners.
        assert!(
            trips > 200 && recoveries > 50,
            "trips {trips}, recoveries {recoveries}"
        );
    }
}
