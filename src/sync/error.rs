//! Everything that can go wrong while syncing, as a value the UI can explain.

use crate::engine::IngestError;
use crate::i18n::sync_texts::sync_texts_like;
use crate::i18n::{fill, Texts};
use crate::model::Problem;
use crate::sync_policy::shown_url::shown_url;

use super::definitions::Versioned;

/// A failed sync step. Every variant names what was being fetched.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    /// No answer within the time limit.
    Timeout { url: String, seconds: u32 },
    /// The request never got an HTTP answer (offline, DNS, CORS).
    Network { url: String, detail: String },
    /// 401 or 403.
    Unauthorized { url: String, status: u16 },
    /// Any other non-2xx status.
    Http { url: String, status: u16 },
    /// The answer was not valid v1 JSON (malformed, truncated, a wrong field type).
    Format(IngestError),
    /// 412, or a stale version in browser storage: the item changed since it was opened. Carries
    /// the current version, to show beside the user's.
    Conflict { current: Box<Versioned> },
    /// 428: the server wants `If-Match`.
    PreconditionRequired { url: String },
    /// A problem+json answer (RFC 9457), with its field errors.
    Problem {
        url: String,
        status: u16,
        problem: Problem,
    },
    /// 429 after the retries; `retry_after` in seconds when the server said.
    TooManyRequests {
        url: String,
        retry_after: Option<u64>,
    },
    /// 404 on an item (deleted meanwhile).
    NotFound { url: String },
    /// The user cancelled.
    Cancelled,
    /// The browser is offline.
    Offline,
    /// Browser storage refused or holds something unreadable (nothing was overwritten).
    Storage { detail: String },
}

impl SyncError {
    /// A sentence for the user, in their language.
    pub fn message(&self, t: &Texts) -> String {
        let s = sync_texts_like(t);
        match self {
            SyncError::Timeout { url, seconds } => {
                fill(t.err_timeout, &[&seconds.to_string(), shown_url(url)])
            }
            SyncError::Network { detail, .. } => fill(t.err_network, &[detail]),
            SyncError::Unauthorized { status, .. } => fill(t.err_auth, &[&status.to_string()]),
            SyncError::Http { url, status } => {
                fill(t.err_http, &[&status.to_string(), shown_url(url)])
            }
            SyncError::Format(e) => fill(t.err_format, &[&e.to_string()]),
            SyncError::Conflict { current } => {
                fill(s.err_conflict, &[&current.saved.version.to_string()])
            }
            SyncError::PreconditionRequired { .. } => s.err_precondition.to_owned(),
            SyncError::Problem { problem, .. } => {
                let mut parts = vec![problem.title.clone()];
                parts.extend(problem.detail.clone());
                parts.extend(
                    problem
                        .errors
                        .iter()
                        .map(|e| format!("{}: {}", e.pointer, e.detail)),
                );
                fill(s.err_problem, &[&parts.join(" · ")])
            }
            SyncError::TooManyRequests { retry_after, .. } => match retry_after {
                Some(seconds) => fill(s.err_too_many, &[&seconds.to_string()]),
                None => s.err_too_many_plain.to_owned(),
            },
            SyncError::NotFound { url } => fill(s.err_not_found, &[shown_url(url)]),
            SyncError::Cancelled => s.err_cancelled.to_owned(),
            SyncError::Offline => s.err_offline.to_owned(),
            SyncError::Storage { detail } => fill(s.err_storage, &[detail]),
        }
    }

    /// The field errors of a 422 problem, as (JSON pointer, detail).
    pub fn field_errors(&self) -> &[crate::model::FieldProblem] {
        match self {
            SyncError::Problem { problem, .. } => &problem.errors,
            _ => &[],
        }
    }
}

impl From<IngestError> for SyncError {
    fn from(e: IngestError) -> Self {
        SyncError::Format(e)
    }
}
