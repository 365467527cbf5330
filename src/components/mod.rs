//! Reusable widgets the pages compose.

pub mod cell_explainer;
pub mod customer_list_panel;
pub mod download;
pub mod event_filter_picker;
pub mod figures;
pub mod funnel_extras;
pub mod funnel_view;
pub mod kpi_cards;
pub mod lifecycle_view;
pub mod page_header;
pub mod paths_view;
pub mod relationship_view;
pub mod retention_answer;
pub mod retention_controls;
pub mod retention_table;
pub mod rfm_grid;
pub mod segment_filter_select;
pub mod settings_warnings;
pub mod share_cells;
pub mod status;
pub mod with_dataset;

pub use event_filter_picker::EventFilterPicker;
pub use figures::{Figure, Figures};
pub use page_header::PageHeader;
pub use share_cells::ShareCells;
pub use with_dataset::WithDataset;
pub mod definition_bar;
pub mod member_table;
pub mod save_as_segment;
pub mod segment_builder;
pub mod segment_overlap;
pub mod segment_result;
pub use definition_bar::DefinitionBar;
pub use save_as_segment::SaveAsSegment;
pub mod load_progress;
pub mod offline_indicator;
