//! Funnels: how many customers get from a first event through a series of later ones within a
//! conversion window, and how long the full conversion takes (DOMAIN.md, "Paths and funnels").
//!
//! # Semantics
//!
//! These rules are exact, because an SQL reimplementation is tested against them.
//!
//! * **Events looked at.** A customer's events with `at <= ctx.now`, in the store's order: by
//!   time, then by arrival. "After" below means later in that order, so two events in the same
//!   second are ordered by arrival. One event fills at most one step of an attempt in the
//!   `ordered` and `strict` modes.
//! * **Attempts.** An attempt starts at an *entry event*: an event matching step 1 (`ordered`,
//!   `strict`) or matching any step (`any_order`), with `from <= at < to` when `from` / `to` are
//!   given (RFC 3339 or `YYYY-MM-DD` as local midnight). Only the entry is limited by the range;
//!   later steps need only fall within the window. Every later step event must have
//!   `at <= entry.at + window`: an event exactly at the end of the window counts.
//! * **`ordered`** (default): from the entry, step k + 1 is the first event after the event of
//!   step k that matches step k + 1's filter; other events may come in between. The attempt
//!   reaches the steps filled before the first step that cannot be filled (none left, or the
//!   first candidate lies beyond the window). Taking the earliest candidate is optimal, so this
//!   is the furthest step reachable from that entry.
//! * **`strict`**: step k + 1 must be the customer's *very next* event after step k's event, among
//!   the events that are activity (every type but `message_sent`) or match any step. A message
//!   sent in between therefore does not break a strict funnel, but any other activity does.
//! * **`any_order`**: the attempt reaches as many steps as have at least one matching event with
//!   `entry.at <= at <= entry.at + window` (compared by time, so events in the entry's second
//!   that arrived before it count). An event matching several step filters counts for each of
//!   them. Customers "at step k" in this mode are those who completed at least k of the steps,
//!   whichever they were.
//! * **Counting.** A customer's result is their best attempt: the most steps reached. The
//!   customer counts once at every step up to that one (so counts never increase along the
//!   steps). `dropped` at step k = customers at step k − 1 minus customers at step k.
//! * **Time to convert.** An attempt that reaches the last step completes at the earliest time it
//!   can: `ordered`, the last event of the earliest-candidate chain above; `strict`, its last
//!   step's event; `any_order`, the latest of the steps' earliest matching events in the window.
//!   A converted customer's time is taken from the complete attempt that completes earliest
//!   (ties: the earlier entry), as `completion − entry.at` in seconds. The median is over
//!   customers, as SQL's `median`: the middle value, or the mean of the two middle values.
//!   Histogram buckets start at 0, 1 min, 10 min, 1 h, 6 h, 1 d, 3 d, 7 d, 14 d and 30 d (each
//!   up to the next start, exclusive); only buckets starting at or before the window are listed.
//! * **Population and breakdown.** Only customers in the population count. Each breakdown group
//!   gets the same figures over its members (groups may overlap).

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, EventMatcher, ANY_ACTIVITY};
use super::population::{includes, Breakdown, CustomerSet, Groups};
use super::query::QueryError;
use super::segment_rule::Span;
use super::store::{CustomerIx, EventTypeId, Store};
use super::time::{parse_date_or_timestamp, Context};

/// The most steps a funnel may have (step matches are kept as bits of a `u32`).
pub const MAX_STEPS: usize = 20;

/// A funnel query.
///
/// ```json
/// {"steps": [{"event": "visit"}, {"event": "cart_add"}, {"event": "purchase"}],
///  "window": {"days": 7}, "mode": "ordered", "from": "2026-05-01", "to": "2026-06-01"}
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "snake_case")]
pub struct FunnelSpec {
    /// At least two steps.
    pub steps: Vec<EventFilter>,
    /// The conversion window after the entry event (default 14 days; must not be zero).
    #[serde(default = "default_window")]
    pub window: Span,
    #[serde(default)]
    pub mode: FunnelMode,
    /// Earliest entry time, inclusive (RFC 3339, or `YYYY-MM-DD` as local midnight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Entry times before this one (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Resolved into `groups` by the caller of [`run`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
}

fn default_window() -> Span {
    Span::days(14)
}

/// How later steps must follow the entry (see the module documentation).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FunnelMode {
    /// Each step after the previous one, other events allowed in between.
    #[default]
    Ordered,
    /// Each step the very next activity (or step) event after the previous one.
    Strict,
    /// All steps within the window, in any order.
    AnyOrder,
}

/// A funnel's figures for all customers or one breakdown group.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FunnelResult {
    pub mode: FunnelMode,
    #[serde(flatten)]
    pub totals: FunnelTotals,
    /// The same figures per breakdown group, in the groups' order (empty without a breakdown).
    pub groups: Vec<FunnelGroup>,
}

/// Per-step counts and conversion times of one population.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FunnelTotals {
    pub steps: Vec<FunnelStep>,
    /// Median seconds from entry to the last step over converted customers; `None` if nobody
    /// converted.
    pub median_seconds_to_convert: Option<f64>,
    /// Converted customers by time to convert, from the shortest bucket up to the one holding
    /// the window's length.
    pub time_to_convert: Vec<TimeBucket>,
}

/// One breakdown group's figures.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FunnelGroup {
    pub label: String,
    #[serde(flatten)]
    pub totals: FunnelTotals,
}

/// One step of a funnel.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FunnelStep {
    /// The step's event type (or `$activity` / `$any`).
    pub label: String,
    /// Customers whose best attempt reached this step.
    pub customers: usize,
    /// `customers / customers of step 1` (0 when nobody entered).
    pub conversion_from_start: f64,
    /// `customers / customers of the previous step` (step 1: same as from start).
    pub conversion_from_previous: f64,
    /// Customers of the previous step who did not reach this one (0 for step 1).
    pub dropped: usize,
}

