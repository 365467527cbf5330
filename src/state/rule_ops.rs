//! Which rule kinds and operators the segment builder offers, and how a choice becomes a rule:
//! only the operators that fit a type (text, number, true/false, date, list; event property
//! values) are offered, and switching one keeps what still fits. Pure, tested natively.

use crate::engine::catalog::ValueKind;
use crate::engine::filter::{EventFilter, Literal, ValueTest};
use crate::engine::segment_rule::{
    Aggregate, AttributeTest, Comparison, Rule, Span, Window, ATTR_CREATED_AT,
};
use crate::model::AttributeType;

/// The leaf rule kinds, by key.
pub const LEAF_KINDS: [&str; 9] = [
    "attribute",
    "performed",
    "not_performed",
    "sequence",
    "not_followed_by",
    "first_performed",
    "last_performed",
    "aggregate",
    "segment",
];

/// The key of a leaf rule's kind ("group" for groups).
pub fn leaf_kind(rule: &Rule) -> &'static str {
    match rule {
        Rule::All { .. } | Rule::Any { .. } | Rule::None { .. } => "group",
        Rule::Attribute { .. } => "attribute",
        Rule::Performed { .. } => "performed",
        Rule::NotPerformed { .. } => "not_performed",
        Rule::Sequence { .. } => "sequence",
        Rule::NotFollowedBy { .. } => "not_followed_by",
        Rule::FirstPerformed { .. } => "first_performed",
        Rule::LastPerformed { .. } => "last_performed",
        Rule::Aggregate { .. } => "aggregate",
        Rule::Segment { .. } => "segment",
    }
}

/// The main event filter of a behaviour rule (the first one for sequences).
pub fn main_event(rule: &Rule) -> Option<&EventFilter> {
    match rule {
        Rule::Performed { event, .. }
        | Rule::NotPerformed { event, .. }
        | Rule::FirstPerformed { event, .. }
        | Rule::LastPerformed { event, .. }
        | Rule::Aggregate { event, .. } => Some(event),
        Rule::Sequence { first, .. } | Rule::NotFollowedBy { first, .. } => Some(first),
        _ => None,
    }
}

fn window_of(rule: &Rule) -> Option<Window> {
    match rule {
        Rule::Performed { window, .. }
        | Rule::NotPerformed { window, .. }
        | Rule::FirstPerformed { window, .. }
        | Rule::LastPerformed { window, .. }
        | Rule::Aggregate { window, .. }
        | Rule::Sequence { window, .. }
        | Rule::NotFollowedBy { window, .. } => Some(window.clone()),
        _ => None,
    }
}

/// A new rule of kind `kind`, keeping the event and window of `previous` where they fit.
/// New rules start incomplete (no event chosen) so the builder asks for the missing piece.
pub fn new_leaf(kind: &str, previous: Option<&Rule>) -> Rule {
    let event = previous
        .and_then(main_event)
        .cloned()
        .unwrap_or_else(|| EventFilter::of(""));
    let window = previous.and_then(window_of).unwrap_or_default();
    match kind {
        "attribute" => Rule::Attribute {
            attribute: String::new(),
            test: AttributeTest::Exists,
        },
        "not_performed" => Rule::NotPerformed { event, window },
        "sequence" => Rule::Sequence {
            first: event,
            then: EventFilter::of(""),
            within: Span::days(7),
            window,
        },
        "not_followed_by" => Rule::NotFollowedBy {
            first: event,
            then: EventFilter::of(""),
            within: Span::days(7),
            window,
        },
        "first_performed" => Rule::FirstPerformed { event, window },
        "last_performed" => Rule::LastPerformed { event, window },
        "aggregate" => Rule::Aggregate {
            event,
            aggregate: Aggregate::Sum,
            compare: Comparison {
                op: crate::engine::segment_rule::CompareOp::Gte,
                value: 0.0,
            },
            window,
        },
        "segment" => Rule::Segment { id: String::new() },
        _ => Rule::Performed {
            event,
            count: Comparison::at_least_once(),
            window,
        },
    }
}

