//! Checks a rule tree one rule at a time, so a builder can mark each incomplete or impossible
//! rule with its reason while the rest stays usable. Every leaf is checked for missing pieces
//! (no event chosen, an empty value, zero days …) and then compiled on its own against the
//! store, so the engine's own refusals (unknown attribute, a test that does not fit the type,
//! an unknown segment, a cycle between segments) are reported at the rule that causes them.

use super::filter::{EventFilter, Literal, ValueTest};
use super::query::QueryErrorKind;
use super::segment::{CompiledRule, SegmentLibrary};
use super::segment_rule::{AttributeTest, Rule, Window};
use super::store::Store;
use super::time::{parse_date_or_timestamp, Context};

/// Where a rule sits in the tree: child indexes from the root group.
pub type RulePath = Vec<usize>;

/// One problem with one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleIssue {
    pub path: RulePath,
    pub problem: Problem,
}

/// Why a rule cannot be counted. The UI translates these.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No event type chosen.
    NoEvent,
    /// A property condition without a property.
    NoProperty,
    /// No attribute chosen.
    NoAttribute,
    /// A value to compare with is empty.
    NoValue,
    /// A number is not a number (empty field).
    NotANumber,
    /// A window or span of zero days.
    ZeroDays,
    /// A date field is empty or not a date.
    BadDate,
    /// `between` with its end not after its start (dates) or min above max (numbers).
    EmptyRange,
    /// A segment reference without a segment chosen.
    NoSegment,
    /// The engine refused the rule (unknown attribute, type mismatch, unknown segment, cycle …).
    Engine {
        kind: QueryErrorKind,
        message: String,
    },
}

/// Every issue in `rule`, in tree order. An empty list means the rule can be counted.
pub fn check(
    store: &Store,
    ctx: &Context,
    rule: &Rule,
    library: &SegmentLibrary,
) -> Vec<RuleIssue> {
    let mut issues = Vec::new();
    walk(store, ctx, rule, library, &mut Vec::new(), &mut issues);
    issues
}

fn walk(
    store: &Store,
    ctx: &Context,
    rule: &Rule,
    library: &SegmentLibrary,
    path: &mut RulePath,
    issues: &mut Vec<RuleIssue>,
) {
    match rule {
        Rule::All { rules } | Rule::Any { rules } | Rule::None { rules } => {
            for (i, child) in rules.iter().enumerate() {
                path.push(i);
                walk(store, ctx, child, library, path, issues);
                path.pop();
            }
        }
        leaf => {
            let problem = missing_piece(leaf, ctx).or_else(|| {
                CompiledRule::compile(store, ctx, leaf, library)
                    .err()
                    .map(|e| Problem::Engine {
                        kind: e.kind,
                        message: e.message,
                    })
            });
            if let Some(problem) = problem {
                issues.push(RuleIssue {
                    path: path.clone(),
                    problem,
                });
            }
        }
    }
}

fn missing_piece(rule: &Rule, ctx: &Context) -> Option<Problem> {
    match rule {
        Rule::All { .. } | Rule::Any { .. } | Rule::None { .. } => None,
        Rule::Attribute { attribute, test } => {
            if attribute.trim().is_empty() {
                return Some(Problem::NoAttribute);
            }
            attribute_test(test, ctx)
        }
        Rule::Performed {
            event,
            count,
            window,
        } => filter(event)
            .or_else(|| (!count.value.is_finite()).then_some(Problem::NotANumber))
            .or_else(|| window_problem(window, ctx)),
        Rule::NotPerformed { event, window }
        | Rule::FirstPerformed { event, window }
        | Rule::LastPerformed { event, window } => {
            filter(event).or_else(|| window_problem(window, ctx))
        }
        Rule::Sequence {
            first,
            then,
            within,
            window,
        }
        | Rule::NotFollowedBy {
            first,
            then,
            within,
            window,
        } => filter(first)
            .or_else(|| filter(then))
            .or_else(|| (within.seconds() == 0).then_some(Problem::ZeroDays))
            .or_else(|| window_problem(window, ctx)),
        Rule::Aggregate {
            event,
            compare,
            window,
            ..
        } => filter(event)
            .or_else(|| (!compare.value.is_finite()).then_some(Problem::NotANumber))
            .or_else(|| window_problem(window, ctx)),
        Rule::Segment { id } => id.trim().is_empty().then_some(Problem::NoSegment),
    }
}

fn filter(filter: &EventFilter) -> Option<Problem> {
    if filter.event.trim().is_empty() {
        return Some(Problem::NoEvent);
    }
    filter.conditions.iter().find_map(|c| {
        if c.property.trim().is_empty() {
            return Some(Problem::NoProperty);
        }
        match &c.test {
            ValueTest::Eq { value } | ValueTest::Ne { value } => literal(value),
            ValueTest::In { values } | ValueTest::NotIn { values } => {
                if values.is_empty() {
                    Some(Problem::NoValue)
                } else {
                    values.iter().find_map(literal)
                }
            }
            ValueTest::Gt { value }
            | ValueTest::Gte { value }
            | ValueTest::Lt { value }
            | ValueTest::Lte { value } => (!value.is_finite()).then_some(Problem::NotANumber),
            ValueTest::Contains { value } | ValueTest::StartsWith { value } => {
                value.is_empty().then_some(Problem::NoValue)
            }
            ValueTest::Exists | ValueTest::NotExists => None,
        }
    })
}

fn literal(value: &Literal) -> Option<Problem> {
    match value {
        Literal::Text(s) if s.is_empty() => Some(Problem::NoValue),
        Literal::Number(x) if !x.is_finite() => Some(Problem::NotANumber),
        _ => None,
    }
}

