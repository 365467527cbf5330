//! View state that lives in the URL: parsed into validated types, written back as query
//! parameters. Pure, so the round trip is tested natively; URL state never chooses an API
//! address or triggers a save.

pub mod backtest_labels;
pub mod backtest_view;
pub mod cohort_view;
pub mod journey_edit;
pub mod kpi_links;
pub mod paths_view;
pub mod relationship_view;
pub mod rule_ops;
pub mod rule_tree;
pub mod saved_segment;
pub mod segment_view;
