//! Segment evaluation: which customers a [`Rule`] selects, at an explicit "now".
//!
//! A rule is first compiled against one store ([`CompiledRule`]): attributes, event types,
//! property values, dates and segment references are resolved once, and every mistake is reported
//! with a JSON path into the rule (`rules[2].rules[0].attribute`). Evaluation is then one pass over
//! the customers, testing the compiled tree against each customer's slice of events; nothing is
//! allocated per customer or per event.
//!
//! # Semantics
//!
//! These definitions are exact, so that the same answer can be computed in SQL. Times are unix
//! seconds; `now` is [`Context::now`]; `D` is 86 400 seconds. Events later than `now` are ignored
//! by every rule. "Event order" is the store's order within a customer: by time, then by arrival;
//! "b after a" means b comes later in that order (so a is never its own follower).
//!
//! Windows (which `at` an event may have):
//! - `ever`: `at <= now`.
//! - `last_days: n`: `now - n·D < at <= now`.
//! - `after_signup_days: n`: `created_at <= at <= created_at + n·D` and `at <= now`.
//! - `between: {from, to}`: `from <= at < to` and `at <= now` (plain dates are local midnight in
//!   [`Context::zone`]; `to` must be later than `from`).
//!
//! Behaviour rules ("matching" = passes the rule's event filter):
//! - `performed`: the number of matching events in the window passes `count` (default `gte 1`;
//!   `eq 0` or `lte 2` also hold for customers without events).
//! - `not_performed`: no matching event in the window.
//! - `sequence`: some `first` event a in the window has a `then` event b after it with
//!   `b.at - a.at <= within` (and `b.at <= now`; b itself may lie outside the window).
//! - `not_followed_by`: some `first` event a in the window with `a.at + within <= now` (the wait
//!   is over) has no `then` event b after it with `b.at <= a.at + within`.
//! - `first_performed` / `last_performed`: the customer's first / last matching event up to now
//!   (over all history) exists and its `at` lies in the window.
//! - `aggregate` over the matching events in the window: `count`; `sum` of the values present
//!   (0 without any); `avg`, `min`, `max` of the values present (no valued event: the rule fails).
//!   The result is compared with `op`/`value`.
//!
//! Attribute rules follow [`AttributeTest`]; a missing value passes only `ne`, `not_in`,
//! `not_exists` and `list_has_none`. Text `eq`/`in` are exact, `contains` ignores case,
//! `starts_with` does not. Numbers: `between` is `min <= x <= max`. Dates (`d`):
//! - `before: t`: `d < t`; `after: t`: `d >= t` (the two split every present value).
//! - `in_last_days: n`: `now - n·D <= d <= now`; `in_next_days: n`: `now <= d <= now + n·D`;
//!   `more_than_days_ago: n`: `d < now - n·D`.
//! - `anniversary_in_next_days: n`: the month and day of `d` (local date in [`Context::zone`])
//!   is the month and day of one of the local dates today ..= today + n; a 29 February counts on
//!   28 February in years without one.
//!
//! Groups: `all` of nothing holds for everyone, `any` of nothing for no one, `none` = not any.
//! `segment` = member of the library segment with that id, evaluated once per query.
//! Customers are not filtered by signup time; restrict the population for that.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::filter::{EventMatcher, Literal};
use super::population::{includes, CustomerSet};
use super::query::{QueryError, QueryErrorKind};
use super::segment_rule::{
    Aggregate, AttributeTest, CompareOp, Comparison, Rule, Window, ATTR_CONSENT_PREFIX,
    ATTR_CREATED_AT, ATTR_EMAIL, ATTR_ID, ATTR_NAME, ATTR_PHONE,
};
use super::store::{AttrValue, CustomerIx, Store, NO_TEXT};
use super::time::{parse_date_or_timestamp, Context, Zone, DAY};
use crate::model::AttributeType;

/// Named segments a rule can refer to with `{"rule": "segment", "id": …}`.
pub type SegmentLibrary = BTreeMap<String, Rule>;

/// The customers `rule` selects (see the [module docs](self) for the exact semantics).
///
/// ```
/// use crm_lens::engine::segment::{evaluate, SegmentLibrary};
/// use crm_lens::engine::segment_rule::Rule;
/// use crm_lens::engine::{Context, Store, Zone};
///
/// let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
/// let customers = br#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00"},
///                      {"id":"b","name":"B","created_at":"2026-01-01T00:00:00+09:00"}]"#;
/// let events = br#"[{"customer_id":"a","type":"visit","at":"2026-01-20T00:00:00+09:00"}]"#;
/// let (store, _) = Store::from_json(meta, customers, events).unwrap();
/// let ctx = Context::new(1_769_785_200, Zone::default()); // 2026-01-31 00:00 in Seoul
/// let win_back: Rule = serde_json::from_str(
///     r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#,
/// ).unwrap();
/// let members = evaluate(&store, &ctx, &win_back, &SegmentLibrary::new()).unwrap();
/// assert_eq!(members.ones().collect::<Vec<_>>(), vec![1]);
/// ```
pub fn evaluate(
    store: &Store,
    ctx: &Context,
    rule: &Rule,
    library: &SegmentLibrary,
) -> Result<CustomerSet, QueryError> {
    Ok(CompiledRule::compile(store, ctx, rule, library)?.evaluate(store, None))
}

/// What the segment query evaluates: a rule, and whether to list the members.
///
/// ```json
/// {"rule": {"rule": "not_performed", "event": {"event": "visit"}, "window": {"last_days": 14}},
///  "include_members": false}
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SegmentSpec {
    pub rule: Rule,
    #[serde(default = "members_are_listed_by_default")]
    pub include_members: bool,
}

fn members_are_listed_by_default() -> bool {
    true
}

/// The answer to a [`SegmentSpec`].
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SegmentResult {
    /// Customers of the population in the segment.
    pub count: usize,
    /// Customers considered: the population, or everyone.
    pub total: usize,
    /// Customer ids of the members in store order; empty unless `include_members`.
    pub members: Vec<String>,
}

