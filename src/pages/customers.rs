//! Everyone in the data in one virtual table, sortable and searchable by name, email or id;
//! names open the customer's profile.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::member_table::MemberTable;
use crate::components::{PageHeader, WithDataset};
use crate::engine::members::{self, member_rows, SortKey};
use crate::i18n::{fill, format, segments_texts};
use crate::sync::{dataset::analysis_context, Dataset};

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
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(SortKey::LastSeen);
    let descending = RwSignal::new(true);
    let rows = {
        let data = data.clone();
        Memo::new(move |_| Arc::new(member_rows(&data.store, &analysis_context(&data, &app))))
    };
    let order = {
        let data = data.clone();
        Memo::new(move |_| {
            let needle = search.get();
            let (key, desc) = (sort.get(), descending.get());
            rows.with(|rows| {
                Arc::new(
                    members::table(&data.store, rows, None, &needle, key, desc)
                        .iter()
                        .map(|r| r.customer)
                        .collect::<Vec<u32>>(),
                )
            })
        })
    };
    let caption = Signal::derive(move || {
        fill(
            segments_texts(app.locale.get()).customers_caption,
            &[&format::count(order.get().len())],
        )
    });
    view! {
        <section class="crm-card" aria-label=move || app.t().nav_customers>
            <div class="crm-toolbar">
                <input
                    type="search"
                    class="crm-search"
                    aria-label=move || app.t().search_customers
                    placeholder=move || app.t().search_customers
                    prop:value=search
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <p class="crm-count" role="status" data-testid="customer-count">
                {move || fill(segments_texts(app.locale.get()).rows_found, &[&format::count(order.get().len())])}
            </p>
            {move || (order.with(|o| o.is_empty())).then(|| view! { <p class="crm-empty">{app.t().no_matches}</p> })}
            <MemberTable data=data.clone() rows order sort descending caption/>
        </section>
    }
}
