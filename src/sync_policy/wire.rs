//! Parsers for the JSON documents of the saved-definitions part of the contract and of the
//! client's own browser storage. Each returns an [`IngestError`] naming the path of the bad
//! field (`data[2].version: invalid type …`), never panics, and rejects trailing bytes.
//!
//! The dataset documents (meta, customer and event pages) are parsed by `engine::ingest`.

use serde::Deserialize;

use crate::engine::IngestError;
use crate::model::{Page, Problem, SavedDefinition};

use super::draft::Draft;

/// Deserialises `bytes` as one `T`, naming the failing path under `root`.
pub fn parse_document<'de, T: Deserialize<'de>>(
    root: &str,
    bytes: &'de [u8],
) -> Result<T, IngestError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.path().to_string();
        IngestError {
            path: if inner.is_empty() || inner == "." {
                root.to_owned()
            } else if inner.starts_with('[') {
                format!("{root}{inner}")
            } else {
                format!("{root}.{inner}")
            },
            message: e.into_inner().to_string(),
        }
    })?;
    de.end().map_err(|e| IngestError {
        path: root.to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// `GET /segments/{id}` (and journeys), and the answers of `POST` and `PUT`.
pub fn parse_definition(bytes: &[u8]) -> Result<SavedDefinition, IngestError> {
    parse_document("definition", bytes)
}

/// `GET /segments` (and journeys): `{"data": [...], "next_cursor": null}`.
pub fn parse_definition_list(bytes: &[u8]) -> Result<Page<SavedDefinition>, IngestError> {
    parse_document("list", bytes)
}

/// An `application/problem+json` body.
pub fn parse_problem(bytes: &[u8]) -> Result<Problem, IngestError> {
    parse_document("problem", bytes)
}

/// The paging fields of a customer or event page, without its rows: the cursor of the next
/// page, and the backend's clock when the listing started (the `since` of the next refresh).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PageClock {
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub server_time: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Reads a page's [`PageClock`], skipping its rows (they are read by `engine::ingest`).
pub fn parse_page_clock(bytes: &[u8]) -> Result<PageClock, IngestError> {
    #[derive(Deserialize)]
    struct Skipping {
        #[allow(dead_code)]
        data: serde::de::IgnoredAny,
        #[serde(default)]
        next_cursor: Option<String>,
        #[serde(default)]
        server_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    }
    let page: Skipping = parse_document("page", bytes)?;
    Ok(PageClock {
        next_cursor: page.next_cursor,
        server_time: page.server_time,
    })
}

/// A draft kept in browser storage.
pub fn parse_draft(bytes: &[u8]) -> Result<Draft, IngestError> {
    parse_document("draft", bytes)
}

/// The saved definitions of one kind kept in this browser (demo mode).
pub fn parse_stored_list(bytes: &[u8]) -> Result<Vec<SavedDefinition>, IngestError> {
    parse_document("saved", bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFINITION: &str = r#"{"id":"s1","name":"VIP","description":"","owner":"kim",
        "created_at":"2026-12-01T09:00:00+09:00","updated_at":"2026-12-02T09:00:00+09:00",
        "version":3,"definition":{"rule":"all","rules":[]}}"#;

    #[test]
    fn reads_a_definition_and_a_list() {
        let d = parse_definition(DEFINITION.as_bytes()).expect("valid");
        assert_eq!((d.id.as_str(), d.version), ("s1", 3));
        let list = format!(r#"{{"data":[{DEFINITION}],"next_cursor":null}}"#);
        let page = parse_definition_list(list.as_bytes()).expect("valid");
        assert_eq!(page.data, vec![d]);
        assert_eq!(page.next_cursor, None);
    }

    #[test]
    fn a_wrong_field_type_names_the_field() {
        let bad = DEFINITION.replace(r#""version":3"#, r#""version":"3""#);
        let err = parse_definition(bad.as_bytes()).expect_err("version is a number");
        assert_eq!(err.path, "definition.version");
        let list = format!(r#"{{"data":[{DEFINITION},{bad}]}}"#);
        let err = parse_definition_list(list.as_bytes()).expect_err("second is bad");
        assert_eq!(err.path, "list.data[1].version");
        let err = parse_stored_list(format!("[{bad}]").as_bytes()).expect_err("bad");
        assert_eq!(err.path, "saved[0].version");
    }

    #[test]
    fn truncated_and_trailing_bytes_are_errors() {
        for end in 0..DEFINITION.len() {
            assert!(
                parse_definition(&DEFINITION.as_bytes()[..end]).is_err(),
                "{end}"
            );
        }
        assert!(parse_definition(format!("{DEFINITION} x").as_bytes()).is_err());
    }

    #[test]
    fn reads_the_clock_of_a_page_and_names_a_bad_one() {
        let clock = parse_page_clock(
            br#"{"data":[{"id":"c1"}],"next_cursor":"abc","server_time":"2026-12-07T12:00:00Z"}"#,
        )
        .expect("valid");
        assert_eq!(clock.next_cursor.as_deref(), Some("abc"));
        assert_eq!(
            clock.server_time.map(|t| t.timestamp()),
            Some(1_796_644_800)
        );
        let err = parse_page_clock(br#"{"data":[],"server_time":42}"#).expect_err("bad");
        assert_eq!(err.path, "page.server_time");
        assert!(parse_page_clock(br#"{"next_cursor":null}"#).is_err());
    }

    #[test]
    fn reads_problem_details_with_field_pointers() {
        let p = parse_problem(
            br#"{"type":"about:blank","title":"Invalid","status":422,
                "errors":[{"pointer":"/name","detail":"must not be empty"}]}"#,
        )
        .expect("valid");
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].pointer, "/name");
        assert!(parse_problem(br#"{"title":"x"}"#).is_err());
    }
}
