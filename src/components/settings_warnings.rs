//! Tells the user which settings were ignored and why, instead of failing silently.

use leptos::prelude::*;

use crate::app::use_settings;

#[component]
pub fn SettingsWarnings() -> impl IntoView {
    let app = use_settings();
    let warnings = app.initial.with_value(|s| s.warnings.clone());
    (!warnings.is_empty()).then(|| {
        view! {
            <div class="crm-notice crm-notice-warn" role="status">
                <p>{move || app.t().settings_warnings}</p>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </div>
        }
    })
}
