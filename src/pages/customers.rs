//! Everyone in the data, most recently active first, searchable by name, email or id.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::{PageHeader, WithDataset};
use crate::engine::overview::customer_summaries;
use crate::i18n::{fill, format};
use crate::sync::{dataset::analysis_context, Dataset};

/// Rows shown at once; the member table of the segments issue scrolls through all of them.
const SHOWN: usize = 100;

#[component]
pub fn Customers() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_customers) intro=Signal::derive(move || app.t().customers_intro)/>
        <WithDataset let:data>
            <CustomerList data/>
        </WithDataset>
    }
}

#[component]
fn CustomerList(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let query = RwSignal::new(String::new());
    let currency = app.currency(&data.store.meta.currency);
    // Most recently active first; customers never active last, newest signups first among them.
    let ordered = {
        let data = data.clone();
        Memo::new(move |_| {
            let ctx = analysis_context(&data, &app);
            let mut summaries = customer_summaries(&data.store, &ctx);
            let created = &data.store.customers.created_at;
            summaries.sort_by_key(|s| {
                (
                    std::cmp::Reverse(s.last_seen),
                    std::cmp::Reverse(created[s.customer as usize]),
                )
            });
            summaries
        })
    };
    let rows = move || {
        let t = app.t();
        let locale = app.locale.get();
        let zone = app.zone.get();
        let needle = query.get().trim().to_lowercase();
        let customers = &data.store.customers;
        let matches = |ix: usize| {
            needle.is_empty()
                || customers.names[ix].to_lowercase().contains(&needle)
                || customers.ids[ix].to_lowercase().contains(&needle)
                || customers.emails[ix]
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(&needle))
        };
        let all = ordered.get();
        let found: Vec<_> = all
            .iter()
            .filter(|s| matches(s.customer as usize))
            .collect();
        let total = found.len();
        let body = found
            .into_iter()
            .take(SHOWN)
            .map(|s| {
                let ix = s.customer as usize;
                view! {
                    <tr>
                        <th scope="row">{customers.names[ix].clone()}<span class="crm-sub">{customers.ids[ix].clone()}</span></th>
                        <td>{customers.emails[ix].clone().unwrap_or_default()}</td>
                        <td>{format::unix_date(customers.created_at[ix], &zone, locale)}</td>
                        <td>{s.last_seen.map(|t| format::unix_date(t, &zone, locale)).unwrap_or_else(|| app.t().never.to_owned())}</td>
                        <td class="crm-num">{format::count(s.orders as usize)}</td>
                        <td class="crm-num">{format::money(s.revenue, &currency, locale)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="crm-count" role="status">{fill(t.showing_of, &[&format::count(total.min(SHOWN)), &format::count(total)])}</p>
            {(total == 0).then(|| view! { <p class="crm-empty">{t.no_matches}</p> })}
            <div class="crm-table-wrap">
                <table class="crm-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.col_name}</th>
                            <th scope="col">{t.col_email}</th>
                            <th scope="col">{t.col_signup}</th>
                            <th scope="col">{t.col_last_seen}</th>
                            <th scope="col" class="crm-num">{t.col_orders}</th>
                            <th scope="col" class="crm-num">{t.col_revenue}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
    };
    view! {
        <div class="crm-toolbar">
            <input
                type="search"
                class="crm-search"
                aria-label=move || app.t().search_customers
                placeholder=move || app.t().search_customers
                prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))
            />
        </div>
        {rows}
    }
}
