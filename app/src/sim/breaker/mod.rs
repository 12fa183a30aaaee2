//! Core of the circuit-breaker widget: a breaker (closed, open, half-open) in front of a
//! simulated downstream whose failure rate, latency and request rate the reader controls.
//!
//! The state machine follows the correct rules, which a widely copied sketch gets wrong:
//! one failed trial in half-open re-opens the breaker at once (whatever the failure
//! threshold), every transition resets every counter, and half-open lets one trial call
//! through at a time. Latency delays each outcome: a call's success or failure is known only
//! once the downstream answers, which is also the wait a rejected call is spared.

pub mod machine;
pub mod settings;
pub mod simulation;
pub mod text;
pub mod timeline;

pub use machine::{Breaker, Cause, State, Transition};
pub use settings::{Knob, Settings};
pub use simulation::{LogEntry, Segment, Simulation, Totals};
pub use timeline::{Bar, Timeline, BARS};
