//! Wire types of the customer/event JSON format v1 (see `docs/data-format.md`).
//!
//! These are the shapes a backend sends and the demo dataset stores. The engine ingests the same
//! bytes directly into columns (`engine::store`); these types are used by the generator, the
//! sync layer and tests that need whole records.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Version of the data format described here.
pub const FORMAT_VERSION: u32 = 1;

/// A customer record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Signup time, RFC 3339.
    pub created_at: DateTime<FixedOffset>,
    /// Values are strings, numbers, booleans, null, or RFC 3339 dates (typed by `Meta::attributes`).
    #[serde(default)]
    pub attributes: BTreeMap<String, Value>,
    #[serde(default)]
    pub consent: Consent,
}

/// Marketing consent per channel. A missing channel means no consent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    #[serde(default)]
    pub email: bool,
    #[serde(default)]
    pub sms: bool,
    #[serde(default)]
    pub push: bool,
    #[serde(default)]
    pub kakao: bool,
}

/// One thing a customer did (or that happened to them, such as a message sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id; re-sending an event with the same id never counts it twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub customer_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// When it happened, RFC 3339.
    pub at: DateTime<FixedOffset>,
    /// Revenue in the dataset's currency (negative for refunds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Value>,
}

/// The type of a customer attribute, as declared in `Meta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    Text,
    Number,
    Bool,
    Date,
    List,
}

/// Declares one customer attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeMeta {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AttributeType,
}

/// Declares one event type and the property keys it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTypeMeta {
    pub name: String,
    #[serde(default)]
    pub properties: Vec<String>,
    /// Whether events of this type carry a `value` (revenue).
    #[serde(default)]
    pub has_value: bool,
}

/// Describes a dataset: what currency and time zone it is in and what it contains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Format version, `1`.
    pub v: u32,
    /// ISO 4217 code, e.g. `KRW`.
    pub currency: String,
    /// IANA time zone the business reports in, e.g. `Asia/Seoul`.
    pub time_zone: String,
    /// For a snapshot (like the demo), the instant it was taken: analyses use it as "now".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<DateTime<FixedOffset>>,
    pub event_types: Vec<EventTypeMeta>,
    pub attributes: Vec<AttributeMeta>,
    /// What a backend supports beyond the required reads (absent in the demo files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
}

impl Meta {
    /// Each event type's property names, by event type (what event filter pickers offer).
    pub fn event_properties(&self) -> BTreeMap<String, Vec<String>> {
        self.event_types
            .iter()
            .map(|e| (e.name.clone(), e.properties.clone()))
            .collect()
    }

    /// The event type names, in the data's order.
    pub fn event_names(&self) -> Vec<String> {
        self.event_types.iter().map(|e| e.name.clone()).collect()
    }
}

/// What a backend implements beyond `GET /meta`, `/customers` and `/events` (contract v1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// `GET /customers` and `/events` accept `since` (incremental refresh).
    #[serde(default)]
    pub since: bool,
    /// `/segments` is implemented (saved segment definitions).
    #[serde(default)]
    pub segments: bool,
    /// `/journeys` is implemented (saved journey definitions).
    #[serde(default)]
    pub journeys: bool,
    /// The largest `limit` the backend honours on paged lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u32>,
}

/// One page of a paged list, as the backend contract and the demo files return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// The backend's clock when the listing started: the `since` of the next incremental refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time: Option<DateTime<FixedOffset>>,
}

/// Which kind of saved definition: `/segments` or `/journeys`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionKind {
    Segment,
    Journey,
}

impl DefinitionKind {
    /// The collection path of the contract, without a leading slash.
    pub fn collection(self) -> &'static str {
        match self {
            DefinitionKind::Segment => "segments",
            DefinitionKind::Journey => "journeys",
        }
    }
}

/// A saved segment or journey as the backend returns it (`GET /segments/{id}`). Its strong
/// `ETag` header is opaque to the client and changes with every `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDefinition {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Who created it, as the backend knows them (`null` in demo mode).
    #[serde(default)]
    pub owner: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// Starts at 1 and grows by one with every successful update.
    pub version: u64,
    /// A segment rule (`engine::segment_rule::Rule`) or a journey (`engine::journey`), as JSON.
    pub definition: Value,
}

/// The body of `POST /segments` and `PUT /segments/{id}` (and the same for journeys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinitionInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub definition: Value,
}

/// An error answer, RFC 9457 `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when absent).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Validation errors, one per bad field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One bad field of a request body: where (a JSON Pointer, RFC 6901) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub pointer: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_round_trips_with_type_renamed() {
        let json = r#"{"customer_id":"c1","type":"purchase","at":"2026-03-01T10:00:00+09:00","value":39000,"properties":{"coupon":"WELCOME10"}}"#;
        let event: Event = serde_json::from_str(json).expect("valid event");
        assert_eq!(event.event_type, "purchase");
        assert_eq!(event.value, Some(39000.0));
        let back = serde_json::to_string(&event).expect("serialises");
        assert!(back.contains(r#""type":"purchase""#));
    }

    #[test]
    fn missing_consent_channels_mean_no_consent() {
        let json = r#"{"id":"c1","name":"김민준","created_at":"2026-01-01T00:00:00+09:00","consent":{"email":true}}"#;
        let customer: Customer = serde_json::from_str(json).expect("valid customer");
        assert!(customer.consent.email);
        assert!(!customer.consent.sms && !customer.consent.kakao);
        assert!(customer.attributes.is_empty());
    }

    #[test]
    fn wrong_field_type_is_an_error_naming_the_field() {
        let json = r#"{"customer_id":"c1","type":"visit","at":12}"#;
        let err = serde_json::from_str::<Event>(json).expect_err("`at` must be a string");
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