/// Runs a segment query over `population` (everyone when `None`). Error paths start at the
/// spec (`rule.rules[1].window`).
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &SegmentSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<SegmentResult, QueryError> {
    let compiled =
        CompiledRule::compile(store, ctx, &spec.rule, library).map_err(|e| e.within("rule"))?;
    let members = compiled.evaluate(store, population);
    let total = (0..store.customers.len() as CustomerIx)
        .filter(|&c| includes(population, c))
        .count();
    let listed = if spec.include_members {
        members
            .ones()
            .map(|c| store.customers.ids[c].clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(SegmentResult {
        count: members.count_ones(..),
        total,
        members: listed,
    })
}

/// A [`Rule`] resolved against one store and context, ready to test customers quickly.
///
/// ```
/// # use crm_lens::engine::segment::{CompiledRule, SegmentLibrary};
/// # use crm_lens::engine::segment_rule::Rule;
/// # use crm_lens::engine::{Context, Store, Zone};
/// # let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
/// # let customers = br#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00"}]"#;
/// # let (store, _) = Store::from_json(meta, customers, b"[]").unwrap();
/// let ctx = Context::new(1_769_785_200, Zone::default());
/// let rule: Rule = serde_json::from_str(r#"{"rule":"attribute","attribute":"$name","op":"eq","value":"A"}"#).unwrap();
/// let compiled = CompiledRule::compile(&store, &ctx, &rule, &SegmentLibrary::new()).unwrap();
/// assert!(compiled.matches(&store, 0));
/// ```
#[derive(Debug, Clone)]
pub struct CompiledRule {
    root: Node,
    now: i64,
    /// Members of the referenced library segments, indexed by [`Node::Member`].
    segments: Vec<CustomerSet>,
    /// Date attribute columns as instants in the query's zone, indexed by
    /// `AttributeSource::Dates`.
    dates: Vec<Vec<Option<i64>>>,
}

impl CompiledRule {
    /// Resolves `rule` against `store`. Referenced library segments are evaluated here, once each.
    pub fn compile(
        store: &Store,
        ctx: &Context,
        rule: &Rule,
        library: &SegmentLibrary,
    ) -> Result<CompiledRule, QueryError> {
        let mut compiler = Compiler {
            store,
            ctx,
            library,
            segments: Vec::new(),
            segment_index: HashMap::new(),
            resolving: Vec::new(),
            dates: std::cell::RefCell::new(Vec::new()),
        };
        let root = compiler.compile(rule, "")?;
        Ok(CompiledRule {
            root,
            now: ctx.now,
            segments: compiler.segments,
            dates: compiler
                .dates
                .into_inner()
                .into_iter()
                .map(|(_, d)| d)
                .collect(),
        })
    }

    /// The members among `population` (everyone when `None`).
    pub fn evaluate(&self, store: &Store, population: Option<&CustomerSet>) -> CustomerSet {
        Evaluator {
            store,
            now: self.now,
            segments: &self.segments,
            dates: &self.dates,
        }
        .members(&self.root, population)
    }

    /// Whether one customer is a member.
    pub fn matches(&self, store: &Store, customer: CustomerIx) -> bool {
        let evaluator = Evaluator {
            store,
            now: self.now,
            segments: &self.segments,
            dates: &self.dates,
        };
        evaluator.holds(&self.root, &evaluator.customer(customer as usize))
    }
}

/// An attribute rule on a text column as a [`Node::TextCode`] (the rule decided once per
/// distinct text); any other attribute rule as it is.
fn text_codes(store: &Store, rule: AttributeRule) -> Node {
    let AttributeSource::Column(column) = rule.source else {
        return Node::Attribute(rule);
    };
    let attribute = &store.customers.attributes[column];
    if attribute.kind != AttributeType::Text || attribute.text_codes.len() != attribute.values.len()
    {
        return Node::Attribute(rule);
    }
    let accept = attribute
        .text_values
        .iter()
        .map(|text| rule.check.passes(AttributeValue::Text(text)) != rule.negate)
        .collect();
    Node::TextCode {
        column,
        accept,
        missing: rule.negate,
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    None(Vec<Node>),
    Attribute(AttributeRule),
    /// An attribute rule on a text column, decided per dictionary code: `accept[code]`, or
    /// `missing` for customers without a value.
    TextCode {
        column: usize,
        accept: Vec<bool>,
        missing: bool,
    },
    Performed {
        events: EventMatcher,
        count: Comparison,
        /// Counting can stop here: the comparison gives the same answer for every larger count.
        enough: usize,
        window: EventWindow,
    },
    NotPerformed {
        events: EventMatcher,
        window: EventWindow,
    },
    Sequence {
        first: EventMatcher,
        then: EventMatcher,
        within: i64,
        window: EventWindow,
    },
    NotFollowedBy {
        first: EventMatcher,
        then: EventMatcher,
        within: i64,
        window: EventWindow,
    },
    FirstPerformed {
        events: EventMatcher,
        window: EventWindow,
    },
    LastPerformed {
        events: EventMatcher,
        window: EventWindow,
    },
    Aggregate {
        events: EventMatcher,
        aggregate: Aggregate,
        compare: Comparison,
        window: EventWindow,
    },
    /// Member of the library segment with this index in [`CompiledRule::segments`].
    Member(usize),
}

/// The `at` range a window admits, as inclusive bounds.
#[derive(Debug, Clone, Copy)]
enum EventWindow {
    /// The same for every customer (already capped at now).
    Fixed { first: i64, last: i64 },
    /// From signup to `seconds` after it (capped at now).
    AfterSignup { seconds: i64 },
}

impl EventWindow {
    #[inline]
    fn bounds(self, created_at: i64, now: i64) -> (i64, i64) {
        match self {
            EventWindow::Fixed { first, last } => (first, last),
            EventWindow::AfterSignup { seconds } => {
                (created_at, created_at.saturating_add(seconds).min(now))
            }
        }
    }
}

/// Where an attribute's value comes from.
#[derive(Debug, Clone, Copy)]
enum AttributeSource {
    Column(usize),
    /// A date column resolved in the query's zone: index into the compiled rule's dates.
    Dates(usize),
    CreatedAt,
    Id,
    Name,
    Email,
    Phone,
    Consent(ConsentChannel),
}

#[derive(Debug, Clone, Copy)]
enum ConsentChannel {
    Email,
    Sms,
    Push,
    Kakao,
}

/// One attribute value, borrowed from the store.
#[derive(Debug, Clone, Copy)]
enum AttributeValue<'a> {
    Missing,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    Date(i64),
    List(&'a [String]),
}

/// A compiled attribute test: `check` on present values, inverted when `negate`. Missing values
/// pass exactly the negated tests (`ne`, `not_in`, `not_exists`, `list_has_none`).
#[derive(Debug, Clone)]
struct AttributeRule {
    source: AttributeSource,
    check: Check,
    negate: bool,
}

#[derive(Debug, Clone)]
enum Check {
    Exists,
    TextIn(Vec<String>),
    NumberIn(Vec<f64>),
    BoolIn(Vec<bool>),
    /// The needle in lower case.
    ContainsIgnoringCase(String),
    StartsWith(String),
    Number(Comparison),
    NumberBetween {
        min: f64,
        max: f64,
    },
    ListHasAny(Vec<String>),
    /// Inclusive bounds.
    DateBetween {
        first: i64,
        last: i64,
    },
    /// Bit `day` of `days_by_month[month]` is set for every (month, day) that qualifies.
    Anniversary {
        days_by_month: [u32; 13],
        zone: Zone,
    },
}

impl Check {
    fn passes(&self, value: AttributeValue) -> bool {
        match (self, value) {
            (_, AttributeValue::Missing) => false,
            (Check::Exists, _) => true,
            (Check::TextIn(texts), AttributeValue::Text(t)) => {
                texts.binary_search_by(|x| x.as_str().cmp(t)).is_ok()
            }
            (Check::NumberIn(numbers), AttributeValue::Number(n)) => numbers.contains(&n),
            (Check::BoolIn(bools), AttributeValue::Bool(b)) => bools.contains(&b),
            (Check::ContainsIgnoringCase(needle), AttributeValue::Text(t)) => {
                contains_ignoring_case(t, needle)
            }
            (Check::StartsWith(prefix), AttributeValue::Text(t)) => t.starts_with(prefix.as_str()),
            (Check::Number(comparison), AttributeValue::Number(n)) => comparison.holds(n),
            (Check::NumberBetween { min, max }, AttributeValue::Number(n)) => {
                *min <= n && n <= *max
            }
            (Check::ListHasAny(wanted), AttributeValue::List(items)) => {
                items.iter().any(|item| wanted.contains(item))
            }
            (Check::DateBetween { first, last }, AttributeValue::Date(d)) => {
                *first <= d && d <= *last
            }
            (
                Check::Anniversary {
                    days_by_month,
                    zone,
                },
                AttributeValue::Date(d),
            ) => {
                let date = zone.date(d);
                days_by_month[date.month() as usize] & (1 << date.day()) != 0
            }
            // A value of another type than the column declares (ingest prevents it): no match.
            _ => false,
        }
    }
}

/// Whether `text` contains `needle_lower` (already lower case), ignoring case, without allocating.
fn contains_ignoring_case(text: &str, needle_lower: &str) -> bool {
    needle_lower.is_empty()
        || text
            .char_indices()
            .any(|(i, _)| starts_with_ignoring_case(&text[i..], needle_lower))
}

fn starts_with_ignoring_case(text: &str, needle_lower: &str) -> bool {
    let mut needle = needle_lower.chars();
    for c in text.chars().flat_map(char::to_lowercase) {
        match needle.next() {
            None => return true,
            Some(n) if n == c => {}
            Some(_) => return false,
        }
    }
    needle.next().is_none()
}

/// `parent.field`, or `parent[3]` for an index, or just `field` at the root.
fn child_path(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else if field.starts_with('[') {
        format!("{parent}{field}")
    } else {
        format!("{parent}.{field}")
    }
}

fn type_name(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::Text => "text",
        AttributeType::Number => "number",
        AttributeType::Bool => "true/false",
        AttributeType::Date => "date",
        AttributeType::List => "list",
    }
}

struct Compiler<'a> {
    store: &'a Store,
    ctx: &'a Context,
    library: &'a SegmentLibrary,
    segments: Vec<CustomerSet>,
    segment_index: HashMap<&'a str, usize>,
    /// Library segments being compiled, outermost first, to recognise circles.
    resolving: Vec<&'a str>,
    /// Date columns resolved to instants in the query's zone, by column index.
    dates: std::cell::RefCell<Vec<(usize, Vec<Option<i64>>)>>,
}

impl<'a> Compiler<'a> {
    fn compile(&mut self, rule: &Rule, path: &str) -> Result<Node, QueryError> {
        let store = self.store;
        let matcher = |filter| EventMatcher::new(store, filter);
        Ok(match rule {
            Rule::All { rules } => Node::All(self.compile_group(rules, path)?),
            Rule::Any { rules } => Node::Any(self.compile_group(rules, path)?),
            Rule::None { rules } => Node::None(self.compile_group(rules, path)?),
            Rule::Attribute { attribute, test } => {
                text_codes(store, self.compile_attribute(attribute, test, path)?)
            }
            Rule::Performed {
                event,
                count,
                window,
            } => Node::Performed {
                events: matcher(event),
                count: *count,
                enough: enough_to_decide(count),
                window: self.compile_window(window, path)?,
            },
            Rule::NotPerformed { event, window } => Node::NotPerformed {
                events: matcher(event),
                window: self.compile_window(window, path)?,
            },
            Rule::Sequence {
                first,
                then,
                within,
                window,
            } => Node::Sequence {
                first: matcher(first),
                then: matcher(then),
                within: within.seconds(),
                window: self.compile_window(window, path)?,
            },
            Rule::NotFollowedBy {
                first,
                then,
                within,
                window,
            } => Node::NotFollowedBy {
                first: matcher(first),
                then: matcher(then),
                within: within.seconds(),
                window: self.compile_window(window, path)?,
            },
            Rule::FirstPerformed { event, window } => Node::FirstPerformed {
                events: matcher(event),
                window: self.compile_window(window, path)?,
            },
            Rule::LastPerformed { event, window } => Node::LastPerformed {
                events: matcher(event),
                window: self.compile_window(window, path)?,
            },
            // Counting is what `performed` does, and it can stop early.
            Rule::Aggregate {
                event,
                aggregate: Aggregate::Count,
                compare,
                window,
            } => Node::Performed {
                events: matcher(event),
                count: *compare,
                enough: enough_to_decide(compare),
                window: self.compile_window(window, path)?,
            },
            Rule::Aggregate {
                event,
                aggregate,
                compare,
                window,
            } => Node::Aggregate {
                events: matcher(event),
                aggregate: *aggregate,
                compare: *compare,
                window: self.compile_window(window, path)?,
            },
            Rule::Segment { id } => Node::Member(self.resolve_segment(id, path)?),
        })
    }

    fn compile_group(&mut self, rules: &[Rule], path: &str) -> Result<Vec<Node>, QueryError> {
        rules
            .iter()
            .enumerate()
            .map(|(i, rule)| self.compile(rule, &child_path(path, &format!("rules[{i}]"))))
            .collect()
    }

    /// Compiles and evaluates a library segment once; later references reuse its members.
    fn resolve_segment(&mut self, id: &str, path: &str) -> Result<usize, QueryError> {
        let id_path = child_path(path, "id");
        if let Some(&index) = self.segment_index.get(id) {
            return Ok(index);
        }
        let library = self.library;
        let Some((name, rule)) = library.get_key_value(id) else {
            let known: Vec<&str> = library.keys().map(String::as_str).collect();
            return Err(QueryError::new(
                id_path,
                QueryErrorKind::UnknownSegment,
                format!(
                    "no segment with id {id:?} (known: {})",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        if let Some(start) = self.resolving.iter().position(|r| *r == name) {
            let mut circle: Vec<&str> = self.resolving[start..].to_vec();
            circle.push(name);
            return Err(QueryError::new(
                id_path,
                QueryErrorKind::SegmentCycle,
                format!(
                    "segments refer to each other in a circle: {}",
                    circle.join(" → ")
                ),
            ));
        }
        self.resolving.push(name);
        let compiled = self.compile(rule, "");
        self.resolving.pop();
        let node = compiled.map_err(|error| match error.kind {
            // The circle's message names every segment in it; point at the outermost reference.
            QueryErrorKind::SegmentCycle => QueryError {
                path: id_path,
                ..error
            },
            _ => QueryError::new(id_path, error.kind, format!("in segment {name:?}: {error}")),
        })?;
        let dates: Vec<Vec<Option<i64>>> =
            self.dates.borrow().iter().map(|(_, d)| d.clone()).collect();
        let members = Evaluator {
            store: self.store,
            now: self.ctx.now,
            segments: &self.segments,
            dates: &dates,
        }
        .members(&node, None);
        self.segments.push(members);
        let index = self.segments.len() - 1;
        self.segment_index.insert(name, index);
        Ok(index)
    }

    fn compile_window(&self, window: &Window, path: &str) -> Result<EventWindow, QueryError> {
        let now = self.ctx.now;
        Ok(match window {
            Window::Ever => EventWindow::Fixed {
                first: i64::MIN,
                last: now,
            },
            Window::LastDays(days) => EventWindow::Fixed {
                first: now - *days as i64 * DAY + 1,
                last: now,
            },
            Window::AfterSignupDays(days) => EventWindow::AfterSignup {
                seconds: *days as i64 * DAY,
            },
            Window::Between { from, to } => {
                let between = child_path(path, "window.between");
                let from = self.parse_date(from, &child_path(&between, "from"))?;
                let to_time = self.parse_date(to, &child_path(&between, "to"))?;
                if to_time <= from {
                    return Err(QueryError::invalid(
                        child_path(&between, "to"),
                        format!("{to:?} is not after the window's start"),
                    ));
                }
                EventWindow::Fixed {
                    first: from,
                    last: (to_time - 1).min(now),
                }
            }
        })
    }

    fn parse_date(&self, text: &str, path: &str) -> Result<i64, QueryError> {
        parse_date_or_timestamp(text, &self.ctx.zone).ok_or_else(|| {
            QueryError::invalid(
                path,
                format!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"),
            )
        })
    }

    /// The slot of date column `index` resolved to instants: plain dates are local midnight in
    /// the query's zone (each distinct day converted once), timestamps stay as they are.
    fn resolve_dates(&self, index: usize) -> usize {
        let mut dates = self.dates.borrow_mut();
        if let Some(slot) = dates.iter().position(|(column, _)| *column == index) {
            return slot;
        }
        let mut midnights: HashMap<i32, i64> = HashMap::new();
        let zone = self.ctx.zone;
        let resolved = self.store.customers.attributes[index]
            .values
            .iter()
            .map(|value| match value {
                AttrValue::Day(day) => Some(*midnights.entry(*day).or_insert_with(|| {
                    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                    zone.midnight(epoch + chrono::Duration::days(*day as i64))
                })),
                AttrValue::Date(instant) => Some(*instant),
                _ => None,
            })
            .collect();
        dates.push((index, resolved));
        dates.len() - 1
    }

    fn resolve_attribute(&self, name: &str) -> Option<(AttributeSource, AttributeType)> {
        let source = match name {
            ATTR_CREATED_AT => (AttributeSource::CreatedAt, AttributeType::Date),
            ATTR_ID => (AttributeSource::Id, AttributeType::Text),
            ATTR_NAME => (AttributeSource::Name, AttributeType::Text),
            ATTR_EMAIL => (AttributeSource::Email, AttributeType::Text),
            ATTR_PHONE => (AttributeSource::Phone, AttributeType::Text),
            _ => {
                if let Some(channel) = name.strip_prefix(ATTR_CONSENT_PREFIX) {
                    let channel = match channel {
                        "email" => ConsentChannel::Email,
                        "sms" => ConsentChannel::Sms,
                        "push" => ConsentChannel::Push,
                        "kakao" => ConsentChannel::Kakao,
                        _ => return None,
                    };
                    (AttributeSource::Consent(channel), AttributeType::Bool)
                } else {
                    let columns = &self.store.customers.attributes;
                    let index = columns.iter().position(|column| column.name == name)?;
                    match columns[index].kind {
                        AttributeType::Date => (
                            AttributeSource::Dates(self.resolve_dates(index)),
                            AttributeType::Date,
                        ),
                        kind => (AttributeSource::Column(index), kind),
                    }
                }
            }
        };
        Some(source)
    }

    fn compile_attribute(
        &self,
        attribute: &str,
        test: &AttributeTest,
        path: &str,
    ) -> Result<AttributeRule, QueryError> {
        let Some((source, kind)) = self.resolve_attribute(attribute) else {
            return Err(QueryError::new(
                child_path(path, "attribute"),
                QueryErrorKind::UnknownAttribute,
                format!("the data has no customer attribute {attribute:?}"),
            ));
        };
        let mismatch = |expected: &str| {
            QueryError::new(
                child_path(path, "op"),
                QueryErrorKind::TypeMismatch,
                format!(
                    "{attribute:?} is {}; this test needs {expected}",
                    type_name(kind)
                ),
            )
        };
        let require = |wanted: AttributeType| {
            if kind == wanted {
                Ok(())
            } else {
                Err(mismatch(&format!("a {} attribute", type_name(wanted))))
            }
        };
        let now = self.ctx.now;
        let (check, negate) = match test {
            AttributeTest::Exists => (Check::Exists, false),
            AttributeTest::NotExists => (Check::Exists, true),
            AttributeTest::Eq { value } => (
                literal_check(kind, std::slice::from_ref(value), attribute, |_| {
                    child_path(path, "value")
                })
                .ok_or_else(|| mismatch("a text, number or true/false attribute"))??,
                false,
            ),
            AttributeTest::Ne { value } => (
                literal_check(kind, std::slice::from_ref(value), attribute, |_| {
                    child_path(path, "value")
                })
                .ok_or_else(|| mismatch("a text, number or true/false attribute"))??,
                true,
            ),
            AttributeTest::In { values } => (
                literal_check(kind, values, attribute, |i| {
                    child_path(path, &format!("values[{i}]"))
                })
                .ok_or_else(|| mismatch("a text, number or true/false attribute"))??,
                false,
            ),
            AttributeTest::NotIn { values } => (
                literal_check(kind, values, attribute, |i| {
                    child_path(path, &format!("values[{i}]"))
                })
                .ok_or_else(|| mismatch("a text, number or true/false attribute"))??,
                true,
            ),
            AttributeTest::Contains { value } => {
                require(AttributeType::Text)?;
                (Check::ContainsIgnoringCase(value.to_lowercase()), false)
            }
            AttributeTest::StartsWith { value } => {
                require(AttributeType::Text)?;
                (Check::StartsWith(value.clone()), false)
            }
            AttributeTest::Gt { value } => number_test(require, CompareOp::Gt, *value)?,
            AttributeTest::Gte { value } => number_test(require, CompareOp::Gte, *value)?,
            AttributeTest::Lt { value } => number_test(require, CompareOp::Lt, *value)?,
            AttributeTest::Lte { value } => number_test(require, CompareOp::Lte, *value)?,
            AttributeTest::Between { min, max } => {
                require(AttributeType::Number)?;
                (
                    Check::NumberBetween {
                        min: *min,
                        max: *max,
                    },
                    false,
                )
            }
            AttributeTest::ListHas { value } => {
                require(AttributeType::List)?;
                (Check::ListHasAny(vec![value.clone()]), false)
            }
            AttributeTest::ListHasAny { values } => {
                require(AttributeType::List)?;
                (Check::ListHasAny(values.clone()), false)
            }
            AttributeTest::ListHasNone { values } => {
                require(AttributeType::List)?;
                (Check::ListHasAny(values.clone()), true)
            }
            AttributeTest::Before { date } => {
                require(AttributeType::Date)?;
                let t = self.parse_date(date, &child_path(path, "date"))?;
                (date_range(i64::MIN, t - 1), false)
            }
            AttributeTest::After { date } => {
                require(AttributeType::Date)?;
                let t = self.parse_date(date, &child_path(path, "date"))?;
                (date_range(t, i64::MAX), false)
            }
            AttributeTest::InLastDays { days } => {
                require(AttributeType::Date)?;
                (date_range(now - *days as i64 * DAY, now), false)
            }
            AttributeTest::InNextDays { days } => {
                require(AttributeType::Date)?;
                (date_range(now, now + *days as i64 * DAY), false)
            }
            AttributeTest::MoreThanDaysAgo { days } => {
                require(AttributeType::Date)?;
                (date_range(i64::MIN, now - *days as i64 * DAY - 1), false)
            }
            AttributeTest::AnniversaryInNextDays { days } => {
                require(AttributeType::Date)?;
                let zone = self.ctx.zone;
                (
                    Check::Anniversary {
                        days_by_month: anniversary_days(zone.date(now), *days),
                        zone,
                    },
                    false,
                )
            }
        };
        Ok(AttributeRule {
            source,
            check,
            negate,
        })
    }
}

fn number_test(
    require: impl Fn(AttributeType) -> Result<(), QueryError>,
    op: CompareOp,
    value: f64,
) -> Result<(Check, bool), QueryError> {
    require(AttributeType::Number)?;
    Ok((Check::Number(Comparison { op, value }), false))
}

/// The smallest count from which `comparison` gives the same answer for every larger count.
fn enough_to_decide(comparison: &Comparison) -> usize {
    let value = comparison.value.max(0.0);
    // Float to integer casts saturate (NaN becomes 0: every count then compares alike).
    match comparison.op {
        CompareOp::Gte | CompareOp::Lt => value.ceil() as usize,
        CompareOp::Eq | CompareOp::Ne | CompareOp::Gt | CompareOp::Lte => {
            (value.floor() as usize).saturating_add(1)
        }
    }
}

fn date_range(first: i64, last: i64) -> Check {
    Check::DateBetween { first, last }
}

/// The check for `eq`/`in` literals on an attribute of `kind`: `None` if the type has no
/// equality test (dates, lists), an error if a literal is of another type than the attribute.
fn literal_check(
    kind: AttributeType,
    literals: &[Literal],
    attribute: &str,
    literal_path: impl Fn(usize) -> String,
) -> Option<Result<Check, QueryError>> {
    let wrong = |i: usize, expected: &str| {
        QueryError::new(
            literal_path(i),
            QueryErrorKind::TypeMismatch,
            format!(
                "{attribute:?} is {}; compare it with {expected}",
                type_name(kind)
            ),
        )
    };
    let checked = match kind {
        AttributeType::Text => literals
            .iter()
            .enumerate()
            .map(|(i, literal)| match literal {
                Literal::Text(t) => Ok(t.clone()),
                _ => Err(wrong(i, "text in quotes")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|mut texts| {
                // Sorted for a binary search: a fixed list can hold thousands of ids.
                texts.sort_unstable();
                texts.dedup();
                Check::TextIn(texts)
            }),
        AttributeType::Number => literals
            .iter()
            .enumerate()
            .map(|(i, literal)| match literal {
                Literal::Number(n) => Ok(*n),
                _ => Err(wrong(i, "a number")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Check::NumberIn),
        AttributeType::Bool => literals
            .iter()
            .enumerate()
            .map(|(i, literal)| match literal {
                Literal::Bool(b) => Ok(*b),
                _ => Err(wrong(i, "true or false")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Check::BoolIn),
        AttributeType::Date | AttributeType::List => return None,
    };
    Some(checked)
}

/// The (month, day) pairs of the local dates `today ..= today + days`, as bits per month; a
/// 28 February in a year without a 29th also admits 29 February birthdays.
fn anniversary_days(today: NaiveDate, days: u32) -> [u32; 13] {
    let mut days_by_month = [0u32; 13];
    // A year and a day covers every (month, day) there is.
    for offset in 0..=days.min(366) {
        let Some(date) = today.checked_add_days(Days::new(offset as u64)) else {
            break;
        };
        days_by_month[date.month() as usize] |= 1 << date.day();
        if date.month() == 2 && date.day() == 28 && !date.leap_year() {
            days_by_month[2] |= 1 << 29;
        }
    }
    days_by_month
}

/// One customer as the evaluator sees them.
struct CustomerView {
    index: usize,
    created_at: i64,
    /// The customer's events up to now.
    events: Range<usize>,
}

/// Tests compiled rules against customers.
struct Evaluator<'a> {
    store: &'a Store,
    now: i64,
    segments: &'a [CustomerSet],
    dates: &'a [Vec<Option<i64>>],
}

impl Evaluator<'_> {
    fn members(&self, root: &Node, population: Option<&CustomerSet>) -> CustomerSet {
        let count = self.store.customers.len();
        let mut members = CustomerSet::with_capacity(count);
        for customer in 0..count {
            if includes(population, customer as CustomerIx)
                && self.holds(root, &self.customer(customer))
            {
                members.insert(customer);
            }
        }
        members
    }

    #[inline]
    fn customer(&self, index: usize) -> CustomerView {
        let all = self.store.events.of_customer(index as CustomerIx);
        let at = &self.store.events.at[all.clone()];
        // Usually "now" is after the customer's last event: no search needed.
        let until_now = match at.last() {
            Some(&last) if last > self.now => at.partition_point(|&t| t <= self.now),
            _ => at.len(),
        };
        CustomerView {
            index,
            created_at: self.store.customers.created_at[index],
            events: all.start..all.start + until_now,
        }
    }

    /// The customer's events (up to now) inside the window.
    #[inline]
    fn in_window(&self, customer: &CustomerView, window: EventWindow) -> Range<usize> {
        let (first, last) = window.bounds(customer.created_at, self.now);
        self.between(customer, first, last)
    }

    /// The customer's events (up to now) with `first <= at <= last`.
    #[inline]
    fn between(&self, customer: &CustomerView, first: i64, last: i64) -> Range<usize> {
        let at = &self.store.events.at[customer.events.clone()];
        // The searches are skipped when the window covers the customer's whole history.
        let start = match at.first() {
            Some(&earliest) if earliest < first => at.partition_point(|&t| t < first),
            _ => 0,
        };
        let end = match at.last() {
            Some(&latest) if latest > last => at.partition_point(|&t| t <= last).max(start),
            _ => at.len(),
        };
        customer.events.start + start..customer.events.start + end
    }

    /// The number of matching events in `range`, counting no further than `enough`.
    #[inline]
    fn count_up_to(&self, events: &EventMatcher, range: Range<usize>, enough: usize) -> usize {
        if events.matches_nothing() || enough == 0 {
            return 0;
        }
        let mut count = 0;
        for e in range {
            if events.matches(self.store, e) {
                count += 1;
                if count == enough {
                    break;
                }
            }
        }
        count
    }

    fn holds(&self, node: &Node, customer: &CustomerView) -> bool {
        let store = self.store;
        let at = &store.events.at;
        match node {
            Node::All(rules) => rules.iter().all(|rule| self.holds(rule, customer)),
            Node::Any(rules) => rules.iter().any(|rule| self.holds(rule, customer)),
            Node::None(rules) => !rules.iter().any(|rule| self.holds(rule, customer)),
            Node::TextCode {
                column,
                accept,
                missing,
            } => match self.store.customers.attributes[*column].text_codes[customer.index] {
                NO_TEXT => *missing,
                code => accept[code as usize],
            },
            Node::Attribute(rule) => {
                let value = self.attribute(rule.source, customer.index);
                if matches!(value, AttributeValue::Missing) {
                    rule.negate
                } else {
                    rule.check.passes(value) != rule.negate
                }
            }
            Node::Performed {
                events,
                count,
                enough,
                window,
            } => {
                let range = self.in_window(customer, *window);
                count.holds(self.count_up_to(events, range, *enough) as f64)
            }
            Node::NotPerformed { events, window } => {
                events.matches_nothing()
                    || !self
                        .in_window(customer, *window)
                        .any(|e| events.matches(store, e))
            }
            Node::Sequence {
                first,
                then,
                within,
                window,
            } => {
                let (window_first, window_last) = window.bounds(customer.created_at, self.now);
                let candidates = self.between(customer, window_first, window_last);
                self.some_first_is(first, then, *within, candidates, customer.events.end, true)
            }
            Node::NotFollowedBy {
                first,
                then,
                within,
                window,
            } => {
                let (window_first, window_last) = window.bounds(customer.created_at, self.now);
                // Only a `first` whose wait is over can qualify.
                let last_candidate = window_last.min(self.now - *within);
                let candidates = self.between(customer, window_first, last_candidate);
                self.some_first_is(first, then, *within, candidates, customer.events.end, false)
            }
            Node::FirstPerformed { events, window } => {
                let (first, last) = window.bounds(customer.created_at, self.now);
                customer
                    .events
                    .clone()
                    .find(|&e| events.matches(store, e))
                    .is_some_and(|e| (first..=last).contains(&at[e]))
            }
            Node::LastPerformed { events, window } => {
                let (first, last) = window.bounds(customer.created_at, self.now);
                customer
                    .events
                    .clone()
                    .rev()
                    .find(|&e| events.matches(store, e))
                    .is_some_and(|e| (first..=last).contains(&at[e]))
            }
            Node::Aggregate {
                events,
                aggregate,
                compare,
                window,
            } => self
                .aggregate(events, *aggregate, self.in_window(customer, *window))
                .is_some_and(|x| compare.holds(x)),
            Node::Member(segment) => self.segments[*segment].contains(customer.index),
        }
    }

    /// Whether some `first` event among `candidates` is (`followed`) or is not (`!followed`)
    /// followed by a `then` event later in event order (before `end`) at most `within` seconds
    /// after it. Linear: `next` only moves forward, and no `then` event lies strictly between the
    /// current candidate and `next`.
    fn some_first_is(
        &self,
        first: &EventMatcher,
        then: &EventMatcher,
        within: i64,
        candidates: Range<usize>,
        end: usize,
        followed: bool,
    ) -> bool {
        let store = self.store;
        let at = &store.events.at;
        let mut next = candidates.start;
        for a in candidates {
            if !first.matches(store, a) {
                continue;
            }
            let deadline = at[a] + within;
            next = next.max(a + 1);
            while next < end && at[next] <= deadline && !then.matches(store, next) {
                next += 1;
            }
            let is_followed = next < end && at[next] <= deadline;
            if is_followed == followed {
                return true;
            }
        }
        false
    }

    /// The aggregate over matching events in `range`; `None` when it is undefined (an average,
    /// minimum or maximum of no values).
    fn aggregate(
        &self,
        events: &EventMatcher,
        aggregate: Aggregate,
        range: Range<usize>,
    ) -> Option<f64> {
        if aggregate == Aggregate::Count {
            return Some(self.count_up_to(events, range, usize::MAX) as f64);
        }
        let mut valued = 0usize;
        let mut sum = 0.0;
        let mut min = f64::INFINITY;
        let mut max = f64::NEG_INFINITY;
        for e in range {
            if !events.matches(self.store, e) {
                continue;
            }
            if let Some(value) = self.store.events.value_of(e) {
                valued += 1;
                sum += value;
                min = min.min(value);
                max = max.max(value);
            }
        }
        match aggregate {
            Aggregate::Count => None,
            Aggregate::Sum => Some(sum),
            Aggregate::Avg => (valued > 0).then(|| sum / valued as f64),
            Aggregate::Min => (valued > 0).then_some(min),
            Aggregate::Max => (valued > 0).then_some(max),
        }
    }

    #[inline]
    fn attribute(&self, source: AttributeSource, customer: usize) -> AttributeValue<'_> {
        let customers = &self.store.customers;
        match source {
            AttributeSource::Column(column) => match &customers.attributes[column].values[customer]
            {
                AttrValue::Missing => AttributeValue::Missing,
                AttrValue::Text(t) => AttributeValue::Text(t),
                AttrValue::Number(n) => AttributeValue::Number(*n),
                AttrValue::Bool(b) => AttributeValue::Bool(*b),
                AttrValue::Date(d) => AttributeValue::Date(*d),
                // Date columns are read through `AttributeSource::Dates`.
                AttrValue::Day(_) => AttributeValue::Missing,
                AttrValue::List(items) => AttributeValue::List(items),
            },
            AttributeSource::Dates(slot) => {
                self.dates[slot][customer].map_or(AttributeValue::Missing, AttributeValue::Date)
            }
            AttributeSource::CreatedAt => AttributeValue::Date(customers.created_at[customer]),
            AttributeSource::Id => AttributeValue::Text(&customers.ids[customer]),
            AttributeSource::Name => AttributeValue::Text(&customers.names[customer]),
            AttributeSource::Email => customers.emails[customer]
                .as_deref()
                .map_or(AttributeValue::Missing, AttributeValue::Text),
            AttributeSource::Phone => customers.phones[customer]
                .as_deref()
                .map_or(AttributeValue::Missing, AttributeValue::Text),
            AttributeSource::Consent(channel) => {
                let consent = &customers.consent[customer];
                AttributeValue::Bool(match channel {
                    ConsentChannel::Email => consent.email,
                    ConsentChannel::Sms => consent.sms,
                    ConsentChannel::Push => consent.push,
                    ConsentChannel::Kakao => consent.kakao,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::parse_timestamp;

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"plan","type":"text"},{"name":"seats","type":"number"},
        {"name":"vip","type":"bool"},{"name":"contract_end","type":"date"},
        {"name":"birthday","type":"date"},{"name":"tags","type":"list"}]}"#;

    /// Five customers around now = 2026-06-15 00:00 in Seoul (see each line for its story).
    const CUSTOMERS: &str = r#"[
        {"id":"a","name":"Alice Kim","email":"alice@example.com","created_at":"2025-01-10T09:00:00+09:00",
         "attributes":{"plan":"Pro","seats":12,"vip":true,"contract_end":"2026-09-01","birthday":"1990-06-20","tags":["app_user","gift_buyer"]},
         "consent":{"email":true}},
        {"id":"b","name":"Bora Lee","created_at":"2026-06-01T10:00:00+09:00",
         "attributes":{"plan":"free","vip":false,"contract_end":"2026-12-31","birthday":"1992-02-29","tags":["newsletter"]}},
        {"id":"c","name":"Chul Park","email":"chul@example.com","created_at":"2025-05-01T12:00:00+09:00",
         "attributes":{"plan":"pro team","seats":3,"contract_end":"2026-01-01"},"consent":{"sms":true}},
        {"id":"d","name":"Dami Choi","email":"dami@example.com","created_at":"2025-05-01T12:00:00+09:00",
         "attributes":{"plan":"basic","seats":1}},
        {"id":"e","name":"Eun Jung","created_at":"2026-06-14T00:00:00+09:00"}
    ]"#;

    // a: a visit exactly 14 days before now (outside "last 14 days"), a purchase exactly 365 days
    //    before now (outside "last 365 days") and 1,000,000 KRW after it, a visit after now.
    // b: signed up 06-01, no purchase since (the 7-day wait is over), an open cart.
    // c: signed up, purchased exactly 7 days later; visited 14 days minus 1 second before now.
    // d: signed up, purchased 7 days and 1 second later; only coupon purchases; NPS detractor.
    // e: signed up yesterday; the 7-day wait is not over.
    const EVENTS: &str = r#"[
        {"customer_id":"a","type":"visit","at":"2026-06-01T00:00:00+09:00"},
        {"customer_id":"a","type":"purchase","at":"2025-06-15T00:00:00+09:00","value":500000},
        {"customer_id":"a","type":"purchase","at":"2025-06-15T00:00:01+09:00","value":600000,"properties":{"coupon":"WELCOME10"}},
        {"customer_id":"a","type":"purchase","at":"2026-03-01T10:00:00+09:00","value":400000,"properties":{"coupon":"SALE10"}},
        {"customer_id":"a","type":"visit","at":"2026-06-15T01:00:00+09:00"},
        {"customer_id":"b","type":"signup","at":"2026-06-01T10:00:00+09:00"},
        {"customer_id":"b","type":"visit","at":"2026-06-02T12:00:00+09:00"},
        {"customer_id":"b","type":"cart_add","at":"2026-06-14T20:00:00+09:00","properties":{"product":"mug"}},
        {"customer_id":"c","type":"signup","at":"2025-05-01T12:00:00+09:00"},
        {"customer_id":"c","type":"purchase","at":"2025-05-08T12:00:00+09:00","value":30000},
        {"customer_id":"c","type":"nps_response","at":"2026-05-01T12:00:00+09:00","properties":{"score":9}},
        {"customer_id":"c","type":"visit","at":"2026-06-01T00:00:01+09:00"},
        {"customer_id":"d","type":"signup","at":"2025-05-01T12:00:00+09:00"},
        {"customer_id":"d","type":"purchase","at":"2025-05-08T12:00:01+09:00","value":20000,"properties":{"coupon":"WELCOME10"}},
        {"customer_id":"d","type":"purchase","at":"2026-02-01T12:00:00+09:00","value":15000,"properties":{"coupon":"SALE10"}},
        {"customer_id":"d","type":"cart_add","at":"2026-06-10T12:00:00+09:00","properties":{"product":"mug"}},
        {"customer_id":"d","type":"purchase","at":"2026-06-11T12:00:00+09:00","value":10000,"properties":{"coupon":"CART5"}},
        {"customer_id":"d","type":"nps_response","at":"2026-06-12T12:00:00+09:00","properties":{"score":6}},
        {"customer_id":"e","type":"signup","at":"2026-06-14T00:00:00+09:00"}
    ]"#;

    fn store() -> Store {
        Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), EVENTS.as_bytes())
            .expect("valid fixture")
            .0
    }

    fn at(text: &str) -> i64 {
        parse_timestamp(text).expect("timestamp")
    }

    fn ctx_at(now: &str) -> Context {
        Context::new(at(now), Zone::default())
    }

    fn ctx() -> Context {
        ctx_at("2026-06-15T00:00:00+09:00")
    }

    fn rule(json: &str) -> Rule {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn ids(store: &Store, set: &CustomerSet) -> Vec<String> {
        set.ones().map(|c| store.customers.ids[c].clone()).collect()
    }

    fn members_with(
        store: &Store,
        ctx: &Context,
        json: &str,
        library: &SegmentLibrary,
    ) -> Vec<String> {
        let set =
            evaluate(store, ctx, &rule(json), library).unwrap_or_else(|e| panic!("{json}: {e}"));
        ids(store, &set)
    }

    fn members(json: &str) -> Vec<String> {
        members_with(&store(), &ctx(), json, &SegmentLibrary::new())
    }

    fn error(json: &str, library: &SegmentLibrary) -> QueryError {
        evaluate(&store(), &ctx(), &rule(json), library).expect_err("an error")
    }

    #[test]
    fn performed_counts_matching_events_in_the_window() {
        let visit_14 = |count: &str| {
            members(&format!(
                r#"{{"rule":"performed","event":{{"event":"visit"}},"count":{count},"window":{{"last_days":14}}}}"#
            ))
        };
        // a's visit exactly 14 days ago is outside; c's one second later is inside; a's visit
        // after now does not count.
        assert_eq!(visit_14(r#"{"op":"gte","value":1}"#), ["b", "c"]);
        assert_eq!(visit_14(r#"{"op":"eq","value":0}"#), ["a", "d", "e"]);
        assert_eq!(
            visit_14(r#"{"op":"lte","value":2}"#),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(
            members(r#"{"rule":"performed","event":{"event":"visit"}}"#),
            ["a", "b", "c"],
            "default: at least once, ever"
        );
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"purchase"},"count":{"op":"gte","value":3},"window":"ever"}"#
            ),
            ["a", "d"]
        );
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"purchase","where":[{"property":"coupon","op":"eq","value":"SALE10"}]}}"#
            ),
            ["a", "d"]
        );
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"no_such_event"},"count":{"op":"eq","value":0}}"#
            ),
            ["a", "b", "c", "d", "e"]
        );
        // Within 7 days of signup: c's purchase exactly 7 days after is inside, d's is not.
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"purchase"},"window":{"after_signup_days":7}}"#
            ),
            ["c"]
        );
        // Between: from inclusive, to exclusive.
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"purchase"},"window":{"between":{"from":"2025-05-08T12:00:00+09:00","to":"2025-05-08T12:00:01+09:00"}}}"#
            ),
            ["c"]
        );
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"$activity"},"window":{"between":{"from":"2026-06-14","to":"2026-06-16"}}}"#
            ),
            ["b", "e"],
            "a plain date is local midnight, and the window stops at now"
        );
    }

    #[test]
    fn the_id_attribute_selects_a_fixed_list_of_customers() {
        assert_eq!(
            members(
                r#"{"rule":"attribute","attribute":"$id","op":"in","values":["e","c","zz","c"]}"#
            ),
            ["c", "e"]
        );
        assert_eq!(
            members(r#"{"rule":"attribute","attribute":"$id","op":"eq","value":"b"}"#),
            ["b"]
        );
        assert_eq!(
            members(r#"{"rule":"attribute","attribute":"$id","op":"not_in","values":["a","b"]}"#),
            ["c", "d", "e"]
        );
        assert_eq!(
            members(r#"{"rule":"attribute","attribute":"$id","op":"in","values":[]}"#),
            Vec::<String>::new()
        );
        let rule = Rule::customer_ids(&["d".to_owned(), "a".to_owned()]);
        let json = serde_json::to_string(&rule).expect("json");
        assert_eq!(
            json,
            r#"{"rule":"attribute","attribute":"$id","op":"in","values":["d","a"]}"#
        );
        assert_eq!(members(&json), ["a", "d"]);
        // A fixed list combined with behaviour: those of the list who never purchased.
        assert_eq!(
            members(
                r#"{"rule":"all","rules":[{"rule":"attribute","attribute":"$id","op":"in","values":["a","b","e"]},{"rule":"not_performed","event":{"event":"purchase"}}]}"#
            ),
            ["b", "e"]
        );
    }

    #[test]
    fn not_performed_and_negative_only_segments() {
        let no_visit_14 =
            r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#;
        assert_eq!(members(no_visit_14), ["a", "d", "e"]);
        // A segment of negative rules only: never purchased and no visit in 14 days.
        assert_eq!(
            members(&format!(
                r#"{{"rule":"all","rules":[{no_visit_14},{{"rule":"not_performed","event":{{"event":"purchase"}}}}]}}"#
            )),
            ["e"]
        );
        assert_eq!(
            members(
                r#"{"rule":"not_performed","event":{"event":"purchase","where":[{"property":"coupon","op":"not_exists"}]}}"#
            ),
            ["b", "d", "e"]
        );
    }

    #[test]
    fn sequence_needs_the_second_event_within_the_span() {
        let signup_then_purchase = |within: &str| {
            members(&format!(
                r#"{{"rule":"sequence","first":{{"event":"signup"}},"then":{{"event":"purchase"}},"within":{within}}}"#
            ))
        };
        assert_eq!(
            signup_then_purchase(r#"{"days":7}"#),
            ["c"],
            "exactly 7 days later counts"
        );
        assert_eq!(
            signup_then_purchase(r#"{"days":7,"minutes":1}"#),
            ["c", "d"]
        );
        assert_eq!(signup_then_purchase(r#"{"hours":1}"#), Vec::<String>::new());
        // The first event must be in the window; the second need not be.
        assert_eq!(
            members(
                r#"{"rule":"sequence","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"days":2},"window":{"last_days":7}}"#
            ),
            ["d"]
        );
        // An event is never its own follower; a later one of the same type is.
        assert_eq!(
            members(
                r#"{"rule":"sequence","first":{"event":"purchase"},"then":{"event":"purchase"},"within":{"days":1}}"#
            ),
            ["a"]
        );
        assert_eq!(
            members(
                r#"{"rule":"sequence","first":{"event":"purchase"},"then":{"event":"purchase"},"within":{}}"#
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn not_followed_by_waits_until_the_span_is_over() {
        let nudge = |within: &str| {
            members(&format!(
                r#"{{"rule":"not_followed_by","first":{{"event":"signup"}},"then":{{"event":"purchase"}},"within":{within}}}"#
            ))
        };
        // b: no purchase, 7 days over. c: purchase exactly at 7 days. d: 1 second late.
        // e: signed up yesterday, still waiting.
        assert_eq!(nudge(r#"{"days":7}"#), ["b", "d"]);
        assert_eq!(
            nudge(r#"{"days":13,"hours":14}"#),
            ["b"],
            "b's wait ends exactly now"
        );
        assert_eq!(
            nudge(r#"{"days":13,"hours":14,"minutes":1}"#),
            Vec::<String>::new()
        );
        // Cart added, no purchase within a day: d bought the next day (24 h later, exactly).
        assert_eq!(
            members(
                r#"{"rule":"not_followed_by","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"days":1}}"#
            ),
            Vec::<String>::new(),
            "b's cart is not a day old yet"
        );
        assert_eq!(
            members(
                r#"{"rule":"not_followed_by","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"hours":3}}"#
            ),
            ["b", "d"]
        );
        // Purchase not followed by another purchase within 30 days: any qualifying purchase counts.
        assert_eq!(
            members(
                r#"{"rule":"not_followed_by","first":{"event":"purchase"},"then":{"event":"purchase"},"within":{"days":30}}"#
            ),
            ["a", "c", "d"]
        );
    }

    #[test]
    fn first_and_last_performed_look_at_all_history() {
        // a's first purchase is exactly 365 days ago: outside, although later ones are inside.
        assert_eq!(
            members(
                r#"{"rule":"first_performed","event":{"event":"purchase"},"window":{"last_days":365}}"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            members(
                r#"{"rule":"first_performed","event":{"event":"purchase"},"window":{"between":{"from":"2025-05-01","to":"2025-06-01"}}}"#
            ),
            ["c", "d"]
        );
        assert_eq!(
            members(
                r#"{"rule":"last_performed","event":{"event":"purchase"},"window":{"last_days":30}}"#
            ),
            ["d"]
        );
        // a's last visit up to now is the one exactly 14 days ago (the later one is in the future).
        assert_eq!(
            members(
                r#"{"rule":"last_performed","event":{"event":"visit"},"window":{"between":{"from":"2026-06-01","to":"2026-06-02"}}}"#
            ),
            ["a", "c"]
        );
    }

    #[test]
    fn aggregates_over_event_values() {
        let aggregate = |agg: &str, op: &str, value: f64| {
            members(&format!(
                r#"{{"rule":"aggregate","event":{{"event":"purchase"}},"aggregate":"{agg}","op":"{op}","value":{value}}}"#
            ))
        };
        assert_eq!(
            aggregate("sum", "lt", 1.0),
            ["b", "e"],
            "no purchases sum to 0"
        );
        assert_eq!(aggregate("count", "eq", 0.0), ["b", "e"]);
        assert_eq!(aggregate("count", "eq", 3.0), ["a", "d"]);
        assert_eq!(aggregate("avg", "gte", 30000.0), ["a", "c"]);
        assert_eq!(
            aggregate("avg", "lt", 1e12),
            ["a", "c", "d"],
            "no values: no average"
        );
        assert_eq!(aggregate("min", "lte", 10000.0), ["d"]);
        assert_eq!(aggregate("max", "gt", 500000.0), ["a"]);
        assert_eq!(aggregate("max", "ne", 0.0), ["a", "c", "d"]);
    }

    #[test]
    fn text_number_bool_and_list_attributes() {
        let attribute = |name: &str, test: &str| {
            members(&format!(
                r#"{{"rule":"attribute","attribute":"{name}",{test}}}"#
            ))
        };
        assert_eq!(attribute("plan", r#""op":"eq","value":"Pro""#), ["a"]);
        assert_eq!(
            attribute("plan", r#""op":"contains","value":"PRO""#),
            ["a", "c"]
        );
        assert_eq!(
            attribute("plan", r#""op":"starts_with","value":"pro""#),
            ["c"]
        );
        assert_eq!(
            attribute("plan", r#""op":"ne","value":"free""#),
            ["a", "c", "d", "e"]
        );
        assert_eq!(
            attribute("plan", r#""op":"in","values":["Pro","basic"]"#),
            ["a", "d"]
        );
        assert_eq!(
            attribute("plan", r#""op":"not_in","values":["Pro","basic"]"#),
            ["b", "c", "e"]
        );
        assert_eq!(attribute("plan", r#""op":"not_exists""#), ["e"]);
        assert_eq!(attribute("seats", r#""op":"gt","value":5"#), ["a"]);
        assert_eq!(
            attribute("seats", r#""op":"between","min":3,"max":12"#),
            ["a", "c"]
        );
        assert_eq!(attribute("seats", r#""op":"lte","value":3"#), ["c", "d"]);
        assert_eq!(attribute("seats", r#""op":"eq","value":1"#), ["d"]);
        assert_eq!(attribute("vip", r#""op":"eq","value":true"#), ["a"]);
        assert_eq!(
            attribute("vip", r#""op":"ne","value":true"#),
            ["b", "c", "d", "e"]
        );
        assert_eq!(
            attribute("tags", r#""op":"list_has","value":"gift_buyer""#),
            ["a"]
        );
        assert_eq!(
            attribute("tags", r#""op":"list_has_any","values":["newsletter","x"]"#),
            ["b"]
        );
        assert_eq!(
            attribute("tags", r#""op":"list_has_none","values":["app_user"]"#),
            ["b", "c", "d", "e"]
        );
        assert_eq!(attribute("tags", r#""op":"exists""#), ["a", "b"]);
        // Built-ins.
        assert_eq!(
            attribute("$name", r#""op":"contains","value":"kim""#),
            ["a"]
        );
        assert_eq!(attribute("$email", r#""op":"not_exists""#), ["b", "e"]);
        assert_eq!(
            attribute("$phone", r#""op":"exists""#),
            Vec::<String>::new()
        );
        assert_eq!(
            attribute("$consent.email", r#""op":"eq","value":true"#),
            ["a"]
        );
        assert_eq!(
            attribute("$consent.sms", r#""op":"eq","value":false"#),
            ["a", "b", "d", "e"]
        );
        assert_eq!(
            attribute("$created_at", r#""op":"in_last_days","days":14"#),
            ["b", "e"]
        );
    }

    #[test]
    fn date_attributes_relative_to_now() {
        let attribute = |name: &str, test: &str| {
            members(&format!(
                r#"{{"rule":"attribute","attribute":"{name}",{test}}}"#
            ))
        };
        assert_eq!(
            attribute("contract_end", r#""op":"in_next_days","days":90"#),
            ["a"]
        );
        assert_eq!(
            attribute("contract_end", r#""op":"in_last_days","days":200"#),
            ["c"]
        );
        assert_eq!(
            attribute("contract_end", r#""op":"more_than_days_ago","days":30"#),
            ["c"]
        );
        assert_eq!(
            attribute("contract_end", r#""op":"before","date":"2026-06-01""#),
            ["c"]
        );
        assert_eq!(
            attribute("contract_end", r#""op":"after","date":"2026-09-01""#),
            ["a", "b"],
            "after is inclusive"
        );
        assert_eq!(
            attribute("birthday", r#""op":"anniversary_in_next_days","days":7"#),
            ["a"]
        );
        assert_eq!(
            attribute("birthday", r#""op":"anniversary_in_next_days","days":4"#),
            Vec::<String>::new()
        );
        assert_eq!(
            attribute("birthday", r#""op":"anniversary_in_next_days","days":5"#),
            ["a"]
        );
        // Exact boundaries: signed up exactly 14 days before now (b is 10 hours later).
        let store = store();
        let exactly = |now: &str, test: &str| {
            members_with(
                &store,
                &ctx_at(now),
                &format!(r#"{{"rule":"attribute","attribute":"$created_at",{test}}}"#),
                &SegmentLibrary::new(),
            )
        };
        assert_eq!(
            exactly(
                "2026-06-15T10:00:00+09:00",
                r#""op":"in_last_days","days":14"#
            ),
            ["b", "e"]
        );
        assert_eq!(
            exactly(
                "2026-06-15T10:00:01+09:00",
                r#""op":"in_last_days","days":14"#
            ),
            ["e"]
        );
        assert_eq!(
            exactly(
                "2026-06-15T10:00:00+09:00",
                r#""op":"more_than_days_ago","days":14"#
            ),
            ["a", "c", "d"]
        );
        assert_eq!(
            exactly(
                "2026-06-15T10:00:01+09:00",
                r#""op":"more_than_days_ago","days":14"#
            ),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            exactly(
                "2026-06-13T00:00:00+09:00",
                r#""op":"in_next_days","days":1"#
            ),
            ["e"]
        );
    }

    #[test]
    fn leap_day_anniversaries_fall_on_february_28_in_other_years() {
        let store = store();
        let birthday_within = |now: &str, days: u32| {
            members_with(
                &store,
                &ctx_at(now),
                &format!(
                    r#"{{"rule":"attribute","attribute":"birthday","op":"anniversary_in_next_days","days":{days}}}"#
                ),
                &SegmentLibrary::new(),
            )
        };
        assert_eq!(birthday_within("2027-02-28T09:00:00+09:00", 0), ["b"]);
        assert_eq!(
            birthday_within("2027-02-27T09:00:00+09:00", 0),
            Vec::<String>::new()
        );
        assert_eq!(
            birthday_within("2028-02-28T09:00:00+09:00", 0),
            Vec::<String>::new()
        );
        assert_eq!(birthday_within("2028-02-28T09:00:00+09:00", 1), ["b"]);
        // The local date in the context's zone decides: 23:30 UTC is already the next day in Seoul.
        assert_eq!(birthday_within("2027-06-19T23:30:00Z", 0), ["a"]);
    }

    #[test]
    fn groups_nest_and_short_circuit() {
        assert_eq!(
            members(r#"{"rule":"all","rules":[]}"#),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(
            members(r#"{"rule":"any","rules":[]}"#),
            Vec::<String>::new()
        );
        assert_eq!(
            members(r#"{"rule":"none","rules":[]}"#),
            ["a", "b", "c", "d", "e"]
        );
        let nested = r#"{"rule":"all","rules":[
            {"rule":"performed","event":{"event":"purchase"}},
            {"rule":"any","rules":[
                {"rule":"attribute","attribute":"plan","op":"eq","value":"basic"},
                {"rule":"none","rules":[
                    {"rule":"attribute","attribute":"seats","op":"gte","value":10},
                    {"rule":"attribute","attribute":"$email","op":"not_exists"}
                ]}
            ]}
        ]}"#;
        // Purchasers (a, c, d) that are on basic (d) or have neither ≥ 10 seats nor no email (c, d).
        assert_eq!(members(nested), ["c", "d"]);
        assert_eq!(
            members(&format!(r#"{{"rule":"none","rules":[{nested}]}}"#)),
            ["a", "b", "e"]
        );
    }

    #[test]
    fn domain_templates() {
        // No visit in 14 days (win-back).
        assert_eq!(
            members(
                r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#
            ),
            ["a", "d", "e"]
        );
        // Signed up, no purchase within 7 days (first purchase nudge).
        assert_eq!(
            members(
                r#"{"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{"days":7}}"#
            ),
            ["b", "d"]
        );
        // Cart added (last 7 days) and no purchase since.
        assert_eq!(
            members(
                r#"{"rule":"all","rules":[
                {"rule":"performed","event":{"event":"cart_add"},"window":{"last_days":7}},
                {"rule":"none","rules":[{"rule":"sequence","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"days":7},"window":{"last_days":7}}]}
            ]}"#
            ),
            ["b"]
        );
        // VIP by revenue: a's 500,000 exactly 365 days ago is outside; the other 1,000,000 is enough.
        assert_eq!(
            members(
                r#"{"rule":"aggregate","event":{"event":"purchase"},"aggregate":"sum","op":"gte","value":1000000,"window":{"last_days":365}}"#
            ),
            ["a"]
        );
        // NPS detractors (score 0–6).
        assert_eq!(
            members(
                r#"{"rule":"performed","event":{"event":"nps_response","where":[{"property":"score","op":"lte","value":6}]},"window":{"last_days":90}}"#
            ),
            ["d"]
        );
        // Contracts ending within 3 months.
        assert_eq!(
            members(
                r#"{"rule":"attribute","attribute":"contract_end","op":"in_next_days","days":90}"#
            ),
            ["a"]
        );
        // Discount hunters: purchased, and never without a coupon.
        assert_eq!(
            members(
                r#"{"rule":"all","rules":[
                {"rule":"performed","event":{"event":"purchase"}},
                {"rule":"not_performed","event":{"event":"purchase","where":[{"property":"coupon","op":"not_exists"}]}}
            ]}"#
            ),
            ["d"]
        );
    }

    fn library(entries: &[(&str, &str)]) -> SegmentLibrary {
        entries
            .iter()
            .map(|(id, json)| ((*id).to_owned(), rule(json)))
            .collect()
    }

    #[test]
    fn segments_refer_to_library_segments() {
        let lib = library(&[
            (
                "buyers",
                r#"{"rule":"performed","event":{"event":"purchase"}}"#,
            ),
            (
                "lapsed",
                r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#,
            ),
            (
                "lapsed_buyers",
                r#"{"rule":"all","rules":[{"rule":"segment","id":"buyers"},{"rule":"segment","id":"lapsed"}]}"#,
            ),
        ]);
        let store = store();
        let ctx = ctx();
        assert_eq!(
            members_with(
                &store,
                &ctx,
                r#"{"rule":"segment","id":"lapsed_buyers"}"#,
                &lib
            ),
            ["a", "d"]
        );
        assert_eq!(
            members_with(
                &store,
                &ctx,
                r#"{"rule":"all","rules":[{"rule":"segment","id":"buyers"},{"rule":"none","rules":[{"rule":"segment","id":"lapsed_buyers"}]}]}"#,
                &lib
            ),
            ["c"]
        );
        // Each referenced segment is evaluated once, however often it is referenced.
        let compiled = CompiledRule::compile(
            &store,
            &ctx,
            &rule(r#"{"rule":"any","rules":[{"rule":"segment","id":"lapsed_buyers"},{"rule":"segment","id":"buyers"},{"rule":"segment","id":"buyers"}]}"#),
            &lib,
        )
        .expect("compiles");
        assert_eq!(compiled.segments.len(), 3);
        assert_eq!(
            ids(&store, &compiled.evaluate(&store, None)),
            ["a", "c", "d"]
        );
        assert!(compiled.matches(&store, 0));
        assert!(!compiled.matches(&store, 1));
    }

    #[test]
    fn unknown_and_circular_segments_are_errors() {
        let lib = library(&[
            (
                "a",
                r#"{"rule":"any","rules":[{"rule":"segment","id":"b"}]}"#,
            ),
            (
                "b",
                r#"{"rule":"all","rules":[{"rule":"performed","event":{"event":"visit"}},{"rule":"segment","id":"a"}]}"#,
            ),
            ("self", r#"{"rule":"segment","id":"self"}"#),
            (
                "broken",
                r#"{"rule":"attribute","attribute":"nope","op":"exists"}"#,
            ),
        ]);
        let unknown = error(
            r#"{"rule":"all","rules":[{"rule":"all","rules":[]},{"rule":"all","rules":[]},{"rule":"all","rules":[]},{"rule":"segment","id":"vip"}]}"#,
            &lib,
        );
        assert_eq!(
            (unknown.path.as_str(), unknown.kind),
            ("rules[3].id", QueryErrorKind::UnknownSegment)
        );
        assert!(unknown.message.contains("\"vip\""), "{}", unknown.message);
        let circle = error(
            r#"{"rule":"all","rules":[{"rule":"segment","id":"a"}]}"#,
            &lib,
        );
        assert_eq!(
            (circle.path.as_str(), circle.kind),
            ("rules[0].id", QueryErrorKind::SegmentCycle)
        );
        assert!(circle.message.contains("a → b → a"), "{}", circle.message);
        let itself = error(r#"{"rule":"segment","id":"self"}"#, &lib);
        assert_eq!(itself.kind, QueryErrorKind::SegmentCycle);
        assert!(itself.message.contains("self → self"), "{}", itself.message);
        let broken = error(r#"{"rule":"segment","id":"broken"}"#, &lib);
        assert_eq!(
            (broken.path.as_str(), broken.kind),
            ("id", QueryErrorKind::UnknownAttribute)
        );
        assert!(
            broken.message.contains("in segment \"broken\": attribute:"),
            "{}",
            broken.message
        );
    }

    #[test]
    fn compile_errors_name_the_part_of_the_rule_at_fault() {
        let none = SegmentLibrary::new();
        let unknown = error(
            r#"{"rule":"all","rules":[{"rule":"all","rules":[]},{"rule":"all","rules":[]},
                {"rule":"any","rules":[{"rule":"attribute","attribute":"nope","op":"exists"}]}]}"#,
            &none,
        );
        assert_eq!(
            (unknown.path.as_str(), unknown.kind),
            (
                "rules[2].rules[0].attribute",
                QueryErrorKind::UnknownAttribute
            )
        );
        let consent = error(
            r#"{"rule":"attribute","attribute":"$consent.fax","op":"exists"}"#,
            &none,
        );
        assert_eq!(consent.kind, QueryErrorKind::UnknownAttribute);
        let mismatch = error(
            r#"{"rule":"attribute","attribute":"plan","op":"in_next_days","days":90}"#,
            &none,
        );
        assert_eq!(
            (mismatch.path.as_str(), mismatch.kind),
            ("op", QueryErrorKind::TypeMismatch)
        );
        assert!(mismatch.message.contains("date"), "{}", mismatch.message);
        let literal = error(
            r#"{"rule":"attribute","attribute":"seats","op":"in","values":[1,"2"]}"#,
            &none,
        );
        assert_eq!(
            (literal.path.as_str(), literal.kind),
            ("values[1]", QueryErrorKind::TypeMismatch)
        );
        let list_eq = error(
            r#"{"rule":"attribute","attribute":"tags","op":"eq","value":"x"}"#,
            &none,
        );
        assert_eq!(
            (list_eq.path.as_str(), list_eq.kind),
            ("op", QueryErrorKind::TypeMismatch)
        );
        let bad_from = error(
            r#"{"rule":"all","rules":[{"rule":"all","rules":[]},{"rule":"performed","event":{"event":"visit"},"window":{"between":{"from":"yesterday","to":"2026-06-01"}}}]}"#,
            &none,
        );
        assert_eq!(
            (bad_from.path.as_str(), bad_from.kind),
            ("rules[1].window.between.from", QueryErrorKind::Invalid)
        );
        let backwards = error(
            r#"{"rule":"performed","event":{"event":"visit"},"window":{"between":{"from":"2026-06-01","to":"2026-05-01"}}}"#,
            &none,
        );
        assert_eq!(backwards.path, "window.between.to");
        let bad_date = error(
            r#"{"rule":"attribute","attribute":"birthday","op":"before","date":"06/01/2026"}"#,
            &none,
        );
        assert_eq!(
            (bad_date.path.as_str(), bad_date.kind),
            ("date", QueryErrorKind::Invalid)
        );
    }

    #[test]
    fn run_reports_counts_members_and_the_population() {
        let store = store();
        let spec: SegmentSpec = serde_json::from_str(
            r#"{"rule":{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}}"#,
        )
        .expect("spec");
        assert!(spec.include_members, "members are listed by default");
        let all = run(&store, &ctx(), &spec, &SegmentLibrary::new(), None).expect("runs");
        assert_eq!(
            all,
            SegmentResult {
                count: 3,
                total: 5,
                members: vec!["a".into(), "d".into(), "e".into()]
            }
        );
        let mut population = CustomerSet::with_capacity(store.customers.len());
        population.insert_range(2..5);
        let quiet = SegmentSpec {
            include_members: false,
            ..spec
        };
        let some = run(
            &store,
            &ctx(),
            &quiet,
            &SegmentLibrary::new(),
            Some(&population),
        )
        .expect("runs");
        assert_eq!((some.count, some.total, some.members.len()), (2, 3, 0));
        let bad = SegmentSpec {
            rule: rule(r#"{"rule":"attribute","attribute":"nope","op":"exists"}"#),
            include_members: true,
        };
        let error = run(&store, &ctx(), &bad, &SegmentLibrary::new(), None).expect_err("unknown");
        assert_eq!(error.path, "rule.attribute");
    }

    /// 100k customers with 10 events each, built straight into the columns (ingesting JSON of
    /// this size would dominate the test).
    fn large_store() -> Store {
        use crate::engine::store::{AttributeColumn, Scalar};
        let meta = serde_json::from_str(
            r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[
                {"name":"signup"},{"name":"visit"},{"name":"product_view"},{"name":"cart_add"},
                {"name":"purchase","has_value":true},{"name":"message_sent"}],
                "attributes":[{"name":"plan","type":"text"}]}"#,
        )
        .expect("meta");
        let mut store = Store::empty(meta);
        let coupon = store.prop_keys.intern("coupon") as u16;
        let welcome = store.prop_values.intern(Scalar::Text("WELCOME10".into()));
        let now = at("2026-06-15T00:00:00+09:00");
        // A fixed linear congruential sequence: the same data on every run, no extra crate.
        let mut seed: u64 = 42;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        let mut plans = Vec::new();
        for c in 0..100_000 {
            let created = now - 400 * DAY + next(400 * DAY as u64) as i64;
            let customers = &mut store.customers;
            customers.ids.push(format!("C{c}"));
            customers.names.push(String::new());
            customers.emails.push(None);
            customers.phones.push(None);
            customers.created_at.push(created);
            customers.consent.push(Default::default());
            plans.push(AttrValue::Text(["free", "pro"][c % 2].to_owned()));
            let mut times: Vec<i64> = (0..10)
                .map(|_| created + next((now - created + DAY) as u64) as i64)
                .collect();
            times.sort_unstable();
            let events = &mut store.events;
            for (i, t) in times.into_iter().enumerate() {
                let kind = if i == 0 { 0 } else { 1 + next(5) as u16 };
                events.at.push(t);
                events.event_type.push(kind);
                events.value.push(if kind == 4 {
                    (next(100) * 1000) as f64
                } else {
                    f64::NAN
                });
                if kind == 4 && next(3) == 0 {
                    events.props.push((coupon, welcome));
                }
                events.prop_start.push(events.props.len() as u32);
            }
            events.customer_start.push(events.at.len() as u32);
        }
        store.customers.attributes = vec![AttributeColumn::new(
            "plan".into(),
            AttributeType::Text,
            plans,
        )];
        store
    }

    /// CPU time of this thread so far (Linux only).
    fn thread_cpu_nanos() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace().next()?.parse().ok()
    }

    /// Timing, not correctness: `cargo test --release --lib segment_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn segment_speed_on_100k_customers_and_1m_events() {
        let store = large_store();
        assert_eq!(store.events.len(), 1_000_000);
        let ctx = ctx();
        let templates = [
            r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#,
            r#"{"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{"days":7}}"#,
            r#"{"rule":"aggregate","event":{"event":"purchase"},"aggregate":"sum","op":"gte","value":100000,"window":{"last_days":365}}"#,
            r#"{"rule":"all","rules":[{"rule":"performed","event":{"event":"purchase"}},
                {"rule":"not_performed","event":{"event":"purchase","where":[{"property":"coupon","op":"not_exists"}]}}]}"#,
            r#"{"rule":"all","rules":[{"rule":"attribute","attribute":"plan","op":"eq","value":"pro"},
                {"rule":"performed","event":{"event":"$activity"},"count":{"op":"gte","value":5},"window":{"last_days":90}},
                {"rule":"sequence","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"days":3}}]}"#,
        ];
        for json in templates {
            let rule = rule(json);
            let start = std::time::Instant::now();
            let cpu_start = thread_cpu_nanos();
            let runs = 20;
            let mut count = 0;
            for _ in 0..runs {
                count = evaluate(&store, &ctx, &rule, &SegmentLibrary::new())
                    .expect("valid")
                    .count_ones(..);
            }
            let per_run = start.elapsed() / runs;
            // On a busy machine wall time overstates the cost; the thread's CPU time does not.
            if let (Some(from), Some(to)) = (cpu_start, thread_cpu_nanos()) {
                let cpu = std::time::Duration::from_nanos((to - from) / runs as u64);
                print!("cpu {cpu:>10.2?}  ");
            }
            println!(
                "wall {per_run:>10.2?}  {count:>6} members  {}",
                json.split_whitespace().collect::<String>()
            );
        }
    }

    #[test]
    fn case_insensitive_contains_without_allocating() {
        assert!(contains_ignoring_case("Alice KIM", "kim"));
        assert!(contains_ignoring_case("ÄRGER", "är"));
        assert!(contains_ignoring_case("abc", ""));
        assert!(!contains_ignoring_case("ab", "abc"));
        assert!(!contains_ignoring_case("", "a"));
        assert!(contains_ignoring_case("김민수", "민"));
    }

    /// Loads the committed demo dataset once per test binary.
    fn demo() -> &'static (Store, Context) {
        static DEMO: std::sync::OnceLock<(Store, Context)> = std::sync::OnceLock::new();
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
            (store, Context::new(now, Zone::default()))
        })
    }

    #[test]
    fn templates_find_sensible_groups_in_the_demo() {
        let (store, ctx) = demo();
        let total = store.customers.len();
        let templates = [
            (
                "win-back",
                r#"{"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}}"#,
            ),
            (
                "first purchase nudge",
                r#"{"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{"days":7}}"#,
            ),
            (
                "cart reminder",
                r#"{"rule":"all","rules":[
                {"rule":"performed","event":{"event":"cart_add"},"window":{"last_days":30}},
                {"rule":"none","rules":[{"rule":"sequence","first":{"event":"cart_add"},"then":{"event":"purchase"},"within":{"days":30},"window":{"last_days":30}}]}]}"#,
            ),
            (
                "VIP",
                r#"{"rule":"aggregate","event":{"event":"purchase"},"aggregate":"sum","op":"gte","value":1000000,"window":{"last_days":365}}"#,
            ),
            (
                "NPS detractors",
                r#"{"rule":"performed","event":{"event":"nps_response","where":[{"property":"score","op":"lte","value":6}]}}"#,
            ),
            (
                "renewal",
                r#"{"rule":"attribute","attribute":"contract_end","op":"in_next_days","days":90}"#,
            ),
            (
                "discount hunters",
                r#"{"rule":"all","rules":[
                {"rule":"performed","event":{"event":"purchase"}},
                {"rule":"not_performed","event":{"event":"purchase","where":[{"property":"coupon","op":"not_exists"}]}}]}"#,
            ),
            (
                "birthday this week",
                r#"{"rule":"attribute","attribute":"birthday","op":"anniversary_in_next_days","days":7}"#,
            ),
        ];
        for (name, json) in templates {
            let members = evaluate(store, ctx, &rule(json), &SegmentLibrary::new())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let count = members.count_ones(..);
            assert!(count > 0 && count < total, "{name}: {count} of {total}");
        }
        // Buyers split into discount hunters and the rest.
        let lib = library(&[("hunters", templates[6].1)]);
        let buyers = members_with(
            store,
            ctx,
            r#"{"rule":"performed","event":{"event":"purchase"}}"#,
            &lib,
        )
        .len();
        let hunters = members_with(store, ctx, r#"{"rule":"segment","id":"hunters"}"#, &lib).len();
        let others = members_with(store, ctx, r#"{"rule":"all","rules":[{"rule":"performed","event":{"event":"purchase"}},{"rule":"none","rules":[{"rule":"segment","id":"hunters"}]}]}"#, &lib).len();
        assert_eq!(hunters + others, buyers);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::engine::filter::{EventFilter, ValueTest};
    use crate::engine::segment_rule::Span;

    const TYPES: [&str; 4] = ["signup", "visit", "purchase", "cart_add"];
    /// 2026-06-15 00:00 in Seoul.
    const NOW: i64 = 1_781_449_200;
    const HOUR: i64 = 3_600;

    #[derive(Debug, Clone)]
    struct CustomerSpec {
        created_hours_ago: i64,
        plan: Option<&'static str>,
        seats: Option<u32>,
        contract_end_days: Option<i64>,
        tags: Vec<&'static str>,
        events: Vec<EventSpec>,
    }

    #[derive(Debug, Clone)]
    struct EventSpec {
        kind: usize,
        hours_ago: i64,
        value: Option<u32>,
        coupon: Option<&'static str>,
    }

    fn rfc3339(unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .expect("in range")
            .to_rfc3339()
    }

    fn event_spec() -> impl Strategy<Value = EventSpec> {
        (
            0..TYPES.len(),
            // Up to ~40 days back and a little after now (which must be ignored), on a coarse
            // grid so that events often lie exactly on a window's or span's boundary.
            (-4i64..170).prop_map(|steps| steps * 6),
            proptest::option::of(0u32..5),
            proptest::option::of(prop_oneof![Just("A"), Just("B")]),
        )
            .prop_map(|(kind, hours_ago, value, coupon)| EventSpec {
                kind,
                hours_ago,
                value: value.map(|v| v * 10_000),
                coupon,
            })
    }

    fn customer_spec() -> impl Strategy<Value = CustomerSpec> {
        (
            0i64..1_200,
            proptest::option::of(prop_oneof![Just("free"), Just("pro"), Just("Pro team")]),
            proptest::option::of(0u32..20),
            proptest::option::of(-100i64..200),
            proptest::sample::subsequence(vec!["vip", "app"], 0..=2),
            proptest::collection::vec(event_spec(), 0..10),
        )
            .prop_map(
                |(created_hours_ago, plan, seats, contract_end_days, tags, events)| CustomerSpec {
                    created_hours_ago,
                    plan,
                    seats,
                    contract_end_days,
                    tags,
                    events,
                },
            )
    }

    fn build_store(customers: &[CustomerSpec]) -> Store {
        let meta = json!({"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
            "attributes":[{"name":"plan","type":"text"},{"name":"seats","type":"number"},
                {"name":"contract_end","type":"date"},{"name":"tags","type":"list"}]});
        let mut customer_rows = Vec::new();
        let mut event_rows = Vec::new();
        for (i, c) in customers.iter().enumerate() {
            let id = format!("c{i}");
            let mut attributes = serde_json::Map::new();
            if let Some(plan) = c.plan {
                attributes.insert("plan".into(), json!(plan));
            }
            if let Some(seats) = c.seats {
                attributes.insert("seats".into(), json!(seats));
            }
            if let Some(days) = c.contract_end_days {
                attributes.insert("contract_end".into(), json!(rfc3339(NOW + days * DAY)));
            }
            if !c.tags.is_empty() {
                attributes.insert("tags".into(), json!(c.tags));
            }
            customer_rows.push(json!({"id": id, "name": id,
                "created_at": rfc3339(NOW - c.created_hours_ago * HOUR), "attributes": attributes}));
            for e in &c.events {
                let mut row = json!({"customer_id": id, "type": TYPES[e.kind],
                    "at": rfc3339(NOW - e.hours_ago * HOUR)});
                if let Some(value) = e.value {
                    row["value"] = json!(value);
                }
                if let Some(coupon) = e.coupon {
                    row["properties"] = json!({"coupon": coupon});
                }
                event_rows.push(row);
            }
        }
        let bytes = |v: &serde_json::Value| serde_json::to_vec(v).expect("json");
        Store::from_json(
            &bytes(&meta),
            &bytes(&json!(customer_rows)),
            &bytes(&json!(event_rows)),
        )
        .expect("generated data ingests")
        .0
    }

    fn filter() -> impl Strategy<Value = EventFilter> {
        (
            prop_oneof![
                Just("signup"),
                Just("visit"),
                Just("purchase"),
                Just("cart_add"),
                Just("$activity"),
                Just("never_seen")
            ],
            prop_oneof![
                Just(None),
                Just(Some(ValueTest::Exists)),
                Just(Some(ValueTest::NotExists)),
                Just(Some(ValueTest::Eq {
                    value: Literal::Text("A".into())
                })),
            ],
        )
            .prop_map(|(event, test)| match test {
                Some(test) => EventFilter::of(event).with("coupon", test),
                None => EventFilter::of(event),
            })
    }

    fn window() -> impl Strategy<Value = Window> {
        prop_oneof![
            Just(Window::Ever),
            (0u32..45).prop_map(Window::LastDays),
            (0u32..20).prop_map(Window::AfterSignupDays),
            (0i64..40, 1i64..20).prop_map(|(start, length)| Window::Between {
                from: rfc3339(NOW - start * DAY),
                to: rfc3339(NOW - start * DAY + length * DAY / 2),
            }),
        ]
    }

    fn span() -> impl Strategy<Value = Span> {
        (0u32..8, 0u32..5).prop_map(|(days, steps)| Span {
            days,
            hours: steps * 6,
            minutes: 0,
        })
    }

    fn comparison() -> impl Strategy<Value = Comparison> {
        (
            prop_oneof![
                Just(CompareOp::Eq),
                Just(CompareOp::Ne),
                Just(CompareOp::Gt),
                Just(CompareOp::Gte),
                Just(CompareOp::Lt),
                Just(CompareOp::Lte)
            ],
            0u32..4,
        )
            .prop_map(|(op, value)| Comparison {
                op,
                value: value as f64,
            })
    }

    fn attribute_rule() -> impl Strategy<Value = Rule> {
        let test = prop_oneof![
            Just(("plan", AttributeTest::Exists)),
            Just(("plan", AttributeTest::NotExists)),
            Just((
                "plan",
                AttributeTest::Ne {
                    value: Literal::Text("pro".into())
                }
            )),
            Just((
                "plan",
                AttributeTest::Contains {
                    value: "PRO".into()
                }
            )),
            (0f64..20.0).prop_map(|value| ("seats", AttributeTest::Gte { value })),
            Just((
                "tags",
                AttributeTest::ListHasNone {
                    values: vec!["vip".into()]
                }
            )),
            Just((
                "tags",
                AttributeTest::ListHas {
                    value: "app".into()
                }
            )),
            (0u32..120).prop_map(|days| ("contract_end", AttributeTest::InNextDays { days })),
            (0u32..60).prop_map(|days| ("contract_end", AttributeTest::MoreThanDaysAgo { days })),
            (0u32..40).prop_map(|days| ("$created_at", AttributeTest::InLastDays { days })),
            (0u32..400)
                .prop_map(|days| ("$created_at", AttributeTest::AnniversaryInNextDays { days })),
            Just((
                "$email",
                AttributeTest::NotIn {
                    values: vec![Literal::Text("x".into())]
                }
            )),
        ];
        test.prop_map(|(attribute, test)| Rule::Attribute {
            attribute: attribute.to_owned(),
            test,
        })
    }

    fn aggregate() -> impl Strategy<Value = Aggregate> {
        prop_oneof![
            Just(Aggregate::Count),
            Just(Aggregate::Sum),
            Just(Aggregate::Avg),
            Just(Aggregate::Min),
            Just(Aggregate::Max)
        ]
    }

    fn leaf() -> impl Strategy<Value = Rule> {
        prop_oneof![
            attribute_rule(),
            (filter(), comparison(), window()).prop_map(|(event, count, window)| {
                Rule::Performed {
                    event,
                    count,
                    window,
                }
            }),
            (filter(), window()).prop_map(|(event, window)| Rule::NotPerformed { event, window }),
            (filter(), filter(), span(), window()).prop_map(|(first, then, within, window)| {
                Rule::Sequence {
                    first,
                    then,
                    within,
                    window,
                }
            }),
            (filter(), filter(), span(), window()).prop_map(|(first, then, within, window)| {
                Rule::NotFollowedBy {
                    first,
                    then,
                    within,
                    window,
                }
            }),
            (filter(), window()).prop_map(|(event, window)| Rule::FirstPerformed { event, window }),
            (filter(), window()).prop_map(|(event, window)| Rule::LastPerformed { event, window }),
            (filter(), aggregate(), comparison(), window()).prop_map(
                |(event, aggregate, mut compare, window)| {
                    compare.value *= 10_000.0;
                    Rule::Aggregate {
                        event,
                        aggregate,
                        compare,
                        window,
                    }
                }
            ),
            Just(Rule::Segment {
                id: "buyers".into()
            }),
        ]
    }

    fn rule() -> impl Strategy<Value = Rule> {
        leaf().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Rule::all),
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Rule::any),
                proptest::collection::vec(inner, 0..4).prop_map(Rule::none),
            ]
        })
    }

    fn library() -> SegmentLibrary {
        SegmentLibrary::from([(
            "buyers".to_owned(),
            Rule::Performed {
                event: EventFilter::of("purchase"),
                count: Comparison::at_least_once(),
                window: Window::LastDays(30),
            },
        )])
    }

    fn ctx() -> Context {
        Context::new(NOW, Zone::default())
    }

    /// The window definition from the module docs, written out independently.
    fn in_window(window: &Window, at: i64, created_at: i64) -> bool {
        let zone = Zone::default();
        at <= NOW
            && match window {
                Window::Ever => true,
                Window::LastDays(n) => NOW - *n as i64 * DAY < at,
                Window::AfterSignupDays(n) => {
                    created_at <= at && at <= created_at + *n as i64 * DAY
                }
                Window::Between { from, to } => {
                    let from = parse_date_or_timestamp(from, &zone).expect("date");
                    let to = parse_date_or_timestamp(to, &zone).expect("date");
                    from <= at && at < to
                }
            }
    }

    /// Sequence and not-followed-by by brute force over all pairs of events.
    fn pairs_by_brute_force(store: &Store, customer: usize, rule: &Rule) -> bool {
        let (first, then, within, window, followed) = match rule {
            Rule::Sequence {
                first,
                then,
                within,
                window,
            } => (first, then, within, window, true),
            Rule::NotFollowedBy {
                first,
                then,
                within,
                window,
            } => (first, then, within, window, false),
            _ => unreachable!("a pair rule"),
        };
        let first = EventMatcher::new(store, first);
        let then = EventMatcher::new(store, then);
        let within = within.seconds();
        let created_at = store.customers.created_at[customer];
        let at = &store.events.at;
        let events: Vec<usize> = store
            .events
            .of_customer(customer as CustomerIx)
            .filter(|&e| at[e] <= NOW)
            .collect();
        events.iter().enumerate().any(|(i, &a)| {
            if !first.matches(store, a) || !in_window(window, at[a], created_at) {
                return false;
            }
            let mut later_then = events[i + 1..]
                .iter()
                .filter(|&&b| then.matches(store, b) && at[b] - at[a] <= within);
            if followed {
                later_then.next().is_some()
            } else {
                at[a] + within <= NOW && later_then.next().is_none()
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_rule_and_none_of_it_partition_the_customers(
            customers in proptest::collection::vec(customer_spec(), 0..7),
            rule in rule(),
        ) {
            let store = build_store(&customers);
            let library = library();
            let members = evaluate(&store, &ctx(), &rule, &library).expect("valid rule");
            let others = evaluate(&store, &ctx(), &Rule::none(vec![rule.clone()]), &library)
                .expect("valid rule");
            prop_assert_eq!(members.len(), store.customers.len());
            prop_assert!(members.is_disjoint(&others));
            prop_assert_eq!(members.count_ones(..) + others.count_ones(..), store.customers.len());
            let twice = evaluate(&store, &ctx(), &Rule::all(vec![rule.clone(), rule]), &library)
                .expect("valid rule");
            prop_assert_eq!(twice, members);
        }

        #[test]
        fn counting_rules_agree_with_each_other(
            customers in proptest::collection::vec(customer_spec(), 0..7),
            event in filter(),
            count in comparison(),
            window in window(),
        ) {
            let store = build_store(&customers);
            let library = SegmentLibrary::new();
            let run = |rule: Rule| evaluate(&store, &ctx(), &rule, &library).expect("valid rule");
            let performed = run(Rule::Performed { event: event.clone(), count, window: window.clone() });
            let matcher = EventMatcher::new(&store, &event);
            for customer in 0..store.customers.len() {
                let created_at = store.customers.created_at[customer];
                let matching = store
                    .events
                    .of_customer(customer as CustomerIx)
                    .filter(|&e| matcher.matches(&store, e) && in_window(&window, store.events.at[e], created_at))
                    .count();
                prop_assert_eq!(performed.contains(customer), count.holds(matching as f64));
            }
            let aggregate = run(Rule::Aggregate {
                event: event.clone(), aggregate: Aggregate::Count, compare: count, window: window.clone(),
            });
            prop_assert_eq!(&performed, &aggregate);
            let never = run(Rule::NotPerformed { event: event.clone(), window: window.clone() });
            let zero = run(Rule::Performed {
                event, count: Comparison { op: CompareOp::Eq, value: 0.0 }, window,
            });
            prop_assert_eq!(never, zero);
        }

        #[test]
        fn counting_stops_only_once_the_answer_is_settled(
            count in comparison(),
            fraction in prop_oneof![Just(0.0), Just(0.5), Just(-1.0), Just(f64::NAN)],
        ) {
            let comparison = Comparison { value: count.value + fraction, ..count };
            let enough = enough_to_decide(&comparison);
            for more in 0..5 {
                prop_assert_eq!(
                    comparison.holds((enough + more) as f64),
                    comparison.holds(enough as f64)
                );
            }
        }

        #[test]
        fn pair_rules_match_the_brute_force_definition(
            customers in proptest::collection::vec(customer_spec(), 1..7),
            first in filter(),
            then in filter(),
            within in span(),
            window in window(),
            followed in any::<bool>(),
        ) {
            let store = build_store(&customers);
            let rule = if followed {
                Rule::Sequence { first, then, within, window }
            } else {
                Rule::NotFollowedBy { first, then, within, window }
            };
            let members = evaluate(&store, &ctx(), &rule, &SegmentLibrary::new()).expect("valid");
            for customer in 0..store.customers.len() {
                prop_assert_eq!(
                    members.contains(customer),
                    pairs_by_brute_force(&store, customer, &rule),
                    "customer {}", customer
                );
            }
        }
    }

    #[test]
    fn plain_date_attributes_are_midnight_in_the_query_zone_not_the_datasets() {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
            "attributes":[{"name":"contract_end","type":"date"}]}"#;
        let customers = br#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00Z",
            "attributes":{"contract_end":"2026-02-14"}}]"#;
        let (store, _) = Store::from_json(meta, customers, b"[]").expect("valid");
        let rule: Rule = serde_json::from_str(
            r#"{"rule":"attribute","attribute":"contract_end","op":"after","date":"2026-02-13T20:00:00Z"}"#,
        )
        .expect("rule");
        let members = |zone: &str| {
            let ctx = Context::new(0, Zone::parse(zone).expect("zone"));
            evaluate(&store, &ctx, &rule, &SegmentLibrary::new())
                .expect("valid")
                .count_ones(..)
        };
        // Midnight of Feb 14 is 23:00Z on the 13th in Berlin, but 15:00Z in Seoul.
        assert_eq!(members("Europe/Berlin"), 1);
        assert_eq!(members("Asia/Seoul"), 0);
    }

    #[test]
    fn text_attribute_rules_read_the_dictionary_and_follow_upserts() {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
            "attributes":[{"name":"plan","type":"text"}]}"#;
        let customers = br#"[
            {"id":"a","name":"A","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"pro"}},
            {"id":"b","name":"B","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"Free"}},
            {"id":"c","name":"C","created_at":"2026-01-01T00:00:00Z"}]"#;
        let (mut store, _) = Store::from_json(meta, customers, b"[]").expect("valid");
        let ctx = Context::new(0, Zone::default());
        let members = |store: &Store, json: &str| {
            let rule: Rule = serde_json::from_str(json).expect("rule");
            evaluate(store, &ctx, &rule, &SegmentLibrary::new())
                .expect("valid")
                .ones()
                .collect::<Vec<_>>()
        };
        let pro = r#"{"rule":"attribute","attribute":"plan","op":"eq","value":"pro"}"#;
        assert_eq!(members(&store, pro), [0]);
        assert_eq!(
            members(
                &store,
                r#"{"rule":"attribute","attribute":"plan","op":"ne","value":"pro"}"#
            ),
            [1, 2]
        );
        assert_eq!(
            members(
                &store,
                r#"{"rule":"attribute","attribute":"plan","op":"contains","value":"FREE"}"#
            ),
            [1]
        );
        assert_eq!(
            members(
                &store,
                r#"{"rule":"attribute","attribute":"plan","op":"not_exists"}"#
            ),
            [2]
        );
        let column = &store.customers.attributes[0];
        assert_eq!((column.text_codes.len(), column.text_values.len()), (3, 2));
        let update: Vec<crate::model::Customer> = serde_json::from_str(
            r#"[{"id":"c","name":"C","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"pro"}}]"#,
        )
        .expect("customers");
        store.upsert_customers(update).expect("upsert");
        assert_eq!(
            members(&store, pro),
            [0, 2],
            "the dictionary follows upserts"
        );
    }
}
