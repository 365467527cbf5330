//! What a rule builder can offer, read from the data: event types (with how often they occur),
//! the property keys of each event type with their observed values, customer attributes with
//! their types (built-ins first), and the values text attributes take, as suggestions.
//!
//! Pure and computed once per dataset; pickers only list what this returns.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::filter::Literal;
use super::segment_rule::{
    ATTR_CONSENT_PREFIX, ATTR_CREATED_AT, ATTR_EMAIL, ATTR_NAME, ATTR_PHONE,
};
use super::store::{AttrValue, Scalar, Store};
use crate::model::AttributeType;

/// The consent channels, as `$consent.<channel>` built-in attributes.
pub const CONSENT_CHANNELS: [&str; 4] = ["email", "sms", "push", "kakao"];

/// How many observed values per property (or text attribute) are kept, most frequent first.
pub const MAX_SUGGESTIONS: usize = 40;

/// Everything the pickers can offer for one dataset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    /// Event types, most frequent first.
    pub event_types: Vec<EventTypeEntry>,
    /// Built-in attributes first (signup date, name, email, phone, consent per channel), then the
    /// dataset's own attributes in `meta` order.
    pub attributes: Vec<AttributeEntry>,
}

/// One event type and the properties seen on it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTypeEntry {
    pub name: String,
    pub events: usize,
    /// Whether any event of this type carries a value (revenue).
    pub has_value: bool,
    /// Property keys, alphabetically.
    pub properties: Vec<PropertyEntry>,
}

/// A property key of one event type.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyEntry {
    pub key: String,
    /// The type most of its values have.
    pub kind: ValueKind,
    /// Observed values, most frequent first (at most [`MAX_SUGGESTIONS`]).
    pub values: Vec<Literal>,
}

/// The type of an event property's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Number,
    Bool,
}

/// One attribute a rule can test.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeEntry {
    /// As rules name it (`$created_at`, `$consent.email`, `tier` …).
    pub name: String,
    pub kind: AttributeType,
    /// A built-in (signup date, name, email, phone, consent) rather than a dataset attribute.
    pub builtin: bool,
    /// For text and list attributes: values seen, most frequent first (at most
    /// [`MAX_SUGGESTIONS`]). Empty for built-ins such as names, which are not worth suggesting.
    pub suggestions: Vec<String>,
}

impl Catalog {
    /// Reads the catalog from a store: one pass over the events.
    pub fn of(store: &Store) -> Catalog {
        Catalog {
            event_types: event_types(store),
            attributes: attributes(store),
        }
    }

