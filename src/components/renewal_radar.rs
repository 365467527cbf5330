//! The renewal radar: B2B contracts ending in the next N months on a timeline, each with its risk
//! signals, riskiest first (the engine's `renewal` order); the sales team's CSV; and the
//! "ends within 90 days and at risk" customers, which can be saved as a segment.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::renewal_timeline::{renewal_timeline_svg, RenewalTimeline, TimelinePoint};
use crate::components::download::download_text;
use crate::components::save_as_segment::SaveAsSegment;
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::renewal::{RenewalResult, RenewalSpec};
use crate::engine::QueryError;
use crate::export::excel_csv;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format};
use crate::state::kpi_links::encode_component;
use crate::sync::dataset::run_query;
use crate::sync::Dataset;

/// How many of the riskiest contracts get their name on the timeline.
const LABELLED: usize = 5;

pub fn run_renewal(
    data: &Dataset,
    app: &crate::app::AppSettings,
    months: u32,
) -> Result<RenewalResult, QueryError> {
    let spec = RenewalSpec {
        months,
        ..RenewalSpec::default()
    };
    match run_query(data, app, None, Analysis::Renewal(spec))? {
        QueryResult::Renewal(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

/// The name a contract goes by: its company, else the contact's name.
pub fn contract_name(c: &crate::engine::renewal::Contract) -> String {
    c.company.clone().unwrap_or_else(|| c.name.clone())
}

#[component]
pub fn RenewalRadar(
    data: Arc<Dataset>,
    months: RwSignal<u32>,
    result: Memo<Result<RenewalResult, QueryError>>,
) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let body = move || {
        let t = app.t();
        let locale = app.locale.get();
        let d = dashboard_texts(locale);
        let r = match result.get() {
            Ok(r) => r,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        if r.contracts.is_empty() {
            return view! { <p>{d.renewal_none}</p> }.into_any();
        }
        let days = r
            .contracts
            .iter()
            .map(|c| c.days_to_end)
            .max()
            .unwrap_or(0)
            .max(i64::from(months.get()) * 31)
            .max(1);
        let points: Vec<TimelinePoint> = r
            .contracts
            .iter()
            .enumerate()
            .map(|(i, c)| TimelinePoint {
                days_to_end: c.days_to_end,
                risk: c.risk,
                at_risk: c.at_risk,
                label: if i < LABELLED {
                    contract_name(c)
                } else {
                    String::new()
                },
            })
            .collect();
        let svg = renewal_timeline_svg(&RenewalTimeline {
            title: d.renewal_chart_title,
            x_label: d.renewal_chart_x,
            y_label: d.renewal_chart_y,
            days,
            points: &points,
        });
        let alt = fill(
            d.renewal_chart_alt,
            &[
                &format::count(r.contracts.len()),
                &days.to_string(),
                &format::count(r.at_risk_customers.len()),
                &r.at_risk_within_days.to_string(),
            ],
        );
        let chart = match svg {
            Ok(svg) => {
                view! { <div class="crm-chart" role="img" aria-label=alt inner_html=svg></div> }
                    .into_any()
            }
            Err(problem) => {
                view! { <p class="crm-notice crm-notice-warn">{problem}</p> }.into_any()
            }
        };
        let dash = || "—".to_owned();
        let usage = |c: &crate::engine::renewal::Contract| {
            let trend = c.usage_trend.map_or_else(String::new, |v| {
                format!(
                    " ({}{}%)",
                    if v > 0.0 { "+" } else { "" },
                    format::decimal(v, 0)
                )
            });
            format!("{} / {}{trend}", c.usage_last_30, c.usage_previous_30)
        };
        let rows = r
            .contracts
            .iter()
            .map(|c| {
                let href = app.href(&format!("/customers/{}", encode_component(&c.id)));
                let risk_class = if c.at_risk { "crm-loses" } else { "" };
                view! {
                    <tr>
                        <th scope="row"><a href=href>{contract_name(c)}</a>" "<span class="crm-muted">{format!("({}, {})", c.name, c.id)}</span></th>
                        <td>{c.contract_end.clone()}</td>
                        <td class="crm-num">{c.days_to_end.to_string()}</td>
                        <td class="crm-num">{c.days_since_last_activity.map_or_else(dash, |v| v.to_string())}</td>
                        <td class="crm-num">{c.last_nps.map_or_else(dash, |v| format::decimal(v, 0))}</td>
                        <td class="crm-num">{usage(c)}</td>
                        <td class="crm-num">{format::money(c.historic_clv, &currency, locale)}</td>
                        <td class=format!("crm-num {risk_class}")>{c.risk.to_string()}{c.at_risk.then(|| format!(" · {}", d.renewal_at_risk))}</td>
                    </tr>
                }
            })
            .collect_view();
        let csv = excel_csv(
            &[
                t.customer_id,
                d.renewal_company,
                t.name,
                t.email,
                d.renewal_end,
                d.renewal_days_left,
                d.renewal_inactive,
                d.renewal_nps,
                d.renewal_usage,
                d.renewal_clv,
                d.renewal_risk,
                d.renewal_at_risk,
            ],
            r.contracts.iter().map(|c| {
                let email = data.store.customers.name_and_email(&c.id).1.to_owned();
                vec![
                    c.id.clone(),
                    c.company.clone().unwrap_or_default(),
                    c.name.clone(),
                    email,
                    c.contract_end.clone(),
                    c.days_to_end.to_string(),
                    c.days_since_last_activity
                        .map_or_else(String::new, |v| v.to_string()),
                    c.last_nps.map_or_else(String::new, |v| v.to_string()),
                    usage(c),
                    c.historic_clv.to_string(),
                    c.risk.to_string(),
                    if c.at_risk {
                        d.renewal_at_risk.to_owned()
                    } else {
                        String::new()
                    },
                ]
            }),
        );
        let at_risk = r.at_risk_customers.clone();
        let segment_name = fill(
            d.renewal_segment_name,
            &[&r.at_risk_within_days.to_string(), &r.from],
        );
        view! {
            {chart}
            <div class="crm-table-wrap" tabindex="0" role="region" aria-label=d.renewal_caption>
                <table class="crm-table crm-renewal-table">
                    <caption>{d.renewal_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{d.renewal_company}</th>
                            <th scope="col">{d.renewal_end}</th>
                            <th scope="col" class="crm-num">{d.renewal_days_left}</th>
                            <th scope="col" class="crm-num">{d.renewal_inactive}</th>
                            <th scope="col" class="crm-num">{d.renewal_nps}</th>
                            <th scope="col" class="crm-num">{d.renewal_usage}</th>
                            <th scope="col" class="crm-num">{d.renewal_clv}</th>
                            <th scope="col" class="crm-num">{d.renewal_risk}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="crm-actions">
                <button type="button" class="crm-button" on:click=move |_| {
                    let _ = download_text("crm-lens-renewals.csv", "text/csv;charset=utf-8", &csv);
                }>{d.renewal_csv}</button>
            </div>
            <SaveAsSegment ids=Signal::derive(move || at_risk.clone()) default_name=Signal::derive(move || segment_name.clone())/>
        }
        .into_any()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-renewal-title">
            <h2 id="crm-renewal-title">{move || dashboard_texts(app.locale.get()).renewal_title}</h2>
            <p class="crm-intro">{move || fill(dashboard_texts(app.locale.get()).renewal_intro, &[&months.get().to_string()])}</p>
            <label class="crm-field">
                <span>{move || dashboard_texts(app.locale.get()).renewal_months}</span>
                <input type="number" min="1" max="24" aria-label=move || dashboard_texts(app.locale.get()).renewal_months
                    prop:value=move || months.get().to_string()
                    on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).trim().parse::<u32>() {
                            months.set(m.clamp(1, 24));
                        }
                    }/>
            </label>
            {body}
        </section>
    }
}
