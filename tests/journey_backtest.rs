//! The sources' three journeys backtested on the demo data: plausible, consistent and stable.

use std::path::Path;

use crm_lens::engine::backtest::{
    self, BacktestCustomersSpec, BacktestResult, BacktestSpec, JourneyBacktest, Selection,
};
use crm_lens::engine::journey::Channel;
use crm_lens::engine::journey_templates::{template, templates};
use crm_lens::engine::journey_validate::{validate, Severity};
use crm_lens::engine::segment::SegmentLibrary;
use crm_lens::engine::{query, Context, Store, Zone};

fn demo() -> Store {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
    let read = |name: &str| std::fs::read(dir.join(name)).expect("demo file");
    Store::from_json(
        &read("meta.json"),
        &read("customers.json"),
        &read("events.json"),
    )
    .expect("the demo is valid")
    .0
}

fn ctx(store: &Store) -> Context {
    let now = store.meta.as_of.expect("the demo has as_of").timestamp();
    Context::new(now, Zone::default())
}

fn run(store: &Store, ids: &[&str]) -> BacktestResult {
    let spec = BacktestSpec {
        days: 90,
        journeys: ids
            .iter()
            .map(|id| template(id).expect("template").journey)
            .collect(),
    };
    backtest::run(store, &ctx(store), &spec, &SegmentLibrary::new(), None).expect("runs")
}

/// One line of the numbers a marketer reads, for the pinned values below.
fn summary(r: &JourneyBacktest) -> String {
    let channels: Vec<String> = r
        .channels
        .iter()
        .filter(|c| c.attempted > 0)
        .map(|c| {
            format!(
                "{}:{}/{}/{}/{}/{}/{}",
                c.channel.name(),
                c.sent,
                c.skipped_consent,
                c.deferred_quiet_hours,
                c.held_by_cap,
                c.pending,
                c.cancelled
            )
        })
        .collect();
    let goal = r.goal.as_ref().map(|g| {
        format!(
            "goal {}/{} control {}/{}",
            g.treated_reached, g.treated, g.control_reached, g.control
        )
    });
    format!(
        "entries {} customers {} completed {} exited {} in_progress {} control {} | {} | {}",
        r.entries,
        r.customers,
        r.completed,
        r.exited,
        r.in_progress,
        r.control,
        channels.join(" "),
        goal.unwrap_or_default()
    )
}

fn check_consistency(store: &Store, ids: &[&str], r: &BacktestResult) {
    for (j, journey) in r.journeys.iter().enumerate() {
        assert_eq!(
            journey.entries,
            journey.completed + journey.exited + journey.in_progress + journey.control,
            "{}",
            journey.name
        );
        for c in &journey.channels {
            assert_eq!(
                c.attempted,
                c.sent + c.skipped_consent + c.held_by_cap + c.pending + c.cancelled
            );
        }
        let sent: usize = journey.channels.iter().map(|c| c.sent).sum();
        assert_eq!(
            journey.calendar.iter().map(|d| d.total).sum::<usize>(),
            sent
        );
        // The lists behind the counts have as many customers as the counts say.
        let spec = |select: Selection| BacktestCustomersSpec {
            backtest: BacktestSpec {
                days: 90,
                journeys: ids
                    .iter()
                    .map(|id| template(id).expect("template").journey)
                    .collect(),
            },
            journey: j,
            select,
        };
        let list = |select: Selection| {
            backtest::customers(
                store,
                &ctx(store),
                &spec(select),
                &SegmentLibrary::new(),
                None,
            )
            .expect("runs")
            .len()
        };
        assert_eq!(list(Selection::Entries), journey.customers);
        // Each list replays the whole spec: nodes of the cheapest journey only (the property
        // test in `engine::backtest` checks every list on random journeys).
        if ids[j] != "signup_coupon" {
            continue;
        }
        for node in &journey.nodes {
            assert_eq!(
                list(Selection::Node {
                    node: node.id.clone()
                }),
                node.customers
            );
        }
    }
}

