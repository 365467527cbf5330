//! The per-customer purchase summary the BG/NBD and Gamma-Gamma models read, computed exactly as
//! lifetimes' `summary_data_from_transaction_data` (daily frequency, first purchase excluded):
//!
//! - purchases (events of the purchase type at or before the end instant) are grouped by local
//!   calendar day in the query's time zone; purchases on one day are **one** transaction whose
//!   value is the sum of their values (a purchase without a value adds 0; refunds are not
//!   deducted, as in RFM and the average order value);
//! - **frequency** = purchase days − 1 (repeat purchase days);
//! - **recency** = days from the first to the last purchase day;
//! - **T** = days from the first purchase day to the end day;
//! - **monetary value** = mean value of the repeat purchase days (the first day excluded), 0 when
//!   there is no repeat day.
//!
//! Customers without a purchase up to the end are not summarised.

use chrono::Datelike;

use super::super::store::{CustomerIx, EventTypeId, Store};
use super::super::time::Zone;

/// One customer's purchase summary, in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PurchaseSummary {
    pub customer: CustomerIx,
    pub frequency: u32,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: f64,
}

/// A local calendar day as a day number (days since 0001-01-01).
pub fn day_number(zone: &Zone, unix: i64) -> i32 {
    zone.date(unix).num_days_from_ce()
}

/// A customer's purchase days at or before `until`: (day number, summed value), ascending.
pub fn purchase_days(
    store: &Store,
    zone: &Zone,
    purchase: EventTypeId,
    customer: CustomerIx,
    until: i64,
) -> Vec<(i32, f64)> {
    let mut days: Vec<(i32, f64)> = Vec::new();
    for e in store.events.of_customer(customer) {
        let at = store.events.at[e];
        if at > until {
            break;
        }
        if store.events.event_type[e] != purchase {
            continue;
        }
        let day = day_number(zone, at);
        let value = store.events.value_of(e).unwrap_or(0.0);
        match days.last_mut() {
            Some((last, sum)) if *last == day => *sum += value,
            _ => days.push((day, value)),
        }
    }
    days
}

/// The summary of purchase `days` (as [`purchase_days`] returns them, all on or before
/// `end_day`) for a customer, `None` without any purchase.
pub fn summarise(
    customer: CustomerIx,
    days: &[(i32, f64)],
    end_day: i32,
) -> Option<PurchaseSummary> {
    let (&(first, _), &(last, _)) = (days.first()?, days.last()?);
    let repeat = &days[1..];
    let monetary_value = if repeat.is_empty() {
        0.0
    } else {
        repeat.iter().map(|(_, v)| v).sum::<f64>() / repeat.len() as f64
    };
    Some(PurchaseSummary {
        customer,
        frequency: repeat.len() as u32,
        recency: f64::from(last - first),
        t: f64::from(end_day - first),
        monetary_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::Context;

    fn store() -> Store {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = br#"[{"id":"a","name":"a","created_at":"2026-01-01T00:00:00+09:00"},
            {"id":"b","name":"b","created_at":"2026-01-01T00:00:00+09:00"},
            {"id":"c","name":"c","created_at":"2026-01-01T00:00:00+09:00"}]"#;
        // a: two orders on Jan 2 (Seoul), one on Jan 5 at 23:30 Seoul (14:30 UTC, still Jan 5),
        //    a refund, one valueless order on Jan 9, and one after the end.
        // b: one order only. c: only a visit.
        let events = br#"[
            {"id":"1","customer_id":"a","type":"purchase","at":"2026-01-02T10:00:00+09:00","value":1000},
            {"id":"2","customer_id":"a","type":"purchase","at":"2026-01-02T23:59:59+09:00","value":500},
            {"id":"3","customer_id":"a","type":"purchase","at":"2026-01-05T14:30:00Z","value":3000},
            {"id":"4","customer_id":"a","type":"refund","at":"2026-01-06T10:00:00+09:00","value":-3000},
            {"id":"5","customer_id":"a","type":"purchase","at":"2026-01-09T10:00:00+09:00"},
            {"id":"6","customer_id":"a","type":"purchase","at":"2026-01-20T10:00:00+09:00","value":9000},
            {"id":"7","customer_id":"b","type":"purchase","at":"2026-01-03T00:00:00+09:00","value":700},
            {"id":"8","customer_id":"c","type":"visit","at":"2026-01-03T00:00:00+09:00"}
        ]"#;
        Store::from_json(meta, customers, events).expect("valid").0
    }

    #[test]
    fn same_day_orders_merge_and_the_first_day_is_not_repeat_spend() {
        let store = store();
        let zone = Zone::default();
        let end = crate::engine::time::parse_timestamp("2026-01-10T12:00:00+09:00").expect("ts");
        let ctx = Context::new(end, zone);
        let purchase = store.event_type("purchase").expect("type");
        let end_day = day_number(&ctx.zone, end);
        let days = purchase_days(&store, &zone, purchase, 0, end);
        assert_eq!(days.len(), 3, "{days:?}");
        assert_eq!(days[0].1, 1500.0);
        let s = summarise(0, &days, end_day).expect("a bought");
        assert_eq!(s.frequency, 2);
        assert_eq!(s.recency, 7.0); // Jan 2 → Jan 9
        assert_eq!(s.t, 8.0); // Jan 2 → Jan 10
        assert_eq!(s.monetary_value, 1500.0); // (3000 + 0) / 2
        let b = summarise(1, &purchase_days(&store, &zone, purchase, 1, end), end_day).expect("b");
        assert_eq!(
            (b.frequency, b.recency, b.t, b.monetary_value),
            (0, 0.0, 7.0, 0.0)
        );
        assert_eq!(
            summarise(2, &purchase_days(&store, &zone, purchase, 2, end), end_day),
            None
        );
    }

    #[test]
    fn days_are_local_to_the_zone() {
        // In New York, a's 10:00 and 23:59:59 Seoul orders fall on Jan 1 and Jan 2.
        let store = store();
        let zone = Zone::parse("America/New_York").expect("zone");
        let purchase = store.event_type("purchase").expect("type");
        let end = crate::engine::time::parse_timestamp("2026-01-10T12:00:00+09:00").expect("ts");
        let days = purchase_days(&store, &zone, purchase, 0, end);
        assert_eq!(
            days.iter().map(|d| d.1).collect::<Vec<_>>(),
            [1000.0, 500.0, 3000.0, 0.0]
        );
    }
}
