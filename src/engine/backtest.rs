//! Backtest: replays the last N days of real history through one or more journeys.
//!
//! # Semantics
//!
//! The window is `from < t <= now` with `from = now − days × 24 h`. Times are unix seconds; `D`
//! is 86 400 s. Each customer is replayed on their own, through every journey of the spec
//! together (frequency caps count across them).
//!
//! **Entry.** Triggers in the window, in time order:
//! - `event`: every matching event (`from < at <= now`), at its time.
//! - `segment`: the rule is evaluated at every local midnight (query zone) from the one starting
//!   `from`'s day up to `now`; a customer who is a member at a check and was not at the previous
//!   one enters at that check. Members at the first check do not enter (they did not join).
//! - `date`: the attribute's local date (query zone) plus `offset_days`, at `hour`:00 local
//!   time; `yearly` uses the anniversary in each year (29 February → 28 February in other years).
//!
//! Re-entry (history before the window is not replayed): `once` enters on the first trigger in
//! the window only; `after_finish` on a trigger at or after the
//! previous visit finished (completed, exited or put in the control group; a visit still in
//! progress blocks); `cooldown` also needs `days` since the previous entry. Only customers in the
//! query's `filter` (if any) enter.
//!
//! **Steps.** A customer arrives at a node at time `t`. First, if an exit event (strictly after
//! the entry and at most now) happened at or before `t`, the visit is *exited* at that event.
//! Else, if `t > now`, the visit is *in progress* (it has not reached the node yet). Else the
//! node counts the customer and acts:
//! - `delay`: on to `next` at `t + duration`.
//! - `wait`: the first matching event with `t < at <= min(t + timeout, now)` sends them to `next`
//!   at its time; with none and `t + timeout <= now`, to `timeout_next` at `t + timeout`; else the
//!   visit is in progress (still waiting).
//! - `branch`: the rule is evaluated as of `t` (its windows end at `t`, later events unseen).
//! - `split`: a deterministic number in [0, 100) from a hash of (seed, journey name, node id,
//!   customer id) picks the path by cumulative percentages, paths first, then the control group.
//!   The control group leaves the journey there (no more messages) and is counted as `control`.
//! - `message`: if consent is respected and the customer did not consent to the channel (in-app
//!   needs none), it is *skipped for consent*. Otherwise an advertising message inside quiet
//!   hours (the customer's local time: their `time_zone_attribute`, else the query's zone) is
//!   *deferred* to the end of quiet hours (21:30 with 21:00–08:00 → 08:00 the next day; 03:00 →
//!   08:00 the same day). If that is after now it is *pending*; if an exit event comes first the
//!   message is *cancelled* and the visit exits. The flow continues at the send time.
//!   Frequency caps are then applied to the customer's messages of all journeys in send-time
//!   order: a message is *held by the cap* (not sent; the flow still goes on) when the customer
//!   already got `per_day` messages of that channel that local day or `per_week` that local week
//!   (query's week start), counting only messages sent in this backtest, under the cap of the
//!   message's own journey. Otherwise it is *sent*.
//! - `exit`, or an outlet that leads nowhere: the visit is *completed*.
//!
//! A visit that passes 1,000 steps stops as in progress (counted in `step_limit`).
//!
//! **Goal.** A visit reached the goal when a matching event falls in `entered < at <=
//! min(entered + within_days × D, now)`. Treated visits are those not put in a control group;
//! rates are reached / visits of each group, and the uplift is the difference in percentage
//! points (`null` without a control group). `open_windows` counts visits whose goal window had not
//! ended by now.
//!
//! **Counts.** Visits: `entries = completed + exited + in_progress + control`. Nodes and edges
//! count unique customers (and `visits` / `times` with repeats). Channels count messages:
//! `attempted = sent + skipped_consent + held_by_cap + pending + cancelled`, and
//! `deferred_quiet_hours` counts those among them that quiet hours moved. The calendar counts
//! messages sent per local day (query zone) and channel. The customer lists behind any count
//! (`journey_backtest_customers`) are unique customers, in store order.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};

use super::filter::EventMatcher;
use super::journey::{Channel, Entry, Journey, Reentry, Step, CONTROL_OUTLET};
use super::journey_validate::{validate, Severity};
use super::population::{includes, CustomerSet};
use super::query::QueryError;
use super::segment::{CompiledRule, SegmentLibrary};
use super::segment_rule::Rule;
use super::store::{AttrValue, CustomerIx, Store};
use super::time::{Context, Period, Zone, DAY};

/// Steps one visit may take before it is stopped (loops through delays could run for years).
pub const MAX_STEPS: usize = 1_000;
/// The longest backtest window, in days.
pub const MAX_DAYS: u32 = 3_660;

/// What to replay: the last `days` days through each journey.
///
/// ```json
/// {"days": 90, "journeys": [{"name": "…", "entry": {…}, "start": "…", "nodes": […]}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestSpec {
    #[serde(default = "default_days")]
    pub days: u32,
    pub journeys: Vec<Journey>,
}

fn default_days() -> u32 {
    90
}

/// A backtest and the count whose customers to list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestCustomersSpec {
    #[serde(flatten)]
    pub backtest: BacktestSpec,
    /// Index into `journeys`.
    #[serde(default)]
    pub journey: usize,
    pub select: Selection,
}

/// One count of a [`JourneyBacktest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "count", rename_all = "snake_case")]
pub enum Selection {
    Entries,
    Completed,
    Exited,
    InProgress,
    Control,
    /// Customers who reached a node.
    Node {
        node: String,
    },
    /// Customers who left `node` through `outlet` (`next`, `event`, `timeout`, `yes`, `no`, a
    /// split path's label or `control`).
    Edge {
        node: String,
        outlet: String,
    },
    /// Customers with at least one message of this channel in this state.
    Channel {
        channel: Channel,
        status: MessageStatus,
    },
    /// Customers sent a message on this local date (`YYYY-MM-DD`), of one channel or any.
    Day {
        date: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
    },
    /// Visits of a goal group (treated or control) that did (or did not) reach the goal.
    Goal {
        group: GoalGroup,
        #[serde(default = "yes")]
        reached: bool,
    },
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalGroup {
    Treated,
    Control,
}

/// What happened to one message. `deferred_quiet_hours` is a selection only: it is a flag on
/// messages in any final state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Attempted,
    Sent,
    SkippedConsent,
    DeferredQuietHours,
    HeldByCap,
    Pending,
    Cancelled,
}

/// The answer to a [`BacktestSpec`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestResult {
    /// The window, RFC 3339 in the query's zone (`from` exclusive, `to` = now inclusive).
    pub from: String,
    pub to: String,
    pub days: u32,
    pub journeys: Vec<JourneyBacktest>,
    /// All journeys together, per channel.
    pub channels: Vec<ChannelCount>,
    /// All journeys together, messages sent per local day.
    pub calendar: Vec<DayCount>,
}

