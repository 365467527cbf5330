//! "Who is behind this number": a heading with the count, the first customers by name, a CSV of
//! them all, "save as segment" and a close button. Used by paths and relationship stages.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::download::download_text;
use crate::components::SaveAsSegment;
use crate::export::excel_csv;
use crate::i18n::{fill, format};
use crate::sync::Dataset;

/// Customers listed on screen; the CSV has them all.
const SHOWN: usize = 50;

#[component]
pub fn CustomerListPanel(
    data: Arc<Dataset>,
    /// The heading, with the count in it.
    title: String,
    /// The customers' ids, in store order; or the translated reason they could not be listed.
    customers: Result<Vec<String>, String>,
    /// The CSV's file name.
    file_name: &'static str,
    /// A unique id for the heading.
    id: &'static str,
    on_close: Callback<()>,
) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let body = match customers {
        Err(message) => {
            view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&message])}</p> }
                .into_any()
        }
        Ok(ids) => {
            let store = &data.store;
            let items = ids
                .iter()
                .take(SHOWN)
                .map(|id| view! { <li>{format!("{} ({id})", store.customers.name_and_email(id).0)}</li> })
                .collect_view();
            let more = ids.len().saturating_sub(SHOWN);
            let csv = excel_csv(
                &[t.customer_id, t.name, t.email],
                ids.iter().map(|id| {
                    let (name, email) = store.customers.name_and_email(id);
                    vec![id.clone(), name.to_owned(), email.to_owned()]
                }),
            );
            let empty = ids.is_empty();
            let segment_name = title.clone();
            let save_ids = ids.clone();
            view! {
                <ul class="crm-name-list">{items}</ul>
                {(more > 0).then(|| view! { <p>{fill(t.more_not_shown, &[&format::count(more)])}</p> })}
                {(!empty).then(|| view! {
                    <button type="button" class="crm-button" on:click=move |_| {
                        let _ = download_text(file_name, "text/csv;charset=utf-8", &csv);
                    }>{t.download_csv}</button>
                    <SaveAsSegment ids=Signal::derive(move || save_ids.clone())
                        default_name=Signal::derive(move || segment_name.clone())/>
                })}
            }
            .into_any()
        }
    };
    view! {
        <aside class="crm-card crm-explainer" aria-labelledby=id>
            <div class="crm-explainer-head">
                <h3 id=id>{title}</h3>
                <button type="button" class="crm-link-button" on:click=move |_| on_close.run(())>{t.close}</button>
            </div>
            {body}
        </aside>
    }
}
