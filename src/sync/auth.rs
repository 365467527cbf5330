//! The bearer token, kept in memory only: never in localStorage, sessionStorage, IndexedDB, a
//! cookie or the URL. Without one, requests to a backend carry the host's cookies instead.

use std::cell::RefCell;

thread_local! {
    static TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets (or with `None` or an empty string, forgets) the bearer token for every later request.
pub fn set_token(token: Option<String>) {
    let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    TOKEN.with(|slot| *slot.borrow_mut() = token);
}

/// The `Authorization` header value, if a token is set.
pub fn authorization() -> Option<String> {
    TOKEN.with(|slot| slot.borrow().as_ref().map(|t| format!("Bearer {t}")))
}
