//! Compact in-memory events and the vocabulary (types, property keys and values) they use.
//!
//! A generated event is a few dozen bytes instead of a `model::Event` with a map of JSON values,
//! which keeps a million-event benchmark dataset small in memory; [`DemoEvent::to_event`] and
//! the writer turn it into the v1 wire shape.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::calendar::{self, Rfc3339};
use super::campaigns::Campaign;
use super::catalog::{Coupon, CATEGORIES};
use crate::model::{Event, EventTypeMeta};

/// Every event type the demo emits, in the order `meta.json` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Signup,
    Visit,
    ProductView,
    CartAdd,
    Purchase,
    Refund,
    SupportTicket,
    NpsResponse,
    MessageSent,
    MessageOpened,
    MessageClicked,
    ContractStart,
    ContractRenewed,
    ContractEnded,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Signup,
        Kind::Visit,
        Kind::ProductView,
        Kind::CartAdd,
        Kind::Purchase,
        Kind::Refund,
        Kind::SupportTicket,
        Kind::NpsResponse,
        Kind::MessageSent,
        Kind::MessageOpened,
        Kind::MessageClicked,
        Kind::ContractStart,
        Kind::ContractRenewed,
        Kind::ContractEnded,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Signup => "signup",
            Kind::Visit => "visit",
            Kind::ProductView => "product_view",
            Kind::CartAdd => "cart_add",
            Kind::Purchase => "purchase",
            Kind::Refund => "refund",
            Kind::SupportTicket => "support_ticket",
            Kind::NpsResponse => "nps_response",
            Kind::MessageSent => "message_sent",
            Kind::MessageOpened => "message_opened",
            Kind::MessageClicked => "message_clicked",
            Kind::ContractStart => "contract_start",
            Kind::ContractRenewed => "contract_renewed",
            Kind::ContractEnded => "contract_ended",
        }
    }

    /// Property keys events of this type may carry (sorted, as they are written).
    pub fn properties(self) -> &'static [&'static str] {
        match self {
            Kind::Signup => &[],
            Kind::Visit => &["source"],
            Kind::ProductView | Kind::CartAdd => &["category", "product"],
            Kind::Purchase => &["category", "coupon", "order_id"],
            Kind::Refund => &["order_id"],
            Kind::SupportTicket => &["topic"],
            Kind::NpsResponse => &["score"],
            Kind::MessageSent | Kind::MessageOpened | Kind::MessageClicked => {
                &["campaign", "channel"]
            }
            Kind::ContractStart | Kind::ContractRenewed | Kind::ContractEnded => &["plan"],
        }
    }

    pub fn has_value(self) -> bool {
        matches!(
            self,
            Kind::Purchase | Kind::Refund | Kind::ContractStart | Kind::ContractRenewed
        )
    }

    /// The `meta.json` declaration of this type.
    pub fn meta(self) -> EventTypeMeta {
        EventTypeMeta {
            name: self.name().to_string(),
            properties: self.properties().iter().map(|p| p.to_string()).collect(),
            has_value: self.has_value(),
        }
    }
}

/// Where a visit came from: ad and search channels, or the message channel that was clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Direct,
    Naver,
    Google,
    Instagram,
    Kakao,
    Referral,
    Ad,
    Message(Channel),
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Direct => "direct",
            Source::Naver => "naver",
            Source::Google => "google",
            Source::Instagram => "instagram",
            Source::Kakao => "kakao",
            Source::Referral => "referral",
            Source::Ad => "ad",
            Source::Message(c) => c.name(),
        }
    }
}

/// A messaging channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
    Push,
    InApp,
    Kakao,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
            Channel::InApp => "in_app",
            Channel::Kakao => "kakao",
        }
    }
}

/// What a support ticket is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Delivery,
    Refund,
    Exchange,
    Product,
    Payment,
    Account,
    Invoice,
    Seats,
    Contract,
}

impl Topic {
    pub fn name(self) -> &'static str {
        match self {
            Topic::Delivery => "delivery",
            Topic::Refund => "refund",
            Topic::Exchange => "exchange",
            Topic::Product => "product",
            Topic::Payment => "payment",
            Topic::Account => "account",
            Topic::Invoice => "invoice",
            Topic::Seats => "seats",
            Topic::Contract => "contract",
        }
    }
}

/// A B2B plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Plan {
    Basic,
    Pro,
    Enterprise,
}

impl Plan {
    pub fn name(self) -> &'static str {
        match self {
            Plan::Basic => "basic",
            Plan::Pro => "pro",
            Plan::Enterprise => "enterprise",
        }
    }
}

/// The properties of an event, by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Props {
    None,
    Visit(Source),
    Product {
        product: u16,
        category: u8,
    },
    /// `order` is the customer's own order number until [`super::generate`] numbers all orders.
    Purchase {
        order: u32,
        category: u8,
        coupon: Option<Coupon>,
    },
    Refund {
        order: u32,
    },
    Ticket(Topic),
    Nps(u8),
    Message {
        channel: Channel,
        campaign: Campaign,
    },
    Contract(Plan),
}

/// One generated event. Its id is its position in the sorted event list (`e0000001` is the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoEvent {
    /// Unix seconds.
    pub at: i64,
    /// Index into `Dataset::customers`.
    pub customer: u32,
    pub kind: Kind,
    /// Whole KRW.
    pub value: Option<i64>,
    pub props: Props,
}

/// The id of the event at `index` in the sorted list.
#[derive(Debug, Clone, Copy)]
pub struct EventId(pub usize);

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "e{:07}", self.0 + 1)
    }
}

