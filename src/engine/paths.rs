//! Paths: the most common sequences of events within sessions, drawn as a Sankey of step-to-step
//! transitions counted in unique customers (DOMAIN.md, "Paths and funnels").
//!
//! # Semantics
//!
//! These rules are exact, because an SQL reimplementation is tested against them.
//!
//! * **Events looked at.** A customer's events with `at <= ctx.now` and `from <= at < to` (when
//!   given), whose type is not in `hidden`, and that match the `events` filter (default: all
//!   activity, i.e. every type but `message_sent`) or the anchor's filter. Order: by time, then
//!   arrival.
//! * **Sessions.** Those events, in order, cut wherever the time between two consecutive ones is
//!   more than `session_gap_minutes` (a gap of exactly the limit stays in one session). Hidden
//!   events are removed first, so they neither appear in paths nor hold sessions together.
//! * **One path per session.** No anchor: the session's first `steps` events, at steps
//!   `0, 1, …`. Start anchor: the session's first event matching the anchor and the up to
//!   `steps − 1` events after it, at steps `0, 1, …`. End anchor: the session's first event
//!   matching the anchor and the up to `steps − 1` events before it, aligned so the anchor is at
//!   step `steps − 1` (a shorter path starts at a later step). Sessions without an anchor event
//!   have no path. A path needs at least two events (one transition); shorter ones are dropped.
//! * **Raw transitions** are `(step i, type at i, type at i + 1)` over all paths. Each counts the
//!   distinct customers having it in any of their paths.
//! * **Top and "other".** The `top` raw transitions with the most customers are kept (ties: lower
//!   step, then source name, then target name, by byte order). A node `(step, type)` is *shown*
//!   if it is the source or target of a kept transition. Every path is then relabelled: an
//!   event whose `(step, type)` is not shown becomes `(other)` at that step. The result's nodes
//!   and links are the distinct `(step, label)` and `(step, label, next label)` of the relabelled
//!   paths, each with its distinct customers. So a link between two shown nodes that was not in
//!   the top is still drawn, and links can touch `(other)` on either side.
//! * **Population.** Only customers in the population count; `customers` is how many have at
//!   least one path.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, EventMatcher, ANY_ACTIVITY};
use super::funnel::{time_range, FilterMasks};
use super::population::{includes, CustomerSet, OTHER_LABEL};
use super::query::QueryError;
use super::store::{CustomerIx, EventTypeId, Store};
use super::time::Context;

/// The longest path a spec may ask for.
pub const MAX_PATH_STEPS: usize = 10;

/// A paths query.
///
/// ```json
/// {"anchor": {"at": "start", "event": {"event": "signup"}}, "steps": 4, "hidden": ["page_view"]}
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "snake_case")]
pub struct PathsSpec {
    /// A session ends after a pause longer than this (default 30; must not be zero).
    #[serde(default = "default_gap_minutes")]
    pub session_gap_minutes: u32,
    #[serde(default)]
    pub anchor: PathAnchor,
    /// Events per path, 2 ..= [`MAX_PATH_STEPS`] (default 5).
    #[serde(default = "default_steps")]
    pub steps: usize,
    /// Event types left out entirely.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<String>,
    /// Which events make up paths (default: all activity, so messages sent are left out).
    #[serde(default = "default_events")]
    pub events: EventFilter,
    /// How many transitions to keep before the rest becomes "other" (default 50).
    #[serde(default = "default_top")]
    pub top: usize,
    /// Earliest event time, inclusive (RFC 3339, or `YYYY-MM-DD` as local midnight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Events before this time (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

fn default_gap_minutes() -> u32 {
    30
}

fn default_steps() -> usize {
    5
}

fn default_events() -> EventFilter {
    EventFilter::of(ANY_ACTIVITY)
}

fn default_top() -> usize {
    50
}

/// Where paths are pinned.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum PathAnchor {
    /// Paths start where sessions start.
    #[default]
    None,
    /// Paths start at the session's first matching event.
    Start { event: EventFilter },
    /// Paths end at the session's first matching event.
    End { event: EventFilter },
}

/// A Sankey of paths.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PathsResult {
    /// By step; within a step `(other)` last, the rest by customers (most first), then label.
    pub nodes: Vec<PathNode>,
    /// By step, then customers (most first), then source and target label (byte order, so
    /// `(other)` sorts before letters).
    pub links: Vec<PathLink>,
    /// Customers with at least one path.
    pub customers: usize,
}

/// An event type (or `(other)`) at one step.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PathNode {
    pub step: usize,
    pub label: String,
    pub customers: usize,
}

/// A transition between two nodes of consecutive steps (`source` and `target` index `nodes`).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PathLink {
    pub source: usize,
    pub target: usize,
    pub customers: usize,
}

