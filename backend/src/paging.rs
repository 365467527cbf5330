//! Keyset paging: `limit`, an opaque `cursor` → `next_cursor`, and incremental `since`.
//!
//! A cursor carries the listing's `server_time` (so every page of one listing reports the same
//! one) and the last key returned; the next page starts after that key. Rows are ordered by
//! their id in byte order, so a row that exists for the whole listing is returned exactly once.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::problem::ApiError;

/// The validated paging parameters of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub limit: usize,
    /// Start after this key (from the cursor).
    pub after: Option<String>,
    /// The listing's server time (from the cursor; `None` on a first page).
    pub server_time: Option<DateTime<Utc>>,
    /// Only rows created or changed at or after this instant.
    pub since: Option<DateTime<Utc>>,
}

/// Reads `limit`, `cursor` and `since` (unknown parameters are ignored, as the contract says).
pub fn parse(
    query: &HashMap<String, String>,
    default_limit: usize,
    max_limit: usize,
) -> Result<PageRequest, ApiError> {
    let limit = match query.get("limit") {
        None => default_limit,
        Some(raw) => match raw.parse::<u64>() {
            Ok(0) | Err(_) => {
                return Err(ApiError::bad_parameter(
                    "limit",
                    format!("limit must be a whole number from 1 (got {raw:?})"),
                ))
            }
            Ok(n) => usize::try_from(n).unwrap_or(usize::MAX).min(max_limit),
        },
    };
    let since = match query.get("since") {
        None => None,
        Some(raw) => Some(
            DateTime::parse_from_rfc3339(raw)
                .map_err(|_| {
                    ApiError::bad_parameter(
                        "since",
                        format!("since must be an RFC 3339 instant such as 2026-03-01T10:00:00Z (got {raw:?})"),
                    )
                })?
                .with_timezone(&Utc),
        ),
    };
    let (server_time, after) = match query.get("cursor") {
        None => (None, None),
        Some(raw) => {
            let (t, key) = decode_cursor(raw).ok_or_else(|| {
                ApiError::bad_parameter("cursor", "cursor is not one this server handed out")
            })?;
            (Some(t), Some(key))
        }
    };
    Ok(PageRequest {
        limit,
        after,
        server_time,
        since,
    })
}

/// `server_time` as the contract writes it: RFC 3339 in UTC with microseconds.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An opaque cursor: hex of `"<server time µs>:<last key>"`.
pub fn encode_cursor(server_time: DateTime<Utc>, last_key: &str) -> String {
    let raw = format!("{}:{last_key}", server_time.timestamp_micros());
    let mut out = String::with_capacity(raw.len() * 2);
    for b in raw.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

pub fn decode_cursor(cursor: &str) -> Option<(DateTime<Utc>, String)> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 4096 {
        return None;
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let raw = String::from_utf8(bytes).ok()?;
    let (micros, key) = raw.split_once(':')?;
    let t = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    Some((t, key.to_string()))
}

/// Builds a page body from records that are already JSON text (`limit + 1` rows were asked
/// for: the extra one only tells whether another page follows).
pub fn page_body(
    mut rows: Vec<(String, String)>,
    limit: usize,
    server_time: DateTime<Utc>,
) -> Vec<u8> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|(key, _)| encode_cursor(server_time, key))
    } else {
        None
    };
    let mut body =
        String::with_capacity(rows.iter().map(|(_, d)| d.len() + 2).sum::<usize>() + 128);
    body.push_str("{\"data\":[");
    for (i, (_, doc)) in rows.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push('\n');
        body.push_str(doc);
    }
    body.push_str("\n],\"next_cursor\":");
    body.push_str(&serde_json::to_string(&next).unwrap_or_else(|_| "null".into()));
    body.push_str(",\"server_time\":\"");
    body.push_str(&format_time(server_time));
    body.push_str("\"}");
    body.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn cursor_round_trips_any_key() {
        let t = DateTime::from_timestamp_micros(1_780_000_000_123_456).expect("valid");
        for key in ["C00001", "a:b:c", "김민준", ""] {
            let c = encode_cursor(t, key);
            assert!(c.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(decode_cursor(&c), Some((t, key.to_string())));
        }
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor("41"), None); // "A": no separator
    }

    #[test]
    fn limit_defaults_clamps_and_rejects() {
        assert_eq!(parse(&q(&[]), 100, 500).expect("ok").limit, 100);
        assert_eq!(parse(&q(&[("limit", "7")]), 100, 500).expect("ok").limit, 7);
        assert_eq!(
            parse(&q(&[("limit", "99999999999")]), 100, 500)
                .expect("ok")
                .limit,
            500
        );
        for bad in ["0", "-1", "ten", "1.5", ""] {
            let e = parse(&q(&[("limit", bad)]), 100, 500).expect_err(bad);
            assert_eq!(e.parameter(), Some("limit"));
        }
    }

    #[test]
    fn since_must_be_rfc3339_and_is_read_as_utc() {
        let p = parse(&q(&[("since", "2026-03-01T10:00:00+09:00")]), 1, 1).expect("ok");
        assert_eq!(
            p.since.map(format_time).as_deref(),
            Some("2026-03-01T01:00:00.000000Z")
        );
        let e = parse(&q(&[("since", "2026-03-01")]), 1, 1).expect_err("date only");
        assert_eq!(e.parameter(), Some("since"));
    }

    #[test]
    fn page_body_sets_next_cursor_only_when_more_rows_follow() {
        let t = DateTime::from_timestamp_micros(0).expect("valid");
        let rows = |n: usize| {
            (0..n)
                .map(|i| (format!("k{i}"), format!("{{\"id\":\"k{i}\"}}")))
                .collect()
        };
        let full: serde_json::Value =
            serde_json::from_slice(&page_body(rows(3), 2, t)).expect("json");
        assert_eq!(full["data"].as_array().map(Vec::len), Some(2));
        let cursor = full["next_cursor"].as_str().expect("a cursor");
        assert_eq!(decode_cursor(cursor), Some((t, "k1".to_string())));
        let last: serde_json::Value =
            serde_json::from_slice(&page_body(rows(2), 2, t)).expect("json");
        assert!(last["next_cursor"].is_null());
        assert_eq!(last["server_time"], "1970-01-01T00:00:00.000000Z");
        let empty: serde_json::Value =
            serde_json::from_slice(&page_body(rows(0), 2, t)).expect("json");
        assert_eq!(empty["data"].as_array().map(Vec::len), Some(0));
    }
}
