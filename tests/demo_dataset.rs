#![cfg(not(target_arch = "wasm32"))]
//! The committed demo dataset is exactly what the generator makes, it is valid v1 data, and the
//! stories the demo promises marketers are really in it (checked on numbers computed from the
//! files, so a generator change that loses a story fails here).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike};
use crm_lens::demo::{generate, to_bytes, DatasetFiles, GeneratorConfig};
use crm_lens::model::{AttributeType, Customer, Event, Meta, Page};
use serde_json::Value;

const DAY: i64 = 86_400;

/// The demo, generated once per test binary and parsed back from its own bytes.
struct Demo {
    files: DatasetFiles,
    meta: Meta,
    customers: Vec<Customer>,
    events: Vec<Event>,
    /// Event indices per customer (same order as `customers`), in time order.
    by_customer: Vec<Vec<usize>>,
    as_of: i64,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let files = to_bytes(&generate(&GeneratorConfig::demo()));
        let meta: Meta = serde_json::from_slice(&files.meta).expect("meta.json parses as Meta");
        let customers = serde_json::from_slice::<Page<Customer>>(&files.customers)
            .expect("customers.json parses as Page<Customer>")
            .data;
        let events = serde_json::from_slice::<Page<Event>>(&files.events)
            .expect("events.json parses as Page<Event>")
            .data;
        let index: HashMap<&str, usize> = customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut by_customer = vec![Vec::new(); customers.len()];
        for (i, e) in events.iter().enumerate() {
            if let Some(&c) = index.get(e.customer_id.as_str()) {
                by_customer[c].push(i);
            }
        }
        let as_of = meta.as_of.expect("the demo has as_of").timestamp();
        Demo {
            files,
            meta,
            customers,
            events,
            by_customer,
            as_of,
        }
    })
}

impl Demo {
    fn events_of(&self, customer: usize, ty: &'static str) -> impl Iterator<Item = &Event> + '_ {
        self.by_customer[customer]
            .iter()
            .map(|&i| &self.events[i])
            .filter(move |e| e.event_type == ty)
    }

    fn times_of(&self, customer: usize, ty: &'static str) -> Vec<i64> {
        self.events_of(customer, ty)
            .map(|e| e.at.timestamp())
            .collect()
    }

    fn of_type(&self, ty: &'static str) -> impl Iterator<Item = &Event> + '_ {
        self.events.iter().filter(move |e| e.event_type == ty)
    }

    fn attr<'a>(&'a self, customer: usize, name: &str) -> Option<&'a Value> {
        self.customers[customer].attributes.get(name)
    }

    fn is_b2b(&self, customer: usize) -> bool {
        self.attr(customer, "customer_type").and_then(Value::as_str) == Some("b2b")
    }
}

fn kst(y: i32, m: u32, d: u32) -> i64 {
    FixedOffset::east_opt(9 * 3600)
        .expect("offset")
        .with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .expect("valid date")
        .timestamp()
}

fn prop<'a>(e: &'a Event, key: &str) -> Option<&'a Value> {
    e.properties.get(key)
}

fn ratio(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn committed_files_are_what_the_generator_makes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
    for (name, expected) in demo().files.files() {
        let path = dir.join(name);
        let committed = std::fs::read(&path).unwrap_or_default();
        if committed != expected {
            let line = committed
                .split(|&b| b == b'\n')
                .zip(expected.split(|&b| b == b'\n'))
                .position(|(a, b)| a != b);
            panic!(
                "{} differs from the generator's output (first differing line: {:?}). \
                 Regenerate it with `cargo run --release --bin crm-lens-demo` and commit public/demo/.",
                path.display(),
                line.map(|l| l + 1)
            );
        }
    }
}

#[test]
fn files_have_one_record_per_line() {
    let d = demo();
    for (bytes, records) in [
        (&d.files.customers, d.customers.len()),
        (&d.files.events, d.events.len()),
    ] {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        assert!(text.starts_with("{\"data\":[\n{"));
        assert!(text.ends_with("}\n],\"next_cursor\":null}\n"));
        assert_eq!(text.lines().count(), records + 2);
    }
    // Money is whole KRW, written as JSON integers.
    let events = std::str::from_utf8(&d.files.events).expect("utf-8");
    for (i, _) in events.match_indices("\"value\":") {
        let number: String = events[i + 8..]
            .chars()
            .take_while(|c| *c != ',' && *c != '}')
            .collect();
        assert!(
            number.parse::<i64>().is_ok(),
            "value `{number}` is not a whole number"
        );
    }
}

