//! The only place that talks to a backend or to the demo files: fetching with timeouts, turning
//! every failure into a [`SyncError`], and the dataset context the pages read.

pub mod dataset;
pub mod error;
pub mod http;
pub mod loader;
pub mod marketing_costs;

pub use dataset::{provide_dataset, use_dataset, Dataset, DatasetContext};
pub use error::SyncError;
