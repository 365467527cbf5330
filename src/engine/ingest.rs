//! Builds a [`Store`] from v1 JSON bytes (see `docs/data-format.md`).
//!
//! Events stream from the bytes into columns through serde visitors: no JSON tree is built per
//! event. Customers are few, so they go through the `model` types. Every error names the record
//! and field it is about (`events[1042].at: invalid RFC 3339 timestamp`).

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::store::{
    AttrValue, AttributeColumn, CustomerIx, Customers, EventTypeId, Events, Interner, PropKeyId,
    PropValueId, Scalar, Store, ValueInterner, NO_VALUE,
};
use super::time::{parse_timestamp, Zone};
use crate::model::{AttributeMeta, AttributeType, Customer, Meta};

/// Bad input, naming where it is: `path` is like `events[1042].at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for IngestError {}

/// What an ingest did, for the data-source status line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub customers: usize,
    pub events_added: usize,
    /// Events whose `id` was already in the store (re-sent pages, retries).
    pub duplicates_skipped: usize,
    /// Events whose `customer_id` names no known customer.
    pub unknown_customer_skipped: usize,
}

/// Turns a path-tracked serde error into an [`IngestError`] under the `root` name. Both a bare
/// array and a `{"data": [...]}` page are accepted, so `data[3]` is reported as `root[3]`.
fn path_error(root: &str, err: serde_path_to_error::Error<serde_json::Error>) -> IngestError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let path = match path.as_str() {
        "." | "" => root.to_owned(),
        p if p.starts_with("data") => format!("{root}{}", &p["data".len()..]),
        p if p.starts_with('[') => format!("{root}{p}"),
        p => format!("{root}.{p}"),
    };
    // serde_json appends " at line L column C"; keep it: it helps find the byte in a large file.
    IngestError {
        path,
        message: inner.to_string(),
    }
}

