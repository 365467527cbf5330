//! LTV : CAC per acquisition channel: what the customers a channel brought are worth against what
//! they cost to acquire.
//!
//! Input: marketing cost per channel and month. For each channel, over the months it has a cost
//! entry for (local calendar months in the query's zone):
//! - **new customers** = customers created in those months whose channel attribute is the
//!   channel (customers created after `now` are ignored);
//! - **cost** = the sum of its cost entries; **CAC** = cost ÷ new customers;
//! - **average CLV** of those customers, `historic`: their net revenue to `now` (purchase values
//!   plus refund values, refunds negative), or `predicted`: that plus the BG/NBD + Gamma-Gamma
//!   discounted CLV of the next months ([`super::clv`], fitted on every customer; a customer
//!   without a purchase adds 0);
//! - **LTV:CAC** = average CLV ÷ CAC;
//! - **loses money** when the ratio is below 1, or when the channel cost something and brought
//!   no customer.
//!
//! A zero denominator gives `None` (shown as "—"), never NaN or infinity.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::clv::{self, ClvSpec};
use super::overview::{PURCHASE, REFUND};
use super::population::{includes, CustomerSet};
use super::query::{QueryError, QueryErrorKind};
use super::store::{AttrValue, CustomerIx, Store};
use super::time::Context;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostEntry {
    pub channel: String,
    /// `YYYY-MM`.
    pub month: String,
    /// In the dataset's currency.
    pub cost: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvBasis {
    #[default]
    Historic,
    Predicted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LtvCacSpec {
    pub costs: Vec<CostEntry>,
    /// The text attribute naming each customer's acquisition channel.
    pub channel_attribute: String,
    pub clv: ClvBasis,
    /// The predictive model's settings (`predicted` only).
    pub model: ClvSpec,
}

impl Default for LtvCacSpec {
    fn default() -> Self {
        LtvCacSpec {
            costs: Vec::new(),
            channel_attribute: "channel".to_owned(),
            clv: ClvBasis::Historic,
            model: ClvSpec::default(),
        }
    }
}

/// `YYYY-MM` as (year, month).
fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (year, month) = (y.parse().ok()?, m.parse().ok()?);
    NaiveDate::from_ymd_opt(year, month, 1).map(|_| (year, month))
}

impl LtvCacSpec {
    pub fn validate(&self, store: &Store) -> Result<(), QueryError> {
        let mut seen = std::collections::HashSet::new();
        for (i, entry) in self.costs.iter().enumerate() {
            let path = |field: &str| format!("costs[{i}].{field}");
            if entry.channel.trim().is_empty() {
                return Err(QueryError::invalid(path("channel"), "must not be empty"));
            }
            let Some(month) = parse_month(&entry.month) else {
                return Err(QueryError::invalid(
                    path("month"),
                    format!("{:?} is not a month (YYYY-MM)", entry.month),
                ));
            };
            if !entry.cost.is_finite() || entry.cost < 0.0 {
                return Err(QueryError::invalid(path("cost"), "must be a number ≥ 0"));
            }
            if !seen.insert((entry.channel.as_str(), month)) {
                return Err(QueryError::invalid(
                    path("month"),
                    format!("{} {} is given twice", entry.channel, entry.month),
                ));
            }
        }
        if store.customers.attribute(&self.channel_attribute).is_none() {
            return Err(QueryError::new(
                "channel_attribute",
                QueryErrorKind::UnknownAttribute,
                format!("the data has no attribute {:?}", self.channel_attribute),
            ));
        }
        if self.clv == ClvBasis::Predicted {
            self.model.validate().map_err(|e| e.within("model"))?;
        }
        Ok(())
    }
}

/// One month of one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelMonth {
    pub month: String,
    pub cost: f64,
    pub new_customers: usize,
    pub cac: Option<f64>,
}

/// One channel's (or the total's) numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelValue {
    pub channel: String,
    pub new_customers: usize,
    pub cost: f64,
    pub cac: Option<f64>,
    pub average_clv: Option<f64>,
    pub ltv_cac: Option<f64>,
    pub loses_money: bool,
    pub months: Vec<ChannelMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LtvCacResult {
    pub clv: ClvBasis,
    /// In the order the channels first appear in the costs.
    pub channels: Vec<ChannelValue>,
    pub total: ChannelValue,
}

/// (year, month).
type Month = (i32, u32);
/// A channel's month: (cost, new customers, their CLV sum).
type Cell = (f64, usize, f64);

fn divide(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0)
        .then(|| numerator / denominator)
        .filter(|v| v.is_finite())
}

