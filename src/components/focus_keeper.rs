//! Keeps the keyboard focus where the user is when an editor part re-renders.
//!
//! The segment builder and the journey designer rebuild a part when its shape changes (a rule or
//! step added, moved or removed). The new DOM would drop the focus, so the action that changes
//! the shape first asks for a focus target, and the part applies it once it has re-rendered.
//!
//! # Usage
//!
//! ```ignore
//! let focus = FocusKeeper::default();
//! // In an event handler that changes the shape:
//! focus.keep_current(); // or focus.move_to("new-step".into())
//! // In the closure that renders the part, after building its view:
//! focus.apply();
//! ```

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A pending focus target (cheap to copy).
#[derive(Clone, Copy)]
pub struct FocusKeeper {
    pending: StoredValue<Option<String>>,
}

impl Default for FocusKeeper {
    fn default() -> Self {
        FocusKeeper {
            pending: StoredValue::new(None),
        }
    }
}

impl FocusKeeper {
    /// After the next re-render, focus again the control that has the focus now (by its id).
    pub fn keep_current(&self) {
        let id = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|e| e.id())
            .filter(|id| !id.is_empty());
        self.pending.set_value(id);
    }

    /// After the next re-render, focus the element with this id.
    pub fn move_to(&self, id: String) {
        self.pending.set_value(Some(id));
    }

    /// Applies the pending request, once the new DOM is in place.
    pub fn apply(&self) {
        if let Some(id) = self.pending.get_value() {
            self.pending.set_value(None);
            set_timeout(move || focus_by_id(&id), Duration::ZERO);
        }
    }
}

/// Moves the focus to the element with this id (the browser scrolls it into view).
pub fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