fn parse_with_path<'de, T: Deserialize<'de>>(
    root: &str,
    bytes: &'de [u8],
) -> Result<T, IngestError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| path_error(root, e))?;
    de.end().map_err(|e| IngestError {
        path: root.to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Reads the `meta` document.
pub fn parse_meta(bytes: &[u8]) -> Result<Meta, IngestError> {
    let meta: Meta = parse_with_path("meta", bytes)?;
    Zone::parse(&meta.time_zone).map_err(|message| IngestError {
        path: "meta.time_zone".into(),
        message,
    })?;
    Ok(meta)
}

/// Reads customer records.
pub fn parse_customers(bytes: &[u8]) -> Result<Vec<Customer>, IngestError> {
    parse_customer_page(bytes).map(|(customers, _)| customers)
}

/// Reads customer records from a bare array or a page, with the page's `next_cursor`.
pub fn parse_customer_page(bytes: &[u8]) -> Result<(Vec<Customer>, Option<String>), IngestError> {
    #[derive(Deserialize)]
    struct PageOf {
        data: Vec<Customer>,
        #[serde(default)]
        next_cursor: Option<String>,
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        parse_with_path::<Vec<Customer>>("customers", bytes).map(|list| (list, None))
    } else {
        parse_with_path::<PageOf>("customers", bytes).map(|page| (page.data, page.next_cursor))
    }
}

impl Store {
    /// Builds a store from the three v1 documents.
    pub fn from_json(
        meta: &[u8],
        customers: &[u8],
        events: &[u8],
    ) -> Result<(Store, IngestReport), IngestError> {
        let meta = parse_meta(meta)?;
        let mut store = Store::empty(meta);
        let customers = parse_customers(customers)?;
        let mut report = IngestReport {
            customers: store.upsert_customers(customers)?,
            ..IngestReport::default()
        };
        let events = store.append_events(events)?;
        report.events_added = events.events_added;
        report.duplicates_skipped = events.duplicates_skipped;
        report.unknown_customer_skipped = events.unknown_customer_skipped;
        Ok((store, report))
    }

    /// A store with no customers or events yet.
    pub fn empty(meta: Meta) -> Store {
        let mut event_types = Interner::default();
        for declared in &meta.event_types {
            event_types.intern(&declared.name);
        }
        let customers = Customers {
            attributes: meta
                .attributes
                .iter()
                .map(|a| AttributeColumn::new(a.name.clone(), a.kind, Vec::new()))
                .collect(),
            ..Customers::default()
        };
        Store {
            meta,
            customers,
            events: Events {
                customer_start: vec![0],
                prop_start: vec![0],
                ..Events::default()
            },
            event_types,
            prop_keys: Interner::default(),
            prop_values: ValueInterner::default(),
        }
    }

    /// Adds new customers and replaces known ones (same `id`). Returns how many were given.
    pub fn upsert_customers(&mut self, records: Vec<Customer>) -> Result<usize, IngestError> {
        let given = records.len();
        let before = self.customers.len();
        for (i, record) in records.into_iter().enumerate() {
            let ix = match self.customers.find(&record.id) {
                Some(ix) => ix as usize,
                None => {
                    let ix = self.customers.len();
                    self.customers
                        .index
                        .insert(record.id.clone(), ix as CustomerIx);
                    push_empty_customer(&mut self.customers);
                    ix
                }
            };
            let c = &mut self.customers;
            c.ids[ix] = record.id;
            c.names[ix] = record.name;
            c.emails[ix] = record.email;
            c.phones[ix] = record.phone;
            c.created_at[ix] = record.created_at.timestamp();
            c.consent[ix] = record.consent;
            for column in &mut c.attributes {
                column.values[ix] = AttrValue::Missing;
            }
            for (name, value) in record.attributes {
                let column_ix = match c.attributes.iter().position(|col| col.name == name) {
                    Some(pos) => pos,
                    None => {
                        // Undeclared attributes are kept with the type their first value shows.
                        let Some(kind) = infer_attribute_type(&value) else {
                            continue;
                        };
                        self.meta.attributes.push(AttributeMeta {
                            name: name.clone(),
                            kind,
                        });
                        c.attributes.push(AttributeColumn::new(
                            name.clone(),
                            kind,
                            vec![AttrValue::Missing; c.ids.len()],
                        ));
                        c.attributes.len() - 1
                    }
                };
                let column = &mut c.attributes[column_ix];
                column.values[ix] =
                    attribute_value(column.kind, &value).map_err(|message| IngestError {
                        path: format!("customers[{i}].attributes.{name}"),
                        message,
                    })?;
            }
        }
        for column in &mut self.customers.attributes {
            column.index_text();
        }
        // New customers have no events yet: extend the per-customer offsets.
        let total = self.events.len() as u32;
        for _ in before..self.customers.len() {
            self.events.customer_start.push(total);
        }
        Ok(given)
    }

    /// Adds events from v1 JSON bytes (array or page). Events already present (same `id`) are
    /// skipped, so re-sent pages never double-count; events may arrive in any order.
    pub fn append_events(&mut self, bytes: &[u8]) -> Result<IngestReport, IngestError> {
        self.append_event_pages(&[bytes]).map(|(report, _)| report)
    }

    /// Adds several pages of events with one re-sort. Returns the last page's `next_cursor`.
    pub fn append_event_pages(
        &mut self,
        pages: &[&[u8]],
    ) -> Result<(IngestReport, Option<String>), IngestError> {
        let mut staging = Staging {
            customers: &self.customers.index,
            event_types: &mut self.event_types,
            prop_keys: &mut self.prop_keys,
            prop_values: &mut self.prop_values,
            rows: Vec::new(),
            props: Vec::new(),
            unknown_customers: 0,
            next_cursor: None,
        };
        for bytes in pages {
            staging.next_cursor = None;
            let mut de = serde_json::Deserializer::from_slice(bytes);
            // Tracking the JSON path of every value costs more than parsing it: read without,
            // and only on an error read the page again, tracked, to say where it is.
            if let Err(err) = RecordsSeed(&mut staging).deserialize(&mut de) {
                return Err(locate_event_error(bytes, &staging, err));
            }
            de.end().map_err(|e| IngestError {
                path: "events".into(),
                message: e.to_string(),
            })?;
        }
        let Staging {
            rows,
            props,
            unknown_customers,
            next_cursor,
            ..
        } = staging;
        let given = rows.len();
        let added = merge_events(&mut self.events, rows, props, self.customers.len());
        let report = IngestReport {
            customers: 0,
            events_added: added,
            duplicates_skipped: given - added,
            unknown_customer_skipped: unknown_customers,
        };
        Ok((report, next_cursor))
    }
}

fn push_empty_customer(c: &mut Customers) {
    c.ids.push(String::new());
    c.names.push(String::new());
    c.emails.push(None);
    c.phones.push(None);
    c.created_at.push(0);
    c.consent.push(Default::default());
    for column in &mut c.attributes {
        column.values.push(AttrValue::Missing);
    }
}

fn infer_attribute_type(value: &Value) -> Option<AttributeType> {
    match value {
        Value::Bool(_) => Some(AttributeType::Bool),
        Value::Number(_) => Some(AttributeType::Number),
        Value::String(s) if parse_timestamp(s).is_some() => Some(AttributeType::Date),
        Value::String(_) => Some(AttributeType::Text),
        Value::Array(_) => Some(AttributeType::List),
        Value::Null | Value::Object(_) => None,
    }
}

fn attribute_value(kind: AttributeType, value: &Value) -> Result<AttrValue, String> {
    if value.is_null() {
        return Ok(AttrValue::Missing);
    }
    let wrong = |expected: &str| format!("expected {expected}, found {value}");
    Ok(match kind {
        AttributeType::Text => match value {
            Value::String(s) => AttrValue::Text(s.clone()),
            Value::Number(n) => AttrValue::Text(n.to_string()),
            _ => return Err(wrong("text")),
        },
        AttributeType::Number => {
            AttrValue::Number(value.as_f64().ok_or_else(|| wrong("a number"))?)
        }
        AttributeType::Bool => {
            AttrValue::Bool(value.as_bool().ok_or_else(|| wrong("true or false"))?)
        }
        AttributeType::Date => {
            let text = value.as_str().ok_or_else(|| wrong("an RFC 3339 date"))?;
            match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => {
                    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                    AttrValue::Day((date - epoch).num_days() as i32)
                }
                Err(_) => {
                    AttrValue::Date(parse_timestamp(text).ok_or_else(|| wrong("an RFC 3339 date"))?)
                }
            }
        }
        AttributeType::List => match value {
            Value::Array(items) => AttrValue::List(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
            ),
            Value::String(s) => AttrValue::List(vec![s.clone()]),
            _ => return Err(wrong("a list")),
        },
    })
}

/// An event read from JSON, waiting to be placed in the columns.
#[derive(Debug, Clone, Copy)]
struct StagedEvent {
    customer: CustomerIx,
    at: i64,
    event_type: EventTypeId,
    value: f64,
    props_start: u32,
    props_len: u32,
    /// 0 when the event has no id.
    id_hash: u64,
}

struct Staging<'a> {
    customers: &'a HashMap<String, CustomerIx>,
    event_types: &'a mut Interner,
    prop_keys: &'a mut Interner,
    prop_values: &'a mut ValueInterner,
    rows: Vec<StagedEvent>,
    props: Vec<(PropKeyId, PropValueId)>,
    unknown_customers: usize,
    next_cursor: Option<String>,
}

