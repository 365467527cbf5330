//! Checks a [`Journey`] before it is saved or backtested, and renders message previews.
//!
//! Every finding names its node (when it has one) and a JSON path into the journey
//! (`nodes[2].condition.rules[0].attribute`), with a code the UI translates. Errors make a journey
//! unusable (the backtest refuses it); warnings are shown but do not block.
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | `no_nodes` | error | the journey has no node |
//! | `duplicate_id` | error | two nodes share an id |
//! | `unknown_link` | error | `start` or a link names no node |
//! | `unreachable` | warning | no path from `start` reaches the node |
//! | `dead_end` | warning | an outlet of a non-exit node leads nowhere (the journey ends there) |
//! | `cycle_without_delay` | error | a loop with no delay or wait could repeat forever at one instant |
//! | `split_sum` | error | split percentages plus the control do not sum to 100 (or one is negative, or no path) |
//! | `duplicate_outlet` | error | two split paths share a label, or one is called `control` |
//! | `no_consent` | warning | nobody in the data consented to the message's channel |
//! | `empty_content` | warning | a message without content |
//! | `unknown_placeholder` | error | a `{{placeholder}}` that is not a customer field or attribute |
//! | `malformed_placeholder` | error | `{{` without `}}`, or an empty placeholder |
//! | `unknown_event` | warning | an event type the data does not have (it matches nothing) |
//! | `unknown_property` | warning | an event property the data does not have |
//! | `unknown_attribute` | error | an attribute the data does not have |
//! | `type_mismatch` | error | a date entry on an attribute that is not a date |
//! | `invalid_rule` | error | a segment rule that does not compile (the message says why) |
//! | `invalid_value` | error | an impossible setting (quiet hours not `HH:MM`, an entry hour above 23) |

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, ANY_ACTIVITY, ANY_EVENT};
use super::journey::{Channel, Entry, Journey, Step, CONTROL_OUTLET};
use super::query::QueryErrorKind;
use super::segment::{CompiledRule, SegmentLibrary};
use super::segment_rule::Rule;
use super::store::{AttrValue, Store};
use super::time::Context;
use crate::model::AttributeType;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What a finding is about (see the table in the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    NoNodes,
    DuplicateId,
    UnknownLink,
    Unreachable,
    DeadEnd,
    CycleWithoutDelay,
    SplitSum,
    DuplicateOutlet,
    NoConsent,
    EmptyContent,
    UnknownPlaceholder,
    MalformedPlaceholder,
    UnknownEvent,
    UnknownProperty,
    UnknownAttribute,
    TypeMismatch,
    InvalidRule,
    InvalidValue,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub code: IssueCode,
    /// The node's id, when the finding belongs to a node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// JSON path into the journey.
    pub path: String,
    /// English detail for logs and tools; the UI translates `code`.
    pub message: String,
}

/// All findings for one journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// No errors (warnings allowed).
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Errors first, then warnings, each in journey order.
    pub issues: Vec<Issue>,
}

impl Validation {
    /// The first error, if any.
    pub fn first_error(&self) -> Option<&Issue> {
        self.issues.iter().find(|i| i.severity == Severity::Error)
    }
}

struct Findings(Vec<Issue>);

impl Findings {
    fn add(
        &mut self,
        severity: Severity,
        code: IssueCode,
        node: Option<&str>,
        path: String,
        message: String,
    ) {
        self.0.push(Issue {
            severity,
            code,
            node: node.map(str::to_owned),
            path,
            message,
        });
    }
}

