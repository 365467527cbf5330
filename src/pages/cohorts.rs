//! Do customers come back? Monthly signup cohorts and the share active in each later month.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::{PageHeader, WithDataset};
use crate::engine::retention::{self, RetentionSpec};
use crate::engine::Period;
use crate::i18n::{fill, format};
use crate::sync::{dataset::analysis_context, Dataset};

const COHORTS: usize = 12;
const PERIODS: usize = 11;

#[component]
pub fn Cohorts() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_cohorts) intro=Signal::derive(move || app.t().cohorts_intro)/>
        <WithDataset let:data>
            <RetentionTable data/>
        </WithDataset>
    }
}

#[component]
fn RetentionTable(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    move || {
        let t = app.t();
        let locale = app.locale.get();
        let ctx = analysis_context(&data, &app);
        let spec = RetentionSpec {
            period: Period::Month,
            cohorts: COHORTS,
            periods: PERIODS,
            ..RetentionSpec::default()
        };
        // The default spec is always valid; an error would be a bug worth showing, not hiding.
        let retention = match retention::run(&data.store, &ctx, &spec, None, None) {
            Ok(result) => result,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{err.to_string()}</p> }.into_any()
            }
        };
        let Some(table) = retention.tables.first() else {
            return ().into_any();
        };
        let header = (0..=PERIODS)
            .map(|k| view! { <th scope="col" class="crm-num">{fill(t.cohort_month, &[&k.to_string()])}</th> })
            .collect_view();
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(k, cell)| match cell.as_ref().and_then(|c| c.rate.map(|rate| (c, rate))) {
                        Some((cell, rate)) if k > 0 => {
                            let incomplete = !cell.complete;
                            let shade = format!("--crm-shade:{:.3}", rate);
                            let title = format!(
                                "{} / {}{}",
                                format::count(cell.customers),
                                format::count(row.size),
                                if incomplete { format!(" · {}", t.incomplete_period) } else { String::new() }
                            );
                            view! {
                                <td class="crm-num crm-heat" class:crm-incomplete=incomplete style=shade title=title>
                                    {format::percent(rate)}
                                    {incomplete.then(|| view! { <span class="crm-visually-hidden">{format!(" ({})", t.incomplete_period)}</span> })}
                                </td>
                            }
                            .into_any()
                        }
                        Some(_) => view! { <td class="crm-num">"100%"</td> }.into_any(),
                        None => view! { <td class="crm-empty-cell"></td> }.into_any(),
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{format::month(row.start, locale)}</th>
                        <td class="crm-num">{format::count(row.size)}</td>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="crm-table-wrap">
                <table class="crm-table crm-retention">
                    <caption>{fill(t.cohort_caption, &["0", &PERIODS.to_string()])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.cohort_col}</th>
                            <th scope="col" class="crm-num">{t.cohort_size}</th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="crm-legend"><span class="crm-incomplete-swatch" aria-hidden="true"></span>{t.incomplete_period}</p>
        }
        .into_any()
    }
}
