//! The browser's `localStorage` as a [`KeyValue`] store (drafts and demo-mode saved items only;
//! never credentials), and the connection state.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::sync_policy::local_definitions::KeyValue;

/// `window.localStorage`; every failure (disabled storage, a full quota) is an error string.
pub struct BrowserStorage(web_sys::Storage);

impl BrowserStorage {
    pub fn open() -> Result<BrowserStorage, String> {
        web_sys::window()
            .ok_or_else(|| "no window".to_owned())?
            .local_storage()
            .map_err(|e| format!("{e:?}"))?
            .map(BrowserStorage)
            .ok_or_else(|| "localStorage is not available".to_owned())
    }

    pub fn remove(&self, key: &str) -> Result<(), String> {
        self.0.remove_item(key).map_err(|e| format!("{e:?}"))
    }
}

impl KeyValue for BrowserStorage {
    fn read(&self, key: &str) -> Result<Option<String>, String> {
        self.0.get_item(key).map_err(|e| format!("{e:?}"))
    }

    fn write(&self, key: &str, value: &str) -> Result<(), String> {
        self.0.set_item(key, value).map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| format!("{e:?}"))
        })
    }
}

/// Whether the browser says it is online.
pub fn browser_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Calls `handler` on every `name` event of the window for the rest of the app's life.
pub fn on_window_event(name: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// A signal that follows the browser's `online` / `offline` events.
pub fn online_signal() -> RwSignal<bool> {
    let online = RwSignal::new(browser_online());
    on_window_event("online", move |_| {
        let _ = online.try_set(true);
    });
    on_window_event("offline", move |_| {
        let _ = online.try_set(false);
    });
    online
}

/// Resolves when the browser is online (at once if it is).
pub async fn until_online() {
    if browser_online() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            "online", &resolve, &options,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
