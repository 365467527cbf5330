//! Headline numbers about a dataset: how many customers and events, revenue, who is active,
//! and a per-customer summary (orders, revenue, last activity) that lists and profiles show.

use super::store::{CustomerIx, EventTypeId, Store};
use super::time::{Context, DAY};

/// Event types that are things done *to* a customer, not by them: they never make a customer active.
pub const NON_ACTIVITY_TYPES: [&str; 1] = ["message_sent"];

/// The event type that carries order revenue.
pub const PURCHASE: &str = "purchase";
/// The event type that gives revenue back (negative value).
pub const REFUND: &str = "refund";

/// Which event types count as customer activity.
#[derive(Debug, Clone)]
pub struct ActivityTypes {
    is_activity: Vec<bool>,
}

impl ActivityTypes {
    pub fn of(store: &Store) -> ActivityTypes {
        let is_activity = store
            .event_types
            .names()
            .map(|name| !NON_ACTIVITY_TYPES.contains(&name))
            .collect();
        ActivityTypes { is_activity }
    }

    pub fn contains(&self, event_type: EventTypeId) -> bool {
        self.is_activity
            .get(event_type as usize)
            .copied()
            .unwrap_or(false)
    }
}

/// The numbers in the app's header cards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub customers: usize,
    pub events: usize,
    /// Purchases minus refunds, in the dataset's currency.
    pub revenue: f64,
    /// Customers with any activity in the 30 days up to `now`.
    pub active_30d: usize,
    /// Customers who signed up in the 30 days up to `now`.
    pub new_30d: usize,
}

/// Computes the headline numbers in one pass over the events.
pub fn headline(store: &Store, ctx: &Context) -> Headline {
    let activity = ActivityTypes::of(store);
    let revenue_types = RevenueTypes::of(store);
    let since = ctx.now - 30 * DAY;
    let mut revenue = 0.0;
    let mut active_30d = 0;
    for customer in 0..store.customers.len() as CustomerIx {
        let mut active = false;
        for e in store.events.of_customer(customer) {
            let at = store.events.at[e];
            if at > ctx.now {
                break;
            }
            if let Some(value) = revenue_types.value(store, e) {
                revenue += value;
            }
            if at > since && activity.contains(store.events.event_type[e]) {
                active = true;
            }
        }
        active_30d += usize::from(active);
    }
    let new_30d = store
        .customers
        .created_at
        .iter()
        .filter(|&&t| t > since && t <= ctx.now)
        .count();
    Headline {
        customers: store.customers.len(),
        events: store.events.len(),
        revenue,
        active_30d,
        new_30d,
    }
}

/// The event types that carry revenue, resolved to ids once per analysis rather than compared
/// by name for every event.
#[derive(Debug, Clone, Copy)]
struct RevenueTypes {
    purchase: Option<EventTypeId>,
    refund: Option<EventTypeId>,
}

impl RevenueTypes {
    fn of(store: &Store) -> RevenueTypes {
        RevenueTypes {
            purchase: store.event_type(PURCHASE),
            refund: store.event_type(REFUND),
        }
    }

    /// The revenue event `e` contributes: purchase and refund values.
    fn value(&self, store: &Store, e: usize) -> Option<f64> {
        let event_type = Some(store.events.event_type[e]);
        if event_type == self.purchase || event_type == self.refund {
            store.events.value_of(e)
        } else {
            None
        }
    }
}

/// One customer's key numbers, as member lists show them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerSummary {
    pub customer: CustomerIx,
    pub orders: u32,
    pub revenue: f64,
    /// Unix seconds of the last activity, if any.
    pub last_seen: Option<i64>,
}

/// Summaries of every customer, in store order.
pub fn customer_summaries(store: &Store, ctx: &Context) -> Vec<CustomerSummary> {
    let activity = ActivityTypes::of(store);
    let revenue_types = RevenueTypes::of(store);
    (0..store.customers.len() as CustomerIx)
        .map(|customer| {
            let mut summary = CustomerSummary {
                customer,
                orders: 0,
                revenue: 0.0,
                last_seen: None,
            };
            for e in store.events.of_customer(customer) {
                if store.events.at[e] > ctx.now {
                    break;
                }
                let event_type = store.events.event_type[e];
                if Some(event_type) == revenue_types.purchase {
                    summary.orders += 1;
                }
                if let Some(value) = revenue_types.value(store, e) {
                    summary.revenue += value;
                }
                if activity.contains(event_type) {
                    summary.last_seen = Some(store.events.at[e]);
                }
            }
            summary
        })
        .collect()
}

