//! KPI trends: the marketer's headline ratios per calendar period, each with the numbers it is
//! computed from, so the UI can print "churn = 12 / 240 × 100 = 5 %" next to every value.
//!
//! Definitions (all counts are of customers in the optional population; events after `now` are
//! ignored; a period is the half-open span `[start, end)` in the report's zone, and the running
//! period ends at `now` inclusive):
//!
//! - **Activity** is any event whose type is not in [`NON_ACTIVITY_TYPES`] (a message sent to a
//!   customer is not something they did).
//! - **Active base at an instant `t`**: customers with at least one activity in
//!   `[t − N days, t)`, where `N` = [`KpiSpec::churn_inactive_days`]. "Customers at period start"
//!   is the active base at the period's start; "customers at period end" the active base at its
//!   end (for the running period: at `now`, inclusive).
//! - **Churned in a period**: in the active base at the period start, and not in the active base
//!   at its end, i.e. no activity in the `N` days up to the period end (DOMAIN.md: "churned = no
//!   activity for N days").
//!
//! Every ratio is `None` when its denominator is zero (the UI shows "—"); no value is ever NaN.
//! The formula of each KPI is documented on its [`Formula`] variant.
//!
//! [`NON_ACTIVITY_TYPES`]: super::overview::NON_ACTIVITY_TYPES

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::overview::{ActivityTypes, PURCHASE, REFUND};
use super::population::{includes, CustomerSet};
use super::query::QueryError;
use super::store::{CustomerIx, EventTypeId, PropKeyId, Scalar, Store};
use super::time::{Context, Period, DAY};

/// The event type whose count is the conversion rate's denominator.
pub const VISIT: &str = "visit";
/// The most periods one request may ask for (a sparkline, not a data export).
pub const MAX_PERIODS: usize = 1_000;
/// The longest inactivity span accepted for churn (ten years).
pub const MAX_INACTIVE_DAYS: u32 = 3_650;
/// The cap on the derived CLV retention period: with (almost) no churn, `1 / churn` would be
/// unbounded, and no marketer plans with a customer lifetime beyond five years.
pub const MAX_RETENTION_MONTHS: f64 = 60.0;
/// Average days in a month (365.25 / 12), to express day and week periods in months.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// What KPI trend to compute.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, rename_all = "snake_case")]
pub struct KpiSpec {
    /// Calendar granularity of the rows.
    pub period: Period,
    /// Number of rows (the sparkline length); the last is the period containing `now`.
    pub periods: usize,
    /// `N` in "churned = no activity for N days"; also the window of the active base.
    pub churn_inactive_days: u32,
    /// Expected customer lifetime in months for CLV. When absent it is derived from the row's
    /// churn: `min(1 / monthly churn, MAX_RETENTION_MONTHS)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clv_retention_months: Option<f64>,
    /// The event type of survey answers.
    pub nps_event: String,
    /// The numeric property of [`KpiSpec::nps_event`] holding the 0–10 score.
    pub nps_property: String,
}

impl Default for KpiSpec {
    fn default() -> Self {
        KpiSpec {
            period: Period::Month,
            periods: 12,
            churn_inactive_days: 30,
            clv_retention_months: None,
            nps_event: "nps_response".to_owned(),
            nps_property: "score".to_owned(),
        }
    }
}

impl KpiSpec {
    /// Checks the values serde cannot, naming the field at fault.
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.periods == 0 || self.periods > MAX_PERIODS {
            return Err(QueryError::invalid(
                "periods",
                format!("must be between 1 and {MAX_PERIODS}"),
            ));
        }
        if self.churn_inactive_days == 0 || self.churn_inactive_days > MAX_INACTIVE_DAYS {
            return Err(QueryError::invalid(
                "churn_inactive_days",
                format!("must be between 1 and {MAX_INACTIVE_DAYS}"),
            ));
        }
        if let Some(months) = self.clv_retention_months {
            if !(months.is_finite() && months > 0.0) {
                return Err(QueryError::invalid(
                    "clv_retention_months",
                    "must be a positive number of months",
                ));
            }
        }
        if self.nps_event.is_empty() {
            return Err(QueryError::invalid("nps_event", "must name an event type"));
        }
        if self.nps_property.is_empty() {
            return Err(QueryError::invalid("nps_property", "must name a property"));
        }
        Ok(())
    }
}

/// Which formula a [`Kpi`] follows; the UI prints it (translated) next to the value.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// Customers with at least one activity in the period.
    ActiveCustomers,
    /// Customers whose `created_at` falls in the period.
    NewCustomers,
    /// Sum of purchase values + sum of refund values in the period (refunds are negative).
    Revenue,
    /// Number of purchase events in the period.
    Orders,
    /// Purchase revenue / orders in the period (refunds not deducted; purchases without a value
    /// count as orders worth 0).
    AverageOrderValue,
    /// Customers with ≥ 2 purchases / customers with ≥ 1 purchase × 100, counting every purchase
    /// up to the period end (cumulative, not just within the period).
    RepeatPurchaseRate,
    /// Churned customers / customers at period start × 100 (see the module docs for both).
    ChurnRate,
    /// Purchase events / visit events in the period × 100 (event counts; may exceed 100).
    ConversionRate,
    /// (Customers at period end − new customers) / customers at period start × 100, where "new
    /// customers" are those created in the period who are in the active base at its end. Lapsed
    /// customers who return count as retained, so the rate may exceed 100.
    RetentionRate,
    /// % promoters (score 9–10) − % detractors (score 0–6) among the customers who answered in
    /// the period, taking each customer's latest answer in the period. Scores must be numbers in
    /// 0–10; others are ignored. Passives are scores strictly between 6 and 9.
    Nps,
    /// Average purchase amount × purchase frequency per month × retention months, where average
    /// purchase = purchase revenue / orders, frequency = orders / buyers in the period / period
    /// length in months, retention = the spec's `clv_retention_months`, else
    /// `min(1 / monthly churn, MAX_RETENTION_MONTHS)` with monthly churn = churn fraction /
    /// period length in months (capped at 1). A running period's length is its elapsed part.
    Clv,
}

/// One named number a KPI is computed from.
#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub struct KpiInput {
    pub name: &'static str,
    pub value: f64,
}

/// A KPI value with its formula and inputs.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Kpi {
    pub formula: Formula,
    /// `None` when a denominator is zero (shown as "—").
    pub value: Option<f64>,
    /// Numerator, denominator and other operands, in formula order.
    pub inputs: Vec<KpiInput>,
}