/// Computes the Sankey for the customers of `population`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &PathsSpec,
    population: Option<&CustomerSet>,
) -> Result<PathsResult, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let paths = plan.collect_paths(store, population);
    let shown = plan.shown_nodes(store, &paths);
    let labels = plan.labels;
    let mut nodes = UniqueCounter::new(plan.steps * labels);
    let mut links = UniqueCounter::new(plan.steps * labels * labels);
    let mut relabelled = Vec::with_capacity(plan.steps);
    let mut customers = 0;
    let mut last_customer = None;
    for (customer, first_step, path) in paths.iter() {
        if last_customer != Some(customer) {
            last_customer = Some(customer);
            customers += 1;
        }
        plan.relabel(&shown, first_step, path, &mut relabelled);
        for (i, &label) in relabelled.iter().enumerate() {
            nodes.add(plan.node_key(first_step + i, label), customer);
        }
        for (i, pair) in relabelled.windows(2).enumerate() {
            links.add(plan.link_key(first_step + i, pair[0], pair[1]), customer);
        }
    }

    let name = |label: usize| plan.label_name(store, label);
    let mut node_list: Vec<(usize, usize, usize)> = nodes
        .counts()
        .map(|(key, count)| (key / labels, key % labels, count))
        .collect();
    node_list.sort_by(|a, b| {
        let other_last = |label: usize| label == plan.other;
        a.0.cmp(&b.0)
            .then(other_last(a.1).cmp(&other_last(b.1)))
            .then(b.2.cmp(&a.2))
            .then(name(a.1).cmp(name(b.1)))
    });
    let node_index: HashMap<usize, usize> = node_list
        .iter()
        .enumerate()
        .map(|(i, &(step, label, _))| (plan.node_key(step, label), i))
        .collect();
    let mut link_list: Vec<(usize, usize, usize, usize)> = links
        .counts()
        .map(|(key, count)| {
            let (step_source, target) = (key / labels, key % labels);
            (step_source / labels, step_source % labels, target, count)
        })
        .collect();
    link_list.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.3.cmp(&a.3))
            .then(name(a.1).cmp(name(b.1)))
            .then(name(a.2).cmp(name(b.2)))
    });
    Ok(PathsResult {
        links: link_list
            .iter()
            .map(|&(step, source, target, customers)| PathLink {
                source: node_index[&plan.node_key(step, source)],
                target: node_index[&plan.node_key(step + 1, target)],
                customers,
            })
            .collect(),
        nodes: node_list
            .into_iter()
            .map(|(step, label, customers)| PathNode {
                step,
                label: name(label).to_owned(),
                customers,
            })
            .collect(),
        customers,
    })
}

/// The customers (ascending) behind the node `label` (an event type or `(other)`) at `step`.
pub fn node_customers(
    store: &Store,
    ctx: &Context,
    spec: &PathsSpec,
    population: Option<&CustomerSet>,
    step: usize,
    label: &str,
) -> Result<Vec<CustomerIx>, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let Some(wanted) = plan.label_id(store, label) else {
        return Ok(Vec::new());
    };
    Ok(
        plan.customers_where(store, population, |first_step, relabelled| {
            step.checked_sub(first_step)
                .and_then(|i| relabelled.get(i))
                .is_some_and(|&l| l == wanted)
        }),
    )
}

/// The customers (ascending) behind the link from `source` at `step` to `target` at `step + 1`.
pub fn link_customers(
    store: &Store,
    ctx: &Context,
    spec: &PathsSpec,
    population: Option<&CustomerSet>,
    step: usize,
    source: &str,
    target: &str,
) -> Result<Vec<CustomerIx>, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let (Some(source), Some(target)) = (plan.label_id(store, source), plan.label_id(store, target))
    else {
        return Ok(Vec::new());
    };
    Ok(
        plan.customers_where(store, population, |first_step, relabelled| {
            step.checked_sub(first_step).is_some_and(|i| {
                relabelled.get(i) == Some(&source) && relabelled.get(i + 1) == Some(&target)
            })
        }),
    )
}

/// Bit of [`Plan::masks`]: the event is one that paths are made of.
const PATH_EVENT: u32 = 1;
/// Bit of [`Plan::masks`]: the event matches the anchor.
const ANCHOR_EVENT: u32 = 2;

/// A validated spec compiled against the store. Labels are event type ids, plus `other`.
struct Plan {
    /// [`PATH_EVENT`] and [`ANCHOR_EVENT`] bits.
    masks: FilterMasks,
    /// Indexed by event type id.
    hidden: Vec<bool>,
    anchor: Option<AnchorSide>,
    gap: i64,
    steps: usize,
    top: usize,
    from: i64,
    to: i64,
    now: i64,
    /// The label id of `(other)`: one past the last event type id.
    other: usize,
    /// Number of label ids.
    labels: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnchorSide {
    Start,
    End,
}

/// All paths of a query, customers ascending: flat columns, so collecting allocates per path
/// rather than per event, and the top and the relabelled counts are two passes over them.
#[derive(Default)]
struct Paths {
    customers: Vec<CustomerIx>,
    first_steps: Vec<u8>,
    /// `types[starts[i]..starts[i + 1]]` is path i.
    starts: Vec<u32>,
    types: Vec<EventTypeId>,
}

impl Paths {
    fn push(&mut self, customer: CustomerIx, first_step: usize, types: &[EventTypeId]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.customers.push(customer);
        self.first_steps.push(first_step as u8);
        self.types.extend_from_slice(types);
        self.starts.push(self.types.len() as u32);
    }

