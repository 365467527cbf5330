//! Who is slipping away: customers by time since their last activity. The segment builder
//! (issue 5) grows from here.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::{PageHeader, ShareCells, WithDataset};
use crate::engine::overview::{customer_summaries, recency_buckets};
use crate::i18n::fill;
use crate::sync::{dataset::analysis_context, Dataset};

/// Day bounds of the recency buckets (the win-back rule of thumb starts at 14 days).
const BOUNDS: [u32; 3] = [14, 30, 90];

#[component]
pub fn Segments() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_segments) intro=Signal::derive(move || app.t().segments_intro)/>
        <WithDataset let:data>
            <RecencyTable data/>
        </WithDataset>
    }
}

#[component]
fn RecencyTable(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let rows = move || {
        let t = app.t();
        let ctx = analysis_context(&data, &app);
        let buckets = recency_buckets(&customer_summaries(&data.store, &ctx), &ctx, &BOUNDS);
        let all = data.store.customers.len();
        let mut labels = Vec::new();
        let mut low = 0;
        for (i, &bound) in buckets.bounds.iter().enumerate() {
            labels.push(if i == 0 {
                fill(t.inactive_within, &[&bound.to_string()])
            } else {
                fill(
                    t.inactive_between,
                    &[&low.to_string(), &(bound - 1).to_string()],
                )
            });
            low = bound;
        }
        labels.push(fill(t.inactive_over, &[&(low - 1).to_string()]));
        labels.push(t.inactive_never.to_owned());
        let counts = buckets.counts.iter().copied().chain([buckets.never]);
        labels
            .into_iter()
            .zip(counts)
            .map(|(label, n)| {
                view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <ShareCells count=n total=all/>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-recency-title">
            <h2 id="crm-recency-title">{move || app.t().inactive_title}</h2>
            <table class="crm-table">
                <thead>
                    <tr>
                        <th scope="col">{move || app.t().inactive_bucket}</th>
                        <th scope="col" class="crm-num">{move || app.t().customers_col}</th>
                        <th scope="col" class="crm-num">{move || app.t().share_of_customers}</th>
                        <th scope="col"><span class="crm-visually-hidden">{move || app.t().share_of_customers}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