impl Kpi {
    fn new(formula: Formula, value: Option<f64>, inputs: &[(&'static str, f64)]) -> Kpi {
        Kpi {
            formula,
            // Guards against overflow to infinity on absurd sums: a KPI is a number or "—".
            value: value.filter(|v| v.is_finite()),
            inputs: inputs
                .iter()
                .filter(|(_, value)| value.is_finite())
                .map(|&(name, value)| KpiInput { name, value })
                .collect(),
        }
    }

    fn count(formula: Formula, name: &'static str, count: u64) -> Kpi {
        Kpi::new(formula, Some(count as f64), &[(name, count as f64)])
    }
}

/// All KPIs of one period.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct KpiRow {
    /// First local day of the period (serialised `YYYY-MM-DD`).
    pub start: NaiveDate,
    /// Whether the period has ended (only the last row, containing `now`, has not).
    pub complete: bool,
    pub active_customers: Kpi,
    pub new_customers: Kpi,
    pub revenue: Kpi,
    pub orders: Kpi,
    pub average_order_value: Kpi,
    pub repeat_purchase_rate: Kpi,
    pub churn_rate: Kpi,
    pub conversion_rate: Kpi,
    pub retention_rate: Kpi,
    pub nps: Kpi,
    pub clv: Kpi,
}

/// KPI rows, oldest first; "current vs previous" is the last two rows.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct KpiResult {
    pub period: Period,
    pub churn_inactive_days: u32,
    pub rows: Vec<KpiRow>,
}

impl KpiResult {
    /// The running period.
    pub fn current(&self) -> Option<&KpiRow> {
        self.rows.last()
    }

    /// The period before the running one.
    pub fn previous(&self) -> Option<&KpiRow> {
        self.rows.len().checked_sub(2).map(|i| &self.rows[i])
    }
}

/// Per-period counts gathered in the pass over customers.
#[derive(Debug, Clone, Default)]
struct Tally {
    active: u64,
    new: u64,
    purchase_revenue: f64,
    refunds: f64,
    orders: u64,
    buyers: u64,
    visits: u64,
    /// Customers whose first (second) purchase falls in this period; prefix sums give the
    /// cumulative buyers (repeat buyers) up to each period's end.
    first_purchases: u64,
    second_purchases: u64,
    base_at_start: u64,
    base_at_end: u64,
    churned: u64,
    new_in_end_base: u64,
    promoters: u64,
    passives: u64,
    detractors: u64,
}

impl Tally {
    fn count_nps(&mut self, score: f64) {
        if score >= 9.0 {
            self.promoters += 1;
        } else if score <= 6.0 {
            self.detractors += 1;
        } else {
            self.passives += 1;
        }
    }
}

/// Event type ids and the NPS property key, resolved once per run.
struct Types {
    activity: ActivityTypes,
    purchase: Option<EventTypeId>,
    refund: Option<EventTypeId>,
    visit: Option<EventTypeId>,
    nps: Option<EventTypeId>,
    nps_key: Option<PropKeyId>,
}

impl Types {
    fn of(store: &Store, spec: &KpiSpec) -> Types {
        Types {
            activity: ActivityTypes::of(store),
            purchase: store.event_type(PURCHASE),
            refund: store.event_type(REFUND),
            visit: store.event_type(VISIT),
            nps: store.event_type(&spec.nps_event),
            nps_key: store
                .prop_keys
                .get(&spec.nps_property)
                .and_then(|k| PropKeyId::try_from(k).ok()),
        }
    }

