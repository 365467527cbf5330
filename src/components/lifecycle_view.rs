//! Lifecycle per period: new, returning, resurrecting and dormant customers.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::lifecycle_bars::{lifecycle_bars_svg, LifecycleBars};
use crate::engine::filter::{EventFilter, ANY_ACTIVITY};
use crate::engine::lifecycle::{LifecyclePeriod, LifecycleResult, LifecycleSpec};
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::Period;
use crate::i18n::labels::{cohort_in_words, cohort_short, period_tick};
use crate::i18n::{fill, format};
use crate::sync::{dataset::run_query, Dataset};

#[component]
pub fn LifecycleView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let period = RwSignal::new(Period::Week);
    let result = Memo::new(move |_| {
        app.zone.track();
        let spec = LifecycleSpec {
            period: period.get(),
            periods: 12,
            activity: EventFilter::of(ANY_ACTIVITY),
            breakdown: None,
        };
        match run_query(&data, &app, None, Analysis::Lifecycle(spec)) {
            Ok(QueryResult::Lifecycle(result)) => Ok(result),
            Ok(_) => Err("unexpected result".to_owned()),
            Err(e) => Err(e.to_string()),
        }
    });
    move || {
        let t = app.t();
        let locale = app.locale.get();
        let granularity = period.get();
        let body = match result.get() {
            Err(message) => view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&message])}</p> }.into_any(),
            Ok(LifecycleResult { periods, .. }) => {
                let labels: Vec<String> = periods.iter().map(|p| cohort_short(granularity, p.start, locale)).collect();
                let pick = |f: fn(&LifecyclePeriod) -> usize| periods.iter().map(f).collect::<Vec<_>>();
                let (new, returning, resurrecting, dormant) = (pick(|p| p.new), pick(|p| p.returning), pick(|p| p.resurrecting), pick(|p| p.dormant));
                // Running periods are marked in the chart, and a note says so.
                let chart_labels: Vec<String> = periods
                    .iter()
                    .map(|p| {
                        let tick = period_tick(granularity, p.start, locale);
                        if p.complete { tick } else { format!("{tick}*") }
                    })
                    .collect();
                let running_note = periods
                    .iter()
                    .find(|p| !p.complete)
                    .map(|p| fill(t.period_running_note, &[&cohort_in_words(t, granularity, p.start, locale)]));
                let svg = lifecycle_bars_svg(&LifecycleBars {
                    title: t.lifecycle_title,
                    y_label: t.customers_col,
                    periods: &chart_labels,
                    new: &new,
                    returning: &returning,
                    resurrecting: &resurrecting,
                    dormant: &dormant,
                    names: [t.stage_new, t.stage_returning, t.stage_resurrecting, t.stage_dormant],
                })
                .unwrap_or_default();
                let rows = periods
                    .iter()
                    .zip(&labels)
                    .map(|(p, label)| {
                        let label = if p.complete { label.clone() } else { fill(t.kpi_running, &[label]) };
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="crm-num">{format::count(p.new)}</td>
                                <td class="crm-num">{format::count(p.returning)}</td>
                                <td class="crm-num">{format::count(p.resurrecting)}</td>
                                <td class="crm-num">{format::count(p.dormant)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let last = periods.iter().rev().find(|p| p.complete);
                let alt = last
                    .map(|p| format!("{}: {} {}, {} {}, {} {}, {} {}", t.lifecycle_title, t.stage_new, p.new, t.stage_returning, p.returning, t.stage_resurrecting, p.resurrecting, t.stage_dormant, p.dormant))
                    .unwrap_or_default();
                view! {
                    <figure class="crm-chart">
                        <div role="img" aria-label=alt inner_html=svg></div>
                        {running_note.map(|note| view! { <p class="crm-chart-note">{note}</p> })}
                    </figure>
                    <div class="crm-table-wrap" tabindex="0" role="region" aria-label=t.lifecycle_title>
                        <table class="crm-table">
                            <caption>{t.lifecycle_title}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t.period}</th>
                                    <th scope="col" class="crm-num">{t.stage_new}</th>
                                    <th scope="col" class="crm-num">{t.stage_returning}</th>
                                    <th scope="col" class="crm-num">{t.stage_resurrecting}</th>
                                    <th scope="col" class="crm-num">{t.stage_dormant}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        };
        view! {
            <section class="crm-card" aria-labelledby="crm-lifecycle-title">
                <h2 id="crm-lifecycle-title">{t.lifecycle_title}</h2>
                <p class="crm-intro">{t.lifecycle_intro}</p>
                <label class="crm-field">
                    <span>{t.kpi_granularity}</span>
                    <select aria-label=t.kpi_granularity on:change=move |ev| {
                        period.set(match event_target_value(&ev).as_str() { "month" => Period::Month, "day" => Period::Day, _ => Period::Week });
                    }>
                        <option value="day" selected=granularity == Period::Day>{t.period_day}</option>
                        <option value="week" selected=granularity == Period::Week>{t.period_week}</option>
                        <option value="month" selected=granularity == Period::Month>{t.period_month}</option>
                    </select>
                </label>
                {body}
            </section>
        }
    }
}
