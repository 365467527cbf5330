//! Errors as RFC 9457 `application/problem+json` (the contract's only error shape).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crm_lens::model::{FieldProblem, Problem};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answer: a problem document plus the headers that go with it (boxed: handlers
/// return it in `Result`s, which stay small).
#[derive(Debug)]
pub struct ApiError(Box<ErrorParts>);

#[derive(Debug)]
pub struct ErrorParts {
    pub status: StatusCode,
    pub problem: Problem,
    /// The query parameter at fault (an extension member, for `400` on query strings).
    pub parameter: Option<String>,
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl ApiError {
    /// A problem of type `urn:crm-lens:problem:{slug}`.
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorParts {
            status,
            problem: Problem {
                problem_type: Some(format!("urn:crm-lens:problem:{slug}")),
                title: title.to_string(),
                status: status.as_u16(),
                detail: Some(detail.into()),
                instance: None,
                errors: Vec::new(),
            },
            parameter: None,
            headers: Vec::new(),
        }))
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The query parameter at fault, if any.
    pub fn parameter(&self) -> Option<&str> {
        self.0.parameter.as_deref()
    }

    pub fn bad_parameter(parameter: &str, detail: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-parameter",
            "Bad query parameter",
            detail,
        );
        e.0.parameter = Some(parameter.to_string());
        e
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Malformed request",
            detail,
        )
    }

    pub fn validation(errors: Vec<FieldProblem>) -> ApiError {
        let detail = match errors.len() {
            1 => "1 field is invalid".to_string(),
            n => format!("{n} fields are invalid"),
        };
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "The request body is invalid",
            detail,
        );
        e.0.problem.errors = errors;
        e
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("{what} does not exist"),
        )
    }

    pub fn internal(what: impl std::fmt::Display) -> ApiError {
        eprintln!("crm-lens-backend: internal error: {what}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
            "the server failed to answer; try again later",
        )
    }

    pub fn with_header(mut self, name: header::HeaderName, value: &str) -> ApiError {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.0.headers.push((name, v));
        }
        self
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> ApiError {
        ApiError::internal(format!("database: {e}"))
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> ApiError {
        ApiError::internal(format!("database pool: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let parts = *self.0;
        let mut value = serde_json::to_value(&parts.problem).unwrap_or_default();
        if let (Some(p), Some(obj)) = (&parts.parameter, value.as_object_mut()) {
            obj.insert("parameter".into(), serde_json::Value::String(p.clone()));
        }
        let body = serde_json::to_vec(&value).unwrap_or_default();
        let mut response = (parts.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        for (name, value) in parts.headers {
            headers.insert(name, value);
        }
        response
    }
}