    /// (customer, first step, event types) of every path.
    fn iter(&self) -> impl Iterator<Item = (CustomerIx, usize, &[EventTypeId])> + '_ {
        self.starts.windows(2).enumerate().map(|(i, bounds)| {
            (
                self.customers[i],
                self.first_steps[i] as usize,
                &self.types[bounds[0] as usize..bounds[1] as usize],
            )
        })
    }
}

impl Plan {
    fn new(store: &Store, ctx: &Context, spec: &PathsSpec) -> Result<Plan, QueryError> {
        if spec.session_gap_minutes == 0 {
            return Err(QueryError::invalid(
                "session_gap_minutes",
                "the session gap must be at least one minute",
            ));
        }
        if !(2..=MAX_PATH_STEPS).contains(&spec.steps) {
            return Err(QueryError::invalid(
                "steps",
                format!("paths have 2 to {MAX_PATH_STEPS} steps"),
            ));
        }
        if spec.top == 0 {
            return Err(QueryError::invalid("top", "keep at least one transition"));
        }
        if spec.events.event.trim().is_empty() {
            return Err(QueryError::invalid("events.event", "name an event type"));
        }
        let anchor = match &spec.anchor {
            PathAnchor::None => None,
            PathAnchor::Start { event } => Some((AnchorSide::Start, event)),
            PathAnchor::End { event } => Some((AnchorSide::End, event)),
        };
        let mut matchers = vec![EventMatcher::new(store, &spec.events)];
        if let Some((_, filter)) = anchor {
            if filter.event.trim().is_empty() {
                return Err(QueryError::invalid("anchor.event", "name an event type"));
            }
            if spec.hidden.contains(&filter.event) {
                return Err(QueryError::invalid(
                    "hidden",
                    format!("the anchor {:?} cannot be hidden", filter.event),
                ));
            }
            matchers.push(EventMatcher::new(store, filter));
        }
        let (from, to) = time_range(ctx, spec.from.as_deref(), spec.to.as_deref())?;
        let types = store.event_types.len();
        Ok(Plan {
            masks: FilterMasks::new(store, matchers),
            hidden: store
                .event_types
                .names()
                .map(|name| spec.hidden.iter().any(|h| h == name))
                .collect(),
            anchor: anchor.map(|(side, _)| side),
            gap: spec.session_gap_minutes as i64 * 60,
            steps: spec.steps,
            top: spec.top,
            from,
            to,
            now: ctx.now,
            other: types,
            labels: types + 1,
        })
    }

    fn node_key(&self, step: usize, label: usize) -> usize {
        step * self.labels + label
    }

    fn link_key(&self, step: usize, source: usize, target: usize) -> usize {
        (step * self.labels + source) * self.labels + target
    }

