//! What every request passes first: CORS for the configured origins, then the optional
//! bearer-token check. CORS headers go on every answer to an allowed origin, errors included,
//! so the app can read a 401 or a 412.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;
use crate::AppState;

pub const ALLOW_METHODS: &str = "GET, POST, PUT, DELETE";
pub const ALLOW_HEADERS: &str =
    "If-Match, If-None-Match, Authorization, Idempotency-Key, Content-Type";
pub const EXPOSE_HEADERS: &str = "ETag, Retry-After, Location";

/// How a request's `Origin` stands.
#[derive(Debug, PartialEq, Eq)]
pub enum OriginCheck {
    /// No `Origin` header (same-origin GET, curl, a server).
    Absent,
    Allowed(String),
    Refused(String),
}

pub fn check_origin(headers: &HeaderMap, allowed: &[String]) -> OriginCheck {
    match headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => OriginCheck::Absent,
        Some(o) if allowed.iter().any(|a| a == o) => OriginCheck::Allowed(o.to_string()),
        Some(o) => OriginCheck::Refused(o.to_string()),
    }
}

/// Compares the `Authorization` header with `Bearer <token>` in constant time.
pub fn bearer_ok(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, given)) = value.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

pub async fn edge(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let origin = check_origin(request.headers(), &state.config.allowed_origins);
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);

    if preflight {
        return match origin {
            OriginCheck::Allowed(o) => {
                let mut response = StatusCode::NO_CONTENT.into_response();
                let h = response.headers_mut();
                set(h, header::ACCESS_CONTROL_ALLOW_ORIGIN, &o);
                set(h, header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
                set(h, header::ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
                set(h, header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
                set(h, header::ACCESS_CONTROL_MAX_AGE, "600");
                set(
                    h,
                    header::VARY,
                    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
                );
                response
            }
            _ => refused("a CORS preflight"),
        };
    }
    // A write from a page of another origin is refused outright (the browser would hide the
    // answer, but the write would still happen).
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if let OriginCheck::Refused(_) = origin {
        if !safe {
            return refused("this request");
        }
    }
    let open = request.uri().path() == "/healthz";
    let mut response = match &state.config.token {
        Some(token) if !open && !bearer_ok(request.headers(), token) => {
            let detail = if request.headers().contains_key(header::AUTHORIZATION) {
                "the bearer token is not valid"
            } else {
                "this backend requires `Authorization: Bearer <token>`"
            };
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Not signed in",
                detail,
            )
            .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"crm-lens\"")
            .into_response()
        }
        _ => next.run(request).await,
    };
    let h = response.headers_mut();
    if let OriginCheck::Allowed(o) = origin {
        set(h, header::ACCESS_CONTROL_ALLOW_ORIGIN, &o);
        set(h, header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        set(h, header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    }
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

fn refused(what: &str) -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "origin-not-allowed",
        "Origin not allowed",
        format!(
            "{what} comes from an origin this backend does not allow (see its allowed origins)"
        ),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("ascii"));
        h
    }

    #[test]
    fn origins_match_exactly() {
        let allowed = vec!["https://crm.example.com".to_string()];
        assert_eq!(
            check_origin(&HeaderMap::new(), &allowed),
            OriginCheck::Absent
        );
        assert!(matches!(
            check_origin(&with(header::ORIGIN, "https://crm.example.com"), &allowed),
            OriginCheck::Allowed(_)
        ));
        for other in [
            "http://crm.example.com",
            "https://crm.example.com:444",
            "https://evil.com",
            "null",
        ] {
            assert!(matches!(
                check_origin(&with(header::ORIGIN, other), &allowed),
                OriginCheck::Refused(_)
            ));
        }
    }

    #[test]
    fn bearer_token_check() {
        assert!(bearer_ok(
            &with(header::AUTHORIZATION, "Bearer s3cret"),
            "s3cret"
        ));
        assert!(bearer_ok(
            &with(header::AUTHORIZATION, "bearer s3cret"),
            "s3cret"
        ));
        assert!(!bearer_ok(
            &with(header::AUTHORIZATION, "Bearer s3cre"),
            "s3cret"
        ));
        assert!(!bearer_ok(
            &with(header::AUTHORIZATION, "Bearer s3cretx"),
            "s3cret"
        ));
        assert!(!bearer_ok(
            &with(header::AUTHORIZATION, "Basic s3cret"),
            "s3cret"
        ));
        assert!(!bearer_ok(&HeaderMap::new(), "s3cret"));
    }
}
