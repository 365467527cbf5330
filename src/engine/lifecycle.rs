//! Lifecycle: per calendar period, how many customers are new, returning, resurrecting or
//! dormant, with PostHog's definitions (DOMAIN.md, "Lifecycle").
//!
//! # Semantics
//!
//! These rules are exact, because an SQL reimplementation is tested against them.
//!
//! * **Periods** are calendar days, weeks (starting on `ctx.week_start`) or months in the
//!   report's zone, numbered as [`Context::period_index`]. The report covers the `periods`
//!   periods ending with the one containing `ctx.now`; that last one is marked incomplete.
//! * **Customers** in the population with `created_at <= ctx.now` (customers signing up later do
//!   not exist yet as of "now"). Their *creation period* is the period of `created_at`.
//! * **Active in p**: at least one event matching `activity` (default: any activity, i.e. every
//!   type but `message_sent`) with `at <= ctx.now` in period p. Events before `created_at` count
//!   as activity too (imported history).
//! * **Stages** of a customer in period p, first rule that applies:
//!   1. active in p and p is the creation period → `new`;
//!   2. active in p and active in p − 1 → `returning`;
//!   3. active in p (so not in p − 1) → `resurrecting`: this includes a first activity after the
//!      creation period;
//!   4. not active in p but active in p − 1 → `dormant`.
//!
//!   Otherwise the customer has no stage in p. The first reported period looks at the period
//!   before it for rules 2–4.
//! * **Counts** are customers per stage, all positive; charts draw `dormant` below the axis.
//!   Breakdown groups (possibly overlapping) get the same counts over their members.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::filter::{EventFilter, EventMatcher, ANY_ACTIVITY};
use super::funnel::FilterMasks;
use super::population::{includes, Breakdown, CustomerSet, Groups};
use super::query::QueryError;
use super::store::{CustomerIx, Store};
use super::time::{Context, Period};

/// The most periods a lifecycle report may cover.
pub const MAX_PERIODS: usize = 1_000;

/// A lifecycle query.
///
/// ```json
/// {"period": "month", "periods": 6, "activity": {"event": "purchase"}}
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "snake_case")]
pub struct LifecycleSpec {
    /// Default: week.
    #[serde(default = "default_period")]
    pub period: Period,
    /// How many periods up to now, 1 ..= [`MAX_PERIODS`] (default 12).
    #[serde(default = "default_periods")]
    pub periods: usize,
    /// What counts as being active (default: any activity).
    #[serde(default = "default_activity")]
    pub activity: EventFilter,
    /// Resolved into `groups` by the caller of [`run`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
}

fn default_period() -> Period {
    Period::Week
}

fn default_periods() -> usize {
    12
}

fn default_activity() -> EventFilter {
    EventFilter::of(ANY_ACTIVITY)
}

/// A customer's stage in one period.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    New,
    Returning,
    Resurrecting,
    Dormant,
}

/// Lifecycle counts per period, oldest first.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct LifecycleResult {
    pub period: Period,
    pub periods: Vec<LifecyclePeriod>,
    /// The same per breakdown group, in the groups' order (empty without a breakdown).
    pub groups: Vec<LifecycleGroup>,
}

/// One breakdown group's periods.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct LifecycleGroup {
    pub label: String,
    pub periods: Vec<LifecyclePeriod>,
}

/// Stage counts of one period.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct LifecyclePeriod {
    /// The period number ([`Context::period_index`]), as [`stage_customers`] takes it.
    pub index: i64,
    /// First local day of the period.
    pub start: NaiveDate,
    /// False for the period containing now, which may still change.
    pub complete: bool,
    pub new: usize,
    pub returning: usize,
    pub resurrecting: usize,
    /// Customers who went quiet: a positive count, drawn negative.
    pub dormant: usize,
}

impl LifecyclePeriod {
    fn add(&mut self, stage: LifecycleStage) {
        match stage {
            LifecycleStage::New => self.new += 1,
            LifecycleStage::Returning => self.returning += 1,
            LifecycleStage::Resurrecting => self.resurrecting += 1,
            LifecycleStage::Dormant => self.dormant += 1,
        }
    }
}