    fn label_name<'a>(&self, store: &'a Store, label: usize) -> &'a str {
        if label == self.other {
            OTHER_LABEL
        } else {
            store.event_types.name(label as u32)
        }
    }

    fn label_id(&self, store: &Store, name: &str) -> Option<usize> {
        if name == OTHER_LABEL {
            Some(self.other)
        } else {
            store.event_type(name).map(usize::from)
        }
    }

    /// Every path of at least two events.
    fn collect_paths(&self, store: &Store, population: Option<&CustomerSet>) -> Paths {
        let mut paths = Paths::default();
        // The current session: (event type, matches the anchor), written through a slice.
        let mut session: Vec<(EventTypeId, bool)> = Vec::new();
        let hidden = &self.hidden[..];
        for customer in 0..store.customers.len() as CustomerIx {
            if !includes(population, customer) {
                continue;
            }
            let range = store.events.of_customer(customer);
            let first = range.start;
            let times = &store.events.at[range.clone()];
            let types = &store.events.event_type[range];
            if session.len() < times.len() {
                session.resize(times.len(), (0, false));
            }
            let mut length = 0;
            let mut last_at = i64::MIN;
            for (offset, (&at, &event_type)) in times.iter().zip(types).enumerate() {
                if at > self.now || at >= self.to {
                    break;
                }
                if at < self.from || hidden.get(event_type as usize).copied().unwrap_or(false) {
                    continue;
                }
                let mask = self.masks.mask(store, first + offset, event_type);
                if mask & (PATH_EVENT | ANCHOR_EVENT) == 0 {
                    continue;
                }
                if length > 0 && at - last_at > self.gap {
                    self.path_of_session(&session[..length], customer, &mut paths);
                    length = 0;
                }
                session[length] = (event_type, mask & ANCHOR_EVENT != 0);
                length += 1;
                last_at = at;
            }
            if length > 0 {
                self.path_of_session(&session[..length], customer, &mut paths);
            }
        }
        paths
    }

    fn path_of_session(
        &self,
        session: &[(EventTypeId, bool)],
        customer: CustomerIx,
        paths: &mut Paths,
    ) {
        let (events, first_step) = match self.anchor {
            None => (&session[..session.len().min(self.steps)], 0),
            Some(side) => {
                let Some(at) = session.iter().position(|&(_, anchor)| anchor) else {
                    return;
                };
                match side {
                    AnchorSide::Start => (&session[at..session.len().min(at + self.steps)], 0),
                    AnchorSide::End => {
                        let start = (at + 1).saturating_sub(self.steps);
                        let events = &session[start..=at];
                        (events, self.steps - events.len())
                    }
                }
            }
        };
        if events.len() < 2 {
            return;
        }
        let mut types = [0 as EventTypeId; MAX_PATH_STEPS];
        for (slot, &(event_type, _)) in types.iter_mut().zip(events) {
            *slot = event_type;
        }
        paths.push(customer, first_step, &types[..events.len()]);
    }

    /// Which `(step, label)` nodes are endpoints of the top transitions, indexed by node key.
    fn shown_nodes(&self, store: &Store, paths: &Paths) -> Vec<bool> {
        let labels = self.labels;
        let mut links = UniqueCounter::new(self.steps * labels * labels);
        for (customer, first_step, path) in paths.iter() {
            for (i, pair) in path.windows(2).enumerate() {
                let key = self.link_key(first_step + i, pair[0] as usize, pair[1] as usize);
                links.add(key, customer);
            }
        }
        let mut ranked: Vec<(usize, usize)> = links.counts().collect();
        let name = |label: usize| self.label_name(store, label);
        let parts = |key: usize| (key / labels / labels, key / labels % labels, key % labels);
        ranked.sort_by(|a, b| {
            let (sa, xa, ya) = parts(a.0);
            let (sb, xb, yb) = parts(b.0);
            b.1.cmp(&a.1)
                .then(sa.cmp(&sb))
                .then(name(xa).cmp(name(xb)))
                .then(name(ya).cmp(name(yb)))
        });
        let mut shown = vec![false; self.steps * labels];
        for &(key, _) in ranked.iter().take(self.top) {
            let (step, source, target) = parts(key);
            shown[self.node_key(step, source)] = true;
            shown[self.node_key(step + 1, target)] = true;
        }
        shown
    }

    fn relabel(
        &self,
        shown: &[bool],
        first_step: usize,
        path: &[EventTypeId],
        relabelled: &mut Vec<usize>,
    ) {
        relabelled.clear();
        relabelled.extend(path.iter().enumerate().map(|(i, &t)| {
            let label = t as usize;
            if shown[self.node_key(first_step + i, label)] {
                label
            } else {
                self.other
            }
        }));
    }

    /// The customers with a relabelled path for which `wanted(first step, labels)` holds.
    fn customers_where(
        &self,
        store: &Store,
        population: Option<&CustomerSet>,
        wanted: impl Fn(usize, &[usize]) -> bool,
    ) -> Vec<CustomerIx> {
        let paths = self.collect_paths(store, population);
        let shown = self.shown_nodes(store, &paths);
        let mut customers: Vec<CustomerIx> = Vec::new();
        let mut relabelled = Vec::with_capacity(self.steps);
        for (customer, first_step, path) in paths.iter() {
            if customers.last() == Some(&customer) {
                continue;
            }
            self.relabel(&shown, first_step, path, &mut relabelled);
            if wanted(first_step, &relabelled) {
                customers.push(customer);
            }
        }
        customers
    }
}

/// Distinct customers per key. Customers arrive in ascending order, so remembering the last one
/// per key is enough to count each once. Small key spaces use a dense table.
struct UniqueCounter {
    /// Per key: (customers, last customer + 1, 0 for none).
    dense: Vec<(u32, u32)>,
    sparse: HashMap<usize, (u32, u32)>,
}

/// Keys up to this many use the dense table (8 bytes each).
const DENSE_KEYS: usize = 1 << 21;

impl UniqueCounter {
    fn new(keys: usize) -> UniqueCounter {
        UniqueCounter {
            dense: if keys <= DENSE_KEYS {
                vec![(0, 0); keys]
            } else {
                Vec::new()
            },
            sparse: HashMap::new(),
        }
    }

    // Always inlined: it runs for every node and link of every path.
    #[inline(always)]
    fn add(&mut self, key: usize, customer: CustomerIx) {
        let slot = if self.dense.is_empty() {
            self.sparse.entry(key).or_default()
        } else {
            &mut self.dense[key]
        };
        if slot.1 != customer + 1 {
            slot.1 = customer + 1;
            slot.0 += 1;
        }
    }

