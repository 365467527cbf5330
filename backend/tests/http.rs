//! The HTTP edge without a database: CORS, the token check and the checks a write passes before
//! it touches PostgreSQL (428, 415, 400, 422). The pool points at a closed port and is only
//! reached lazily, so none of these may need it. The full contract against PostgreSQL is
//! `tests/conformance/` (run by `bash tests/conformance/run`).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use crm_lens_backend::config::Config;
use crm_lens_backend::{db, router, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

const ALLOWED: &str = "https://portal.example.com";
const TOKEN: &str = "t0ken";

fn app(token: Option<&str>) -> axum::Router {
    let config = Config {
        listen: "127.0.0.1:0".into(),
        database_url: "postgres://nobody@127.0.0.1:1/none".into(),
        dataset: None,
        allowed_origins: vec![ALLOWED.into()],
        token: token.map(Into::into),
        owner: None,
        max_page_size: 100,
        test_endpoints: false,
        import_only: false,
    };
    let pool = db::pool(&config.database_url).expect("a lazy pool");
    router(AppState {
        pool,
        config: Arc::new(config),
    })
}

async fn send(app: axum::Router, request: Request<Body>) -> (Response, serde_json::Value) {
    let response = app.oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (Response::from_parts(parts, Body::empty()), json)
}

fn header_of(r: &Response, name: header::HeaderName) -> &str {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn problem_type(json: &serde_json::Value) -> &str {
    json["type"].as_str().unwrap_or("")
}

#[tokio::test]
async fn preflight_from_an_allowed_origin_needs_no_token() {
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/segments/abc")
        .header(header::ORIGIN, ALLOWED)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "if-match,authorization,content-type",
        )
        .body(Body::empty())
        .expect("request");
    let (r, _) = send(app(Some(TOKEN)), request).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header_of(&r, header::ACCESS_CONTROL_ALLOW_ORIGIN), ALLOWED);
    assert_eq!(
        header_of(&r, header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
        "true"
    );
    assert!(header_of(&r, header::ACCESS_CONTROL_ALLOW_METHODS).contains("PUT"));
    let allowed = header_of(&r, header::ACCESS_CONTROL_ALLOW_HEADERS).to_ascii_lowercase();
    for h in [
        "if-match",
        "if-none-match",
        "authorization",
        "idempotency-key",
        "content-type",
    ] {
        assert!(allowed.contains(h), "{h} in {allowed}");
    }
}

#[tokio::test]
async fn another_origin_gets_no_grant_and_cannot_write() {
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/segments")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .expect("request");
    let (r, json) = send(app(None), preflight).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    assert_eq!(
        problem_type(&json),
        "urn:crm-lens:problem:origin-not-allowed"
    );

    let write = Request::builder()
        .method(Method::POST)
        .uri("/segments")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"{"name":"x","definition":{"rule":"all","rules":[]}}"#,
        ))
        .expect("request");
    let (r, _) = send(app(None), write).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
}

#[tokio::test]
async fn a_missing_token_is_a_readable_401_problem() {
    let request = Request::builder()
        .uri("/customers")
        .header(header::ORIGIN, ALLOWED)
        .body(Body::empty())
        .expect("request");
    let (r, json) = send(app(Some(TOKEN)), request).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header_of(&r, header::CONTENT_TYPE),
        "application/problem+json"
    );
    assert!(header_of(&r, header::WWW_AUTHENTICATE).starts_with("Bearer"));
    assert_eq!(json["status"], 401);
    assert_eq!(
        header_of(&r, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        ALLOWED,
        "the app can read it"
    );
    let exposed = header_of(&r, header::ACCESS_CONTROL_EXPOSE_HEADERS);
    assert!(
        exposed.contains("ETag") && exposed.contains("Retry-After") && exposed.contains("Location")
    );
}

#[tokio::test]
async fn writes_are_checked_before_the_database() {
    let put = |if_match: Option<&str>, content_type: &str, body: &str| {
        let mut b = Request::builder()
            .method(Method::PUT)
            .uri("/journeys/j1")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, content_type);
        if let Some(tag) = if_match {
            b = b.header(header::IF_MATCH, tag);
        }
        b.body(Body::from(body.to_string())).expect("request")
    };
    let valid = r#"{"name":"Welcome","definition":{"nodes":[]}}"#;
    let (r, json) = send(app(Some(TOKEN)), put(None, "application/json", valid)).await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(
        problem_type(&json),
        "urn:crm-lens:problem:precondition-required"
    );
    let (r, _) = send(app(Some(TOKEN)), put(Some("\"x\""), "text/plain", valid)).await;
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (r, _) = send(
        app(Some(TOKEN)),
        put(Some("\"x\""), "application/json", "{\"name\":"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let (r, json) = send(
        app(Some(TOKEN)),
        put(
            Some("\"x\""),
            "application/json",
            r#"{"name":3,"definition":[]}"#,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<&str> = json["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["pointer"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(pointers, ["/name", "/definition"]);
}

#[tokio::test]
async fn bad_paging_parameters_and_unknown_paths_are_problems() {
    let get = |uri: &str| {
        Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("request")
    };
    let (r, json) = send(app(None), get("/events?limit=ten")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json["parameter"], "limit");
    let (r, json) = send(app(None), get("/customers?cursor=zz")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json["parameter"], "cursor");
    let (r, json) = send(app(None), get("/nope")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(json["status"], 404);
    let delete_meta = Request::builder()
        .method(Method::DELETE)
        .uri("/meta")
        .body(Body::empty())
        .expect("request");
    let (r, json) = send(app(None), delete_meta).await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json["status"], 405);
}
