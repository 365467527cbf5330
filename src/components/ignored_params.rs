//! "Some settings were ignored: paths_steps": names the URL parameters a view could not read, so
//! a broken link never fails silently.

use leptos::prelude::*;

use crate::app::use_settings;

#[component]
pub fn IgnoredParams(
    /// The names of the parameters that were dropped.
    #[prop(into)]
    names: Signal<Vec<&'static str>>,
) -> impl IntoView {
    let app = use_settings();
    move || {
        let names = names.get();
        (!names.is_empty()).then(|| {
            view! {
                <p class="crm-notice" role="status">{app.t().settings_warnings}{format!(" {}", names.join(", "))}</p>
            }
        })
    }
}
