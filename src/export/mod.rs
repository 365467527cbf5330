//! Files a marketer takes away: CSV for Excel (and, later, other formats). Pure functions, so
//! the exact bytes are tested natively.

pub mod csv;

pub use self::csv::excel_csv;
