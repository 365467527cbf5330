//! Event filters: which events an analysis looks at (a type, or any activity, plus property
//! conditions), shared by retention, segments, funnels and paths.
//!
//! A spec ([`EventFilter`]) is what users write and JSON carries; [`EventMatcher`] is the same filter
//! compiled against one store (type and value ids resolved once), so testing an event is a table lookup.

use serde::{Deserialize, Serialize};

use super::overview::NON_ACTIVITY_TYPES;
use super::store::{EventTypeId, PropKeyId, Scalar, Store};

/// Matches every event that counts as customer activity (all types except `message_sent`).
pub const ANY_ACTIVITY: &str = "$activity";
/// Matches every event of any type.
pub const ANY_EVENT: &str = "$any";

/// Events of one type (or [`ANY_ACTIVITY`] / [`ANY_EVENT`]) whose properties pass every condition.
///
/// ```json
/// {"event": "purchase", "where": [{"property": "coupon", "op": "exists"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFilter {
    pub event: String,
    #[serde(default, rename = "where", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PropertyCondition>,
}

impl EventFilter {
    /// Events of type `event` with no property conditions.
    pub fn of(event: &str) -> EventFilter {
        EventFilter {
            event: event.to_owned(),
            conditions: Vec::new(),
        }
    }

    /// Adds a property condition.
    pub fn with(mut self, property: &str, test: ValueTest) -> EventFilter {
        self.conditions.push(PropertyCondition {
            property: property.to_owned(),
            test,
        });
        self
    }
}

/// One condition on an event property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropertyCondition {
    pub property: String,
    #[serde(flatten)]
    pub test: ValueTest,
}

/// A literal in a filter: text, number or boolean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl Literal {
    fn equals(&self, value: &Scalar) -> bool {
        match (self, value) {
            (Literal::Bool(a), Scalar::Bool(b)) => a == b,
            (Literal::Number(a), Scalar::Number(b)) => a == b,
            (Literal::Text(a), Scalar::Text(b)) => a == b,
            _ => false,
        }
    }
}

/// A test on one value. A property an event lacks passes only `ne`, `not_in` and `not_exists`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ValueTest {
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
    /// Text containing `value` (case-insensitive).
    Contains {
        value: String,
    },
    StartsWith {
        value: String,
    },
    Exists,
    NotExists,
}

impl ValueTest {
    /// Whether a present value passes.
    pub fn accepts(&self, value: &Scalar) -> bool {
        let number = value.as_number();
        match self {
            ValueTest::Eq { value: v } => v.equals(value),
            ValueTest::Ne { value: v } => !v.equals(value),
            ValueTest::In { values } => values.iter().any(|v| v.equals(value)),
            ValueTest::NotIn { values } => !values.iter().any(|v| v.equals(value)),
            ValueTest::Gt { value: v } => number.is_some_and(|n| n > *v),
            ValueTest::Gte { value: v } => number.is_some_and(|n| n >= *v),
            ValueTest::Lt { value: v } => number.is_some_and(|n| n < *v),
            ValueTest::Lte { value: v } => number.is_some_and(|n| n <= *v),
            ValueTest::Contains { value: v } => value
                .as_text()
                .is_some_and(|t| t.to_lowercase().contains(&v.to_lowercase())),
            ValueTest::StartsWith { value: v } => value.as_text().is_some_and(|t| t.starts_with(v)),
            ValueTest::Exists => !matches!(value, Scalar::Null),
            ValueTest::NotExists => matches!(value, Scalar::Null),
        }
    }

    /// Whether a missing value passes.
    pub fn accepts_missing(&self) -> bool {
        matches!(
            self,
            ValueTest::Ne { .. } | ValueTest::NotIn { .. } | ValueTest::NotExists
        )
    }
}

/// An [`EventFilter`] compiled against one store.
#[derive(Debug, Clone)]
pub struct EventMatcher {
    /// Indexed by event type id.
    types: Vec<bool>,
    conditions: Vec<CompiledCondition>,
}

#[derive(Debug, Clone)]
struct CompiledCondition {
    /// `None` when no event has this property: then only "missing" counts.
    key: Option<PropKeyId>,
    /// Indexed by property value id: whether that value passes.
    accepts: Vec<bool>,
    accepts_missing: bool,
}

impl EventMatcher {
    /// Compiles `filter`. An event type or property the data never mentions matches nothing (or,
    /// for negative tests, everything) rather than failing: a segment about a future campaign is valid.
    pub fn new(store: &Store, filter: &EventFilter) -> EventMatcher {
        let types = store
            .event_types
            .names()
            .map(|name| match filter.event.as_str() {
                ANY_EVENT => true,
                ANY_ACTIVITY => !NON_ACTIVITY_TYPES.contains(&name),
                wanted => name == wanted,
            })
            .collect();
        let conditions = filter
            .conditions
            .iter()
            .map(|condition| {
                let key = store
                    .prop_keys
                    .get(&condition.property)
                    .map(|k| k as PropKeyId);
                let accepts = (0..store.prop_values.len() as u32)
                    .map(|id| condition.test.accepts(store.prop_values.value(id)))
                    .collect();
                CompiledCondition {
                    key,
                    accepts,
                    accepts_missing: condition.test.accepts_missing(),
                }
            })
            .collect();
        EventMatcher { types, conditions }
    }

