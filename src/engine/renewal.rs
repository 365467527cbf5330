//! The renewal radar: B2B contracts that end in the next few months, each with the signals an
//! account manager weighs before the renewal call, a 0–100 risk score and the short list
//! "ends within 90 days and at risk".
//!
//! A contract is a customer whose contract end attribute (a date) falls on a local day from today
//! to today + `months` calendar months, both inclusive. For each (activity = every event type but
//! `message_sent`, all at or before `now`):
//! - **days since last activity** = `floor((now − last activity) / 24 h)`, none without activity;
//! - **last NPS** = the score (a number 0–10) of the latest NPS answer;
//! - **usage** = activity events in `(now − 30 d, now]` vs in `(now − 60 d, now − 30 d]`, and the
//!   trend `(last − previous) / previous × 100` (`None` when previous is 0);
//! - **historic CLV** = the sum of the values of the value events (purchases, refunds, contract
//!   starts and renewals by default) up to now.
//!
//! **Risk** (0–100, rounded) is the sum of three parts:
//! - inactivity, up to 40: `40 × min(days since last activity, 60) / 60`, 40 without activity;
//! - NPS, up to 30: detractor (0–6) 30, passive (7–8) 12, promoter (9–10) 0, no answer 15;
//! - usage decline, up to 30: `30 × clamp((previous − last) / previous, 0, 1)`; with no previous
//!   usage, 30 if there is no recent usage either, else 0.
//!
//! Rows are sorted by risk (highest first), then end date, then id. A contract is **at risk**
//! when it ends within `at_risk_within_days` days and its risk is at least `at_risk_min_score`.
//! Risk combines several signals, which the segment rule language cannot express, so the at-risk
//! customers are returned as a fixed list of ids.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::overview::ActivityTypes;
use super::population::{includes, CustomerSet};
use super::query::{QueryError, QueryErrorKind};
use super::store::{AttrValue, CustomerIx, Store};
use super::time::{Context, DAY};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RenewalSpec {
    /// Contracts ending from today to today + `months` calendar months.
    pub months: u32,
    /// The date attribute holding the contract end.
    pub contract_end_attribute: String,
    /// A text attribute shown with each contract (the company), if the data has it.
    pub company_attribute: String,
    pub nps_event: String,
    pub nps_property: String,
    /// Event types whose values add up to the historic CLV.
    pub value_events: Vec<String>,
    pub at_risk_within_days: u32,
    pub at_risk_min_score: u32,
}

impl Default for RenewalSpec {
    fn default() -> Self {
        RenewalSpec {
            months: 3,
            contract_end_attribute: "contract_end".to_owned(),
            company_attribute: "company".to_owned(),
            nps_event: "nps_response".to_owned(),
            nps_property: "score".to_owned(),
            value_events: ["purchase", "refund", "contract_start", "contract_renewed"]
                .map(str::to_owned)
                .to_vec(),
            at_risk_within_days: 90,
            at_risk_min_score: 50,
        }
    }
}

impl RenewalSpec {
    pub fn validate(&self, store: &Store) -> Result<(), QueryError> {
        if self.months == 0 || self.months > 36 {
            return Err(QueryError::invalid("months", "must be between 1 and 36"));
        }
        if self.at_risk_min_score > 100 {
            return Err(QueryError::invalid(
                "at_risk_min_score",
                "must be between 0 and 100",
            ));
        }
        if self.at_risk_within_days > 3_650 {
            return Err(QueryError::invalid(
                "at_risk_within_days",
                "must be at most 3650",
            ));
        }
        if store
            .customers
            .attribute(&self.contract_end_attribute)
            .is_none()
        {
            return Err(QueryError::new(
                "contract_end_attribute",
                QueryErrorKind::UnknownAttribute,
                format!(
                    "the data has no attribute {:?}",
                    self.contract_end_attribute
                ),
            ));
        }
        Ok(())
    }
}

/// The parts of a risk score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RiskParts {
    pub inactivity: f64,
    pub nps: f64,
    pub usage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    pub id: String,
    pub name: String,
    pub company: Option<String>,
    /// `YYYY-MM-DD`.
    pub contract_end: String,
    /// Days from today to the end day (0 = ends today).
    pub days_to_end: i64,
    pub days_since_last_activity: Option<i64>,
    pub last_nps: Option<f64>,
    pub usage_last_30: u32,
    pub usage_previous_30: u32,
    /// Percent change of usage; `None` when the previous 30 days had none.
    pub usage_trend: Option<f64>,
    pub historic_clv: f64,
    pub risk: u32,
    pub risk_parts: RiskParts,
    pub at_risk: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenewalResult {
    /// Today and the last day of the window (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    pub contracts: Vec<Contract>,
    pub at_risk_within_days: u32,
    pub at_risk_min_score: u32,
    /// Ids of the contracts that end within `at_risk_within_days` and are at risk, in row order.
    pub at_risk_customers: Vec<String>,
}