    /// The 0–10 score of NPS event `e`, if it has a valid one (numbers, or text holding a number).
    fn nps_score(&self, store: &Store, e: usize) -> Option<f64> {
        let key = self.nps_key?;
        let (_, value) = store.events.props_of(e).iter().find(|(k, _)| *k == key)?;
        let score = match store.prop_values.value(*value) {
            Scalar::Number(n) => *n,
            Scalar::Text(t) => t.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        (0.0..=10.0).contains(&score).then_some(score)
    }
}

/// Computes the KPI rows of the last `spec.periods` periods up to `ctx.now`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &KpiSpec,
    population: Option<&CustomerSet>,
) -> Result<KpiResult, QueryError> {
    spec.validate()?;
    let periods = spec.periods;
    // Only the period starts are converted through the zone (a few dozen lookups), so no
    // calendar over the whole data range is needed.
    let period_start = |index: i64| ctx.zone.midnight(ctx.period_first_day(spec.period, index));
    let last_index = ctx.period_index(spec.period, ctx.now);
    let first_index = last_index - periods as i64 + 1;
    // Instants bounding the periods: `bounds[p]` starts period p; `bounds[periods]` is the end
    // of the running period, just after `now` so that events at `now` count.
    let mut bounds: Vec<i64> = (0..periods as i64)
        .map(|p| period_start(first_index + p))
        .collect();
    bounds.push(ctx.now + 1);
    let next_start = period_start(last_index + 1);
    let inactive_span = i64::from(spec.churn_inactive_days) * DAY;
    let types = Types::of(store, spec);
    // The row of a time: bounds are exact local period starts, so comparing with them agrees
    // with the calendar without converting every event.
    let relative_period = |unix: i64| -> Option<usize> {
        (bounds[0] <= unix && unix <= ctx.now)
            .then(|| bounds[..periods].partition_point(|&b| b <= unix) - 1)
    };

    let mut tallies = vec![Tally::default(); periods];
    // `base_changes[k]`: customers entering (+) and leaving (−) the active base at `bounds[k]`;
    // prefix sums give the base at every bound without a loop over bounds per customer.
    let mut base_changes = vec![0i64; periods + 2];
    let mut runs = BaseRuns::new(&bounds, inactive_span);

    for customer in 0..store.customers.len() as CustomerIx {
        if !includes(population, customer) {
            continue;
        }
        let created_period = relative_period(store.customers.created_at[customer as usize]);
        if let Some(p) = created_period {
            tallies[p].new += 1;
        }
        runs.clear();
        let mut purchases = 0u32;
        let mut last_active_period = usize::MAX;
        let mut last_buyer_period = usize::MAX;
        // The latest valid NPS answer of the period being read: (period, score).
        let mut pending_nps: Option<(usize, f64)> = None;
        // Events come in time order, so their row only moves forward.
        let mut row_cursor = 0;
        for e in store.events.of_customer(customer) {
            let at = store.events.at[e];
            if at > ctx.now {
                break;
            }
            let event_type = Some(store.events.event_type[e]);
            let is_activity = types.activity.contains(store.events.event_type[e]);
            let is_purchase = event_type == types.purchase;
            if is_activity {
                runs.add(at);
            }
            let period = (at >= bounds[0]).then(|| {
                while row_cursor + 1 < periods && bounds[row_cursor + 1] <= at {
                    row_cursor += 1;
                }
                row_cursor
            });
            if is_purchase {
                purchases += 1;
                // First and second purchases before the window count from the first row on.
                let p = period.unwrap_or(0);
                match purchases {
                    1 => tallies[p].first_purchases += 1,
                    2 => tallies[p].second_purchases += 1,
                    _ => {}
                }
            }
            let Some(p) = period else { continue };
            let tally = &mut tallies[p];
            if is_activity && last_active_period != p {
                last_active_period = p;
                tally.active += 1;
            }
            if is_purchase {
                tally.orders += 1;
                tally.purchase_revenue += store.events.value_of(e).unwrap_or(0.0);
                if last_buyer_period != p {
                    last_buyer_period = p;
                    tally.buyers += 1;
                }
            } else if event_type == types.refund {
                tally.refunds += store.events.value_of(e).unwrap_or(0.0);
            }
            if event_type == types.visit {
                tally.visits += 1;
            }
            if event_type == types.nps {
                if let Some(score) = types.nps_score(store, e) {
                    if let Some((q, previous)) = pending_nps.filter(|&(q, _)| q != p) {
                        tallies[q].count_nps(previous);
                    }
                    pending_nps = Some((p, score));
                }
            }
        }
        if let Some((q, score)) = pending_nps {
            tallies[q].count_nps(score);
        }

        for &(first, end) in runs.runs() {
            base_changes[first] += 1;
            base_changes[end] -= 1;
            // In the base at the start of period `end − 1`, not at its end: churned in it.
            if end <= periods {
                tallies[end - 1].churned += 1;
            }
            if let Some(p) = created_period.filter(|p| (first..end).contains(&(p + 1))) {
                tallies[p].new_in_end_base += 1;
            }
        }
    }
    let mut base = 0i64;
    let base_at: Vec<u64> = base_changes[..=periods]
        .iter()
        .map(|change| {
            base += change;
            base.max(0) as u64
        })
        .collect();
    for (p, tally) in tallies.iter_mut().enumerate() {
        tally.base_at_start = base_at[p];
        tally.base_at_end = base_at[p + 1];
    }

    let full_months = match spec.period {
        Period::Day => 1.0 / DAYS_PER_MONTH,
        Period::Week => 7.0 / DAYS_PER_MONTH,
        Period::Month => 1.0,
    };
    let mut buyers_so_far = 0u64;
    let mut repeat_buyers_so_far = 0u64;
    let rows = tallies
        .iter()
        .enumerate()
        .map(|(p, tally)| {
            buyers_so_far += tally.first_purchases;
            repeat_buyers_so_far += tally.second_purchases;
            let complete = p + 1 < periods;
            let period_months = if complete {
                full_months
            } else {
                let (start, end) = (bounds[p], next_start.max(bounds[p] + 1));
                full_months * ((bounds[p + 1] - start) as f64 / (end - start) as f64).min(1.0)
            };
            row(
                spec,
                ctx.period_first_day(spec.period, first_index + p as i64),
                complete,
                tally,
                buyers_so_far,
                repeat_buyers_so_far,
                period_months,
            )
        })
        .collect();
    Ok(KpiResult {
        period: spec.period,
        churn_inactive_days: spec.churn_inactive_days,
        rows,
    })
}

/// The bounds at which one customer is in the active base, as runs `[first, end)` of bound
/// indices, built from their activity times in increasing order.
struct BaseRuns<'a> {
    bounds: &'a [i64],
    inactive_span: i64,
    /// Bounds `≤` the latest activity time, and `≤` it plus the span (both only grow).
    first: usize,
    end: usize,
    runs: Vec<(usize, usize)>,
}