/// Counts the stages of the customers of `population` in each period, per group of `groups`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &LifecycleSpec,
    population: Option<&CustomerSet>,
    groups: Option<&Groups>,
) -> Result<LifecycleResult, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let empty_periods: Vec<LifecyclePeriod> = (0..spec.periods)
        .map(|i| {
            let index = plan.first + i as i64;
            LifecyclePeriod {
                index,
                start: ctx.period_first_day(spec.period, index),
                complete: index < plan.current,
                new: 0,
                returning: 0,
                resurrecting: 0,
                dormant: 0,
            }
        })
        .collect();
    let mut overall = empty_periods.clone();
    let mut per_group: Vec<Vec<LifecyclePeriod>> = groups
        .map(|g| vec![empty_periods.clone(); g.len()])
        .unwrap_or_default();
    let mut active = Vec::new();
    for customer in 0..store.customers.len() as CustomerIx {
        if !includes(population, customer) || !plan.load(store, customer, &mut active) {
            continue;
        }
        let creation = plan.creation_period(store, customer);
        for i in 0..spec.periods {
            let Some(stage) = plan.stage(&active, i, creation) else {
                continue;
            };
            overall[i].add(stage);
            if let Some(groups) = groups {
                for group in groups.of(customer) {
                    per_group[group][i].add(stage);
                }
            }
        }
    }
    Ok(LifecycleResult {
        period: spec.period,
        periods: overall,
        groups: groups
            .map(|g| {
                g.labels
                    .iter()
                    .zip(per_group)
                    .map(|(label, periods)| LifecycleGroup {
                        label: label.clone(),
                        periods,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The customers (ascending) in `stage` during period number `period_index` (one of the report's
/// periods, as in [`LifecyclePeriod::index`]).
pub fn stage_customers(
    store: &Store,
    ctx: &Context,
    spec: &LifecycleSpec,
    population: Option<&CustomerSet>,
    period_index: i64,
    stage: LifecycleStage,
) -> Result<Vec<CustomerIx>, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    if !(plan.first..=plan.current).contains(&period_index) {
        return Err(QueryError::invalid(
            "period_index",
            format!(
                "the report covers periods {} to {}",
                plan.first, plan.current
            ),
        ));
    }
    let i = (period_index - plan.first) as usize;
    let mut active = Vec::new();
    let mut customers = Vec::new();
    for customer in 0..store.customers.len() as CustomerIx {
        if !includes(population, customer) || !plan.load(store, customer, &mut active) {
            continue;
        }
        let creation = plan.creation_period(store, customer);
        if plan.stage(&active, i, creation) == Some(stage) {
            customers.push(customer);
        }
    }
    Ok(customers)
}

/// A validated spec compiled against the store.
struct Plan {
    /// Bit 0: the event counts as activity.
    activity: FilterMasks,
    periods: usize,
    /// Number of the first reported period.
    first: i64,
    /// Number of the period containing now.
    current: i64,
    /// Unix start of each period from `first − 1` to `current + 1`: one more than the periods
    /// looked at, so slot j covers `starts[j] <= t < starts[j + 1]`. Finding an event's period
    /// among these is cheaper than a calendar conversion per event.
    starts: Vec<i64>,
    now: i64,
}

impl Plan {
    fn new(store: &Store, ctx: &Context, spec: &LifecycleSpec) -> Result<Plan, QueryError> {
        if !(1..=MAX_PERIODS).contains(&spec.periods) {
            return Err(QueryError::invalid(
                "periods",
                format!("report 1 to {MAX_PERIODS} periods"),
            ));
        }
        if spec.activity.event.trim().is_empty() {
            return Err(QueryError::invalid("activity.event", "name an event type"));
        }
        let calendar = Calendar::covering(ctx, ctx.now, ctx.now);
        let current = calendar.period(spec.period, ctx.now);
        let first = current - spec.periods as i64 + 1;
        let starts = (first - 1..=current + 1)
            .map(|index| calendar.period_start(spec.period, index))
            .collect();
        Ok(Plan {
            activity: FilterMasks::new(store, vec![EventMatcher::new(store, &spec.activity)]),
            periods: spec.periods,
            first,
            current,
            starts,
            now: ctx.now,
        })
    }

    /// The slot (`j` for period `first − 1 + j`) of a time from `starts[0]` up to now.
    #[inline(always)]
    fn slot(&self, at: i64) -> usize {
        self.starts.partition_point(|&start| start <= at) - 1
    }

    /// Fills `active[j]` (period `first − 1 + j`, for j in 0 ..= periods) for `customer`; false if
    /// the customer does not exist yet as of now.
    fn load(&self, store: &Store, customer: CustomerIx, active: &mut Vec<bool>) -> bool {
        if store.customers.created_at[customer as usize] > self.now {
            return false;
        }
        active.clear();
        active.resize(self.periods + 1, false);
        let range = store.events.of_customer(customer);
        let times = &store.events.at[range.clone()];
        // Events are in time order: skip those before the earliest period looked at in one search.
        let skipped = times.partition_point(|&at| at < self.starts[0]);
        let first = range.start + skipped;
        let types = &store.events.event_type[first..range.end];
        for (offset, (&at, &event_type)) in times[skipped..].iter().zip(types).enumerate() {
            if at > self.now {
                break;
            }
            if self.activity.mask(store, first + offset, event_type) != 0 {
                active[self.slot(at)] = true;
            }
        }
        true
    }

    /// The reported period index (0 = oldest) the customer was created in, if it is one of them.
    fn creation_period(&self, store: &Store, customer: CustomerIx) -> Option<usize> {
        let created = store.customers.created_at[customer as usize];
        if created < self.starts[1] {
            return None;
        }
        // Customers created after now were skipped, so the slot is at most `periods`.
        Some(self.slot(created) - 1)
    }

    /// The stage in reported period `i` (0 = oldest) given the loaded activity.
    fn stage(&self, active: &[bool], i: usize, creation: Option<usize>) -> Option<LifecycleStage> {
        let (before, now) = (active[i], active[i + 1]);
        match (now, before) {
            (true, _) if creation == Some(i) => Some(LifecycleStage::New),
            (true, true) => Some(LifecycleStage::Returning),
            (true, false) => Some(LifecycleStage::Resurrecting),
            (false, true) => Some(LifecycleStage::Dormant),
            (false, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::funnel::tests::{base, context_at, groups_of, store_of};
    use crate::engine::population::everyone;
    use crate::engine::time::{parse_timestamp, WeekStart, DAY};

    const WEEK: i64 = 7 * DAY;

    fn spec(period: Period, periods: usize) -> LifecycleSpec {
        LifecycleSpec {
            period,
            periods,
            activity: EventFilter::of(ANY_ACTIVITY),
            breakdown: None,
        }
    }

    /// (new, returning, resurrecting, dormant) per period.
    fn stages(periods: &[LifecyclePeriod]) -> Vec<(usize, usize, usize, usize)> {
        periods
            .iter()
            .map(|p| (p.new, p.returning, p.resurrecting, p.dormant))
            .collect()
    }

    #[test]
    fn weeks_split_at_local_monday_midnight() {
        // The base is Monday 00:00 in Seoul; one second earlier is still Sunday, last week.
        let store = store_of(
            &[("a", -30 * DAY), ("b", -30 * DAY)],
            &[("a", "visit", -1), ("b", "visit", 0)],
        );
        let ctx = context_at(3 * DAY);
        let result = run(&store, &ctx, &spec(Period::Week, 2), None, None).expect("runs");
        assert_eq!(stages(&result.periods), vec![(0, 0, 1, 0), (0, 0, 1, 1)]);
        let starts: Vec<String> = result.periods.iter().map(|p| p.start.to_string()).collect();
        assert_eq!(starts, ["2026-02-23", "2026-03-02"]);
        assert_eq!(
            result
                .periods
                .iter()
                .map(|p| p.complete)
                .collect::<Vec<_>>(),
            vec![true, false]
        );
        // Weeks starting on Sunday put both visits in the week of Sunday 1 March.
        let sunday = Context {
            week_start: WeekStart::Sunday,
            ..ctx
        };
        let result = run(&store, &sunday, &spec(Period::Week, 2), None, None).expect("runs");
        assert_eq!(stages(&result.periods), vec![(0, 0, 0, 0), (0, 0, 2, 0)]);
        assert_eq!(result.periods[1].start.to_string(), "2026-03-01");
    }

    #[test]
    fn months_split_at_local_midnight_of_the_first() {
        // 1 March 00:00 in Seoul is still 28 February in UTC.
        let march = parse_timestamp("2026-03-01T00:00:00+09:00").expect("t") - base();
        let store = store_of(
            &[("a", -60 * DAY), ("b", -60 * DAY)],
            &[("a", "visit", march - 1), ("b", "visit", march)],
        );
        let result =
            run(&store, &context_at(0), &spec(Period::Month, 2), None, None).expect("runs");
        assert_eq!(stages(&result.periods), vec![(0, 0, 1, 0), (0, 0, 1, 1)]);
        assert_eq!(result.periods[0].start.to_string(), "2026-02-01");
    }

    /// Weeks -2, -1 and 0 (the current one, now = base + 3 days).
    fn cast() -> Store {
        store_of(
            &[
                ("new", 0),
                ("late", -2 * WEEK),
                ("steady", -5 * WEEK),
                ("quiet", -5 * WEEK),
                ("idle", 60),
                ("back", -5 * WEEK),
                ("future", 10 * DAY),
            ],
            &[
                ("new", "visit", DAY),
                ("late", "visit", DAY),
                ("steady", "visit", -WEEK),
                ("steady", "purchase", DAY),
                ("quiet", "visit", -WEEK),
                ("quiet", "message_sent", DAY),
                ("back", "visit", -3 * WEEK),
                ("back", "visit", DAY),
                ("back", "visit", 5 * DAY),
                ("future", "visit", DAY),
            ],
        )
    }

    #[test]
    fn new_returning_resurrecting_and_dormant() {
        let store = cast();
        let ctx = context_at(3 * DAY);
        let result = run(&store, &ctx, &spec(Period::Week, 3), None, None).expect("runs");
        // Week -2: back went dormant after week -3. Week -1: steady and quiet resurrect.
        // Week 0: new is new; late's first visit comes after its signup week; steady returns;
        // quiet only got a message (dormant); back resurrects (its visit at day 5 is in the future);
        // future signs up after now; idle signed up but did nothing.
        assert_eq!(
            stages(&result.periods),
            vec![(0, 0, 0, 1), (0, 0, 2, 0), (1, 1, 2, 1)]
        );
        let list = |index: i64, stage| {
            stage_customers(&store, &ctx, &spec(Period::Week, 3), None, index, stage)
        };
        let current = result.periods[2].index;
        assert_eq!(list(current, LifecycleStage::New), Ok(vec![0]));
        assert_eq!(list(current, LifecycleStage::Resurrecting), Ok(vec![1, 5]));
        assert_eq!(list(current, LifecycleStage::Returning), Ok(vec![2]));
        assert_eq!(list(current, LifecycleStage::Dormant), Ok(vec![3]));
        assert_eq!(list(current - 2, LifecycleStage::Dormant), Ok(vec![5]));
        assert_eq!(
            list(current + 1, LifecycleStage::New).map_err(|e| e.path),
            Err("period_index".to_owned())
        );
        assert_eq!(
            list(current - 3, LifecycleStage::New).map_err(|e| e.path),
            Err("period_index".to_owned())
        );
    }

    #[test]
    fn activity_filter_breakdown_and_population() {
        let store = cast();
        let ctx = context_at(3 * DAY);
        let mut purchases = spec(Period::Week, 3);
        purchases.activity = EventFilter::of("purchase");
        let result = run(&store, &ctx, &purchases, None, None).expect("runs");
        assert_eq!(
            stages(&result.periods),
            vec![(0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 1, 0)]
        );
        let groups = groups_of(&store, &[("early", &[2, 3, 5]), ("fresh", &[0, 1])]);
        let result = run(&store, &ctx, &spec(Period::Week, 3), None, Some(&groups)).expect("runs");
        assert_eq!(result.groups[0].label, "early");
        assert_eq!(
            stages(&result.groups[0].periods),
            vec![(0, 0, 0, 1), (0, 0, 2, 0), (0, 1, 1, 1)]
        );
        assert_eq!(
            stages(&result.groups[1].periods),
            vec![(0, 0, 0, 0), (0, 0, 0, 0), (1, 0, 1, 0)]
        );
        let mut population = everyone(&store);
        population.set(0, false);
        let result = run(
            &store,
            &ctx,
            &spec(Period::Week, 3),
            Some(&population),
            None,
        )
        .expect("runs");
        assert_eq!(result.periods[2].new, 0);
    }

    #[test]
    fn days_count_back_from_today() {
        let store = store_of(&[("a", 0)], &[("a", "visit", 0), ("a", "visit", DAY + 5)]);
        let result = run(
            &store,
            &context_at(2 * DAY + 5),
            &spec(Period::Day, 4),
            None,
            None,
        )
        .expect("runs");
        // Day -1: nothing; day 0: signup day; day 1: returning; day 2 (today): dormant.
        assert_eq!(
            stages(&result.periods),
            vec![(0, 0, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1)]
        );
    }

    #[test]
    fn period_slots_agree_with_the_calendar_across_dst() {
        let store = store_of(&[], &[]);
        for zone in ["Europe/Berlin", "America/New_York", "Asia/Seoul"] {
            for week_start in [WeekStart::Monday, WeekStart::Sunday] {
                let ctx = Context {
                    now: parse_timestamp("2026-11-10T12:00:00Z").expect("t"),
                    zone: crate::engine::time::Zone::parse(zone).expect("zone"),
                    week_start,
                };
                for (period, periods) in
                    [(Period::Day, 60), (Period::Week, 40), (Period::Month, 14)]
                {
                    let plan = Plan::new(&store, &ctx, &spec(period, periods)).expect("valid");
                    let mut t = plan.starts[0];
                    while t <= ctx.now {
                        let slot = plan.slot(t) as i64;
                        assert_eq!(
                            plan.first - 1 + slot,
                            ctx.period_index(period, t),
                            "{zone} {week_start:?} {period:?} at {t}"
                        );
                        t += 1_200;
                    }
                }
            }
        }
    }

    #[test]
    fn empty_data_and_invalid_specs() {
        let empty = store_of(&[], &[]);
        let result =
            run(&empty, &context_at(0), &spec(Period::Month, 12), None, None).expect("runs");
        assert_eq!(result.periods.len(), 12);
        assert!(stages(&result.periods).iter().all(|s| *s == (0, 0, 0, 0)));
        let error_path = |spec: &LifecycleSpec| {
            run(&empty, &context_at(0), spec, None, None)
                .expect_err("invalid")
                .path
        };
        assert_eq!(error_path(&spec(Period::Week, 0)), "periods");
        assert_eq!(error_path(&spec(Period::Week, MAX_PERIODS + 1)), "periods");
        let mut nameless = spec(Period::Week, 3);
        nameless.activity = EventFilter::of("");
        assert_eq!(error_path(&nameless), "activity.event");
    }

    #[test]
    fn specs_read_json_with_defaults() {
        let spec: LifecycleSpec = serde_json::from_str("{}").expect("valid");
        assert_eq!((spec.period, spec.periods), (Period::Week, 12));
        assert_eq!(spec.activity, EventFilter::of(ANY_ACTIVITY));
        let spec: LifecycleSpec = serde_json::from_str(
            r#"{"period":"month","periods":6,"breakdown":{"by":"attribute","attribute":"plan"}}"#,
        )
        .expect("valid");
        let back: LifecycleSpec =
            serde_json::from_str(&serde_json::to_string(&spec).expect("json")).expect("valid");
        assert_eq!(back, spec);
        let result = run(&cast(), &context_at(0), &spec, None, None).expect("runs");
        let json = serde_json::to_value(&result).expect("json");
        assert_eq!(json["periods"][5]["complete"], false);
        assert_eq!(json["period"], "month");
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) mod properties {
        use super::*;
        use crate::engine::funnel::tests::properties::dataset;
        use proptest::prelude::*;

        /// The documented rules with a calendar conversion per event: (new, returning, resurrecting,
        /// dormant) per reported period.
        fn reference(
            store: &Store,
            ctx: &Context,
            spec: &LifecycleSpec,
        ) -> Vec<(usize, usize, usize, usize)> {
            let activity = EventMatcher::new(store, &spec.activity);
            let current = ctx.period_index(spec.period, ctx.now);
            let first = current - spec.periods as i64 + 1;
            let mut counts = vec![(0, 0, 0, 0); spec.periods];
            for customer in 0..store.customers.len() as CustomerIx {
                let created = store.customers.created_at[customer as usize];
                if created > ctx.now {
                    continue;
                }
                let creation = ctx.period_index(spec.period, created);
                let active: std::collections::BTreeSet<i64> = store
                    .events
                    .of_customer(customer)
                    .filter(|&e| store.events.at[e] <= ctx.now && activity.matches(store, e))
                    .map(|e| ctx.period_index(spec.period, store.events.at[e]))
                    .collect();
                for (i, count) in counts.iter_mut().enumerate() {
                    let p = first + i as i64;
                    match (active.contains(&p), active.contains(&(p - 1))) {
                        (true, _) if p == creation => count.0 += 1,
                        (true, true) => count.1 += 1,
                        (true, false) => count.2 += 1,
                        (false, true) => count.3 += 1,
                        (false, false) => {}
                    }
                }
            }
            counts
        }

        proptest! {
            #[test]
            fn counts_match_a_calendar_conversion_per_event(
                store in dataset(),
                period in prop::sample::select(vec![Period::Day, Period::Week, Period::Month]),
                sunday in any::<bool>(),
                periods in 1usize..8,
                now in -2 * DAY..4 * DAY,
            ) {
                let mut ctx = context_at(now);
                if sunday {
                    ctx.week_start = WeekStart::Sunday;
                }
                let spec = spec(period, periods);
                let result = run(&store, &ctx, &spec, None, None).expect("valid");
                prop_assert_eq!(stages(&result.periods), reference(&store, &ctx, &spec));
            }

            #[test]
            fn random_lifecycles_never_panic_and_lists_match_counts(
                store in dataset(),
                period in prop::sample::select(vec![Period::Day, Period::Week, Period::Month]),
                periods in 0usize..6,
                now in -2 * DAY..4 * DAY,
            ) {
                let ctx = context_at(now);
                let spec = spec(period, periods);
                if let Ok(result) = run(&store, &ctx, &spec, None, None) {
                    prop_assert_eq!(result.periods.len(), periods);
                    for p in &result.periods {
                        prop_assert!(p.new + p.returning + p.resurrecting + p.dormant <= store.customers.len());
                        let list = |stage| stage_customers(&store, &ctx, &spec, None, p.index, stage).expect("valid").len();
                        prop_assert_eq!(list(LifecycleStage::New), p.new);
                        prop_assert_eq!(list(LifecycleStage::Returning), p.returning);
                        prop_assert_eq!(list(LifecycleStage::Resurrecting), p.resurrecting);
                        prop_assert_eq!(list(LifecycleStage::Dormant), p.dormant);
                    }
                }
            }
        }
    }
}