/// The operators that fit an attribute type, by key.
pub fn attribute_ops(kind: AttributeType) -> &'static [&'static str] {
    match kind {
        AttributeType::Text => &[
            "eq",
            "ne",
            "in",
            "not_in",
            "contains",
            "starts_with",
            "exists",
            "not_exists",
        ],
        AttributeType::Number => &[
            "eq",
            "ne",
            "gt",
            "gte",
            "lt",
            "lte",
            "between",
            "exists",
            "not_exists",
        ],
        AttributeType::Bool => &["eq", "exists", "not_exists"],
        AttributeType::Date => &[
            "in_last_days",
            "in_next_days",
            "more_than_days_ago",
            "before",
            "after",
            "anniversary_in_next_days",
            "exists",
            "not_exists",
        ],
        AttributeType::List => &[
            "list_has",
            "list_has_any",
            "list_has_none",
            "exists",
            "not_exists",
        ],
    }
}

/// The key of an attribute test.
pub fn attribute_op(test: &AttributeTest) -> &'static str {
    match test {
        AttributeTest::Exists => "exists",
        AttributeTest::NotExists => "not_exists",
        AttributeTest::Eq { .. } => "eq",
        AttributeTest::Ne { .. } => "ne",
        AttributeTest::In { .. } => "in",
        AttributeTest::NotIn { .. } => "not_in",
        AttributeTest::Contains { .. } => "contains",
        AttributeTest::StartsWith { .. } => "starts_with",
        AttributeTest::Gt { .. } => "gt",
        AttributeTest::Gte { .. } => "gte",
        AttributeTest::Lt { .. } => "lt",
        AttributeTest::Lte { .. } => "lte",
        AttributeTest::Between { .. } => "between",
        AttributeTest::ListHas { .. } => "list_has",
        AttributeTest::ListHasAny { .. } => "list_has_any",
        AttributeTest::ListHasNone { .. } => "list_has_none",
        AttributeTest::Before { .. } => "before",
        AttributeTest::After { .. } => "after",
        AttributeTest::InLastDays { .. } => "in_last_days",
        AttributeTest::InNextDays { .. } => "in_next_days",
        AttributeTest::MoreThanDaysAgo { .. } => "more_than_days_ago",
        AttributeTest::AnniversaryInNextDays { .. } => "anniversary_in_next_days",
    }
}

/// The first value of a test, as text (to carry over when the operator changes).
fn first_text(test: &AttributeTest) -> String {
    match test {
        AttributeTest::Eq { value } | AttributeTest::Ne { value } => literal_text(value),
        AttributeTest::In { values } | AttributeTest::NotIn { values } => values
            .iter()
            .map(literal_text)
            .collect::<Vec<_>>()
            .join(", "),
        AttributeTest::Contains { value }
        | AttributeTest::StartsWith { value }
        | AttributeTest::ListHas { value } => value.clone(),
        AttributeTest::ListHasAny { values } | AttributeTest::ListHasNone { values } => {
            values.join(", ")
        }
        AttributeTest::Before { date } | AttributeTest::After { date } => date.clone(),
        _ => String::new(),
    }
}

fn first_number(test: &AttributeTest) -> Option<f64> {
    match test {
        AttributeTest::Gt { value }
        | AttributeTest::Gte { value }
        | AttributeTest::Lt { value }
        | AttributeTest::Lte { value } => Some(*value),
        AttributeTest::Between { min, .. } => Some(*min),
        AttributeTest::Eq {
            value: Literal::Number(x),
        }
        | AttributeTest::Ne {
            value: Literal::Number(x),
        } => Some(*x),
        _ => None,
    }
}

fn first_days(test: &AttributeTest) -> Option<u32> {
    match test {
        AttributeTest::InLastDays { days }
        | AttributeTest::InNextDays { days }
        | AttributeTest::MoreThanDaysAgo { days }
        | AttributeTest::AnniversaryInNextDays { days } => Some(*days),
        _ => None,
    }
}

/// A literal as an input shows it.
pub fn literal_text(value: &Literal) -> String {
    match value {
        Literal::Text(s) => s.clone(),
        Literal::Number(x) => number_text(*x),
        Literal::Bool(b) => b.to_string(),
    }
}