    pub fn event_type(&self, name: &str) -> Option<&EventTypeEntry> {
        self.event_types.iter().find(|e| e.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&AttributeEntry> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The properties of `event` (for `$any` / `$activity`, of every type), alphabetically.
    pub fn properties_of(&self, event: &str) -> Vec<&PropertyEntry> {
        let mut out: Vec<&PropertyEntry> = match self.event_type(event) {
            Some(entry) => entry.properties.iter().collect(),
            None if event.starts_with('$') => {
                let mut seen = BTreeMap::new();
                for entry in &self.event_types {
                    for p in &entry.properties {
                        seen.entry(p.key.as_str()).or_insert(p);
                    }
                }
                seen.into_values().collect()
            }
            None => Vec::new(),
        };
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }
}

/// The type of a built-in attribute name, if it is one.
pub fn builtin_kind(name: &str) -> Option<AttributeType> {
    match name {
        ATTR_CREATED_AT => Some(AttributeType::Date),
        ATTR_NAME | ATTR_EMAIL | ATTR_PHONE => Some(AttributeType::Text),
        _ => name
            .strip_prefix(ATTR_CONSENT_PREFIX)
            .filter(|c| CONSENT_CHANNELS.contains(c))
            .map(|_| AttributeType::Bool),
    }
}

fn event_types(store: &Store) -> Vec<EventTypeEntry> {
    let n = store.event_types.len();
    let mut events = vec![0usize; n];
    let mut valued = vec![false; n];
    // (type, key) → value id → count
    let mut seen: HashMap<(u16, u16), HashMap<u32, usize>> = HashMap::default();
    let e = &store.events;
    for i in 0..e.len() {
        let t = e.event_type[i];
        events[t as usize] += 1;
        if !e.value[i].is_nan() {
            valued[t as usize] = true;
        }
        for &(key, value) in e.props_of(i) {
            *seen.entry((t, key)).or_default().entry(value).or_default() += 1;
        }
    }
    let mut per_type: Vec<Vec<PropertyEntry>> = vec![Vec::new(); n];
    for ((t, key), values) in seen {
        let mut counted: Vec<(u32, usize)> = values.into_iter().collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let (mut texts, mut numbers, mut bools) = (0, 0, 0);
        for &(v, count) in &counted {
            match store.prop_values.value(v) {
                Scalar::Text(_) => texts += count,
                Scalar::Number(_) => numbers += count,
                Scalar::Bool(_) => bools += count,
                Scalar::Null => {}
            }
        }
        let kind = if numbers > texts && numbers >= bools {
            ValueKind::Number
        } else if bools > texts {
            ValueKind::Bool
        } else {
            ValueKind::Text
        };
        let values = counted
            .iter()
            .filter_map(|&(v, _)| match store.prop_values.value(v) {
                Scalar::Text(s) => Some(Literal::Text(s.clone())),
                Scalar::Number(x) => Some(Literal::Number(*x)),
                Scalar::Bool(b) => Some(Literal::Bool(*b)),
                Scalar::Null => None,
            })
            .take(MAX_SUGGESTIONS)
            .collect();
        per_type[t as usize].push(PropertyEntry {
            key: store.prop_keys.name(key as u32).to_owned(),
            kind,
            values,
        });
    }
    let mut out: Vec<EventTypeEntry> = store
        .event_types
        .names()
        .enumerate()
        .map(|(t, name)| {
            let mut properties = std::mem::take(&mut per_type[t]);
            properties.sort_by(|a, b| a.key.cmp(&b.key));
            EventTypeEntry {
                name: name.to_owned(),
                events: events[t],
                has_value: valued[t],
                properties,
            }
        })
        .collect();
    // Types and properties declared in meta but never seen are still offered (they select no one).
    for declared in &store.meta.event_types {
        if let Some(entry) = out.iter_mut().find(|e| e.name == declared.name) {
            for key in &declared.properties {
                if !entry.properties.iter().any(|p| p.key == *key) {
                    entry.properties.push(PropertyEntry {
                        key: key.clone(),
                        kind: ValueKind::Text,
                        values: Vec::new(),
                    });
                }
            }
            entry.properties.sort_by(|a, b| a.key.cmp(&b.key));
            entry.has_value |= declared.has_value;
        } else {
            out.push(EventTypeEntry {
                name: declared.name.clone(),
                events: 0,
                has_value: declared.has_value,
                properties: declared
                    .properties
                    .iter()
                    .map(|key| PropertyEntry {
                        key: key.clone(),
                        kind: ValueKind::Text,
                        values: Vec::new(),
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    out
}

fn attributes(store: &Store) -> Vec<AttributeEntry> {
    let builtin = |name: String, kind| AttributeEntry {
        name,
        kind,
        builtin: true,
        suggestions: Vec::new(),
    };
    let mut out = vec![
        builtin(ATTR_CREATED_AT.to_owned(), AttributeType::Date),
        builtin(ATTR_NAME.to_owned(), AttributeType::Text),
        builtin(ATTR_EMAIL.to_owned(), AttributeType::Text),
        builtin(ATTR_PHONE.to_owned(), AttributeType::Text),
    ];
    for channel in CONSENT_CHANNELS {
        out.push(builtin(
            format!("{ATTR_CONSENT_PREFIX}{channel}"),
            AttributeType::Bool,
        ));
    }
    for column in &store.customers.attributes {
        let mut counts: HashMap<&str, usize> = HashMap::default();
        match column.kind {
            AttributeType::Text | AttributeType::List => {
                for value in &column.values {
                    match value {
                        AttrValue::Text(s) => *counts.entry(s.as_str()).or_default() += 1,
                        AttrValue::List(items) => {
                            for s in items {
                                *counts.entry(s.as_str()).or_default() += 1;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        let mut counted: Vec<(&str, usize)> = counts.into_iter().collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.push(AttributeEntry {
            name: column.name.clone(),
            kind: column.kind,
            builtin: false,
            suggestions: counted
                .into_iter()
                .take(MAX_SUGGESTIONS)
                .map(|(s, _)| s.to_owned())
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul",
            "event_types":[{"name":"purchase","properties":["coupon"],"has_value":true},{"name":"contract_end","properties":["plan"]}],
            "attributes":[{"name":"tier","type":"text"},{"name":"tags","type":"list"},{"name":"contract_end","type":"date"}]}"#;
        let customers = br#"[
            {"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00","attributes":{"tier":"gold","tags":["x","y"]}},
            {"id":"b","name":"B","created_at":"2026-01-01T00:00:00+09:00","attributes":{"tier":"gold","tags":["y"]}},
            {"id":"c","name":"C","created_at":"2026-01-01T00:00:00+09:00","attributes":{"tier":"silver"}}]"#;
        let events = br#"[
            {"customer_id":"a","type":"purchase","at":"2026-01-02T00:00:00+09:00","value":1000,"properties":{"coupon":"SPRING","items":2}},
            {"customer_id":"b","type":"purchase","at":"2026-01-03T00:00:00+09:00","value":500,"properties":{"coupon":"SPRING"}},
            {"customer_id":"b","type":"purchase","at":"2026-01-04T00:00:00+09:00","value":500,"properties":{"coupon":"VIP","items":1}},
            {"customer_id":"c","type":"visit","at":"2026-01-04T00:00:00+09:00","properties":{"source":"naver"}},
            {"customer_id":"a","type":"visit","at":"2026-01-05T00:00:00+09:00"},
            {"customer_id":"b","type":"visit","at":"2026-01-05T00:00:00+09:00"}]"#;
        Store::from_json(meta, customers, events).expect("store").0
    }

    #[test]
    fn event_types_properties_and_values_come_from_the_data() {
        let catalog = Catalog::of(&store());
        let names: Vec<&str> = catalog
            .event_types
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["purchase", "visit", "contract_end"]);
        let purchase = catalog.event_type("purchase").expect("purchase");
        assert!(purchase.has_value);
        assert_eq!(purchase.events, 3);
        let keys: Vec<&str> = purchase.properties.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["coupon", "items"]);
        assert_eq!(
            purchase.properties[0].values,
            [Literal::Text("SPRING".into()), Literal::Text("VIP".into())]
        );
        assert_eq!(purchase.properties[1].kind, ValueKind::Number);
        assert!(!catalog.event_type("visit").expect("visit").has_value);
        // Declared but never seen: offered, with its declared properties.
        assert_eq!(
            catalog.event_type("contract_end").expect("declared").events,
            0
        );
        let any: Vec<&str> = catalog
            .properties_of("$any")
            .iter()
            .map(|p| p.key.as_str())
            .collect();
        assert_eq!(any, ["coupon", "items", "plan", "source"]);
        assert!(catalog.properties_of("nothing").is_empty());
    }

    #[test]
    fn attributes_start_with_the_builtins_and_suggest_text_values() {
        let catalog = Catalog::of(&store());
        let names: Vec<&str> = catalog.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "$created_at",
                "$name",
                "$email",
                "$phone",
                "$consent.email",
                "$consent.sms",
                "$consent.push",
                "$consent.kakao",
                "tier",
                "tags",
                "contract_end"
            ]
        );
        let tier = catalog.attribute("tier").expect("tier");
        assert_eq!(tier.suggestions, ["gold", "silver"]);
        assert_eq!(
            catalog.attribute("tags").expect("tags").suggestions,
            ["y", "x"]
        );
        assert_eq!(
            catalog.attribute("contract_end").expect("date").kind,
            AttributeType::Date
        );
        assert_eq!(builtin_kind("$consent.kakao"), Some(AttributeType::Bool));
        assert_eq!(builtin_kind("$consent.fax"), None);
        assert_eq!(builtin_kind("$created_at"), Some(AttributeType::Date));
    }
}