impl<'a> BaseRuns<'a> {
    fn new(bounds: &'a [i64], inactive_span: i64) -> Self {
        BaseRuns {
            bounds,
            inactive_span,
            first: 0,
            end: 0,
            runs: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.first = 0;
        self.end = 0;
        self.runs.clear();
    }

    /// Activity at `at` puts the customer in the base at every bound `b` with
    /// `at < b ≤ at + span`, i.e. `b − span ≤ at < b`.
    #[inline]
    fn add(&mut self, at: i64) {
        let bounds = self.bounds;
        // Most activity falls before the next bound: one comparison, no search.
        if bounds.get(self.first).is_some_and(|&b| b <= at) {
            self.first += bounds[self.first..].partition_point(|&b| b <= at);
        }
        let limit = at.saturating_add(self.inactive_span);
        if bounds.get(self.end).is_some_and(|&b| b <= limit) {
            self.end += bounds[self.end..].partition_point(|&b| b <= limit);
        }
        if self.first == self.end {
            return;
        }
        match self.runs.last_mut() {
            Some(run) if self.first <= run.1 => run.1 = self.end,
            _ => self.runs.push((self.first, self.end)),
        }
    }

    fn runs(&self) -> &[(usize, usize)] {
        &self.runs
    }
}

/// `numerator / denominator × scale`, `None` when the denominator is zero.
fn ratio(numerator: f64, denominator: f64, scale: f64) -> Option<f64> {
    (denominator != 0.0).then(|| numerator / denominator * scale)
}

/// Turns one period's tally into its KPIs.
fn row(
    spec: &KpiSpec,
    start: NaiveDate,
    complete: bool,
    t: &Tally,
    buyers_so_far: u64,
    repeat_buyers_so_far: u64,
    period_months: f64,
) -> KpiRow {
    let f = |n: u64| n as f64;
    let revenue = t.purchase_revenue + t.refunds;
    let average_purchase = ratio(t.purchase_revenue, f(t.orders), 1.0);
    let churn_rate = ratio(f(t.churned), f(t.base_at_start), 100.0);
    let respondents = t.promoters + t.passives + t.detractors;

    let frequency = ratio(f(t.orders), f(t.buyers) * period_months, 1.0);
    let monthly_churn = churn_rate.map(|rate| (rate / 100.0 / period_months).min(1.0));
    let retention_months = spec.clv_retention_months.or_else(|| {
        monthly_churn.map(|churn| {
            if churn > 0.0 {
                (1.0 / churn).min(MAX_RETENTION_MONTHS)
            } else {
                MAX_RETENTION_MONTHS
            }
        })
    });
    let clv = match (average_purchase, frequency, retention_months) {
        (Some(a), Some(fr), Some(r)) => Some(a * fr * r),
        _ => None,
    };
    let mut clv_inputs: Vec<(&'static str, f64)> = Vec::new();
    for (name, value) in [
        ("average_purchase", average_purchase),
        ("purchase_frequency_per_month", frequency),
        ("retention_months", retention_months),
        ("purchase_revenue", Some(t.purchase_revenue)),
        ("orders", Some(f(t.orders))),
        ("buyers", Some(f(t.buyers))),
        ("period_months", Some(period_months)),
        ("monthly_churn_rate", monthly_churn.map(|c| c * 100.0)),
    ] {
        if let Some(value) = value {
            clv_inputs.push((name, value));
        }
    }

    KpiRow {
        start,
        complete,
        active_customers: Kpi::count(Formula::ActiveCustomers, "active_customers", t.active),
        new_customers: Kpi::count(Formula::NewCustomers, "new_customers", t.new),
        revenue: Kpi::new(
            Formula::Revenue,
            Some(revenue),
            &[
                ("purchase_revenue", t.purchase_revenue),
                ("refunds", t.refunds),
            ],
        ),
        orders: Kpi::count(Formula::Orders, "orders", t.orders),
        average_order_value: Kpi::new(
            Formula::AverageOrderValue,
            average_purchase,
            &[
                ("purchase_revenue", t.purchase_revenue),
                ("orders", f(t.orders)),
            ],
        ),
        repeat_purchase_rate: Kpi::new(
            Formula::RepeatPurchaseRate,
            ratio(f(repeat_buyers_so_far), f(buyers_so_far), 100.0),
            &[
                ("repeat_buyers", f(repeat_buyers_so_far)),
                ("buyers", f(buyers_so_far)),
            ],
        ),
        churn_rate: Kpi::new(
            Formula::ChurnRate,
            churn_rate,
            &[
                ("churned", f(t.churned)),
                ("customers_at_start", f(t.base_at_start)),
            ],
        ),
        conversion_rate: Kpi::new(
            Formula::ConversionRate,
            ratio(f(t.orders), f(t.visits), 100.0),
            &[("purchases", f(t.orders)), ("visits", f(t.visits))],
        ),
        retention_rate: Kpi::new(
            Formula::RetentionRate,
            ratio(
                f(t.base_at_end) - f(t.new_in_end_base),
                f(t.base_at_start),
                100.0,
            ),
            &[
                ("customers_at_end", f(t.base_at_end)),
                ("new_customers", f(t.new_in_end_base)),
                ("customers_at_start", f(t.base_at_start)),
            ],
        ),
        nps: Kpi::new(
            Formula::Nps,
            ratio(f(t.promoters) - f(t.detractors), f(respondents), 100.0),
            &[
                ("promoters", f(t.promoters)),
                ("passives", f(t.passives)),
                ("detractors", f(t.detractors)),
                ("respondents", f(respondents)),
            ],
        ),
        clv: Kpi::new(Formula::Clv, clv, &clv_inputs),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
    const CUSTOMERS: &str = r#"[
        {"id":"a","name":"A","created_at":"2025-12-01T00:00:00+09:00"},
        {"id":"b","name":"B","created_at":"2026-01-10T09:00:00+09:00"},
        {"id":"c","name":"C","created_at":"2026-02-20T09:00:00+09:00"},
        {"id":"d","name":"D","created_at":"2025-11-01T09:00:00+09:00"}
    ]"#;
    const EVENTS: &str = r#"[
        {"customer_id":"a","type":"visit","at":"2025-12-20T10:00:00+09:00"},
        {"customer_id":"a","type":"visit","at":"2026-01-05T10:00:00+09:00"},
        {"customer_id":"a","type":"purchase","at":"2026-01-05T10:05:00+09:00","value":10000},
        {"customer_id":"a","type":"visit","at":"2026-01-20T10:00:00+09:00"},
        {"customer_id":"a","type":"purchase","at":"2026-01-20T10:05:00+09:00","value":30000},
        {"customer_id":"a","type":"refund","at":"2026-01-25T10:00:00+09:00","value":-5000},
        {"customer_id":"a","type":"nps_response","at":"2026-01-26T10:00:00+09:00","properties":{"score":10}},
        {"customer_id":"a","type":"visit","at":"2026-02-10T10:00:00+09:00"},
        {"customer_id":"a","type":"nps_response","at":"2026-02-11T10:00:00+09:00","properties":{"score":3}},
        {"customer_id":"a","type":"nps_response","at":"2026-02-12T10:00:00+09:00","properties":{"score":9}},
        {"customer_id":"a","type":"visit","at":"2026-03-10T10:00:00+09:00"},
        {"customer_id":"a","type":"purchase","at":"2026-03-10T10:05:00+09:00","value":20000},
        {"customer_id":"b","type":"signup","at":"2026-01-10T09:00:00+09:00"},
        {"customer_id":"b","type":"visit","at":"2026-01-10T09:01:00+09:00"},
        {"customer_id":"b","type":"purchase","at":"2026-01-10T09:05:00+09:00","value":50000},
        {"customer_id":"b","type":"visit","at":"2026-01-12T09:00:00+09:00"},
        {"customer_id":"b","type":"nps_response","at":"2026-01-15T09:00:00+09:00","properties":{"score":5}},
        {"customer_id":"c","type":"visit","at":"2026-02-20T09:00:00+09:00"},
        {"customer_id":"c","type":"visit","at":"2026-02-21T09:00:00+09:00"},
        {"customer_id":"c","type":"message_sent","at":"2026-03-05T09:00:00+09:00"},
        {"customer_id":"c","type":"purchase","at":"2026-03-20T09:00:00+09:00","value":99000},
        {"customer_id":"d","type":"visit","at":"2025-11-05T09:00:00+09:00"},
        {"customer_id":"d","type":"visit","at":"2026-02-25T09:00:00+09:00"}
    ]"#;

    fn fixture() -> (Store, Context) {
        let (store, _) = Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), EVENTS.as_bytes())
            .expect("valid");
        let now = parse_timestamp("2026-03-15T12:00:00+09:00").expect("now");
        (store, Context::new(now, Zone::default()))
    }

    fn three_months() -> KpiSpec {
        KpiSpec {
            periods: 3,
            ..KpiSpec::default()
        }
    }

    fn input(kpi: &Kpi, name: &str) -> f64 {
        kpi.inputs
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no input {name} in {kpi:?}"))
            .value
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    /// Every KPI of every row, for checks that must hold for all of them.
    pub(crate) fn all_kpis(row: &KpiRow) -> [&Kpi; 11] {
        [
            &row.active_customers,
            &row.new_customers,
            &row.revenue,
            &row.orders,
            &row.average_order_value,
            &row.repeat_purchase_rate,
            &row.churn_rate,
            &row.conversion_rate,
            &row.retention_rate,
            &row.nps,
            &row.clv,
        ]
    }

    /// No value or input is NaN or infinite, and the result serialises without "NaN".
    fn assert_finite(result: &KpiResult) {
        for row in &result.rows {
            for kpi in all_kpis(row) {
                assert!(kpi.value.is_none_or(f64::is_finite), "{kpi:?}");
                assert!(kpi.inputs.iter().all(|i| i.value.is_finite()), "{kpi:?}");
            }
        }
        let json = serde_json::to_string(result).expect("serialises");
        assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    }

    #[test]
    fn rows_are_calendar_periods_ending_with_the_running_one() {
        let (store, ctx) = fixture();
        let result = run(&store, &ctx, &three_months(), None).expect("runs");
        let starts: Vec<NaiveDate> = result.rows.iter().map(|r| r.start).collect();
        assert_eq!(
            starts,
            [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
        );
        let complete: Vec<bool> = result.rows.iter().map(|r| r.complete).collect();
        assert_eq!(complete, [true, true, false]);
        assert_eq!(result.current().map(|r| r.start), Some(date(2026, 3, 1)));
        assert_eq!(result.previous().map(|r| r.start), Some(date(2026, 2, 1)));
        let json = serde_json::to_value(&result).expect("json");
        assert_eq!(json["rows"][0]["start"], "2026-01-01");
        assert_eq!(json["rows"][0]["churn_rate"]["formula"], "churn_rate");
        assert_finite(&result);
    }

    #[test]
    fn counts_revenue_orders_and_average_order_value() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        // January: a (purchases, refund, answer) and b (new) were active; d's visit was in November.
        assert_eq!(r[0].active_customers.value, Some(2.0));
        assert_eq!(r[0].new_customers.value, Some(1.0));
        assert_eq!(r[0].revenue.value, Some(85_000.0));
        assert_eq!(input(&r[0].revenue, "purchase_revenue"), 90_000.0);
        assert_eq!(input(&r[0].revenue, "refunds"), -5_000.0);
        assert_eq!(r[0].orders.value, Some(3.0));
        assert_eq!(r[0].average_order_value.value, Some(30_000.0));
        // February: a, c and the returning d; no orders, so no average.
        assert_eq!(r[1].active_customers.value, Some(3.0));
        assert_eq!(r[1].new_customers.value, Some(1.0));
        assert_eq!(
            (r[1].revenue.value, r[1].orders.value),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(r[1].average_order_value.value, None);
        assert_eq!(input(&r[1].average_order_value, "orders"), 0.0);
        // March so far: only a (c was only sent a message; its purchase is after `now`).
        assert_eq!(r[2].active_customers.value, Some(1.0));
        assert_eq!(r[2].revenue.value, Some(20_000.0));
        assert_eq!(r[2].average_order_value.value, Some(20_000.0));
    }

    #[test]
    fn repeat_purchase_rate_is_cumulative() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        for row in &r {
            // a bought twice by January 20th, b once; c's purchase is after `now`.
            assert_eq!(row.repeat_purchase_rate.value, Some(50.0));
            assert_eq!(input(&row.repeat_purchase_rate, "repeat_buyers"), 1.0);
            assert_eq!(input(&row.repeat_purchase_rate, "buyers"), 2.0);
        }
        // Purchases before the first row still count.
        let one = KpiSpec {
            periods: 1,
            ..KpiSpec::default()
        };
        let current = run(&store, &ctx, &one, None).expect("runs").rows;
        assert_eq!(current[0].repeat_purchase_rate.value, Some(50.0));
    }

    #[test]
    fn churn_and_retention_use_the_active_base() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        // Jan 1: base {a}; Feb 1: base {a, b}; b is new in January.
        assert_eq!(input(&r[0].churn_rate, "customers_at_start"), 1.0);
        assert_eq!(r[0].churn_rate.value, Some(0.0));
        assert_eq!(r[0].retention_rate.value, Some(100.0));
        assert_eq!(input(&r[0].retention_rate, "customers_at_end"), 2.0);
        assert_eq!(input(&r[0].retention_rate, "new_customers"), 1.0);
        // Mar 1 (activity since Jan 30): {a, c, d}; b churned; c is new; d came back.
        assert_eq!(input(&r[1].churn_rate, "churned"), 1.0);
        assert_eq!(r[1].churn_rate.value, Some(50.0));
        assert_eq!(input(&r[1].retention_rate, "customers_at_end"), 3.0);
        assert_eq!(r[1].retention_rate.value, Some(100.0));
        // Now (activity since Feb 13, 12:00): still {a, c, d}.
        assert_eq!(r[2].churn_rate.value, Some(0.0));
        assert_eq!(input(&r[2].retention_rate, "customers_at_start"), 3.0);
        assert_eq!(r[2].retention_rate.value, Some(100.0));
        // A shorter inactivity span: on Mar 1, c (Feb 21) and d (Feb 25) are active but a
        // (Feb 12) is not, so a churned in February.
        let short = KpiSpec {
            churn_inactive_days: 10,
            ..three_months()
        };
        let r = run(&store, &ctx, &short, None).expect("runs").rows;
        assert_eq!(
            input(&r[1].churn_rate, "customers_at_start"),
            1.0,
            "Feb 1: b"
        );
        assert_eq!(r[1].churn_rate.value, Some(100.0));
        assert_eq!(input(&r[1].retention_rate, "customers_at_end"), 2.0);
        assert_eq!(r[1].retention_rate.value, Some(100.0), "(2 − 1) / 1");
    }

    #[test]
    fn conversion_counts_purchases_per_visit() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        assert_eq!(
            r[0].conversion_rate.value,
            Some(75.0),
            "3 purchases / 4 visits"
        );
        assert_eq!(r[1].conversion_rate.value, Some(0.0), "0 / 4");
        assert_eq!(r[2].conversion_rate.value, Some(100.0), "1 / 1");
    }

    #[test]
    fn nps_takes_each_customers_latest_answer_in_the_period() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        // January: a answered 10, b answered 5.
        assert_eq!(r[0].nps.value, Some(0.0));
        assert_eq!(input(&r[0].nps, "promoters"), 1.0);
        assert_eq!(input(&r[0].nps, "detractors"), 1.0);
        // February: a answered 3, then 9.
        assert_eq!(r[1].nps.value, Some(100.0));
        assert_eq!(input(&r[1].nps, "respondents"), 1.0);
        assert_eq!(r[2].nps.value, None, "no answers in March");
        // Another property name finds nothing here.
        let other = KpiSpec {
            nps_property: "rating".into(),
            ..three_months()
        };
        let r = run(&store, &ctx, &other, None).expect("runs").rows;
        assert!(r.iter().all(|row| row.nps.value.is_none()));
    }

    #[test]
    fn nps_reads_the_configured_event_and_property() {
        let events = r#"[
            {"customer_id":"a","type":"survey","at":"2026-03-02T10:00:00+09:00","properties":{"rating":8}},
            {"customer_id":"b","type":"survey","at":"2026-03-02T10:00:00+09:00","properties":{"rating":"9"}},
            {"customer_id":"c","type":"survey","at":"2026-03-02T10:00:00+09:00","properties":{"rating":11}},
            {"customer_id":"d","type":"survey","at":"2026-03-02T10:00:00+09:00","properties":{"rating":0}}
        ]"#;
        let (store, _) = Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), events.as_bytes())
            .expect("valid");
        let (_, ctx) = fixture();
        let spec = KpiSpec {
            periods: 1,
            nps_event: "survey".into(),
            nps_property: "rating".into(),
            ..KpiSpec::default()
        };
        let nps = &run(&store, &ctx, &spec, None).expect("runs").rows[0].nps;
        // 8 passive, "9" promoter, 11 ignored (out of range), 0 detractor: (1 − 1) / 3.
        assert_eq!(nps.value, Some(0.0));
        assert_eq!(input(nps, "passives"), 1.0);
        assert_eq!(input(nps, "respondents"), 3.0);
    }

    #[test]
    fn clv_multiplies_average_purchase_frequency_and_retention() {
        let (store, ctx) = fixture();
        let r = run(&store, &ctx, &three_months(), None).expect("runs").rows;
        // January: 30,000 per order × (3 orders / 2 buyers / 1 month) × 60 months (no churn: capped).
        let clv = &r[0].clv;
        assert_eq!(input(clv, "average_purchase"), 30_000.0);
        assert_eq!(input(clv, "purchase_frequency_per_month"), 1.5);
        assert_eq!(input(clv, "retention_months"), MAX_RETENTION_MONTHS);
        assert_eq!(clv.value, Some(30_000.0 * 1.5 * 60.0));
        assert_eq!(r[1].clv.value, None, "no orders in February");
        // March has run 14.5 days of 31: one order by one buyer is ~2.14 orders a month.
        let months = (14.5 * DAY as f64 + 1.0) / (31.0 * DAY as f64);
        let march = &r[2].clv;
        assert!((input(march, "period_months") - months).abs() < 1e-12);
        let expected = 20_000.0 * (1.0 / months) * 60.0;
        assert!(
            (march.value.expect("clv") - expected).abs() < 1e-6,
            "{march:?}"
        );

        // An explicit retention period replaces the derived one.
        let fixed = KpiSpec {
            clv_retention_months: Some(12.0),
            ..three_months()
        };
        let r = run(&store, &ctx, &fixed, None).expect("runs").rows;
        assert_eq!(r[0].clv.value, Some(30_000.0 * 1.5 * 12.0));
        // With churn, the derived retention is 1 / monthly churn (February: 50 % → 2 months).
        let feb_ctx = Context::new(
            parse_timestamp("2026-03-10T10:05:00+09:00").expect("now"),
            Zone::default(),
        );
        let r = run(&store, &feb_ctx, &three_months(), None)
            .expect("runs")
            .rows;
        assert_eq!(input(&r[1].clv, "monthly_churn_rate"), 50.0);
        assert_eq!(input(&r[1].clv, "retention_months"), 2.0);
    }

    #[test]
    fn population_limits_every_count() {
        let (store, ctx) = fixture();
        let mut only_b = CustomerSet::with_capacity(store.customers.len());
        only_b.insert(store.customers.find("b").expect("b") as usize);
        let r = run(&store, &ctx, &three_months(), Some(&only_b))
            .expect("runs")
            .rows;
        assert_eq!(r[0].active_customers.value, Some(1.0));
        assert_eq!(r[0].revenue.value, Some(50_000.0));
        assert_eq!(r[0].churn_rate.value, None, "b was not a customer on Jan 1");
        assert_eq!(r[0].retention_rate.value, None);
        assert_eq!(r[1].churn_rate.value, Some(100.0));
        assert_eq!(r[0].repeat_purchase_rate.value, Some(0.0));
    }

    #[test]
    fn empty_days_among_active_customers_keep_base_ratios_and_dash_the_rest() {
        // Mar 13–15 have no events at all. The active base (activity since Feb 11/12/13) is
        // a (Feb 12 answer, Mar 10 purchase), c (Feb 21 visit) and d (Feb 25 visit) on each day.
        let (store, ctx) = fixture();
        let days = KpiSpec {
            period: Period::Day,
            periods: 3,
            ..KpiSpec::default()
        };
        let result = run(&store, &ctx, &days, None).expect("runs");
        assert_finite(&result);
        for row in &result.rows {
            for kpi in [
                &row.active_customers,
                &row.new_customers,
                &row.revenue,
                &row.orders,
            ] {
                assert_eq!(kpi.value, Some(0.0), "{kpi:?}");
            }
            // 0 / 0: orders per order, purchases per visit, NPS without answers, CLV without buyers.
            assert_eq!(row.average_order_value.value, None);
            assert_eq!(row.conversion_rate.value, None);
            assert_eq!(input(&row.conversion_rate, "visits"), 0.0);
            assert_eq!(row.nps.value, None);
            assert_eq!(input(&row.nps, "respondents"), 0.0);
            assert_eq!(row.clv.value, None);
            // Nobody churned out of a base of 3: 0 / 3 = 0 %, (3 − 0) / 3 = 100 %.
            assert_eq!(input(&row.churn_rate, "customers_at_start"), 3.0);
            assert_eq!(row.churn_rate.value, Some(0.0));
            assert_eq!(row.retention_rate.value, Some(100.0));
            // Cumulative: a bought three times, b once; c's purchase is after now.
            assert_eq!(row.repeat_purchase_rate.value, Some(50.0));
        }
    }

    #[test]
    fn january_by_hand_every_formula_and_its_inputs() {
        let (store, ctx) = fixture();
        let jan = &run(&store, &ctx, &three_months(), None).expect("runs").rows[0];
        let inputs = |kpi: &Kpi| -> Vec<(&str, f64)> {
            kpi.inputs.iter().map(|i| (i.name, i.value)).collect()
        };
        // Active: a and b. New: b (created Jan 10).
        assert_eq!(inputs(&jan.active_customers), [("active_customers", 2.0)]);
        assert_eq!(inputs(&jan.new_customers), [("new_customers", 1.0)]);
        // Revenue: 10,000 + 30,000 + 50,000 − 5,000.
        assert_eq!(jan.revenue.value, Some(85_000.0));
        // Order value: 90,000 / 3.
        assert_eq!(
            inputs(&jan.average_order_value),
            [("purchase_revenue", 90_000.0), ("orders", 3.0)]
        );
        assert_eq!(jan.average_order_value.value, Some(30_000.0));
        // Repeat purchase: a (2 purchases) of a and b.
        assert_eq!(
            inputs(&jan.repeat_purchase_rate),
            [("repeat_buyers", 1.0), ("buyers", 2.0)]
        );
        // Churn: base on Jan 1 = {a} (visit Dec 20); a is still active on Feb 1: 0 / 1.
        assert_eq!(
            inputs(&jan.churn_rate),
            [("churned", 0.0), ("customers_at_start", 1.0)]
        );
        assert_eq!(jan.churn_rate.value, Some(0.0));
        // Conversion: 3 purchases / 4 visits.
        assert_eq!(
            inputs(&jan.conversion_rate),
            [("purchases", 3.0), ("visits", 4.0)]
        );
        // Retention: (2 at the end − 1 new) / 1 at the start.
        assert_eq!(
            inputs(&jan.retention_rate),
            [
                ("customers_at_end", 2.0),
                ("new_customers", 1.0),
                ("customers_at_start", 1.0)
            ]
        );
        assert_eq!(jan.retention_rate.value, Some(100.0));
        // NPS: a promoter (10), b detractor (5): (1 − 1) / 2.
        assert_eq!(
            inputs(&jan.nps),
            [
                ("promoters", 1.0),
                ("passives", 0.0),
                ("detractors", 1.0),
                ("respondents", 2.0)
            ]
        );
        // CLV: 30,000 × (3 orders / 2 buyers / 1 month) × 60 months (0 % churn: the cap).
        assert_eq!(jan.clv.value, Some(2_700_000.0));
        assert_eq!(input(&jan.clv, "monthly_churn_rate"), 0.0);
    }

    #[test]
    fn an_empty_dataset_has_counts_of_zero_and_no_ratios() {
        let (store, _) = Store::from_json(META.as_bytes(), b"[]", b"[]").expect("valid");
        let (_, ctx) = fixture();
        for period in [Period::Day, Period::Week, Period::Month] {
            let spec = KpiSpec {
                period,
                ..KpiSpec::default()
            };
            let result = run(&store, &ctx, &spec, None).expect("runs");
            assert_eq!(result.rows.len(), 12);
            for row in &result.rows {
                assert_eq!(row.active_customers.value, Some(0.0));
                assert_eq!(row.revenue.value, Some(0.0));
                for kpi in [
                    &row.average_order_value,
                    &row.repeat_purchase_rate,
                    &row.churn_rate,
                    &row.conversion_rate,
                    &row.retention_rate,
                    &row.nps,
                    &row.clv,
                ] {
                    assert_eq!(kpi.value, None, "{kpi:?}");
                }
            }
            assert_finite(&result);
            let json = serde_json::to_string(&result).expect("json");
            assert!(json.contains(r#""value":null"#));
        }
    }

    #[test]
    fn weeks_and_days_start_where_the_calendar_says() {
        let (store, ctx) = fixture();
        let weeks = KpiSpec {
            period: Period::Week,
            periods: 2,
            ..KpiSpec::default()
        };
        let r = run(&store, &ctx, &weeks, None).expect("runs").rows;
        // 2026-03-15 is a Sunday: its ISO week started on Monday the 9th.
        assert_eq!(
            r.iter().map(|r| r.start).collect::<Vec<_>>(),
            [date(2026, 3, 2), date(2026, 3, 9)]
        );
        assert_eq!(r[1].orders.value, Some(1.0));
        let days = KpiSpec {
            period: Period::Day,
            periods: 6,
            ..KpiSpec::default()
        };
        let r = run(&store, &ctx, &days, None).expect("runs").rows;
        assert_eq!(r[0].start, date(2026, 3, 10));
        assert_eq!(r[0].orders.value, Some(1.0));
        assert_eq!(r[0].active_customers.value, Some(1.0));
        // Day periods: a churn base on Mar 15 of a, c, d (30-day window).
        assert_eq!(input(&r[5].churn_rate, "customers_at_start"), 3.0);
    }

    #[test]
    fn invalid_specs_name_the_field() {
        let (store, ctx) = fixture();
        let cases = [
            (
                KpiSpec {
                    periods: 0,
                    ..KpiSpec::default()
                },
                "periods",
            ),
            (
                KpiSpec {
                    periods: MAX_PERIODS + 1,
                    ..KpiSpec::default()
                },
                "periods",
            ),
            (
                KpiSpec {
                    churn_inactive_days: 0,
                    ..KpiSpec::default()
                },
                "churn_inactive_days",
            ),
            (
                KpiSpec {
                    clv_retention_months: Some(-1.0),
                    ..KpiSpec::default()
                },
                "clv_retention_months",
            ),
            (
                KpiSpec {
                    clv_retention_months: Some(f64::NAN),
                    ..KpiSpec::default()
                },
                "clv_retention_months",
            ),
            (
                KpiSpec {
                    nps_event: String::new(),
                    ..KpiSpec::default()
                },
                "nps_event",
            ),
            (
                KpiSpec {
                    nps_property: String::new(),
                    ..KpiSpec::default()
                },
                "nps_property",
            ),
        ];
        for (spec, path) in cases {
            let err = run(&store, &ctx, &spec, None).expect_err("invalid");
            assert_eq!(err.path, path, "{err}");
        }
    }

    #[test]
    fn spec_fields_default_and_use_snake_case() {
        let spec: KpiSpec = serde_json::from_str("{}").expect("defaults");
        assert_eq!(spec, KpiSpec::default());
        assert_eq!(
            (spec.period, spec.periods, spec.churn_inactive_days),
            (Period::Month, 12, 30)
        );
        assert_eq!(
            (spec.nps_event.as_str(), spec.nps_property.as_str()),
            ("nps_response", "score")
        );
        let spec: KpiSpec = serde_json::from_str(
            r#"{"period":"week","periods":8,"churn_inactive_days":14,"clv_retention_months":6}"#,
        )
        .expect("spec");
        assert_eq!(spec.clv_retention_months, Some(6.0));
        let back: KpiSpec =
            serde_json::from_str(&serde_json::to_string(&spec).expect("json")).expect("spec");
        assert_eq!(back, spec);
    }

    /// The committed demo dataset, loaded once per test binary, with its `as_of` as `now`.
    pub(crate) fn demo() -> &'static (Store, Context) {
        static DEMO: OnceLock<(Store, Context)> = OnceLock::new();
        DEMO.get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
            let read = |name: &str| std::fs::read(dir.join(name)).expect("demo file");
            let (store, _) = Store::from_json(
                &read("meta.json"),
                &read("customers.json"),
                &read("events.json"),
            )
            .expect("the demo ingests");
            let now = store.meta.as_of.expect("the demo has as_of").timestamp();
            let zone = Zone::parse(&store.meta.time_zone).expect("zone");
            (store, Context::new(now, zone))
        })
    }

    #[test]
    fn demo_kpis_are_plausible() {
        let (store, ctx) = demo();
        let result = run(store, ctx, &KpiSpec::default(), None).expect("runs");
        assert_finite(&result);
        assert_eq!(result.rows.len(), 12);
        assert_eq!(result.rows[11].start, date(2026, 11, 1));
        for row in &result.rows[..11] {
            let at = row.start;
            assert!(row.active_customers.value > Some(100.0), "{at} active");
            assert!(row.orders.value > Some(50.0), "{at} orders");
            let churn = row.churn_rate.value.expect("churn");
            assert!((0.0..=100.0).contains(&churn), "{at} churn {churn}");
            let repeat = row.repeat_purchase_rate.value.expect("repeat");
            assert!((10.0..90.0).contains(&repeat), "{at} repeat {repeat}");
            let nps = row.nps.value.expect("nps");
            assert!((-100.0..=100.0).contains(&nps), "{at} nps {nps}");
            let conversion = row.conversion_rate.value.expect("conversion");
            assert!(
                conversion > 0.0 && conversion < 100.0,
                "{at} conversion {conversion}"
            );
            let aov = row.average_order_value.value.expect("aov");
            assert!((1_000.0..1_000_000.0).contains(&aov), "{at} aov {aov}");
            assert!(row.clv.value.is_some_and(|clv| clv > aov), "{at} clv");
        }
        // The monthly revenue of the last 12 months cannot exceed all revenue ever.
        let headline = crate::engine::overview::headline(store, ctx);
        let total: f64 = result.rows.iter().filter_map(|r| r.revenue.value).sum();
        assert!(total > 0.0 && total <= headline.revenue + 1.0);
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::*;

        const TYPES: [&str; 7] = [
            "visit",
            "purchase",
            "refund",
            "nps_response",
            "message_sent",
            "signup",
            "cart_add",
        ];

        /// A small random dataset around 2026-03 as JSON (customers, events).
        fn dataset() -> impl Strategy<Value = (String, String)> {
            let event = (
                0usize..4,
                0usize..TYPES.len(),
                0i64..120,
                -50_000i64..100_000,
                -3i64..14,
            );
            (1usize..5, prop::collection::vec(event, 0..40)).prop_map(|(customers, events)| {
                let base = parse_timestamp("2026-01-01T00:00:00Z").expect("t");
                let iso = |t: i64| {
                    chrono::DateTime::from_timestamp(t, 0)
                        .expect("t")
                        .to_rfc3339()
                };
                let customer_json: Vec<String> = (0..customers)
                    .map(|c| {
                        format!(
                            r#"{{"id":"c{c}","name":"n","created_at":"{}"}}"#,
                            iso(base + c as i64 * 20 * DAY)
                        )
                    })
                    .collect();
                let event_json: Vec<String> = events
                    .iter()
                    .map(|&(c, t, day, value, score)| {
                        let ty = TYPES[t];
                        let at = iso(base + day * DAY / 2);
                        let extra = match ty {
                            "purchase" | "refund" => format!(r#","value":{value}"#),
                            "nps_response" => format!(r#","properties":{{"score":{score}}}"#),
                            _ => String::new(),
                        };
                        format!(
                            r#"{{"customer_id":"c{}","type":"{ty}","at":"{at}"{extra}}}"#,
                            c % customers
                        )
                    })
                    .collect();
                (
                    format!("[{}]", customer_json.join(",")),
                    format!("[{}]", event_json.join(",")),
                )
            })
        }

        fn spec() -> impl Strategy<Value = KpiSpec> {
            (
                prop_oneof![Just(Period::Day), Just(Period::Week), Just(Period::Month)],
                0usize..20,
                0u32..60,
                prop::option::of(-1.0f64..100.0),
            )
                .prop_map(|(period, periods, days, months)| KpiSpec {
                    period,
                    periods,
                    churn_inactive_days: days,
                    clv_retention_months: months,
                    ..KpiSpec::default()
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn no_input_panics_or_yields_nan(
                (customers, events) in dataset(),
                spec in spec(),
                now_day in 0i64..150,
            ) {
                let (store, _) = Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
                    .expect("valid");
                let now = parse_timestamp("2026-01-01T00:00:00Z").expect("t") + now_day * DAY / 2;
                let ctx = Context::new(now, Zone::default());
                if let Ok(result) = run(&store, &ctx, &spec, None) {
                    prop_assert_eq!(result.rows.len(), spec.periods);
                    assert_finite(&result);
                    // The active base and churn, counted naively from the definitions.
                    let activity = ActivityTypes::of(&store);
                    let active_within = |customer: CustomerIx, instant: i64| {
                        store.events.of_customer(customer).any(|e| {
                            let at = store.events.at[e];
                            at <= now
                                && at < instant
                                && at >= instant - i64::from(spec.churn_inactive_days) * DAY
                                && activity.contains(store.events.event_type[e])
                        })
                    };
                    let last = ctx.period_index(spec.period, now);
                    for (p, row) in result.rows.iter().enumerate() {
                        let index = last - spec.periods as i64 + 1 + p as i64;
                        let start = ctx.zone.midnight(ctx.period_first_day(spec.period, index));
                        let end = if row.complete {
                            ctx.zone.midnight(ctx.period_first_day(spec.period, index + 1))
                        } else {
                            now + 1
                        };
                        let (mut at_start, mut churned) = (0.0, 0.0);
                        for c in 0..store.customers.len() as CustomerIx {
                            let (s, e) = (active_within(c, start), active_within(c, end));
                            at_start += f64::from(u8::from(s));
                            churned += f64::from(u8::from(s && !e));
                        }
                        prop_assert_eq!(input(&row.churn_rate, "customers_at_start"), at_start);
                        prop_assert_eq!(input(&row.churn_rate, "churned"), churned);
                    }
                }
            }
        }
    }
}