/// Converted customers whose time to convert is `min_seconds <= t < max_seconds`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TimeBucket {
    pub min_seconds: i64,
    /// Exclusive; `None` for the open last bucket.
    pub max_seconds: Option<i64>,
    pub customers: usize,
}

/// Lower bounds of the time-to-convert buckets: 0, 1 min, 10 min, 1 h, 6 h, 1 d, 3 d, 7 d, 14 d, 30 d.
const BUCKET_STARTS: [i64; 10] = [
    0, 60, 600, 3_600, 21_600, 86_400, 259_200, 604_800, 1_209_600, 2_592_000,
];

/// Runs a funnel over the customers of `population`, with figures per group of `groups`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &FunnelSpec,
    population: Option<&CustomerSet>,
    groups: Option<&Groups>,
) -> Result<FunnelResult, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let step_count = spec.steps.len();
    let mut overall = Tally::new(step_count);
    let mut per_group: Vec<Tally> = groups
        .map(|g| (0..g.len()).map(|_| Tally::new(step_count)).collect())
        .unwrap_or_default();
    let mut scratch = Scratch::default();
    for customer in 0..store.customers.len() as CustomerIx {
        if !includes(population, customer) {
            continue;
        }
        let best = plan.best_attempt(store, customer, &mut scratch);
        if best.reached == 0 {
            continue;
        }
        overall.add(&best);
        if let Some(groups) = groups {
            for group in groups.of(customer) {
                per_group[group].add(&best);
            }
        }
    }
    let totals = |tally: Tally| tally.into_totals(spec, plan.window);
    Ok(FunnelResult {
        mode: spec.mode,
        totals: totals(overall),
        groups: groups
            .map(|g| {
                g.labels
                    .iter()
                    .zip(per_group)
                    .map(|(label, tally)| FunnelGroup {
                        label: label.clone(),
                        totals: totals(tally),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The customers (ascending) who reached step `step` (0-based), or with `dropped`, those who
/// reached the step before it but not this one: "save drop-offs as a segment".
pub fn step_customers(
    store: &Store,
    ctx: &Context,
    spec: &FunnelSpec,
    population: Option<&CustomerSet>,
    step: usize,
    dropped: bool,
) -> Result<Vec<CustomerIx>, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    if step >= spec.steps.len() {
        return Err(QueryError::invalid(
            "step",
            format!("the funnel has {} steps (0-based)", spec.steps.len()),
        ));
    }
    if dropped && step == 0 {
        return Err(QueryError::invalid(
            "step",
            "nobody drops off before the first step",
        ));
    }
    let mut scratch = Scratch::default();
    let wanted = |reached: usize| {
        if dropped {
            reached == step
        } else {
            reached > step
        }
    };
    Ok((0..store.customers.len() as CustomerIx)
        .filter(|&c| includes(population, c))
        .filter(|&c| wanted(plan.best_attempt(store, c, &mut scratch).reached))
        .collect())
}

/// Parses an optional `from` / `to` pair into `from <= t < to` bounds (unbounded when absent).
pub(crate) fn time_range(
    ctx: &Context,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(i64, i64), QueryError> {
    let parse = |path: &str, text: Option<&str>, unbounded: i64| match text {
        None => Ok(unbounded),
        Some(text) => parse_date_or_timestamp(text, &ctx.zone).ok_or_else(|| {
            QueryError::invalid(
                path,
                format!("{text:?} is not an RFC 3339 timestamp or a YYYY-MM-DD date"),
            )
        }),
    };
    let from = parse("from", from, i64::MIN)?;
    let to = parse("to", to, i64::MAX)?;
    if to <= from {
        return Err(QueryError::invalid("to", "`to` must be later than `from`"));
    }
    Ok((from, to))
}

/// Several compiled filters tested at once: bit i of [`FilterMasks::mask`] tells whether filter
/// i matches. Filters without property conditions are decided by one lookup per event type,
/// which keeps scans over a million events cheap.
pub(crate) struct FilterMasks {
    /// Indexed by event type id: the bits of the condition-free filters accepting that type.
    by_type: Vec<u32>,
    /// Filters with property conditions, tested per event.
    conditional: Vec<(u32, EventMatcher)>,
}

impl FilterMasks {
    /// At most 32 filters.
    pub(crate) fn new(store: &Store, matchers: Vec<EventMatcher>) -> FilterMasks {
        let mut by_type = vec![0u32; store.event_types.len()];
        let mut conditional = Vec::new();
        for (i, matcher) in matchers.into_iter().enumerate() {
            let bit = 1u32 << i;
            if matcher.has_conditions() {
                conditional.push((bit, matcher));
            } else {
                for (event_type, mask) in by_type.iter_mut().enumerate() {
                    if matcher.matches_type(event_type as EventTypeId) {
                        *mask |= bit;
                    }
                }
            }
        }
        FilterMasks {
            by_type,
            conditional,
        }
    }

    /// The filters matching event `e` (of type `event_type`).
    // Always inlined: it runs once per event, and the size-optimised release build would call it.
    #[inline(always)]
    pub(crate) fn mask(&self, store: &Store, e: usize, event_type: EventTypeId) -> u32 {
        let mut mask = self.by_type.get(event_type as usize).copied().unwrap_or(0);
        for (bit, matcher) in &self.conditional {
            if matcher.matches(store, e) {
                mask |= bit;
            }
        }
        mask
    }
}

/// A validated spec compiled against the store.
struct Plan {
    /// Bits 0 .. steps: the steps; in strict mode, bit `steps`: activity, which separates steps.
    masks: FilterMasks,
    /// The step bits of a mask.
    step_bits: u32,
    steps: usize,
    mode: FunnelMode,
    window: i64,
    from: i64,
    to: i64,
    now: i64,
}

/// A customer's best attempt.
#[derive(Debug, Clone, Copy, Default)]
struct Attempt {
    /// Steps reached (0: never entered).
    reached: usize,
    /// Seconds from entry to completion, for complete attempts.
    seconds_to_convert: Option<i64>,
}

/// Buffers reused across customers so the scan allocates nothing per event. They only grow;
/// `len` says how much of `at` and `masks` holds the current customer.
#[derive(Default)]
struct Scratch {
    len: usize,
    at: Vec<i64>,
    /// Bit k set: the event matches step k.
    masks: Vec<u32>,
    /// `next[k * (len + 1) + i]`: the first index `>= i` matching step k, or `len`.
    next: Vec<u32>,
}

/// Makes `buffer` at least `len` long (never shorter, so reuse costs nothing).
fn ensure_len<T: Copy + Default>(buffer: &mut Vec<T>, len: usize) {
    if buffer.len() < len {
        buffer.resize(len, T::default());
    }
}

/// One customer's relevant events, as plain slices for the attempt loops.
struct Loaded<'a> {
    at: &'a [i64],
    masks: &'a [u32],
    next: &'a [u32],
}

impl Loaded<'_> {
    /// The first index `>= from` matching step `k` (or the number of events).
    #[inline(always)]
    fn next_match(&self, k: usize, from: usize) -> usize {
        let stride = self.at.len() + 1;
        self.next[k * stride + from] as usize
    }
}

impl Plan {
    fn new(store: &Store, ctx: &Context, spec: &FunnelSpec) -> Result<Plan, QueryError> {
        if spec.steps.len() < 2 {
            return Err(QueryError::invalid(
                "steps",
                "a funnel needs at least two steps",
            ));
        }
        if spec.steps.len() > MAX_STEPS {
            return Err(QueryError::invalid(
                "steps",
                format!("a funnel has at most {MAX_STEPS} steps"),
            ));
        }
        if let Some(i) = spec.steps.iter().position(|s| s.event.trim().is_empty()) {
            return Err(QueryError::invalid(
                format!("steps[{i}].event"),
                "name an event type",
            ));
        }
        let window = spec.window.seconds();
        if window <= 0 {
            return Err(QueryError::invalid(
                "window",
                "the conversion window must be longer than zero",
            ));
        }
        let (from, to) = time_range(ctx, spec.from.as_deref(), spec.to.as_deref())?;
        let mut matchers: Vec<EventMatcher> = spec
            .steps
            .iter()
            .map(|f| EventMatcher::new(store, f))
            .collect();
        if spec.mode == FunnelMode::Strict {
            matchers.push(EventMatcher::of_type(store, ANY_ACTIVITY));
        }
        Ok(Plan {
            masks: FilterMasks::new(store, matchers),
            step_bits: (1u32 << spec.steps.len()) - 1,
            steps: spec.steps.len(),
            mode: spec.mode,
            window,
            from,
            to,
            now: ctx.now,
        })
    }

    /// The furthest-reaching attempt of `customer` (with the earliest completion among complete ones).
    fn best_attempt(&self, store: &Store, customer: CustomerIx, scratch: &mut Scratch) -> Attempt {
        self.load(store, customer, scratch);
        let n = scratch.len;
        if n == 0 {
            return Attempt::default();
        }
        // Strict attempts look only at the very next events, so they need no index.
        let indexed = self.mode != FunnelMode::Strict;
        if indexed {
            self.index_next_matches(scratch);
        }
        let events = Loaded {
            at: &scratch.at[..n],
            masks: &scratch.masks[..n],
            next: if indexed {
                &scratch.next[..self.steps * (n + 1)]
            } else {
                &[]
            },
        };
        let mut best = Attempt::default();
        let mut first_of_second = 0;
        for (entry, &entry_at) in events.at.iter().enumerate() {
            if entry > 0 && events.at[entry - 1] != entry_at {
                first_of_second = entry;
            }
            if entry_at < self.from || entry_at >= self.to {
                continue;
            }
            let (reached, completed_at) = match self.mode {
                FunnelMode::Ordered => self.ordered_from(&events, entry),
                FunnelMode::Strict => self.strict_from(&events, entry),
                FunnelMode::AnyOrder => self.any_order_from(&events, entry, first_of_second),
            };
            best.reached = best.reached.max(reached);
            if reached == self.steps {
                // In every mode a later entry cannot complete earlier (ordered and any-order
                // attempts from a later entry match each step no earlier; strict attempts from
                // different entries end at different, later events), so the first complete
                // attempt is the one with the earliest completion, and on ties the earliest entry.
                best.seconds_to_convert = Some(completed_at - entry_at);
                break;
            }
        }
        best
    }

    /// Copies the customer's relevant events (up to now) into `scratch`.
    fn load(&self, store: &Store, customer: CustomerIx, scratch: &mut Scratch) {
        let range = store.events.of_customer(customer);
        let first = range.start;
        let times = &store.events.at[range.clone()];
        let types = &store.events.event_type[range];
        // Written through slices rather than pushed: this loop sees every event.
        ensure_len(&mut scratch.at, times.len());
        ensure_len(&mut scratch.masks, times.len());
        let (at_out, masks_out) = (&mut scratch.at[..], &mut scratch.masks[..]);
        let mut kept = 0;
        for (offset, (&at, &event_type)) in times.iter().zip(types).enumerate() {
            if at > self.now {
                break;
            }
            // In strict mode a non-step activity event is kept (with no step bits) as a separator.
            let mask = self.masks.mask(store, first + offset, event_type);
            if mask != 0 {
                at_out[kept] = at;
                masks_out[kept] = mask & self.step_bits;
                kept += 1;
            }
        }
        scratch.len = kept;
    }

    fn index_next_matches(&self, scratch: &mut Scratch) {
        let n = scratch.len;
        let stride = n + 1;
        ensure_len(&mut scratch.next, self.steps * stride);
        let masks = &scratch.masks[..n];
        let rows = scratch.next[..self.steps * stride].chunks_exact_mut(stride);
        for (k, row) in rows.enumerate() {
            row[n] = n as u32;
            for i in (0..n).rev() {
                row[i] = if masks[i] & (1 << k) != 0 {
                    i as u32
                } else {
                    row[i + 1]
                };
            }
        }
    }

    /// Steps reached from `entry` and the time of the last one reached.
    fn ordered_from(&self, events: &Loaded, entry: usize) -> (usize, i64) {
        if events.masks[entry] & 1 == 0 {
            return (0, 0);
        }
        let deadline = events.at[entry].saturating_add(self.window);
        let mut position = entry;
        let mut reached = 1;
        for k in 1..self.steps {
            let next = events.next_match(k, position + 1);
            if next >= events.at.len() || events.at[next] > deadline {
                break;
            }
            position = next;
            reached += 1;
        }
        (reached, events.at[position])
    }

    fn strict_from(&self, events: &Loaded, entry: usize) -> (usize, i64) {
        if events.masks[entry] & 1 == 0 {
            return (0, 0);
        }
        let deadline = events.at[entry].saturating_add(self.window);
        let mut reached = 1;
        for k in 1..self.steps {
            let next = entry + k;
            let fits = next < events.at.len()
                && events.masks[next] & (1 << k) != 0
                && events.at[next] <= deadline;
            if !fits {
                break;
            }
            reached += 1;
        }
        (reached, events.at[entry + reached - 1])
    }

    /// `first_of_second`: the first index with the entry's time, where "at or after the entry" starts.
    fn any_order_from(
        &self,
        events: &Loaded,
        entry: usize,
        first_of_second: usize,
    ) -> (usize, i64) {
        if events.masks[entry] == 0 {
            return (0, 0);
        }
        let deadline = events.at[entry].saturating_add(self.window);
        let mut reached = 0;
        let mut completed_at = events.at[entry];
        for k in 0..self.steps {
            let next = events.next_match(k, first_of_second);
            if next < events.at.len() && events.at[next] <= deadline {
                reached += 1;
                completed_at = completed_at.max(events.at[next]);
            }
        }
        (reached, completed_at)
    }
}

/// Counts of one population while scanning.
struct Tally {
    /// `at_step[k]`: customers who reached step k.
    at_step: Vec<usize>,
    seconds_to_convert: Vec<i64>,
}

impl Tally {
    fn new(steps: usize) -> Tally {
        Tally {
            at_step: vec![0; steps],
            seconds_to_convert: Vec::new(),
        }
    }

    fn add(&mut self, attempt: &Attempt) {
        for count in &mut self.at_step[..attempt.reached] {
            *count += 1;
        }
        if let Some(seconds) = attempt.seconds_to_convert {
            self.seconds_to_convert.push(seconds);
        }
    }

    fn into_totals(mut self, spec: &FunnelSpec, window: i64) -> FunnelTotals {
        let ratio = |part: usize, whole: usize| {
            if whole == 0 {
                0.0
            } else {
                part as f64 / whole as f64
            }
        };
        let entered = self.at_step[0];
        let steps = spec
            .steps
            .iter()
            .enumerate()
            .map(|(k, filter)| {
                let customers = self.at_step[k];
                let previous = if k == 0 { entered } else { self.at_step[k - 1] };
                FunnelStep {
                    label: filter.event.clone(),
                    customers,
                    conversion_from_start: ratio(customers, entered),
                    conversion_from_previous: ratio(customers, previous),
                    dropped: previous - customers,
                }
            })
            .collect();
        self.seconds_to_convert.sort_unstable();
        FunnelTotals {
            steps,
            median_seconds_to_convert: median(&self.seconds_to_convert),
            time_to_convert: histogram(&self.seconds_to_convert, window),
        }
    }
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// Buckets from [`BUCKET_STARTS`] up to the one containing `window` (no conversion takes longer).
fn histogram(seconds: &[i64], window: i64) -> Vec<TimeBucket> {
    let used = BUCKET_STARTS
        .iter()
        .filter(|&&start| start <= window)
        .count();
    let mut buckets: Vec<TimeBucket> = (0..used)
        .map(|i| TimeBucket {
            min_seconds: BUCKET_STARTS[i],
            max_seconds: BUCKET_STARTS.get(i + 1).copied(),
            customers: 0,
        })
        .collect();
    for &t in seconds {
        let i = BUCKET_STARTS.partition_point(|&start| start <= t) - 1;
        buckets[i.min(used - 1)].customers += 1;
    }
    buckets
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::population::everyone;
    use crate::engine::time::{parse_timestamp, Zone, DAY};
    use fixedbitset::FixedBitSet;
    /// Monday 2 March 2026, 00:00 in Seoul: event times in fixtures are seconds after this.
    pub(crate) const BASE: &str = "2026-03-02T00:00:00+09:00";

    pub(crate) fn base() -> i64 {
        parse_timestamp(BASE).expect("base")
    }

    /// A store of customers (id, created seconds after [`BASE`]) and events (customer id, type,
    /// seconds after [`BASE`]), in Asia/Seoul.
    pub(crate) fn store_of(customers: &[(&str, i64)], events: &[(&str, &str, i64)]) -> Store {
        let rfc = |offset: i64| {
            chrono::DateTime::from_timestamp(base() + offset, 0)
                .expect("time")
                .to_rfc3339()
        };
        let customers: Vec<String> = customers
            .iter()
            .map(|(id, created)| {
                format!(
                    r#"{{"id":"{id}","name":"{id}","created_at":"{}"}}"#,
                    rfc(*created)
                )
            })
            .collect();
        let events: Vec<String> = events
            .iter()
            .map(|(customer, kind, at)| {
                format!(
                    r#"{{"customer_id":"{customer}","type":"{kind}","at":"{}"}}"#,
                    rfc(*at)
                )
            })
            .collect();
        let meta =
            r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        Store::from_json(
            meta.as_bytes(),
            format!("[{}]", customers.join(",")).as_bytes(),
            format!("[{}]", events.join(",")).as_bytes(),
        )
        .expect("valid fixture")
        .0
    }

    /// A context with "now" at `offset` seconds after [`BASE`].
    pub(crate) fn context_at(offset: i64) -> Context {
        Context::new(base() + offset, Zone::default())
    }

    /// Groups from labelled lists of customer indices.
    pub(crate) fn groups_of(store: &Store, groups: &[(&str, &[usize])]) -> Groups {
        Groups {
            labels: groups
                .iter()
                .map(|(label, _)| (*label).to_owned())
                .collect(),
            members: groups
                .iter()
                .map(|(_, members)| {
                    let mut set = FixedBitSet::with_capacity(store.customers.len());
                    for &m in *members {
                        set.insert(m);
                    }
                    set
                })
                .collect(),
        }
    }

    fn spec(steps: &[&str], mode: FunnelMode, window: Span) -> FunnelSpec {
        FunnelSpec {
            steps: steps.iter().map(|s| EventFilter::of(s)).collect(),
            window,
            mode,
            from: None,
            to: None,
            breakdown: None,
        }
    }

    fn counts(result: &FunnelTotals) -> Vec<usize> {
        result.steps.iter().map(|s| s.customers).collect()
    }

    /// a: converts exactly at the window end; b: purchase one second too late; c: cart before
    /// visit; d: only a message; e: restarts and converts on the second visit.
    fn shop() -> Store {
        store_of(
            &[("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 0)],
            &[
                ("a", "visit", 0),
                ("a", "cart", 3_600),
                ("a", "purchase", DAY),
                ("b", "visit", 0),
                ("b", "cart", 100),
                ("b", "purchase", DAY + 1),
                ("c", "cart", 0),
                ("c", "visit", 10),
                ("d", "message_sent", 0),
                ("e", "visit", 0),
                ("e", "visit", 2 * DAY),
                ("e", "cart", 2 * DAY + 60),
                ("e", "purchase", 2 * DAY + 120),
            ],
        )
    }

    #[test]
    fn ordered_counts_best_attempts_with_the_window_end_inclusive() {
        let store = shop();
        let spec = spec(
            &["visit", "cart", "purchase"],
            FunnelMode::Ordered,
            Span::days(1),
        );
        let result = run(&store, &context_at(10 * DAY), &spec, None, None).expect("runs");
        assert_eq!(counts(&result.totals), vec![4, 3, 2]);
        let steps = &result.totals.steps;
        assert_eq!(steps[0].label, "visit");
        assert_eq!(
            steps.iter().map(|s| s.dropped).collect::<Vec<_>>(),
            vec![0, 1, 1]
        );
        assert_eq!(steps[0].conversion_from_previous, 1.0);
        assert_eq!(steps[1].conversion_from_start, 0.75);
        assert_eq!(steps[2].conversion_from_previous, 2.0 / 3.0);
        assert_eq!(steps[2].conversion_from_start, 0.5);
        // a takes exactly one day, e two minutes on its second attempt.
        assert_eq!(
            result.totals.median_seconds_to_convert,
            Some((DAY + 120) as f64 / 2.0)
        );
        let buckets = &result.totals.time_to_convert;
        assert_eq!(buckets.len(), 6, "up to the bucket holding one day");
        assert_eq!(
            (
                buckets[1].min_seconds,
                buckets[1].max_seconds,
                buckets[1].customers
            ),
            (60, Some(600), 1)
        );
        assert_eq!(
            (buckets[5].min_seconds, buckets[5].customers),
            (DAY, 1),
            "exactly one day"
        );
        assert!(result.groups.is_empty());
    }

    #[test]
    fn events_after_now_are_ignored() {
        let store = shop();
        let spec = spec(&["visit", "cart"], FunnelMode::Ordered, Span::days(1));
        // At 1 000 s only b has added to the cart; a's cart (3 600 s) is still in the future.
        let early = run(&store, &context_at(1_000), &spec, None, None).expect("runs");
        assert_eq!(counts(&early.totals), vec![4, 1]);
    }

    #[test]
    fn strict_needs_the_very_next_activity_but_skips_messages() {
        let store = store_of(
            &[("a", 0), ("b", 0), ("c", 0)],
            &[
                ("a", "visit", 0),
                ("a", "page_view", 10),
                ("a", "cart", 20),
                ("a", "purchase", 30),
                ("b", "visit", 0),
                ("b", "message_sent", 5),
                ("b", "cart", 20),
                ("b", "purchase", 30),
                ("c", "visit", 0),
                ("c", "cart", 1),
                ("c", "page_view", 2),
                ("c", "purchase", 3),
            ],
        );
        let steps = ["visit", "cart", "purchase"];
        let ctx = context_at(DAY);
        let ordered = run(
            &store,
            &ctx,
            &spec(&steps, FunnelMode::Ordered, Span::days(1)),
            None,
            None,
        )
        .expect("runs");
        assert_eq!(counts(&ordered.totals), vec![3, 3, 3]);
        let strict = run(
            &store,
            &ctx,
            &spec(&steps, FunnelMode::Strict, Span::days(1)),
            None,
            None,
        )
        .expect("runs");
        assert_eq!(counts(&strict.totals), vec![3, 2, 1]);
        assert_eq!(strict.totals.median_seconds_to_convert, Some(30.0));
    }

    #[test]
    fn any_order_counts_distinct_steps_within_the_window() {
        let store = store_of(
            &[("a", 0), ("b", 0), ("c", 0), ("d", 0)],
            &[
                ("a", "purchase", 0),
                ("a", "cart", 10),
                ("b", "purchase", 0),
                ("c", "cart", 0),
                ("c", "purchase", DAY + 1),
                ("d", "purchase", 50),
                ("d", "cart", 50),
            ],
        );
        let steps = ["cart", "purchase"];
        let ctx = context_at(10 * DAY);
        let any = run(
            &store,
            &ctx,
            &spec(&steps, FunnelMode::AnyOrder, Span::days(1)),
            None,
            None,
        )
        .expect("runs");
        // Everyone completed at least one step; a and d (same second, 0 s) completed both.
        assert_eq!(counts(&any.totals), vec![4, 2]);
        assert_eq!(any.totals.median_seconds_to_convert, Some(5.0));
        let ordered = run(
            &store,
            &ctx,
            &spec(&steps, FunnelMode::Ordered, Span::days(1)),
            None,
            None,
        )
        .expect("runs");
        // a's and d's carts come after their purchases; c's purchase is a second too late.
        assert_eq!(counts(&ordered.totals), vec![3, 0]);
        assert_eq!(ordered.totals.median_seconds_to_convert, None);
    }

    #[test]
    fn the_entry_range_limits_only_the_first_step() {
        let store = shop();
        let mut spec = spec(&["visit", "cart"], FunnelMode::Ordered, Span::days(1));
        // Only e's second visit falls in [1 day, 3 days); its cart counts.
        let from = chrono::DateTime::from_timestamp(base() + DAY, 0).expect("t");
        spec.from = Some(from.to_rfc3339());
        spec.to = Some("2026-03-05".into());
        let result = run(&store, &context_at(10 * DAY), &spec, None, None).expect("runs");
        assert_eq!(counts(&result.totals), vec![1, 1]);
        spec.to = Some("2026-03-04".into());
        // 2026-03-04 00:00 Seoul is exactly 2 days after the base: e's second visit is excluded.
        let result = run(&store, &context_at(10 * DAY), &spec, None, None).expect("runs");
        assert_eq!(counts(&result.totals), vec![0, 0]);
    }

    #[test]
    fn breakdown_groups_and_population_count_their_members() {
        let store = shop();
        let spec = spec(
            &["visit", "cart", "purchase"],
            FunnelMode::Ordered,
            Span::days(1),
        );
        let groups = groups_of(
            &store,
            &[("ab", &[0, 1]), ("ce", &[2, 4]), ("all", &[0, 1, 2, 3, 4])],
        );
        let ctx = context_at(10 * DAY);
        let result = run(&store, &ctx, &spec, None, Some(&groups)).expect("runs");
        let labels: Vec<&str> = result.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["ab", "ce", "all"]);
        assert_eq!(counts(&result.groups[0].totals), vec![2, 2, 1]);
        assert_eq!(counts(&result.groups[1].totals), vec![2, 1, 1]);
        assert_eq!(
            result.groups[1].totals.median_seconds_to_convert,
            Some(120.0)
        );
        assert_eq!(result.groups[2].totals, result.totals);
        let mut population = everyone(&store);
        population.set(0, false);
        let result = run(&store, &ctx, &spec, Some(&population), Some(&groups)).expect("runs");
        assert_eq!(counts(&result.totals), vec![3, 2, 1]);
        assert_eq!(counts(&result.groups[0].totals), vec![1, 1, 0]);
    }

    #[test]
    fn step_customers_lists_reached_and_dropped() {
        let store = shop();
        let spec = spec(
            &["visit", "cart", "purchase"],
            FunnelMode::Ordered,
            Span::days(1),
        );
        let ctx = context_at(10 * DAY);
        let list = |step, dropped| step_customers(&store, &ctx, &spec, None, step, dropped);
        assert_eq!(list(0, false), Ok(vec![0, 1, 2, 4]));
        assert_eq!(list(1, false), Ok(vec![0, 1, 4]));
        assert_eq!(list(1, true), Ok(vec![2]));
        assert_eq!(list(2, true), Ok(vec![1]));
        assert_eq!(list(2, false), Ok(vec![0, 4]));
        assert_eq!(list(3, false).map_err(|e| e.path), Err("step".to_owned()));
        assert_eq!(list(0, true).map_err(|e| e.path), Err("step".to_owned()));
    }

    #[test]
    fn steps_with_property_conditions_match_per_event() {
        let meta =
            r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = r#"[{"id":"a","name":"A","created_at":"2026-03-01T00:00:00+09:00"},
            {"id":"b","name":"B","created_at":"2026-03-01T00:00:00+09:00"}]"#;
        let events = r#"[
            {"customer_id":"a","type":"visit","at":"2026-03-02T10:00:00+09:00"},
            {"customer_id":"a","type":"purchase","at":"2026-03-02T11:00:00+09:00","value":1000,"properties":{"coupon":"WELCOME"}},
            {"customer_id":"b","type":"visit","at":"2026-03-02T10:00:00+09:00"},
            {"customer_id":"b","type":"purchase","at":"2026-03-02T11:00:00+09:00","value":1000}
        ]"#;
        let (store, _) = Store::from_json(meta.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid");
        let mut spec = spec(&["visit", "purchase"], FunnelMode::Ordered, Span::days(1));
        spec.steps[1] =
            EventFilter::of("purchase").with("coupon", crate::engine::filter::ValueTest::Exists);
        for mode in [
            FunnelMode::Ordered,
            FunnelMode::Strict,
            FunnelMode::AnyOrder,
        ] {
            spec.mode = mode;
            let result = run(&store, &context_at(DAY), &spec, None, None).expect("runs");
            assert_eq!(counts(&result.totals), vec![2, 1], "{mode:?}");
            assert_eq!(result.totals.median_seconds_to_convert, Some(3_600.0));
        }
    }

    #[test]
    fn empty_data_gives_zero_counts() {
        let store = store_of(&[], &[]);
        let spec = spec(&["visit", "purchase"], FunnelMode::Strict, Span::days(14));
        let result = run(&store, &context_at(0), &spec, None, None).expect("runs");
        assert_eq!(counts(&result.totals), vec![0, 0]);
        assert_eq!(result.totals.steps[1].conversion_from_start, 0.0);
        assert_eq!(result.totals.median_seconds_to_convert, None);
        assert_eq!(result.totals.time_to_convert.len(), 9);
        assert!(result
            .totals
            .time_to_convert
            .iter()
            .all(|b| b.customers == 0));
    }

    #[test]
    fn invalid_specs_name_the_field() {
        let store = shop();
        let ctx = context_at(DAY);
        let error_path = |spec: &FunnelSpec| {
            run(&store, &ctx, spec, None, None)
                .expect_err("invalid")
                .path
        };
        assert_eq!(
            error_path(&spec(&["visit"], FunnelMode::Ordered, Span::days(1))),
            "steps"
        );
        let many = vec!["visit"; MAX_STEPS + 1];
        assert_eq!(
            error_path(&spec(&many, FunnelMode::Ordered, Span::days(1))),
            "steps"
        );
        assert_eq!(
            error_path(&spec(&["visit", " "], FunnelMode::Ordered, Span::days(1))),
            "steps[1].event"
        );
        assert_eq!(
            error_path(&spec(
                &["visit", "cart"],
                FunnelMode::Ordered,
                Span::default()
            )),
            "window"
        );
        let mut dated = spec(&["visit", "cart"], FunnelMode::Ordered, Span::days(1));
        dated.from = Some("yesterday".into());
        assert_eq!(error_path(&dated), "from");
        dated.from = Some("2026-03-02".into());
        dated.to = Some("2026-03-02".into());
        assert_eq!(error_path(&dated), "to");
    }

    #[test]
    fn specs_read_json_with_defaults() {
        let spec: FunnelSpec =
            serde_json::from_str(r#"{"steps":[{"event":"visit"},{"event":"purchase"}]}"#)
                .expect("valid");
        assert_eq!(spec.window, Span::days(14));
        assert_eq!(spec.mode, FunnelMode::Ordered);
        assert_eq!((spec.from, spec.to, spec.breakdown), (None, None, None));
        let spec: FunnelSpec = serde_json::from_str(
            r#"{"steps":[{"event":"visit"},{"event":"purchase"}],"mode":"any_order",
                "window":{"hours":2},"breakdown":{"by":"attribute","attribute":"plan"}}"#,
        )
        .expect("valid");
        assert_eq!(
            (spec.mode, spec.window.seconds()),
            (FunnelMode::AnyOrder, 7_200)
        );
        let back: FunnelSpec =
            serde_json::from_str(&serde_json::to_string(&spec).expect("json")).expect("valid");
        assert_eq!(back, spec);
        let result = run(&shop(), &context_at(DAY), &spec, None, None).expect("runs");
        let json = serde_json::to_value(&result).expect("json");
        assert!(json["steps"].is_array() && json["median_seconds_to_convert"].is_null());
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Small random datasets: up to 4 customers, 12 events of 4 types over 4 days.
        pub(crate) fn dataset() -> impl Strategy<Value = Store> {
            let kinds = prop::sample::select(vec!["visit", "cart", "purchase", "message_sent"]);
            let customer = prop::sample::select(vec!["a", "b", "c", "d"]);
            // Times on a 10-minute grid, so events share seconds and land exactly on window ends.
            let time = (-144i64..432).prop_map(|slot| slot * 600);
            let event = (customer, kinds, time);
            prop::collection::vec(event, 0..12).prop_map(|events| {
                store_of(
                    &[("a", 0), ("b", DAY), ("c", -8 * DAY), ("d", 40 * DAY)],
                    &events,
                )
            })
        }

        fn funnel_spec() -> impl Strategy<Value = FunnelSpec> {
            let step =
                prop::sample::select(vec!["visit", "cart", "purchase", "$activity", "unknown"]);
            let mode = prop::sample::select(vec![
                FunnelMode::Ordered,
                FunnelMode::Strict,
                FunnelMode::AnyOrder,
            ]);
            (
                prop::collection::vec(step, 0..5),
                mode,
                0u32..3,
                0u32..5,
                prop::option::of(prop::sample::select(vec!["2026-03-01", "2026-03-03"])),
            )
                .prop_map(|(steps, mode, days, hours, from)| FunnelSpec {
                    steps: steps.into_iter().map(EventFilter::of).collect(),
                    window: Span {
                        days,
                        hours,
                        minutes: 0,
                    },
                    mode,
                    from: from.map(str::to_owned),
                    to: None,
                    breakdown: None,
                })
        }

        /// The documented semantics, evaluated by brute force: every entry, every choice of step
        /// events. Returns (steps reached, seconds to convert) of the customer's best attempt.
        fn reference_attempt(
            store: &Store,
            ctx: &Context,
            spec: &FunnelSpec,
            customer: CustomerIx,
        ) -> (usize, Option<i64>) {
            let steps: Vec<EventMatcher> = spec
                .steps
                .iter()
                .map(|f| EventMatcher::new(store, f))
                .collect();
            let activity = EventMatcher::of_type(store, ANY_ACTIVITY);
            let (from, to) =
                time_range(ctx, spec.from.as_deref(), spec.to.as_deref()).expect("valid");
            let window = spec.window.seconds();
            let events: Vec<usize> = store
                .events
                .of_customer(customer)
                .filter(|&e| store.events.at[e] <= ctx.now)
                .collect();
            let at = |i: usize| store.events.at[events[i]];
            let matches = |i: usize, k: usize| steps[k].matches(store, events[i]);
            // For a fixed entry: (reached, earliest completion time of a complete attempt).
            let from_entry = |entry: usize| -> (usize, Option<i64>) {
                let deadline = at(entry) + window;
                match spec.mode {
                    FunnelMode::Ordered => {
                        // Depth-first over increasing positions.
                        fn extend(
                            position: usize,
                            k: usize,
                            n: usize,
                            step_count: usize,
                            ok: &dyn Fn(usize, usize) -> bool,
                            at: &dyn Fn(usize) -> i64,
                        ) -> (usize, Option<i64>) {
                            if k == step_count {
                                return (k, Some(at(position)));
                            }
                            let mut best = (k, None);
                            for next in position + 1..n {
                                if ok(next, k) {
                                    let (reached, done) =
                                        extend(next, k + 1, n, step_count, ok, at);
                                    if reached > best.0 {
                                        best = (reached, done);
                                    } else if reached == best.0 {
                                        best.1 = match (best.1, done) {
                                            (Some(a), Some(b)) => Some(a.min(b)),
                                            (a, b) => a.or(b),
                                        };
                                    }
                                }
                            }
                            best
                        }
                        if !matches(entry, 0) {
                            return (0, None);
                        }
                        let ok = |i: usize, k: usize| matches(i, k) && at(i) <= deadline;
                        extend(entry, 1, events.len(), steps.len(), &ok, &at)
                    }
                    FunnelMode::Strict => {
                        let considered: Vec<usize> = (0..events.len())
                            .filter(|&i| {
                                activity.matches(store, events[i])
                                    || (0..steps.len()).any(|k| matches(i, k))
                            })
                            .collect();
                        let Some(start) = considered.iter().position(|&i| i == entry) else {
                            return (0, None);
                        };
                        if !matches(entry, 0) {
                            return (0, None);
                        }
                        let mut reached = 1;
                        while reached < steps.len() {
                            match considered.get(start + reached) {
                                Some(&i) if matches(i, reached) && at(i) <= deadline => {
                                    reached += 1
                                }
                                _ => break,
                            }
                        }
                        let done =
                            (reached == steps.len()).then(|| at(considered[start + reached - 1]));
                        (reached, done)
                    }
                    FunnelMode::AnyOrder => {
                        if !(0..steps.len()).any(|k| matches(entry, k)) {
                            return (0, None);
                        }
                        let firsts: Vec<Option<i64>> = (0..steps.len())
                            .map(|k| {
                                (0..events.len())
                                    .filter(|&i| {
                                        matches(i, k) && at(i) >= at(entry) && at(i) <= deadline
                                    })
                                    .map(at)
                                    .min()
                            })
                            .collect();
                        let reached = firsts.iter().flatten().count();
                        let done = (reached == steps.len())
                            .then(|| firsts.iter().flatten().copied().max().unwrap_or(0));
                        (reached, done)
                    }
                }
            };
            let mut reached = 0;
            let mut best: Option<(i64, i64)> = None; // (completion, entry time)
            for entry in 0..events.len() {
                if at(entry) < from || at(entry) >= to {
                    continue;
                }
                let (r, done) = from_entry(entry);
                reached = reached.max(r);
                if let Some(done) = done {
                    let candidate = (done, at(entry));
                    if best.is_none_or(|b| candidate.0 < b.0) {
                        best = Some(candidate);
                    }
                }
            }
            (reached, best.map(|(done, entry)| done - entry))
        }

        proptest! {
            #[test]
            fn best_attempts_match_a_brute_force_reading_of_the_rules(
                store in dataset(),
                spec in funnel_spec(),
                now in 0..4 * DAY,
            ) {
                let ctx = context_at(now);
                if let Ok(plan) = Plan::new(&store, &ctx, &spec) {
                    let mut scratch = Scratch::default();
                    for customer in 0..store.customers.len() as CustomerIx {
                        let fast = plan.best_attempt(&store, customer, &mut scratch);
                        let slow = reference_attempt(&store, &ctx, &spec, customer);
                        prop_assert_eq!((fast.reached, fast.seconds_to_convert), slow, "customer {}", customer);
                    }
                }
            }

            #[test]
            fn random_funnels_never_panic_and_never_grow_along_the_steps(
                store in dataset(),
                spec in funnel_spec(),
                now in 0..4 * DAY,
            ) {
                let ctx = context_at(now);
                let groups = groups_of(&store, &[("ab", &[0, 1]), ("none", &[])]);
                if let Ok(result) = run(&store, &ctx, &spec, None, Some(&groups)) {
                    for totals in std::iter::once(&result.totals).chain(result.groups.iter().map(|g| &g.totals)) {
                        let counts = counts(totals);
                        prop_assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
                        let converted: usize = totals.time_to_convert.iter().map(|b| b.customers).sum();
                        prop_assert_eq!(converted, *counts.last().unwrap_or(&0));
                    }
                    for (k, step) in result.totals.steps.iter().enumerate() {
                        let reached = step_customers(&store, &ctx, &spec, None, k, false).expect("valid");
                        prop_assert_eq!(reached.len(), step.customers);
                        if k > 0 {
                            let dropped = step_customers(&store, &ctx, &spec, None, k, true).expect("valid");
                            prop_assert_eq!(dropped.len(), step.dropped);
                        }
                    }
                }
            }
        }
    }
}
