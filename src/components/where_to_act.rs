//! "Where to act": the dashboard's answers in plain sentences at the top of the page, each
//! computed by the engine and linked to the section that explains it.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::renewal_radar::contract_name;
use crate::components::rfm_transitions::{run_transitions, slipping_sentence};
use crate::engine::ltv_cac::LtvCacResult;
use crate::engine::renewal::RenewalResult;
use crate::engine::rfm::RfmSpec;
use crate::engine::QueryError;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format};
use crate::sync::Dataset;

#[component]
pub fn WhereToAct(
    data: Arc<Dataset>,
    rfm_spec: RwSignal<RfmSpec>,
    rfm_from: RwSignal<String>,
    ltv: Memo<Result<LtvCacResult, QueryError>>,
    renewal: Memo<Result<RenewalResult, QueryError>>,
) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let channel = move || {
        let locale = app.locale.get();
        let d = dashboard_texts(locale);
        let result = ltv.get().ok()?;
        let text = if result.channels.iter().all(|c| c.cost == 0.0) {
            d.money_losing_none.to_owned()
        } else {
            let best = result
                .channels
                .iter()
                .filter(|c| !c.loses_money)
                .filter_map(|c| c.ltv_cac.map(|ratio| (c, ratio)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let losers: Vec<&str> = result
                .channels
                .iter()
                .filter(|c| c.loses_money)
                .map(|c| c.channel.as_str())
                .collect();
            let mut text = match best {
                Some((c, ratio)) => fill(
                    d.ltv_best,
                    &[
                        &c.channel,
                        &format::decimal(ratio, 1),
                        &c.average_clv.map_or_else(
                            || "—".to_owned(),
                            |v| format::money(v, &currency, locale),
                        ),
                        &c.cac.map_or_else(
                            || "—".to_owned(),
                            |v| format::money(v, &currency, locale),
                        ),
                    ],
                ),
                None => d.ltv_no_winner.to_owned(),
            };
            if !losers.is_empty() {
                text.push(' ');
                text.push_str(&fill(d.ltv_losers, &[&losers.join(", ")]));
            }
            text
        };
        Some(view! { <li class="crm-act-channel"><a href="#crm-ltv-title">{text}</a></li> })
    };
    let contracts = move || {
        let d = dashboard_texts(app.locale.get());
        let r = renewal.get().ok()?;
        let text = if r.at_risk_customers.is_empty() {
            fill(d.renewal_call_none, &[&r.at_risk_within_days.to_string()])
        } else {
            let names: Vec<String> = r
                .contracts
                .iter()
                .filter(|c| r.at_risk_customers.contains(&c.id))
                .map(contract_name)
                .collect();
            let mut listed = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            if names.len() > 5 {
                listed.push_str(", …");
            }
            fill(
                d.renewal_call,
                &[
                    &format::count(r.at_risk_customers.len()),
                    &r.at_risk_within_days.to_string(),
                    &listed,
                ],
            )
        };
        Some(view! { <li class="crm-act-contracts"><a href="#crm-renewal-title">{text}</a></li> })
    };
    let slipping = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_transitions(&data, &app, rfm_spec.get(), rfm_from.get()).ok()
        })
    };
    let champions = move || {
        let locale = app.locale.get();
        let moves = slipping.get()?;
        let from = rfm_from.get();
        let from_text = NaiveDate::parse_from_str(&from, "%Y-%m-%d")
            .map(|date| format::date(date, locale))
            .unwrap_or(from);
        let text = slipping_sentence(app.t(), locale, &moves, &from_text)?;
        Some(view! {
            <li class="crm-act-champions">
                <a href="#crm-rfm-moves-title">{text}</a>
            </li>
        })
    };
    view! {
        <section class="crm-card crm-where-to-act" aria-labelledby="crm-act-title">
            <h2 id="crm-act-title">{move || dashboard_texts(app.locale.get()).where_to_act}</h2>
            <ul class="crm-act-list">{channel}{champions}{contracts}</ul>
        </section>
    }
}