    /// (key, customers) of every key seen.
    fn counts(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.0 > 0)
            .map(|(key, slot)| (key, slot.0 as usize));
        let sparse = self
            .sparse
            .iter()
            .map(|(&key, slot)| (key, slot.0 as usize));
        dense.chain(sparse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::funnel::tests::{context_at, store_of};
    use crate::engine::population::everyone;
    use crate::engine::time::DAY;

    fn spec() -> PathsSpec {
        serde_json::from_str("{}").expect("all fields have defaults")
    }

    /// Nodes as (step, label, customers) and links as (source label, target label, customers).
    type Sankey = (Vec<(usize, String, usize)>, Vec<(String, String, usize)>);

    fn sankey(result: &PathsResult) -> Sankey {
        let nodes = result
            .nodes
            .iter()
            .map(|n| (n.step, n.label.clone(), n.customers))
            .collect();
        let links = result
            .links
            .iter()
            .map(|l| {
                let (source, target) = (&result.nodes[l.source], &result.nodes[l.target]);
                assert_eq!(source.step + 1, target.step);
                (source.label.clone(), target.label.clone(), l.customers)
            })
            .collect();
        (nodes, links)
    }

    fn node(step: usize, label: &str, customers: usize) -> (usize, String, usize) {
        (step, label.to_owned(), customers)
    }

    fn link(source: &str, target: &str, customers: usize) -> (String, String, usize) {
        (source.to_owned(), target.to_owned(), customers)
    }

    #[test]
    fn sessions_break_after_more_than_the_gap() {
        let store = store_of(
            &[("a", 0)],
            &[
                ("a", "visit", 0),
                ("a", "cart", 1_800),
                ("a", "purchase", 3_601),
                ("a", "visit", 3_700),
            ],
        );
        let result = run(&store, &context_at(DAY), &spec(), None).expect("runs");
        // Exactly 30 minutes stays in the session; 30 minutes and 1 second starts a new one.
        assert_eq!(
            sankey(&result),
            (
                vec![
                    node(0, "purchase", 1),
                    node(0, "visit", 1),
                    node(1, "cart", 1),
                    node(1, "visit", 1)
                ],
                vec![link("purchase", "visit", 1), link("visit", "cart", 1)]
            )
        );
        assert_eq!(result.customers, 1);
    }

    #[test]
    fn transitions_count_unique_customers_per_step() {
        let store = store_of(
            &[("a", 0), ("b", 0)],
            &[
                // a: the same path in three sessions.
                ("a", "visit", 0),
                ("a", "cart", 60),
                ("a", "visit", DAY),
                ("a", "cart", DAY + 60),
                ("a", "visit", 2 * DAY),
                ("a", "cart", 2 * DAY + 60),
                // b: one session repeating the transition at later steps.
                ("b", "visit", 0),
                ("b", "cart", 60),
                ("b", "visit", 120),
                ("b", "cart", 180),
                ("b", "message_sent", 200),
            ],
        );
        let result = run(&store, &context_at(3 * DAY), &spec(), None).expect("runs");
        let (nodes, links) = sankey(&result);
        assert_eq!(
            nodes,
            vec![
                node(0, "visit", 2),
                node(1, "cart", 2),
                node(2, "visit", 1),
                node(3, "cart", 1)
            ],
            "messages are not activity"
        );
        assert_eq!(
            links,
            vec![
                link("visit", "cart", 2),
                link("cart", "visit", 1),
                link("visit", "cart", 1)
            ]
        );
        let mut with_messages = spec();
        with_messages.events = EventFilter::of("$any");
        let result = run(&store, &context_at(3 * DAY), &with_messages, None).expect("runs");
        assert_eq!(
            result.nodes.last().map(|n| n.label.as_str()),
            Some("message_sent")
        );
    }

    fn journeys() -> Store {
        store_of(
            &[("a", 0), ("b", 0), ("c", 0)],
            &[
                ("a", "visit", 0),
                ("a", "page_view", 10),
                ("a", "cart", 20),
                ("a", "purchase", 30),
                ("a", "visit", 40),
                ("a", "purchase", 50),
                ("b", "cart", 0),
                ("b", "purchase", 10),
                ("c", "visit", 0),
                ("c", "page_view", 10),
            ],
        )
    }

    #[test]
    fn start_anchor_begins_at_the_first_anchor_event() {
        let mut spec = spec();
        spec.anchor = PathAnchor::Start {
            event: EventFilter::of("cart"),
        };
        spec.steps = 3;
        let result = run(&journeys(), &context_at(DAY), &spec, None).expect("runs");
        assert_eq!(
            sankey(&result),
            (
                vec![
                    node(0, "cart", 2),
                    node(1, "purchase", 2),
                    node(2, "visit", 1)
                ],
                vec![link("cart", "purchase", 2), link("purchase", "visit", 1)]
            )
        );
        assert_eq!(result.customers, 2, "c never added to the cart");
    }

    #[test]
    fn end_anchor_aligns_paths_at_the_last_step() {
        let mut spec = spec();
        spec.anchor = PathAnchor::End {
            event: EventFilter::of("purchase"),
        };
        spec.steps = 3;
        let result = run(&journeys(), &context_at(DAY), &spec, None).expect("runs");
        assert_eq!(
            sankey(&result),
            (
                vec![
                    node(0, "page_view", 1),
                    node(1, "cart", 2),
                    node(2, "purchase", 2)
                ],
                vec![link("page_view", "cart", 1), link("cart", "purchase", 2)]
            )
        );
    }

    #[test]
    fn hidden_events_are_removed_before_sessions_are_cut() {
        let store = store_of(
            &[("a", 0)],
            &[
                ("a", "visit", 0),
                ("a", "page_view", 1_000),
                ("a", "cart", 2_000),
            ],
        );
        let mut spec = spec();
        let visible = run(&store, &context_at(DAY), &spec, None).expect("runs");
        assert_eq!(visible.links.len(), 2);
        spec.hidden = vec!["page_view".into()];
        let hidden = run(&store, &context_at(DAY), &spec, None).expect("runs");
        // Without the page view the 2 000 s pause exceeds 30 minutes: two one-event sessions.
        assert_eq!(hidden.customers, 0);
        assert!(hidden.nodes.is_empty() && hidden.links.is_empty());
        spec.session_gap_minutes = 40;
        let longer = run(&store, &context_at(DAY), &spec, None).expect("runs");
        assert_eq!(sankey(&longer).1, vec![link("visit", "cart", 1)]);
    }

    fn crowd() -> Store {
        store_of(
            &[("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 0), ("f", 0)],
            &[
                ("a", "visit", 0),
                ("a", "cart", 10),
                ("b", "visit", 0),
                ("b", "cart", 10),
                ("c", "visit", 0),
                ("c", "cart", 10),
                ("d", "visit", 0),
                ("d", "search", 10),
                ("e", "visit", 0),
                ("e", "search", 10),
                ("f", "home", 0),
                ("f", "cart", 10),
            ],
        )
    }

    #[test]
    fn transitions_beyond_the_top_go_to_other() {
        let store = crowd();
        let mut spec = spec();
        spec.top = 1;
        let ctx = context_at(DAY);
        let result = run(&store, &ctx, &spec, None).expect("runs");
        assert_eq!(
            sankey(&result),
            (
                vec![
                    node(0, "visit", 5),
                    node(0, OTHER_LABEL, 1),
                    node(1, "cart", 4),
                    node(1, OTHER_LABEL, 2)
                ],
                vec![
                    link("visit", "cart", 3),
                    link("visit", OTHER_LABEL, 2),
                    link(OTHER_LABEL, "cart", 1)
                ]
            )
        );
        assert_eq!(result.customers, 6);
        let nodes = |step, label| node_customers(&store, &ctx, &spec, None, step, label);
        assert_eq!(nodes(1, OTHER_LABEL), Ok(vec![3, 4]));
        assert_eq!(nodes(0, "visit"), Ok(vec![0, 1, 2, 3, 4]));
        assert_eq!(nodes(0, "nope"), Ok(vec![]));
        let links = |source, target| link_customers(&store, &ctx, &spec, None, 0, source, target);
        assert_eq!(links(OTHER_LABEL, "cart"), Ok(vec![5]));
        assert_eq!(links("visit", "cart"), Ok(vec![0, 1, 2]));
        assert_eq!(links("cart", "visit"), Ok(vec![]));
        // Ties in customers go by name: with two kept, visit → cart and then visit → search.
        spec.top = 2;
        let result = run(&store, &ctx, &spec, None).expect("runs");
        assert_eq!(sankey(&result).1.len(), 3);
        assert_eq!(result.nodes[3].label, "search");
    }

    #[test]
    fn other_comes_last_within_a_step_even_when_larger() {
        let store = store_of(
            &[("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 0)],
            &[
                ("a", "visit", 0),
                ("a", "cart", 10),
                ("b", "visit", 0),
                ("b", "cart", 10),
                ("c", "home", 0),
                ("c", "search", 10),
                ("d", "faq", 0),
                ("d", "search", 10),
                ("e", "login", 0),
                ("e", "search", 10),
            ],
        );
        let mut spec = spec();
        spec.top = 1;
        let result = run(&store, &context_at(DAY), &spec, None).expect("runs");
        assert_eq!(
            sankey(&result).0,
            vec![
                node(0, "visit", 2),
                node(0, OTHER_LABEL, 3),
                node(1, "cart", 2),
                node(1, OTHER_LABEL, 3)
            ]
        );
    }

    #[test]
    fn population_and_date_range_limit_the_paths() {
        let store = crowd();
        let mut population = everyone(&store);
        population.set(5, false);
        let mut spec = spec();
        let ctx = context_at(DAY);
        let result = run(&store, &ctx, &spec, Some(&population)).expect("runs");
        assert_eq!(result.customers, 5);
        assert!(result.nodes.iter().all(|n| n.label != "home"));
        // From 5 s on, each customer has one event left: no paths.
        spec.from = Some(
            chrono::DateTime::from_timestamp(crate::engine::funnel::tests::base() + 5, 0)
                .expect("t")
                .to_rfc3339(),
        );
        assert_eq!(run(&store, &ctx, &spec, None).expect("runs").customers, 0);
        assert_eq!(
            run(
                &store,
                &context_at(5),
                &PathsSpec { from: None, ..spec },
                None
            )
            .expect("runs")
            .customers,
            0
        );
    }

    #[test]
    fn empty_data_and_invalid_specs() {
        let empty = store_of(&[], &[]);
        let result = run(&empty, &context_at(0), &spec(), None).expect("runs");
        assert_eq!(
            result,
            PathsResult {
                nodes: vec![],
                links: vec![],
                customers: 0
            }
        );
        let error_path = |change: &dyn Fn(&mut PathsSpec)| {
            let mut spec = spec();
            change(&mut spec);
            run(&empty, &context_at(0), &spec, None)
                .expect_err("invalid")
                .path
        };
        assert_eq!(
            error_path(&|s| s.session_gap_minutes = 0),
            "session_gap_minutes"
        );
        assert_eq!(error_path(&|s| s.steps = 1), "steps");
        assert_eq!(error_path(&|s| s.steps = MAX_PATH_STEPS + 1), "steps");
        assert_eq!(error_path(&|s| s.top = 0), "top");
        assert_eq!(
            error_path(&|s| s.events = EventFilter::of("")),
            "events.event"
        );
        assert_eq!(error_path(&|s| s.to = Some("soon".into())), "to");
        assert_eq!(
            error_path(&|s| {
                s.anchor = PathAnchor::End {
                    event: EventFilter::of("cart"),
                };
                s.hidden = vec!["cart".into()];
            }),
            "hidden"
        );
    }

    #[test]
    fn specs_read_json_with_defaults() {
        let spec = spec();
        assert_eq!(
            (spec.session_gap_minutes, spec.steps, spec.top),
            (30, 5, 50)
        );
        assert_eq!(
            (spec.anchor.clone(), spec.events.event.as_str()),
            (PathAnchor::None, ANY_ACTIVITY)
        );
        let anchored: PathsSpec = serde_json::from_str(
            r#"{"anchor":{"at":"end","event":{"event":"purchase"}},"hidden":["page_view"],"steps":3}"#,
        )
        .expect("valid");
        assert_eq!(
            anchored.anchor,
            PathAnchor::End {
                event: EventFilter::of("purchase")
            }
        );
        let back: PathsSpec =
            serde_json::from_str(&serde_json::to_string(&anchored).expect("json")).expect("valid");
        assert_eq!(back, anchored);
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) mod properties {
        use super::*;
        use crate::engine::funnel::tests::properties::dataset;
        use proptest::prelude::*;

        fn paths_spec() -> impl Strategy<Value = PathsSpec> {
            let kind =
                prop::sample::select(vec!["visit", "cart", "purchase", "message_sent", "nope"]);
            let anchor = (0..3usize, kind.clone()).prop_map(|(side, event)| match side {
                0 => PathAnchor::None,
                1 => PathAnchor::Start {
                    event: EventFilter::of(event),
                },
                _ => PathAnchor::End {
                    event: EventFilter::of(event),
                },
            });
            (
                0u32..120,
                anchor,
                0usize..12,
                prop::collection::vec(kind, 0..2),
                prop::sample::select(vec!["$activity", "$any"]),
                0usize..4,
            )
                .prop_map(|(gap, anchor, steps, hidden, events, top)| PathsSpec {
                    session_gap_minutes: gap * 30,
                    anchor,
                    steps,
                    hidden: hidden.into_iter().map(str::to_owned).collect(),
                    events: EventFilter::of(events),
                    top,
                    from: None,
                    to: None,
                })
        }

        /// Nodes as (step, label, customers) and links as (step, source, target, customers), sorted.
        type Flat = (
            Vec<(usize, String, usize)>,
            Vec<(usize, String, String, usize)>,
            usize,
        );

        /// The documented rules, evaluated naively with names and sets.
        fn reference(store: &Store, ctx: &Context, spec: &PathsSpec) -> Flat {
            use std::collections::{BTreeMap, BTreeSet};
            let events = EventMatcher::new(store, &spec.events);
            let (side, anchor) = match &spec.anchor {
                PathAnchor::None => (None, None),
                PathAnchor::Start { event } => (
                    Some(AnchorSide::Start),
                    Some(EventMatcher::new(store, event)),
                ),
                PathAnchor::End { event } => {
                    (Some(AnchorSide::End), Some(EventMatcher::new(store, event)))
                }
            };
            let is_anchor = |e: usize| anchor.as_ref().is_some_and(|a| a.matches(store, e));
            let name = |e: usize| {
                store
                    .event_types
                    .name(store.events.event_type[e] as u32)
                    .to_owned()
            };
            // (customer, first step, names) of every path.
            let mut paths: Vec<(CustomerIx, usize, Vec<String>)> = Vec::new();
            for customer in 0..store.customers.len() as CustomerIx {
                let kept: Vec<usize> = store
                    .events
                    .of_customer(customer)
                    .filter(|&e| store.events.at[e] <= ctx.now)
                    .filter(|&e| !spec.hidden.contains(&name(e)))
                    .filter(|&e| events.matches(store, e) || is_anchor(e))
                    .collect();
                let mut sessions: Vec<Vec<usize>> = Vec::new();
                for (i, &e) in kept.iter().enumerate() {
                    let gap = i > 0
                        && store.events.at[e] - store.events.at[kept[i - 1]]
                            > spec.session_gap_minutes as i64 * 60;
                    if i == 0 || gap {
                        sessions.push(Vec::new());
                    }
                    sessions.last_mut().expect("session").push(e);
                }
                for session in sessions {
                    let (slice, first_step): (Vec<usize>, usize) = match side {
                        None => (session.iter().take(spec.steps).copied().collect(), 0),
                        Some(side) => {
                            let Some(at) = session.iter().position(|&e| is_anchor(e)) else {
                                continue;
                            };
                            if side == AnchorSide::Start {
                                (session[at..].iter().take(spec.steps).copied().collect(), 0)
                            } else {
                                let start = (at + 1).saturating_sub(spec.steps);
                                (session[start..=at].to_vec(), spec.steps - (at + 1 - start))
                            }
                        }
                    };
                    if slice.len() >= 2 {
                        paths.push((customer, first_step, slice.into_iter().map(name).collect()));
                    }
                }
            }
            let mut raw: BTreeMap<(usize, String, String), BTreeSet<CustomerIx>> = BTreeMap::new();
            for (customer, first, names) in &paths {
                for (i, pair) in names.windows(2).enumerate() {
                    raw.entry((first + i, pair[0].clone(), pair[1].clone()))
                        .or_default()
                        .insert(*customer);
                }
            }
            let mut ranked: Vec<_> = raw
                .iter()
                .map(|(key, set)| (set.len(), key.clone()))
                .collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut shown: BTreeSet<(usize, String)> = BTreeSet::new();
            for (_, (step, source, target)) in ranked.into_iter().take(spec.top) {
                shown.insert((step, source));
                shown.insert((step + 1, target));
            }
            let mut nodes: BTreeMap<(usize, String), BTreeSet<CustomerIx>> = BTreeMap::new();
            let mut links: BTreeMap<(usize, String, String), BTreeSet<CustomerIx>> =
                BTreeMap::new();
            for (customer, first, names) in &paths {
                let labels: Vec<String> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        if shown.contains(&(first + i, n.clone())) {
                            n.clone()
                        } else {
                            OTHER_LABEL.to_owned()
                        }
                    })
                    .collect();
                for (i, label) in labels.iter().enumerate() {
                    nodes
                        .entry((first + i, label.clone()))
                        .or_default()
                        .insert(*customer);
                }
                for (i, pair) in labels.windows(2).enumerate() {
                    links
                        .entry((first + i, pair[0].clone(), pair[1].clone()))
                        .or_default()
                        .insert(*customer);
                }
            }
            let customers: BTreeSet<CustomerIx> = paths.iter().map(|p| p.0).collect();
            (
                nodes
                    .into_iter()
                    .map(|((step, label), set)| (step, label, set.len()))
                    .collect(),
                links
                    .into_iter()
                    .map(|((step, a, b), set)| (step, a, b, set.len()))
                    .collect(),
                customers.len(),
            )
        }

        fn flatten(result: &PathsResult) -> Flat {
            let mut nodes: Vec<_> = result
                .nodes
                .iter()
                .map(|n| (n.step, n.label.clone(), n.customers))
                .collect();
            nodes.sort();
            let mut links: Vec<_> = result
                .links
                .iter()
                .map(|l| {
                    let (s, t) = (&result.nodes[l.source], &result.nodes[l.target]);
                    (s.step, s.label.clone(), t.label.clone(), l.customers)
                })
                .collect();
            links.sort();
            (nodes, links, result.customers)
        }

        proptest! {
            #[test]
            fn results_match_a_naive_reading_of_the_rules(
                store in dataset(),
                spec in paths_spec(),
                now in 0..4 * DAY,
            ) {
                let ctx = context_at(now);
                if let Ok(result) = run(&store, &ctx, &spec, None) {
                    prop_assert_eq!(flatten(&result), reference(&store, &ctx, &spec));
                }
            }

            #[test]
            fn random_paths_never_panic_and_links_fit_their_nodes(
                store in dataset(),
                spec in paths_spec(),
                now in 0..4 * DAY,
            ) {
                let ctx = context_at(now);
                if let Ok(result) = run(&store, &ctx, &spec, None) {
                    for l in &result.links {
                        prop_assert!(l.customers <= result.nodes[l.source].customers);
                        prop_assert!(l.customers <= result.nodes[l.target].customers);
                        let source = &result.nodes[l.source];
                        let target = &result.nodes[l.target];
                        let behind = link_customers(&store, &ctx, &spec, None, source.step, &source.label, &target.label)
                            .expect("valid");
                        prop_assert_eq!(behind.len(), l.customers);
                    }
                    for n in &result.nodes {
                        prop_assert!(n.customers <= result.customers);
                        let behind = node_customers(&store, &ctx, &spec, None, n.step, &n.label).expect("valid");
                        prop_assert_eq!(behind.len(), n.customers);
                    }
                }
            }
        }
    }
}
