//! Who the customers are: when they sign up, where they come from, what kind of shopper they are,
//! and the customer record (attributes, consent) as it stands at the snapshot.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::{Rng, RngExt};
use serde_json::{json, Value};

use super::b2b::Contract;
use super::calendar::{self, date_of, local_day, DAY};
use super::event::{Kind, Plan, Source};
use super::life::{season, Life};
use super::World;
use crate::model::{AttributeMeta, AttributeType, Consent, Customer};

/// The kind of shopper a customer is; drives how often they come, buy and how long they stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    /// Buys once (maybe), then drifts away.
    OneOff,
    Casual,
    Regular,
    Loyal,
    /// The big spenders.
    Vip,
    /// Came for the February 2026 coupon event; one order with the coupon, then gone.
    DiscountHunter,
    /// A B2B contact person.
    Business,
}

/// Acquisition channel (the `channel` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acquisition {
    NaverSearch,
    KakaoAd,
    Instagram,
    Organic,
    Referral,
    CouponEvent,
}

impl Acquisition {
    pub fn name(self) -> &'static str {
        match self {
            Acquisition::NaverSearch => "naver_search",
            Acquisition::KakaoAd => "kakao_ad",
            Acquisition::Instagram => "instagram",
            Acquisition::Organic => "organic",
            Acquisition::Referral => "referral",
            Acquisition::CouponEvent => "coupon_event",
        }
    }

    /// The `source` of the visit in which the customer signed up.
    pub fn source(self) -> Source {
        match self {
            Acquisition::NaverSearch => Source::Naver,
            Acquisition::KakaoAd => Source::Kakao,
            Acquisition::Instagram => Source::Instagram,
            Acquisition::Organic => Source::Direct,
            Acquisition::Referral => Source::Referral,
            Acquisition::CouponEvent => Source::Ad,
        }
    }
}

/// A B2B account: the company and its first contract.
#[derive(Debug, Clone)]
pub struct B2bAccount {
    pub company: String,
    /// Healthy accounts stay busy and renew; the others fade, complain and often leave.
    pub healthy: bool,
    pub plan: Plan,
    pub seats: u32,
    pub months: u32,
    pub first_start: i64,
}

/// Everything fixed about a customer when they sign up.
#[derive(Debug, Clone)]
pub struct Profile {
    pub created: i64,
    /// Joined before tracking began (`start`): behaviour is only recorded from `start` on.
    pub legacy: bool,
    pub persona: Persona,
    pub channel: Acquisition,
    pub consent: Consent,
    /// Has the app installed (receives in-app messages).
    pub app_user: bool,
    pub favourite: u8,
    pub birthday: Option<NaiveDate>,
    pub b2b: Option<B2bAccount>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub region: &'static str,
    pub gender: Option<&'static str>,
    /// Writes product reviews (a tag, once they have bought something).
    pub reviewer: bool,
}

/// When a customer signs up, before anything else is known about them.
#[derive(Debug, Clone, Copy)]
pub struct Signup {
    pub created: i64,
    pub b2b: bool,
    pub legacy: bool,
    /// Came through the February 2026 coupon event.
    pub coupon_event: bool,
}

/// Share of shoppers who joined before tracking began; B2B accounts are older on average.
const LEGACY_SHOPPERS: f64 = 0.04;
const LEGACY_ACCOUNTS: f64 = 0.4;

/// The February 2026 coupon event: a burst of signups from a 50 %-off ad campaign.
fn coupon_event_days() -> (i64, i64) {
    (
        local_day(calendar::at(2026, 2, 9, 0, 0)),
        local_day(calendar::at(2026, 2, 22, 0, 0)),
    )
}
/// During the event, this many coupon signups come per regular one.
const COUPON_EVENT_LIFT: f64 = 2.5;

const REGIONS: [(&str, u32); 17] = [
    ("서울", 210),
    ("경기", 270),
    ("인천", 60),
    ("부산", 62),
    ("대구", 44),
    ("대전", 30),
    ("광주", 28),
    ("울산", 20),
    ("세종", 8),
    ("강원", 26),
    ("충북", 30),
    ("충남", 38),
    ("전북", 32),
    ("전남", 30),
    ("경북", 46),
    ("경남", 62),
    ("제주", 14),
];

