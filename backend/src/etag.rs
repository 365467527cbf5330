//! Strong entity tags and the conditional request headers (`If-None-Match`, `If-Match`).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// 64-bit FNV-1a: stable across platforms and Rust versions (unlike `DefaultHasher`).
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The strong ETag of a representation: a hash of its exact bytes, quoted.
pub fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", fnv64(body))
}

/// The entity tags listed in an `If-Match` / `If-None-Match` value; `None` for `*`.
/// Weak tags keep their `W/` prefix.
fn parse_list(value: &str) -> Option<Vec<String>> {
    if value.trim() == "*" {
        return None;
    }
    let mut tags = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        if rest.is_empty() {
            break;
        }
        let weak = rest.starts_with("W/");
        let start = if weak { 2 } else { 0 };
        let body = &rest[start..];
        if !body.starts_with('"') {
            // Not an entity tag: skip to the next comma.
            rest = rest.find(',').map_or("", |i| &rest[i..]);
            continue;
        }
        match body[1..].find('"') {
            Some(end) => {
                let tag = &body[..end + 2];
                tags.push(if weak {
                    format!("W/{tag}")
                } else {
                    tag.to_string()
                });
                rest = &body[end + 2..];
            }
            None => break,
        }
    }
    Some(tags)
}

/// `If-None-Match` (weak comparison): does the client already hold `etag`?
pub fn none_match_hits(headers: &HeaderMap, etag: &str) -> bool {
    let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match parse_list(value) {
        None => true,
        Some(tags) => tags.iter().any(|t| t.trim_start_matches("W/") == etag),
    }
}

/// What `If-Match` says about a write.
#[derive(Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// No `If-Match` header: the contract answers 428.
    Missing,
    /// `If-Match: *`: any current representation.
    Any,
    /// A list of entity tags (strong comparison: weak tags never match).
    Tags(Vec<String>),
}

impl IfMatch {
    pub fn from_headers(headers: &HeaderMap) -> IfMatch {
        match headers.get(header::IF_MATCH).map(|v| v.to_str()) {
            None => IfMatch::Missing,
            Some(Err(_)) => IfMatch::Tags(Vec::new()),
            Some(Ok(v)) => match parse_list(v) {
                None => IfMatch::Any,
                Some(tags) => IfMatch::Tags(tags),
            },
        }
    }

    pub fn matches(&self, etag: &str) -> bool {
        match self {
            IfMatch::Missing => false,
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|t| t == etag),
        }
    }
}

/// A JSON read: `200` with its strong ETag, or `304` when `If-None-Match` already holds it.
pub fn json_read(headers: &HeaderMap, body: Vec<u8>) -> Response {
    let etag = etag_of(&body);
    if none_match_hits(headers, &etag) {
        return with_etag(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    json_with_etag(StatusCode::OK, body, &etag)
}

/// A JSON body with the given status and ETag.
pub fn json_with_etag(status: StatusCode, body: Vec<u8>, etag: &str) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    with_etag(response, etag)
}

fn with_etag(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, v);
    }
    // Caches may keep it but must ask again (with If-None-Match) before using it.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("ascii"));
        h
    }

    #[test]
    fn etag_is_quoted_and_changes_with_the_bytes() {
        let a = etag_of(b"{\"a\":1}");
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 18);
        assert_ne!(a, etag_of(b"{\"a\":2}"));
        assert_eq!(a, etag_of(b"{\"a\":1}"));
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_lists() {
        let tag = "\"abc\"";
        assert!(none_match_hits(
            &headers(header::IF_NONE_MATCH, "\"x\", W/\"abc\""),
            tag
        ));
        assert!(none_match_hits(&headers(header::IF_NONE_MATCH, "*"), tag));
        assert!(!none_match_hits(
            &headers(header::IF_NONE_MATCH, "\"abcd\""),
            tag
        ));
        assert!(!none_match_hits(&HeaderMap::new(), tag));
    }

    #[test]
    fn if_match_uses_strong_comparison() {
        let tag = "\"abc\"";
        assert_eq!(IfMatch::from_headers(&HeaderMap::new()), IfMatch::Missing);
        assert!(IfMatch::from_headers(&headers(header::IF_MATCH, "\"abc\"")).matches(tag));
        assert!(IfMatch::from_headers(&headers(header::IF_MATCH, "\"zz\",\"abc\"")).matches(tag));
        assert!(!IfMatch::from_headers(&headers(header::IF_MATCH, "W/\"abc\"")).matches(tag));
        assert!(IfMatch::from_headers(&headers(header::IF_MATCH, "*")).matches(tag));
        assert!(!IfMatch::from_headers(&headers(header::IF_MATCH, "abc")).matches(tag));
    }
}
