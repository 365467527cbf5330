//! Replays the last N days of history through a journey: who would have entered, reached each
//! step and the goal, and how many messages each channel would have sent per day.
//!
//! # Usage
//!
//! ```ignore
//! view! { <JourneyBacktestView data=dataset journey=Signal::derive(move || Some(journey.get()))/> }
//! ```
//!
//! The backtest runs when the user asks (it replays every customer), not on every edit.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::backtest::{BacktestResult, BacktestSpec};
use crate::engine::journey::Journey;
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::QueryError;
use crate::i18n::journey_backtest_texts::journey_backtest_texts;
use crate::i18n::{fill, format};
use crate::sync::{dataset::run_query, Dataset};

/// Runs the `journey_backtest` analysis for one journey over the last `days` days.
fn backtest(
    data: &Dataset,
    app: &crate::app::AppSettings,
    journey: Journey,
    days: u32,
) -> Result<BacktestResult, QueryError> {
    let spec = BacktestSpec {
        days,
        journeys: vec![journey],
    };
    match run_query(data, app, None, Analysis::JourneyBacktest(spec))? {
        QueryResult::JourneyBacktest(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

#[component]
pub fn JourneyBacktestView(
    data: Arc<Dataset>,
    /// The journey to replay (`None` while the editor has none).
    #[prop(into)]
    journey: Signal<Option<Journey>>,
) -> impl IntoView {
    let app = use_settings();
    let t = move || journey_backtest_texts(app.locale.get());
    let days = RwSignal::new(90u32);
    let result = RwSignal::new(None::<Result<BacktestResult, QueryError>>);
    let data = StoredValue::new(data);
    let run = move |_| {
        let Some(j) = journey.get_untracked() else {
            return;
        };
        let r = data.with_value(|d| backtest(d, &app, j, days.get_untracked()));
        result.set(Some(r));
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-backtest-title">
            <h2 id="crm-backtest-title">{move || t().title}</h2>
            <label>
                {move || t().days}
                <input type="number" min="1" max="3660" prop:value=move || days.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            days.set(n);
                        }
                    }/>
            </label>
            <button type="button" on:click=run>{move || t().run}</button>
            {move || result.get().map(|r| match r {
                Ok(r) => {
                    let entries = r.journeys.first().map(|j| j.entries).unwrap_or(0);
                    view! { <p>{t().entries} ": " {format::count(entries)}</p> }.into_any()
                }
                Err(err) => view! {
                    <p role="alert" class="crm-notice crm-notice-error">{fill(app.t().spec_error, &[&err.to_string()])}</p>
                }.into_any(),
            })}
        </section>
    }
}