/// Checks `journey` against the data in `store` (its events, attributes and consent).
pub fn validate(
    store: &Store,
    ctx: &Context,
    journey: &Journey,
    library: &SegmentLibrary,
) -> Validation {
    use IssueCode::*;
    use Severity::*;
    let mut f = Findings(Vec::new());

    // Entry, exit, goal, sending rules.
    match &journey.entry {
        Entry::Event { event } => check_filter(store, &mut f, None, "entry.event", event),
        Entry::Segment { rule } => {
            check_rule(store, ctx, library, &mut f, None, "entry.rule", rule)
        }
        Entry::Date {
            attribute, hour, ..
        } => {
            match store.customers.attribute(attribute) {
                None => f.add(
                    Error,
                    UnknownAttribute,
                    None,
                    "entry.attribute".into(),
                    format!("the data has no attribute {attribute:?}"),
                ),
                Some(column) if column.kind != AttributeType::Date => f.add(
                    Error,
                    TypeMismatch,
                    None,
                    "entry.attribute".into(),
                    format!("{attribute:?} is not a date attribute"),
                ),
                Some(_) => {}
            }
            if *hour > 23 {
                f.add(
                    Error,
                    InvalidValue,
                    None,
                    "entry.hour".into(),
                    format!("hour {hour} is not 0–23"),
                );
            }
        }
    }
    for (i, exit) in journey.exit.iter().enumerate() {
        check_filter(store, &mut f, None, &format!("exit[{i}]"), exit);
    }
    if let Some(goal) = &journey.goal {
        check_filter(store, &mut f, None, "goal.event", &goal.event);
    }
    if let Some(quiet) = &journey.rules.quiet_hours {
        if let Err(field) = quiet.minutes() {
            f.add(
                Error,
                InvalidValue,
                None,
                format!("rules.quiet_hours.{field}"),
                "quiet hours must be HH:MM (00:00–23:59)".into(),
            );
        }
    }

    // The graph.
    if journey.nodes.is_empty() {
        f.add(
            Error,
            NoNodes,
            None,
            "nodes".into(),
            "the journey has no steps".into(),
        );
    }
    for (i, node) in journey.nodes.iter().enumerate() {
        if journey.nodes[..i].iter().any(|n| n.id == node.id) {
            f.add(
                Error,
                DuplicateId,
                Some(&node.id),
                format!("nodes[{i}].id"),
                format!("another step already has the id {:?}", node.id),
            );
        }
    }
    let start = journey.node_index(&journey.start);
    if start.is_none() && !journey.nodes.is_empty() {
        f.add(
            Error,
            UnknownLink,
            None,
            "start".into(),
            format!("no step has the id {:?}", journey.start),
        );
    }
    let links = links(journey);
    for (i, node) in journey.nodes.iter().enumerate() {
        let is_split = matches!(node.step, Step::Split { .. });
        for (k, (outlet, target)) in node.step.outlets().into_iter().enumerate() {
            let path = outlet_path(i, &node.step, k);
            match target {
                None => f.add(
                    Warning,
                    DeadEnd,
                    Some(&node.id),
                    path,
                    format!(
                        "the {outlet:?} path of {:?} leads nowhere: the journey ends there",
                        node.id
                    ),
                ),
                Some(target) if journey.node_index(target).is_none() => f.add(
                    Error,
                    UnknownLink,
                    Some(&node.id),
                    path,
                    format!("no step has the id {target:?}"),
                ),
                Some(_) => {}
            }
            if is_split && outlet == CONTROL_OUTLET {
                f.add(
                    Error,
                    DuplicateOutlet,
                    Some(&node.id),
                    format!("nodes[{i}].paths[{k}].label"),
                    "\"control\" is the control group's name; call the path something else".into(),
                );
            }
        }
    }
    if let Some(start) = start {
        let mut seen = vec![false; journey.nodes.len()];
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n], true) {
                continue;
            }
            stack.extend(links[n].iter().copied());
        }
        for (i, node) in journey.nodes.iter().enumerate() {
            if !seen[i] {
                f.add(
                    Warning,
                    Unreachable,
                    Some(&node.id),
                    format!("nodes[{i}]"),
                    format!("no path from the start reaches {:?}", node.id),
                );
            }
        }
    }
    for cycle in cycles_without_delay(journey, &links) {
        let ids: Vec<&str> = cycle
            .iter()
            .map(|&n| journey.nodes[n].id.as_str())
            .collect();
        f.add(
            Error,
            CycleWithoutDelay,
            Some(ids[0]),
            format!("nodes[{}]", cycle[0]),
            format!(
                "the loop {} has no delay or wait: it would repeat forever at one moment",
                ids.join(" → ")
            ),
        );
    }

    // Each node's own settings.
    let consented = consent_counts(store);
    for (i, node) in journey.nodes.iter().enumerate() {
        let id = Some(node.id.as_str());
        match &node.step {
            Step::Delay { .. } | Step::Exit => {}
            Step::Wait { event, .. } => {
                check_filter(store, &mut f, id, &format!("nodes[{i}].event"), event)
            }
            Step::Branch { condition, .. } => check_rule(
                store,
                ctx,
                library,
                &mut f,
                id,
                &format!("nodes[{i}].condition"),
                condition,
            ),
            Step::Split {
                paths,
                control_percent,
            } => {
                let total: f64 = paths.iter().map(|p| p.percent).sum::<f64>() + control_percent;
                let negative = *control_percent < 0.0 || paths.iter().any(|p| p.percent < 0.0);
                if paths.is_empty()
                    || negative
                    || (total - 100.0).abs() > 1e-6
                    || !total.is_finite()
                {
                    f.add(
                        Error,
                        SplitSum,
                        id,
                        format!("nodes[{i}].paths"),
                        format!(
                            "the paths and the control group must be non-negative and sum to 100% (now {total}%)"
                        ),
                    );
                }
                for (k, path) in paths.iter().enumerate() {
                    if paths[..k].iter().any(|p| p.label == path.label) {
                        f.add(
                            Error,
                            DuplicateOutlet,
                            id,
                            format!("nodes[{i}].paths[{k}].label"),
                            format!("two paths are called {:?}", path.label),
                        );
                    }
                }
            }
            Step::Message {
                channel, content, ..
            } => {
                if channel.needs_consent() && consented[channel_index(*channel)] == 0 {
                    f.add(
                        Warning,
                        NoConsent,
                        id,
                        format!("nodes[{i}].channel"),
                        format!(
                            "nobody in the data consented to {}: this message would never be sent",
                            channel.name()
                        ),
                    );
                }
                if content.trim().is_empty() {
                    f.add(
                        Warning,
                        EmptyContent,
                        id,
                        format!("nodes[{i}].content"),
                        "the message has no content".into(),
                    );
                }
                check_placeholders(store, &mut f, id, &format!("nodes[{i}].content"), content);
            }
        }
    }

    let mut issues = f.0;
    issues.sort_by_key(|i| i.severity != Severity::Error);
    let errors = issues.iter().filter(|i| i.severity == Error).count();
    Validation {
        valid: errors == 0,
        errors,
        warnings: issues.len() - errors,
        issues,
    }
}

