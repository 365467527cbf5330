//! LTV : CAC: the cost-entry table (channel × month, kept with the saved settings through
//! `sync::marketing_costs`) and the engine's CLV, CAC and LTV:CAC per channel, with the channels
//! that lose money flagged.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::ltv_cac::{ClvBasis, CostEntry, LtvCacResult, LtvCacSpec};
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::QueryError;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format};
use crate::sync::dataset::{analysis_context, run_query};
use crate::sync::marketing_costs::{self, CostsProblem};
use crate::sync::Dataset;

/// Monthly spend of the demo shop's paid channels, offered as editable example costs when
/// nothing was saved and the data has these channels.
const DEMO_SPEND: [(&str, f64); 5] = [
    ("naver_search", 4_500_000.0),
    ("kakao_ad", 3_800_000.0),
    ("instagram", 3_200_000.0),
    ("coupon_event", 4_000_000.0),
    ("referral", 600_000.0),
];

/// The acquisition channels the data knows (values of the `channel` attribute).
pub fn channels(data: &Dataset) -> Vec<String> {
    let mut names = data
        .store
        .customers
        .attribute(&LtvCacSpec::default().channel_attribute)
        .map(|c| c.text_values.clone())
        .unwrap_or_default();
    names.sort();
    names
}

/// Example costs: the demo channels' monthly spend for the six complete months before today.
pub fn example_costs(channels: &[String], today: NaiveDate) -> Vec<CostEntry> {
    let Some(this_month) = NaiveDate::from_ymd_opt(today.year(), today.month(), 1) else {
        return Vec::new();
    };
    let mut costs = Vec::new();
    for (channel, spend) in DEMO_SPEND {
        if !channels.iter().any(|c| c == channel) {
            continue;
        }
        for back in (1..=6).rev() {
            if let Some(month) = this_month.checked_sub_months(Months::new(back)) {
                costs.push(CostEntry {
                    channel: channel.to_owned(),
                    month: month.format("%Y-%m").to_string(),
                    cost: spend,
                });
            }
        }
    }
    costs
}

/// One change to the cost table.
type CostEdit = Box<dyn FnOnce(&mut Vec<CostEntry>)>;

