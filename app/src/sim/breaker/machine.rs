//! The circuit breaker itself: three states, the rules that move between them, and nothing
//! else (no downstream, no clock, no randomness), so every rule can be tested on its own.

/// Where the breaker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Calls pass; consecutive failures are counted.
    Closed,
    /// Calls are rejected without being made, until the open timeout elapses.
    Open,
    /// One trial call at a time passes; the rest are rejected.
    HalfOpen,
}

impl State {
    pub const ALL: [State; 3] = [State::Closed, State::Open, State::HalfOpen];

    /// The name in capitals, as the diagram labels its boxes.
    pub fn title(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Open => "OPEN",
            State::HalfOpen => "HALF-OPEN",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
            State::HalfOpen => "half-open",
        }
    }
}

/// Why the breaker changed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Closed to open: this many failures in a row reached the failure threshold.
    FailuresInARow(u32),
    /// Open to half-open: the open timeout (in microseconds) elapsed.
    TimeoutElapsed(u64),
    /// Half-open to open: a trial call failed. One is enough, whatever the failure threshold.
    TrialFailed,
    /// Half-open to closed: this many trial calls succeeded in a row.
    TrialsSucceeded(u32),
}

/// One change of state, with its time and cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub at_us: u64,
    pub from: State,
    pub to: State,
    pub cause: Cause,
}

/// The thresholds the breaker applies. They may change while it runs: a lowered threshold
/// takes effect at the next outcome, never retroactively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Consecutive failures in the closed state that open the breaker.
    pub failures: u32,
    /// Consecutive trial successes in the half-open state that close it.
    pub successes: u32,
    /// How long the breaker stays open before it lets a trial through.
    pub open_timeout_us: u64,
}

/// Trial calls allowed in flight at once while half-open. One, so a recovering dependency
/// sees a trickle of probes rather than every request that arrives during a slow trial.
pub const TRIALS_IN_FLIGHT: u32 = 1;

/// Proof that a call was admitted, handed back with its outcome. The generation ties the
/// outcome to the state the call was admitted in: an outcome from an earlier state (a slow
/// call begun before the breaker tripped) is ignored rather than counted against the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permit {
    generation: u32,
}

/// A circuit breaker in one of its three states, with the counters of that state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breaker {
    state: State,
    entered_us: u64,
    /// Consecutive failures since entering the closed state.
    failures: u32,
    /// Trial successes since entering the half-open state.
    successes: u32,
    /// Trials admitted in the half-open state whose outcome is not known yet.
    trials_in_flight: u32,
    generation: u32,
}