/// Signup instants for `n` customers, in time order.
pub fn signups<R: Rng + ?Sized>(w: &World, n: usize, b2b_share: f64, rng: &mut R) -> Vec<Signup> {
    let first = local_day(w.start);
    let days = (local_day(w.as_of - 1) - first + 1).max(1);
    let (event_from, event_to) = coupon_event_days();
    // Growth over the period, seasonal bumps, a weekly rhythm, and the coupon event on top.
    let weight = |d: i64| {
        let day = first + d;
        let base = (1.0 + 1.6 * d as f64 / days as f64)
            * season(calendar::month_key(day))
            * calendar::WEEKDAY_FACTOR[calendar::weekday(day)];
        let lift = if (event_from..=event_to).contains(&day) {
            COUPON_EVENT_LIFT
        } else {
            0.0
        };
        (base, base * lift)
    };
    let weights: Vec<u32> = (0..days)
        .map(&weight)
        .map(|(b, l)| ((b + l) * 1000.0) as u32)
        .collect();
    let by_day = WeightedIndex::new(&weights).expect("day weights are positive");
    let b2b_count = (n as f64 * b2b_share).round() as usize;
    let mut list: Vec<Signup> = (0..n)
        .map(|i| {
            let b2b = i < b2b_count;
            let legacy = rng.random_bool(if b2b {
                LEGACY_ACCOUNTS
            } else {
                LEGACY_SHOPPERS
            });
            if legacy {
                let ago = if b2b {
                    rng.random_range(15 * DAY..330 * DAY)
                } else {
                    rng.random_range(DAY..365 * DAY)
                };
                let day = local_day(w.start - ago);
                let created = if b2b {
                    w.clock.office_time(rng, day)
                } else {
                    w.clock.shopper_time(rng, day)
                };
                return Signup {
                    created,
                    b2b,
                    legacy,
                    coupon_event: false,
                };
            }
            let d = by_day.sample(rng) as i64;
            let day = first + d;
            let created = if b2b {
                w.clock.office_time(rng, day)
            } else {
                w.clock.shopper_time(rng, day)
            };
            let (base, lift) = weight(d);
            let coupon_event = !b2b && lift > 0.0 && rng.random_bool(lift / (base + lift));
            Signup {
                created: created.min(w.as_of - 1),
                b2b,
                legacy,
                coupon_event,
            }
        })
        .collect();
    list.sort_by_key(|s| s.created);
    list
}

fn pick<R: Rng + ?Sized, T: Copy>(rng: &mut R, items: &[(T, u32)]) -> T {
    let index = WeightedIndex::new(items.iter().map(|i| i.1)).expect("weights are positive");
    items[index.sample(rng)].0
}

/// Draws who a customer is.
pub fn profile<R: Rng + ?Sized>(w: &World, rng: &mut R, s: &Signup) -> Profile {
    let b2b = s.b2b;
    let female = rng.random_bool(if b2b { 0.45 } else { 0.6 });
    let person = w.names.person(rng, female);
    let birth_year = 1962 + pick(rng, &BIRTH_DECADES) * 5 + rng.random_range(0..5);
    let birth = NaiveDate::from_yo_opt(birth_year, 1).expect("valid year")
        + chrono::Days::new(rng.random_range(0..365));
    let email =
        (b2b || rng.random_bool(0.96)).then(|| w.names.email(rng, &person, birth_year, b2b));
    let phone = rng
        .random_bool(if b2b { 0.9 } else { 0.78 })
        .then(|| super::names::phone(rng));
    let channel = if s.coupon_event {
        Acquisition::CouponEvent
    } else if b2b {
        pick(
            rng,
            &[
                (Acquisition::Referral, 40),
                (Acquisition::NaverSearch, 35),
                (Acquisition::Organic, 25),
            ],
        )
    } else {
        pick(
            rng,
            &[
                (Acquisition::NaverSearch, 30),
                (Acquisition::KakaoAd, 18),
                (Acquisition::Instagram, 17),
                (Acquisition::Organic, 21),
                (Acquisition::Referral, 10),
                (Acquisition::CouponEvent, 4),
            ],
        )
    };
    let consent = if b2b {
        Consent {
            email: rng.random_bool(0.95),
            sms: rng.random_bool(0.3),
            push: false,
            kakao: rng.random_bool(0.3),
        }
    } else {
        Consent {
            email: rng.random_bool(0.7),
            sms: rng.random_bool(0.55),
            push: rng.random_bool(0.4),
            kakao: rng.random_bool(0.6),
        }
    };
    let persona = if b2b {
        Persona::Business
    } else if s.coupon_event && rng.random_bool(0.9) {
        Persona::DiscountHunter
    } else {
        pick(
            rng,
            &[
                (Persona::OneOff, 32),
                (Persona::Casual, 32),
                (Persona::Regular, 23),
                (Persona::Loyal, 8),
                (Persona::Vip, 5),
            ],
        )
    };
    let account = b2b.then(|| {
        let plan = pick(
            rng,
            &[(Plan::Basic, 50), (Plan::Pro, 35), (Plan::Enterprise, 15)],
        );
        let seats = match plan {
            Plan::Basic => rng.random_range(5..=20),
            Plan::Pro => rng.random_range(20..=100),
            Plan::Enterprise => rng.random_range(100..=500),
        };
        // Terms of 6 months only for newer accounts, so every term of an older one ends after `start`.
        let months = if s.legacy {
            pick(rng, &[(12, 85), (24, 15)])
        } else {
            pick(rng, &[(12, 80), (24, 10), (6, 10)])
        };
        let signed = local_day(s.created) + rng.random_range(0..4);
        let first_start = w
            .clock
            .office_time(rng, signed)
            .max(s.created)
            .min(w.as_of - 1);
        B2bAccount {
            company: w.names.company(rng),
            healthy: rng.random_bool(0.62),
            plan,
            seats,
            months,
            first_start,
        }
    });
    Profile {
        created: s.created,
        legacy: s.legacy,
        persona,
        channel,
        app_user: consent.push || rng.random_bool(0.15),
        consent,
        favourite: w.catalog.favourite_category(rng),
        birthday: rng
            .random_bool(if b2b { 0.3 } else { 0.72 })
            .then_some(birth),
        b2b: account,
        name: person.name,
        email,
        phone,
        region: pick(rng, &REGIONS),
        gender: rng
            .random_bool(0.93)
            .then_some(if female { "female" } else { "male" }),
        reviewer: rng.random_bool(0.1),
    }
}

