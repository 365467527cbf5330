//! The journey designer: build a flow (entry → steps → exit) from the node kinds of DOMAIN.md,
//! check it, backtest it on history and save it.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::use_settings;
use crate::components::journey_backtest_view::JourneyBacktestView;
use crate::components::{PageHeader, WithDataset};
use crate::engine::journey::Journey;
use crate::engine::journey_templates::template;
use crate::i18n::journey_designer_texts::journey_designer_texts;

/// The journey to start from: `?template=<id>` or the signup coupon journey.
fn initial_journey() -> Option<Journey> {
    let id = use_query_map().with_untracked(|q| q.get("template"));
    id.and_then(|id| template(&id))
        .or_else(|| template("signup_coupon"))
        .map(|t| t.journey)
}

#[component]
pub fn JourneyDesigner() -> impl IntoView {
    let app = use_settings();
    let t = move || journey_designer_texts(app.locale.get());
    let journey = RwSignal::new(initial_journey());
    view! {
        <PageHeader title=Signal::derive(move || t().title) intro=Signal::derive(move || t().intro)/>
        <WithDataset let:data>
            <JourneyBacktestView data journey=Signal::derive(move || journey.get())/>
        </WithDataset>
    }
}
