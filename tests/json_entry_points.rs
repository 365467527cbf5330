#![cfg(not(target_arch = "wasm32"))]
//! Every JSON document the client reads, fed arbitrary bytes, a soup of JSON tokens and every
//! strict prefix of a real document: each parser returns an error (or a value), never panics.
//!
//! Entry points: `GET /meta`, a customer page, an event page (and the paging fields of both), a
//! saved definition, a list of saved definitions, problem details, a draft, the list of saved
//! definitions kept in browser storage (demo mode), and `config.json`.

use std::sync::OnceLock;

use crm_lens::config::SettingsLayer;
use crm_lens::engine::ingest::{parse_customer_page, parse_meta};
use crm_lens::engine::Store;
use crm_lens::sync_policy::wire::{
    parse_definition, parse_definition_list, parse_draft, parse_page_clock, parse_problem,
    parse_stored_list,
};
use proptest::prelude::*;

const META: &str = include_str!("../public/demo/meta.json");

/// The first records of a large demo file, as a small page of the same shape.
fn head_page(path: &str, records: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('{') && l.contains("\"id\""))
        .take(records)
        .map(|l| l.trim_end_matches(','))
        .collect();
    format!(
        "{{\"data\":[\n{}\n],\"next_cursor\":\"c2\",\"server_time\":\"2026-12-07T12:00:00Z\"}}",
        lines.join(",\n")
    )
}

const DEFINITION: &str = r#"{"id":"s1","name":"VIP 고객","description":"","owner":"kim@example.com",
  "created_at":"2026-12-01T09:00:00+09:00","updated_at":"2026-12-02T09:00:00+09:00","version":3,
  "definition":{"rule":"all","rules":[{"rule":"attribute","attribute":"$id","op":"in","values":["C1","C2"]}]}}"#;
const PROBLEM: &str = r#"{"type":"https://crm-lens.dev/problems/validation","title":"Invalid definition","status":422,
  "detail":"2 fields are invalid","instance":"/segments","errors":[{"pointer":"/name","detail":"must not be empty"},
  {"pointer":"/definition","detail":"must be an object"}]}"#;
const DRAFT: &str = r#"{"kind":"journey","saved_id":null,"base_version":null,"name":"가입 여정",
  "definition":{"nodes":[]},"saved_at":"2026-12-07T21:00:00+09:00"}"#;
const CONFIG: &str = r#"{"api":"https://crm.example.com/api/v1","locale":"ko","timezone":"Asia/Seoul","currency":"KRW","base_path":"/crm"}"#;

struct Documents {
    customers: String,
    events: String,
    list: String,
    stored: String,
}

fn documents() -> &'static Documents {
    static DOCS: OnceLock<Documents> = OnceLock::new();
    DOCS.get_or_init(|| Documents {
        customers: head_page("public/demo/customers.json", 4),
        events: head_page("public/demo/events.json", 6),
        list: format!(r#"{{"data":[{DEFINITION},{DEFINITION}],"next_cursor":null}}"#),
        stored: format!("[{DEFINITION}]"),
    })
}

/// Runs every entry point on `bytes`; returns how many accepted it.
fn every_entry_point(bytes: &[u8]) -> usize {
    let mut accepted = 0;
    let mut count = |ok: bool| accepted += usize::from(ok);
    count(parse_meta(bytes).is_ok());
    count(parse_customer_page(bytes).is_ok());
    count(parse_page_clock(bytes).is_ok());
    if let Ok(meta) = parse_meta(META.as_bytes()) {
        let mut store = Store::empty(meta);
        if let Ok((customers, _)) = parse_customer_page(documents().customers.as_bytes()) {
            let _ = store.upsert_customers(customers);
        }
        count(store.append_event_pages(&[bytes]).is_ok());
    }
    count(parse_definition(bytes).is_ok());
    count(parse_definition_list(bytes).is_ok());
    count(parse_problem(bytes).is_ok());
    count(parse_draft(bytes).is_ok());
    count(parse_stored_list(bytes).is_ok());
    count(SettingsLayer::from_json(bytes).is_ok());
    accepted
}