#[test]
fn the_three_source_journeys_on_the_demo() {
    let store = demo();
    for t in templates() {
        let v = validate(&store, &ctx(&store), &t.journey, &SegmentLibrary::new());
        assert!(
            v.issues.iter().all(|i| i.severity != Severity::Error),
            "{}: {:?}",
            t.id,
            v.issues
        );
    }
    let ids = ["win_back", "signup_coupon", "cart_consultation"];
    let together = run(&store, &ids);
    check_consistency(&store, &ids, &together);
    let alone: Vec<BacktestResult> = ids.iter().map(|id| run(&store, &[id])).collect();
    for (j, r) in together.journeys.iter().enumerate() {
        println!("{:<20} {}", ids[j], summary(r));
        println!("{:<20} {}", "  (alone)", summary(&alone[j].journeys[0]));
    }

    // Plausibility: every journey reaches people, sends messages on most days, and meets the
    // sending rules; running them together only adds cap holds.
    for (j, r) in together.journeys.iter().enumerate() {
        let a = &alone[j].journeys[0];
        assert!(r.entries > 50, "{}: {}", r.name, r.entries);
        assert!(r.customers <= store.customers.len());
        let sent: usize = r.channels.iter().map(|c| c.sent).sum();
        assert!(sent > 0);
        assert!(
            r.channels.iter().any(|c| c.skipped_consent > 0),
            "not everyone consented"
        );
        assert!(
            r.channels.iter().any(|c| c.deferred_quiet_hours > 0),
            "some arrive at night"
        );
        let held = |x: &JourneyBacktest| x.channels.iter().map(|c| c.held_by_cap).sum::<usize>();
        assert!(held(r) >= held(a), "{}", r.name);
        assert_eq!(
            (r.entries, r.completed, r.exited, r.control),
            (a.entries, a.completed, a.exited, a.control),
            "caps never change the flow"
        );
        let goal = r.goal.as_ref().expect("every template has a goal");
        assert!(goal.treated_reached <= goal.treated && goal.reached > 0);
    }
    let win_back = &together.journeys[0];
    let control = win_back.goal.as_ref().expect("goal").control;
    let share = control as f64 / win_back.entries as f64;
    assert!((0.05..0.15).contains(&share), "about 10% control: {share}");
    let signup = &together.journeys[1];
    let sms = signup
        .channels
        .iter()
        .find(|c| c.channel == Channel::Sms)
        .expect("sms");
    assert!(sms.attempted < signup.entries, "buyers skip the day-2 SMS");
    let bought = signup
        .edges
        .iter()
        .find(|e| e.from == "bought" && e.outlet == "yes")
        .expect("edge");
    assert!(bought.customers > 0);
    let cart = &together.journeys[2];
    assert!(cart.exited > 0, "some buy before the coupon");

    // Stable: the same numbers every run, and these numbers (update them only with a reason).
    assert_eq!(run(&store, &ids), together);
    let pinned: Vec<String> = together.journeys.iter().map(summary).collect();
    assert_eq!(pinned, PINNED, "{pinned:#?}");
}

/// Per journey: visits and how they ended | per channel sent/skipped for consent/deferred by
/// quiet hours/held by caps/pending/cancelled | goal reached/visits for treated and control.
const PINNED: [&str; 3] = [
    "entries 4117 customers 2654 completed 3425 exited 0 in_progress 276 control 416 | email:1263/555/1285/0/22/0 push:935/1578/373/0/4/0 kakao:1025/823/1038/0/13/0 | goal 1417/3701 control 172/416",
    "entries 1576 customers 1576 completed 1522 exited 0 in_progress 54 control 0 | sms:654/569/79/0/1/0 kakao:886/687/288/0/3/0 | goal 377/1576 control 0/0",
    "entries 3070 customers 1690 completed 1366 exited 1658 in_progress 46 control 0 | email:974/392/137/0/1/0 kakao:780/569/364/121/3/5 | goal 1820/3070 control 0/0",
];