    /// A matcher for events of one type name without conditions.
    pub fn of_type(store: &Store, event: &str) -> EventMatcher {
        EventMatcher::new(store, &EventFilter::of(event))
    }

    /// Whether event `e` of `store` passes.
    #[inline]
    pub fn matches(&self, store: &Store, e: usize) -> bool {
        let event_type = store.events.event_type[e] as usize;
        if !self.types.get(event_type).copied().unwrap_or(false) {
            return false;
        }
        self.conditions.is_empty() || self.conditions_pass(store, e)
    }

    /// Whether events of type `event_type` pass the type part of the filter (conditions aside).
    #[inline]
    pub fn matches_type(&self, event_type: EventTypeId) -> bool {
        self.types
            .get(event_type as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Whether the filter tests properties, so [`EventMatcher::matches_type`] alone cannot decide.
    pub fn has_conditions(&self) -> bool {
        !self.conditions.is_empty()
    }

    /// Whether no event type can match (an unknown type): callers may skip work.
    pub fn matches_nothing(&self) -> bool {
        !self.types.iter().any(|&t| t)
    }

    fn conditions_pass(&self, store: &Store, e: usize) -> bool {
        let props = store.events.props_of(e);
        self.conditions.iter().all(|condition| {
            let found = condition
                .key
                .and_then(|key| props.iter().find(|(k, _)| *k == key));
            match found {
                Some(&(_, value)) => condition
                    .accepts
                    .get(value as usize)
                    .copied()
                    .unwrap_or(false),
                None => condition.accepts_missing,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;

    fn store() -> Store {
        let customers = r#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00"}]"#;
        let events = r#"[
            {"customer_id":"a","type":"purchase","at":"2026-01-02T00:00:00+09:00","value":5000,"properties":{"coupon":"WELCOME","items":2}},
            {"customer_id":"a","type":"purchase","at":"2026-01-03T00:00:00+09:00","value":9000,"properties":{"items":5}},
            {"customer_id":"a","type":"message_sent","at":"2026-01-04T00:00:00+09:00","properties":{"channel":"sms"}}
        ]"#;
        Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid")
            .0
    }

    fn matching(store: &Store, filter: &EventFilter) -> Vec<usize> {
        let matcher = EventMatcher::new(store, filter);
        (0..store.events.len())
            .filter(|&e| matcher.matches(store, e))
            .collect()
    }

    #[test]
    fn types_activity_and_property_tests() {
        let s = store();
        assert_eq!(matching(&s, &EventFilter::of("purchase")), vec![0, 1]);
        assert_eq!(matching(&s, &EventFilter::of(ANY_ACTIVITY)), vec![0, 1]);
        assert_eq!(matching(&s, &EventFilter::of(ANY_EVENT)), vec![0, 1, 2]);
        assert!(matching(&s, &EventFilter::of("never")).is_empty());
        let coupon = EventFilter::of("purchase").with("coupon", ValueTest::Exists);
        assert_eq!(matching(&s, &coupon), vec![0]);
        let no_coupon = EventFilter::of("purchase").with("coupon", ValueTest::NotExists);
        assert_eq!(matching(&s, &no_coupon), vec![1]);
        let big = EventFilter::of("purchase").with("items", ValueTest::Gte { value: 3.0 });
        assert_eq!(matching(&s, &big), vec![1]);
        let not_welcome = EventFilter::of("purchase").with(
            "coupon",
            ValueTest::Ne {
                value: Literal::Text("WELCOME".into()),
            },
        );
        assert_eq!(matching(&s, &not_welcome), vec![1], "missing passes `ne`");
        let unknown_key = EventFilter::of(ANY_EVENT).with("nope", ValueTest::Exists);
        assert!(matching(&s, &unknown_key).is_empty());
    }

    #[test]
    fn filters_read_and_write_json() {
        let json = r#"{"event":"purchase","where":[{"property":"coupon","op":"in","values":["A",1,true]},{"property":"items","op":"gt","value":2}]}"#;
        let filter: EventFilter = serde_json::from_str(json).expect("valid");
        assert_eq!(
            filter.conditions[0].test,
            ValueTest::In {
                values: vec![
                    Literal::Text("A".into()),
                    Literal::Number(1.0),
                    Literal::Bool(true)
                ]
            }
        );
        let back: EventFilter =
            serde_json::from_str(&serde_json::to_string(&filter).expect("json")).expect("valid");
        assert_eq!(back, filter);
        assert!(serde_json::from_str::<EventFilter>(
            r#"{"event":"x","where":[{"property":"p","op":"gt","value":"a"}]}"#
        )
        .is_err());
    }
}
