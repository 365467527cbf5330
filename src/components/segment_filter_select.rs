//! "Only customers in": picks the segment an analysis is restricted to (everyone, one of the
//! DOMAIN templates by template id, or a saved segment as `saved:ID`).

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::segment_templates::templates;
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::template_name;

#[component]
pub fn SegmentFilterSelect(
    /// The chosen template id; `None` for all customers.
    #[prop(into)]
    value: Signal<Option<String>>,
    on_change: Callback<Option<String>>,
    /// Saved segments (id, name), offered as `saved:ID`; none when not given.
    #[prop(optional, into)]
    saved: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let app = use_settings();
    let options = move || {
        let t = app.t();
        let ct = cohorts_texts(app.locale.get());
        let current = value.get().unwrap_or_default();
        let option = |key: String, label: String| {
            let selected = key == current;
            view! { <option value=key selected=selected>{label}</option> }
        };
        let templates = templates()
            .into_iter()
            .map(|tpl| option(tpl.id.to_owned(), template_name(t, tpl.id)))
            .collect_view();
        let saved = saved.get();
        let saved = (!saved.is_empty()).then(|| {
            let options = saved
                .into_iter()
                .map(|(id, name)| option(format!("saved:{id}"), name))
                .collect_view();
            view! { <optgroup label=ct.filter_saved>{options}</optgroup> }
        });
        view! {
            {option(String::new(), t.all_customers.to_owned())}
            <optgroup label=ct.filter_templates>{templates}</optgroup>
            {saved}
        }
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