/// A number as an input shows it (empty for "not a number").
pub fn number_text(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// Typed text as a number; NaN (reported as "enter a number") when it is not one.
pub fn parse_number(text: &str) -> f64 {
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// Typed text as whole days; 0 (reported as "enter a number of days") when it is not one.
pub fn parse_days(text: &str) -> u32 {
    text.trim().parse::<u32>().unwrap_or(0)
}

/// Comma-separated text as a list of trimmed, non-empty items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Text typed for a value of type `kind` as a literal.
pub fn typed_literal(kind: AttributeType, text: &str) -> Literal {
    match kind {
        AttributeType::Number => Literal::Number(parse_number(text)),
        AttributeType::Bool => Literal::Bool(text.trim() == "true"),
        _ => Literal::Text(text.to_owned()),
    }
}

/// The test `op` on an attribute of type `kind`, keeping what fits of `previous`.
pub fn attribute_test(op: &str, kind: AttributeType, previous: &AttributeTest) -> AttributeTest {
    let text = first_text(previous);
    let number = first_number(previous).unwrap_or(f64::NAN);
    let days = first_days(previous).unwrap_or(30);
    let literal = || match kind {
        AttributeType::Bool => Literal::Bool(text != "false"),
        AttributeType::Number => Literal::Number(number),
        _ => Literal::Text(text.clone()),
    };
    let values = || match kind {
        AttributeType::Number => split_list(&text)
            .iter()
            .map(|s| Literal::Number(parse_number(s)))
            .collect(),
        _ => split_list(&text).into_iter().map(Literal::Text).collect(),
    };
    match op {
        "not_exists" => AttributeTest::NotExists,
        "eq" => AttributeTest::Eq { value: literal() },
        "ne" => AttributeTest::Ne { value: literal() },
        "in" => AttributeTest::In { values: values() },
        "not_in" => AttributeTest::NotIn { values: values() },
        "contains" => AttributeTest::Contains { value: text },
        "starts_with" => AttributeTest::StartsWith { value: text },
        "gt" => AttributeTest::Gt { value: number },
        "gte" => AttributeTest::Gte { value: number },
        "lt" => AttributeTest::Lt { value: number },
        "lte" => AttributeTest::Lte { value: number },
        "between" => AttributeTest::Between {
            min: number,
            max: f64::NAN,
        },
        "list_has" => AttributeTest::ListHas { value: text },
        "list_has_any" => AttributeTest::ListHasAny {
            values: split_list(&text),
        },
        "list_has_none" => AttributeTest::ListHasNone {
            values: split_list(&text),
        },
        "before" => AttributeTest::Before { date: text },
        "after" => AttributeTest::After { date: text },
        "in_last_days" => AttributeTest::InLastDays { days },
        "in_next_days" => AttributeTest::InNextDays { days },
        "more_than_days_ago" => AttributeTest::MoreThanDaysAgo { days },
        "anniversary_in_next_days" => AttributeTest::AnniversaryInNextDays { days },
        _ => AttributeTest::Exists,
    }
}

/// The test a newly chosen attribute starts with: the first operator that fits it (for
/// consent: "is yes"; for the signup date: "in the last 30 days").
pub fn first_test(kind: AttributeType, attribute: &str) -> AttributeTest {
    match kind {
        AttributeType::Bool => AttributeTest::Eq {
            value: Literal::Bool(true),
        },
        AttributeType::Date if attribute == ATTR_CREATED_AT => {
            AttributeTest::InLastDays { days: 30 }
        }
        _ => attribute_test(attribute_ops(kind)[0], kind, &AttributeTest::Exists),
    }
}

/// The operators that fit an event property's values.
pub fn value_ops(kind: ValueKind) -> &'static [&'static str] {
    match kind {
        ValueKind::Text => &[
            "eq",
            "ne",
            "in",
            "not_in",
            "contains",
            "starts_with",
            "exists",
            "not_exists",
        ],
        ValueKind::Number => &["eq", "ne", "gt", "gte", "lt", "lte", "exists", "not_exists"],
        ValueKind::Bool => &["eq", "ne", "exists", "not_exists"],
    }
}

pub fn value_op(test: &ValueTest) -> &'static str {
    match test {
        ValueTest::Eq { .. } => "eq",
        ValueTest::Ne { .. } => "ne",
        ValueTest::In { .. } => "in",
        ValueTest::NotIn { .. } => "not_in",
        ValueTest::Gt { .. } => "gt",
        ValueTest::Gte { .. } => "gte",
        ValueTest::Lt { .. } => "lt",
        ValueTest::Lte { .. } => "lte",
        ValueTest::Contains { .. } => "contains",
        ValueTest::StartsWith { .. } => "starts_with",
        ValueTest::Exists => "exists",
        ValueTest::NotExists => "not_exists",
    }
}