/// Channel numbers from new customer counts, CLV sums and costs.
fn channel_value(channel: String, months: Vec<ChannelMonth>, clv_sum: Option<f64>) -> ChannelValue {
    let cost: f64 = months.iter().map(|m| m.cost).sum();
    let new_customers: usize = months.iter().map(|m| m.new_customers).sum();
    let cac = divide(cost, new_customers as f64);
    let average_clv = clv_sum.and_then(|sum| divide(sum, new_customers as f64));
    let ltv_cac = average_clv.zip(cac).and_then(|(clv, cac)| divide(clv, cac));
    let loses_money = (cost > 0.0 && new_customers == 0) || ltv_cac.is_some_and(|r| r < 1.0);
    ChannelValue {
        channel,
        new_customers,
        cost,
        cac,
        average_clv,
        ltv_cac,
        loses_money,
        months,
    }
}

pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &LtvCacSpec,
    population: Option<&CustomerSet>,
) -> Result<LtvCacResult, QueryError> {
    spec.validate(store)?;
    let Some(column) = store.customers.attribute(&spec.channel_attribute) else {
        return Err(QueryError::invalid(
            "channel_attribute",
            "unknown attribute",
        ));
    };
    // Per customer value: net revenue to now, plus the predicted CLV if asked.
    let n = store.customers.len();
    let mut value = vec![0.0f64; n];
    let (purchase, refund) = (store.event_type(PURCHASE), store.event_type(REFUND));
    for (c, v) in value.iter_mut().enumerate() {
        for e in store.events.of_customer(c as CustomerIx) {
            if store.events.at[e] > ctx.now {
                break;
            }
            let t = Some(store.events.event_type[e]);
            if t == purchase || t == refund {
                *v += store.events.value_of(e).unwrap_or(0.0);
            }
        }
    }
    let mut predicted_ok = true;
    if spec.clv == ClvBasis::Predicted {
        // Fitted on every customer: the channel's customers are too few to fit on their own.
        let model = clv::model(store, ctx, &spec.model, None).map_err(|e| e.within("model"))?;
        for s in &model.summaries {
            match model.clv(s, spec.model.clv_months, spec.model.monthly_discount_rate) {
                Some(future) => value[s.customer as usize] += future,
                None => predicted_ok = false,
            }
        }
    }
    // Channel → month → (cost, new customers, CLV sum), channels in first-seen order.
    let mut order: Vec<&str> = Vec::new();
    let mut cells: BTreeMap<(&str, Month), Cell> = BTreeMap::new();
    for entry in &spec.costs {
        if !order.contains(&entry.channel.as_str()) {
            order.push(&entry.channel);
        }
        let month = parse_month(&entry.month).unwrap_or((1970, 1));
        cells.insert((entry.channel.as_str(), month), (entry.cost, 0, 0.0));
    }
    for (c, &created) in store.customers.created_at.iter().enumerate() {
        if created > ctx.now || !includes(population, c as CustomerIx) {
            continue;
        }
        let channel = match column.values.get(c) {
            Some(AttrValue::Text(text)) => text.as_str(),
            _ => continue,
        };
        let date = ctx.zone.date(created);
        if let Some(cell) = cells.get_mut(&(channel, (date.year(), date.month()))) {
            cell.1 += 1;
            cell.2 += value[c];
        }
    }
    let mut total_months: BTreeMap<(i32, u32), (f64, usize)> = BTreeMap::new();
    let mut total_clv = 0.0;
    let channels = order
        .iter()
        .map(|&channel| {
            let mut clv_sum = 0.0;
            let months = cells
                .range((channel, (i32::MIN, 0))..=(channel, (i32::MAX, u32::MAX)))
                .map(|(&(_, (y, m)), &(cost, count, sum))| {
                    clv_sum += sum;
                    let total = total_months.entry((y, m)).or_default();
                    total.0 += cost;
                    total.1 += count;
                    ChannelMonth {
                        month: format!("{y:04}-{m:02}"),
                        cost,
                        new_customers: count,
                        cac: divide(cost, count as f64),
                    }
                })
                .collect();
            total_clv += clv_sum;
            channel_value(channel.to_owned(), months, predicted_ok.then_some(clv_sum))
        })
        .collect();
    let months = total_months
        .into_iter()
        .map(|((y, m), (cost, count))| ChannelMonth {
            month: format!("{y:04}-{m:02}"),
            cost,
            new_customers: count,
            cac: divide(cost, count as f64),
        })
        .collect();
    Ok(LtvCacResult {
        clv: spec.clv,
        channels,
        total: channel_value(
            "total".to_owned(),
            months,
            predicted_ok.then_some(total_clv),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"channel","type":"text"}]}"#;

    fn fixture() -> (Store, Context) {
        // Created in Seoul months: a, b (naver, Jan), c (kakao, Jan), d (naver, Feb, on Feb 1
        // 00:30 Seoul = Jan 31 UTC), e (naver, Mar: no cost entry), f (no channel).
        let customers = r#"[
          {"id":"a","name":"a","created_at":"2026-01-05T10:00:00+09:00","attributes":{"channel":"naver"}},
          {"id":"b","name":"b","created_at":"2026-01-20T10:00:00+09:00","attributes":{"channel":"naver"}},
          {"id":"c","name":"c","created_at":"2026-01-07T10:00:00+09:00","attributes":{"channel":"kakao"}},
          {"id":"d","name":"d","created_at":"2026-02-01T00:30:00+09:00","attributes":{"channel":"naver"}},
          {"id":"e","name":"e","created_at":"2026-03-03T10:00:00+09:00","attributes":{"channel":"naver"}},
          {"id":"f","name":"f","created_at":"2026-01-03T10:00:00+09:00"}
        ]"#;
        let events = r#"[
          {"id":"1","customer_id":"a","type":"purchase","at":"2026-01-06T10:00:00+09:00","value":100000},
          {"id":"2","customer_id":"a","type":"refund","at":"2026-01-08T10:00:00+09:00","value":-20000},
          {"id":"3","customer_id":"b","type":"purchase","at":"2026-02-06T10:00:00+09:00","value":40000},
          {"id":"4","customer_id":"c","type":"purchase","at":"2026-01-09T10:00:00+09:00","value":10000},
          {"id":"5","customer_id":"d","type":"purchase","at":"2026-02-02T10:00:00+09:00","value":60000},
          {"id":"6","customer_id":"d","type":"purchase","at":"2026-05-02T10:00:00+09:00","value":99000}
        ]"#;
        let (store, _) = Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid");
        let now = parse_timestamp("2026-04-01T00:00:00+09:00").expect("ts");
        (store, Context::new(now, Zone::default()))
    }

    fn cost(channel: &str, month: &str, cost: f64) -> CostEntry {
        CostEntry {
            channel: channel.into(),
            month: month.into(),
            cost,
        }
    }

    fn spec(costs: Vec<CostEntry>) -> LtvCacSpec {
        LtvCacSpec {
            costs,
            ..LtvCacSpec::default()
        }
    }

    #[test]
    fn historic_ltv_cac_per_channel_by_hand() {
        let (store, ctx) = fixture();
        let s = spec(vec![
            cost("naver", "2026-01", 60_000.0),
            cost("kakao", "2026-01", 50_000.0),
            cost("naver", "2026-02", 30_000.0),
            cost("tv", "2026-01", 10_000.0),
            cost("free", "2026-01", 0.0),
        ]);
        let r = run(&store, &ctx, &s, None).expect("runs");
        let names: Vec<_> = r.channels.iter().map(|c| c.channel.as_str()).collect();
        assert_eq!(names, ["naver", "kakao", "tv", "free"]);
        // naver: a, b in Jan and d in Feb (Seoul month); e's March has no cost entry.
        // Values: a 80,000, b 40,000, d 60,000 (May's purchase is after now).
        let naver = &r.channels[0];
        assert_eq!((naver.new_customers, naver.cost), (3, 90_000.0));
        assert_eq!(naver.cac, Some(30_000.0));
        assert_eq!(naver.average_clv, Some(60_000.0));
        assert_eq!(naver.ltv_cac, Some(2.0));
        assert!(!naver.loses_money);
        assert_eq!(naver.months.len(), 2);
        assert_eq!(
            (
                naver.months[1].month.as_str(),
                naver.months[1].new_customers
            ),
            ("2026-02", 1)
        );
        // kakao: c, 10,000 for 50,000: loses money.
        let kakao = &r.channels[1];
        assert_eq!(kakao.ltv_cac, Some(0.2));
        assert!(kakao.loses_money);
        // tv: cost without customers: no CAC, no ratio, loses money.
        let tv = &r.channels[2];
        assert_eq!(
            (tv.new_customers, tv.cac, tv.average_clv, tv.ltv_cac),
            (0, None, None, None)
        );
        assert!(tv.loses_money);
        // free: no cost, no customers: nothing to say.
        let free = &r.channels[3];
        assert_eq!(
            (free.cac, free.ltv_cac, free.loses_money),
            (None, None, false)
        );
        // Total: 150,000 for 4 customers worth 190,000.
        assert_eq!((r.total.new_customers, r.total.cost), (4, 150_000.0));
        assert_eq!(r.total.cac, Some(37_500.0));
        assert_eq!(r.total.average_clv, Some(47_500.0));
        assert!((r.total.ltv_cac.expect("ratio") - 47_500.0 / 37_500.0).abs() < 1e-12);
        assert_eq!(r.total.months.len(), 2);
        let json = serde_json::to_string(&r).expect("json");
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    #[test]
    fn zero_cost_gives_no_ratio_and_empty_costs_give_an_empty_table() {
        let (store, ctx) = fixture();
        let r = run(
            &store,
            &ctx,
            &spec(vec![cost("naver", "2026-01", 0.0)]),
            None,
        )
        .expect("runs");
        let naver = &r.channels[0];
        assert_eq!(
            (naver.cac, naver.ltv_cac, naver.loses_money),
            (Some(0.0), None, false)
        );
        let r = run(&store, &ctx, &spec(Vec::new()), None).expect("runs");
        assert!(r.channels.is_empty());
        assert_eq!(
            (r.total.new_customers, r.total.cac, r.total.ltv_cac),
            (0, None, None)
        );
    }

    #[test]
    fn predicted_basis_adds_the_models_clv() {
        let (store, ctx) = fixture();
        let mut s = spec(vec![cost("naver", "2026-01", 60_000.0)]);
        s.clv = ClvBasis::Predicted;
        let r = run(&store, &ctx, &s, None).expect("runs");
        let historic = run(&store, &ctx, &spec(s.costs.clone()), None).expect("runs");
        // Only d has a repeat purchase (after now it does not count), so with every summary at
        // frequency 0 the purchase model cannot be fitted: no predicted value.
        assert_eq!(r.channels[0].average_clv, None);
        assert_eq!(historic.channels[0].average_clv, Some(60_000.0));
    }

    #[test]
    fn invalid_costs_name_the_entry() {
        let (store, ctx) = fixture();
        for (bad, path) in [
            (cost("naver", "2026-13", 1.0), "costs[0].month"),
            (cost("naver", "2026-1", 1.0), "costs[0].month"),
            (cost("", "2026-01", 1.0), "costs[0].channel"),
            (cost("naver", "2026-01", -1.0), "costs[0].cost"),
            (cost("naver", "2026-01", f64::NAN), "costs[0].cost"),
        ] {
            let err = run(&store, &ctx, &spec(vec![bad]), None).expect_err("invalid");
            assert_eq!(err.path, path);
        }
        let twice = spec(vec![cost("a", "2026-01", 1.0), cost("a", "2026-01", 2.0)]);
        assert_eq!(
            run(&store, &ctx, &twice, None).expect_err("twice").path,
            "costs[1].month"
        );
        let other = LtvCacSpec {
            channel_attribute: "region".into(),
            ..spec(Vec::new())
        };
        assert_eq!(
            run(&store, &ctx, &other, None).expect_err("unknown").path,
            "channel_attribute"
        );
    }

    #[test]
    fn queries_parse_and_wrong_types_name_the_field() {
        use crate::engine::query;
        let (store, _) = fixture();
        let q = query::parse(
            br#"{"v":1,"kind":"ltv_cac","now":"2026-04-01T00:00:00+09:00",
                "costs":[{"channel":"naver","month":"2026-01","cost":60000}]}"#,
        )
        .expect("parses");
        let output = query::run(&store, &q).expect("runs");
        let json = serde_json::to_value(&output).expect("json");
        assert_eq!(json["kind"], "ltv_cac");
        // naver in January: a (80,000) and b (40,000) for 60,000: CAC 30,000, average CLV 60,000.
        assert_eq!(json["channels"][0]["ltv_cac"], 2.0);
        let bad = query::parse(br#"{"v":1,"kind":"ltv_cac","costs":[{"channel":"a","month":"2026-01","cost":"lots"}]}"#)
            .expect_err("wrong type");
        assert_eq!(bad.path, "costs[0].cost");
        for kind in ["clv", "clv_customers", "renewal"] {
            let text =
                format!(r#"{{"v":1,"kind":"{kind}","horizon_days":"soon","months":"many"}}"#);
            let bad = query::parse(text.as_bytes()).expect_err("wrong type");
            assert!(
                bad.path == "horizon_days" || bad.path == "months",
                "{kind}: {bad}"
            );
        }
    }
}
