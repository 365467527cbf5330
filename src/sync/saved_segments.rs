//! The saved segments as analysis views use them (id, name, rule), read again after every save or
//! delete, here or in another tab; and the one way a view turns its segment filter key (a
//! template id or `saved:ID`) into the rule the engine takes.
//!
//! # Usage
//!
//! ```ignore
//! let saved = use_saved_segments();
//! view! { <SegmentFilterSelect value=filter on_change=… saved=saved.names()/> }
//! let rule = saved.list.with(|list| filter_rule(filter.get().as_deref(), list));
//! ```

use leptos::prelude::*;

use crate::app::AppSettings;
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::segment_rule::Rule;
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::fill;
use crate::model::DefinitionKind;
pub use crate::state::saved_segment::{filter_rule, SavedSegment};

use super::use_definitions;

/// The saved segments, kept current (cheap to copy).
#[derive(Clone, Copy)]
pub struct SavedSegments {
    /// Empty while loading or when the list cannot be read (the editors show that error).
    pub list: Signal<Vec<SavedSegment>>,
}

impl SavedSegments {
    /// `(id, name)` pairs, as selects offer them.
    pub fn names(&self) -> Signal<Vec<(String, String)>> {
        let list = self.list;
        Signal::derive(move || {
            list.with(|l| l.iter().map(|s| (s.id.clone(), s.name.clone())).collect())
        })
    }
}

/// The saved segments of the definitions store; a definition that is not a rule is left out.
pub fn use_saved_segments() -> SavedSegments {
    let defs = use_definitions();
    let listing = LocalResource::new(move || {
        defs.changed.track();
        async move { defs.list(DefinitionKind::Segment).await }
    });
    let list = Memo::new(move |_| match listing.get() {
        Some(Ok(list)) => list
            .into_iter()
            .filter_map(|d| {
                let rule = serde_json::from_value::<Rule>(d.definition).ok()?;
                Some(SavedSegment {
                    id: d.id,
                    name: d.name,
                    rule,
                    updated_at: d.updated_at.timestamp(),
                })
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    SavedSegments {
        list: Signal::from(list),
    }
}

/// The translated "that saved segment no longer exists" for a filter key that resolves to
/// nothing.
pub fn missing_segment(app: &AppSettings, id: &str) -> String {
    fill(
        cohorts_texts(app.locale.get_untracked()).saved_missing,
        &[id],
    )
}

/// Runs `analysis` over the members of the filter segment (a template id or `saved:ID`), in the
/// current settings' context; errors come as translated text.
pub fn run_in_segment(
    data: &super::Dataset,
    app: &AppSettings,
    filter: Option<&str>,
    saved: &[SavedSegment],
    analysis: Analysis,
) -> Result<QueryResult, String> {
    let rule = filter_rule(filter, saved).map_err(|id| missing_segment(app, &id))?;
    super::dataset::run_query(data, app, rule, analysis).map_err(|e| e.to_string())
}