#[test]
fn meta_describes_the_data() {
    let d = demo();
    assert_eq!(d.meta.v, 1);
    assert_eq!(d.meta.currency, "KRW");
    assert_eq!(d.meta.time_zone, "Asia/Seoul");
    assert_eq!(
        d.meta.as_of.map(|t| t.to_rfc3339()),
        Some("2026-11-16T00:00:00+09:00".to_string())
    );

    let declared: HashMap<&str, (&Vec<String>, bool)> = d
        .meta
        .event_types
        .iter()
        .map(|t| (t.name.as_str(), (&t.properties, t.has_value)))
        .collect();
    let expected = [
        "signup",
        "visit",
        "product_view",
        "cart_add",
        "purchase",
        "refund",
        "support_ticket",
        "nps_response",
        "message_sent",
        "message_opened",
        "message_clicked",
        "contract_start",
        "contract_renewed",
        "contract_ended",
    ];
    let used: BTreeSet<&str> = d.events.iter().map(|e| e.event_type.as_str()).collect();
    for ty in expected {
        assert!(used.contains(ty), "no `{ty}` event in the demo");
    }
    for e in &d.events {
        let (props, has_value) = declared
            .get(e.event_type.as_str())
            .unwrap_or_else(|| panic!("{} undeclared", e.event_type));
        for key in e.properties.keys() {
            assert!(
                props.contains(key),
                "{}.{key} is not declared in meta",
                e.event_type
            );
        }
        assert!(
            e.value.is_none() || *has_value,
            "{} has a value but has_value is false",
            e.event_type
        );
    }

    let attributes: HashMap<&str, AttributeType> = d
        .meta
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.kind))
        .collect();
    let mut seen = HashSet::new();
    for c in &d.customers {
        for (name, value) in &c.attributes {
            let kind = attributes
                .get(name.as_str())
                .unwrap_or_else(|| panic!("attribute {name} undeclared"));
            seen.insert(name.as_str());
            let ok = match kind {
                AttributeType::Text => value.is_string(),
                AttributeType::Number => value.is_number(),
                AttributeType::Bool => value.is_boolean(),
                AttributeType::Date => value
                    .as_str()
                    .is_some_and(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
                AttributeType::List => value
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string)),
            };
            assert!(ok, "{}: attribute {name} = {value} is not a {kind:?}", c.id);
        }
    }
    for a in &d.meta.attributes {
        assert!(
            seen.contains(a.name.as_str()),
            "attribute {} is declared but never used",
            a.name
        );
    }
}

