//! Member rows: one line per customer with the numbers a member table shows (name, email, signup,
//! last seen, orders, revenue, CLV, RFM segment, lifecycle stage), sorting by any column and
//! searching by name, email or id. Rows are computed once per dataset; a segment's table is a
//! filter of them, so sorting and searching are O(n log n) and O(n) whatever the segment.
//!
//! # Numbers
//! - orders, revenue, last seen: as [`super::overview::customer_summaries`] (revenue is net of
//!   refunds; last seen is the last activity up to now).
//! - CLV (historic, DOMAIN.md's formula): average order × orders per month × 12 months, where
//!   orders per month = orders / months since signup (at least one month). 0 without orders.
//! - RFM segment: the default RFM analysis (365 days, quintiles, DOMAIN names) at now;
//!   [`super::rfm::NO_PURCHASE`] for customers without a purchase in the window.
//! - Lifecycle stage: the customer's stage in the current calendar month (new, returning,
//!   resurrecting, dormant), or none.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, ANY_ACTIVITY};
use super::lifecycle::{self, LifecycleSpec, LifecycleStage};
use super::overview::customer_summaries;
use super::population::CustomerSet;
use super::rfm::{self, RfmScore, RfmSpec, NO_PURCHASE, OTHER_SEGMENT};
use super::store::{CustomerIx, Store};
use super::time::{Context, Period, DAY};

/// Months of expected relationship in the CLV formula.
pub const CLV_MONTHS: f64 = 12.0;
const MONTH_SECONDS: f64 = 30.0 * DAY as f64;

/// One customer's line in a member table.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub customer: CustomerIx,
    pub orders: u32,
    pub revenue: f64,
    pub last_seen: Option<i64>,
    pub clv: f64,
    /// RFM segment name (a default name, [`OTHER_SEGMENT`] or [`NO_PURCHASE`]).
    pub rfm_segment: String,
    pub rfm: Option<RfmScore>,
    pub stage: Option<LifecycleStage>,
}

/// A member table column to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    Email,
    Signup,
    #[default]
    LastSeen,
    Orders,
    Revenue,
    Clv,
    Rfm,
    Stage,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Name,
        SortKey::Email,
        SortKey::Signup,
        SortKey::LastSeen,
        SortKey::Orders,
        SortKey::Revenue,
        SortKey::Clv,
        SortKey::Rfm,
        SortKey::Stage,
    ];

    /// The URL / JSON name.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Email => "email",
            SortKey::Signup => "signup",
            SortKey::LastSeen => "last_seen",
            SortKey::Orders => "orders",
            SortKey::Revenue => "revenue",
            SortKey::Clv => "clv",
            SortKey::Rfm => "rfm",
            SortKey::Stage => "stage",
        }
    }

    pub fn parse(name: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Every customer's row, in store order (index = [`CustomerIx`]).
pub fn member_rows(store: &Store, ctx: &Context) -> Vec<MemberRow> {
    let spec = RfmSpec::default();
    let scores = rfm::scores(store, ctx, &spec, None).unwrap_or_default();
    let stages = current_stages(store, ctx);
    customer_summaries(store, ctx)
        .into_iter()
        .map(|s| {
            let c = s.customer as usize;
            let score = scores.get(c).copied().flatten();
            let rfm_segment = match score {
                Some(score) => score
                    .segment
                    .and_then(|i| spec.segments.get(i))
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| OTHER_SEGMENT.to_owned()),
                None => NO_PURCHASE.to_owned(),
            };
            MemberRow {
                customer: s.customer,
                orders: s.orders,
                revenue: s.revenue,
                last_seen: s.last_seen,
                clv: clv(s.orders, s.revenue, store.customers.created_at[c], ctx.now),
                rfm_segment,
                rfm: score,
                stage: stages.get(c).copied().flatten(),
            }
        })
        .collect()
}

/// DOMAIN.md's CLV for one customer (see the module docs).
pub fn clv(orders: u32, revenue: f64, created_at: i64, now: i64) -> f64 {
    if orders == 0 {
        return 0.0;
    }
    let average_order = revenue / orders as f64;
    let months = ((now - created_at) as f64 / MONTH_SECONDS).max(1.0);
    average_order * (orders as f64 / months) * CLV_MONTHS
}

fn current_stages(store: &Store, ctx: &Context) -> Vec<Option<LifecycleStage>> {
    let mut stages = vec![None; store.customers.len()];
    let spec = LifecycleSpec {
        period: Period::Month,
        periods: 1,
        activity: EventFilter::of(ANY_ACTIVITY),
        breakdown: None,
    };
    let index = ctx.period_index(Period::Month, ctx.now);
    for stage in [
        LifecycleStage::New,
        LifecycleStage::Returning,
        LifecycleStage::Resurrecting,
        LifecycleStage::Dormant,
    ] {
        if let Ok(customers) = lifecycle::stage_customers(store, ctx, &spec, None, index, stage) {
            for c in customers {
                stages[c as usize] = Some(stage);
            }
        }
    }
    stages
}

/// The rows of `members` (everyone when `None`) whose name, email or id contains `needle`
/// (case-insensitive; blank matches all), sorted by `key` (ties: by customer id).
pub fn table<'a>(
    store: &Store,
    rows: &'a [MemberRow],
    members: Option<&CustomerSet>,
    needle: &str,
    key: SortKey,
    descending: bool,
) -> Vec<&'a MemberRow> {
    let needle = needle.trim().to_lowercase();
    let c = &store.customers;
    let mut out: Vec<&MemberRow> = rows
        .iter()
        .filter(|r| members.is_none_or(|m| m.contains(r.customer as usize)))
        .filter(|r| {
            let i = r.customer as usize;
            needle.is_empty()
                || c.names[i].to_lowercase().contains(&needle)
                || c.ids[i].to_lowercase().contains(&needle)
                || c.emails[i]
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(&needle))
        })
        .collect();
    out.sort_by(|a, b| {
        let order = compare(store, a, b, key);
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| c.ids[a.customer as usize].cmp(&c.ids[b.customer as usize]))
    });
    out
}