/// An order number, `O0000001` style.
#[derive(Debug, Clone, Copy)]
pub struct OrderId(pub u32);

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "O{:07}", self.0)
    }
}

/// One property value on the wire.
enum PropValue {
    Str(&'static str),
    Product(u16),
    Order(u32),
    Number(u8),
}

impl Serialize for PropValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PropValue::Str(v) => s.serialize_str(v),
            PropValue::Product(p) => s.collect_str(&format_args!("P{:03}", p + 1)),
            PropValue::Order(o) => s.collect_str(&OrderId(*o)),
            PropValue::Number(n) => s.serialize_u8(*n),
        }
    }
}

/// Up to three key/value pairs, in key order (how a `BTreeMap` of them serialises).
type Pairs = [Option<(&'static str, PropValue)>; 3];

impl Props {
    pub fn is_empty(&self) -> bool {
        matches!(self, Props::None)
    }

    fn pairs(&self) -> Pairs {
        use PropValue::*;
        let category = |c: u8| Some(("category", Str(CATEGORIES[usize::from(c)])));
        match *self {
            Props::None => [None, None, None],
            Props::Visit(source) => [Some(("source", Str(source.name()))), None, None],
            Props::Product {
                product,
                category: c,
            } => [category(c), Some(("product", Product(product))), None],
            Props::Purchase {
                order,
                category: c,
                coupon,
            } => [
                category(c),
                coupon.map(|k| ("coupon", Str(k.code()))),
                Some(("order_id", Order(order))),
            ],
            Props::Refund { order } => [Some(("order_id", Order(order))), None, None],
            Props::Ticket(topic) => [Some(("topic", Str(topic.name()))), None, None],
            Props::Nps(score) => [Some(("score", Number(score))), None, None],
            Props::Message { channel, campaign } => [
                Some(("campaign", Str(campaign.name()))),
                Some(("channel", Str(channel.name()))),
                None,
            ],
            Props::Contract(plan) => [Some(("plan", Str(plan.name()))), None, None],
        }
    }
}

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pairs = self.pairs();
        let mut map = s.serialize_map(Some(pairs.iter().flatten().count()))?;
        for (k, v) in pairs.iter().flatten() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The wire record of one event; field order and omissions match `model::Event`.
#[derive(serde::Serialize)]
pub struct EventRecord<'a> {
    pub id: EventIdStr,
    pub customer_id: &'a str,
    #[serde(rename = "type")]
    pub event_type: &'static str,
    pub at: Rfc3339,
    /// Whole KRW as a JSON integer (`model::Event` would print `39000.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(skip_serializing_if = "Props::is_empty")]
    pub properties: Props,
}

/// [`EventId`] serialised as a string.
pub struct EventIdStr(pub EventId);

impl Serialize for EventIdStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl DemoEvent {
    /// The wire record of this event, the `index`-th in the sorted list.
    pub fn record<'a>(&self, index: usize, customer_id: &'a str) -> EventRecord<'a> {
        EventRecord {
            id: EventIdStr(EventId(index)),
            customer_id,
            event_type: self.kind.name(),
            at: Rfc3339(self.at),
            value: self.value,
            properties: self.props,
        }
    }

    /// This event as a `model::Event` (convenient for callers that want whole records).
    pub fn to_event(&self, index: usize, customer_id: &str) -> Event {
        let properties: BTreeMap<String, Value> = self
            .props
            .pairs()
            .iter()
            .flatten()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    serde_json::to_value(v).expect("property values serialise"),
                )
            })
            .collect();
        Event {
            id: Some(EventId(index).to_string()),
            customer_id: customer_id.to_string(),
            event_type: self.kind.name().to_string(),
            at: calendar::to_datetime(self.at),
            value: self.value.map(|v| v as f64),
            properties,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_parses_back_as_the_model_event() {
        let samples = [
            DemoEvent {
                at: 1_780_000_000,
                customer: 0,
                kind: Kind::Signup,
                value: None,
                props: Props::None,
            },
            DemoEvent {
                at: 1_780_000_100,
                customer: 0,
                kind: Kind::Purchase,
                value: Some(39_000),
                props: Props::Purchase {
                    order: 12,
                    category: 1,
                    coupon: Some(Coupon::Family15),
                },
            },
            DemoEvent {
                at: 1_780_000_200,
                customer: 0,
                kind: Kind::MessageSent,
                value: None,
                props: Props::Message {
                    channel: Channel::Kakao,
                    campaign: Campaign::MayFamilyMonth,
                },
            },
            DemoEvent {
                at: 1_780_000_300,
                customer: 0,
                kind: Kind::NpsResponse,
                value: None,
                props: Props::Nps(9),
            },
        ];
        for (i, e) in samples.iter().enumerate() {
            let line = serde_json::to_string(&e.record(i, "C00001")).expect("serialises");
            let parsed: Event = serde_json::from_str(&line).expect("parses as model::Event");
            assert_eq!(parsed, e.to_event(i, "C00001"), "{line}");
            assert!(
                !line.contains(".0"),
                "money is written as an integer: {line}"
            );
        }
        let line = serde_json::to_string(&samples[1].record(41, "C00001")).expect("serialises");
        assert_eq!(
            line,
            r#"{"id":"e0000042","customer_id":"C00001","type":"purchase","at":"2026-05-29T05:28:20+09:00","value":39000,"properties":{"category":"beauty","coupon":"FAMILY15","order_id":"O0000012"}}"#
        );
    }
}
