//! Every example in `docs/examples/` (the ones `docs/query-spec.md` shows) runs on the demo data.

use std::path::Path;

use crm_lens::engine::{query, Store};

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

#[test]
fn every_documented_example_runs_on_the_demo() {
    let store = demo();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let mut ran = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("docs/examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("example");
        let q = query::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let output = query::run(&store, &q).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json = serde_json::to_string(&output).expect("serialises");
        assert!(!json.contains("NaN"), "{}", path.display());
        let kind = serde_json::to_value(&output).expect("json")["kind"].clone();
        ran.push(kind.as_str().unwrap_or_default().to_owned());
    }
    ran.sort();
    ran.dedup();
    // One example per kind at least, and the spec document names each of them.
    let spec =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/query-spec.md"))
            .expect("docs/query-spec.md");
    for kind in &ran {
        assert!(
            spec.contains(&format!("## `{kind}`")),
            "docs/query-spec.md has no section for {kind}"
        );
    }
    for kind in query::KINDS {
        assert!(
            ran.iter().any(|k| k == kind),
            "no example of {kind} in docs/examples"
        );
    }
}

#[test]
fn errors_name_the_field() {
    let store = demo();
    let bad = br#"{"v":1,"kind":"retention","period":"fortnight"}"#;
    let err = query::parse(bad).expect_err("bad period");
    assert!(err.to_string().contains("period"), "{err}");
    let q = query::parse(br#"{"v":1,"kind":"retention","brackets":[[2,1]]}"#).expect("parses");
    let err = query::run(&store, &q).expect_err("bad bracket");
    assert_eq!(err.path, "brackets[0]");
    assert!(query::parse(b"{not json").is_err());
    assert!(query::parse(br#"{"v":1,"kind":"horoscope"}"#).is_err());
}

mod no_panics {
    use proptest::prelude::*;

    use super::*;

    /// Queries stitched from real field names and odd values: parsing and running any of them
    /// gives a result or an error value, never a panic.
    fn query_text() -> impl Strategy<Value = String> {
        let kind = prop::sample::select(query::KINDS.to_vec());
        let value = prop::sample::select(vec![
            "0",
            "1",
            "-1",
            "5000",
            "99999999999",
            "1.5",
            "\"\"",
            "\"week\"",
            "\"month\"",
            "\"day\"",
            "\"2026-01-01\"",
            "\"2030-13-40\"",
            "null",
            "true",
            "[]",
            "[[1,3],[2,1]]",
            "{}",
            "{\"event\":\"purchase\"}",
            "{\"event\":\"$activity\",\"where\":[{\"property\":\"coupon\",\"op\":\"exists\"}]}",
            "[{\"event\":\"visit\"},{\"event\":\"purchase\"}]",
            "{\"days\":0}",
            "{\"days\":7}",
            "{\"rule\":\"all\",\"rules\":[]}",
            "{\"by\":\"attribute\",\"attribute\":\"plan\"}",
            "{\"at\":\"end\",\"event\":{\"event\":\"purchase\"}}",
            "\"dormant\"",
            "\"at risk\"",
            "\"predicted\"",
            "\"clv_desc\"",
            "[{\"channel\":\"organic\",\"month\":\"2026-10\",\"cost\":0}]",
        ]);
        let field = prop::sample::select(vec![
            "period",
            "periods",
            "cohorts",
            "from",
            "to",
            "brackets",
            "min_occurrences",
            "start",
            "return",
            "steps",
            "window",
            "mode",
            "anchor",
            "top",
            "session_gap_minutes",
            "rule",
            "breakdown",
            "row",
            "column",
            "step",
            "label",
            "target",
            "period_index",
            "stage",
            "segment",
            "window_days",
            "churn_inactive_days",
            "now",
            "time_zone",
            "filter",
            "cuts",
            "horizon_days",
            "clv_months",
            "monthly_discount_rate",
            "holdout_days",
            "purchase_event",
            "order",
            "limit",
            "months",
            "contract_end_attribute",
            "at_risk_min_score",
            "costs",
            "channel_attribute",
            "clv",
        ]);
        (kind, prop::collection::vec((field, value), 0..6)).prop_map(|(kind, fields)| {
            let mut text = format!("{{\"v\":1,\"kind\":\"{kind}\"");
            for (f, v) in fields {
                text.push_str(&format!(",\"{f}\":{v}"));
            }
            text.push('}');
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn any_query_is_an_answer_or_an_error(text in query_text()) {
            thread_local! { static STORE: Store = demo(); }
            STORE.with(|store| {
                if let Ok(q) = query::parse(text.as_bytes()) {
                    let _ = query::run(store, &q);
                }
            });
        }
    }
}

/// RFM kinds read a `segments` list as their R × F definition (a map stays the segment library).
#[test]
fn rfm_segments_list_is_the_rfm_definition() {
    let query = crm_lens::engine::query::parse(
        br#"{"v":1,"kind":"rfm_customers","segment":"VIP","segments":[{"name":"VIP","r":[4,5],"f":[4,5]}]}"#,
    )
    .expect("parses");
    match query.analysis {
        crm_lens::engine::query::Analysis::RfmCustomers(spec) => {
            assert_eq!(spec.rfm.segments.len(), 1);
            assert_eq!(spec.rfm.segments[0].name, "VIP");
            assert_eq!(spec.rfm.segments[0].r, [4, 5]);
        }
        other => panic!("{other:?}"),
    }
    let bad = crm_lens::engine::query::parse(
        br#"{"v":1,"kind":"rfm","segments":[{"name":"VIP","r":"high","f":[4,5]}]}"#,
    )
    .expect_err("a wrong type");
    assert!(bad.to_string().contains("segments"), "{bad}");
}
