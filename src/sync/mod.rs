//! The only place that talks to a backend or to browser storage: fetching with timeouts and
//! retries, turning every failure into a [`SyncError`], the dataset context the pages read, and
//! the saved segments and journeys with their drafts.

pub mod auth;
pub mod dataset;
pub mod definitions;
pub mod draft;
pub mod error;
pub mod http;
pub mod loader;
pub mod marketing_costs;
pub mod saved_segments;
pub mod storage;

pub use dataset::{provide_dataset, use_dataset, Dataset, DatasetContext};
pub use definitions::{provide_definitions, use_definitions, Definitions, Versioned};
pub use error::SyncError;