fn attribute_test(test: &AttributeTest, ctx: &Context) -> Option<Problem> {
    let date = |d: &str| parse_date_or_timestamp(d, &ctx.zone).is_none();
    match test {
        AttributeTest::Exists | AttributeTest::NotExists => None,
        AttributeTest::Eq { value } | AttributeTest::Ne { value } => literal(value),
        AttributeTest::In { values } | AttributeTest::NotIn { values } => {
            if values.is_empty() {
                Some(Problem::NoValue)
            } else {
                values.iter().find_map(literal)
            }
        }
        AttributeTest::Contains { value }
        | AttributeTest::StartsWith { value }
        | AttributeTest::ListHas { value } => value.is_empty().then_some(Problem::NoValue),
        AttributeTest::ListHasAny { values } | AttributeTest::ListHasNone { values } => {
            (values.is_empty() || values.iter().any(String::is_empty)).then_some(Problem::NoValue)
        }
        AttributeTest::Gt { value }
        | AttributeTest::Gte { value }
        | AttributeTest::Lt { value }
        | AttributeTest::Lte { value } => (!value.is_finite()).then_some(Problem::NotANumber),
        AttributeTest::Between { min, max } => {
            if !min.is_finite() || !max.is_finite() {
                Some(Problem::NotANumber)
            } else {
                (min > max).then_some(Problem::EmptyRange)
            }
        }
        AttributeTest::Before { date: d } | AttributeTest::After { date: d } => {
            date(d).then_some(Problem::BadDate)
        }
        AttributeTest::InLastDays { days }
        | AttributeTest::InNextDays { days }
        | AttributeTest::AnniversaryInNextDays { days } => {
            (*days == 0).then_some(Problem::ZeroDays)
        }
        AttributeTest::MoreThanDaysAgo { .. } => None,
    }
}

fn window_problem(window: &Window, ctx: &Context) -> Option<Problem> {
    match window {
        Window::Ever => None,
        Window::LastDays(0) | Window::AfterSignupDays(0) => Some(Problem::ZeroDays),
        Window::LastDays(_) | Window::AfterSignupDays(_) => None,
        Window::Between { from, to } => {
            match (
                parse_date_or_timestamp(from, &ctx.zone),
                parse_date_or_timestamp(to, &ctx.zone),
            ) {
                (Some(a), Some(b)) if b > a => None,
                (Some(_), Some(_)) => Some(Problem::EmptyRange),
                _ => Some(Problem::BadDate),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Zone;

    fn store() -> Store {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
            "attributes":[{"name":"tier","type":"text"}]}"#;
        let customers = br#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00","attributes":{"tier":"gold"}}]"#;
        Store::from_json(meta, customers, b"[]").expect("store").0
    }

    #[test]
    fn each_broken_rule_is_marked_at_its_place_and_the_others_pass() {
        let rule: Rule = serde_json::from_str(
            r#"{"rule":"all","rules":[
                {"rule":"performed","event":{"event":"visit"},"window":{"last_days":14}},
                {"rule":"performed","event":{"event":""}},
                {"rule":"any","rules":[
                    {"rule":"attribute","attribute":"tier","op":"in_last_days","days":3},
                    {"rule":"attribute","attribute":"nope","op":"exists"},
                    {"rule":"attribute","attribute":"tier","op":"eq","value":""}
                ]},
                {"rule":"not_performed","event":{"event":"visit"},"window":{"between":{"from":"2026-02-01","to":"2026-01-01"}}},
                {"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{}},
                {"rule":"segment","id":""},
                {"rule":"segment","id":"loop"},
                {"rule":"attribute","attribute":"$created_at","op":"in_last_days","days":60}
            ]}"#,
        )
        .expect("rule");
        let mut library = SegmentLibrary::new();
        library.insert(
            "loop".into(),
            serde_json::from_str(r#"{"rule":"segment","id":"loop"}"#).expect("loop"),
        );
        let ctx = Context::new(1_769_785_200, Zone::default());
        let issues = check(&store(), &ctx, &rule, &library);
        let paths: Vec<&[usize]> = issues.iter().map(|i| i.path.as_slice()).collect();
        assert_eq!(
            paths,
            [&[1][..], &[2, 0], &[2, 1], &[2, 2], &[3], &[4], &[5], &[6]]
        );
        assert_eq!(issues[0].problem, Problem::NoEvent);
        assert!(matches!(
            issues[1].problem,
            Problem::Engine {
                kind: QueryErrorKind::TypeMismatch,
                ..
            }
        ));
        assert!(matches!(
            issues[2].problem,
            Problem::Engine {
                kind: QueryErrorKind::UnknownAttribute,
                ..
            }
        ));
        assert_eq!(issues[3].problem, Problem::NoValue);
        assert_eq!(issues[4].problem, Problem::EmptyRange);
        assert_eq!(issues[5].problem, Problem::ZeroDays);
        assert_eq!(issues[6].problem, Problem::NoSegment);
        assert!(matches!(
            issues[7].problem,
            Problem::Engine {
                kind: QueryErrorKind::SegmentCycle,
                ..
            }
        ));
        // A healthy rule has no issue.
        let fine: Rule = serde_json::from_str(
            r#"{"rule":"none","rules":[{"rule":"attribute","attribute":"$consent.email","op":"eq","value":true}]}"#,
        )
        .expect("fine");
        assert!(check(&store(), &ctx, &fine, &library).is_empty());
    }
}