/// How many events of one type, and how many customers did it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTypeCount {
    pub name: String,
    pub events: usize,
    pub customers: usize,
}

/// Event volume per type, most frequent first.
pub fn event_type_counts(store: &Store) -> Vec<EventTypeCount> {
    let n = store.event_types.len();
    let mut events = vec![0usize; n];
    let mut customers = vec![0usize; n];
    let mut seen = vec![u32::MAX; n];
    for customer in 0..store.customers.len() as CustomerIx {
        for e in store.events.of_customer(customer) {
            let t = store.events.event_type[e] as usize;
            events[t] += 1;
            if seen[t] != customer {
                seen[t] = customer;
                customers[t] += 1;
            }
        }
    }
    let mut counts: Vec<EventTypeCount> = store
        .event_types
        .names()
        .enumerate()
        .map(|(t, name)| EventTypeCount {
            name: name.to_owned(),
            events: events[t],
            customers: customers[t],
        })
        .collect();
    counts.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    counts
}

/// Customers reachable on each channel (consent given), and everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reachability {
    pub all: usize,
    pub email: usize,
    pub sms: usize,
    pub push: usize,
    pub kakao: usize,
}

pub fn reachability(store: &Store) -> Reachability {
    let consent = &store.customers.consent;
    Reachability {
        all: consent.len(),
        email: consent.iter().filter(|c| c.email).count(),
        sms: consent.iter().filter(|c| c.sms).count(),
        push: consent.iter().filter(|c| c.push).count(),
        kakao: consent.iter().filter(|c| c.kakao).count(),
    }
}

/// One month of the dashboard trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    /// First local day of the month.
    pub start: chrono::NaiveDate,
    /// Purchases minus refunds in the month.
    pub revenue: f64,
    /// Customers with any activity in the month.
    pub active: usize,
    /// Customers created in the month.
    pub new: usize,
    /// For the month still running (the one holding `ctx.now`): the local day the figures run
    /// to, so a view can say the month is not over rather than show it as a drop.
    pub through: Option<chrono::NaiveDate>,
}

/// The last `months` calendar months up to `ctx.now` (the current month is still running).
pub fn monthly_trend(store: &Store, ctx: &Context, months: usize) -> Vec<TrendPoint> {
    use super::time::Period;
    let activity = ActivityTypes::of(store);
    let revenue_types = RevenueTypes::of(store);
    let last = ctx.period_index(Period::Month, ctx.now);
    let first = last - months as i64 + 1;
    let slot = |unix: i64| {
        let m = ctx.period_index(Period::Month, unix);
        (first..=last).contains(&m).then(|| (m - first) as usize)
    };
    let mut points: Vec<TrendPoint> = (0..months)
        .map(|i| TrendPoint {
            start: ctx.period_first_day(Period::Month, first + i as i64),
            revenue: 0.0,
            active: 0,
            new: 0,
            through: None,
        })
        .collect();
    if let Some(running) = points.last_mut() {
        running.through = Some(ctx.zone.date(ctx.now));
    }
    let mut seen = vec![u32::MAX; months];
    for customer in 0..store.customers.len() as CustomerIx {
        let created = store.customers.created_at[customer as usize];
        if created <= ctx.now {
            if let Some(i) = slot(created) {
                points[i].new += 1;
            }
        }
        for e in store.events.of_customer(customer) {
            let at = store.events.at[e];
            if at > ctx.now {
                break;
            }
            let Some(i) = slot(at) else { continue };
            if let Some(value) = revenue_types.value(store, e) {
                points[i].revenue += value;
            }
            if activity.contains(store.events.event_type[e]) && seen[i] != customer {
                seen[i] = customer;
                points[i].active += 1;
            }
        }
    }
    points
}

/// Customers by days since their last activity: `counts[i]` is within `bounds[i]` days (and more
/// than `bounds[i - 1]`), then one bucket beyond the last bound, then `never` for no activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecencyBuckets {
    pub bounds: Vec<u32>,
    pub counts: Vec<usize>,
    pub never: usize,
}

