//! The journey model (DOMAIN.md, "Journeys"): a campaign flow as plain serde JSON.
//!
//! A journey has an entry (an event, joining a segment, or a date attribute with an offset), a
//! re-entry policy, exit events, at most one conversion goal, journey-level sending rules and a
//! graph of nodes. Nodes have ids and `next` links (by id), so loops and joins are possible;
//! [`super::journey_validate`] checks the graph and [`super::backtest`] replays history through it.
//!
//! ```json
//! {"name": "Signup coupon",
//!  "entry": {"type": "event", "event": {"event": "signup"}},
//!  "reentry": {"mode": "once"},
//!  "exit": [{"event": "purchase"}],
//!  "goal": {"event": {"event": "purchase"}, "within_days": 7},
//!  "rules": {"caps": {"sms": {"per_day": 1, "per_week": 3}},
//!            "quiet_hours": {"start": "21:00", "end": "08:00"}, "respect_consent": true},
//!  "start": "coupon",
//!  "nodes": [
//!    {"id": "coupon", "type": "message", "channel": "kakao", "name": "Welcome coupon",
//!     "content": "{{name}}님, 가입 쿠폰이 도착했어요", "advertising": true, "next": "wait2d"},
//!    {"id": "wait2d", "type": "delay", "duration": {"days": 2}, "next": "bought"},
//!    {"id": "bought", "type": "branch",
//!     "condition": {"rule": "performed", "event": {"event": "purchase"}, "window": {"last_days": 2}},
//!     "yes": "done", "no": "sms"},
//!    {"id": "sms", "type": "message", "channel": "sms", "name": "Day-2 reminder",
//!     "content": "{{name}}님, 쿠폰이 곧 만료돼요", "advertising": true, "next": "done"},
//!    {"id": "done", "type": "exit"}
//!  ]}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::filter::EventFilter;
use super::segment_rule::{Rule, Span};

/// A journey as a marketer designs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    /// Shown in results; also part of the A/B assignment hash (with [`Journey::seed`]).
    #[serde(default)]
    pub name: String,
    pub entry: Entry,
    #[serde(default)]
    pub reentry: Reentry,
    /// Events that take a customer out of the journey at once (e.g. `purchase`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exit: Vec<EventFilter>,
    /// The one conversion goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    #[serde(default)]
    pub rules: SendingRules,
    /// Seed of the A/B assignment hash: the same seed, journey name and customer id always give
    /// the same path.
    #[serde(default)]
    pub seed: u64,
    /// The id of the first node.
    pub start: String,
    pub nodes: Vec<Node>,
}

impl Journey {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The index of the node with this id (the first, if ids repeat).
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }
}

/// How customers enter a journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// Each matching event (with its property filters) is a trigger, at the event's time.
    Event { event: EventFilter },
    /// Joining a segment: checked every day at local midnight; a customer who is a member at a
    /// check but was not at the previous one enters then.
    Segment { rule: Rule },
    /// A date attribute plus an offset in days ("contract end − 90 days": `offset_days: -90`),
    /// at `hour`:00 local time; `yearly` repeats it every year (a birthday).
    Date {
        attribute: String,
        #[serde(default)]
        offset_days: i32,
        #[serde(default)]
        yearly: bool,
        #[serde(default = "default_entry_hour")]
        hour: u32,
    },
}

fn default_entry_hour() -> u32 {
    9
}

/// Whether a customer may enter again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Reentry {
    /// Enter at most once.
    #[default]
    Once,
    /// Enter again once the previous visit has finished (completed or exited).
    AfterFinish,
    /// Enter again once the previous visit has finished and at least `days` have passed since
    /// the previous entry.
    Cooldown { days: u32 },
}

/// The conversion goal: a matching event within `within_days` after entering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub event: EventFilter,
    pub within_days: u32,
}

/// Journey-level sending rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendingRules {
    /// Frequency caps per channel, counted per customer across all journeys of a backtest.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub caps: BTreeMap<Channel, Cap>,
    /// No advertising message in this local time span (customer's zone); they wait until it
    /// ends. `null` turns it off. Default 21:00–08:00 (the Korean rule for advertising).
    #[serde(default = "default_quiet_hours")]
    pub quiet_hours: Option<QuietHours>,
    /// Skip a message to a channel the customer did not consent to (in-app needs no consent).
    #[serde(default = "yes")]
    pub respect_consent: bool,
    /// A text customer attribute holding the customer's IANA time zone; customers without one
    /// (or with an unknown zone) use the query's zone. A backtest of several journeys reads the
    /// first journey's setting (a customer has one zone).
    #[serde(default = "default_zone_attribute")]
    pub time_zone_attribute: String,
}

