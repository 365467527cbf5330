//! One [`send`] for every request the app makes: a time limit, the host's cookies or the
//! in-memory bearer token, and the retry policy of [`crate::sync_policy::retry`]. Callers get
//! the final status, headers and body, or a [`SyncError`] when no answer came.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Request as Fetch, RequestBuilder};
use leptos::prelude::set_timeout_with_handle;
use serde::Serialize;
use web_sys::{AbortController, AbortSignal, RequestCredentials};

use crate::model::Problem;
use crate::sync_policy::retry::{parse_retry_after, Attempt, Decision, Method, RetryPolicy};
use crate::sync_policy::wire::parse_problem;

use super::{auth, SyncError};

/// How long one request may take before it is abandoned, unless the settings say otherwise
/// (`request_timeout`, see [`set_request_timeout`]).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

thread_local! {
    static TIMEOUT: Cell<Duration> = const { Cell::new(REQUEST_TIMEOUT) };
}

/// Sets the time limit of every later request ([`REQUEST_TIMEOUT`] with `None`).
pub fn set_request_timeout(timeout: Option<Duration>) {
    TIMEOUT.with(|t| t.set(timeout.unwrap_or(REQUEST_TIMEOUT)));
}

/// The time limit new requests get.
pub fn request_timeout() -> Duration {
    TIMEOUT.with(Cell::get)
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Extra headers (`If-Match` …); `Accept`, `Content-Type`, `Authorization` and
    /// `Idempotency-Key` are added by [`send`].
    pub headers: Vec<(String, String)>,
    /// A JSON body.
    pub body: Option<String>,
    pub timeout: Duration,
    /// Send the host's cookies (`credentials: include`) and the bearer token: backend requests.
    pub credentials: bool,
    /// Makes a `POST` safe to retry.
    pub idempotency_key: Option<String>,
    pub policy: RetryPolicy,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            timeout: request_timeout(),
            credentials: false,
            idempotency_key: None,
            policy: RetryPolicy::default(),
        }
    }

    pub fn get(url: impl Into<String>) -> Request {
        Request::new(Method::Get, url)
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Request {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn json(mut self, body: &impl Serialize) -> Request {
        self.body = serde_json::to_string(body).ok();
        self
    }

    pub fn credentials(mut self, credentials: bool) -> Request {
        self.credentials = credentials;
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Request {
        self.timeout = timeout;
        self
    }

    pub fn idempotency_key(mut self, key: String) -> Request {
        self.idempotency_key = Some(key);
        self
    }

    /// No retries: one attempt only.
    pub fn once(mut self) -> Request {
        self.policy.max_attempts = 1;
        self
    }
}

/// An HTTP answer (any status).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub url: String,
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The answer if it is a 2xx, else the [`SyncError`] it means (a problem+json body is read).
    pub fn success(self) -> Result<Response, SyncError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self.error())
        }
    }

    /// The error a non-2xx answer means. A 412 without the caller's handling is a plain HTTP
    /// error: the definitions store turns it into a conflict with the current version.
    pub fn error(&self) -> SyncError {
        let url = self.url.clone();
        match self.status {
            401 | 403 => SyncError::Unauthorized {
                url,
                status: self.status,
            },
            404 => SyncError::NotFound { url },
            428 => SyncError::PreconditionRequired { url },
            429 => SyncError::TooManyRequests {
                url,
                retry_after: self
                    .header("retry-after")
                    .and_then(|v| v.trim().parse().ok()),
            },
            status => match self.problem() {
                Some(problem) => SyncError::Problem {
                    url,
                    status,
                    problem,
                },
                None => SyncError::Http { url, status },
            },
        }
    }

    /// The problem+json body, if there is a readable one.
    pub fn problem(&self) -> Option<Problem> {
        let is_problem = self
            .header("content-type")
            .is_some_and(|c| c.contains("json"));
        is_problem.then(|| parse_problem(&self.body).ok()).flatten()
    }
}

/// Sends `request`, retrying as its policy allows (reads on transient failures; a `POST` only
/// with an idempotency key; `PUT`/`DELETE` only on 429/503), and waiting as `Retry-After` says.
/// `cancel` aborts the request and any wait. Returns the last answer, whatever its status.
pub async fn send(request: &Request, cancel: Option<&AbortSignal>) -> Result<Response, SyncError> {
    let mut attempts = 0;
    loop {
        if cancel.is_some_and(|c| c.aborted()) {
            return Err(SyncError::Cancelled);
        }
        attempts += 1;
        let result = send_once(request, cancel).await;
        let outcome = match &result {
            Ok(response) if response.is_success() => None,
            Ok(response) => Some((
                Attempt::Status(response.status),
                response.header("retry-after").map(str::to_owned),
            )),
            Err(SyncError::Timeout { .. }) => Some((Attempt::Timeout, None)),
            Err(SyncError::Network { .. }) => Some((Attempt::Network, None)),
            Err(_) => None,
        };
        let Some((attempt, retry_after)) = outcome else {
            return result;
        };
        let decision = request.policy.decide(
            request.method,
            request.idempotency_key.is_some(),
            attempts,
            attempt,
            retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, now_utc())),
            js_sys::Math::random(),
        );
        match decision {
            Decision::GiveUp => return result,
            Decision::RetryAfter(ms) => sleep(Duration::from_millis(ms), cancel).await?,
        }
    }
}

