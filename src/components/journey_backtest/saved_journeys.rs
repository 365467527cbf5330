//! Saved journeys to replay alongside the edited one, so frequency caps count across all of them
//! (DOMAIN.md: caps are per customer across journeys). Lists the definitions store's journeys as
//! checkboxes; says so when none are saved.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::journey::Journey;
use crate::i18n::fill;
use crate::i18n::journey_backtest_texts::journey_backtest_texts;
use crate::model::{DefinitionKind, SavedDefinition};
use crate::sync::definitions::use_definitions;
use crate::sync::SyncError;

/// A saved journey and its parsed definition (`None` when it does not read as a journey).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedJourney {
    pub id: String,
    pub name: String,
    pub journey: Option<Journey>,
}

impl SavedJourney {
    fn of(saved: &SavedDefinition) -> SavedJourney {
        SavedJourney {
            id: saved.id.clone(),
            name: saved.name.clone(),
            journey: serde_json::from_value(saved.definition.clone()).ok(),
        }
    }
}

/// The saved journeys, read from the definitions store (re-read when it changes).
pub fn saved_journeys() -> LocalResource<Result<Vec<SavedJourney>, SyncError>> {
    let defs = use_definitions();
    LocalResource::new(move || {
        defs.changed.track();
        async move {
            defs.list(DefinitionKind::Journey)
                .await
                .map(|list| list.iter().map(SavedJourney::of).collect())
        }
    })
}

#[component]
pub fn SavedJourneysChoice(
    list: LocalResource<Result<Vec<SavedJourney>, SyncError>>,
    /// Ids of the ticked journeys.
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let app = use_settings();
    let defs = use_definitions();
    let bt = move || journey_backtest_texts(app.locale.get());
    let body = move || {
        match list.get() {
        None => view! { <p class="crm-muted" role="status">{bt().others_loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="crm-notice crm-notice-error" role="alert">
                <p>{e.message(app.t())}</p>
                <button type="button" on:click=move |_| defs.changed.update(|n| *n += 1)>{app.t().retry}</button>
            </div>
        }
        .into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="crm-muted">{bt().others_none}</p> }.into_any()
        }
        Some(Ok(items)) => items
            .into_iter()
            .map(|item| {
                let readable = item.journey.is_some();
                let id = item.id.clone();
                let checked_id = item.id.clone();
                let label = if readable {
                    item.name.clone()
                } else {
                    fill(bt().others_unreadable, &[&item.name])
                };
                view! {
                    <label class="crm-check">
                        <input type="checkbox" disabled=!readable
                            prop:checked=move || selected.with(|s| s.contains(&checked_id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|x| *x != id);
                                    if on {
                                        s.push(id.clone());
                                    }
                                });
                            }/>
                        {label}
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <fieldset class="crm-checks crm-bt-others">
            <legend>{move || bt().others_legend}</legend>
            <p class="crm-muted crm-bt-note">{move || bt().others_intro}</p>
            {body}
        </fieldset>
    }
}