/// One journey's replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyBacktest {
    pub name: String,
    /// Visits (a customer who re-enters counts again).
    pub entries: usize,
    /// Unique customers who entered.
    pub customers: usize,
    pub completed: usize,
    pub exited: usize,
    pub in_progress: usize,
    pub control: usize,
    /// In-progress visits stopped at [`MAX_STEPS`].
    pub step_limit: usize,
    /// Per node, in journey order.
    pub nodes: Vec<NodeCount>,
    /// Per node outlet, in journey order.
    pub edges: Vec<EdgeCount>,
    /// Per channel (all five, in the order email, sms, push, in_app, kakao).
    pub channels: Vec<ChannelCount>,
    /// Messages sent per local day of the window (every day listed).
    pub calendar: Vec<DayCount>,
    pub goal: Option<GoalResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeCount {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Unique customers who reached the node.
    pub customers: usize,
    /// Arrivals, repeats included.
    pub visits: usize,
    /// Message nodes only: what happened to their messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<ChannelCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeCount {
    pub from: String,
    pub outlet: String,
    /// The node it leads to; `null` for a dead end or the control group.
    pub to: Option<String>,
    pub customers: usize,
    pub times: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelCount {
    pub channel: Channel,
    pub attempted: usize,
    pub sent: usize,
    pub skipped_consent: usize,
    pub deferred_quiet_hours: usize,
    pub held_by_cap: usize,
    pub pending: usize,
    pub cancelled: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`, local to the query's zone.
    pub date: String,
    /// Messages sent that day per channel (all five channels listed).
    pub counts: BTreeMap<Channel, usize>,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    pub event: String,
    pub within_days: u32,
    /// All visits that reached the goal.
    pub reached: usize,
    pub treated: usize,
    pub treated_reached: usize,
    pub treated_rate: Option<f64>,
    pub control: usize,
    pub control_reached: usize,
    pub control_rate: Option<f64>,
    /// Treated rate minus control rate, in percentage points.
    pub uplift_points: Option<f64>,
    /// Visits whose goal window was still open at now.
    pub open_windows: usize,
}

/// How a visit ended (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Completed,
    Exited,
    InProgress,
    Control,
}

#[derive(Debug, Clone)]
struct Message {
    node: u32,
    channel: Channel,
    /// Send time (after any deferral).
    at: i64,
    deferred: bool,
    status: MessageStatus,
}

/// One customer's passage through one journey.
#[derive(Debug, Clone)]
struct Visit {
    customer: CustomerIx,
    entered: i64,
    outcome: Outcome,
    /// When it completed, exited or joined the control group.
    finished: Option<i64>,
    step_limit: bool,
    /// Node indices in arrival order.
    nodes: Vec<u32>,
    /// (node index, outlet index) in order; the control group's outlet is `CONTROL`.
    edges: Vec<(u32, u32)>,
    messages: Vec<Message>,
    goal_at: Option<i64>,
}

const CONTROL: u32 = u32::MAX;

/// A node with its links resolved to indices.
enum Compiled {
    Delay {
        seconds: i64,
        next: Option<usize>,
    },
    Wait {
        event: EventMatcher,
        seconds: i64,
        next: Option<usize>,
        timeout_next: Option<usize>,
    },
    Branch {
        rule: Rule,
        yes: Option<usize>,
        no: Option<usize>,
    },
    Split {
        /// (cumulative upper bound in percent, next).
        paths: Vec<(f64, Option<usize>)>,
    },
    Message {
        channel: Channel,
        advertising: bool,
        next: Option<usize>,
    },
    Exit,
}

enum CompiledEntry {
    Event(EventMatcher),
    /// Members at each check time (the first is the baseline).
    Segment(Vec<(i64, CustomerSet)>),
    Date {
        column: usize,
        offset_days: i32,
        yearly: bool,
        hour: u32,
    },
}

struct CompiledJourney<'a> {
    journey: &'a Journey,
    entry: CompiledEntry,
    exits: Vec<EventMatcher>,
    goal: Option<(EventMatcher, i64)>,
    /// Quiet span in seconds after local midnight.
    quiet: Option<(i64, i64)>,
    caps: Vec<(Channel, Option<u32>, Option<u32>)>,
    nodes: Vec<Compiled>,
    start: usize,
    /// Per node: the hash prefix for split assignment.
    salts: Vec<u64>,
}

/// Runs a backtest over `population` (everyone when `None`).
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &BacktestSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<BacktestResult, QueryError> {
    let replay = replay(store, ctx, spec, library, population)?;
    let mut journeys = Vec::with_capacity(spec.journeys.len());
    for (j, visits) in replay.visits.iter().enumerate() {
        journeys.push(summarise(store, &replay, &spec.journeys[j], visits));
    }
    let all: Vec<&Visit> = replay.visits.iter().flatten().collect();
    Ok(BacktestResult {
        from: rfc3339(ctx, replay.from),
        to: rfc3339(ctx, ctx.now),
        days: spec.days,
        journeys,
        channels: channel_counts(all.iter().copied(), None),
        calendar: calendar(&replay, all.iter().copied()),
    })
}

/// The customers behind one count of one journey's backtest, unique and in store order.
pub fn customers(
    store: &Store,
    ctx: &Context,
    spec: &BacktestCustomersSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<Vec<CustomerIx>, QueryError> {
    let journey = spec.backtest.journeys.get(spec.journey).ok_or_else(|| {
        QueryError::invalid(
            "journey",
            format!(
                "there are {} journeys; {} is not one of them",
                spec.backtest.journeys.len(),
                spec.journey
            ),
        )
    })?;
    let replay = replay(store, ctx, &spec.backtest, library, population)?;
    let visits = &replay.visits[spec.journey];
    let node_index = |node: &str| {
        journey.node_index(node).ok_or_else(|| {
            QueryError::invalid("select.node", format!("no step has the id {node:?}"))
        })
    };
    let mut set = CustomerSet::with_capacity(store.customers.len());
    let mut add = |c: CustomerIx| set.insert(c as usize);
    match &spec.select {
        Selection::Entries => visits.iter().for_each(|v| add(v.customer)),
        Selection::Completed | Selection::Exited | Selection::InProgress | Selection::Control => {
            let wanted = match spec.select {
                Selection::Completed => Outcome::Completed,
                Selection::Exited => Outcome::Exited,
                Selection::InProgress => Outcome::InProgress,
                _ => Outcome::Control,
            };
            visits
                .iter()
                .filter(|v| v.outcome == wanted)
                .for_each(|v| add(v.customer));
        }
        Selection::Node { node } => {
            let n = node_index(node)? as u32;
            visits
                .iter()
                .filter(|v| v.nodes.contains(&n))
                .for_each(|v| add(v.customer));
        }
        Selection::Edge { node, outlet } => {
            let n = node_index(node)?;
            let o = outlet_index(journey, n, outlet).ok_or_else(|| {
                QueryError::invalid(
                    "select.outlet",
                    format!("step {node:?} has no outlet {outlet:?}"),
                )
            })?;
            visits
                .iter()
                .filter(|v| v.edges.contains(&(n as u32, o)))
                .for_each(|v| add(v.customer));
        }
        Selection::Channel { channel, status } => visits
            .iter()
            .filter(|v| {
                v.messages
                    .iter()
                    .any(|m| m.channel == *channel && status_matches(m, *status))
            })
            .for_each(|v| add(v.customer)),
        Selection::Day { date, channel } => {
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                QueryError::invalid("select.date", format!("{date:?} is not YYYY-MM-DD"))
            })?;
            visits
                .iter()
                .filter(|v| {
                    v.messages.iter().any(|m| {
                        m.status == MessageStatus::Sent
                            && channel.is_none_or(|c| c == m.channel)
                            && ctx.zone.date(m.at) == day
                    })
                })
                .for_each(|v| add(v.customer));
        }
        Selection::Goal { group, reached } => {
            if journey.goal.is_none() {
                return Err(QueryError::invalid("select", "the journey has no goal"));
            }
            visits
                .iter()
                .filter(|v| (v.outcome == Outcome::Control) == (*group == GoalGroup::Control))
                .filter(|v| v.goal_at.is_some() == *reached)
                .for_each(|v| add(v.customer));
        }
    }
    Ok(set.ones().map(|c| c as CustomerIx).collect())
}

fn status_matches(m: &Message, status: MessageStatus) -> bool {
    match status {
        MessageStatus::Attempted => true,
        MessageStatus::DeferredQuietHours => m.deferred,
        other => m.status == other,
    }
}

fn outlet_index(journey: &Journey, node: usize, outlet: &str) -> Option<u32> {
    let step = &journey.nodes[node].step;
    if outlet == CONTROL_OUTLET && matches!(step, Step::Split { .. }) {
        return Some(CONTROL);
    }
    step.outlets()
        .iter()
        .position(|(label, _)| *label == outlet)
        .map(|o| o as u32)
}

struct Replay {
    from: i64,
    now: i64,
    zone: Zone,
    /// Per journey, every visit in customer order, then entry order.
    visits: Vec<Vec<Visit>>,
}

fn replay(
    store: &Store,
    ctx: &Context,
    spec: &BacktestSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<Replay, QueryError> {
    if spec.days == 0 || spec.days > MAX_DAYS {
        return Err(QueryError::invalid(
            "days",
            format!("must be 1–{MAX_DAYS} (got {})", spec.days),
        ));
    }
    if spec.journeys.is_empty() {
        return Err(QueryError::invalid("journeys", "name at least one journey"));
    }
    let from = ctx.now - spec.days as i64 * DAY;
    let mut compiled = Vec::with_capacity(spec.journeys.len());
    for (j, journey) in spec.journeys.iter().enumerate() {
        let path = format!("journeys[{j}]");
        let validation = validate(store, ctx, journey, library);
        if let Some(issue) = validation
            .issues
            .iter()
            .find(|i| i.severity == Severity::Error)
        {
            return Err(QueryError::invalid(
                format!("{path}.{}", issue.path),
                issue.message.clone(),
            ));
        }
        compiled.push(
            compile(store, ctx, journey, library, from, population).map_err(|e| e.within(&path))?,
        );
    }
    let zones = customer_zones(store, ctx, &spec.journeys);
    let mut visits: Vec<Vec<Visit>> = vec![Vec::new(); compiled.len()];
    let mut judge = Judge {
        store,
        ctx,
        cache: HashMap::new(),
    };
    for c in 0..store.customers.len() as CustomerIx {
        if !includes(population, c) {
            continue;
        }
        let zone = zones.get(c as usize).copied().unwrap_or(ctx.zone);
        let mut mine: Vec<(usize, Visit)> = Vec::new();
        for (j, cj) in compiled.iter().enumerate() {
            for visit in customer_visits(store, ctx, &mut judge, cj, c, zone, from) {
                mine.push((j, visit));
            }
        }
        apply_caps(ctx, zone, &compiled, &mut mine);
        for (j, visit) in mine {
            visits[j].push(visit);
        }
    }
    Ok(Replay {
        from,
        now: ctx.now,
        zone: ctx.zone,
        visits,
    })
}

/// Each customer's zone for quiet hours and caps: the first journey's `time_zone_attribute`
/// (when the customer has a known zone there), else the query's zone.
fn customer_zones(store: &Store, ctx: &Context, journeys: &[Journey]) -> Vec<Zone> {
    let Some(column) = journeys
        .first()
        .and_then(|j| store.customers.attribute(&j.rules.time_zone_attribute))
    else {
        return Vec::new();
    };
    let mut parsed: HashMap<&str, Zone> = HashMap::new();
    column
        .values
        .iter()
        .map(|value| match value {
            AttrValue::Text(name) => *parsed
                .entry(name.as_str())
                .or_insert_with(|| Zone::parse(name).unwrap_or(ctx.zone)),
            _ => ctx.zone,
        })
        .collect()
}

fn compile<'a>(
    store: &Store,
    ctx: &Context,
    journey: &'a Journey,
    library: &SegmentLibrary,
    from: i64,
    population: Option<&CustomerSet>,
) -> Result<CompiledJourney<'a>, QueryError> {
    let link = |id: &Option<String>| id.as_deref().and_then(|id| journey.node_index(id));
    let entry = match &journey.entry {
        Entry::Event { event } => CompiledEntry::Event(EventMatcher::new(store, event)),
        Entry::Segment { rule } => {
            let mut checks = Vec::new();
            let mut day = ctx.zone.date(from);
            loop {
                let at = ctx.zone.midnight(day);
                if at > ctx.now {
                    break;
                }
                let check_ctx = Context { now: at, ..*ctx };
                let members = CompiledRule::compile(store, &check_ctx, rule, library)
                    .map_err(|e| e.within("entry.rule"))?
                    .evaluate(store, population);
                checks.push((at, members));
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
            CompiledEntry::Segment(checks)
        }
        Entry::Date {
            attribute,
            offset_days,
            yearly,
            hour,
        } => CompiledEntry::Date {
            column: store
                .customers
                .attributes
                .iter()
                .position(|a| &a.name == attribute)
                .ok_or_else(|| {
                    QueryError::invalid("entry.attribute", format!("no attribute {attribute:?}"))
                })?,
            offset_days: *offset_days,
            yearly: *yearly,
            hour: (*hour).min(23),
        },
    };
    let quiet = match &journey.rules.quiet_hours {
        Some(q) => {
            let (start, end) = q.minutes().map_err(|field| {
                QueryError::invalid(format!("rules.quiet_hours.{field}"), "not HH:MM")
            })?;
            (start != end).then_some((start as i64 * 60, end as i64 * 60))
        }
        None => None,
    };
    let nodes = journey
        .nodes
        .iter()
        .map(|node| match &node.step {
            Step::Delay { duration, next } => Compiled::Delay {
                seconds: duration.seconds(),
                next: link(next),
            },
            Step::Wait {
                event,
                timeout,
                next,
                timeout_next,
            } => Compiled::Wait {
                event: EventMatcher::new(store, event),
                seconds: timeout.seconds(),
                next: link(next),
                timeout_next: link(timeout_next),
            },
            Step::Branch { condition, yes, no } => Compiled::Branch {
                rule: inline_segments(condition, library, 0),
                yes: link(yes),
                no: link(no),
            },
            Step::Split { paths, .. } => {
                let mut total = 0.0;
                Compiled::Split {
                    paths: paths
                        .iter()
                        .map(|p| {
                            total += p.percent;
                            (total, link(&p.next))
                        })
                        .collect(),
                }
            }
            Step::Message {
                channel,
                advertising,
                next,
                ..
            } => Compiled::Message {
                channel: *channel,
                advertising: *advertising,
                next: link(next),
            },
            Step::Exit => Compiled::Exit,
        })
        .collect();
    let base = hash_str(hash_u64(FNV_OFFSET, journey.seed), &journey.name);
    Ok(CompiledJourney {
        journey,
        entry,
        exits: journey
            .exit
            .iter()
            .map(|f| EventMatcher::new(store, f))
            .collect(),
        goal: journey.goal.as_ref().map(|g| {
            (
                EventMatcher::new(store, &g.event),
                g.within_days as i64 * DAY,
            )
        }),
        quiet,
        caps: journey
            .rules
            .caps
            .iter()
            .map(|(c, cap)| (*c, cap.per_day, cap.per_week))
            .collect(),
        nodes,
        start: journey.node_index(&journey.start).unwrap_or(0),
        salts: journey
            .nodes
            .iter()
            .map(|n| hash_str(base, &n.id))
            .collect(),
    })
}

/// `rule` with library references replaced by the library's rules, so that it can be compiled
/// at many moments without evaluating whole segments each time. (Cycles were rejected by
/// validation; the depth limit is a second guard.)
fn inline_segments(rule: &Rule, library: &SegmentLibrary, depth: usize) -> Rule {
    let inline_all = |rules: &[Rule]| {
        rules
            .iter()
            .map(|r| inline_segments(r, library, depth))
            .collect()
    };
    match rule {
        Rule::All { rules } => Rule::All {
            rules: inline_all(rules),
        },
        Rule::Any { rules } => Rule::Any {
            rules: inline_all(rules),
        },
        Rule::None { rules } => Rule::None {
            rules: inline_all(rules),
        },
        Rule::Segment { id } if depth < 32 => match library.get(id) {
            Some(inner) => inline_segments(inner, library, depth + 1),
            None => rule.clone(),
        },
        other => other.clone(),
    }
}

/// Evaluates branch rules as of a moment, reusing compiled rules for repeated moments.
struct Judge<'a> {
    store: &'a Store,
    ctx: &'a Context,
    cache: HashMap<(usize, usize, i64), CompiledRule>,
}

impl Judge<'_> {
    fn holds(&mut self, key: (usize, usize), rule: &Rule, at: i64, customer: CustomerIx) -> bool {
        if self.cache.len() > 512 {
            self.cache.clear();
        }
        let entry = (key.0, key.1, at);
        if !self.cache.contains_key(&entry) {
            let ctx = Context {
                now: at,
                ..*self.ctx
            };
            // Validation compiled this rule already; an error here cannot happen, and would
            // count as "no".
            match CompiledRule::compile(self.store, &ctx, rule, &SegmentLibrary::new()) {
                Ok(compiled) => {
                    self.cache.insert(entry, compiled);
                }
                Err(_) => return false,
            }
        }
        self.cache
            .get(&entry)
            .is_some_and(|compiled| compiled.matches(self.store, customer))
    }
}

/// The customer's triggers for one journey, in time order.
fn triggers(
    store: &Store,
    ctx: &Context,
    cj: &CompiledJourney,
    customer: CustomerIx,
    from: i64,
) -> Vec<i64> {
    let events = &store.events;
    match &cj.entry {
        CompiledEntry::Event(matcher) => events
            .of_customer(customer)
            .filter(|&e| events.at[e] > from && events.at[e] <= ctx.now)
            .filter(|&e| matcher.matches(store, e))
            .map(|e| events.at[e])
            .collect(),
        CompiledEntry::Segment(checks) => checks
            .windows(2)
            .filter(|pair| {
                pair[1].1.contains(customer as usize) && !pair[0].1.contains(customer as usize)
            })
            .map(|pair| pair[1].0)
            .collect(),
        CompiledEntry::Date {
            column,
            offset_days,
            yearly,
            hour,
        } => {
            let base = match store.customers.attributes[*column]
                .values
                .get(customer as usize)
            {
                Some(AttrValue::Date(unix)) => ctx.zone.date(*unix),
                Some(AttrValue::Day(day)) => match NaiveDate::from_ymd_opt(1970, 1, 1)
                    .and_then(|e| e.checked_add_signed(chrono::Duration::days(*day as i64)))
                {
                    Some(d) => d,
                    None => return Vec::new(),
                },
                _ => return Vec::new(),
            };
            let dates: Vec<NaiveDate> = if *yearly {
                let first = ctx.zone.date(from).year() - 1;
                let last = ctx.zone.date(ctx.now).year() + 1;
                (first.max(base.year())..=last)
                    .filter_map(|year| anniversary(base, year))
                    .collect()
            } else {
                vec![base]
            };
            let mut times: Vec<i64> = dates
                .into_iter()
                .filter_map(|d| d.checked_add_signed(chrono::Duration::days(*offset_days as i64)))
                .map(|d| local_time(&ctx.zone, d, *hour as i64 * 3600))
                .filter(|&t| t > from && t <= ctx.now)
                .collect();
            times.sort_unstable();
            times.dedup();
            times
        }
    }
}

/// `base`'s month and day in `year` (29 February → 28 February in other years).
fn anniversary(base: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, base.month(), base.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, base.month(), base.day() - 1))
}

/// The instant of `seconds` after midnight of local `date` (a time skipped by DST moves on by
/// an hour; a repeated one takes the earlier instant).
fn local_time(zone: &Zone, date: NaiveDate, seconds: i64) -> i64 {
    let naive = date.and_time(NaiveTime::MIN) + chrono::Duration::seconds(seconds);
    match zone.0.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.timestamp(),
        chrono::LocalResult::None => zone
            .0
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or_else(|| naive.and_utc().timestamp()),
    }
}

/// When a message due at `at` may go out: `at` itself outside quiet hours, else the end of the
/// quiet span in `zone` (the next day's when the span crosses midnight and `at` is before it).
pub fn quiet_hours_release(zone: &Zone, quiet: (i64, i64), at: i64) -> Option<i64> {
    let (start, end) = quiet;
    let local = zone.datetime(at);
    let date = local.date_naive();
    let time = local.time();
    let tod = time.hour_secs();
    let quiet_now = if start < end {
        start <= tod && tod < end
    } else {
        tod >= start || tod < end
    };
    if !quiet_now {
        return None;
    }
    let release_date = if start > end && tod >= start {
        date.succ_opt()?
    } else {
        date
    };
    Some(local_time(zone, release_date, end))
}

trait HourSecs {
    fn hour_secs(&self) -> i64;
}

impl HourSecs for NaiveTime {
    fn hour_secs(&self) -> i64 {
        use chrono::Timelike;
        self.num_seconds_from_midnight() as i64
    }
}

/// The first event of `matcher` with `after < at <= until` in the customer's events.
fn first_event(
    store: &Store,
    matcher: &EventMatcher,
    customer: CustomerIx,
    after: i64,
    until: i64,
) -> Option<i64> {
    let range = store.events.of_customer(customer);
    let at = &store.events.at[range.clone()];
    let begin = range.start + at.partition_point(|&t| t <= after);
    (begin..range.end)
        .take_while(|&e| store.events.at[e] <= until)
        .find(|&e| matcher.matches(store, e))
        .map(|e| store.events.at[e])
}

fn customer_visits(
    store: &Store,
    ctx: &Context,
    judge: &mut Judge,
    cj: &CompiledJourney,
    customer: CustomerIx,
    zone: Zone,
    from: i64,
) -> Vec<Visit> {
    let mut visits: Vec<Visit> = Vec::new();
    for trigger in triggers(store, ctx, cj, customer, from) {
        if let Some(previous) = visits.last() {
            let finished = previous.finished.is_some_and(|f| f <= trigger);
            let allowed = match cj.journey.reentry {
                Reentry::Once => false,
                Reentry::AfterFinish => finished,
                Reentry::Cooldown { days } => {
                    finished && trigger >= previous.entered + days as i64 * DAY
                }
            };
            if !allowed {
                continue;
            }
        }
        visits.push(simulate(store, ctx, judge, cj, customer, zone, trigger));
    }
    visits
}

fn simulate(
    store: &Store,
    ctx: &Context,
    judge: &mut Judge,
    cj: &CompiledJourney,
    customer: CustomerIx,
    zone: Zone,
    entered: i64,
) -> Visit {
    let now = ctx.now;
    let exit_at = cj
        .exits
        .iter()
        .filter_map(|m| first_event(store, m, customer, entered, now))
        .min();
    let goal_at = cj.goal.as_ref().and_then(|(m, within)| {
        first_event(
            store,
            m,
            customer,
            entered,
            entered.saturating_add(*within).min(now),
        )
    });
    let mut visit = Visit {
        customer,
        entered,
        outcome: Outcome::InProgress,
        finished: None,
        step_limit: false,
        nodes: Vec::new(),
        edges: Vec::new(),
        messages: Vec::new(),
        goal_at,
    };
    let consent = &store.customers.consent[customer as usize];
    let mut at = entered;
    let mut node = Some(cj.start);
    let mut steps = 0;
    loop {
        if let Some(x) = exit_at.filter(|&x| x <= at) {
            visit.outcome = Outcome::Exited;
            visit.finished = Some(x);
            break;
        }
        if at > now {
            break;
        }
        let Some(n) = node else {
            visit.outcome = Outcome::Completed;
            visit.finished = Some(at);
            break;
        };
        steps += 1;
        if steps > MAX_STEPS {
            visit.step_limit = true;
            break;
        }
        visit.nodes.push(n as u32);
        let (outlet, next, next_at) = match &cj.nodes[n] {
            Compiled::Delay { seconds, next } => (0, *next, at.saturating_add(*seconds)),
            Compiled::Wait {
                event,
                seconds,
                next,
                timeout_next,
            } => {
                let deadline = at.saturating_add(*seconds);
                match first_event(store, event, customer, at, deadline.min(now)) {
                    Some(e) => (0, *next, e),
                    None if deadline <= now => (1, *timeout_next, deadline),
                    None => {
                        // Still waiting; an exit before now ends the visit.
                        if let Some(x) = exit_at {
                            visit.outcome = Outcome::Exited;
                            visit.finished = Some(x);
                        }
                        break;
                    }
                }
            }
            Compiled::Branch { rule, yes, no } => {
                if judge.holds((journey_key(cj), n), rule, at, customer) {
                    (0, *yes, at)
                } else {
                    (1, *no, at)
                }
            }
            Compiled::Split { paths } => {
                let roll = split_roll(cj.salts[n], &store.customers.ids[customer as usize]);
                match paths.iter().position(|(upper, _)| roll < *upper) {
                    Some(k) => (k as u32, paths[k].1, at),
                    None => {
                        visit.edges.push((n as u32, CONTROL));
                        visit.outcome = Outcome::Control;
                        visit.finished = Some(at);
                        break;
                    }
                }
            }
            Compiled::Message {
                channel,
                advertising,
                next,
            } => {
                let mut message = Message {
                    node: n as u32,
                    channel: *channel,
                    at,
                    deferred: false,
                    status: MessageStatus::Sent,
                };
                if cj.journey.rules.respect_consent && !channel.allowed(consent) {
                    message.status = MessageStatus::SkippedConsent;
                } else if let Some(release) = cj
                    .quiet
                    .filter(|_| *advertising)
                    .and_then(|q| quiet_hours_release(&zone, q, at))
                {
                    message.deferred = true;
                    message.at = release;
                    if exit_at.is_some_and(|x| x <= release) {
                        message.status = MessageStatus::Cancelled;
                    } else if release > now {
                        message.status = MessageStatus::Pending;
                    }
                }
                let send_at = message.at;
                visit.messages.push(message);
                (0, *next, send_at)
            }
            Compiled::Exit => {
                visit.outcome = Outcome::Completed;
                visit.finished = Some(at);
                break;
            }
        };
        visit.edges.push((n as u32, outlet));
        node = next;
        at = next_at;
    }
    visit
}

fn journey_key(cj: &CompiledJourney) -> usize {
    cj.journey as *const Journey as usize
}

/// Frequency caps across all journeys: the customer's candidate messages in send order.
fn apply_caps(
    ctx: &Context,
    zone: Zone,
    compiled: &[CompiledJourney],
    mine: &mut [(usize, Visit)],
) {
    if compiled.iter().all(|cj| cj.caps.is_empty()) {
        return;
    }
    let local = Context { zone, ..*ctx };
    // Messages of all journeys count, capped or not.
    let mut sent: Vec<(Channel, i64, i64)> = Vec::new();
    let mut all: Vec<(i64, usize, usize, usize)> = Vec::new();
    for (v, (j, visit)) in mine.iter().enumerate() {
        for (m, message) in visit.messages.iter().enumerate() {
            if message.status == MessageStatus::Sent {
                all.push((message.at, *j, v, m));
            }
        }
    }
    all.sort_unstable();
    for (at, j, v, m) in all {
        let channel = mine[v].1.messages[m].channel;
        let day = local.period_index(Period::Day, at);
        let week = local.period_index(Period::Week, at);
        let held = compiled[j]
            .caps
            .iter()
            .filter(|(c, _, _)| *c == channel)
            .any(|(_, per_day, per_week)| {
                let today = sent
                    .iter()
                    .filter(|(c, d, _)| *c == channel && *d == day)
                    .count();
                let this_week = sent
                    .iter()
                    .filter(|(c, _, w)| *c == channel && *w == week)
                    .count();
                per_day.is_some_and(|cap| today >= cap as usize)
                    || per_week.is_some_and(|cap| this_week >= cap as usize)
            });
        if held {
            mine[v].1.messages[m].status = MessageStatus::HeldByCap;
        } else {
            sent.push((channel, day, week));
        }
    }
}

// FNV-1a, then a SplitMix64 finaliser: stable across platforms and versions (unlike std's
// hasher), so an A/B assignment never changes between runs or between native and wasm.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn hash_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn hash_u64(h: u64, x: u64) -> u64 {
    hash_bytes(h, &x.to_le_bytes())
}

fn hash_str(h: u64, s: &str) -> u64 {
    // The length first, so ("ab", "c") and ("a", "bc") differ.
    hash_bytes(hash_u64(h, s.len() as u64), s.as_bytes())
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in [0, 100) for a customer at a split node, fixed by the salt and the id.
fn split_roll(salt: u64, customer_id: &str) -> f64 {
    let h = mix(hash_str(salt, customer_id));
    (h >> 11) as f64 / (1u64 << 53) as f64 * 100.0
}

fn rfc3339(ctx: &Context, unix: i64) -> String {
    ctx.zone
        .datetime(unix)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn summarise(
    store: &Store,
    replay: &Replay,
    journey: &Journey,
    visits: &[Visit],
) -> JourneyBacktest {
    let unique = |pred: &dyn Fn(&Visit) -> bool| -> usize {
        let mut set = CustomerSet::with_capacity(store.customers.len());
        for v in visits.iter().filter(|v| pred(v)) {
            set.insert(v.customer as usize);
        }
        set.count_ones(..)
    };
    let outcome = |o: Outcome| visits.iter().filter(|v| v.outcome == o).count();
    let nodes = journey
        .nodes
        .iter()
        .enumerate()
        .map(|(n, node)| NodeCount {
            id: node.id.clone(),
            kind: node.step.kind(),
            customers: unique(&|v| v.nodes.contains(&(n as u32))),
            visits: visits
                .iter()
                .map(|v| v.nodes.iter().filter(|&&x| x == n as u32).count())
                .sum(),
            messages: match node.step {
                Step::Message { channel, .. } => {
                    let mut counts = channel_counts(visits.iter(), Some(n as u32));
                    counts.retain(|c| c.channel == channel);
                    counts.pop()
                }
                _ => None,
            },
        })
        .collect();
    let mut edges = Vec::new();
    for (n, node) in journey.nodes.iter().enumerate() {
        let mut outlets: Vec<(u32, String, Option<String>)> = node
            .step
            .outlets()
            .into_iter()
            .enumerate()
            .map(|(k, (label, to))| (k as u32, label.to_owned(), to.map(str::to_owned)))
            .collect();
        if matches!(node.step, Step::Split { .. }) {
            outlets.push((CONTROL, CONTROL_OUTLET.to_owned(), None));
        }
        for (k, outlet, to) in outlets {
            let edge = (n as u32, k);
            edges.push(EdgeCount {
                from: node.id.clone(),
                outlet,
                to,
                customers: unique(&|v| v.edges.contains(&edge)),
                times: visits
                    .iter()
                    .map(|v| v.edges.iter().filter(|&&e| e == edge).count())
                    .sum(),
            });
        }
    }
    let goal = journey.goal.as_ref().map(|goal| {
        let treated: Vec<&Visit> = visits
            .iter()
            .filter(|v| v.outcome != Outcome::Control)
            .collect();
        let control: Vec<&Visit> = visits
            .iter()
            .filter(|v| v.outcome == Outcome::Control)
            .collect();
        let reached = |group: &[&Visit]| group.iter().filter(|v| v.goal_at.is_some()).count();
        let rate = |group: &[&Visit]| {
            (!group.is_empty()).then(|| reached(group) as f64 / group.len() as f64 * 100.0)
        };
        let treated_rate = rate(&treated);
        let control_rate = rate(&control);
        let within = goal.within_days as i64 * DAY;
        let now = replay.now;
        GoalResult {
            event: goal.event.event.clone(),
            within_days: goal.within_days,
            reached: reached(&treated) + reached(&control),
            treated: treated.len(),
            treated_reached: reached(&treated),
            treated_rate,
            control: control.len(),
            control_reached: reached(&control),
            control_rate,
            uplift_points: treated_rate.zip(control_rate).map(|(t, c)| t - c),
            open_windows: visits
                .iter()
                .filter(|v| v.entered.saturating_add(within) > now)
                .count(),
        }
    });
    let refs: Vec<&Visit> = visits.iter().collect();
    JourneyBacktest {
        name: journey.name.clone(),
        entries: visits.len(),
        customers: unique(&|_| true),
        completed: outcome(Outcome::Completed),
        exited: outcome(Outcome::Exited),
        in_progress: outcome(Outcome::InProgress),
        control: outcome(Outcome::Control),
        step_limit: visits.iter().filter(|v| v.step_limit).count(),
        nodes,
        edges,
        channels: channel_counts(refs.iter().copied(), None),
        calendar: calendar(replay, refs.iter().copied()),
        goal,
    }
}

/// Message counts per channel, of one node or all.
fn channel_counts<'a>(
    visits: impl Iterator<Item = &'a Visit>,
    node: Option<u32>,
) -> Vec<ChannelCount> {
    let mut counts: Vec<ChannelCount> = Channel::ALL
        .iter()
        .map(|&channel| ChannelCount {
            channel,
            attempted: 0,
            sent: 0,
            skipped_consent: 0,
            deferred_quiet_hours: 0,
            held_by_cap: 0,
            pending: 0,
            cancelled: 0,
        })
        .collect();
    for visit in visits {
        for m in visit
            .messages
            .iter()
            .filter(|m| node.is_none_or(|n| m.node == n))
        {
            let Some(count) = counts.iter_mut().find(|c| c.channel == m.channel) else {
                continue;
            };
            count.attempted += 1;
            if m.deferred {
                count.deferred_quiet_hours += 1;
            }
            match m.status {
                MessageStatus::Sent => count.sent += 1,
                MessageStatus::SkippedConsent => count.skipped_consent += 1,
                MessageStatus::HeldByCap => count.held_by_cap += 1,
                MessageStatus::Pending => count.pending += 1,
                MessageStatus::Cancelled => count.cancelled += 1,
                MessageStatus::Attempted | MessageStatus::DeferredQuietHours => {}
            }
        }
    }
    counts
}

fn calendar<'a>(replay: &Replay, visits: impl Iterator<Item = &'a Visit>) -> Vec<DayCount> {
    let first = replay.zone.date(replay.from);
    let last = replay.zone.date(replay.now);
    let mut days: BTreeMap<NaiveDate, BTreeMap<Channel, usize>> = BTreeMap::new();
    let mut day = first;
    while day <= last {
        days.insert(day, Channel::ALL.iter().map(|&c| (c, 0)).collect());
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    for visit in visits {
        for m in visit
            .messages
            .iter()
            .filter(|m| m.status == MessageStatus::Sent)
        {
            if let Some(counts) = days.get_mut(&replay.zone.date(m.at)) {
                *counts.entry(m.channel).or_insert(0) += 1;
            }
        }
    }
    days.into_iter()
        .map(|(date, counts)| DayCount {
            date: date.format("%Y-%m-%d").to_string(),
            total: counts.values().sum(),
            counts,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::parse_timestamp;

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"time_zone","type":"text"},{"name":"contract_end","type":"date"},
                      {"name":"birthday","type":"date"}]}"#;

    fn at(text: &str) -> i64 {
        parse_timestamp(text).expect("timestamp")
    }

    /// Customers `(id, consent channels, extra attributes JSON)`, all signed up on 2026-01-01,
    /// and events `(customer, type, at)`.
    fn store(customers: &[(&str, &str, &str)], events: &[(&str, &str, &str)]) -> Store {
        let customers: Vec<String> = customers
            .iter()
            .map(|(id, consent, attributes)| {
                let consent: Vec<String> = consent
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| format!("\"{c}\":true"))
                    .collect();
                format!(
                    r#"{{"id":"{id}","name":"N{id}","created_at":"2026-01-01T00:00:00+09:00","attributes":{{{attributes}}},"consent":{{{}}}}}"#,
                    consent.join(",")
                )
            })
            .collect();
        let events: Vec<String> = events
            .iter()
            .map(|(c, t, when)| format!(r#"{{"customer_id":"{c}","type":"{t}","at":"{when}"}}"#))
            .collect();
        Store::from_json(
            META.as_bytes(),
            format!("[{}]", customers.join(",")).as_bytes(),
            format!("[{}]", events.join(",")).as_bytes(),
        )
        .expect("valid fixture")
        .0
    }

    fn journey(json: &str) -> Journey {
        serde_json::from_str(json).expect("valid journey")
    }

    const NOW: &str = "2026-06-15T00:00:00+09:00";

    fn backtest(store: &Store, journeys: Vec<Journey>) -> BacktestResult {
        backtest_in(store, journeys, Zone::default())
    }

    fn backtest_in(store: &Store, journeys: Vec<Journey>, zone: Zone) -> BacktestResult {
        let ctx = Context::new(at(NOW), zone);
        let spec = BacktestSpec { days: 30, journeys };
        run(store, &ctx, &spec, &SegmentLibrary::new(), None).expect("runs")
    }

    fn who(
        store: &Store,
        journeys: Vec<Journey>,
        journey: usize,
        select: Selection,
    ) -> Vec<String> {
        let ctx = Context::new(at(NOW), Zone::default());
        let spec = BacktestCustomersSpec {
            backtest: BacktestSpec { days: 30, journeys },
            journey,
            select,
        };
        customers(store, &ctx, &spec, &SegmentLibrary::new(), None)
            .expect("runs")
            .into_iter()
            .map(|c| store.customers.ids[c as usize].clone())
            .collect()
    }

    fn node<'a>(result: &'a JourneyBacktest, id: &str) -> &'a NodeCount {
        result.nodes.iter().find(|n| n.id == id).expect("node")
    }

    fn edge(result: &JourneyBacktest, from: &str, outlet: &str) -> usize {
        result
            .edges
            .iter()
            .find(|e| e.from == from && e.outlet == outlet)
            .map(|e| e.customers)
            .expect("edge")
    }

    fn channel(result: &JourneyBacktest, c: Channel) -> &ChannelCount {
        result
            .channels
            .iter()
            .find(|x| x.channel == c)
            .expect("channel")
    }

    fn sent_on(result: &JourneyBacktest, date: &str) -> usize {
        result
            .calendar
            .iter()
            .find(|d| d.date == date)
            .map(|d| d.total)
            .expect("date in window")
    }

    const SIGNUP: &str = r#""entry":{"type":"event","event":{"event":"signup"}}"#;

    #[test]
    fn delays_move_customers_on_after_their_time() {
        let s = store(
            &[("a", "email", ""), ("b", "email", "")],
            &[
                ("a", "signup", "2026-06-01T10:00:00+09:00"),
                ("b", "signup", "2026-06-14T10:00:00+09:00"),
            ],
        );
        let j = journey(&format!(
            r#"{{{SIGNUP},"start":"m1","nodes":[
              {{"id":"m1","type":"message","channel":"email","content":"hi","next":"d"}},
              {{"id":"d","type":"delay","duration":{{"days":2}},"next":"m2"}},
              {{"id":"m2","type":"message","channel":"email","content":"again","next":"x"}},
              {{"id":"x","type":"exit"}}]}}"#
        ));
        let r = backtest(&s, vec![j.clone()]);
        let r0 = &r.journeys[0];
        assert_eq!((r0.entries, r0.completed, r0.in_progress), (2, 1, 1));
        assert_eq!(node(r0, "d").customers, 2);
        assert_eq!(node(r0, "m2").customers, 1, "b's two days are not over");
        assert_eq!(node(r0, "x").customers, 1);
        assert_eq!(channel(r0, Channel::Email).sent, 3);
        assert_eq!(node(r0, "m2").messages.as_ref().map(|m| m.sent), Some(1));
        assert_eq!(sent_on(r0, "2026-06-01"), 1);
        assert_eq!(sent_on(r0, "2026-06-03"), 1);
        assert_eq!(sent_on(r0, "2026-06-14"), 1);
        assert_eq!(r0.calendar.iter().map(|d| d.total).sum::<usize>(), 3);
        assert_eq!(
            r.calendar, r0.calendar,
            "one journey: the total is the journey"
        );
        assert_eq!(
            r0.calendar.first().map(|d| d.date.as_str()),
            Some("2026-05-16")
        );
        assert_eq!(
            r0.calendar.last().map(|d| d.date.as_str()),
            Some("2026-06-15")
        );
        assert_eq!(
            who(&s, vec![j.clone()], 0, Selection::InProgress),
            vec!["b"]
        );
        assert_eq!(
            who(&s, vec![j], 0, Selection::Node { node: "m2".into() }),
            vec!["a"]
        );
    }

    #[test]
    fn waits_end_with_the_event_or_the_timeout() {
        let s = store(
            &[
                ("a", "", ""),
                ("b", "", ""),
                ("c", "", ""),
                ("d", "", ""),
                ("e", "", ""),
            ],
            &[
                ("a", "signup", "2026-06-01T10:00:00+09:00"),
                ("a", "purchase", "2026-06-02T09:00:00+09:00"),
                ("b", "signup", "2026-06-01T10:00:00+09:00"),
                ("b", "purchase", "2026-06-05T09:00:00+09:00"),
                ("c", "signup", "2026-06-13T10:00:00+09:00"),
                ("d", "signup", "2026-06-13T10:00:00+09:00"),
                ("d", "purchase", "2026-06-14T10:00:00+09:00"),
                ("e", "signup", "2026-06-01T10:00:00+09:00"),
                ("e", "purchase", "2026-06-04T10:00:00+09:00"),
            ],
        );
        let j = journey(&format!(
            r#"{{{SIGNUP},"start":"w","nodes":[
              {{"id":"w","type":"wait","event":{{"event":"purchase"}},"timeout":{{"days":3}},"next":"bought","timeout_next":"nudge"}},
              {{"id":"nudge","type":"message","channel":"in_app","content":"hi","next":"x"}},
              {{"id":"bought","type":"exit"}},
              {{"id":"x","type":"exit"}}]}}"#
        ));
        let r = backtest(&s, vec![j.clone()]);
        let r0 = &r.journeys[0];
        assert_eq!(
            edge(r0, "w", "event"),
            3,
            "a, d, and e exactly at the deadline"
        );
        assert_eq!(edge(r0, "w", "timeout"), 1);
        assert_eq!((r0.completed, r0.in_progress), (4, 1));
        assert_eq!(sent_on(r0, "2026-06-04"), 1, "b's nudge at the timeout");
        assert_eq!(
            who(
                &s,
                vec![j.clone()],
                0,
                Selection::Edge {
                    node: "w".into(),
                    outlet: "timeout".into()
                }
            ),
            vec!["b"]
        );
        assert_eq!(who(&s, vec![j], 0, Selection::InProgress), vec!["c"]);
    }

    #[test]
    fn caps_count_across_journeys() {
        let s = store(
            &[("a", "sms", ""), ("c", "sms", "")],
            &[
                ("a", "signup", "2026-06-01T10:00:00+09:00"),
                // Monday to Thursday, then the next Monday.
                ("c", "visit", "2026-06-01T12:00:00+09:00"),
                ("c", "visit", "2026-06-02T12:00:00+09:00"),
                ("c", "visit", "2026-06-03T12:00:00+09:00"),
                ("c", "visit", "2026-06-04T12:00:00+09:00"),
                ("c", "visit", "2026-06-08T12:00:00+09:00"),
            ],
        );
        let sms = |entry: &str, caps: &str| {
            journey(&format!(
                r#"{{"entry":{entry},"reentry":{{"mode":"after_finish"}},"rules":{{"caps":{caps}}},"start":"m","nodes":[
                  {{"id":"m","type":"message","channel":"sms","content":"hi","next":"x"}},{{"id":"x","type":"exit"}}]}}"#
            ))
        };
        let signup = r#"{"type":"event","event":{"event":"signup"}}"#;
        let daily = r#"{"sms":{"per_day":1}}"#;
        let r = backtest(&s, vec![sms(signup, daily), sms(signup, daily)]);
        assert_eq!(channel(&r.journeys[0], Channel::Sms).sent, 1);
        assert_eq!(
            channel(&r.journeys[1], Channel::Sms).held_by_cap,
            1,
            "the first journey's sms counts"
        );
        assert_eq!(
            node(&r.journeys[1], "x").customers,
            1,
            "a held message does not stop the journey"
        );
        let r = backtest(&s, vec![sms(signup, daily), sms(signup, "{}")]);
        assert_eq!(
            channel(&r.journeys[1], Channel::Sms).sent,
            1,
            "no cap on the second journey"
        );
        let r = backtest(&s, vec![sms(signup, "{}"), sms(signup, daily)]);
        assert_eq!(
            channel(&r.journeys[1], Channel::Sms).held_by_cap,
            1,
            "uncapped messages count too"
        );
        assert_eq!(r.channels[1].channel, Channel::Sms);
        assert_eq!((r.channels[1].sent, r.channels[1].held_by_cap), (1, 1));

        let visit = r#"{"type":"event","event":{"event":"visit"}}"#;
        let weekly = sms(visit, r#"{"sms":{"per_week":2}}"#);
        let r = backtest(&s, vec![weekly.clone()]);
        let count = channel(&r.journeys[0], Channel::Sms);
        assert_eq!((count.sent, count.held_by_cap), (3, 2));
        assert_eq!(sent_on(&r.journeys[0], "2026-06-08"), 1, "a new week");
        assert_eq!(sent_on(&r.journeys[0], "2026-06-03"), 0);
        assert_eq!(
            who(
                &s,
                vec![weekly],
                0,
                Selection::Channel {
                    channel: Channel::Sms,
                    status: MessageStatus::HeldByCap
                }
            ),
            vec!["c"]
        );
    }

    #[test]
    fn quiet_hours_defer_advertising_across_midnight_in_the_customers_zone() {
        let s = store(
            &[
                ("a", "kakao", ""),
                ("b", "kakao", ""),
                ("c", "kakao", ""),
                ("d", "kakao", ""),
                ("e", "kakao", r#""time_zone":"America/New_York""#),
            ],
            &[
                ("a", "signup", "2026-06-10T22:30:00+09:00"),
                ("b", "signup", "2026-06-11T03:00:00+09:00"),
                ("c", "signup", "2026-06-11T12:00:00+09:00"),
                ("d", "signup", "2026-06-14T23:00:00+09:00"),
                // 23:00 on 10 June in New York.
                ("e", "signup", "2026-06-11T12:00:00+09:00"),
            ],
        );
        let j = journey(&format!(
            r#"{{{SIGNUP},"start":"m","nodes":[
              {{"id":"m","type":"message","channel":"kakao","content":"ad","advertising":true,"next":"n"}},
              {{"id":"n","type":"message","channel":"kakao","content":"notice","next":"x"}},
              {{"id":"x","type":"exit"}}]}}"#
        ));
        let r = backtest(&s, vec![j.clone()]);
        let r0 = &r.journeys[0];
        let kakao = channel(r0, Channel::Kakao);
        assert_eq!(kakao.deferred_quiet_hours, 4, "a, b, d and e");
        assert_eq!(kakao.pending, 1, "d's 08:00 is after now");
        assert_eq!(kakao.sent, 8, "4 ads and 4 notices");
        assert_eq!(r0.in_progress, 1);
        // a: 22:30 → 08:00 the next day (both messages); b: 03:00 → 08:00; c: at 12:00;
        // e: 08:00 in New York = 21:00 in Seoul.
        assert_eq!(sent_on(r0, "2026-06-10"), 0);
        assert_eq!(sent_on(r0, "2026-06-11"), 8);
        assert_eq!(
            who(
                &s,
                vec![j.clone()],
                0,
                Selection::Channel {
                    channel: Channel::Kakao,
                    status: MessageStatus::DeferredQuietHours
                }
            ),
            vec!["a", "b", "d", "e"]
        );
        let seoul = Zone::default();
        let quiet = (21 * 3600, 8 * 3600);
        assert_eq!(
            quiet_hours_release(&seoul, quiet, at("2026-06-10T22:30:00+09:00")),
            Some(at("2026-06-11T08:00:00+09:00"))
        );
        assert_eq!(
            quiet_hours_release(&seoul, quiet, at("2026-06-10T21:00:00+09:00")),
            Some(at("2026-06-11T08:00:00+09:00")),
            "21:00 is quiet"
        );
        assert_eq!(
            quiet_hours_release(&seoul, quiet, at("2026-06-11T08:00:00+09:00")),
            None
        );
        assert_eq!(
            quiet_hours_release(&seoul, quiet, at("2026-06-11T20:59:59+09:00")),
            None
        );
        let ny = Zone::parse("America/New_York").expect("zone");
        assert_eq!(
            quiet_hours_release(&ny, quiet, at("2026-06-11T12:00:00+09:00")),
            Some(at("2026-06-11T08:00:00-04:00"))
        );
        // A span within one day.
        let lunch = (12 * 3600, 13 * 3600);
        assert_eq!(
            quiet_hours_release(&seoul, lunch, at("2026-06-11T12:30:00+09:00")),
            Some(at("2026-06-11T13:00:00+09:00"))
        );
        assert_eq!(
            quiet_hours_release(&seoul, lunch, at("2026-06-11T23:30:00+09:00")),
            None
        );

        // The same history read in Berlin: a's 22:30 in Seoul is 15:30 there, b's 03:00 is 20:00,
        // c's 12:00 is 05:00 (quiet until 08:00 Berlin = 15:00 Seoul), d's 23:00 is 16:00 (sent).
        let r = backtest_in(&s, vec![j], Zone::parse("Europe/Berlin").expect("zone"));
        let kakao = channel(&r.journeys[0], Channel::Kakao);
        assert_eq!(
            kakao.deferred_quiet_hours, 2,
            "c in Berlin's night, e in New York's"
        );
        assert_eq!((kakao.sent, kakao.pending), (10, 0));
    }

    #[test]
    fn quiet_hours_off_and_dst() {
        let berlin = Zone::parse("Europe/Berlin").expect("zone");
        // The night of 28–29 March 2026 loses 02:00–03:00 in Berlin.
        assert_eq!(
            quiet_hours_release(
                &berlin,
                (21 * 3600, 8 * 3600),
                at("2026-03-28T23:00:00+01:00")
            ),
            Some(at("2026-03-29T08:00:00+02:00"))
        );
        let s = store(
            &[("a", "kakao", "")],
            &[("a", "signup", "2026-06-10T22:30:00+09:00")],
        );
        let j = journey(&format!(
            r#"{{{SIGNUP},"rules":{{"quiet_hours":null}},"start":"m","nodes":[
              {{"id":"m","type":"message","channel":"kakao","content":"ad","advertising":true}}]}}"#
        ));
        let r = backtest(&s, vec![j]);
        assert_eq!(
            channel(&r.journeys[0], Channel::Kakao).deferred_quiet_hours,
            0
        );
        assert_eq!(sent_on(&r.journeys[0], "2026-06-10"), 1);
        assert_eq!(r.journeys[0].completed, 1, "a dead end completes");
    }

    #[test]
    fn consent_is_respected_unless_turned_off() {
        let s = store(
            &[("a", "sms", ""), ("b", "email", "")],
            &[
                ("a", "signup", "2026-06-01T10:00:00+09:00"),
                ("b", "signup", "2026-06-01T10:00:00+09:00"),
            ],
        );
        let j = |respect: bool| {
            journey(&format!(
                r#"{{{SIGNUP},"rules":{{"respect_consent":{respect}}},"start":"m","nodes":[
                  {{"id":"m","type":"message","channel":"sms","content":"hi","next":"i"}},
                  {{"id":"i","type":"message","channel":"in_app","content":"hi","next":"x"}},
                  {{"id":"x","type":"exit"}}]}}"#
            ))
        };
        let r = backtest(&s, vec![j(true)]);
        let sms = channel(&r.journeys[0], Channel::Sms);
        assert_eq!((sms.attempted, sms.sent, sms.skipped_consent), (2, 1, 1));
        assert_eq!(
            channel(&r.journeys[0], Channel::InApp).sent,
            2,
            "in-app needs no consent"
        );
        assert_eq!(
            r.journeys[0].completed, 2,
            "a skipped message does not stop the journey"
        );
        assert_eq!(
            who(
                &s,
                vec![j(true)],
                0,
                Selection::Channel {
                    channel: Channel::Sms,
                    status: MessageStatus::SkippedConsent
                }
            ),
            vec!["b"]
        );
        let r = backtest(&s, vec![j(false)]);
        assert_eq!(channel(&r.journeys[0], Channel::Sms).sent, 2);
    }

    #[test]
    fn exit_events_take_customers_out() {
        let s = store(
            &[
                ("a", "kakao,email", ""),
                ("b", "kakao,email", ""),
                ("c", "kakao,email", ""),
                ("d", "kakao,email", ""),
            ],
            &[
                ("a", "cart_add", "2026-06-10T12:00:00+09:00"),
                ("a", "purchase", "2026-06-10T12:30:00+09:00"),
                ("b", "cart_add", "2026-06-10T12:00:00+09:00"),
                ("c", "cart_add", "2026-06-10T20:30:00+09:00"),
                ("c", "purchase", "2026-06-11T07:00:00+09:00"),
                ("d", "cart_add", "2026-06-10T12:00:00+09:00"),
                ("d", "purchase", "2026-06-11T00:00:00+09:00"),
            ],
        );
        let j = journey(
            r#"{"entry":{"type":"event","event":{"event":"cart_add"}},"exit":[{"event":"purchase"}],"start":"h","nodes":[
              {"id":"h","type":"delay","duration":{"hours":1},"next":"k"},
              {"id":"k","type":"message","channel":"kakao","content":"help?","advertising":true,"next":"d"},
              {"id":"d","type":"delay","duration":{"days":1},"next":"e"},
              {"id":"e","type":"message","channel":"email","content":"coupon","advertising":true,"next":"x"},
              {"id":"x","type":"exit"}]}"#,
        );
        let r = backtest(&s, vec![j.clone()]);
        let r0 = &r.journeys[0];
        assert_eq!((r0.entries, r0.exited, r0.completed), (4, 3, 1));
        assert_eq!(
            node(r0, "k").customers,
            3,
            "a bought before the hour was over"
        );
        let kakao = channel(r0, Channel::Kakao);
        assert_eq!(
            (kakao.sent, kakao.cancelled, kakao.deferred_quiet_hours),
            (2, 1, 1)
        );
        assert_eq!(channel(r0, Channel::Email).sent, 1, "only b");
        assert_eq!(
            who(&s, vec![j.clone()], 0, Selection::Exited),
            vec!["a", "c", "d"]
        );
        assert_eq!(who(&s, vec![j], 0, Selection::Completed), vec!["b"]);
    }

    #[test]
    fn goal_rates_with_a_control_group() {
        let ids: Vec<String> = (0..200).map(|i| format!("c{i:03}")).collect();
        let customers: Vec<(&str, &str, &str)> =
            ids.iter().map(|id| (id.as_str(), "", "")).collect();
        let mut events: Vec<(&str, &str, &str)> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            events.push((id, "signup", "2026-06-01T10:00:00+09:00"));
            if i % 2 == 0 {
                events.push((id, "purchase", "2026-06-03T10:00:00+09:00"));
            } else if i % 5 == 1 {
                // Outside the 7-day goal window.
                events.push((id, "purchase", "2026-06-09T10:00:00+09:00"));
            }
        }
        let s = store(&customers, &events);
        let j = journey(&format!(
            r#"{{{SIGNUP},"goal":{{"event":{{"event":"purchase"}},"within_days":7}},"start":"s","nodes":[
              {{"id":"s","type":"split","paths":[{{"label":"A","percent":40,"next":"m"}},{{"label":"B","percent":40,"next":"m"}}],"control_percent":20}},
              {{"id":"m","type":"message","channel":"in_app","content":"hi","next":"x"}},
              {{"id":"x","type":"exit"}}]}}"#
        ));
        let r = backtest(&s, vec![j.clone()]);
        let r0 = &r.journeys[0];
        let goal = r0.goal.as_ref().expect("goal");
        assert_eq!(r0.entries, 200);
        assert_eq!(r0.control + r0.completed, 200);
        assert!(
            (20..=60).contains(&r0.control),
            "about 20% control: {}",
            r0.control
        );
        assert_eq!(edge(r0, "s", "control"), r0.control);
        assert!(
            (50..=110).contains(&edge(r0, "s", "A")),
            "{}",
            edge(r0, "s", "A")
        );
        assert_eq!(
            goal.reached, 100,
            "the even customers; the later purchases are too late"
        );
        assert_eq!(goal.treated + goal.control, 200);
        assert_eq!(goal.treated_reached + goal.control_reached, 100);
        let (t, c) = (
            goal.treated_rate.expect("rate"),
            goal.control_rate.expect("rate"),
        );
        assert_eq!(goal.uplift_points, Some(t - c));
        assert_eq!(goal.open_windows, 0);
        assert_eq!(
            channel(r0, Channel::InApp).sent,
            r0.completed,
            "the control gets nothing"
        );
        let control = who(
            &s,
            vec![j.clone()],
            0,
            Selection::Goal {
                group: GoalGroup::Control,
                reached: true,
            },
        );
        assert_eq!(control.len(), goal.control_reached);
        assert!(control
            .iter()
            .all(|id| id[1..].parse::<u32>().is_ok_and(|n| n % 2 == 0)));
        // Deterministic, and independent of who else is in the data.
        let again = backtest(&s, vec![j.clone()]);
        assert_eq!(again, r);
        let all_control = who(&s, vec![j.clone()], 0, Selection::Control);
        let one = store(
            &[("c007", "", "")],
            &[("c007", "signup", "2026-06-01T10:00:00+09:00")],
        );
        let alone = backtest(&one, vec![j.clone()]);
        assert_eq!(
            alone.journeys[0].control == 1,
            all_control.contains(&"c007".to_owned())
        );
        // Another seed gives another assignment.
        let reseeded = Journey { seed: 7, ..j };
        assert_ne!(who(&s, vec![reseeded], 0, Selection::Control), all_control);
    }

    #[test]
    fn branches_are_judged_at_that_moment() {
        let s = store(
            &[("a", "", ""), ("b", "", "")],
            &[
                ("a", "signup", "2026-06-01T10:00:00+09:00"),
                ("a", "purchase", "2026-06-01T12:00:00+09:00"),
                ("b", "signup", "2026-06-01T10:00:00+09:00"),
                ("b", "purchase", "2026-06-03T12:00:00+09:00"),
            ],
        );
        let j = journey(&format!(
            r#"{{{SIGNUP},"start":"d","nodes":[
              {{"id":"d","type":"delay","duration":{{"days":1}},"next":"b"}},
              {{"id":"b","type":"branch","condition":{{"rule":"performed","event":{{"event":"purchase"}}}},"yes":"x","no":"m"}},
              {{"id":"m","type":"message","channel":"in_app","content":"hi","next":"x"}},
              {{"id":"x","type":"exit"}}]}}"#
        ));
        let r = backtest(&s, vec![j.clone()]);
        assert_eq!(edge(&r.journeys[0], "b", "yes"), 1);
        assert_eq!(edge(&r.journeys[0], "b", "no"), 1);
        assert_eq!(
            who(
                &s,
                vec![j],
                0,
                Selection::Edge {
                    node: "b".into(),
                    outlet: "no".into()
                }
            ),
            vec!["b"]
        );
    }

    #[test]
    fn segment_and_date_entries() {
        let s = store(
            &[
                ("a", "", ""),
                ("b", "", ""),
                (
                    "c",
                    "",
                    r#""contract_end":"2026-09-01","birthday":"1990-06-10""#,
                ),
                (
                    "d",
                    "",
                    r#""contract_end":"2026-12-01","birthday":"1990-01-01""#,
                ),
            ],
            &[
                ("a", "visit", "2026-06-05T12:00:00+09:00"),
                ("c", "visit", "2026-01-05T12:00:00+09:00"),
            ],
        );
        let lapsed = journey(
            r#"{"entry":{"type":"segment","rule":{"rule":"all","rules":[
                 {"rule":"performed","event":{"event":"visit"}},
                 {"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":3}}]}},
               "start":"x","nodes":[{"id":"x","type":"exit"}]}"#,
        );
        let ctx = Context::new(at(NOW), Zone::default());
        let spec = |j: Journey| BacktestCustomersSpec {
            backtest: BacktestSpec {
                days: 30,
                journeys: vec![j],
            },
            journey: 0,
            select: Selection::Entries,
        };
        let entered = |j: Journey| -> Vec<(String, i64)> {
            let replay =
                replay(&s, &ctx, &spec(j).backtest, &SegmentLibrary::new(), None).expect("runs");
            replay.visits[0]
                .iter()
                .map(|v| (s.customers.ids[v.customer as usize].clone(), v.entered))
                .collect()
        };
        // a's visit leaves "the last 3 days" at the check at midnight starting 9 June; c lapsed
        // before the window and did not join in it.
        assert_eq!(
            entered(lapsed),
            vec![("a".to_owned(), at("2026-06-09T00:00:00+09:00"))]
        );
        let renewal = journey(
            r#"{"entry":{"type":"date","attribute":"contract_end","offset_days":-90},
               "start":"x","nodes":[{"id":"x","type":"exit"}]}"#,
        );
        assert_eq!(
            entered(renewal),
            vec![("c".to_owned(), at("2026-06-03T09:00:00+09:00"))]
        );
        let birthday = journey(
            r#"{"entry":{"type":"date","attribute":"birthday","yearly":true,"hour":10},
               "start":"x","nodes":[{"id":"x","type":"exit"}]}"#,
        );
        assert_eq!(
            entered(birthday),
            vec![("c".to_owned(), at("2026-06-10T10:00:00+09:00"))]
        );
        let leap = NaiveDate::from_ymd_opt(2000, 2, 29).expect("date");
        assert_eq!(
            anniversary(leap, 2026),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(
            anniversary(leap, 2028),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
    }

    #[test]
    fn reentry_policies() {
        let s = store(
            &[("a", "", "")],
            &[
                ("a", "visit", "2026-06-01T10:00:00+09:00"),
                ("a", "visit", "2026-06-01T20:00:00+09:00"),
                ("a", "visit", "2026-06-03T10:00:00+09:00"),
                ("a", "visit", "2026-06-05T10:00:00+09:00"),
            ],
        );
        let j = |reentry: &str| {
            journey(&format!(
                r#"{{"entry":{{"type":"event","event":{{"event":"visit"}}}},"reentry":{reentry},"start":"d","nodes":[
                  {{"id":"d","type":"delay","duration":{{"days":1}},"next":"x"}},{{"id":"x","type":"exit"}}]}}"#
            ))
        };
        let entries = |reentry: &str| backtest(&s, vec![j(reentry)]).journeys[0].entries;
        assert_eq!(entries(r#"{"mode":"once"}"#), 1);
        assert_eq!(
            entries(r#"{"mode":"after_finish"}"#),
            3,
            "not while the first visit runs"
        );
        assert_eq!(entries(r#"{"mode":"cooldown","days":3}"#), 2);
        let r = backtest(&s, vec![j(r#"{"mode":"after_finish"}"#)]);
        assert_eq!(r.journeys[0].customers, 1);
    }

    #[test]
    fn bad_specs_are_errors() {
        let s = store(&[("a", "", "")], &[]);
        let ctx = Context::new(at(NOW), Zone::default());
        let ok = journey(&format!(
            r#"{{{SIGNUP},"start":"x","nodes":[{{"id":"x","type":"exit"}}]}}"#
        ));
        let bad = journey(&format!(
            r#"{{{SIGNUP},"start":"a","nodes":[{{"id":"a","type":"branch","condition":{{"rule":"all","rules":[]}},"yes":"a","no":"a"}}]}}"#
        ));
        let run_with = |days: u32, journeys: Vec<Journey>| {
            run(
                &s,
                &ctx,
                &BacktestSpec { days, journeys },
                &SegmentLibrary::new(),
                None,
            )
        };
        assert_eq!(
            run_with(0, vec![ok.clone()]).expect_err("days").path,
            "days"
        );
        assert_eq!(run_with(30, vec![]).expect_err("journeys").path, "journeys");
        assert_eq!(
            run_with(30, vec![ok.clone(), bad]).expect_err("cycle").path,
            "journeys[1].nodes[0]"
        );
        let spec = BacktestCustomersSpec {
            backtest: BacktestSpec {
                days: 30,
                journeys: vec![ok],
            },
            journey: 3,
            select: Selection::Entries,
        };
        assert_eq!(
            customers(&s, &ctx, &spec, &SegmentLibrary::new(), None)
                .expect_err("index")
                .path,
            "journey"
        );
        let spec = BacktestCustomersSpec {
            journey: 0,
            select: Selection::Node { node: "zz".into() },
            ..spec
        };
        assert!(customers(&s, &ctx, &spec, &SegmentLibrary::new(), None).is_err());
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use crate::engine::journey_validate::validate;
        use proptest::prelude::*;

        const TYPES: [&str; 4] = ["signup", "visit", "purchase", "cart_add"];
        const CHANNELS: [&str; 5] = ["email", "sms", "push", "in_app", "kakao"];
        const ZONES: [&str; 4] = ["", "Asia/Seoul", "America/New_York", "Europe/Berlin"];

        /// Customers as (consent bits, zone index, birthday day-of-year) and events as
        /// (customer, type, minutes before now; negative = after now).
        type Data = (Vec<(u8, usize, u16)>, Vec<(usize, usize, i64)>);

        fn data() -> impl Strategy<Value = Data> {
            (1usize..7).prop_flat_map(|n| {
                (
                    prop::collection::vec((0u8..16, 0usize..4, 0u16..365), n),
                    prop::collection::vec((0..n, 0usize..4, -600i64..50_000), 0..40),
                )
            })
        }

        fn build(data: &Data) -> Store {
            let ids: Vec<String> = (0..data.0.len()).map(|i| format!("c{i}")).collect();
            let attrs: Vec<String> = data
                .0
                .iter()
                .map(|(_, zone, day)| {
                    let birthday = NaiveDate::from_yo_opt(1990, *day as u32 + 1)
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    let zone = match ZONES[*zone] {
                        "" => String::new(),
                        z => format!(r#","time_zone":"{z}""#),
                    };
                    format!(r#""birthday":"{birthday}"{zone}"#)
                })
                .collect();
            let consents: Vec<String> = data
                .0
                .iter()
                .map(|(bits, _, _)| {
                    ["email", "sms", "push", "kakao"]
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| bits & (1 << k) != 0)
                        .map(|(_, c)| *c)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect();
            let customers: Vec<(&str, &str, &str)> = (0..ids.len())
                .map(|i| (ids[i].as_str(), consents[i].as_str(), attrs[i].as_str()))
                .collect();
            let now = at(NOW);
            let times: Vec<String> = data
                .1
                .iter()
                .map(|(_, _, minutes)| {
                    rfc3339(&Context::new(now, Zone::default()), now - minutes * 60)
                })
                .collect();
            let events: Vec<(&str, &str, &str)> = data
                .1
                .iter()
                .zip(&times)
                .map(|((c, t, _), when)| (ids[*c].as_str(), TYPES[*t], when.as_str()))
                .collect();
            store(&customers, &events)
        }

        /// A node as (kind, link a, link b, minutes, channel, advertising, percent).
        type NodeSpec = (usize, Option<usize>, Option<usize>, u32, usize, bool, u8);

        fn journeys() -> impl Strategy<Value = Vec<(usize, usize, Vec<NodeSpec>, usize, u8, u8)>> {
            let node = (
                0usize..6,
                prop::option::of(0usize..7),
                prop::option::of(0usize..7),
                0u32..5000,
                0usize..5,
                any::<bool>(),
                0u8..=100,
            );
            prop::collection::vec(
                (
                    0usize..4,
                    0usize..3,
                    prop::collection::vec(node, 1..7),
                    0usize..4,
                    0u8..3,
                    0u8..3,
                ),
                1..3,
            )
        }

        fn journey_json(
            (entry, reentry, nodes, extras, cap, quiet): &(
                usize,
                usize,
                Vec<NodeSpec>,
                usize,
                u8,
                u8,
            ),
        ) -> String {
            let link = |l: &Option<usize>| match l {
                // 6 is an unknown id: validation must reject it, never the backtest panic.
                Some(k) if *k < nodes.len() || *k == 6 => format!(r#""n{k}""#),
                _ => "null".to_owned(),
            };
            let entry = match entry {
                0 => r#"{"type":"event","event":{"event":"signup"}}"#.to_owned(),
                1 => r#"{"type":"event","event":{"event":"visit"}}"#.to_owned(),
                2 => r#"{"type":"segment","rule":{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":2}}}"#.to_owned(),
                _ => r#"{"type":"date","attribute":"birthday","yearly":true,"offset_days":-3,"hour":22}"#.to_owned(),
            };
            let reentry = ["once", "after_finish", "cooldown"][*reentry];
            let nodes: Vec<String> = nodes
                .iter()
                .enumerate()
                .map(|(i, (kind, a, b, minutes, channel, advertising, percent))| {
                    let (a, b) = (link(a), link(b));
                    match kind {
                        0 => format!(r#"{{"id":"n{i}","type":"delay","duration":{{"minutes":{minutes}}},"next":{a}}}"#),
                        1 => format!(r#"{{"id":"n{i}","type":"wait","event":{{"event":"purchase"}},"timeout":{{"minutes":{minutes}}},"next":{a},"timeout_next":{b}}}"#),
                        2 => format!(r#"{{"id":"n{i}","type":"branch","condition":{{"rule":"performed","event":{{"event":"visit"}},"window":{{"last_days":1}}}},"yes":{a},"no":{b}}}"#),
                        3 => {
                            let rest = 100 - *percent as u32;
                            let control = rest / 2 + (*minutes % 2);
                            format!(r#"{{"id":"n{i}","type":"split","paths":[{{"label":"A","percent":{percent},"next":{a}}},{{"label":"B","percent":{},"next":{b}}}],"control_percent":{control}}}"#, rest.saturating_sub(control))
                        }
                        4 => format!(r#"{{"id":"n{i}","type":"message","channel":"{}","content":"{{{{name}}}}","advertising":{advertising},"next":{a}}}"#, CHANNELS[*channel]),
                        _ => format!(r#"{{"id":"n{i}","type":"exit"}}"#),
                    }
                })
                .collect();
            let exit = if extras & 1 != 0 {
                r#"[{"event":"purchase"}]"#
            } else {
                "[]"
            };
            let goal = if extras & 2 != 0 {
                r#","goal":{"event":{"event":"purchase"},"within_days":3}"#
            } else {
                ""
            };
            let caps = match cap {
                0 => "{}",
                1 => {
                    r#"{"sms":{"per_day":1},"kakao":{"per_week":1},"email":{"per_day":1,"per_week":2}}"#
                }
                _ => r#"{"push":{"per_day":0},"in_app":{"per_day":2}}"#,
            };
            let quiet = match quiet {
                0 => r#"{"start":"21:00","end":"08:00"}"#,
                1 => "null",
                _ => r#"{"start":"01:00","end":"05:30"}"#,
            };
            format!(
                r#"{{"name":"j","entry":{entry},"reentry":{{"mode":"{reentry}","days":2}},"exit":{exit}{goal},
                   "rules":{{"caps":{caps},"quiet_hours":{quiet}}},"start":"n0","nodes":[{}]}}"#,
                nodes.join(",")
            )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// Random journeys on random data: an error value (for invalid journeys) or a result
            /// whose counts add up and whose customer lists match the counts; never a panic.
            #[test]
            fn random_journeys_never_panic_and_counts_add_up(data in data(), specs in journeys(), days in 1u32..40) {
                let store = build(&data);
                let ctx = Context::new(at(NOW), Zone::default());
                let journeys: Vec<Journey> = specs
                    .iter()
                    .map(|s| serde_json::from_str(&journey_json(s)).expect("generated journeys parse"))
                    .collect();
                let valid = journeys.iter().all(|j| {
                    validate(&store, &ctx, j, &SegmentLibrary::new()).valid
                });
                let spec = BacktestSpec { days, journeys: journeys.clone() };
                let result = run(&store, &ctx, &spec, &SegmentLibrary::new(), None);
                prop_assert_eq!(result.is_ok(), valid);
                let Ok(result) = result else { return Ok(()) };
                let mut total_sent = 0;
                for (j, r) in result.journeys.iter().enumerate() {
                    prop_assert_eq!(r.entries, r.completed + r.exited + r.in_progress + r.control);
                    prop_assert!(r.customers <= r.entries && r.customers <= store.customers.len());
                    prop_assert!(r.step_limit <= r.in_progress);
                    for c in &r.channels {
                        prop_assert_eq!(
                            c.attempted,
                            c.sent + c.skipped_consent + c.held_by_cap + c.pending + c.cancelled
                        );
                        prop_assert!(c.deferred_quiet_hours <= c.attempted - c.skipped_consent);
                        if !c.channel.needs_consent() {
                            prop_assert_eq!(c.skipped_consent, 0);
                        }
                    }
                    let sent: usize = r.channels.iter().map(|c| c.sent).sum();
                    prop_assert_eq!(r.calendar.iter().map(|d| d.total).sum::<usize>(), sent);
                    total_sent += sent;
                    let node_sent: usize = r.nodes.iter().filter_map(|n| n.messages.as_ref()).map(|m| m.sent).sum();
                    prop_assert_eq!(node_sent, sent);
                    for node in &r.nodes {
                        let out: usize = r.edges.iter().filter(|e| e.from == node.id).map(|e| e.times).sum();
                        prop_assert!(out <= node.visits, "{} leaves more often than it is reached", node.id);
                    }
                    if let Some(goal) = &r.goal {
                        prop_assert_eq!(goal.treated + goal.control, r.entries);
                        prop_assert_eq!(goal.control, r.control);
                        prop_assert_eq!(goal.reached, goal.treated_reached + goal.control_reached);
                    }
                    let list = |select: Selection| {
                        let spec = BacktestCustomersSpec {
                            backtest: spec.clone(),
                            journey: j,
                            select,
                        };
                        customers(&store, &ctx, &spec, &SegmentLibrary::new(), None).map(|l| l.len())
                    };
                    prop_assert_eq!(list(Selection::Entries), Ok(r.customers));
                    for node in &r.nodes {
                        prop_assert_eq!(list(Selection::Node { node: node.id.clone() }), Ok(node.customers));
                    }
                    for edge in &r.edges {
                        prop_assert_eq!(
                            list(Selection::Edge { node: edge.from.clone(), outlet: edge.outlet.clone() }),
                            Ok(edge.customers)
                        );
                    }
                    for c in &r.channels {
                        let n = list(Selection::Channel { channel: c.channel, status: MessageStatus::Sent })
                            .unwrap_or(usize::MAX);
                        prop_assert!(n <= c.sent && (n > 0) == (c.sent > 0));
                    }
                }
                prop_assert_eq!(result.calendar.iter().map(|d| d.total).sum::<usize>(), total_sent);
                // Deterministic.
                prop_assert_eq!(run(&store, &ctx, &spec, &SegmentLibrary::new(), None), Ok(result));
            }
        }
    }
}