#[test]
fn the_documented_backtest_example_holds_the_templates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/journey-backtest.json");
    let q = query::parse(&std::fs::read(path).expect("example")).expect("parses");
    let query::Analysis::JourneyBacktest(spec) = q.analysis else {
        panic!("a journey_backtest example")
    };
    let journeys: Vec<_> = templates().into_iter().map(|t| t.journey).collect();
    assert_eq!(spec.journeys, journeys);
}

fn example(name: &str) -> serde_json::Value {
    let store = demo();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/examples")
        .join(name);
    let q = query::parse(&std::fs::read(path).expect("example")).expect("parses");
    serde_json::to_value(query::run(&store, &q).expect("runs")).expect("json")
}

#[test]
fn the_documented_validation_previews_a_real_customer() {
    let out = example("journey-validate.json");
    assert_eq!(out["kind"], "journey_validate");
    assert_eq!(out["valid"], true, "{out}");
    assert_eq!(out["errors"], 0);
    let previews = out["previews"].as_array().expect("previews");
    assert_eq!(previews.len(), 2, "the coupon and the SMS");
    let store = demo();
    let (name, _) = store.customers.name_and_email("C00001");
    for preview in previews {
        assert_eq!(preview["customer"], "C00001");
        let text = preview["text"].as_str().expect("text");
        assert!(text.starts_with(&format!("{name}님")), "{text}");
        assert_eq!(preview["unknown"], serde_json::json!([]));
    }
}

#[test]
fn the_documented_customer_list_matches_its_count() {
    let out = example("journey-backtest-customers.json");
    let listed = out["customers"].as_array().expect("customers").len();
    assert_eq!(out["count"], listed);
    // Every SMS of the signup journey goes to a different customer (they enter once).
    let store = demo();
    let signup = run(&store, &["signup_coupon"]);
    let sms = signup.journeys[0]
        .channels
        .iter()
        .find(|c| c.channel == Channel::Sms)
        .expect("sms");
    assert_eq!(listed, sms.sent);
    assert!(listed > 0);
}

#[test]
fn journey_query_errors_name_the_field() {
    let bad_channel = br#"{"v":1,"kind":"journey_backtest","journeys":[{"entry":{"type":"event","event":{"event":"signup"}},
        "start":"a","nodes":[{"id":"a","type":"message","channel":"fax"}]}]}"#;
    let err = query::parse(bad_channel).expect_err("no fax channel");
    assert!(err.path.starts_with("journeys[0].nodes[0]"), "{err}");
    let store = demo();
    let cycle = br#"{"v":1,"kind":"journey_backtest","journeys":[{"entry":{"type":"event","event":{"event":"signup"}},
        "start":"a","nodes":[{"id":"a","type":"message","channel":"email","content":"hi","next":"b"},
                             {"id":"b","type":"branch","condition":{"rule":"all","rules":[]},"yes":"a","no":"a"}]}]}"#;
    let q = query::parse(cycle).expect("parses");
    let err = query::run(&store, &q).expect_err("a loop without a delay");
    assert_eq!(err.path, "journeys[0].nodes[0]");
    // Validation reports the same problem as a value, with the node.
    let validate = br#"{"v":1,"kind":"journey_validate","journey":{"entry":{"type":"event","event":{"event":"signup"}},
        "start":"a","nodes":[{"id":"a","type":"message","channel":"email","content":"hi {{nickname}}","next":"a"}]}}"#;
    let q = query::parse(validate).expect("parses");
    let out = serde_json::to_value(query::run(&store, &q).expect("runs")).expect("json");
    assert_eq!(out["valid"], false);
    let codes: Vec<&str> = out["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["cycle_without_delay", "unknown_placeholder"]);
    let unknown_customer = br#"{"v":1,"kind":"journey_validate","preview_customer":"nobody","journey":{"entry":{"type":"event","event":{"event":"signup"}},
        "start":"a","nodes":[{"id":"a","type":"exit"}]}}"#;
    let q = query::parse(unknown_customer).expect("parses");
    assert_eq!(
        query::run(&store, &q).expect_err("unknown").path,
        "preview_customer"
    );
}
