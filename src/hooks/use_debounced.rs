//! A signal that follows another once it has stopped changing for a while: live counts and
//! checks follow an editor without running on every keystroke.
//!
//! # Usage
//!
//! ```ignore
//! let rule = RwSignal::new(Rule::all(vec![]));
//! let settled = use_debounced(rule, Duration::from_millis(25));
//! let count = Memo::new(move |_| count_members(&settled.get()));
//! ```
//!
//! The timer may fire after the view is gone (the user navigated away): it then does nothing,
//! since every access is a `try_*` one.

use std::time::Duration;

use leptos::prelude::*;

/// The value of `source`, updated `wait` after its last change (and only if it differs).
pub fn use_debounced<T>(source: impl Into<Signal<T>>, wait: Duration) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let source = source.into();
    let settled = RwSignal::new(source.get_untracked());
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let current = source.get();
        let Some(mine) = generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        set_timeout(
            move || {
                let latest = generation.try_get_value() == Some(mine);
                let changed = settled.try_with_untracked(|s| *s != current) == Some(true);
                if latest && changed {
                    let _ = settled.try_set(current);
                }
            },
            wait,
        );
    });
    settled.read_only()
}
