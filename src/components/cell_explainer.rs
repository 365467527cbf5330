//! "Behind this cell": the cell's definition in words with its numbers, and the customers with
//! the events that qualified them.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::download::download_text;
use crate::components::SaveAsSegment;
use crate::engine::query::CellCustomers;
use crate::engine::retention::{Counting, RetentionSpec};
use crate::engine::{Period, Store};
use crate::export::excel_csv;
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::labels::{cohort_in_words, cohort_short, column_label};
use crate::i18n::{event_label, fill, format};

/// Customers listed on screen; the CSV has them all.
const SHOWN: usize = 100;
/// Qualifying events listed per customer on screen.
const EVENTS_SHOWN: usize = 3;

/// What the explainer needs to word the cell.
#[derive(Clone)]
pub struct CellStory {
    pub spec: RetentionSpec,
    pub period: Period,
    pub cohort_start: chrono::NaiveDate,
    pub cohort_size: usize,
    pub column: crate::engine::retention::Column,
    pub column_index: usize,
}

#[component]
pub fn CellExplainer(
    story: CellStory,
    customers: Result<CellCustomers, String>,
    store: Arc<crate::sync::Dataset>,
    on_close: Callback<()>,
) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let locale = app.locale.get_untracked();
    let cohort = cohort_in_words(t, story.period, story.cohort_start, locale);
    let start = event_label(t, &story.spec.start.event);
    let ret = event_label(t, &story.spec.return_event.event);
    let customers = match customers {
        Ok(c) => c,
        Err(message) => {
            return view! {
                <aside class="crm-card crm-explainer" aria-labelledby="crm-explainer-title">
                    <h2 id="crm-explainer-title">{t.explain_title}</h2>
                    <p role="alert" class="crm-notice crm-notice-error">{message}</p>
                </aside>
            }
            .into_any()
        }
    };
    let sentence = if story.column_index == 0 {
        fill(
            t.explain_size,
            &[&format::count(story.cohort_size), &start, &cohort],
        )
    } else {
        let template = match story.spec.counting {
            Counting::On => t.explain_on,
            Counting::OnOrAfter => t.explain_on_or_after,
        };
        fill(
            template,
            &[
                &format::count(customers.count),
                &format::count(story.cohort_size),
                &start,
                &cohort,
                &ret,
                &column_label(t, story.period, &story.column),
            ],
        )
    };
    let st: &Store = &store.store;
    let name_of = |id: &str| {
        let (name, email) = st.customers.name_and_email(id);
        (name.to_owned(), email.to_owned())
    };
    let short_time = |rfc: &str| rfc.get(..16).unwrap_or(rfc).replace('T', " ");
    let rows = customers
        .customers
        .iter()
        .take(SHOWN)
        .map(|c| {
            let (name, _) = name_of(&c.id);
            let hidden = c.events.len().saturating_sub(EVENTS_SHOWN);
            let events = c
                .events
                .iter()
                .take(EVENTS_SHOWN)
                .map(|e| {
                    let value = e
                        .value
                        .map(|v| format!(" · {}", format::money(v, &app.currency(&st.meta.currency), locale)))
                        .unwrap_or_default();
                    view! { <li>{format!("{} {}{}", short_time(&e.at), event_label(t, &e.event_type), value)}</li> }
                })
                .collect_view();
            view! {
                <tr>
                    <td>{name}</td>
                    <td><code>{c.id.clone()}</code></td>
                    <td>{short_time(&c.start)}</td>
                    <td>
                        <ul class="crm-evidence">
                            {events}
                            {(hidden > 0).then(|| view! { <li>{format!("+{}", format::count(hidden))}</li> })}
                        </ul>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let more = customers.count.saturating_sub(SHOWN);
    let csv = {
        let header = [
            t.customer_id,
            t.name,
            t.email,
            t.started_at,
            t.qualifying_events,
        ];
        let lines: Vec<Vec<String>> = customers
            .customers
            .iter()
            .map(|c| {
                let (name, email) = name_of(&c.id);
                let events = c
                    .events
                    .iter()
                    .map(|e| format!("{} {}", e.at, e.event_type))
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![c.id.clone(), name, email, c.start.clone(), events]
            })
            .collect();
        excel_csv(&header, lines)
    };
    let empty = customers.count == 0;
    // Exactly these customers, as a segment whose live count is the cell's.
    let ids: Vec<String> = customers.customers.iter().map(|c| c.id.clone()).collect();
    let segment_name = fill(
        cohorts_texts(locale).cell_segment_name,
        &[&format!(
            "{} · {}",
            cohort_short(story.period, story.cohort_start, locale),
            column_label(t, story.period, &story.column)
        )],
    );
    view! {
        <aside class="crm-card crm-explainer" aria-labelledby="crm-explainer-title">
            <div class="crm-explainer-head">
                <h2 id="crm-explainer-title">{t.explain_title}</h2>
                <button type="button" class="crm-link-button" on:click=move |_| on_close.run(())>{t.close}</button>
            </div>
            <p class="crm-explain-sentence">{sentence}</p>
            {if empty {
                view! { <p>{t.no_customers_in_cell}</p> }.into_any()
            } else {
                view! {
                    <div class="crm-table-wrap" tabindex="0" role="region" aria-label=t.explain_title>
                        <table class="crm-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t.name}</th>
                                    <th scope="col">{t.customer_id}</th>
                                    <th scope="col">{t.started_at}</th>
                                    <th scope="col">{t.qualifying_events}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {(more > 0).then(|| view! { <p>{fill(t.more_not_shown, &[&format::count(more)])}</p> })}
                    <div class="crm-actions">
                        <button type="button" class="crm-button" on:click=move |_| {
                            let _ = download_text("crm-lens-cell.csv", "text/csv;charset=utf-8", &csv);
                        }>{t.download_csv}</button>
                    </div>
                    <SaveAsSegment ids=Signal::stored(ids) default_name=Signal::stored(segment_name)/>
                }.into_any()
            }}
        </aside>
    }
    .into_any()
}
