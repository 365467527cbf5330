//! The single entry point: a versioned, serde-serialisable query spec in, a typed result out.
//!
//! Views, the `crm-lens-query` tool and (later) backends all run analyses through [`run`], so one
//! spec means one answer everywhere. "Now", the time zone and the week start are explicit inputs.
//! See `docs/query-spec.md`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::store::Store;
use super::time::{parse_timestamp, Context, WeekStart, Zone};

/// The spec version this engine reads.
pub const QUERY_VERSION: u32 = 1;

/// A query that cannot be answered, naming the part of the spec at fault (`path` like
/// `steps[2].event`), so the UI can mark the rule and a CLI user can fix the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryError {
    pub path: String,
    pub kind: QueryErrorKind,
    pub message: String,
}

/// What went wrong, for translated messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryErrorKind {
    /// Not valid JSON, or a field of the wrong type or shape.
    Malformed,
    /// A `v` this engine does not read.
    UnsupportedVersion,
    /// A value that is well-formed but impossible (an unknown zone, a step count of zero …).
    Invalid,
    /// An attribute the data does not have.
    UnknownAttribute,
    /// A test that does not fit the attribute's type (a date test on a text attribute …).
    TypeMismatch,
    /// A reference to a segment id the query does not define.
    UnknownSegment,
    /// Segments that refer to each other in a circle.
    SegmentCycle,
}

impl QueryError {
    pub fn new(path: impl Into<String>, kind: QueryErrorKind, message: impl Into<String>) -> Self {
        QueryError {
            path: path.into(),
            kind,
            message: message.into(),
        }
    }

    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        QueryError::new(path, QueryErrorKind::Invalid, message)
    }

    /// The same error under a parent path (`rules[2]` + `window` → `rules[2].window`).
    pub fn within(mut self, parent: &str) -> Self {
        self.path = match (parent.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => parent.to_owned(),
            (false, false) if self.path.starts_with('[') => format!("{parent}{}", self.path),
            (false, false) => format!("{parent}.{}", self.path),
        };
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for QueryError {}

/// The inputs that make a result reproducible. Missing values default to the dataset's
/// `as_of` (else its latest event), the dataset's time zone (else Asia/Seoul) and Monday.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub week_start: WeekStart,
}

impl QueryContext {
    /// Resolves the context against a dataset.
    pub fn resolve(&self, store: &Store) -> Result<Context, QueryError> {
        let now = match &self.now {
            Some(text) => parse_timestamp(text).ok_or_else(|| {
                QueryError::invalid("now", format!("{text:?} is not an RFC 3339 timestamp"))
            })?,
            None => store
                .meta
                .as_of
                .map(|t| t.timestamp())
                .or_else(|| store.events.at.iter().copied().max())
                .unwrap_or(0),
        };
        let zone = match &self.time_zone {
            Some(name) => Zone::parse(name).map_err(|m| QueryError::invalid("time_zone", m))?,
            None => Zone::parse(&store.meta.time_zone).unwrap_or_default(),
        };
        Ok(Context {
            now,
            zone,
            week_start: self.week_start,
        })
    }
}