pub fn recency_buckets(
    summaries: &[CustomerSummary],
    ctx: &Context,
    bounds: &[u32],
) -> RecencyBuckets {
    let mut counts = vec![0usize; bounds.len() + 1];
    let mut never = 0;
    for summary in summaries {
        let Some(last) = summary.last_seen else {
            never += 1;
            continue;
        };
        let days = (ctx.now - last).max(0) / DAY;
        let bucket = bounds
            .iter()
            .position(|&b| days < b as i64)
            .unwrap_or(bounds.len());
        counts[bucket] += 1;
    }
    RecencyBuckets {
        bounds: bounds.to_vec(),
        counts,
        never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
    const CUSTOMERS: &str = r#"[
        {"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00","consent":{"email":true,"kakao":true}},
        {"id":"b","name":"B","created_at":"2026-03-10T00:00:00+09:00","consent":{"sms":true}},
        {"id":"c","name":"C","created_at":"2026-03-20T00:00:00+09:00"}
    ]"#;
    const EVENTS: &str = r#"[
        {"customer_id":"a","type":"purchase","at":"2026-01-05T10:00:00+09:00","value":50000},
        {"customer_id":"a","type":"refund","at":"2026-01-06T10:00:00+09:00","value":-10000},
        {"customer_id":"a","type":"message_sent","at":"2026-03-25T10:00:00+09:00"},
        {"customer_id":"b","type":"purchase","at":"2026-03-11T10:00:00+09:00","value":20000},
        {"customer_id":"b","type":"visit","at":"2026-03-30T10:00:00+09:00"},
        {"customer_id":"c","type":"visit","at":"2026-04-05T10:00:00+09:00"}
    ]"#;

    fn fixture() -> (Store, Context) {
        let (store, _) = Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), EVENTS.as_bytes())
            .expect("valid");
        let now = parse_timestamp("2026-04-01T00:00:00+09:00").expect("now");
        (store, Context::new(now, Zone::default()))
    }

    #[test]
    fn headline_counts_revenue_net_of_refunds_and_ignores_the_future() {
        let (store, ctx) = fixture();
        let h = headline(&store, &ctx);
        assert_eq!(h.customers, 3);
        assert_eq!(h.events, 6);
        assert_eq!(h.revenue, 60000.0);
        // a only received a message (not activity); c's visit is after `now`.
        assert_eq!(h.active_30d, 1);
        assert_eq!(h.new_30d, 2);
    }

    #[test]
    fn summaries_count_orders_and_last_activity() {
        let (store, ctx) = fixture();
        let s = customer_summaries(&store, &ctx);
        let a = s[store.customers.find("a").expect("a") as usize];
        assert_eq!((a.orders, a.revenue), (1, 40000.0));
        assert_eq!(a.last_seen, parse_timestamp("2026-01-06T10:00:00+09:00"));
        let c = s[store.customers.find("c").expect("c") as usize];
        assert_eq!(c.last_seen, None);
    }

    #[test]
    fn event_types_are_counted_by_events_and_customers() {
        let (store, _) = fixture();
        let counts = event_type_counts(&store);
        let purchase = counts
            .iter()
            .find(|c| c.name == "purchase")
            .expect("purchase");
        assert_eq!((purchase.events, purchase.customers), (2, 2));
        assert_eq!(counts.iter().map(|c| c.events).sum::<usize>(), 6);
        let r = reachability(&store);
        assert_eq!((r.all, r.email, r.sms, r.push, r.kakao), (3, 1, 1, 0, 1));
    }

    #[test]
    fn monthly_trend_counts_each_month() {
        let (store, ctx) = fixture();
        let trend = monthly_trend(&store, &ctx, 3);
        assert_eq!(trend.len(), 3);
        assert_eq!(
            trend[0].start,
            chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("date")
        );
        // March: b bought 20,000 and visited; a only received a message; b and c signed up.
        assert_eq!(trend[1].revenue, 20000.0);
        assert_eq!(trend[1].active, 1);
        assert_eq!(trend[1].new, 2);
        // April has only started: c's visit on the 5th is after `now`.
        assert_eq!((trend[2].active, trend[2].revenue), (0, 0.0));
        assert_eq!(
            trend[2].through,
            chrono::NaiveDate::from_ymd_opt(2026, 4, 1)
        );
        assert_eq!((trend[0].through, trend[1].through), (None, None));
    }

    #[test]
    fn recency_buckets_split_at_bounds() {
        let (store, ctx) = fixture();
        let summaries = customer_summaries(&store, &ctx);
        let buckets = recency_buckets(&summaries, &ctx, &[14, 30, 90]);
        // b: 2 days ago; a: 85 days ago (its message does not count); c: nothing before now.
        assert_eq!(buckets.counts, vec![1, 0, 1, 0]);
        assert_eq!(buckets.never, 1);
    }
}
