//! GET with a time limit, returning the body bytes or a [`SyncError`].

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::set_timeout_with_handle;
use web_sys::{AbortController, RequestCredentials};

use super::SyncError;

/// How long one request may take before it is abandoned.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Fetches `url` and returns its body. `with_credentials` sends the host's cookies (backend mode).
pub async fn get_bytes(
    url: &str,
    timeout: Duration,
    with_credentials: bool,
) -> Result<Vec<u8>, SyncError> {
    let controller = AbortController::new().map_err(|e| SyncError::Network {
        url: url.to_owned(),
        detail: format!("{e:?}"),
    })?;
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            timeout,
        )
        .ok()
    };
    let result = fetch(url, &controller, with_credentials).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result.map_err(|error| {
        if timed_out.get() {
            SyncError::Timeout {
                url: url.to_owned(),
                seconds: timeout.as_secs() as u32,
            }
        } else {
            error
        }
    })
}

async fn fetch(
    url: &str,
    controller: &AbortController,
    with_credentials: bool,
) -> Result<Vec<u8>, SyncError> {
    let network = |e: gloo_net::Error| SyncError::Network {
        url: url.to_owned(),
        detail: e.to_string(),
    };
    let mut request = Request::get(url)
        .header("Accept", "application/json")
        .abort_signal(Some(&controller.signal()));
    if with_credentials {
        request = request.credentials(RequestCredentials::Include);
    }
    let response = request.send().await.map_err(network)?;
    match response.status() {
        200..=299 => response.binary().await.map_err(network),
        status @ (401 | 403) => Err(SyncError::Unauthorized {
            url: url.to_owned(),
            status,
        }),
        status => Err(SyncError::Http {
            url: url.to_owned(),
            status,
        }),
    }
}