#[test]
fn records_are_consistent() {
    let d = demo();
    assert!(
        d.customers.len() >= 5_000,
        "{} customers",
        d.customers.len()
    );
    assert!(d.events.len() >= 150_000, "{} events", d.events.len());

    let mut ids = HashSet::new();
    for c in &d.customers {
        assert!(
            c.id.len() == 6
                && c.id.starts_with('C')
                && c.id[1..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            c.id
        );
        assert!(ids.insert(c.id.as_str()), "duplicate customer {}", c.id);
        assert_eq!(c.created_at.offset().local_minus_utc(), 9 * 3600);
        assert!(c.created_at.timestamp() < d.as_of);
    }
    let mut event_ids = HashSet::new();
    let mut previous: Option<(DateTime<FixedOffset>, &str)> = None;
    for e in &d.events {
        let id = e.id.as_deref().expect("every event has an id");
        assert!(
            id.len() == 8 && id.starts_with('e') && id[1..].bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
        assert!(event_ids.insert(id), "duplicate event id {id}");
        assert!(
            ids.contains(e.customer_id.as_str()),
            "{id}: unknown customer {}",
            e.customer_id
        );
        assert_eq!(
            e.at.offset().local_minus_utc(),
            9 * 3600,
            "{id} is not in +09:00"
        );
        assert_eq!(e.at.nanosecond(), 0, "{id} has sub-second precision");
        assert!(e.at.timestamp() < d.as_of, "{id} is after as_of");
        if let Some((at, prev)) = previous {
            assert!((at, prev) < (e.at, id), "{id} is out of order");
        }
        previous = Some((e.at, id));
    }
    for (i, c) in d.customers.iter().enumerate() {
        let signups = d.times_of(i, "signup");
        assert_eq!(
            signups,
            vec![c.created_at.timestamp()],
            "{}: one signup at created_at",
            c.id
        );
        for &e in &d.by_customer[i] {
            assert!(
                d.events[e].at >= c.created_at,
                "{}: event before signup",
                c.id
            );
        }
    }
    // Most customers joined during the tracked period, and signups grow over it.
    let start = kst(2025, 9, 1);
    let in_range = d
        .customers
        .iter()
        .filter(|c| c.created_at.timestamp() >= start)
        .count();
    assert!(ratio(in_range, d.customers.len()) > 0.9);
    // Signups grow: the last three full months bring far more than the first three.
    let signups = |from: i64, to: i64| {
        let range = from..to;
        d.customers
            .iter()
            .filter(|c| range.contains(&c.created_at.timestamp()))
            .count()
    };
    let (first, last) = (
        signups(start, kst(2025, 12, 1)),
        signups(kst(2026, 8, 1), kst(2026, 11, 1)),
    );
    assert!(
        last * 2 > first * 3,
        "signups should grow: {first} in Sep–Nov 2025, {last} in Aug–Oct 2026"
    );
}

#[test]
fn customers_look_korean_and_contacts_are_safe() {
    let d = demo();
    let hangul = |s: &str| s.chars().all(|c| ('가'..='힣').contains(&c));
    let mut surnames: HashMap<char, usize> = HashMap::new();
    let mut emails = HashSet::new();
    for c in &d.customers {
        assert!(
            hangul(&c.name) && (2..=4).contains(&c.name.chars().count()),
            "{}",
            c.name
        );
        *surnames
            .entry(c.name.chars().next().expect("not empty"))
            .or_default() += 1;
        if let Some(email) = &c.email {
            let domain = email.rsplit('@').next().unwrap_or_default();
            assert!(
                ["example.com", "example.co.kr", "example.net"].contains(&domain),
                "{email}"
            );
            assert!(emails.insert(email.as_str()), "duplicate email {email}");
        }
        if let Some(phone) = &c.phone {
            let digits: Vec<&str> = phone.split('-').collect();
            assert!(
                digits.len() == 3 && digits[0] == "010" && digits[1..].iter().all(|p| p.len() == 4),
                "{phone}"
            );
        }
    }
    let n = d.customers.len();
    let share = |c| ratio(surnames.get(&c).copied().unwrap_or(0), n);
    assert!((0.17..0.26).contains(&share('김')), "김 {}", share('김'));
    assert!(share('김') > share('이') && share('이') > share('박') && share('박') > share('최'));

    let consent = |f: fn(&Customer) -> bool| ratio(d.customers.iter().filter(|c| f(c)).count(), n);
    for (name, rate, target) in [
        ("email", consent(|c| c.consent.email), 0.7),
        ("sms", consent(|c| c.consent.sms), 0.55),
        ("push", consent(|c| c.consent.push), 0.4),
        ("kakao", consent(|c| c.consent.kakao), 0.6),
    ] {
        assert!(
            (rate - target).abs() < 0.05,
            "{name} consent {rate:.3}, expected about {target}"
        );
    }
}

#[test]
fn money_is_whole_krw_with_few_refunds_and_a_vip_tail() {
    let d = demo();
    let mut orders: HashMap<&str, (&str, f64, i64)> = HashMap::new();
    for e in d.of_type("purchase") {
        let v = e.value.expect("purchases have a value");
        assert!(v >= 100.0 && v % 100.0 == 0.0, "purchase of {v}");
        let order = prop(e, "order_id")
            .and_then(Value::as_str)
            .expect("order_id");
        assert!(prop(e, "category").is_some());
        assert!(
            orders
                .insert(order, (e.customer_id.as_str(), v, e.at.timestamp()))
                .is_none(),
            "order {order} twice"
        );
    }
    let mut refunds = 0;
    for e in d.of_type("refund") {
        let v = e.value.expect("refunds have a value");
        let order = prop(e, "order_id")
            .and_then(Value::as_str)
            .expect("order_id");
        let (customer, paid, at) = orders.get(order).copied().expect("refund of a known order");
        assert_eq!(customer, e.customer_id);
        assert!(
            v < 0.0 && -v <= paid && v % 100.0 == 0.0,
            "refund {v} of {paid}"
        );
        assert!(e.at.timestamp() > at);
        refunds += 1;
    }
    let refund_rate = ratio(refunds, orders.len());
    assert!(
        (0.015..0.05).contains(&refund_rate),
        "refund rate {refund_rate:.3}"
    );
    for ty in ["contract_start", "contract_renewed"] {
        assert!(
            d.of_type(ty)
                .all(|e| e.value.is_some_and(|v| v > 0.0 && v % 10_000.0 == 0.0)),
            "{ty} amounts"
        );
    }

    // VIPs: at least 1,000,000 KRW in the 12 months before the snapshot, about 3 % of customers.
    let mut vips = 0;
    for i in 0..d.customers.len() {
        let revenue: f64 = d.by_customer[i]
            .iter()
            .map(|&e| &d.events[e])
            .filter(|e| e.at.timestamp() >= d.as_of - 365 * DAY)
            .filter_map(|e| match e.event_type.as_str() {
                "purchase" | "refund" => e.value,
                _ => None,
            })
            .sum();
        let vip = revenue >= 1_000_000.0;
        assert_eq!(
            d.attr(i, "vip"),
            Some(&Value::Bool(vip)),
            "{}: vip attribute",
            d.customers[i].id
        );
        vips += usize::from(vip);
    }
    let share = ratio(vips, d.customers.len());
    assert!((0.015..0.05).contains(&share), "VIP share {share:.3}");
}

#[test]
fn shoppers_come_at_lunch_and_in_the_evening() {
    let d = demo();
    let mut hours = [0usize; 24];
    for e in d.of_type("visit") {
        hours[e.at.hour() as usize] += 1;
    }
    let avg = |hs: &[usize]| hs.iter().map(|&h| hours[h]).sum::<usize>() as f64 / hs.len() as f64;
    let (lunch, evening, night, afternoon) = (
        avg(&[12, 13]),
        avg(&[20, 21, 22]),
        avg(&[2, 3, 4, 5]),
        avg(&[15, 16]),
    );
    assert!(
        lunch > 1.3 * afternoon && evening > 1.3 * afternoon,
        "{hours:?}"
    );
    assert!(night * 8.0 < evening, "{hours:?}");
}

/// Customers who had no visit in the 60 days before `month` (and existed then) but visited in it.
fn reactivated(d: &Demo, from: i64, to: i64, with_purchase: bool) -> usize {
    (0..d.customers.len())
        .filter(|&i| {
            if d.customers[i].created_at.timestamp() >= from - 60 * DAY {
                return false;
            }
            let visits = d.times_of(i, "visit");
            let before = visits.iter().any(|t| (from - 60 * DAY..from).contains(t));
            let during = visits.iter().any(|t| (from..to).contains(t));
            let bought = !with_purchase
                || d.times_of(i, "purchase")
                    .iter()
                    .any(|t| (from..to).contains(t));
            !before && during && bought
        })
        .count()
}

#[test]
fn story_may_promotion_wins_back_dormant_customers() {
    let d = demo();
    let months: Vec<(i32, u32)> = (0..12)
        .map(|k: u32| (2025 + ((10 + k) / 12) as i32, (10 + k) % 12 + 1))
        .collect();
    for with_purchase in [false, true] {
        let counts: Vec<((i32, u32), usize)> = months
            .iter()
            .map(|&(y, m)| {
                let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                (
                    (y, m),
                    reactivated(d, kst(y, m, 1), kst(next.0, next.1, 1), with_purchase),
                )
            })
            .collect();
        let may = counts
            .iter()
            .find(|(m, _)| *m == (2026, 5))
            .map(|c| c.1)
            .expect("May 2026 is covered");
        let others = counts
            .iter()
            .filter(|(m, _)| *m != (2026, 5))
            .map(|c| c.1)
            .max()
            .unwrap_or(0);
        assert!(
            may >= 2 * others && may >= 50,
            "reactivated (purchase: {with_purchase}): {counts:?}"
        );
    }
    let may_channels: BTreeSet<&str> = d
        .of_type("message_sent")
        .filter(|e| prop(e, "campaign").and_then(Value::as_str) == Some("may_family_month"))
        .filter_map(|e| prop(e, "channel").and_then(Value::as_str))
        .collect();
    assert_eq!(may_channels.len(), 4, "{may_channels:?}");
    assert!(d
        .of_type("purchase")
        .any(|e| prop(e, "coupon").and_then(Value::as_str) == Some("FAMILY15")));
}

#[test]
fn story_coupon_cohort_buys_once_and_never_again() {
    let d = demo();
    let (mut cohort, mut others) = ((0, 0, 0), (0, 0, 0)); // (buyers, repeaters, first orders with a coupon)
    let feb = kst(2026, 2, 1)..kst(2026, 3, 1);
    for i in 0..d.customers.len() {
        let purchases: Vec<&Event> = d.events_of(i, "purchase").collect();
        if purchases.is_empty() {
            continue;
        }
        let in_cohort = d.attr(i, "channel").and_then(Value::as_str) == Some("coupon_event")
            && feb.contains(&d.customers[i].created_at.timestamp());
        let group = if in_cohort { &mut cohort } else { &mut others };
        group.0 += 1;
        group.1 += usize::from(purchases.len() >= 2);
        group.2 += usize::from(prop(purchases[0], "coupon").is_some());
    }
    let (cohort_rate, others_rate) = (ratio(cohort.1, cohort.0), ratio(others.1, others.0));
    assert!(cohort.0 >= 150, "cohort buyers {}", cohort.0);
    assert!(
        cohort_rate < 0.15 && cohort_rate < others_rate / 3.0,
        "repeat {cohort_rate:.3} vs {others_rate:.3}"
    );
    assert!(others_rate > 0.25, "others repeat {others_rate:.3}");
    assert!(
        ratio(cohort.2, cohort.0) > 0.6,
        "cohort first orders with a coupon {cohort:?}"
    );
}

#[test]
fn story_cart_abandoners_pile_up_in_the_last_weeks() {
    let d = demo();
    let recent = d.as_of - 30 * DAY;
    let abandoners = (0..d.customers.len())
        .filter(|&i| {
            let carts = d.times_of(i, "cart_add");
            let last_purchase = d
                .times_of(i, "purchase")
                .last()
                .copied()
                .unwrap_or(i64::MIN);
            carts.iter().any(|&t| t >= recent && t > last_purchase)
        })
        .count();
    assert!(
        abandoners >= 100,
        "{abandoners} cart abandoners in the last 30 days"
    );

    // Share of carts not followed by a purchase within an hour: last 30 days vs the 90 before.
    let abandon_rate = |from: i64, to: i64| {
        let (mut carts, mut left) = (0, 0);
        for i in 0..d.customers.len() {
            let purchases = d.times_of(i, "purchase");
            for t in d
                .times_of(i, "cart_add")
                .into_iter()
                .filter(|t| (from..to).contains(t))
            {
                carts += 1;
                left += usize::from(!purchases.iter().any(|p| (t..t + 3600).contains(p)));
            }
        }
        ratio(left, carts)
    };
    let (late, before) = (
        abandon_rate(recent, d.as_of),
        abandon_rate(recent - 90 * DAY, recent),
    );
    assert!(
        late > before + 0.1,
        "abandonment {late:.3} in the last 30 days vs {before:.3} before"
    );
}

#[test]
fn story_b2b_contracts_end_soon_with_mixed_risk() {
    let d = demo();
    let b2b: Vec<usize> = (0..d.customers.len()).filter(|&i| d.is_b2b(i)).collect();
    let share = ratio(b2b.len(), d.customers.len());
    assert!((0.03..0.08).contains(&share), "B2B share {share:.3}");
    let date = |i: usize, name: &str| {
        let s = d
            .attr(i, name)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{name} missing"));
        kst_date(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
    };
    let (mut soon, mut quiet, mut unhappy, mut ended, mut renewed) = (0, 0, 0, 0, 0);
    for &i in &b2b {
        for name in ["company", "plan", "seats"] {
            assert!(
                d.attr(i, name).is_some(),
                "{}: {name} missing",
                d.customers[i].id
            );
        }
        let company = d
            .attr(i, "company")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            company.starts_with('㈜') || company.starts_with("주식회사 "),
            "{company}"
        );
        let (start, end) = (date(i, "contract_start"), date(i, "contract_end"));
        assert!(start < end);
        renewed += usize::from(d.events_of(i, "contract_renewed").next().is_some());
        if d.events_of(i, "contract_ended").next().is_some() {
            assert!(
                end <= d.as_of,
                "an ended contract's end date is in the past"
            );
            ended += 1;
        } else if end > d.as_of && end <= d.as_of + 90 * DAY {
            soon += 1;
            quiet += usize::from(
                !d.times_of(i, "visit")
                    .iter()
                    .any(|&t| t >= d.as_of - 60 * DAY),
            );
            unhappy += usize::from(d.events_of(i, "nps_response").any(|e| {
                prop(e, "score")
                    .and_then(Value::as_u64)
                    .is_some_and(|s| s <= 6)
            }));
        }
    }
    assert!(soon >= 20, "{soon} contracts end within 90 days");
    assert!(
        quiet >= 3 && quiet < soon,
        "{quiet} of {soon} ending contracts are inactive"
    );
    assert!(
        unhappy >= 3 && unhappy < soon,
        "{unhappy} of {soon} ending contracts gave a low NPS"
    );
    assert!(
        ended >= 5 && renewed >= 5,
        "{ended} ended, {renewed} renewed"
    );
    assert!(d.of_type("contract_start").count() >= b2b.len());
}

fn kst_date(date: NaiveDate) -> i64 {
    kst(date.year(), date.month(), date.day())
}

#[test]
fn story_nps_detractors_churn_more() {
    let d = demo();
    let scores: Vec<u64> = d
        .of_type("nps_response")
        .map(|e| prop(e, "score").and_then(Value::as_u64).expect("score"))
        .collect();
    assert!(scores.iter().all(|&s| s <= 10));
    let share = |f: fn(u64) -> bool| ratio(scores.iter().filter(|&&s| f(s)).count(), scores.len());
    let (promoters, passives, detractors) = (
        share(|s| s >= 9),
        share(|s| (7..=8).contains(&s)),
        share(|s| s <= 6),
    );
    for (name, s) in [
        ("promoters", promoters),
        ("passives", passives),
        ("detractors", detractors),
    ] {
        assert!(s >= 0.1, "{name} {s:.3}");
    }
    // Churned = no visit in the 90 days after answering (answers at least 90 days before the snapshot).
    // (answers, churned) per group.
    let (mut promoter, mut passive, mut detractor) = ((0, 0), (0, 0), (0, 0));
    for i in 0..d.customers.len() {
        let visits = d.times_of(i, "visit");
        for e in d.events_of(i, "nps_response") {
            let t = e.at.timestamp();
            if t >= d.as_of - 90 * DAY {
                continue;
            }
            let churned = !visits.iter().any(|&v| v > t && v <= t + 90 * DAY);
            let score = prop(e, "score").and_then(Value::as_u64).expect("score");
            let group = match score {
                9..=10 => &mut promoter,
                7..=8 => &mut passive,
                _ => &mut detractor,
            };
            group.0 += 1;
            group.1 += usize::from(churned);
        }
    }
    let (p, n, q) = (
        ratio(promoter.1, promoter.0),
        ratio(passive.1, passive.0),
        ratio(detractor.1, detractor.0),
    );
    // Not just "fans stay": a detractor is clearly likelier to leave than a passive customer too.
    assert!(
        q > 1.5 * p && q > n + 0.1,
        "churn after answering: detractors {q:.3}, passives {n:.3}, promoters {p:.3}"
    );
}

#[test]
fn story_messages_go_out_in_daytime_on_every_channel() {
    let d = demo();
    let sent: Vec<&Event> = d.of_type("message_sent").collect();
    let daytime = sent
        .iter()
        .filter(|e| (8..21).contains(&e.at.hour()))
        .count();
    let share = ratio(daytime, sent.len());
    assert!(
        (0.95..1.0).contains(&share),
        "{share:.4} of messages sent 08:00–21:00"
    );
    let channels: BTreeSet<&str> = sent
        .iter()
        .filter_map(|e| prop(e, "channel").and_then(Value::as_str))
        .collect();
    assert_eq!(
        channels.into_iter().collect::<Vec<_>>(),
        ["email", "in_app", "kakao", "push", "sms"]
    );
    for ty in ["message_opened", "message_clicked"] {
        assert!(
            d.of_type(ty).count() * 100 > sent.len(),
            "{ty} should follow some sends"
        );
    }
}

#[test]
fn synthetic_datasets_are_lean_and_deterministic() {
    let config = GeneratorConfig::synthetic(2_000, 42);
    let a = generate(&config);
    let per_customer = a.events.len() as f64 / a.customers.len() as f64;
    assert!(
        (7.0..14.0).contains(&per_customer),
        "{per_customer:.1} events per customer"
    );
    assert_eq!(
        to_bytes(&a),
        to_bytes(&generate(&config)),
        "same config, same bytes"
    );
    let other = generate(&GeneratorConfig::synthetic(2_000, 43));
    assert_ne!(
        to_bytes(&a).customers,
        to_bytes(&other).customers,
        "another seed, other customers"
    );
}
