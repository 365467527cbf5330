//! The analytics engine: plain Rust over a columnar store, no web dependency.
//!
//! The same code runs natively (tests, benchmarks, the `crm-lens-query` tool) and in the browser;
//! views only render what it computes. Every analysis is reached through [`query::run`].

pub mod backtest;
pub mod calendar;
pub mod clv;
pub mod filter;
pub mod funnel;
pub mod ingest;
pub mod journey;
pub mod journey_templates;
pub mod journey_validate;
pub mod kpi;
pub mod lifecycle;
pub mod ltv_cac;
pub mod overview;
pub mod paths;
pub mod population;
pub mod promotions;
pub mod query;
pub mod relationship;
pub mod renewal;
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
pub mod catalog;
pub mod members;
pub mod rule_check;
pub mod timeline;