#[test]
fn the_real_documents_are_accepted() {
    let docs = documents();
    assert!(parse_meta(META.as_bytes()).is_ok());
    let (customers, cursor) = parse_customer_page(docs.customers.as_bytes()).expect("customers");
    assert_eq!((customers.len(), cursor.as_deref()), (4, Some("c2")));
    let clock = parse_page_clock(docs.events.as_bytes()).expect("events clock");
    assert!(clock.server_time.is_some());
    let mut store = Store::empty(parse_meta(META.as_bytes()).expect("meta"));
    store.upsert_customers(customers).expect("customers");
    let (report, _) = store
        .append_event_pages(&[docs.events.as_bytes()])
        .expect("events");
    assert_eq!(report.events_added + report.unknown_customer_skipped, 6);
    assert!(parse_definition(DEFINITION.as_bytes()).is_ok());
    assert_eq!(
        parse_definition_list(docs.list.as_bytes())
            .expect("list")
            .data
            .len(),
        2
    );
    assert_eq!(
        parse_problem(PROBLEM.as_bytes())
            .expect("problem")
            .errors
            .len(),
        2
    );
    assert!(parse_draft(DRAFT.as_bytes()).is_ok());
    assert_eq!(
        parse_stored_list(docs.stored.as_bytes())
            .expect("stored")
            .len(),
        1
    );
    assert!(SettingsLayer::from_json(CONFIG.as_bytes()).is_ok());
}

/// Every strict prefix of every real document is refused by its own parser, and no parser
/// panics on it.
#[test]
fn every_strict_prefix_of_a_real_document_is_an_error() {
    let docs = documents();
    type Parser = fn(&[u8]) -> bool;
    let cases: Vec<(&str, &str, Parser)> = vec![
        ("meta", META, |b| parse_meta(b).is_ok()),
        ("customers", &docs.customers, |b| {
            parse_customer_page(b).is_ok()
        }),
        ("events clock", &docs.events, |b| {
            parse_page_clock(b).is_ok()
        }),
        ("definition", DEFINITION, |b| parse_definition(b).is_ok()),
        ("list", &docs.list, |b| parse_definition_list(b).is_ok()),
        ("problem", PROBLEM, |b| parse_problem(b).is_ok()),
        ("draft", DRAFT, |b| parse_draft(b).is_ok()),
        ("stored", &docs.stored, |b| parse_stored_list(b).is_ok()),
        ("config", CONFIG, |b| SettingsLayer::from_json(b).is_ok()),
    ];
    let mut prefixes = 0;
    for (name, doc, parse) in cases {
        // Trailing whitespace is not part of the document: its prefixes are complete ones.
        let bytes = doc.trim_end().as_bytes();
        assert!(parse(bytes), "{name} itself is valid");
        for end in 0..bytes.len() {
            let prefix = &bytes[..end];
            assert!(
                !parse(prefix),
                "{name}: the prefix of {end} bytes was accepted"
            );
            every_entry_point(prefix);
            prefixes += 1;
        }
    }
    // The events page goes through the store's ingest too.
    let meta = parse_meta(META.as_bytes()).expect("meta");
    for end in (0..docs.events.len()).step_by(7) {
        let mut store = Store::empty(meta.clone());
        assert!(store
            .append_event_pages(&[&docs.events.as_bytes()[..end]])
            .is_err());
    }
    assert!(prefixes > 5_000, "{prefixes}");
}

/// JSON-ish tokens, so the soup reaches deep into the parsers rather than failing at byte 1.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-0.5e9".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("\"2026-12-07T12:00:00Z\"".to_owned()),
        Just("\"2026-13-45\"".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        Just("\"한글\"".to_owned()),
        prop::sample::select(vec![
            "data",
            "next_cursor",
            "server_time",
            "id",
            "name",
            "version",
            "definition",
            "created_at",
            "updated_at",
            "owner",
            "title",
            "status",
            "errors",
            "pointer",
            "detail",
            "kind",
            "saved_at",
            "v",
            "currency",
            "time_zone",
            "event_types",
            "attributes",
            "customer_id",
            "type",
            "at",
            "value",
            "properties",
            "consent",
            "api",
            "locale",
            "segment",
            "journey",
            "rule",
        ])
        .prop_map(|k| format!("\"{k}\"")),
        "[a-z0-9 ]{0,6}".prop_map(|s| format!("\"{s}\"")),
        (0u64..5).prop_map(|n| n.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        every_entry_point(&bytes);
    }

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(token(), 0..60)) {
        every_entry_point(tokens.concat().as_bytes());
    }

    #[test]
    fn a_real_document_with_one_byte_changed_never_panics(
        which in 0usize..9,
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let docs = documents();
        let doc: &str = [META, &docs.customers, &docs.events, DEFINITION, &docs.list, PROBLEM, DRAFT, &docs.stored, CONFIG][which];
        let mut bytes = doc.as_bytes().to_vec();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        every_entry_point(&bytes);
    }
}
