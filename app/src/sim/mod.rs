//! Pure cores of the interactive widgets: no Leptos, no I/O, no clock.
//!
//! Each core is deterministic: given its parameters, a seed and the ticks it is asked to
//! advance, it always produces the same state. The islands only draw what these compute.

pub mod breaker;
pub mod cache;
pub mod estimate;
pub mod random;
