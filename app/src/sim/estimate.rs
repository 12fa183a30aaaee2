//! Core of the `estimate` widget (being written).
