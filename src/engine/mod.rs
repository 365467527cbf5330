//! The analytics engine: plain Rust over a columnar store, no web dependency.
//!
//! The same code runs natively (tests, benchmarks, the `crm-lens-query` tool) and in the browser;
//! views only render what it computes. Every analysis is reached through [`query::run`].

pub mod calendar;
pub mod filter;
pub mod funnel;
pub mod ingest;
pub mod kpi;
pub mod lifecycle;
pub mod overview;
pub mod paths;
pub mod population;
pub mod promotions;
pub mod query;
pub mod retention;
pub mod retention_groups;
pub mod rfm;
pub mod segment;
pub mod segment_rule;
pub mod segment_templates;
pub mod store;
pub mod time;

pub use ingest::{IngestError, IngestReport};
pub use query::{QueryError, QueryErrorKind};
pub use store::Store;
pub use time::{Context, Period, WeekStart, Zone};
