//! Core of the `breaker` widget (being written).
