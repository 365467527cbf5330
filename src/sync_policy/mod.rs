//! The pure half of the sync layer: decisions and document formats that need no browser, so they
//! compile and are tested natively. `crate::sync` (browser only) does the I/O around them.
//!
//! - [`retry`]: which failed requests are tried again, and after how long;
//! - [`local_definitions`]: saved segments and journeys kept in browser storage (demo mode), with
//!   the same version checks as the backend contract;
//! - [`draft`]: unsaved edits kept in browser storage;
//! - [`wire`]: parsers for every JSON document the client reads; they return errors, never panic;
//! - [`shown_url`]: the short address error messages show.

pub mod draft;
pub mod local_definitions;
pub mod retry;
pub mod shown_url;
pub mod wire;