/// The risk score and its parts (see the module docs).
pub fn risk(
    days_since_last_activity: Option<i64>,
    last_nps: Option<f64>,
    usage_last: u32,
    usage_previous: u32,
) -> (u32, RiskParts) {
    let inactivity = match days_since_last_activity {
        Some(days) => 40.0 * (days.clamp(0, 60) as f64) / 60.0,
        None => 40.0,
    };
    let nps = match last_nps {
        Some(score) if score <= 6.0 => 30.0,
        Some(score) if score < 9.0 => 12.0,
        Some(_) => 0.0,
        None => 15.0,
    };
    let usage = if usage_previous > 0 {
        let drop = (f64::from(usage_previous) - f64::from(usage_last)) / f64::from(usage_previous);
        30.0 * drop.clamp(0.0, 1.0)
    } else if usage_last == 0 {
        30.0
    } else {
        0.0
    };
    let parts = RiskParts {
        inactivity,
        nps,
        usage,
    };
    ((inactivity + nps + usage).round() as u32, parts)
}

/// The local end date of a contract attribute value.
fn end_date(value: &AttrValue, ctx: &Context) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    match value {
        AttrValue::Day(day) => epoch.checked_add_signed(chrono::Duration::days(i64::from(*day))),
        AttrValue::Date(unix) => Some(ctx.zone.date(*unix)),
        _ => None,
    }
}

pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &RenewalSpec,
    population: Option<&CustomerSet>,
) -> Result<RenewalResult, QueryError> {
    spec.validate(store)?;
    let Some(column) = store.customers.attribute(&spec.contract_end_attribute) else {
        return Err(QueryError::invalid(
            "contract_end_attribute",
            "unknown attribute",
        ));
    };
    let company = store.customers.attribute(&spec.company_attribute);
    let today = ctx.zone.date(ctx.now);
    let last_day = today
        .checked_add_months(Months::new(spec.months))
        .unwrap_or(today);
    let activity = ActivityTypes::of(store);
    let nps_type = store.event_type(&spec.nps_event);
    let nps_key = store.prop_keys.get(&spec.nps_property);
    let value_types: Vec<_> = spec
        .value_events
        .iter()
        .filter_map(|name| store.event_type(name))
        .collect();
    let mut contracts = Vec::new();
    for c in 0..store.customers.len() as CustomerIx {
        if !includes(population, c) || store.customers.created_at[c as usize] > ctx.now {
            continue;
        }
        let Some(end) = column.values.get(c as usize).and_then(|v| end_date(v, ctx)) else {
            continue;
        };
        if end < today || end > last_day {
            continue;
        }
        let mut last_activity = None;
        let mut last_nps = None;
        let (mut usage_last, mut usage_previous) = (0u32, 0u32);
        let mut historic_clv = 0.0;
        for e in store.events.of_customer(c) {
            let at = store.events.at[e];
            if at > ctx.now {
                break;
            }
            let event_type = store.events.event_type[e];
            if activity.contains(event_type) {
                last_activity = Some(at);
                if at > ctx.now - 30 * DAY {
                    usage_last += 1;
                } else if at > ctx.now - 60 * DAY {
                    usage_previous += 1;
                }
            }
            if Some(event_type) == nps_type {
                let score = store
                    .events
                    .props_of(e)
                    .iter()
                    .find(|(k, _)| Some(u32::from(*k)) == nps_key)
                    .and_then(|(_, v)| store.prop_values.value(*v).as_number())
                    .filter(|s| (0.0..=10.0).contains(s));
                if score.is_some() {
                    last_nps = score;
                }
            }
            if value_types.contains(&event_type) {
                historic_clv += store.events.value_of(e).unwrap_or(0.0);
            }
        }
        let days_since_last_activity = last_activity.map(|at| (ctx.now - at).div_euclid(DAY));
        let (score, risk_parts) = risk(
            days_since_last_activity,
            last_nps,
            usage_last,
            usage_previous,
        );
        let days_to_end = (end - today).num_days();
        contracts.push(Contract {
            id: store.customers.ids[c as usize].clone(),
            name: store.customers.names[c as usize].clone(),
            company: company.and_then(|col| match col.values.get(c as usize) {
                Some(AttrValue::Text(text)) => Some(text.clone()),
                _ => None,
            }),
            contract_end: end.format("%Y-%m-%d").to_string(),
            days_to_end,
            days_since_last_activity,
            last_nps,
            usage_last_30: usage_last,
            usage_previous_30: usage_previous,
            usage_trend: (usage_previous > 0).then(|| {
                (f64::from(usage_last) - f64::from(usage_previous)) / f64::from(usage_previous)
                    * 100.0
            }),
            historic_clv,
            risk: score,
            risk_parts,
            at_risk: days_to_end <= i64::from(spec.at_risk_within_days)
                && score >= spec.at_risk_min_score,
        });
    }
    contracts.sort_by(|a, b| {
        b.risk
            .cmp(&a.risk)
            .then_with(|| a.contract_end.cmp(&b.contract_end))
            .then_with(|| a.id.cmp(&b.id))
    });
    let at_risk_customers = contracts
        .iter()
        .filter(|c| c.at_risk)
        .map(|c| c.id.clone())
        .collect();
    Ok(RenewalResult {
        from: today.format("%Y-%m-%d").to_string(),
        to: last_day.format("%Y-%m-%d").to_string(),
        contracts,
        at_risk_within_days: spec.at_risk_within_days,
        at_risk_min_score: spec.at_risk_min_score,
        at_risk_customers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"contract_end","type":"date"},{"name":"company","type":"text"}]}"#;

    fn fixture() -> (Store, Context) {
        // Now: 2026-11-16 00:00 Seoul. Window (3 months): 2026-11-16 … 2027-02-16.
        let customers = r#"[
          {"id":"quiet","name":"Q","created_at":"2025-01-01T00:00:00+09:00","attributes":{"contract_end":"2026-12-01","company":"Quiet Co"}},
          {"id":"happy","name":"H","created_at":"2025-01-01T00:00:00+09:00","attributes":{"contract_end":"2027-01-10"}},
          {"id":"late","name":"L","created_at":"2025-01-01T00:00:00+09:00","attributes":{"contract_end":"2027-03-01"}},
          {"id":"past","name":"P","created_at":"2025-01-01T00:00:00+09:00","attributes":{"contract_end":"2026-11-15"}},
          {"id":"today","name":"T","created_at":"2025-01-01T00:00:00+09:00","attributes":{"contract_end":"2026-11-16"}},
          {"id":"none","name":"N","created_at":"2025-01-01T00:00:00+09:00"}
        ]"#;
        // quiet: last activity 2026-10-02 10:00 (44 days before now), NPS 4 then an invalid 11,
        //        3 activities in the previous 30 days, none in the last 30 (a message_sent is not
        //        activity); contract 1,000,000 and a refund.
        // happy: NPS 10, 4 activities in the last 30 days, 2 before, one after now.
        let events = r#"[
          {"id":"1","customer_id":"quiet","type":"contract_start","at":"2025-12-01T10:00:00+09:00","value":1000000},
          {"id":"2","customer_id":"quiet","type":"nps_response","at":"2026-07-15T10:00:00+09:00","properties":{"score":4}},
          {"id":"3","customer_id":"quiet","type":"nps_response","at":"2026-08-15T10:00:00+09:00","properties":{"score":11}},
          {"id":"4","customer_id":"quiet","type":"visit","at":"2026-09-30T10:00:00+09:00"},
          {"id":"5","customer_id":"quiet","type":"visit","at":"2026-10-01T10:00:00+09:00"},
          {"id":"6","customer_id":"quiet","type":"refund","at":"2026-10-02T10:00:00+09:00","value":-50000},
          {"id":"7","customer_id":"quiet","type":"message_sent","at":"2026-11-10T10:00:00+09:00"},
          {"id":"8","customer_id":"happy","type":"nps_response","at":"2026-10-15T10:00:00+09:00","properties":{"score":10}},
          {"id":"9","customer_id":"happy","type":"visit","at":"2026-10-05T10:00:00+09:00"},
          {"id":"10","customer_id":"happy","type":"visit","at":"2026-11-01T10:00:00+09:00"},
          {"id":"11","customer_id":"happy","type":"visit","at":"2026-11-02T10:00:00+09:00"},
          {"id":"12","customer_id":"happy","type":"visit","at":"2026-11-15T10:00:00+09:00"},
          {"id":"13","customer_id":"happy","type":"purchase","at":"2026-11-15T11:00:00+09:00","value":30000},
          {"id":"14","customer_id":"happy","type":"visit","at":"2026-11-17T10:00:00+09:00"}
        ]"#;
        let (store, _) = Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid");
        let now = parse_timestamp("2026-11-16T00:00:00+09:00").expect("ts");
        (store, Context::new(now, Zone::default()))
    }

    #[test]
    fn risk_parts_follow_the_documented_formula() {
        assert_eq!(risk(None, None, 0, 0).0, 85); // 40 + 15 + 30
        assert_eq!(risk(Some(0), Some(10.0), 5, 5).0, 0);
        assert_eq!(risk(Some(90), Some(6.0), 0, 4).0, 100);
        let (score, parts) = risk(Some(15), Some(8.0), 2, 4);
        assert_eq!(
            (parts.inactivity, parts.nps, parts.usage),
            (10.0, 12.0, 15.0)
        );
        assert_eq!(score, 37);
        assert_eq!(risk(Some(3), Some(9.0), 4, 0).1.usage, 0.0);
    }

    #[test]
    fn contracts_in_the_window_with_their_signals_sorted_by_risk() {
        let (store, ctx) = fixture();
        let result = run(&store, &ctx, &RenewalSpec::default(), None).expect("runs");
        assert_eq!(
            (result.from.as_str(), result.to.as_str()),
            ("2026-11-16", "2027-02-16")
        );
        let ids: Vec<_> = result.contracts.iter().map(|c| c.id.as_str()).collect();
        // quiet: 40 × 44/60 + 30 (NPS 4) + 30 (usage 3 → 0) = 89.3 → 89.
        // today: no activity 40, no NPS 15, no usage 30 → 85. happy: 0 + 0 + 0.
        assert_eq!(ids, ["quiet", "today", "happy"]);
        let quiet = &result.contracts[0];
        assert_eq!(quiet.days_since_last_activity, Some(44));
        assert_eq!(quiet.last_nps, Some(4.0));
        assert_eq!((quiet.usage_last_30, quiet.usage_previous_30), (0, 3));
        assert_eq!(quiet.usage_trend, Some(-100.0));
        assert_eq!(quiet.historic_clv, 950_000.0);
        assert_eq!(quiet.company.as_deref(), Some("Quiet Co"));
        assert_eq!(quiet.days_to_end, 15);
        assert_eq!(quiet.risk, 89); // 40 × 44/60 = 29.33 + 30 + 30
        let happy = &result.contracts[2];
        assert_eq!(happy.days_since_last_activity, Some(0));
        assert_eq!((happy.usage_last_30, happy.usage_previous_30), (4, 2));
        assert_eq!(happy.usage_trend, Some(100.0));
        assert_eq!(happy.historic_clv, 30_000.0);
        assert_eq!(happy.risk, 0);
        assert_eq!(result.at_risk_customers, ["quiet", "today"]);
    }

    #[test]
    fn at_risk_needs_both_the_deadline_and_the_score() {
        let (store, ctx) = fixture();
        let spec = RenewalSpec {
            at_risk_within_days: 10,
            at_risk_min_score: 86,
            ..RenewalSpec::default()
        };
        let result = run(&store, &ctx, &spec, None).expect("runs");
        // quiet (89) ends in 15 days; today ends in 0 days but scores 85.
        assert!(result.at_risk_customers.is_empty());
        let one_month = RenewalSpec {
            months: 1,
            ..RenewalSpec::default()
        };
        let result = run(&store, &ctx, &one_month, None).expect("runs");
        assert_eq!(result.contracts.len(), 2);
    }

    #[test]
    fn bad_specs_and_empty_data() {
        let (store, ctx) = fixture();
        let bad = RenewalSpec {
            contract_end_attribute: "nope".into(),
            ..RenewalSpec::default()
        };
        assert_eq!(
            run(&store, &ctx, &bad, None).expect_err("unknown").path,
            "contract_end_attribute"
        );
        let zero = RenewalSpec {
            months: 0,
            ..RenewalSpec::default()
        };
        assert_eq!(
            run(&store, &ctx, &zero, None).expect_err("zero").path,
            "months"
        );
        let (empty, _) = Store::from_json(META.as_bytes(), b"[]", b"[]").expect("valid");
        let result = run(&empty, &ctx, &RenewalSpec::default(), None).expect("runs");
        assert!(result.contracts.is_empty() && result.at_risk_customers.is_empty());
    }
}
