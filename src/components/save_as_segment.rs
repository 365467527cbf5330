//! "Save these customers as a segment", for every view that lists customers (a cohort cell, a
//! funnel drop-off, an RFM cell, a path …). Saves a fixed-list segment through the
//! saved-definitions store and links to it on the Segments page (`/segments?saved=<id>`).
//!
//! ```ignore
//! use crate::components::save_as_segment::SaveAsSegment;
//! view! {
//!     <SaveAsSegment
//!         ids=Signal::derive(move || cell_customer_ids())   // Signal<Vec<String>>
//!         default_name=Signal::derive(move || format!("Cohort {week}, week {n}"))
//!     />
//! }
//! ```
//!
//! The saved rule is `{"rule":"attribute","attribute":"$id","op":"in","values":[ids…]}`
//! ([`fixed_list_rule`]): the engine's built-in `$id` attribute, so the segment's members are
//! exactly these customers, today and later.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::app::use_settings;
use crate::engine::segment_rule::Rule;
use crate::i18n::sync_texts::sync_texts;
use crate::i18n::{fill, format};
use crate::model::{DefinitionInput, DefinitionKind, SavedDefinition};
use crate::sync::definitions::use_definitions;
use crate::sync::SyncError;

/// The segment rule of a fixed list of customers, as saved JSON.
pub fn fixed_list_rule(ids: &[String]) -> Value {
    serde_json::to_value(Rule::customer_ids(ids)).unwrap_or(Value::Null)
}

/// The Segments page link that opens a saved segment.
pub fn segment_link_path(id: &str) -> String {
    format!("/segments?saved={}", crate::sync::loader::encode_query(id))
}

#[component]
pub fn SaveAsSegment(
    /// The customers to save.
    #[prop(into)]
    ids: Signal<Vec<String>>,
    /// The proposed segment name.
    #[prop(into)]
    default_name: Signal<String>,
) -> impl IntoView {
    let app = use_settings();
    let defs = use_definitions();
    let s = move || sync_texts(app.locale.get());
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<(SavedDefinition, usize)>);
    let error = RwSignal::new(None::<SyncError>);
    // A new list (another cell) starts over.
    Effect::new(move |_| {
        ids.track();
        name.set(default_name.get());
        saved.set(None);
        error.set(None);
    });

    let save = move || {
        if busy.get_untracked() {
            return;
        }
        let list = ids.get_untracked();
        let input = DefinitionInput {
            name: name.get_untracked().trim().to_owned(),
            description: String::new(),
            definition: fixed_list_rule(&list),
        };
        if input.name.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            // The user may have left while saving: `try_*` only.
            match defs.create(DefinitionKind::Segment, input).await {
                Ok(v) => {
                    let _ = saved.try_set(Some((v.saved, list.len())));
                    let _ = open.try_set(false);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let input_id = StoredValue::new(format!("crm-sas-{}", (js_sys::Math::random() * 1e9) as u64));

    view! {
        <div class="crm-save-as-segment">
            {move || {
                let count = ids.with(Vec::len);
                if count == 0 {
                    return view! { <p class="crm-muted">{move || s().sas_empty}</p> }.into_any();
                }
                if !open.get() {
                    return view! {
                        <button type="button" on:click=move |_| { open.set(true); saved.set(None); }>
                            {move || s().sas_button}
                            " ("{fill(s().sas_count, &[&format::count(count)])}")"
                        </button>
                    }.into_any();
                }
                let id = input_id.get_value();
                view! {
                    <form class="crm-sas-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                        <label for=id.clone()>{move || s().sas_name}</label>
                        <input id=id type="text" maxlength="200" required=true
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))/>
                        <button type="submit" class="crm-primary"
                            disabled=move || busy.get() || name.with(|n| n.trim().is_empty())>
                            {move || s().sas_save}
                        </button>
                        <button type="button" on:click=move |_| open.set(false)>{move || s().cancel}</button>
                        {move || defs.in_browser().then(|| view! {
                            <span class="crm-pill">{move || s().saved_in_browser}</span>
                        })}
                    </form>
                }.into_any()
            }}
            {move || (busy.get() && !defs.online.get() && !defs.in_browser()).then(|| view! {
                <p class="crm-notice crm-notice-warn" role="status">{move || s().waiting_offline}</p>
            })}
            {move || saved.get().map(|(segment, count)| view! {
                <p class="crm-notice" role="status">
                    {fill(s().sas_saved, &[&segment.name, &format::count(count)])}
                    " "
                    <a href=app.href(&segment_link_path(&segment.id))>{fill(s().sas_open, &[&segment.name])}</a>
                </p>
            })}
            {move || error.get().map(|e| view! {
                <div class="crm-notice crm-notice-error" role="alert">
                    <p>{e.message(app.t())}</p>
                    <button type="button" on:click=move |_| save()>{move || app.t().retry}</button>
                </div>
            })}
        </div>
    }
}
