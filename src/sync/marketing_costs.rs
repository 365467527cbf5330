//! Marketing cost per acquisition channel and month, kept with the saved settings in this
//! browser's storage (`localStorage`, through [`BrowserStorage`] like the saved definitions). Pages never touch storage: they call [`load`] and [`save`].

use crate::engine::ltv_cac::CostEntry;
use crate::sync::storage::BrowserStorage;
use crate::sync_policy::local_definitions::KeyValue;

/// The storage key (versioned, so a later format can migrate).
pub const KEY: &str = "crm-lens.settings.marketing-costs.v1";

/// Why costs could not be read or kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostsProblem {
    /// The browser refuses storage (private mode, blocked, quota).
    Unavailable,
    /// What was stored is not a cost list (edited by hand, an older app); it is left as it is.
    Unreadable(String),
}

fn storage() -> Result<BrowserStorage, CostsProblem> {
    BrowserStorage::open().map_err(|_| CostsProblem::Unavailable)
}

/// The saved costs; `Ok(None)` when none were saved yet.
pub fn load() -> Result<Option<Vec<CostEntry>>, CostsProblem> {
    let Some(text) = storage()?
        .read(KEY)
        .map_err(|_| CostsProblem::Unavailable)?
    else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| CostsProblem::Unreadable(e.to_string()))
}

/// Keeps `costs`, replacing what was saved.
pub fn save(costs: &[CostEntry]) -> Result<(), CostsProblem> {
    let text = serde_json::to_string(costs).map_err(|e| CostsProblem::Unreadable(e.to_string()))?;
    storage()?
        .write(KEY, &text)
        .map_err(|_| CostsProblem::Unavailable)
}
