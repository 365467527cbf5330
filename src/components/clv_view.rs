//! Predictive CLV: the engine's BG/NBD and Gamma-Gamma fits (parameters, totals), the holdout
//! calibration chart (predicted vs actual purchases) and every customer's probability alive,
//! expected purchases and 12-month CLV in a sortable list with CSV.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::calibration::{calibration_svg, Calibration};
use crate::components::download::download_text;
use crate::engine::clv::{ClvResult, ClvSpec};
use crate::engine::query::{Analysis, ClvCustomers, ClvCustomersSpec, ClvOrder, QueryResult};
use crate::engine::QueryError;
use crate::export::excel_csv;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format};
use crate::state::kpi_links::encode_component;
use crate::sync::dataset::run_query;
use crate::sync::Dataset;

/// Rows listed on the page; the CSV has every customer.
const SHOWN: usize = 50;

fn run_clv(data: &Dataset, app: &crate::app::AppSettings) -> Result<ClvResult, QueryError> {
    match run_query(data, app, None, Analysis::Clv(ClvSpec::default()))? {
        QueryResult::Clv(result) => Ok(*result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

fn run_clv_customers(
    data: &Dataset,
    app: &crate::app::AppSettings,
    order: ClvOrder,
) -> Result<ClvCustomers, QueryError> {
    let spec = ClvCustomersSpec {
        clv: ClvSpec::default(),
        order,
        limit: None,
    };
    match run_query(data, app, None, Analysis::ClvCustomers(spec))? {
        QueryResult::ClvCustomers(list) => Ok(list),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

fn number(v: f64) -> String {
    if v.abs() >= 100.0 {
        format::decimal(v, 1)
    } else {
        format::decimal(v, 4)
    }
}

#[component]
pub fn ClvView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let order = RwSignal::new(ClvOrder::ClvDesc);
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_clv(&data, &app)
        })
    };
    let list = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_clv_customers(&data, &app, order.get())
        })
    };
    let summary = {
        let currency = currency.clone();
        move || {
            let t = app.t();
            let locale = app.locale.get();
            let d = dashboard_texts(locale);
            let r = match result.get() {
                Ok(r) => r,
                Err(err) => {
                    return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
                }
            };
            let intro = fill(
                d.clv_intro,
                &[
                    &r.horizon_days.to_string(),
                    &r.clv_months.to_string(),
                    &format::percent(r.monthly_discount_rate),
                ],
            );
            let (Some(bg), Some(gg)) = (r.bgnbd, r.gamma_gamma) else {
                return view! { <p class="crm-intro">{intro}</p><p class="crm-notice crm-notice-warn">{d.clv_not_fitted}</p> }.into_any();
            };
            let money = |v: Option<f64>| {
                v.map_or_else(|| "—".to_owned(), |v| format::money(v, &currency, locale))
            };
            let totals = fill(
                d.clv_summary,
                &[
                    &format::count(r.customers),
                    &format::count(r.repeat_customers),
                    &r.expected_purchases
                        .map_or_else(|| "—".to_owned(), |v| format::decimal(v, 0)),
                    &r.horizon_days.to_string(),
                    &money(r.clv),
                    &money(r.average_clv),
                ],
            );
            let params = [
                ("BG/NBD r", bg.params.r),
                ("BG/NBD α", bg.params.alpha),
                ("BG/NBD a", bg.params.a),
                ("BG/NBD b", bg.params.b),
                ("Gamma-Gamma p", gg.params.p),
                ("Gamma-Gamma q", gg.params.q),
                ("Gamma-Gamma v", gg.params.v),
            ]
            .into_iter()
            .map(|(name, v)| view! { <tr><th scope="row">{name}</th><td class="crm-num">{number(v)}</td></tr> })
            .collect_view();
            let holdout = r.holdout.map(|h| {
                let sentence = fill(
                    d.clv_holdout,
                    &[
                        &h.calibration_end,
                        &h.predicted.map_or_else(|| "—".to_owned(), |v| format::decimal(v, 0)),
                        &h.days.to_string(),
                        &format::integer(h.actual as i64),
                        &h.mae.map_or_else(|| "—".to_owned(), |v| format::decimal(v, 2)),
                    ],
                );
                let buckets: Vec<String> = h.buckets.iter().map(|b| b.frequency.clone()).collect();
                let predicted: Vec<Option<f64>> = h.buckets.iter().map(|b| b.predicted).collect();
                let actual: Vec<f64> = h.buckets.iter().map(|b| b.actual).collect();
                let svg = calibration_svg(&Calibration {
                    title: d.clv_chart_title,
                    x_label: d.clv_chart_x,
                    y_label: d.clv_chart_y,
                    predicted_label: d.clv_chart_predicted,
                    actual_label: d.clv_chart_actual,
                    buckets: &buckets,
                    predicted: &predicted,
                    actual: &actual,
                });
                let pairs = |values: Vec<String>| {
                    buckets
                        .iter()
                        .zip(values)
                        .map(|(b, v)| format!("{b}: {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let alt = fill(
                    d.clv_chart_alt,
                    &[
                        d.clv_chart_title,
                        &pairs(predicted.iter().map(|p| p.map_or_else(|| "—".to_owned(), |v| format::decimal(v, 2))).collect()),
                        &pairs(actual.iter().map(|v| format::decimal(*v, 2)).collect()),
                    ],
                );
                let chart = match svg {
                    Ok(svg) => view! { <div class="crm-chart" role="img" aria-label=alt inner_html=svg></div> }.into_any(),
                    Err(problem) => view! { <p class="crm-notice crm-notice-warn">{problem}</p> }.into_any(),
                };
                view! { <p class="crm-clv-holdout">{sentence}</p>{chart} }
            });
            view! {
                <p class="crm-intro">{intro}</p>
                <p class="crm-clv-summary">{totals}</p>
                <table class="crm-table crm-clv-params">
                    <caption>{d.clv_params_caption}</caption>
                    <thead><tr><th scope="col">{d.clv_param}</th><th scope="col" class="crm-num">{d.clv_value}</th></tr></thead>
                    <tbody>{params}</tbody>
                </table>
                {holdout}
            }
            .into_any()
        }
    };
    let customers = {
        let data = data.clone();
        move || {
            let t = app.t();
            let locale = app.locale.get();
            let d = dashboard_texts(locale);
            let list = match list.get() {
                Ok(l) => l,
                Err(err) => {
                    return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
                }
            };
            let horizon = ClvSpec::default().horizon_days.to_string();
            let months = ClvSpec::default().clv_months.to_string();
            let store = &data.store;
            let opt = |v: Option<f64>, digits: usize| {
                v.map_or_else(|| "—".to_owned(), |v| format::decimal(v, digits))
            };
            let money = |v: Option<f64>| {
                v.map_or_else(|| "—".to_owned(), |v| format::money(v, &currency, locale))
            };
            let rows = list
                .customers
                .iter()
                .take(SHOWN)
                .map(|c| {
                    let name = store.customers.name_and_email(&c.id).0.to_owned();
                    let href = app.href(&format!("/customers/{}", encode_component(&c.id)));
                    view! {
                        <tr>
                            <th scope="row"><a href=href>{name}</a>" "<span class="crm-muted">{format!("({})", c.id)}</span></th>
                            <td class="crm-num">{c.p_alive.map_or_else(|| "—".to_owned(), format::percent)}</td>
                            <td class="crm-num">{opt(c.expected_purchases, 2)}</td>
                            <td class="crm-num">{money(c.clv)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let (h_expected, h_clv) = (
                fill(d.clv_expected, &[&horizon]),
                fill(d.clv_clv, &[&months]),
            );
            let csv = excel_csv(
                &[
                    t.customer_id,
                    t.name,
                    d.clv_p_alive,
                    h_expected.as_str(),
                    h_clv.as_str(),
                ],
                list.customers.iter().map(|c| {
                    let num = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
                    vec![
                        c.id.clone(),
                        store.customers.name_and_email(&c.id).0.to_owned(),
                        num(c.p_alive),
                        num(c.expected_purchases),
                        num(c.clv),
                    ]
                }),
            );
            view! {
                <div class="crm-kpi-controls">
                    <label class="crm-field">
                        <span>{d.clv_sort}</span>
                        <select aria-label=d.clv_sort on:change=move |ev| {
                            order.set(if event_target_value(&ev) == "p_alive_asc" { ClvOrder::PAliveAsc } else { ClvOrder::ClvDesc });
                        }>
                            <option value="clv_desc" selected=order.get_untracked() == ClvOrder::ClvDesc>{d.clv_sort_clv}</option>
                            <option value="p_alive_asc" selected=order.get_untracked() == ClvOrder::PAliveAsc>{d.clv_sort_alive}</option>
                        </select>
                    </label>
                </div>
                <div class="crm-table-wrap" tabindex="0" role="region" aria-label=d.clv_list_caption>
                    <table class="crm-table crm-clv-customers">
                        <caption>{d.clv_list_caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{d.clv_customer}</th>
                                <th scope="col" class="crm-num">{d.clv_p_alive}</th>
                                <th scope="col" class="crm-num">{fill(d.clv_expected, &[&horizon])}</th>
                                <th scope="col" class="crm-num">{fill(d.clv_clv, &[&months])}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p>{fill(d.clv_shown, &[&format::count(SHOWN.min(list.count)), &format::count(list.count)])}</p>
                <button type="button" class="crm-button" on:click=move |_| {
                    let _ = download_text("crm-lens-predicted-clv.csv", "text/csv;charset=utf-8", &csv);
                }>{t.download_csv}</button>
            }
            .into_any()
        }
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-clv-title">
            <h2 id="crm-clv-title">{move || dashboard_texts(app.locale.get()).clv_title}</h2>
            {summary}
            {customers}
        </section>
    }
}