fn compare(store: &Store, a: &MemberRow, b: &MemberRow, key: SortKey) -> Ordering {
    let c = &store.customers;
    let (i, j) = (a.customer as usize, b.customer as usize);
    match key {
        SortKey::Name => c.names[i].cmp(&c.names[j]),
        SortKey::Email => c.emails[i].cmp(&c.emails[j]),
        SortKey::Signup => c.created_at[i].cmp(&c.created_at[j]),
        SortKey::LastSeen => a.last_seen.cmp(&b.last_seen),
        SortKey::Orders => a.orders.cmp(&b.orders),
        SortKey::Revenue => a.revenue.total_cmp(&b.revenue),
        SortKey::Clv => a.clv.total_cmp(&b.clv),
        SortKey::Rfm => a.rfm_segment.cmp(&b.rfm_segment),
        SortKey::Stage => stage_rank(a.stage).cmp(&stage_rank(b.stage)),
    }
}

fn stage_rank(stage: Option<LifecycleStage>) -> u8 {
    match stage {
        None => 0,
        Some(LifecycleStage::Dormant) => 1,
        Some(LifecycleStage::Resurrecting) => 2,
        Some(LifecycleStage::Returning) => 3,
        Some(LifecycleStage::New) => 4,
    }
}

/// Overlap of two segments: only in A, in both, only in B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub only_a: usize,
    pub both: usize,
    pub only_b: usize,
}

pub fn overlap(a: &CustomerSet, b: &CustomerSet) -> Overlap {
    let both = a.intersection(b).count();
    Overlap {
        only_a: a.count_ones(..) - both,
        both,
        only_b: b.count_ones(..) - both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Zone;

    fn store() -> Store {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = br#"[
            {"id":"c1","name":"Kim","email":"kim@x.kr","created_at":"2026-01-01T00:00:00+09:00"},
            {"id":"c2","name":"Lee","created_at":"2026-02-01T00:00:00+09:00"},
            {"id":"c3","name":"Park","email":"park@y.kr","created_at":"2025-01-01T00:00:00+09:00"}]"#;
        let events = br#"[
            {"customer_id":"c1","type":"purchase","at":"2026-03-02T00:00:00+09:00","value":30000},
            {"customer_id":"c1","type":"purchase","at":"2026-03-20T00:00:00+09:00","value":10000},
            {"customer_id":"c3","type":"visit","at":"2026-03-25T00:00:00+09:00"},
            {"customer_id":"c3","type":"purchase","at":"2025-02-01T00:00:00+09:00","value":5000}]"#;
        Store::from_json(meta, customers, events).expect("store").0
    }

    fn ctx() -> Context {
        // 2026-03-31 00:00 in Seoul.
        Context::new(1_774_882_800, Zone::default())
    }

    #[test]
    fn rows_carry_the_numbers_of_each_customer() {
        let store = store();
        let rows = member_rows(&store, &ctx());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].orders, 2);
        assert_eq!(rows[0].revenue, 40_000.0);
        // 89 days ≈ 2.97 months: 20,000 × (2 / 2.97) × 12.
        let months = (ctx().now - store.customers.created_at[0]) as f64 / MONTH_SECONDS;
        assert!((rows[0].clv - 20_000.0 * 2.0 / months * 12.0).abs() < 1e-6);
        assert_eq!(rows[1].clv, 0.0);
        assert_eq!(rows[1].rfm_segment, NO_PURCHASE);
        assert_ne!(rows[0].rfm_segment, NO_PURCHASE);
        // Active in March, not in February: back after a quiet month.
        assert_eq!(rows[0].stage, Some(LifecycleStage::Resurrecting));
        assert_eq!(rows[2].stage, Some(LifecycleStage::Resurrecting));
        assert_eq!(rows[1].stage, None);
        assert_eq!(clv(1, 10_000.0, 0, 0), 120_000.0, "at least one month");
    }

    #[test]
    fn tables_sort_search_and_filter() {
        let store = store();
        let rows = member_rows(&store, &ctx());
        let ids = |t: Vec<&MemberRow>| -> Vec<String> {
            t.iter()
                .map(|r| store.customers.ids[r.customer as usize].clone())
                .collect()
        };
        assert_eq!(
            ids(table(&store, &rows, None, "", SortKey::Revenue, true)),
            ["c1", "c3", "c2"]
        );
        assert_eq!(
            ids(table(&store, &rows, None, "", SortKey::Name, false)),
            ["c1", "c2", "c3"]
        );
        assert_eq!(
            ids(table(&store, &rows, None, " PARK@", SortKey::Name, false)),
            ["c3"]
        );
        assert_eq!(
            ids(table(&store, &rows, None, "c2", SortKey::Name, false)),
            ["c2"]
        );
        let mut members = CustomerSet::with_capacity(3);
        members.insert(0);
        members.insert(2);
        assert_eq!(
            ids(table(
                &store,
                &rows,
                Some(&members),
                "",
                SortKey::Signup,
                false
            )),
            ["c3", "c1"]
        );
        for key in SortKey::ALL {
            assert_eq!(SortKey::parse(key.name()), Some(key));
            assert_eq!(table(&store, &rows, None, "", key, false).len(), 3);
        }
        let mut other = CustomerSet::with_capacity(3);
        other.insert(1);
        other.insert(2);
        assert_eq!(
            overlap(&members, &other),
            Overlap {
                only_a: 1,
                both: 1,
                only_b: 1
            }
        );
    }
}
