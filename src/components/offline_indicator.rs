//! "Offline" in the header while the browser has no connection (saving waits meanwhile).

use leptos::prelude::*;

use crate::app::use_settings;
use crate::i18n::sync_texts::sync_texts;
use crate::sync::use_definitions;

#[component]
pub fn OfflineIndicator() -> impl IntoView {
    let app = use_settings();
    let defs = use_definitions();
    let s = move || sync_texts(app.locale.get());
    view! {
        <span class="crm-connection" role="status" aria-live="polite">
            {move || (!defs.online.get()).then(|| view! {
                <span class="crm-pill crm-pill-bad" title=move || s().offline_hint>
                    {move || s().offline}
                </span>
                <span class="crm-visually-hidden">{move || s().offline_hint}</span>
            })}
        </span>
    }
}