/// The error of an events page with its path (`events[1042].at`), found by reading the page
/// again with path tracking into throwaway copies of the interners.
fn locate_event_error(
    bytes: &[u8],
    staging: &Staging<'_>,
    plain: serde_json::Error,
) -> IngestError {
    let (mut types, mut keys, mut values) = (
        staging.event_types.clone(),
        staging.prop_keys.clone(),
        staging.prop_values.clone(),
    );
    let mut scratch = Staging {
        customers: staging.customers,
        event_types: &mut types,
        prop_keys: &mut keys,
        prop_values: &mut values,
        rows: Vec::new(),
        props: Vec::new(),
        unknown_customers: 0,
        next_cursor: None,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    match RecordsSeed(&mut scratch).deserialize(tracked) {
        Err(err) => path_error("events", serde_path_to_error::Error::new(track.path(), err)),
        Ok(()) => IngestError {
            path: "events".into(),
            message: plain.to_string(),
        },
    }
}

fn hash_id(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    // 0 means "no id".
    hasher.finish().max(1)
}

/// Places staged events into the columns, skipping ids already present. Returns how many were added.
fn merge_events(
    events: &mut Events,
    mut rows: Vec<StagedEvent>,
    props: Vec<(PropKeyId, PropValueId)>,
    customers: usize,
) -> usize {
    // Drop re-sent events: first those already stored, then repeats within this batch.
    let mut seen_in_batch: std::collections::HashSet<u64> = std::collections::HashSet::new();
    rows.retain(|row| {
        row.id_hash == 0
            || (events.id_hashes.binary_search(&row.id_hash).is_err()
                && seen_in_batch.insert(row.id_hash))
    });
    let added = rows.len();
    if added == 0 {
        return 0;
    }
    // Existing events become staged rows again (their props move to the end of one arena).
    let mut arena: Vec<(PropKeyId, PropValueId)> =
        Vec::with_capacity(events.props.len() + props.len());
    let mut all: Vec<StagedEvent> = Vec::with_capacity(events.len() + rows.len());
    for customer in 0..customers.min(events.customer_start.len().saturating_sub(1)) {
        for e in events.of_customer(customer as CustomerIx) {
            let p = events.props_of(e);
            all.push(StagedEvent {
                customer: customer as CustomerIx,
                at: events.at[e],
                event_type: events.event_type[e],
                value: events.value[e],
                props_start: arena.len() as u32,
                props_len: p.len() as u32,
                id_hash: 0,
            });
            arena.extend_from_slice(p);
        }
    }
    let offset = arena.len() as u32;
    arena.extend_from_slice(&props);
    for row in &rows {
        all.push(StagedEvent {
            props_start: row.props_start + offset,
            ..*row
        });
        if row.id_hash != 0 {
            events.id_hashes.push(row.id_hash);
        }
    }
    events.id_hashes.sort_unstable();
    // Stable: events at the same second keep their arrival order.
    all.sort_by_key(|row| (row.customer, row.at));

    let n = all.len();
    let mut columns = Events {
        customer_start: Vec::with_capacity(customers + 1),
        at: Vec::with_capacity(n),
        event_type: Vec::with_capacity(n),
        value: Vec::with_capacity(n),
        prop_start: Vec::with_capacity(n + 1),
        props: Vec::with_capacity(arena.len()),
        id_hashes: std::mem::take(&mut events.id_hashes),
    };
    columns.prop_start.push(0);
    let mut next = 0usize;
    for customer in 0..customers {
        columns.customer_start.push(next as u32);
        while next < n && all[next].customer as usize == customer {
            let row = &all[next];
            columns.at.push(row.at);
            columns.event_type.push(row.event_type);
            columns.value.push(row.value);
            let start = row.props_start as usize;
            columns
                .props
                .extend_from_slice(&arena[start..start + row.props_len as usize]);
            columns.prop_start.push(columns.props.len() as u32);
            next += 1;
        }
    }
    columns.customer_start.push(next as u32);
    *events = columns;
    added
}

/// A string that borrows from the input when it can.
struct CowStr<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An RFC 3339 timestamp as unix seconds; a bad one fails at its own field.
struct Timestamp(i64);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let CowStr(text) = CowStr::deserialize(d)?;
        parse_timestamp(&text)
            .map(Timestamp)
            .ok_or_else(|| de::Error::custom(format!("invalid RFC 3339 timestamp {text:?}")))
    }
}