/// The value of a property test, as text.
pub fn value_text(test: &ValueTest) -> String {
    match test {
        ValueTest::Eq { value } | ValueTest::Ne { value } => literal_text(value),
        ValueTest::In { values } | ValueTest::NotIn { values } => values
            .iter()
            .map(literal_text)
            .collect::<Vec<_>>()
            .join(", "),
        ValueTest::Gt { value }
        | ValueTest::Gte { value }
        | ValueTest::Lt { value }
        | ValueTest::Lte { value } => number_text(*value),
        ValueTest::Contains { value } | ValueTest::StartsWith { value } => value.clone(),
        ValueTest::Exists | ValueTest::NotExists => String::new(),
    }
}

/// A property test from an operator and typed text, read as the property's type.
pub fn value_test(op: &str, kind: ValueKind, text: &str) -> ValueTest {
    let literal = |s: &str| match kind {
        ValueKind::Number => Literal::Number(parse_number(s)),
        ValueKind::Bool => Literal::Bool(s.trim() == "true"),
        ValueKind::Text => Literal::Text(s.trim().to_owned()),
    };
    let values = || split_list(text).iter().map(|s| literal(s)).collect();
    match op {
        "ne" => ValueTest::Ne {
            value: literal(text),
        },
        "in" => ValueTest::In { values: values() },
        "not_in" => ValueTest::NotIn { values: values() },
        "gt" => ValueTest::Gt {
            value: parse_number(text),
        },
        "gte" => ValueTest::Gte {
            value: parse_number(text),
        },
        "lt" => ValueTest::Lt {
            value: parse_number(text),
        },
        "lte" => ValueTest::Lte {
            value: parse_number(text),
        },
        "contains" => ValueTest::Contains {
            value: text.trim().to_owned(),
        },
        "starts_with" => ValueTest::StartsWith {
            value: text.trim().to_owned(),
        },
        "exists" => ValueTest::Exists,
        "not_exists" => ValueTest::NotExists,
        _ => ValueTest::Eq {
            value: literal(text),
        },
    }
}

/// The key of a window's kind.
pub fn window_kind(window: &Window) -> &'static str {
    match window {
        Window::Ever => "ever",
        Window::LastDays(_) => "last_days",
        Window::AfterSignupDays(_) => "after_signup_days",
        Window::Between { .. } => "between",
    }
}

/// A window of kind `kind`, keeping the days of `previous`.
pub fn window_of_kind(kind: &str, previous: &Window) -> Window {
    let days = match previous {
        Window::LastDays(d) | Window::AfterSignupDays(d) => *d,
        _ => 30,
    };
    match kind {
        "last_days" => Window::LastDays(days),
        "after_signup_days" => Window::AfterSignupDays(days),
        "between" => Window::Between {
            from: String::new(),
            to: String::new(),
        },
        _ => Window::Ever,
    }
}

/// What decides which controls a rule tree shows: kinds, chosen names and operators, but not
/// typed values. The builder re-renders its controls only when this changes, so typing in a
/// field never rebuilds (and never loses) it.
pub fn shape(rule: &Rule) -> String {
    let mut out = String::new();
    write_shape(rule, &mut out);
    out
}

/// An event filter's shape: whether an event is chosen (not which one: the select keeps its
/// value, and a new event clears the conditions, which changes the shape anyway), and each
/// condition's property and operator.
fn filter_shape(filter: &EventFilter, out: &mut String) {
    out.push(if filter.event.is_empty() { '_' } else { 'e' });
    for c in &filter.conditions {
        out.push('[');
        out.push_str(&c.property);
        out.push(':');
        out.push_str(value_op(&c.test));
        out.push(']');
    }
    out.push(';');
}

