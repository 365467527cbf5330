//! "Only customers in": picks the segment an analysis is restricted to (everyone, or one of the
//! DOMAIN templates), by template id.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::segment_templates::templates;
use crate::i18n::template_name;

#[component]
pub fn SegmentFilterSelect(
    /// The chosen template id; `None` for all customers.
    #[prop(into)]
    value: Signal<Option<String>>,
    on_change: Callback<Option<String>>,
) -> impl IntoView {
    let app = use_settings();
    let options = move || {
        let t = app.t();
        let current = value.get().unwrap_or_default();
        std::iter::once((String::new(), t.all_customers.to_owned()))
            .chain(
                templates()
                    .into_iter()
                    .map(|tpl| (tpl.id.to_owned(), template_name(t, tpl.id))),
            )
            .map(|(key, label)| {
                let selected = key == current;
                view! { <option value=key selected=selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <label class="crm-field">
            <span>{move || app.t().segment_filter}</span>
            <select aria-label=move || app.t().segment_filter on:change=move |ev| {
                let key = event_target_value(&ev);
                on_change.run((!key.is_empty()).then_some(key));
            }>{options}</select>
        </label>
    }
}