/// The records container: a bare array or a page object with `data`.
struct RecordsSeed<'s, 'a>(&'s mut Staging<'a>);

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of events or a page {\"data\": [...]}")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(EventSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_data = false;
        while let Some(CowStr(key)) = map.next_key::<CowStr>()? {
            if key == "data" {
                map.next_value_seed(DataSeed(&mut *self.0))?;
                saw_data = true;
            } else if key == "next_cursor" {
                self.0.next_cursor = map.next_value::<Option<String>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if saw_data {
            Ok(())
        } else {
            Err(de::Error::missing_field("data"))
        }
    }
}

/// The `data` array of a page.
struct DataSeed<'s, 'a>(&'s mut Staging<'a>);

impl<'de> DeserializeSeed<'de> for DataSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(RecordsSeed(self.0))
    }
}

/// One event object, written straight into the staging columns.
struct EventSeed<'s, 'a>(&'s mut Staging<'a>);

impl<'de> DeserializeSeed<'de> for EventSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EventSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let staging = self.0;
        let props_start = staging.props.len();
        let mut customer: Option<Cow<'de, str>> = None;
        let mut event_type: Option<Cow<'de, str>> = None;
        let mut at: Option<i64> = None;
        let mut value = NO_VALUE;
        let mut id_hash = 0;
        while let Some(CowStr(key)) = map.next_key::<CowStr>()? {
            match key.as_ref() {
                "customer_id" => customer = Some(map.next_value::<CowStr>()?.0),
                "type" => event_type = Some(map.next_value::<CowStr>()?.0),
                "at" => at = Some(map.next_value::<Timestamp>()?.0),
                "value" => {
                    if let Some(v) = map.next_value::<Option<f64>>()? {
                        if !v.is_finite() {
                            return Err(de::Error::custom("value must be a finite number"));
                        }
                        value = v;
                    }
                }
                "id" => {
                    if let Some(CowStr(id)) = map.next_value::<Option<CowStr>>()? {
                        id_hash = hash_id(&id);
                    }
                }
                "properties" => map.next_value_seed(PropsSeed(&mut *staging))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let customer = customer.ok_or_else(|| de::Error::missing_field("customer_id"))?;
        let event_type = event_type.ok_or_else(|| de::Error::missing_field("type"))?;
        let at = at.ok_or_else(|| de::Error::missing_field("at"))?;
        let Some(&customer) = staging.customers.get(customer.as_ref()) else {
            staging.unknown_customers += 1;
            staging.props.truncate(props_start);
            return Ok(());
        };
        let event_type = staging.event_types.intern(&event_type);
        if event_type > EventTypeId::MAX as u32 {
            return Err(de::Error::custom("too many distinct event types"));
        }
        staging.rows.push(StagedEvent {
            customer,
            at,
            event_type: event_type as EventTypeId,
            value,
            props_start: props_start as u32,
            props_len: (staging.props.len() - props_start) as u32,
            id_hash,
        });
        Ok(())
    }
}