fn outlet_path(i: usize, step: &Step, k: usize) -> String {
    match step {
        Step::Wait { .. } if k == 0 => format!("nodes[{i}].next"),
        Step::Wait { .. } => format!("nodes[{i}].timeout_next"),
        Step::Branch { .. } if k == 0 => format!("nodes[{i}].yes"),
        Step::Branch { .. } => format!("nodes[{i}].no"),
        Step::Split { .. } => format!("nodes[{i}].paths[{k}].next"),
        _ => format!("nodes[{i}].next"),
    }
}

/// The node indices each node links to (unknown ids left out).
pub(crate) fn links(journey: &Journey) -> Vec<Vec<usize>> {
    journey
        .nodes
        .iter()
        .map(|node| {
            node.step
                .outlets()
                .into_iter()
                .filter_map(|(_, target)| target.and_then(|t| journey.node_index(t)))
                .collect()
        })
        .collect()
}

/// Loops made only of steps that take no time, each as its node indices (one per loop found),
/// found by a depth-first search over the graph without delays and waits.
fn cycles_without_delay(journey: &Journey, links: &[Vec<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = journey.nodes.len();
    let instant = |i: usize| !journey.nodes[i].step.takes_time();
    let mut mark = vec![Mark::New; n];
    let mut cycles = Vec::new();
    for root in 0..n {
        if mark[root] != Mark::New || !instant(root) {
            continue;
        }
        // Iterative DFS: (node, next link to look at); `path` is the open chain.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut k)) = stack.last_mut() {
            if let Some(&next) = links[node].get(*k) {
                *k += 1;
                if !instant(next) {
                    continue;
                }
                match mark[next] {
                    Mark::New => {
                        mark[next] = Mark::Open;
                        stack.push((next, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|&(s, _)| s == next).unwrap_or(0);
                        cycles.push(stack[from..].iter().map(|&(s, _)| s).collect());
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    cycles
}

fn channel_index(channel: Channel) -> usize {
    Channel::ALL.iter().position(|&c| c == channel).unwrap_or(0)
}

/// Customers who consented to each channel, in [`Channel::ALL`] order (in-app: everyone).
fn consent_counts(store: &Store) -> [usize; 5] {
    let mut counts = [0; 5];
    for consent in &store.customers.consent {
        for (k, channel) in Channel::ALL.iter().enumerate() {
            if channel.allowed(consent) {
                counts[k] += 1;
            }
        }
    }
    counts
}

fn check_filter(
    store: &Store,
    f: &mut Findings,
    node: Option<&str>,
    path: &str,
    filter: &EventFilter,
) {
    let event = filter.event.as_str();
    if event != ANY_ACTIVITY && event != ANY_EVENT && store.event_type(event).is_none() {
        f.add(
            Severity::Warning,
            IssueCode::UnknownEvent,
            node,
            format!("{path}.event"),
            format!("the data has no {event:?} events: this matches nothing yet"),
        );
    }
    for (k, condition) in filter.conditions.iter().enumerate() {
        if store.prop_keys.get(&condition.property).is_none() {
            f.add(
                Severity::Warning,
                IssueCode::UnknownProperty,
                node,
                format!("{path}.where[{k}].property"),
                format!("no event has the property {:?}", condition.property),
            );
        }
    }
}

fn check_rule(
    store: &Store,
    ctx: &Context,
    library: &SegmentLibrary,
    f: &mut Findings,
    node: Option<&str>,
    path: &str,
    rule: &Rule,
) {
    if let Err(error) = CompiledRule::compile(store, ctx, rule, library) {
        let error = error.within(path);
        let code = match error.kind {
            QueryErrorKind::UnknownAttribute => IssueCode::UnknownAttribute,
            _ => IssueCode::InvalidRule,
        };
        f.add(Severity::Error, code, node, error.path, error.message);
    }
    for_each_filter(rule, path, &mut |p, filter| {
        check_filter(store, f, node, p, filter)
    });
}

/// Calls `visit` with every event filter in `rule` and its path.
fn for_each_filter(rule: &Rule, path: &str, visit: &mut dyn FnMut(&str, &EventFilter)) {
    match rule {
        Rule::All { rules } | Rule::Any { rules } | Rule::None { rules } => {
            for (i, inner) in rules.iter().enumerate() {
                for_each_filter(inner, &format!("{path}.rules[{i}]"), visit);
            }
        }
        Rule::Performed { event, .. }
        | Rule::NotPerformed { event, .. }
        | Rule::FirstPerformed { event, .. }
        | Rule::LastPerformed { event, .. }
        | Rule::Aggregate { event, .. } => visit(&format!("{path}.event"), event),
        Rule::Sequence { first, then, .. } | Rule::NotFollowedBy { first, then, .. } => {
            visit(&format!("{path}.first"), first);
            visit(&format!("{path}.then"), then);
        }
        Rule::Attribute { .. } | Rule::Segment { .. } => {}
    }
}

/// A `{{placeholder}}` in message content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The field or attribute name, trimmed.
    pub name: String,
    /// Text after `|`, used when the customer has no value.
    pub fallback: Option<String>,
    /// Byte range of the whole `{{…}}` in the content.
    pub range: std::ops::Range<usize>,
}

/// Built-in placeholders besides the custom attributes.
pub const BUILT_IN_PLACEHOLDERS: [&str; 4] = ["name", "email", "phone", "id"];

/// The placeholders of `content`, or the byte offset of a `{{` without `}}` / an empty name.
pub fn placeholders(content: &str) -> Result<Vec<Placeholder>, usize> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = content[rest..].find("{{") {
        let open = rest + open;
        let Some(close) = content[open + 2..].find("}}") else {
            return Err(open);
        };
        let close = open + 2 + close;
        let inner = &content[open + 2..close];
        let (name, fallback) = match inner.split_once('|') {
            Some((name, fallback)) => (name.trim(), Some(fallback.trim().to_owned())),
            None => (inner.trim(), None),
        };
        if name.is_empty() || name.contains("{{") {
            return Err(open);
        }
        found.push(Placeholder {
            name: name.to_owned(),
            fallback,
            range: open..close + 2,
        });
        rest = close + 2;
    }
    Ok(found)
}

fn is_known_placeholder(store: &Store, name: &str) -> bool {
    BUILT_IN_PLACEHOLDERS.contains(&name) || store.customers.attribute(name).is_some()
}

fn check_placeholders(
    store: &Store,
    f: &mut Findings,
    node: Option<&str>,
    path: &str,
    content: &str,
) {
    match placeholders(content) {
        Err(at) => f.add(
            Severity::Error,
            IssueCode::MalformedPlaceholder,
            node,
            path.to_owned(),
            format!("the placeholder at byte {at} is not closed with }}}} or has no name"),
        ),
        Ok(found) => {
            for p in found {
                if !is_known_placeholder(store, &p.name) {
                    f.add(
                        Severity::Error,
                        IssueCode::UnknownPlaceholder,
                        node,
                        path.to_owned(),
                        format!(
                            "{{{{{}}}}} is not a customer field ({}) or attribute",
                            p.name,
                            BUILT_IN_PLACEHOLDERS.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

/// Message content rendered for one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub customer: String,
    pub text: String,
    /// Placeholders that are no field or attribute (left in the text as written).
    pub unknown: Vec<String>,
    /// Placeholders this customer has no value for and no fallback (rendered empty).
    pub missing: Vec<String>,
    /// Set when the content has a `{{` that is never closed (the text is then the content as is).
    pub malformed: bool,
}

/// Renders `content` for the customer with id `customer` (`None` when no such customer).
/// Dates are shown as `YYYY-MM-DD` in the query's zone, lists joined with ", ".
pub fn preview(store: &Store, ctx: &Context, content: &str, customer: &str) -> Option<Preview> {
    let ix = store.customers.find(customer)? as usize;
    let mut preview = Preview {
        customer: customer.to_owned(),
        text: String::with_capacity(content.len()),
        unknown: Vec::new(),
        missing: Vec::new(),
        malformed: false,
    };
    let found = match placeholders(content) {
        Ok(found) => found,
        Err(_) => {
            preview.text = content.to_owned();
            preview.malformed = true;
            return Some(preview);
        }
    };
    let c = &store.customers;
    let mut at = 0;
    for p in found {
        preview.text.push_str(&content[at..p.range.start]);
        at = p.range.end;
        let value: Option<String> = match p.name.as_str() {
            "name" => Some(c.names[ix].clone()).filter(|s| !s.is_empty()),
            "email" => c.emails[ix].clone(),
            "phone" => c.phones[ix].clone(),
            "id" => Some(c.ids[ix].clone()),
            other => match c.attribute(other) {
                None => {
                    preview.unknown.push(other.to_owned());
                    preview.text.push_str(&content[p.range.clone()]);
                    continue;
                }
                Some(column) => format_attribute(ctx, &column.values[ix]),
            },
        };
        match value.or(p.fallback) {
            Some(v) => preview.text.push_str(&v),
            None => preview.missing.push(p.name),
        }
    }
    preview.text.push_str(&content[at..]);
    Some(preview)
}

fn format_attribute(ctx: &Context, value: &AttrValue) -> Option<String> {
    match value {
        AttrValue::Missing => None,
        AttrValue::Text(t) => Some(t.clone()),
        AttrValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Some(format!("{}", *n as i64))
        }
        AttrValue::Number(n) => Some(n.to_string()),
        AttrValue::Bool(b) => Some(b.to_string()),
        AttrValue::Date(unix) => Some(ctx.zone.date(*unix).format("%Y-%m-%d").to_string()),
        AttrValue::Day(day) => chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .map(|epoch| (epoch + chrono::Duration::days(*day as i64)).to_string()),
        AttrValue::List(items) => Some(items.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::journey::Journey;
    use crate::engine::Zone;

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"plan","type":"text"},{"name":"birthday","type":"date"},{"name":"tags","type":"list"}]}"#;

    fn store() -> Store {
        let customers = r#"[
          {"id":"a","name":"김민준","email":"a@example.com","created_at":"2026-01-01T00:00:00+09:00",
           "attributes":{"plan":"pro","birthday":"1990-03-04","tags":["x","y"]},"consent":{"email":true}},
          {"id":"b","name":"B","created_at":"2026-01-01T00:00:00+09:00"}]"#;
        let events = r#"[{"customer_id":"a","type":"signup","at":"2026-01-01T00:00:00+09:00"},
            {"customer_id":"a","type":"purchase","at":"2026-01-02T00:00:00+09:00","properties":{"coupon":"W"}}]"#;
        Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid")
            .0
    }

    fn ctx() -> Context {
        Context::new(1_769_785_200, Zone::default())
    }

    fn journey(nodes: &str) -> Journey {
        serde_json::from_str(&format!(
            r#"{{"entry":{{"type":"event","event":{{"event":"signup"}}}},"start":"a","nodes":{nodes}}}"#
        ))
        .expect("valid journey")
    }

    fn codes(v: &Validation) -> Vec<(IssueCode, Option<&str>)> {
        v.issues
            .iter()
            .map(|i| (i.code, i.node.as_deref()))
            .collect()
    }

    #[test]
    fn a_clean_journey_has_no_findings() {
        let j = journey(
            r#"[{"id":"a","type":"message","channel":"email","content":"{{name}}님 {{plan}}","next":"d"},
                {"id":"d","type":"delay","duration":{"days":1},"next":"a2"},
                {"id":"a2","type":"branch","condition":{"rule":"attribute","attribute":"plan","op":"eq","value":"pro"},"yes":"x","no":"d"},
                {"id":"x","type":"exit"}]"#,
        );
        let v = validate(&store(), &ctx(), &j, &SegmentLibrary::new());
        assert_eq!(v.issues, vec![], "a loop through a delay is fine");
        assert!(v.valid);
    }

    #[test]
    fn graph_problems_name_their_nodes() {
        let j = journey(
            r#"[{"id":"a","type":"branch","condition":{"rule":"all","rules":[]},"yes":"b","no":"c"},
                {"id":"b","type":"message","channel":"in_app","content":"hi","next":"a"},
                {"id":"c","type":"message","channel":"in_app","content":"hi"},
                {"id":"lost","type":"exit"},
                {"id":"c","type":"wait","event":{"event":"visit"},"timeout":{"days":1},"next":"nowhere"}]"#,
        );
        let v = validate(&store(), &ctx(), &j, &SegmentLibrary::new());
        let found = codes(&v);
        assert!(
            found.contains(&(IssueCode::CycleWithoutDelay, Some("a"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::DeadEnd, Some("c"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::Unreachable, Some("lost"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::DuplicateId, Some("c"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::UnknownLink, Some("c"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::UnknownEvent, Some("c"))),
            "visit: {found:?}"
        );
        assert!(!v.valid);
        assert_eq!(v.issues[0].severity, Severity::Error, "errors first");
        let cycle = v
            .issues
            .iter()
            .find(|i| i.code == IssueCode::CycleWithoutDelay)
            .expect("cycle");
        assert!(cycle.message.contains("a → b"), "{}", cycle.message);
        let bad_start: Journey = Journey {
            start: "zz".into(),
            ..j
        };
        let v = validate(&store(), &ctx(), &bad_start, &SegmentLibrary::new());
        assert!(v
            .issues
            .iter()
            .any(|i| i.code == IssueCode::UnknownLink && i.path == "start"));
    }

    #[test]
    fn self_loop_without_delay_and_splits() {
        let j = journey(
            r#"[{"id":"a","type":"split","paths":[{"label":"A","percent":50,"next":"a"},{"label":"B","percent":30,"next":"x"}],"control_percent":10},
                {"id":"x","type":"exit"}]"#,
        );
        let v = validate(&store(), &ctx(), &j, &SegmentLibrary::new());
        let found = codes(&v);
        assert!(
            found.contains(&(IssueCode::SplitSum, Some("a"))),
            "{found:?}"
        );
        assert!(
            found.contains(&(IssueCode::CycleWithoutDelay, Some("a"))),
            "{found:?}"
        );
        let ok = journey(
            r#"[{"id":"a","type":"split","paths":[{"label":"A","percent":45,"next":"x"},{"label":"B","percent":45,"next":"x"}],"control_percent":10},
                {"id":"x","type":"exit"}]"#,
        );
        assert!(validate(&store(), &ctx(), &ok, &SegmentLibrary::new())
            .issues
            .is_empty());
        let control = journey(
            r#"[{"id":"a","type":"split","paths":[{"label":"control","percent":100,"next":"x"}]},{"id":"x","type":"exit"}]"#,
        );
        let v = validate(&store(), &ctx(), &control, &SegmentLibrary::new());
        assert_eq!(codes(&v), vec![(IssueCode::DuplicateOutlet, Some("a"))]);
    }

    #[test]
    fn consent_vocabulary_and_placeholders() {
        let j: Journey = serde_json::from_str(
            r#"{"entry":{"type":"date","attribute":"plan"},"exit":[{"event":"purchase","where":[{"property":"nope","op":"exists"}]}],
                "goal":{"event":{"event":"refund"},"within_days":7},
                "rules":{"quiet_hours":{"start":"25:00","end":"08:00"}},
                "start":"m","nodes":[
                {"id":"m","type":"message","channel":"sms","content":"{{name}} {{coupon_code}} {{plan|basic}}","next":"k"},
                {"id":"k","type":"message","channel":"kakao","content":"{{name","next":"b"},
                {"id":"b","type":"branch","condition":{"rule":"attribute","attribute":"vip","op":"eq","value":true},"yes":"x","no":"x"},
                {"id":"x","type":"exit"}]}"#,
        )
        .expect("valid");
        let v = validate(&store(), &ctx(), &j, &SegmentLibrary::new());
        let found = codes(&v);
        for expected in [
            (IssueCode::TypeMismatch, None),
            (IssueCode::UnknownProperty, None),
            (IssueCode::UnknownEvent, None),
            (IssueCode::InvalidValue, None),
            (IssueCode::NoConsent, Some("m")),
            (IssueCode::NoConsent, Some("k")),
            (IssueCode::UnknownPlaceholder, Some("m")),
            (IssueCode::MalformedPlaceholder, Some("k")),
            (IssueCode::UnknownAttribute, Some("b")),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        let unknown = v
            .issues
            .iter()
            .find(|i| i.code == IssueCode::UnknownPlaceholder)
            .expect("unknown placeholder");
        assert!(
            unknown.message.contains("coupon_code"),
            "{}",
            unknown.message
        );
        assert_eq!(
            found
                .iter()
                .filter(|c| c.0 == IssueCode::UnknownPlaceholder)
                .count(),
            1
        );
        let branch = v
            .issues
            .iter()
            .find(|i| i.code == IssueCode::UnknownAttribute)
            .expect("attr");
        assert_eq!(branch.path, "nodes[2].condition.attribute");
    }

    #[test]
    fn previews_render_one_customer() {
        let s = store();
        let content = "{{name}}님, {{plan}} 회원 {{ birthday }} / {{tags}} / {{phone}} / {{phone|없음}} / {{coupon}}";
        let p = preview(&s, &ctx(), content, "a").expect("customer a");
        assert_eq!(
            p.text,
            "김민준님, pro 회원 1990-03-04 / x, y /  / 없음 / {{coupon}}"
        );
        assert_eq!(p.unknown, vec!["coupon"]);
        assert_eq!(p.missing, vec!["phone"]);
        let b = preview(&s, &ctx(), "{{plan|basic}} {{plan}}", "b").expect("b");
        assert_eq!(b.text, "basic ");
        assert_eq!(b.missing, vec!["plan"]);
        assert!(preview(&s, &ctx(), "x", "nobody").is_none());
        assert!(preview(&s, &ctx(), "{{name", "a").expect("a").malformed);
        assert_eq!(placeholders("{{}}"), Err(0));
        assert_eq!(placeholders("a }} b").map(|p| p.len()), Ok(0));
    }
}
