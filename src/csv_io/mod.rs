//! The CSV files Accord reads and writes: the case export (which is also the
//! import format), the statistics export, and their shared rules.
//!
//! - [`columns`]: the 27 columns, their English keys and Chinese headings
//! - [`cell`]: formula-injection guarding, the BOM, names joined with `; `
//! - [`labels`]: codes shown as labels in Chinese, and read back from either
//! - [`export`]: rows streamed from the store into CSV bytes
//! - [`import`]: reading, checking and writing an uploaded file
//! - [`stats`]: the annual report's breakdowns as CSV
//! - [`official`]: the official statistics report as CSV
//! - [`exchange`]: Accord Exchange v1, whole cases as JSON between installations
//!
//! A file is UTF-8 with a BOM (Excel needs it to show Chinese), comma
//! separated, CRLF between records, quoted only where needed.

pub mod cell;
pub mod columns;
pub mod exchange;
pub mod export;
pub mod import;
pub mod labels;
pub mod official;
pub mod stats;

pub use columns::Column;

/// `accord-cases-2026-11-28.csv`: the export's file name on a given day.
pub fn cases_file_name(today: chrono::NaiveDate) -> String {
    format!("accord-cases-{today}.csv")
}

/// `accord-stats-2025.csv`.
pub fn stats_file_name(year: i32) -> String {
    format!("accord-stats-{year}.csv")
}
