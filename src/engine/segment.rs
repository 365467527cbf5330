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
//!   [`Context::zone`]).
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
    ATTR_CREATED_AT, ATTR_EMAIL, ATTR_NAME, ATTR_PHONE,
};
use super::store::{AttrValue, CustomerIx, Store};
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
        };
        let root = compiler.compile(rule, "")?;
        Ok(CompiledRule {
            root,
            now: ctx.now,
            segments: compiler.segments,
        })
    }

    /// The members among `population` (everyone when `None`).
    pub fn evaluate(&self, store: &Store, population: Option<&CustomerSet>) -> CustomerSet {
        Evaluator {
            store,
            now: self.now,
            segments: &self.segments,
        }
        .members(&self.root, population)
    }

    /// Whether one customer is a member.
    pub fn matches(&self, store: &Store, customer: CustomerIx) -> bool {
        let evaluator = Evaluator {
            store,
            now: self.now,
            segments: &self.segments,
        };
        evaluator.holds(&self.root, &evaluator.customer(customer as usize))
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    None(Vec<Node>),
    Attribute(AttributeRule),
    Performed {
        events: EventMatcher,
        count: Comparison,
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
    CreatedAt,
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
            (Check::TextIn(texts), AttributeValue::Text(t)) => texts.iter().any(|x| x == t),
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
                Node::Attribute(self.compile_attribute(attribute, test, path)?)
            }
            Rule::Performed {
                event,
                count,
                window,
            } => Node::Performed {
                events: matcher(event),
                count: *count,
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
        let members = Evaluator {
            store: self.store,
            now: self.ctx.now,
            segments: &self.segments,
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

    fn resolve_attribute(&self, name: &str) -> Option<(AttributeSource, AttributeType)> {
        let source = match name {
            ATTR_CREATED_AT => (AttributeSource::CreatedAt, AttributeType::Date),
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
                    (AttributeSource::Column(index), columns[index].kind)
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
            .map(Check::TextIn),
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
        let until_now = at.partition_point(|&t| t <= self.now);
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
        let at = &self.store.events.at[customer.events.clone()];
        let start = at.partition_point(|&t| t < first);
        let end = at.partition_point(|&t| t <= last).max(start);
        customer.events.start + start..customer.events.start + end
    }

    #[inline]
    fn count(&self, events: &EventMatcher, range: Range<usize>) -> usize {
        if events.matches_nothing() {
            return 0;
        }
        range.filter(|&e| events.matches(self.store, e)).count()
    }

    fn holds(&self, node: &Node, customer: &CustomerView) -> bool {
        let store = self.store;
        let at = &store.events.at;
        match node {
            Node::All(rules) => rules.iter().all(|rule| self.holds(rule, customer)),
            Node::Any(rules) => rules.iter().any(|rule| self.holds(rule, customer)),
            Node::None(rules) => !rules.iter().any(|rule| self.holds(rule, customer)),
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
                window,
            } => count.holds(self.count(events, self.in_window(customer, *window)) as f64),
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
                // The latest `first` seen so far is the best partner for any later `then`.
                let mut latest_first: Option<i64> = None;
                for e in customer.events.clone() {
                    if let Some(a) = latest_first {
                        if at[e] - a <= *within && then.matches(store, e) {
                            return true;
                        }
                    }
                    if (window_first..=window_last).contains(&at[e]) && first.matches(store, e) {
                        latest_first = Some(at[e]);
                    }
                }
                false
            }
            Node::NotFollowedBy {
                first,
                then,
                within,
                window,
            } => {
                let (window_first, window_last) = window.bounds(customer.created_at, self.now);
                // Only a `first` whose wait is over can qualify.
                let last_first = window_last.min(self.now - *within);
                // Backwards, so the nearest later `then` is known at each `first`.
                let mut next_then: Option<i64> = None;
                for e in customer.events.clone().rev() {
                    let a = at[e];
                    if (window_first..=last_first).contains(&a)
                        && first.matches(store, e)
                        && next_then.is_none_or(|b| b - a > *within)
                    {
                        return true;
                    }
                    if then.matches(store, e) {
                        next_then = Some(a);
                    }
                }
                false
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

    /// The aggregate over matching events in `range`; `None` when it is undefined (an average,
    /// minimum or maximum of no values).
    fn aggregate(
        &self,
        events: &EventMatcher,
        aggregate: Aggregate,
        range: Range<usize>,
    ) -> Option<f64> {
        if aggregate == Aggregate::Count {
            return Some(self.count(events, range) as f64);
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
                AttrValue::List(items) => AttributeValue::List(items),
            },
            AttributeSource::CreatedAt => AttributeValue::Date(customers.created_at[customer]),
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