impl Default for SendingRules {
    fn default() -> Self {
        SendingRules {
            caps: BTreeMap::new(),
            quiet_hours: default_quiet_hours(),
            respect_consent: true,
            time_zone_attribute: default_zone_attribute(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_zone_attribute() -> String {
    "time_zone".to_owned()
}

fn default_quiet_hours() -> Option<QuietHours> {
    Some(QuietHours::default())
}

/// A cap on messages of one channel per customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    /// Per local calendar day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_day: Option<u32>,
    /// Per local calendar week (the query's week start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_week: Option<u32>,
}

/// A daily quiet span, `HH:MM` local times; `start` later than `end` spans midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: String,
    pub end: String,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            start: "21:00".to_owned(),
            end: "08:00".to_owned(),
        }
    }
}

impl QuietHours {
    /// `(start, end)` as minutes after midnight, or the field at fault.
    pub fn minutes(&self) -> Result<(u32, u32), &'static str> {
        let start = parse_hh_mm(&self.start).ok_or("start")?;
        let end = parse_hh_mm(&self.end).ok_or("end")?;
        Ok((start, end))
    }
}

/// `HH:MM` (00:00–23:59) as minutes after midnight.
pub fn parse_hh_mm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A message channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Push,
    InApp,
    Kakao,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Sms,
        Channel::Push,
        Channel::InApp,
        Channel::Kakao,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
            Channel::InApp => "in_app",
            Channel::Kakao => "kakao",
        }
    }

    /// Whether the channel needs consent (in-app messages are shown inside the product).
    pub fn needs_consent(self) -> bool {
        self != Channel::InApp
    }

    /// Whether a customer with this consent may receive the channel.
    pub fn allowed(self, consent: &crate::model::Consent) -> bool {
        match self {
            Channel::Email => consent.email,
            Channel::Sms => consent.sms,
            Channel::Push => consent.push,
            Channel::Kakao => consent.kakao,
            Channel::InApp => true,
        }
    }
}

/// A node of the journey graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    #[serde(flatten)]
    pub step: Step,
}

/// What a node does. A missing link (`None`) ends the journey there ("dead end", a validation
/// warning; the backtest counts it as completed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Step {
    /// Wait a fixed time.
    Delay {
        duration: Span,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    },
    /// Wait until the customer performs a matching event (→ `next`), at most `timeout`
    /// (→ `timeout_next`).
    Wait {
        event: EventFilter,
        timeout: Span,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_next: Option<String>,
    },
    /// A segment rule (an attribute test is an `attribute` rule) judged at the moment the
    /// customer arrives: members go to `yes`, others to `no`.
    Branch {
        condition: Rule,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        yes: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no: Option<String>,
    },
    /// A/B split: a deterministic random path by percentage; `control_percent` of customers
    /// leave the journey here as the control group (no further messages). Percentages of the
    /// paths plus the control sum to 100.
    Split {
        paths: Vec<SplitPath>,
        #[serde(default)]
        control_percent: f64,
    },
    /// Send a message.
    Message {
        channel: Channel,
        #[serde(default)]
        name: String,
        /// Text with `{{attribute}}` placeholders (`{{name}}`, `{{email}}`, `{{phone}}`, `{{id}}`
        /// or any customer attribute; `{{attribute|fallback}}` when it may be missing).
        #[serde(default)]
        content: String,
        /// Advertising messages obey quiet hours.
        #[serde(default)]
        advertising: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    },
    /// The journey ends here (completed).
    Exit,
}

/// One path of a [`Step::Split`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitPath {
    pub label: String,
    pub percent: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The outlet label of the control group of a split.
pub const CONTROL_OUTLET: &str = "control";