/// The `properties` object of an event.
struct PropsSeed<'s, 'a>(&'s mut Staging<'a>);

impl<'de> DeserializeSeed<'de> for PropsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of properties")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(CowStr(key)) = map.next_key::<CowStr>()? {
            let scalar = map.next_value::<ScalarValue>()?.0;
            let key = self.0.prop_keys.intern(&key);
            if key > PropKeyId::MAX as u32 {
                return Err(de::Error::custom("too many distinct property keys"));
            }
            let value = self.0.prop_values.intern(scalar);
            self.0.props.push((key as PropKeyId, value));
        }
        Ok(())
    }
}

/// A property value; nested arrays and objects are kept as their JSON text.
struct ScalarValue(Scalar);

impl<'de> Deserialize<'de> for ScalarValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(ScalarValue(match value {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(b),
            Value::Number(n) => Scalar::Number(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => Scalar::Text(s),
            nested => Scalar::Text(nested.to_string()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[{"name":"visit"},{"name":"purchase","has_value":true}],"attributes":[{"name":"plan","type":"text"},{"name":"contract_end","type":"date"}]}"#;
    const CUSTOMERS: &str = r#"{"data":[
        {"id":"c1","name":"김민준","created_at":"2026-01-01T09:00:00+09:00","attributes":{"plan":"pro","contract_end":"2026-12-31"}},
        {"id":"c2","name":"이서연","created_at":"2026-01-02T09:00:00+09:00","consent":{"email":true}}
    ],"next_cursor":null}"#;
    const EVENTS: &str = r#"[
        {"id":"e3","customer_id":"c1","type":"purchase","at":"2026-01-05T10:00:00+09:00","value":39000,"properties":{"coupon":"WELCOME","n":2}},
        {"id":"e1","customer_id":"c1","type":"visit","at":"2026-01-03T10:00:00+09:00"},
        {"id":"e2","customer_id":"c2","type":"visit","at":"2026-01-04T10:00:00Z","extra":{"ignored":[1,2]}}
    ]"#;

    fn store() -> Store {
        Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), EVENTS.as_bytes())
            .expect("valid")
            .0
    }

    #[test]
    fn events_are_ordered_per_customer_and_time() {
        let s = store();
        assert_eq!(s.customers.len(), 2);
        assert_eq!(s.events.len(), 3);
        let c1 = s.customers.find("c1").expect("c1");
        let range = s.events.of_customer(c1);
        assert_eq!(range.len(), 2);
        let types: Vec<&str> = range
            .clone()
            .map(|e| s.event_types.name(s.events.event_type[e] as u32))
            .collect();
        assert_eq!(types, ["visit", "purchase"]);
        let purchase = range.end - 1;
        assert_eq!(s.events.value_of(purchase), Some(39000.0));
        let props = s.events.props_of(purchase);
        assert_eq!(props.len(), 2);
        let coupon = s.prop_keys.get("coupon").expect("key") as PropKeyId;
        let (_, v) = props
            .iter()
            .find(|(k, _)| *k == coupon)
            .expect("coupon prop");
        assert_eq!(s.prop_values.value(*v).as_text(), Some("WELCOME"));
        assert_eq!(s.events.value_of(range.start), None);
    }

    #[test]
    fn attributes_are_typed_by_meta() {
        let s = store();
        let end = s.customers.attribute("contract_end").expect("declared");
        assert!(matches!(end.values[0], AttrValue::Day(_)));
        assert_eq!(end.values[1], AttrValue::Missing);
        assert!(s.customers.consent[1].email);
    }

    #[test]
    fn resending_the_same_events_does_not_double_count() {
        let mut s = store();
        let report = s.append_events(EVENTS.as_bytes()).expect("valid");
        assert_eq!(report.events_added, 0);
        assert_eq!(report.duplicates_skipped, 3);
        assert_eq!(s.events.len(), 3);
    }

    #[test]
    fn pages_ingest_together_and_report_the_cursor() {
        let mut s = store();
        let page1 = r#"{"data":[{"id":"p1","customer_id":"c2","type":"visit","at":"2026-02-01T00:00:00+09:00"}],"next_cursor":"abc"}"#;
        let page2 = r#"{"next_cursor":null,"data":[{"id":"p2","customer_id":"c2","type":"visit","at":"2026-01-20T00:00:00+09:00"}]}"#;
        let (report, cursor) = s.append_event_pages(&[page1.as_bytes()]).expect("valid");
        assert_eq!((report.events_added, cursor.as_deref()), (1, Some("abc")));
        let (_, cursor) = s.append_event_pages(&[page2.as_bytes()]).expect("valid");
        assert_eq!(cursor, None);
        let (customers, cursor) = parse_customer_page(CUSTOMERS.as_bytes()).expect("valid");
        assert_eq!((customers.len(), cursor), (2, None));
        let c2 = s.customers.find("c2").expect("c2");
        assert_eq!(s.events.of_customer(c2).len(), 3);
    }

    #[test]
    fn newer_events_append_in_order() {
        let mut s = store();
        let more = r#"{"data":[{"id":"e4","customer_id":"c1","type":"visit","at":"2026-01-04T00:00:00+09:00"},{"id":"e4","customer_id":"c1","type":"visit","at":"2026-01-04T00:00:00+09:00"}]}"#;
        let report = s.append_events(more.as_bytes()).expect("valid");
        assert_eq!(
            report.events_added, 1,
            "a repeat within the batch counts once"
        );
        let c1 = s.customers.find("c1").expect("c1");
        let times: Vec<i64> = s.events.of_customer(c1).map(|e| s.events.at[e]).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(times.len(), 3);
        // Props of moved events survive the rebuild.
        let last = s.events.of_customer(c1).end - 1;
        assert_eq!(s.events.props_of(last).len(), 2);
    }

    #[test]
    fn bad_timestamp_names_record_and_field() {
        let meta = META.as_bytes();
        let bad = r#"{"data":[{"customer_id":"c1","type":"visit","at":"2026-01-03T10:00:00+09:00"},{"customer_id":"c1","type":"visit","at":"yesterday"}]}"#;
        let err = Store::from_json(meta, CUSTOMERS.as_bytes(), bad.as_bytes()).expect_err("bad at");
        assert_eq!(err.path, "events[1].at", "{err}");
        assert!(
            err.to_string()
                .starts_with("events[1].at: invalid RFC 3339 timestamp"),
            "{err}"
        );
    }

    #[test]
    fn wrong_field_type_names_record_and_field() {
        let bad = r#"[{"customer_id":"c1","type":"purchase","at":"2026-01-03T10:00:00+09:00","value":"lots"}]"#;
        let err = Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), bad.as_bytes())
            .expect_err("bad value");
        assert_eq!(err.path, "events[0].value", "{err}");
        let bad_customer = r#"[{"id":"c9","name":"x","created_at":12}]"#;
        let err = Store::from_json(META.as_bytes(), bad_customer.as_bytes(), b"[]")
            .expect_err("bad created_at");
        assert_eq!(err.path, "customers[0].created_at", "{err}");
        let bad_attr = r#"[{"id":"c9","name":"x","created_at":"2026-01-01T00:00:00Z","attributes":{"contract_end":"soon"}}]"#;
        let err =
            Store::from_json(META.as_bytes(), bad_attr.as_bytes(), b"[]").expect_err("bad date");
        assert_eq!(err.path, "customers[0].attributes.contract_end", "{err}");
    }

    #[test]
    fn unknown_customers_are_counted_not_fatal() {
        let events = r#"[{"customer_id":"nobody","type":"visit","at":"2026-01-03T10:00:00+09:00","properties":{"a":1}}]"#;
        let (s, report) =
            Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), events.as_bytes()).expect("ok");
        assert_eq!(report.unknown_customer_skipped, 1);
        assert_eq!(s.events.len(), 0);
        assert!(s.events.props.is_empty());
    }

    #[test]
    fn malformed_and_truncated_input_is_an_error() {
        for bad in [
            "",
            "{",
            "[{\"customer_id\":",
            "nul",
            "{\"data\":3}",
            "[1,2]",
            "{\"next_cursor\":null}",
        ] {
            let result = Store::from_json(META.as_bytes(), CUSTOMERS.as_bytes(), bad.as_bytes());
            assert!(result.is_err(), "accepted {bad:?}");
        }
        assert!(parse_meta(br#"{"v":1,"currency":"KRW","time_zone":"Mars/Olympus","event_types":[],"attributes":[]}"#).is_err());
    }
}
