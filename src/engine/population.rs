//! Sets and groups of customers: the "segment filter" and the "breakdown" every analysis accepts.
//!
//! Specs name them ([`Breakdown`]); the query entry point resolves them into plain customer sets
//! ([`CustomerSet`], [`Groups`]) before an analysis runs, so analyses never evaluate rules.

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

use super::segment_rule::Rule;
use super::store::{AttrValue, CustomerIx, Store};

/// A set of customers, one bit per [`CustomerIx`].
pub type CustomerSet = FixedBitSet;

/// Every customer of `store`.
pub fn everyone(store: &Store) -> CustomerSet {
    let mut set = FixedBitSet::with_capacity(store.customers.len());
    set.insert_range(..);
    set
}

/// Whether `customer` is in the optional population (no population means everyone).
#[inline]
pub fn includes(population: Option<&CustomerSet>, customer: CustomerIx) -> bool {
    population.is_none_or(|set| set.contains(customer as usize))
}

/// How to split the customers of an analysis into groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Breakdown {
    /// One group per value of a customer attribute (the `limit` most common, then "other").
    Attribute {
        attribute: String,
        #[serde(default = "default_group_limit")]
        limit: usize,
    },
    /// One group per segment; a customer may be in several.
    Segments { segments: Vec<NamedRule> },
}

fn default_group_limit() -> usize {
    10
}

/// A segment rule with a label, for breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedRule {
    pub label: String,
    pub rule: Rule,
}

/// Label of the group of customers without a value for the breakdown attribute.
pub const NO_VALUE_LABEL: &str = "(none)";
/// Label of the group collecting values beyond the limit.
pub const OTHER_LABEL: &str = "(other)";

/// Customers split into labelled groups (which may overlap for segment breakdowns).
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    pub labels: Vec<String>,
    pub members: Vec<CustomerSet>,
}

impl Groups {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The indices of the groups `customer` belongs to.
    pub fn of(&self, customer: CustomerIx) -> impl Iterator<Item = usize> + '_ {
        self.members
            .iter()
            .enumerate()
            .filter(move |(_, set)| set.contains(customer as usize))
            .map(|(i, _)| i)
    }
}

/// Groups customers by the value of `attribute`: the `limit` most common values (ties by name),
/// then [`OTHER_LABEL`] and [`NO_VALUE_LABEL`] when they have members. List attributes put a
/// customer in the group of each element. `None` if there is no such attribute.
pub fn groups_by_attribute(store: &Store, attribute: &str, limit: usize) -> Option<Groups> {
    let column = store.customers.attribute(attribute)?;
    let keys: Vec<Vec<String>> = column
        .values
        .iter()
        .map(|value| match value {
            AttrValue::Missing => Vec::new(),
            AttrValue::Text(t) => vec![t.clone()],
            AttrValue::Number(n) => vec![n.to_string()],
            AttrValue::Bool(b) => vec![b.to_string()],
            AttrValue::Date(d) => vec![chrono::DateTime::from_timestamp(*d, 0)
                .map(|t| t.date_naive().to_string())
                .unwrap_or_default()],
            AttrValue::Day(d) => vec![(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                .unwrap_or_default()
                + chrono::Duration::days(*d as i64))
            .to_string()],
            AttrValue::List(items) => items.clone(),
        })
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for key in keys.iter().flatten() {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kept: Vec<&str> = ranked.iter().take(limit).map(|(k, _)| *k).collect();
    let n = store.customers.len();
    let mut labels: Vec<String> = kept.iter().map(|k| (*k).to_owned()).collect();
    let mut members = vec![FixedBitSet::with_capacity(n); kept.len()];
    let mut other = FixedBitSet::with_capacity(n);
    let mut none = FixedBitSet::with_capacity(n);
    for (customer, values) in keys.iter().enumerate() {
        if values.is_empty() {
            none.insert(customer);
        }
        for value in values {
            match kept.iter().position(|k| k == value) {
                Some(group) => members[group].insert(customer),
                None => other.insert(customer),
            }
        }
    }
    for (label, set) in [(OTHER_LABEL, other), (NO_VALUE_LABEL, none)] {
        if !set.is_clear() {
            labels.push(label.to_owned());
            members.push(set);
        }
    }
    Some(Groups { labels, members })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_groups_rank_values_and_collect_the_rest() {
        let meta = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
            "attributes":[{"name":"plan","type":"text"},{"name":"tags","type":"list"}]}"#;
        let customers = r#"[
            {"id":"a","name":"A","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"pro","tags":["x","y"]}},
            {"id":"b","name":"B","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"pro"}},
            {"id":"c","name":"C","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"free","tags":["y"]}},
            {"id":"d","name":"D","created_at":"2026-01-01T00:00:00Z","attributes":{"plan":"team"}},
            {"id":"e","name":"E","created_at":"2026-01-01T00:00:00Z"}
        ]"#;
        let (store, _) =
            Store::from_json(meta.as_bytes(), customers.as_bytes(), b"[]").expect("valid");
        let groups = groups_by_attribute(&store, "plan", 2).expect("attribute");
        assert_eq!(groups.labels, ["pro", "free", OTHER_LABEL, NO_VALUE_LABEL]);
        let ones = |i: usize| groups.members[i].ones().collect::<Vec<_>>();
        assert_eq!(
            (ones(0), ones(1), ones(2), ones(3)),
            (vec![0, 1], vec![2], vec![3], vec![4])
        );
        let tags = groups_by_attribute(&store, "tags", 10).expect("attribute");
        assert_eq!(tags.labels, ["y", "x", NO_VALUE_LABEL]);
        assert_eq!(tags.of(0).collect::<Vec<_>>(), vec![0, 1]);
        assert!(groups_by_attribute(&store, "nope", 3).is_none());
        assert!(includes(None, 3));
        assert_eq!(everyone(&store).count_ones(..), 5);
    }
}
