//! Core of the `cache` widget (being written).