impl Step {
    /// The kind name as in JSON (`delay`, `wait`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Delay { .. } => "delay",
            Step::Wait { .. } => "wait",
            Step::Branch { .. } => "branch",
            Step::Split { .. } => "split",
            Step::Message { .. } => "message",
            Step::Exit => "exit",
        }
    }

    /// Each outlet (its label and link): `next`; `event` / `timeout` for waits; `yes` / `no` for
    /// branches; each path's label for splits. Exits have none.
    pub fn outlets(&self) -> Vec<(&str, Option<&str>)> {
        match self {
            Step::Delay { next, .. } | Step::Message { next, .. } => {
                vec![("next", next.as_deref())]
            }
            Step::Wait {
                next, timeout_next, ..
            } => vec![
                ("event", next.as_deref()),
                ("timeout", timeout_next.as_deref()),
            ],
            Step::Branch { yes, no, .. } => vec![("yes", yes.as_deref()), ("no", no.as_deref())],
            Step::Split { paths, .. } => paths
                .iter()
                .map(|p| (p.label.as_str(), p.next.as_deref()))
                .collect(),
            Step::Exit => Vec::new(),
        }
    }

    /// Whether passing this node always takes time (a delay or a wait with a positive time).
    pub fn takes_time(&self) -> bool {
        match self {
            Step::Delay { duration, .. } => duration.seconds() > 0,
            Step::Wait { timeout, .. } => timeout.seconds() > 0,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_journey_reads_and_writes() {
        let json = r#"{"name":"Signup coupon",
          "entry":{"type":"event","event":{"event":"signup"}},
          "exit":[{"event":"purchase"}],
          "goal":{"event":{"event":"purchase"},"within_days":7},
          "rules":{"caps":{"sms":{"per_day":1,"per_week":3}}},
          "start":"coupon",
          "nodes":[
            {"id":"coupon","type":"message","channel":"kakao","name":"Welcome","content":"{{name}}님","advertising":true,"next":"d"},
            {"id":"d","type":"delay","duration":{"days":2},"next":"b"},
            {"id":"b","type":"branch","condition":{"rule":"performed","event":{"event":"purchase"},"window":{"last_days":2}},"yes":"x","no":"w"},
            {"id":"w","type":"wait","event":{"event":"visit"},"timeout":{"hours":5},"next":"s","timeout_next":"x"},
            {"id":"s","type":"split","paths":[{"label":"A","percent":45,"next":"x"},{"label":"B","percent":45}],"control_percent":10},
            {"id":"x","type":"exit"}
          ]}"#;
        let journey: Journey = serde_json::from_str(json).expect("valid");
        assert_eq!(journey.reentry, Reentry::Once);
        assert_eq!(journey.rules.quiet_hours, Some(QuietHours::default()));
        assert!(journey.rules.respect_consent);
        assert_eq!(
            journey.rules.caps.get(&Channel::Sms),
            Some(&Cap {
                per_day: Some(1),
                per_week: Some(3)
            })
        );
        assert_eq!(journey.node("d").map(|n| n.step.kind()), Some("delay"));
        assert_eq!(
            journey.node("w").map(|n| n.step.outlets()),
            Some(vec![("event", Some("s")), ("timeout", Some("x"))])
        );
        let back: Journey =
            serde_json::from_str(&serde_json::to_string(&journey).expect("json")).expect("valid");
        assert_eq!(back, journey);
        let date: Entry =
            serde_json::from_str(r#"{"type":"date","attribute":"contract_end","offset_days":-90}"#)
                .expect("valid");
        assert_eq!(
            date,
            Entry::Date {
                attribute: "contract_end".into(),
                offset_days: -90,
                yearly: false,
                hour: 9
            }
        );
        let off: SendingRules = serde_json::from_str(r#"{"quiet_hours":null}"#).expect("valid");
        assert_eq!(off.quiet_hours, None);
        assert!(
            serde_json::from_str::<Node>(r#"{"id":"m","type":"message","channel":"fax"}"#).is_err()
        );
    }

    #[test]
    fn hh_mm() {
        assert_eq!(parse_hh_mm("21:00"), Some(1260));
        assert_eq!(parse_hh_mm("8:05"), Some(485));
        assert_eq!(parse_hh_mm("24:00"), None);
        assert_eq!(parse_hh_mm("12:60"), None);
        assert_eq!(parse_hh_mm("noon"), None);
        assert_eq!(parse_hh_mm(""), None);
    }
}
