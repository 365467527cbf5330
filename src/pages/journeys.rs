//! How customers move: paths between events, the funnel from first visit to purchase, lifecycle
//! stages per period, relationship stages between two dates, and the volume of each event type.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_settings;
use crate::components::funnel_view::FunnelView;
use crate::components::lifecycle_view::LifecycleView;
use crate::components::paths_view::PathsView;
use crate::components::relationship_view::RelationshipView;
use crate::components::{PageHeader, ShareCells, WithDataset};
use crate::engine::overview::event_type_counts;
use crate::i18n::format;
use crate::i18n::journey_designer_texts::journey_designer_texts;
use crate::sync::Dataset;

#[component]
pub fn Journeys() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_journeys) intro=Signal::derive(move || app.t().journeys_intro)/>
        <p class="crm-page-actions">
            <A href="/journeys/designer">{move || journey_designer_texts(app.locale.get()).open_designer}</A>
        </p>
        <WithDataset let:data>
            <PathsView data=data.clone()/>
            <FunnelView data=data.clone()/>
            <LifecycleView data=data.clone()/>
            <RelationshipView data=data.clone()/>
            <EventVolume data/>
        </WithDataset>
    }
}

#[component]
fn EventVolume(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let counts = event_type_counts(&data.store);
    let all = data.store.customers.len();
    let rows = counts
        .into_iter()
        .filter(|c| c.events > 0)
        .map(|c| {
            view! {
                <tr>
                    <th scope="row"><code>{c.name}</code></th>
                    <td class="crm-num">{format::count(c.events)}</td>
                    <ShareCells count=c.customers total=all/>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="crm-card" aria-labelledby="crm-volume-title">
            <h2 id="crm-volume-title">{move || app.t().event_volume_title}</h2>
            <table class="crm-table">
                <thead>
                    <tr>
                        <th scope="col">{move || app.t().event_type}</th>
                        <th scope="col" class="crm-num">{move || app.t().events_col}</th>
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