pub fn run_ltv_cac(
    data: &Dataset,
    app: &crate::app::AppSettings,
    costs: Vec<CostEntry>,
    clv: ClvBasis,
) -> Result<LtvCacResult, QueryError> {
    let spec = LtvCacSpec {
        costs,
        clv,
        ..LtvCacSpec::default()
    };
    match run_query(data, app, None, Analysis::LtvCac(spec))? {
        QueryResult::LtvCac(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

/// The costs the dashboard starts with, and a note on where they came from.
#[derive(Debug, Clone, PartialEq)]
pub enum CostsOrigin {
    Saved,
    Example,
    Unavailable,
    Unreadable(String),
}

pub fn initial_costs(
    data: &Dataset,
    app: &crate::app::AppSettings,
) -> (Vec<CostEntry>, CostsOrigin) {
    let ctx = analysis_context(data, app);
    let today = ctx.zone.datetime(ctx.now).date_naive();
    let example = || example_costs(&channels(data), today);
    match marketing_costs::load() {
        Ok(Some(costs)) => (costs, CostsOrigin::Saved),
        Ok(None) => (example(), CostsOrigin::Example),
        Err(CostsProblem::Unavailable) => (example(), CostsOrigin::Unavailable),
        Err(CostsProblem::Unreadable(why)) => (example(), CostsOrigin::Unreadable(why)),
    }
}

#[component]
pub fn LtvCacView(
    data: Arc<Dataset>,
    costs: RwSignal<Vec<CostEntry>>,
    origin: RwSignal<CostsOrigin>,
    basis: RwSignal<ClvBasis>,
    result: Memo<Result<LtvCacResult, QueryError>>,
) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let channel_names = channels(&data);
    // Every edit is kept at once (the origin then says "saved").
    let edit = move |change: CostEdit| {
        costs.update(|c| change(c));
        let next = match marketing_costs::save(&costs.get_untracked()) {
            Ok(()) => CostsOrigin::Saved,
            Err(_) => CostsOrigin::Unavailable,
        };
        origin.set(next);
    };
    let note = move || {
        let d = dashboard_texts(app.locale.get());
        match origin.get() {
            CostsOrigin::Saved => d.ltv_saved_note.to_owned(),
            CostsOrigin::Example => d.ltv_example_note.to_owned(),
            CostsOrigin::Unavailable => d.ltv_storage_unavailable.to_owned(),
            CostsOrigin::Unreadable(why) => fill(d.ltv_storage_unreadable, &[&why]),
        }
    };
    let cost_rows = {
        let channel_names = channel_names.clone();
        move || {
            let d = dashboard_texts(app.locale.get());
            costs
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, entry)| {
                    let n = (i + 1).to_string();
                    let options = channel_names
                        .iter()
                        .map(|c| view! { <option value=c.clone() selected=*c == entry.channel>{c.clone()}</option> })
                        .collect_view();
                    view! {
                        <tr>
                            <td>
                                <select aria-label=fill(d.ltv_row_channel, &[&n]) on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    edit(Box::new(move |c: &mut Vec<CostEntry>| if let Some(e) = c.get_mut(i) { e.channel = v; }));
                                }>{options}</select>
                            </td>
                            <td>
                                <input type="month" aria-label=fill(d.ltv_row_month, &[&n]) prop:value=entry.month.clone()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        if !v.is_empty() {
                                            edit(Box::new(move |c: &mut Vec<CostEntry>| if let Some(e) = c.get_mut(i) { e.month = v; }));
                                        }
                                    }/>
                            </td>
                            <td>
                                <input type="number" min="0" step="any" class="crm-cut-input" aria-label=fill(d.ltv_row_cost, &[&n])
                                    prop:value=entry.cost.to_string()
                                    on:change=move |ev| {
                                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                                            edit(Box::new(move |c: &mut Vec<CostEntry>| if let Some(e) = c.get_mut(i) { e.cost = v; }));
                                        }
                                    }/>
                            </td>
                            <td>
                                <button type="button" class="crm-icon-button" aria-label=fill(d.ltv_remove_row, &[&n])
                                    on:click=move |_| edit(Box::new(move |c: &mut Vec<CostEntry>| { if i < c.len() { c.remove(i); } }))>"×"</button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        }
    };
    let add_row = {
        let first = channel_names.first().cloned().unwrap_or_default();
        let data = data.clone();
        move |_| {
            let ctx = analysis_context(&data, &app);
            let month = ctx
                .zone
                .datetime(ctx.now)
                .date_naive()
                .format("%Y-%m")
                .to_string();
            let channel = first.clone();
            edit(Box::new(move |c: &mut Vec<CostEntry>| {
                c.push(CostEntry {
                    channel,
                    month,
                    cost: 0.0,
                })
            }));
        }
    };
    let table = move || {
        let t = app.t();
        let locale = app.locale.get();
        let d = dashboard_texts(locale);
        let result = match result.get() {
            Ok(r) => r,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        let money = |v: Option<f64>| {
            v.map_or_else(|| "—".to_owned(), |v| format::money(v, &currency, locale))
        };
        let row = |c: &crate::engine::ltv_cac::ChannelValue, name: String, total: bool| {
            let verdict = if c.cac.is_none() && c.cost == 0.0 {
                "—".to_owned()
            } else if c.loses_money {
                d.ltv_loses.to_owned()
            } else {
                d.ltv_pays.to_owned()
            };
            let class = if c.loses_money { "crm-loses" } else { "" };
            let row_class = if total { "crm-mean-row" } else { "" };
            view! {
                <tr class=row_class>
                    <th scope="row">{name}</th>
                    <td class="crm-num">{format::count(c.new_customers)}</td>
                    <td class="crm-num">{format::money(c.cost, &currency, locale)}</td>
                    <td class="crm-num">{money(c.cac)}</td>
                    <td class="crm-num">{money(c.average_clv)}</td>
                    <td class="crm-num">{c.ltv_cac.map_or_else(|| "—".to_owned(), |v| format::decimal(v, 2))}</td>
                    <td class=class>{verdict}</td>
                </tr>
            }
        };
        let rows = result
            .channels
            .iter()
            .map(|c| row(c, c.channel.clone(), false))
            .collect_view();
        let total = row(&result.total, d.ltv_total.to_owned(), true);
        view! {
            <div class="crm-table-wrap" tabindex="0" role="region" aria-label=d.ltv_result_caption>
                <table class="crm-table crm-ltv-table">
                    <caption>{d.ltv_result_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{d.ltv_channel}</th>
                            <th scope="col" class="crm-num">{d.ltv_new_customers}</th>
                            <th scope="col" class="crm-num">{d.ltv_cost}</th>
                            <th scope="col" class="crm-num">{d.ltv_cac}</th>
                            <th scope="col" class="crm-num">{d.ltv_avg_clv}</th>
                            <th scope="col" class="crm-num">{d.ltv_ratio}</th>
                            <th scope="col">{d.ltv_verdict}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}{total}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-ltv-title">
            <h2 id="crm-ltv-title">{move || dashboard_texts(app.locale.get()).ltv_title}</h2>
            <p class="crm-intro">{move || dashboard_texts(app.locale.get()).ltv_intro}</p>
            <div class="crm-kpi-controls">
                <label class="crm-field">
                    <span>{move || dashboard_texts(app.locale.get()).ltv_basis}</span>
                    <select aria-label=move || dashboard_texts(app.locale.get()).ltv_basis on:change=move |ev| {
                        basis.set(if event_target_value(&ev) == "predicted" { ClvBasis::Predicted } else { ClvBasis::Historic });
                    }>
                        <option value="historic" selected=move || basis.get() == ClvBasis::Historic>{move || dashboard_texts(app.locale.get()).ltv_historic}</option>
                        <option value="predicted" selected=move || basis.get() == ClvBasis::Predicted>{move || dashboard_texts(app.locale.get()).ltv_predicted}</option>
                    </select>
                </label>
            </div>
            {table}
            <p class="crm-intro">{note}</p>
            <details class="crm-rfm-editor">
                <summary>{move || dashboard_texts(app.locale.get()).ltv_costs_caption}</summary>
                <div class="crm-table-wrap" tabindex="0" role="region" aria-label=move || dashboard_texts(app.locale.get()).ltv_costs_caption>
                    <table class="crm-table crm-cost-table">
                        <caption>{move || dashboard_texts(app.locale.get()).ltv_costs_caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || dashboard_texts(app.locale.get()).ltv_channel}</th>
                                <th scope="col">{move || dashboard_texts(app.locale.get()).ltv_month}</th>
                                <th scope="col">{move || dashboard_texts(app.locale.get()).ltv_cost}</th>
                                <th scope="col"><span class="crm-visually-hidden">"×"</span></th>
                            </tr>
                        </thead>
                        <tbody>{cost_rows}</tbody>
                    </table>
                </div>
                <button type="button" class="crm-button" on:click=add_row>{move || dashboard_texts(app.locale.get()).ltv_add_row}</button>
            </details>
        </section>
    }
}
