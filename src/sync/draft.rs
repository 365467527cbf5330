//! Unsaved edits in `localStorage`, one per editor (`scope`), offered back after a reload. Only
//! the definition, its name and the version it started from are kept: no credentials.

use crate::sync_policy::draft::{draft_key, Draft};
use crate::sync_policy::local_definitions::KeyValue;
use crate::sync_policy::wire::parse_draft;

use super::storage::BrowserStorage;
use super::SyncError;

/// The editor's draft, if one is stored and readable (an unreadable one is ignored, not shown).
pub fn load(scope: &str) -> Option<Draft> {
    let storage = BrowserStorage::open().ok()?;
    let text = storage.read(&draft_key(scope)).ok()??;
    parse_draft(text.as_bytes()).ok()
}

/// Keeps `draft` as the editor's draft.
pub fn save(scope: &str, draft: &Draft) -> Result<(), SyncError> {
    let storage = BrowserStorage::open().map_err(|detail| SyncError::Storage { detail })?;
    storage
        .write(&draft_key(scope), &draft.to_json())
        .map_err(|detail| SyncError::Storage { detail })
}

/// Forgets the editor's draft (after a save, or when the user discards it).
pub fn clear(scope: &str) {
    if let Ok(storage) = BrowserStorage::open() {
        let _ = storage.remove(&draft_key(scope));
    }
}
