//! Words and numbers for people: durations, counts and the causes of transitions, built
//! with integer arithmetic so server and browser print exactly the same text.

use super::machine::{Cause, State, Transition};
use super::simulation::LogEntry;

/// A duration the way a person says it: `850 ms`, `12.5 s`, `4 min 05 s`, `2 h 10 min`.
pub fn duration(us: u64) -> String {
    let ms = us / 1000;
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let tenths = ms / 100;
    if tenths < 600 {
        return format!("{}.{} s", tenths / 10, tenths % 10);
    }
    let seconds = ms / 1000;
    if seconds < 3600 {
        return format!("{} min {:02} s", seconds / 60, seconds % 60);
    }
    format!("{} h {:02} min", seconds / 3600, (seconds % 3600) / 60)
}

/// A point on the simulated clock, to the tenth of a second: `t = 12.3 s`.
pub fn clock(us: u64) -> String {
    let tenths = us / 100_000;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// A whole number with thousands separators: `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `n thing` or `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A millisecond setting as seconds, without trailing zeros: 2500 → `2.5`, 10000 → `10`.
pub fn ms_as_seconds(ms: u64) -> String {
    let (whole, fraction) = (ms / 1000, ms % 1000);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:03}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// Why a transition happened, in a few words.
pub fn cause(cause: Cause) -> String {
    match cause {
        Cause::FailuresInARow(n) => {
            format!("{} in a row", plural(u64::from(n), "failure", "failures"))
        }
        Cause::TimeoutElapsed(us) => format!("open timeout of {} elapsed", duration(us)),
        Cause::TrialFailed => "the trial call failed".to_string(),
        Cause::TrialsSucceeded(n) => format!(
            "{} succeeded",
            plural(u64::from(n), "trial call", "trial calls")
        ),
    }
}

/// One line of the log: `closed → open: 5 failures in a row`.
pub fn transition(transition: &Transition) -> String {
    format!(
        "{} → {}: {}",
        transition.from.name(),
        transition.to.name(),
        cause(transition.cause)
    )
}

/// A log entry and when it happened.
pub fn log_entry(entry: &LogEntry) -> (u64, String) {
    match entry {
        LogEntry::Transition(t) => (t.at_us, transition(t)),
        LogEntry::DownstreamBroken { at_us } => {
            (*at_us, "downstream broken: every call fails".to_string())
        }
        LogEntry::DownstreamHealed { at_us } => (*at_us, "downstream healed".to_string()),
    }
}

/// What each state does with a call, for the diagram and the status line.
pub fn state_role(state: State) -> &'static str {
    match state {
        State::Closed => "calls pass",
        State::Open => "calls rejected fast",
        State::HalfOpen => "one trial at a time",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_counts_and_seconds_read_naturally() {
        assert_eq!(duration(0), "0 ms");
        assert_eq!(duration(999_999), "999 ms");
        assert_eq!(duration(12_345_000), "12.3 s");
        assert_eq!(duration(245_000_000), "4 min 05 s");
        assert_eq!(duration(7_800_000_000), "2 h 10 min");
        assert_eq!(clock(15_450_000), "15.4 s");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(plural(1, "call", "calls"), "1 call");
        assert_eq!(plural(1200, "call", "calls"), "1,200 calls");
        assert_eq!(ms_as_seconds(2_500), "2.5");
        assert_eq!(ms_as_seconds(100), "0.1");
        assert_eq!(ms_as_seconds(10_000), "10");
        assert_eq!(ms_as_seconds(1_005), "1.005");
    }

    #[test]
    fn transitions_say_what_moved_and_why() {
        let t = Transition {
            at_us: 5_450_000,
            from: State::Closed,
            to: State::Open,
            cause: Cause::FailuresInARow(5),
        };
        assert_eq!(transition(&t), "closed → open: 5 failures in a row");
        assert_eq!(
            cause(Cause::TimeoutElapsed(10_000_000)),
            "open timeout of 10.0 s elapsed"
        );
        assert_eq!(cause(Cause::TrialsSucceeded(1)), "1 trial call succeeded");
        assert_eq!(
            log_entry(&LogEntry::DownstreamHealed { at_us: 3 }),
            (3, "downstream healed".to_string())
        );
    }
}
