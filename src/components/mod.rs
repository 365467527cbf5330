//! Reusable widgets the pages compose.

pub mod figures;
pub mod page_header;
pub mod settings_warnings;
pub mod share_cells;
pub mod status;
pub mod with_dataset;

pub use figures::{Figure, Figures};
pub use page_header::PageHeader;
pub use share_cells::ShareCells;
pub use with_dataset::WithDataset;