impl Breaker {
    /// A closed breaker with clean counters.
    pub fn new(now_us: u64) -> Self {
        Breaker {
            state: State::Closed,
            entered_us: now_us,
            failures: 0,
            successes: 0,
            trials_in_flight: 0,
            generation: 0,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// When the current state began.
    pub fn entered_us(&self) -> u64 {
        self.entered_us
    }

    pub fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    pub fn trial_successes(&self) -> u32 {
        self.successes
    }

    pub fn trials_in_flight(&self) -> u32 {
        self.trials_in_flight
    }

    /// When an open breaker turns half-open; `None` in the other states.
    pub fn reopens_at_us(&self, rules: Rules) -> Option<u64> {
        (self.state == State::Open).then(|| self.entered_us.saturating_add(rules.open_timeout_us))
    }

    /// Moves an open breaker to half-open once its timeout has elapsed. Call it before
    /// [`Breaker::admit`] at each moment: an open breaker rejects every call until it has
    /// been polled past its timeout.
    pub fn poll(&mut self, now_us: u64, rules: Rules) -> Option<Transition> {
        match self.reopens_at_us(rules) {
            Some(at) if now_us >= at => Some(self.enter(
                State::HalfOpen,
                now_us,
                Cause::TimeoutElapsed(rules.open_timeout_us),
            )),
            _ => None,
        }
    }

    /// Decides whether a call may go to the dependency now. `None` means it is rejected
    /// fast: the breaker is open, or half-open with its trial already in flight.
    pub fn admit(&mut self) -> Option<Permit> {
        match self.state {
            State::Closed => {}
            State::Open => return None,
            State::HalfOpen => {
                if self.trials_in_flight >= TRIALS_IN_FLIGHT {
                    return None;
                }
                self.trials_in_flight += 1;
            }
        }
        Some(Permit {
            generation: self.generation,
        })
    }

    /// Whether an outcome for this permit still counts (it was admitted in the current state).
    pub fn counts(&self, permit: Permit) -> bool {
        permit.generation == self.generation
    }

    /// Records the outcome of an admitted call; returns the transition it caused, if any.
    pub fn record(
        &mut self,
        permit: Permit,
        succeeded: bool,
        now_us: u64,
        rules: Rules,
    ) -> Option<Transition> {
        if !self.counts(permit) {
            return None;
        }
        match self.state {
            State::Closed if succeeded => {
                self.failures = 0;
                None
            }
            State::Closed => {
                self.failures += 1;
                (self.failures >= rules.failures)
                    .then(|| self.enter(State::Open, now_us, Cause::FailuresInARow(self.failures)))
            }
            State::HalfOpen => {
                self.trials_in_flight = self.trials_in_flight.saturating_sub(1);
                if !succeeded {
                    // One failed trial is evidence enough: back to open at once, and the
                    // timeout starts again from now.
                    return Some(self.enter(State::Open, now_us, Cause::TrialFailed));
                }
                self.successes += 1;
                (self.successes >= rules.successes).then(|| {
                    self.enter(
                        State::Closed,
                        now_us,
                        Cause::TrialsSucceeded(self.successes),
                    )
                })
            }
            // Unreachable in practice: entering open bumps the generation, so no permit
            // handed out earlier still counts, and none is handed out while open.
            State::Open => None,
        }
    }

    /// Every transition starts the new state with every counter at zero, and a new
    /// generation so late outcomes from the old state are ignored.
    fn enter(&mut self, to: State, now_us: u64, cause: Cause) -> Transition {
        let transition = Transition {
            at_us: now_us,
            from: self.state,
            to,
            cause,
        };
        self.state = to;
        self.entered_us = now_us;
        self.failures = 0;
        self.successes = 0;
        self.trials_in_flight = 0;
        self.generation = self.generation.wrapping_add(1);
        transition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules {
        failures: 3,
        successes: 2,
        open_timeout_us: 10_000_000,
    };

    /// Admits one call and records its outcome at once.
    fn call(
        breaker: &mut Breaker,
        succeeded: bool,
        now_us: u64,
        rules: Rules,
    ) -> Option<Transition> {
        breaker.poll(now_us, rules);
        let permit = breaker.admit().expect("admitted");
        breaker.record(permit, succeeded, now_us, rules)
    }

    fn tripped(now_us: u64) -> Breaker {
        let mut breaker = Breaker::new(0);
        for _ in 0..RULES.failures {
            call(&mut breaker, false, now_us, RULES);
        }
        assert_eq!(breaker.state(), State::Open);
        breaker
    }

    #[test]
    fn consecutive_failures_open_it_and_a_success_in_between_starts_over() {
        let mut breaker = Breaker::new(0);
        assert_eq!(call(&mut breaker, false, 1, RULES), None);
        assert_eq!(call(&mut breaker, false, 2, RULES), None);
        assert_eq!(call(&mut breaker, true, 3, RULES), None);
        assert_eq!(breaker.consecutive_failures(), 0);
        call(&mut breaker, false, 4, RULES);
        call(&mut breaker, false, 5, RULES);
        let transition = call(&mut breaker, false, 6, RULES).expect("trips");
        assert_eq!(
            transition,
            Transition {
                at_us: 6,
                from: State::Closed,
                to: State::Open,
                cause: Cause::FailuresInARow(3)
            }
        );
    }

    #[test]
    fn open_rejects_until_the_timeout_then_admits_one_trial_at_a_time() {
        let mut breaker = tripped(100);
        assert_eq!(breaker.reopens_at_us(RULES), Some(10_000_100));
        assert_eq!(breaker.poll(10_000_099, RULES), None);
        assert_eq!(breaker.admit(), None);
        let transition = breaker.poll(10_000_100, RULES).expect("half-opens");
        assert_eq!(transition.cause, Cause::TimeoutElapsed(10_000_000));
        let trial = breaker.admit().expect("first trial");
        assert_eq!(breaker.admit(), None, "a second trial waits for the first");
        assert_eq!(breaker.record(trial, true, 10_000_200, RULES), None);
        assert!(
            breaker.admit().is_some(),
            "the next trial may go once the first is back"
        );
    }

    #[test]
    fn a_failed_trial_reopens_at_once_even_with_a_high_failure_threshold() {
        let rules = Rules {
            failures: 1000,
            ..RULES
        };
        let mut breaker = Breaker::new(0);
        for _ in 0..1000 {
            call(&mut breaker, false, 0, rules);
        }
        breaker.poll(rules.open_timeout_us, rules);
        assert_eq!(breaker.state(), State::HalfOpen);
        let transition = call(&mut breaker, false, 20_000_000, rules).expect("re-opens");
        assert_eq!(
            (transition.from, transition.to, transition.cause),
            (State::HalfOpen, State::Open, Cause::TrialFailed)
        );
        // The timeout restarts from the failed trial, not from the first trip.
        assert_eq!(breaker.reopens_at_us(rules), Some(30_000_000));
    }

    #[test]
    fn every_recovery_needs_the_full_count_of_successes() {
        let mut breaker = tripped(0);
        for round in 0..3 {
            let at = breaker.reopens_at_us(RULES).expect("open");
            breaker.poll(at, RULES).expect("half-opens");
            assert_eq!(
                call(&mut breaker, true, at, RULES),
                None,
                "round {round}: one success is not enough"
            );
            let closed = call(&mut breaker, true, at, RULES).expect("closes");
            assert_eq!(closed.cause, Cause::TrialsSucceeded(2));
            assert_eq!(breaker.trial_successes(), 0);
            for _ in 0..RULES.failures {
                call(&mut breaker, false, at, RULES);
            }
            assert_eq!(
                breaker.state(),
                State::Open,
                "round {round}: trips again after the full count"
            );
        }
    }

    #[test]
    fn outcomes_from_an_earlier_state_are_ignored() {
        let mut breaker = Breaker::new(0);
        let slow = breaker.admit().expect("closed admits");
        for _ in 0..RULES.failures {
            call(&mut breaker, false, 1, RULES);
        }
        breaker.poll(RULES.open_timeout_us + 1, RULES);
        let trial = breaker.admit().expect("trial");
        // The slow call from the closed state fails now: it must not re-open the breaker
        // or use up the trial.
        assert!(!breaker.counts(slow));
        assert_eq!(
            breaker.record(slow, false, RULES.open_timeout_us + 2, RULES),
            None
        );
        assert_eq!(breaker.state(), State::HalfOpen);
        assert_eq!(breaker.trials_in_flight(), 1);
        assert_eq!(
            breaker.record(trial, true, RULES.open_timeout_us + 3, RULES),
            None
        );
    }

    #[test]
    fn a_lowered_threshold_applies_at_the_next_failure() {
        let mut breaker = Breaker::new(0);
        call(&mut breaker, false, 1, RULES);
        call(&mut breaker, false, 2, RULES);
        let strict = Rules {
            failures: 1,
            ..RULES
        };
        assert_eq!(breaker.state(), State::Closed);
        let transition = call(&mut breaker, false, 3, strict).expect("trips");
        assert_eq!(transition.cause, Cause::FailuresInARow(3));
    }

    /// Random sequences of calls, outcomes and waits against an independent count of what
    /// the breaker has seen since it last changed state.
    #[test]
    fn random_histories_follow_the_rules() {
        let mut rng = crate::sim::random::SplitMix64::new(7);
        for case in 0..300 {
            let rules = Rules {
                failures: 1 + rng.modulo(6) as u32,
                successes: 1 + rng.modulo(4) as u32,
                open_timeout_us: 1 + rng.modulo(50),
            };
            let mut breaker = Breaker::new(0);
            let mut pending: Vec<(Permit, bool)> = Vec::new();
            let (mut failures_seen, mut successes_seen) = (0u32, 0u32);
            let mut now = 0u64;
            for _ in 0..400 {
                now += rng.modulo(5);
                let deadline = breaker.reopens_at_us(rules);
                let polled = breaker.poll(now, rules);
                assert_eq!(
                    polled.is_some(),
                    deadline.is_some_and(|at| now >= at),
                    "case {case}"
                );
                if polled.is_some() {
                    failures_seen = 0;
                    successes_seen = 0;
                }
                let state_before = breaker.state();
                if rng.modulo(2) == 0 {
                    let admitted = breaker.admit();
                    if state_before == State::Open {
                        assert!(admitted.is_none(), "case {case}: admitted while open");
                    }
                    if let Some(permit) = admitted {
                        pending.push((permit, rng.modulo(3) != 0));
                    }
                    assert!(breaker.trials_in_flight() <= TRIALS_IN_FLIGHT);
                    continue;
                }
                if pending.is_empty() {
                    continue;
                }
                let (permit, succeeded) =
                    pending.swap_remove(rng.modulo(pending.len() as u64) as usize);
                let counted = breaker.counts(permit);
                let transition = breaker.record(permit, succeeded, now, rules);
                if !counted {
                    assert_eq!(transition, None);
                    continue;
                }
                match (state_before, succeeded) {
                    (State::Closed, true) => failures_seen = 0,
                    (State::Closed, false) => failures_seen += 1,
                    (State::HalfOpen, true) => successes_seen += 1,
                    (State::HalfOpen, false) => {}
                    (State::Open, _) => panic!("case {case}: an outcome counted while open"),
                }
                let expected = match (state_before, succeeded) {
                    (State::Closed, false) if failures_seen >= rules.failures => Some(State::Open),
                    (State::HalfOpen, false) => Some(State::Open),
                    (State::HalfOpen, true) if successes_seen >= rules.successes => {
                        Some(State::Closed)
                    }
                    _ => None,
                };
                assert_eq!(transition.map(|t| t.to), expected, "case {case}");
                if let Some(transition) = transition {
                    assert_eq!(transition.from, state_before);
                    assert_eq!(
                        (
                            breaker.consecutive_failures(),
                            breaker.trial_successes(),
                            breaker.trials_in_flight()
                        ),
                        (0, 0, 0),
                        "case {case}: counters reset on {transition:?}"
                    );
                    failures_seen = 0;
                    successes_seen = 0;
                }
            }
        }
    }
}
