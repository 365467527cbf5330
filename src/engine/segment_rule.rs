//! The segment rule language: a serde AST of attribute and behaviour rules in nested
//! all / any / none groups (DOMAIN.md, "Segments"). Evaluation lives in [`super::segment`].
//!
//! ```json
//! {"rule": "all", "rules": [
//!   {"rule": "performed", "event": {"event": "visit"}, "window": {"last_days": 90}},
//!   {"rule": "not_performed", "event": {"event": "visit"}, "window": {"last_days": 14}}
//! ]}
//! ```

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, Literal};

/// Built-in attribute: the customer's id (text), for fixed lists of customers ("save these
/// customers as a segment": `{"rule":"attribute","attribute":"$id","op":"in","values":[…]}`).
pub const ATTR_ID: &str = "$id";
/// Built-in attribute: signup time (a date).
pub const ATTR_CREATED_AT: &str = "$created_at";
/// Built-in attribute: the customer's name (text).
pub const ATTR_NAME: &str = "$name";
/// Built-in attribute: email address (text; missing when absent).
pub const ATTR_EMAIL: &str = "$email";
/// Built-in attribute: phone number (text; missing when absent).
pub const ATTR_PHONE: &str = "$phone";
/// Built-in attributes: channel consent (bool): `$consent.email`, `.sms`, `.push`, `.kakao`.
pub const ATTR_CONSENT_PREFIX: &str = "$consent.";

/// One rule or group of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// Every inner rule holds (an empty group holds for everyone).
    All { rules: Vec<Rule> },
    /// At least one inner rule holds (an empty group holds for no one).
    Any { rules: Vec<Rule> },
    /// No inner rule holds.
    None { rules: Vec<Rule> },
    /// A customer attribute (custom, or a built-in such as [`ATTR_CREATED_AT`]) passes a test.
    Attribute {
        attribute: String,
        #[serde(flatten)]
        test: AttributeTest,
    },
    /// Performed matching events a number of times (default: at least once) within the window.
    Performed {
        event: EventFilter,
        #[serde(default = "Comparison::at_least_once")]
        count: Comparison,
        #[serde(default)]
        window: Window,
    },
    /// Performed no matching event within the window (a segment may consist of these only).
    NotPerformed {
        event: EventFilter,
        #[serde(default)]
        window: Window,
    },
    /// Performed `first`, then `then` within `within` of it; `first` falls in the window.
    Sequence {
        first: EventFilter,
        then: EventFilter,
        within: Span,
        #[serde(default)]
        window: Window,
    },
    /// Performed `first` (in the window) and no `then` within `within` after it, once that time
    /// has fully passed ("signed up, no purchase within 7 days"). Any such `first` qualifies.
    NotFollowedBy {
        first: EventFilter,
        then: EventFilter,
        within: Span,
        #[serde(default)]
        window: Window,
    },
    /// The customer's first matching event ever falls within the window.
    FirstPerformed { event: EventFilter, window: Window },
    /// The customer's last matching event (up to now) falls within the window.
    LastPerformed { event: EventFilter, window: Window },
    /// An aggregate over matching events' values in the window passes a comparison
    /// ("revenue ≥ 1,000,000 in the last 365 days": sum of `purchase` value).
    Aggregate {
        event: EventFilter,
        aggregate: Aggregate,
        #[serde(flatten)]
        compare: Comparison,
        #[serde(default)]
        window: Window,
    },
    /// Member of another segment, by its id in the query's segment library.
    Segment { id: String },
}

impl Rule {
    pub fn all(rules: Vec<Rule>) -> Rule {
        Rule::All { rules }
    }

    pub fn any(rules: Vec<Rule>) -> Rule {
        Rule::Any { rules }
    }

    pub fn none(rules: Vec<Rule>) -> Rule {
        Rule::None { rules }
    }

    /// Exactly these customers, by id (`$id in [...]`): "save these customers as a segment".
    pub fn customer_ids(ids: &[String]) -> Rule {
        Rule::Attribute {
            attribute: ATTR_ID.to_owned(),
            test: AttributeTest::In {
                values: ids.iter().cloned().map(Literal::Text).collect(),
            },
        }
    }
}

/// Which stretch of time a behaviour rule looks at, relative to "now".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// All history up to now.
    #[default]
    Ever,
    /// The last N days up to now (`now − N × 24 h`, exclusive, to now, inclusive).
    LastDays(u32),
    /// Within N days after the customer signed up (`created_at ..= created_at + N × 24 h`).
    AfterSignupDays(u32),
    /// Between two dates or timestamps (RFC 3339, or `YYYY-MM-DD` as local midnight): `from`
    /// inclusive, `to` exclusive.
    Between { from: String, to: String },
}