/// The browser's clock (chrono's own clock is not available in wasm without extra features).
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// GETs `url` and returns its body (any non-2xx is an error). `with_credentials` sends the
/// host's cookies and the bearer token (backend mode).
pub async fn get_bytes(
    url: &str,
    timeout: Duration,
    with_credentials: bool,
) -> Result<Vec<u8>, SyncError> {
    let request = Request::get(url)
        .timeout(timeout)
        .credentials(with_credentials);
    Ok(send(&request, None).await?.success()?.body)
}

/// Waits `duration`, or fails with [`SyncError::Cancelled`] as soon as `cancel` fires.
pub async fn sleep(duration: Duration, cancel: Option<&AbortSignal>) -> Result<(), SyncError> {
    let cancel = cancel.cloned();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let handle = set_timeout_with_handle(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            },
            duration,
        )
        .ok();
        if let Some(signal) = &cancel {
            let on_abort = wasm_bindgen::closure::Closure::once_into_js(move || {
                if let Some(handle) = handle {
                    handle.clear();
                }
                let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
            });
            let _ = signal.add_event_listener_with_callback(
                "abort",
                wasm_bindgen::JsCast::unchecked_ref(&on_abort),
            );
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| SyncError::Cancelled)
}

/// One attempt: any HTTP answer is `Ok`, no answer is a timeout, a cancel or a network error.
async fn send_once(request: &Request, cancel: Option<&AbortSignal>) -> Result<Response, SyncError> {
    let url = request.url.as_str();
    let network = |detail: String| SyncError::Network {
        url: url.to_owned(),
        detail,
    };
    let controller = AbortController::new().map_err(|e| network(format!("{e:?}")))?;
    // The caller's cancel aborts this attempt too.
    let forward = cancel.map(|signal| {
        let controller = controller.clone();
        let on_abort =
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || controller.abort());
        let _ = signal.add_event_listener_with_callback(
            "abort",
            wasm_bindgen::JsCast::unchecked_ref(on_abort.as_ref()),
        );
        (signal.clone(), on_abort)
    });
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            request.timeout,
        )
        .ok()
    };
    let result = fetch(request, &controller).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    if let Some((signal, on_abort)) = &forward {
        let _ = signal.remove_event_listener_with_callback(
            "abort",
            wasm_bindgen::JsCast::unchecked_ref(on_abort.as_ref()),
        );
    }
    result.map_err(|error| {
        if timed_out.get() {
            SyncError::Timeout {
                url: url.to_owned(),
                seconds: request.timeout.as_secs() as u32,
            }
        } else if cancel.is_some_and(|c| c.aborted()) {
            SyncError::Cancelled
        } else {
            error
        }
    })
}

fn builder(request: &Request) -> RequestBuilder {
    let url = request.url.as_str();
    match request.method {
        Method::Get => Fetch::get(url),
        Method::Post => Fetch::post(url),
        Method::Put => Fetch::put(url),
        Method::Delete => Fetch::delete(url),
    }
}

async fn fetch(request: &Request, controller: &AbortController) -> Result<Response, SyncError> {
    let url = request.url.as_str();
    let network = |e: gloo_net::Error| SyncError::Network {
        url: url.to_owned(),
        detail: e.to_string(),
    };
    let mut builder = builder(request)
        .header("Accept", "application/json, application/problem+json")
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(key) = &request.idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    if request.credentials {
        builder = builder.credentials(RequestCredentials::Include);
        if let Some(authorization) = auth::authorization() {
            builder = builder.header("Authorization", &authorization);
        }
    }
    let response = match &request.body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body.clone())
            .map_err(network)?
            .send()
            .await
            .map_err(network)?,
        None => builder.send().await.map_err(network)?,
    };
    let status = response.status();
    let headers = response
        .headers()
        .entries()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect();
    let body = response.binary().await.map_err(network)?;
    Ok(Response {
        url: url.to_owned(),
        status,
        headers,
        body,
    })
}