/// Birth years in five-year bands from 1962: most customers are in their late twenties to forties.
const BIRTH_DECADES: [(i32, u32); 9] = [
    (0, 3),
    (1, 5),
    (2, 8),
    (3, 12),
    (4, 16),
    (5, 20),
    (6, 18),
    (7, 12),
    (8, 6),
];

/// Revenue threshold over the last 12 months that makes a VIP.
pub const VIP_REVENUE: i64 = 1_000_000;

/// The attributes the demo declares in `meta.json`, in order.
pub fn attribute_meta() -> Vec<AttributeMeta> {
    use AttributeType::*;
    [
        ("channel", Text),
        ("region", Text),
        ("gender", Text),
        ("birthday", Date),
        ("customer_type", Text),
        ("company", Text),
        ("plan", Text),
        ("contract_start", Date),
        ("contract_end", Date),
        ("seats", Number),
        ("satisfaction", Number),
        ("vip", Bool),
        ("tags", List),
    ]
    .into_iter()
    .map(|(name, kind)| AttributeMeta {
        name: name.to_string(),
        kind,
    })
    .collect()
}

fn date_value(t: i64) -> Value {
    Value::String(date_of(local_day(t)).format("%Y-%m-%d").to_string())
}

/// The customer record at the snapshot, after their life has run.
pub fn record(life: &Life<'_>, id: String) -> Customer {
    let p = &life.p;
    let as_of = life.w.as_of;
    let revenue_12m: i64 = life
        .events
        .iter()
        .filter(|e| matches!(e.kind, Kind::Purchase | Kind::Refund) && e.at >= as_of - 365 * DAY)
        .filter_map(|e| e.value)
        .sum();
    let mut a = BTreeMap::new();
    a.insert("channel".to_string(), json!(p.channel.name()));
    a.insert("region".to_string(), json!(p.region));
    if let Some(g) = p.gender {
        a.insert("gender".to_string(), json!(g));
    }
    if let Some(b) = p.birthday {
        a.insert(
            "birthday".to_string(),
            json!(b.format("%Y-%m-%d").to_string()),
        );
    }
    a.insert(
        "customer_type".to_string(),
        json!(if p.b2b.is_some() { "b2b" } else { "b2c" }),
    );
    if let (Some(account), Some(c)) = (&p.b2b, &life.contract) {
        let Contract {
            plan,
            seats,
            term_start,
            term_end,
            ..
        } = c;
        a.insert("company".to_string(), json!(account.company));
        a.insert("plan".to_string(), json!(plan.name()));
        a.insert("contract_start".to_string(), date_value(*term_start));
        a.insert("contract_end".to_string(), date_value(*term_end));
        a.insert("seats".to_string(), json!(seats));
    }
    if let Some(s) = life.satisfaction {
        a.insert("satisfaction".to_string(), json!(s));
    }
    a.insert("vip".to_string(), json!(revenue_12m >= VIP_REVENUE));
    let mut tags = Vec::new();
    if p.app_user {
        tags.push("app_user");
    }
    if life.gift_buyer {
        tags.push("gift_buyer");
    }
    if life.purchases >= 1 && life.coupon_purchases == life.purchases {
        tags.push("price_sensitive");
    }
    if p.reviewer && life.purchases >= 1 {
        tags.push("reviewer");
    }
    if life
        .contract
        .as_ref()
        .is_some_and(|c| c.plan == Plan::Enterprise)
    {
        tags.push("key_account");
    }
    if !tags.is_empty() {
        a.insert("tags".to_string(), json!(tags));
    }
    Customer {
        id,
        name: p.name.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        created_at: calendar::to_datetime(p.created),
        attributes: a,
        consent: p.consent,
    }
}
