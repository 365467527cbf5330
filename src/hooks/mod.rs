//! Reactive helpers shared by views, one concept per file (in the style of leptos-use).

pub mod use_debounced;

pub use use_debounced::use_debounced;
