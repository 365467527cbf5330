//! Cohort retention: of the customers who started in period r, how many came back in period r + k.
//!
//! This is the signup-cohort form (cohort = calendar period of `created_at`, return = any activity,
//! counted "on" period k): cell (r, 0) is the cohort size, as DOMAIN.md defines it.

use chrono::NaiveDate;

use super::overview::ActivityTypes;
use super::store::{CustomerIx, Store};
use super::time::{Context, Period};

/// One cohort row.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRow {
    /// First local day of the cohort's period.
    pub start: NaiveDate,
    pub size: usize,
    /// `returned[k]`: customers active in period r + k (`returned[0] == size`). Periods that have
    /// not started yet are absent, so rows of later cohorts are shorter.
    pub returned: Vec<usize>,
    /// Whether period r + k has ended (an incomplete cell may still grow).
    pub complete: Vec<bool>,
}

impl CohortRow {
    /// Share of the cohort counted in period `k`; `None` if the period has not started.
    pub fn rate(&self, k: usize) -> Option<f64> {
        let returned = *self.returned.get(k)?;
        (self.size > 0).then(|| returned as f64 / self.size as f64)
    }
}

/// A retention matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    pub period: Period,
    pub rows: Vec<CohortRow>,
    /// Number of periods after the cohort's own (columns are 0 ..= periods).
    pub periods: usize,
}

/// Signup cohorts of the last `cohorts` periods up to `ctx.now`, with `periods` periods each.
pub fn signup_retention(
    store: &Store,
    ctx: &Context,
    period: Period,
    cohorts: usize,
    periods: usize,
) -> Retention {
    let activity = ActivityTypes::of(store);
    let now_index = ctx.period_index(period, ctx.now);
    let first_cohort = now_index - cohorts as i64 + 1;
    let mut counts: Vec<Vec<usize>> = vec![vec![0; periods + 1]; cohorts];
    let mut sizes = vec![0usize; cohorts];
    let mut seen = vec![i64::MIN; periods + 1];

    for customer in 0..store.customers.len() as CustomerIx {
        let created = store.customers.created_at[customer as usize];
        if created > ctx.now {
            continue;
        }
        let cohort = ctx.period_index(period, created);
        if cohort < first_cohort {
            continue;
        }
        let row = (cohort - first_cohort) as usize;
        sizes[row] += 1;
        seen.fill(i64::MIN);
        for e in store.events.of_customer(customer) {
            let at = store.events.at[e];
            if at > ctx.now || at < created || !activity.contains(store.events.event_type[e]) {
                continue;
            }
            let k = ctx.period_index(period, at) - cohort;
            if (1..=periods as i64).contains(&k) && seen[k as usize] != customer as i64 {
                seen[k as usize] = customer as i64;
                counts[row][k as usize] += 1;
            }
        }
    }

    let rows = (0..cohorts)
        .map(|row| {
            let index = first_cohort + row as i64;
            let started = ((now_index - index) as usize).min(periods);
            let mut returned: Vec<usize> = counts[row][..=started].to_vec();
            returned[0] = sizes[row];
            CohortRow {
                start: ctx.period_first_day(period, index),
                size: sizes[row],
                complete: (0..=started)
                    .map(|k| index + (k as i64) < now_index)
                    .collect(),
                returned,
            }
        })
        .collect();
    Retention {
        period,
        rows,
        periods,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;

    #[test]
    fn cells_count_customers_active_in_each_later_month() {
        let customers = r#"[
            {"id":"a","name":"A","created_at":"2026-01-10T00:00:00+09:00"},
            {"id":"b","name":"B","created_at":"2026-01-31T23:59:59+09:00"},
            {"id":"c","name":"C","created_at":"2026-02-01T00:00:00+09:00"}
        ]"#;
        // b's visit at 00:00 on Feb 1 in Seoul is still Jan 31 in UTC: calendar periods follow the zone.
        let events = r#"[
            {"customer_id":"a","type":"visit","at":"2026-02-03T10:00:00+09:00"},
            {"customer_id":"a","type":"visit","at":"2026-02-04T10:00:00+09:00"},
            {"customer_id":"a","type":"message_sent","at":"2026-03-04T10:00:00+09:00"},
            {"customer_id":"b","type":"visit","at":"2026-02-01T00:00:00+09:00"},
            {"customer_id":"b","type":"purchase","at":"2026-03-15T10:00:00+09:00","value":1000},
            {"customer_id":"c","type":"visit","at":"2026-03-01T00:00:00+09:00"}
        ]"#;
        let (store, _) = Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid");
        let now = parse_timestamp("2026-03-20T00:00:00+09:00").expect("now");
        let ctx = Context::new(now, Zone::default());
        let r = signup_retention(&store, &ctx, Period::Month, 3, 4);
        assert_eq!(r.rows.len(), 3);
        let jan = &r.rows[0];
        assert_eq!(
            jan.start,
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
        );
        // Month 0 is the cohort size; month 1 = Feb (a, b); month 2 = March (b; a only got a message).
        assert_eq!(jan.returned, vec![2, 2, 1]);
        assert_eq!(jan.complete, vec![true, true, false]);
        assert_eq!(jan.rate(1), Some(1.0));
        assert_eq!(jan.rate(3), None);
        let feb = &r.rows[1];
        assert_eq!(feb.returned, vec![1, 1]);
        let mar = &r.rows[2];
        assert_eq!((mar.size, mar.returned.len()), (0, 1));
        assert_eq!(mar.rate(0), None, "an empty cohort has no rate");
    }
}
