//! KPI cards: each KPI for the chosen period beside the previous one, a sparkline of recent
//! periods, the formula with its numbers on demand, and a link to the view behind it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::sparkline::sparkline_svg;
use crate::components::segment_filter_select::SegmentFilterSelect;
use crate::engine::kpi::{Formula, Kpi, KpiResult, KpiRow, KpiSpec};
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::segment_rule::Rule;
use crate::engine::{Period, QueryError};
use crate::i18n::fill;
use crate::i18n::kpi_text::{kpi_formula, kpi_name, kpi_value};
use crate::i18n::labels::cohort_short;
use crate::state::kpi_links::kpi_link;
use crate::sync::saved_segments::{filter_rule, missing_segment, use_saved_segments};
use crate::sync::{dataset::run_query, Dataset};

/// The cards, in reading order (each links to its view through [`kpi_link`]).
const CARDS: [Formula; 10] = [
    Formula::ActiveCustomers,
    Formula::NewCustomers,
    Formula::Revenue,
    Formula::AverageOrderValue,
    Formula::Clv,
    Formula::ChurnRate,
    Formula::RepeatPurchaseRate,
    Formula::ConversionRate,
    Formula::RetentionRate,
    Formula::Nps,
];

fn kpi_of(row: &KpiRow, formula: Formula) -> &Kpi {
    match formula {
        Formula::ActiveCustomers => &row.active_customers,
        Formula::NewCustomers => &row.new_customers,
        Formula::Revenue => &row.revenue,
        Formula::Orders => &row.orders,
        Formula::AverageOrderValue => &row.average_order_value,
        Formula::RepeatPurchaseRate => &row.repeat_purchase_rate,
        Formula::ChurnRate => &row.churn_rate,
        Formula::ConversionRate => &row.conversion_rate,
        Formula::RetentionRate => &row.retention_rate,
        Formula::Nps => &row.nps,
        Formula::Clv => &row.clv,
    }
}

fn run_kpis(
    data: &Dataset,
    app: &crate::app::AppSettings,
    spec: KpiSpec,
    filter: Option<Rule>,
) -> Result<KpiResult, QueryError> {
    match run_query(data, app, filter, Analysis::Kpi(spec))? {
        QueryResult::Kpi(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

#[component]
pub fn KpiCards(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let period = RwSignal::new(Period::Month);
    let churn_days = RwSignal::new(30u32);
    // A template id or `saved:ID`.
    let filter: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = use_saved_segments();
    // None: the last complete period (the running one would compare a part with a whole).
    let chosen: RwSignal<Option<usize>> = RwSignal::new(None);
    let currency = app.currency(&data.store.meta.currency);
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            app.week_start.track();
            let spec = KpiSpec {
                period: period.get(),
                periods: 12,
                churn_inactive_days: churn_days.get(),
                ..KpiSpec::default()
            };
            let rule = saved
                .list
                .with(|list| filter_rule(filter.get().as_deref(), list))
                .map_err(|id| QueryError::invalid("filter", missing_segment(&app, &id)))?;
            run_kpis(&data, &app, spec, rule)
        })
    };
    let controls = move || {
        let t = app.t();
        let locale = app.locale.get();
        let rows = result.get().map(|r| r.rows).unwrap_or_default();
        let selected = chosen.get().unwrap_or_else(|| rows.len().saturating_sub(2));
        let period_options = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut label = cohort_short(period.get_untracked(), row.start, locale);
                if !row.complete {
                    label = fill(t.kpi_running, &[&label]);
                }
                view! { <option value=i.to_string() selected=i == selected>{label}</option> }
            })
            .collect_view();
        let granularity = period.get();
        view! {
                    <div class="crm-kpi-controls">
                        <label class="crm-field">
                            <span>{t.kpi_granularity}</span>
                            <select aria-label=t.kpi_granularity on:change=move |ev| {
                                period.set(if event_target_value(&ev) == "week" { Period::Week } else { Period::Month });
                                chosen.set(None);
                            }>
                                <option value="month" selected=granularity == Period::Month>{t.period_month}</option>
                                <option value="week" selected=granularity == Period::Week>{t.period_week}</option>
                            </select>
                        </label>
                        <label class="crm-field">
                            <span>{t.kpi_period_select}</span>
                            <select aria-label=t.kpi_period_select on:change=move |ev| {
                                chosen.set(event_target_value(&ev).parse().ok());
                            }>{period_options}</select>
                        </label>
                        <label class="crm-field">
                            <span>{t.kpi_churn_days}</span>
                            <input type="number" min="1" max="365" aria-label=t.kpi_churn_days prop:value=churn_days.get().to_string()
                                on:change=move |ev| {
                                    if let Ok(days) = event_target_value(&ev).parse::<u32>() {
                                        churn_days.set(days.clamp(1, 365));
                                    }
                                }/>
                        </label>
        <SegmentFilterSelect value=filter on_change=Callback::new(move |id| filter.set(id)) saved=saved.names()/>
                    </div>
                }
    };
    let cards = move || {
        let t = app.t();
        let locale = app.locale.get();
        let result = match result.get() {
            Ok(result) => result,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        let rows = &result.rows;
        let Some(index) = chosen
            .get()
            .or(rows.len().checked_sub(2))
            .filter(|&i| i < rows.len())
        else {
            return ().into_any();
        };
        let row = &rows[index];
        let granularity = period.get();
        let filter_id = filter.get();
        let previous = index.checked_sub(1).map(|i| &rows[i]);
        let cards = CARDS
            .iter()
            .map(|&formula| {
                let kpi = kpi_of(row, formula);
                let name = kpi_name(t, formula);
                let value = kpi_value(kpi, &currency, locale);
                let before = previous
                    .map(|p| fill(t.kpi_previous, &[&kpi_value(kpi_of(p, formula), &currency, locale)]))
                    .unwrap_or_default();
                let history: Vec<Option<f64>> = rows.iter().map(|r| kpi_of(r, formula).value).collect();
                let spark = sparkline_svg(&history).unwrap_or_default();
                let first = rows.first().map(|r| kpi_value(kpi_of(r, formula), &currency, locale)).unwrap_or_default();
                let last = rows.last().map(|r| kpi_value(kpi_of(r, formula), &currency, locale)).unwrap_or_default();
                let spark_label = fill(t.kpi_sparkline, &[name, &rows.len().to_string(), &first, &last]);
                let formula_text = kpi_formula(t, kpi, &currency, locale);
                let href = app.href(&kpi_link(formula, granularity, filter_id.as_deref()));
                view! {
                    <article class="crm-kpi-card" aria-label=name>
                        <h3>{name}</h3>
                        <p class="crm-kpi-value">{value}</p>
                        <p class="crm-kpi-previous">{before}</p>
                        <div class="crm-sparkline" role="img" aria-label=spark_label inner_html=spark></div>
                        <details>
                            <summary>{t.kpi_show_formula}</summary>
                            <p class="crm-kpi-formula">{formula_text}</p>
                        </details>
                        <a href=href class="crm-kpi-link" aria-label=format!("{} {}", t.kpi_open, name)>{t.kpi_open}" →"</a>
                    </article>
                }
            })
            .collect_view();
        view! { <div class="crm-kpi-grid">{cards}</div> }.into_any()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-kpi-title">
            <h2 id="crm-kpi-title">{move || app.t().kpi_title}</h2>
            {controls}
            {cards}
        </section>
    }
}
