//! Everything that can go wrong while syncing, as a value the UI can explain.

use crate::engine::IngestError;
use crate::i18n::{fill, Texts};

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
}

impl SyncError {
    /// A sentence for the user, in their language.
    pub fn message(&self, t: &Texts) -> String {
        match self {
            SyncError::Timeout { url, seconds } => {
                fill(t.err_timeout, &[&seconds.to_string(), url])
            }
            SyncError::Network { detail, .. } => fill(t.err_network, &[detail]),
            SyncError::Unauthorized { status, .. } => fill(t.err_auth, &[&status.to_string()]),
            SyncError::Http { url, status } => fill(t.err_http, &[&status.to_string(), url]),
            SyncError::Format(e) => fill(t.err_format, &[&e.to_string()]),
        }
    }
}

impl From<IngestError> for SyncError {
    fn from(e: IngestError) -> Self {
        SyncError::Format(e)
    }
}