fn write_shape(rule: &Rule, out: &mut String) {
    out.push_str(leaf_kind(rule));
    out.push('(');
    match rule {
        Rule::All { rules } | Rule::Any { rules } | Rule::None { rules } => {
            out.push_str(crate::state::rule_tree::group_kind(rule));
            out.push(':');
            for r in rules {
                write_shape(r, out);
            }
        }
        Rule::Attribute { attribute, test } => {
            out.push_str(attribute);
            out.push(':');
            out.push_str(attribute_op(test));
        }
        Rule::Segment { .. } => {}
        other => {
            if let Some(w) = window_of(other) {
                out.push_str(window_kind(&w));
                out.push(':');
            }
            match other {
                Rule::Sequence { first, then, .. } | Rule::NotFollowedBy { first, then, .. } => {
                    filter_shape(first, out);
                    filter_shape(then, out);
                }
                _ => {
                    if let Some(e) = main_event(other) {
                        filter_shape(e, out);
                    }
                }
            }
        }
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fitting_operators_and_values_carry_over() {
        assert!(attribute_ops(AttributeType::Date).contains(&"in_next_days"));
        assert!(!attribute_ops(AttributeType::Text).contains(&"gt"));
        for kind in [
            AttributeType::Text,
            AttributeType::Number,
            AttributeType::Bool,
            AttributeType::Date,
            AttributeType::List,
        ] {
            for op in attribute_ops(kind) {
                let test = attribute_test(op, kind, &AttributeTest::Exists);
                assert_eq!(attribute_op(&test), *op);
            }
        }
        let gold = AttributeTest::Eq {
            value: Literal::Text("gold".into()),
        };
        assert_eq!(
            attribute_test("contains", AttributeType::Text, &gold),
            AttributeTest::Contains {
                value: "gold".into()
            }
        );
        assert_eq!(
            attribute_test(
                "in_next_days",
                AttributeType::Date,
                &AttributeTest::InLastDays { days: 60 }
            ),
            AttributeTest::InNextDays { days: 60 }
        );
        assert_eq!(
            first_test(AttributeType::Bool, "$consent.email"),
            AttributeTest::Eq {
                value: Literal::Bool(true)
            }
        );
        assert_eq!(
            first_test(AttributeType::Date, ATTR_CREATED_AT),
            AttributeTest::InLastDays { days: 30 }
        );
        for kind in [ValueKind::Text, ValueKind::Number, ValueKind::Bool] {
            for op in value_ops(kind) {
                assert_eq!(value_op(&value_test(op, kind, "1")), *op);
            }
        }
        assert_eq!(
            value_test("in", ValueKind::Text, "a, b,,"),
            ValueTest::In {
                values: vec![Literal::Text("a".into()), Literal::Text("b".into())]
            }
        );
        assert!(parse_number("x").is_nan());
        assert_eq!(parse_days("14"), 14);
        assert_eq!(parse_days(""), 0);
        assert_eq!(number_text(f64::NAN), "");
    }

    #[test]
    fn new_rules_keep_the_event_and_window_and_shapes_ignore_typed_values() {
        let performed = Rule::Performed {
            event: EventFilter::of("visit"),
            count: Comparison::at_least_once(),
            window: Window::LastDays(14),
        };
        let not = new_leaf("not_performed", Some(&performed));
        assert_eq!(
            not,
            Rule::NotPerformed {
                event: EventFilter::of("visit"),
                window: Window::LastDays(14)
            }
        );
        for kind in LEAF_KINDS {
            assert_eq!(leaf_kind(&new_leaf(kind, None)), kind);
        }
        let other_days = Rule::NotPerformed {
            event: EventFilter::of("visit"),
            window: Window::LastDays(30),
        };
        assert_eq!(shape(&not), shape(&other_days));
        assert_ne!(
            shape(&not),
            shape(&new_leaf("not_performed", None)),
            "choosing an event enables its property conditions"
        );
        assert_ne!(
            shape(&Rule::all(vec![not.clone()])),
            shape(&Rule::any(vec![not]))
        );
        assert_eq!(
            window_of_kind("after_signup_days", &Window::LastDays(7)),
            Window::AfterSignupDays(7)
        );
    }
}