/// A length of time: days, hours and minutes added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub days: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hours: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub minutes: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Span {
    pub fn days(days: u32) -> Span {
        Span {
            days,
            ..Span::default()
        }
    }

    pub fn seconds(&self) -> i64 {
        self.days as i64 * 86_400 + self.hours as i64 * 3_600 + self.minutes as i64 * 60
    }
}

/// A numeric comparison such as "at least 3".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub op: CompareOp,
    pub value: f64,
}

impl Comparison {
    pub fn at_least_once() -> Comparison {
        Comparison {
            op: CompareOp::Gte,
            value: 1.0,
        }
    }

    pub fn holds(&self, x: f64) -> bool {
        match self.op {
            CompareOp::Eq => x == self.value,
            CompareOp::Ne => x != self.value,
            CompareOp::Gt => x > self.value,
            CompareOp::Gte => x >= self.value,
            CompareOp::Lt => x < self.value,
            CompareOp::Lte => x <= self.value,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// Aggregates over event values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Number of matching events.
    Count,
    /// Sum of values (events without a value add nothing).
    Sum,
    /// Mean of the values present; no valued event means the rule fails.
    Avg,
    Min,
    Max,
}

/// A test on one attribute value. Which tests fit which attribute type is checked when the rule
/// is compiled; a missing value passes only `ne`, `not_in`, `not_exists` and `list_has_none`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum AttributeTest {
    // Any type.
    Exists,
    NotExists,
    // Text, number, bool.
    Eq {
        value: Literal,
    },
    Ne {
        value: Literal,
    },
    In {
        values: Vec<Literal>,
    },
    NotIn {
        values: Vec<Literal>,
    },
    // Text.
    Contains {
        value: String,
    },
    StartsWith {
        value: String,
    },
    // Number.
    Gt {
        value: f64,
    },
    Gte {
        value: f64,
    },
    Lt {
        value: f64,
    },
    Lte {
        value: f64,
    },
    /// `min <= x <= max`.
    Between {
        min: f64,
        max: f64,
    },
    // List.
    ListHas {
        value: String,
    },
    ListHasAny {
        values: Vec<String>,
    },
    ListHasNone {
        values: Vec<String>,
    },
    // Date (absolute: RFC 3339 or `YYYY-MM-DD` as local midnight).
    Before {
        date: String,
    },
    After {
        date: String,
    },
    /// Date within the last N days up to now ("signed up in the last 30 days").
    InLastDays {
        days: u32,
    },
    /// Date from now to N days ahead ("contract ends within the next 90 days").
    InNextDays {
        days: u32,
    },
    /// Date more than N days before now.
    MoreThanDaysAgo {
        days: u32,
    },
    /// The date's anniversary (month and day, any year) falls within the next N days, today
    /// included ("birthday within 7 days").
    AnniversaryInNextDays {
        days: u32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_the_documented_json() {
        let json = r#"{"rule":"all","rules":[
            {"rule":"attribute","attribute":"contract_end","op":"in_next_days","days":90},
            {"rule":"performed","event":{"event":"purchase","where":[{"property":"coupon","op":"exists"}]},"count":{"op":"gte","value":2},"window":{"last_days":365}},
            {"rule":"not_performed","event":{"event":"visit"},"window":{"last_days":14}},
            {"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{"days":7}},
            {"rule":"aggregate","event":{"event":"purchase"},"aggregate":"sum","op":"gte","value":1000000,"window":{"last_days":365}},
            {"rule":"none","rules":[{"rule":"segment","id":"vip"}]},
            {"rule":"performed","event":{"event":"visit"},"window":"ever"},
            {"rule":"first_performed","event":{"event":"purchase"},"window":{"between":{"from":"2026-05-01","to":"2026-06-01"}}}
        ]}"#;
        let rule: Rule = serde_json::from_str(json).expect("valid");
        let Rule::All { rules } = &rule else {
            panic!("a group")
        };
        assert_eq!(rules.len(), 8);
        assert_eq!(
            rules[1],
            Rule::Performed {
                event: EventFilter::of("purchase")
                    .with("coupon", crate::engine::filter::ValueTest::Exists),
                count: Comparison {
                    op: CompareOp::Gte,
                    value: 2.0
                },
                window: Window::LastDays(365),
            }
        );
        let back: Rule =
            serde_json::from_str(&serde_json::to_string(&rule).expect("json")).expect("valid");
        assert_eq!(back, rule);
        assert!(serde_json::from_str::<Rule>(r#"{"rule":"sometimes"}"#).is_err());
    }
}
