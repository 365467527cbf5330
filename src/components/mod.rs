//! Reusable widgets the pages compose.

pub mod cell_explainer;
pub mod clv_view;
pub mod download;
pub mod event_filter_picker;
pub mod figures;
pub mod funnel_view;
pub mod kpi_cards;
pub mod lifecycle_view;
pub mod ltv_cac_view;
pub mod page_header;
pub mod renewal_radar;
pub mod retention_controls;
pub mod retention_table;
pub mod rfm_editor;
pub mod rfm_grid;
pub mod rfm_members;
pub mod rfm_transitions;
pub mod segment_filter_select;
pub mod settings_warnings;
pub mod share_cells;
pub mod status;
pub mod where_to_act;
pub mod with_dataset;

pub use event_filter_picker::EventFilterPicker;
pub use figures::{Figure, Figures};
pub use page_header::PageHeader;
pub use share_cells::ShareCells;
pub use with_dataset::WithDataset;
pub mod definition_bar;
pub mod save_as_segment;
pub use definition_bar::DefinitionBar;
pub use save_as_segment::SaveAsSegment;
