//! The columnar store every analysis reads.
//!
//! Customers are rows of plain vectors. Events are columns ordered by (customer, time), so one
//! pass over a customer's slice answers most questions about that customer. Strings that repeat
//! (event types, property keys and values) are interned to small integers.

// FxHash: the keys are our own data, not attacker-chosen, and hashing is on the ingest hot path.
use rustc_hash::FxHashMap as HashMap;

use crate::model::{AttributeType, Consent, Meta};

/// Index of a customer in the store.
pub type CustomerIx = u32;
/// Interned event type.
pub type EventTypeId = u16;
/// Interned property key.
pub type PropKeyId = u16;
/// Interned property value.
pub type PropValueId = u32;

/// Maps strings to dense ids and back.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// The id of `name` if it was seen.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// The string behind `id`.
    pub fn name(&self, id: u32) -> &str {
        self.names
            .get(id as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// A scalar property value. Numbers keep their exact `f64`; text is stored once in the interner.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// A [`Scalar`] as a hash key: numbers by their bits, so `1` and `1.0` intern to one id. Built by
/// moving the value, so looking up a known value allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    Number(u64),
    Text(String),
}

impl From<Scalar> for ScalarKey {
    fn from(value: Scalar) -> Self {
        match value {
            Scalar::Null => ScalarKey::Null,
            Scalar::Bool(b) => ScalarKey::Bool(b),
            Scalar::Number(n) => ScalarKey::Number(n.to_bits()),
            Scalar::Text(s) => ScalarKey::Text(s),
        }
    }
}

impl ScalarKey {
    fn to_scalar(&self) -> Scalar {
        match self {
            ScalarKey::Null => Scalar::Null,
            ScalarKey::Bool(b) => Scalar::Bool(*b),
            ScalarKey::Number(bits) => Scalar::Number(f64::from_bits(*bits)),
            ScalarKey::Text(s) => Scalar::Text(s.clone()),
        }
    }
}

impl Scalar {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Interns property values of any scalar type.
#[derive(Debug, Clone, Default)]
pub struct ValueInterner {
    values: Vec<Scalar>,
    ids: HashMap<ScalarKey, PropValueId>,
}

impl ValueInterner {
    pub fn intern(&mut self, value: Scalar) -> PropValueId {
        let key = ScalarKey::from(value);
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.values.len() as PropValueId;
        self.values.push(key.to_scalar());
        self.ids.insert(key, id);
        id
    }

    /// The id of an existing value, for filters: a value never seen matches nothing.
    pub fn get(&self, value: &Scalar) -> Option<PropValueId> {
        self.ids.get(&ScalarKey::from(value.clone())).copied()
    }

    pub fn value(&self, id: PropValueId) -> &Scalar {
        static NULL: Scalar = Scalar::Null;
        self.values.get(id as usize).unwrap_or(&NULL)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A typed customer attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Missing,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An instant (an RFC 3339 timestamp), unix seconds.
    Date(i64),
    /// A calendar date without a time (`YYYY-MM-DD`), as days since 1970-01-01. Analyses read it
    /// as local midnight in the query's time zone, not the dataset's.
    Day(i32),
    List(Vec<String>),
}

/// One customer attribute across all customers.
#[derive(Debug, Clone)]
pub struct AttributeColumn {
    pub name: String,
    pub kind: AttributeType,
    pub values: Vec<AttrValue>,
    /// Text columns only: a dictionary code per customer ([`NO_TEXT`] when missing), so a
    /// test on a text attribute is decided once per distinct value and then read from a dense
    /// array rather than from one heap string per customer.
    pub text_codes: Vec<u32>,
    /// The distinct texts, indexed by code.
    pub text_values: Vec<String>,
}

/// The text code of a customer without a text value.
pub const NO_TEXT: u32 = u32::MAX;

impl AttributeColumn {
    pub fn new(name: String, kind: AttributeType, values: Vec<AttrValue>) -> AttributeColumn {
        let mut column = AttributeColumn {
            name,
            kind,
            values,
            text_codes: Vec::new(),
            text_values: Vec::new(),
        };
        column.index_text();
        column
    }

    /// Rebuilds the text dictionary after `values` changed (text columns only).
    pub fn index_text(&mut self) {
        self.text_codes.clear();
        self.text_values.clear();
        if self.kind != AttributeType::Text {
            return;
        }
        let mut codes: HashMap<&str, u32> = HashMap::default();
        let mut values = Vec::new();
        self.text_codes = self
            .values
            .iter()
            .map(|value| match value {
                AttrValue::Text(text) => *codes.entry(text.as_str()).or_insert_with(|| {
                    values.push(text.clone());
                    (values.len() - 1) as u32
                }),
                _ => NO_TEXT,
            })
            .collect();
        self.text_values = values;
    }
}

/// Customer rows, indexed by [`CustomerIx`].
#[derive(Debug, Clone, Default)]
pub struct Customers {
    pub ids: Vec<String>,
    pub names: Vec<String>,
    pub emails: Vec<Option<String>>,
    pub phones: Vec<Option<String>>,
    /// Signup time, unix seconds.
    pub created_at: Vec<i64>,
    pub consent: Vec<Consent>,
    pub attributes: Vec<AttributeColumn>,
    pub(crate) index: HashMap<String, CustomerIx>,
}

impl Customers {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of the customer with this id.
    pub fn find(&self, id: &str) -> Option<CustomerIx> {
        self.index.get(id).copied()
    }

    /// The name and email (empty when absent) of the customer with this id, for lists and
    /// exports; both empty for an unknown id.
    pub fn name_and_email(&self, id: &str) -> (&str, &str) {
        match self.find(id) {
            Some(ix) => (
                &self.names[ix as usize],
                self.emails[ix as usize].as_deref().unwrap_or(""),
            ),
            None => ("", ""),
        }
    }

    /// The column of the attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeColumn> {
        self.attributes.iter().find(|column| column.name == name)
    }
}

/// Marker for "this event has no value" in [`Events::value`].
pub const NO_VALUE: f64 = f64::NAN;

/// Event columns, ordered by customer, then time, then arrival.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// `customer_start[c]..customer_start[c + 1]` are customer `c`'s events.
    pub customer_start: Vec<u32>,
    /// Unix seconds.
    pub at: Vec<i64>,
    pub event_type: Vec<EventTypeId>,
    /// Revenue, or [`NO_VALUE`].
    pub value: Vec<f64>,
    /// `prop_start[e]..prop_start[e + 1]` index `props`.
    pub prop_start: Vec<u32>,
    pub props: Vec<(PropKeyId, PropValueId)>,
    /// Sorted hashes of the event ids seen, so re-sent events are recognised.
    pub(crate) id_hashes: Vec<u64>,
}

impl Events {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The event index range of one customer.
    pub fn of_customer(&self, customer: CustomerIx) -> std::ops::Range<usize> {
        let c = customer as usize;
        match (self.customer_start.get(c), self.customer_start.get(c + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        }
    }

    /// The properties of event `e`.
    pub fn props_of(&self, e: usize) -> &[(PropKeyId, PropValueId)] {
        let start = self.prop_start[e] as usize;
        let end = self.prop_start[e + 1] as usize;
        &self.props[start..end]
    }

    /// The value of event `e`, if it has one.
    pub fn value_of(&self, e: usize) -> Option<f64> {
        let v = self.value[e];
        (!v.is_nan()).then_some(v)
    }
}

/// Everything the engine knows about one dataset.
#[derive(Debug, Clone)]
pub struct Store {
    pub meta: Meta,
    pub customers: Customers,
    pub events: Events,
    pub event_types: Interner,
    pub prop_keys: Interner,
    pub prop_values: ValueInterner,
}

impl Store {
    /// The id of an event type, if any event or the meta declares it.
    pub fn event_type(&self, name: &str) -> Option<EventTypeId> {
        self.event_types.get(name).map(|id| id as EventTypeId)
    }

    /// Bytes held by the event columns, for the memory budget (bytes per event).
    pub fn event_bytes(&self) -> usize {
        use std::mem::size_of;
        let e = &self.events;
        e.customer_start.capacity() * size_of::<u32>()
            + e.at.capacity() * size_of::<i64>()
            + e.event_type.capacity() * size_of::<EventTypeId>()
            + e.value.capacity() * size_of::<f64>()
            + e.prop_start.capacity() * size_of::<u32>()
            + e.props.capacity() * size_of::<(PropKeyId, PropValueId)>()
            + e.id_hashes.capacity() * size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_intern_to_one_id_and_types_stay_apart() {
        let mut values = ValueInterner::default();
        let one = values.intern(Scalar::Number(1.0));
        assert_eq!(values.intern(Scalar::Number(1.0)), one);
        let text_one = values.intern(Scalar::Text("1".into()));
        assert_ne!(text_one, one, "the text \"1\" is not the number 1");
        assert_ne!(
            values.intern(Scalar::Bool(true)),
            values.intern(Scalar::Text("true".into()))
        );
        assert_eq!(values.get(&Scalar::Text("1".into())), Some(text_one));
        assert_eq!(values.get(&Scalar::Text("never".into())), None);
        assert_eq!(values.value(one), &Scalar::Number(1.0));
        assert_eq!(values.len(), 4);
    }

    #[test]
    fn names_and_emails_by_id() {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = r#"[{"id":"a","name":"김민준","email":"a@example.com","created_at":"2026-01-01T00:00:00Z"},
            {"id":"b","name":"B","created_at":"2026-01-01T00:00:00Z"}]"#;
        let (store, _) = Store::from_json(meta, customers.as_bytes(), b"[]").expect("valid");
        assert_eq!(
            store.customers.name_and_email("a"),
            ("김민준", "a@example.com")
        );
        assert_eq!(store.customers.name_and_email("b"), ("B", ""));
        assert_eq!(store.customers.name_and_email("zz"), ("", ""));
    }
}
