//! The RFM grid: recency × frequency scores shaded by customers, and the named segments with
//! their customers and share of revenue.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::rfm::{RfmResult, RfmSpec};
use crate::engine::QueryError;
use crate::i18n::{fill, format, rfm_segment_name};
use crate::sync::{dataset::run_query, Dataset};

fn run_rfm(data: &Dataset, app: &crate::app::AppSettings) -> Result<RfmResult, QueryError> {
    match run_query(data, app, None, Analysis::Rfm(RfmSpec::default()))? {
        QueryResult::Rfm(result) => Ok(*result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

#[component]
pub fn RfmGrid(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let result = Memo::new(move |_| {
        app.zone.track();
        run_rfm(&data, &app)
    });
    move || {
        let t = app.t();
        let locale = app.locale.get();
        let result = match result.get() {
            Ok(r) => r,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        let most = result
            .grid
            .iter()
            .flatten()
            .map(|c| c.customers)
            .max()
            .unwrap_or(0)
            .max(1);
        let header = (1..=5)
            .map(|f| view! { <th scope="col" class="crm-num">{format!("F{f}")}</th> })
            .collect_view();
        let rows = (1..=5)
            .rev()
            .map(|r| {
                let cells = (1..=5)
                    .map(|f| {
                        let cell = result.grid[r - 1][f - 1];
                        let level = cell.customers as f64 / most as f64;
                        let label = fill(
                            t.rfm_cell,
                            &[
                                &r.to_string(),
                                &f.to_string(),
                                &format::count(cell.customers),
                                &format::money_compact(cell.monetary, &currency, locale),
                            ],
                        );
                        view! {
                            <td class="crm-num crm-heat"
                                style=format!("--crm-shade:{level:.3}") title=label.clone()>
                                {format::count(cell.customers)}
                                <span class="crm-visually-hidden">{format!(", {label}")}</span>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{format!("R{r}")}</th>{cells}</tr> }
            })
            .collect_view();
        let segments = result
            .segments
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <th scope="row">{rfm_segment_name(t, &s.name)}</th>
                        <td class="crm-num">{format::count(s.customers)}</td>
                        <td class="crm-num">{format::money_compact(s.revenue, &currency, locale)}</td>
                        <td class="crm-num">{s.revenue_share.map(|v| format::percent(v / 100.0)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="crm-card" aria-labelledby="crm-rfm-title">
                <h2 id="crm-rfm-title">{t.rfm_title}</h2>
                <p class="crm-intro">{fill(t.rfm_intro, &[&result.window_days.to_string()])}</p>
                <div class="crm-rfm">
                    <table class="crm-table crm-retention crm-rfm-grid">
                        <caption>{format!("{} / {}", t.rfm_recency, t.rfm_frequency)}</caption>
                        <thead><tr><th scope="col"><span class="crm-visually-hidden">{t.rfm_recency}</span></th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <table class="crm-table">
                        <caption>{t.rfm_segments}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.rfm_segment}</th>
                                <th scope="col" class="crm-num">{t.rfm_customers}</th>
                                <th scope="col" class="crm-num">{t.rfm_revenue}</th>
                                <th scope="col" class="crm-num">{t.rfm_share}</th>
                            </tr>
                        </thead>
                        <tbody>{segments}</tbody>
                    </table>
                </div>
                <p>{fill(t.rfm_no_purchase, &[&format::count(result.without_purchase)])}</p>
            </section>
        }
        .into_any()
    }
}
