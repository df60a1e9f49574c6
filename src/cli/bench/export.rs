//! The CSV export's rate (issues 6 and 14: at least 200,000 rows a second
//! at 1,000,000 cases), measured on whichever backend the benchmark runs:
//! in this process through the stream `accord export` writes (the
//! download's rate comes from the pages' timing of `GET /export/cases.csv`).

use std::sync::atomic::Ordering;
use std::time::Instant;

use futures_util::StreamExt;

use super::verdict;
use crate::cli::anyhow_like::Result;
use crate::csv_io;
use crate::domain::{CaseFilter, Deadlines};
use crate::i18n::Lang;
use crate::store::Db;
use crate::store::cases::Scope;

/// Rows a second the export must reach.
pub const TARGET_ROWS_PER_SEC: f64 = 200_000.0;

/// One timed export of every case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExportRate {
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl ExportRate {
    pub fn per_sec(&self) -> f64 {
        if self.seconds > 0.0 {
            self.rows as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Exports every case of `db` as `accord export` does (labels, BOM, the
/// whole stream), into nothing, timed from the first query to the last
/// byte.
pub async fn measure(db: &Db, lang: Lang, deadlines: Deadlines) -> Result<ExportRate> {
    let start = Instant::now();
    let (chunks, written) =
        csv_io::export::cases(db.clone(), CaseFilter::default(), Scope::All, deadlines, lang).await?;
    let mut chunks = std::pin::pin!(chunks);
    let mut bytes = 0u64;
    while let Some(chunk) = chunks.next().await {
        bytes += chunk?.len() as u64;
    }
    Ok(ExportRate {
        rows: written.load(Ordering::Relaxed),
        bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// A line of the benchmark: the rate beside its target, and beside
/// another's (e.g. `("SQLite", …)` on a PostgreSQL run) as a ratio.
pub fn print(label: &str, rate: &ExportRate, beside: Option<(&str, &ExportRate)>) {
    let other = beside.map_or(String::new(), |(name, r)| {
        format!(
            "   {name} {:>9.0} rows/s, ratio {:.2}",
            r.per_sec(),
            rate.per_sec() / r.per_sec().max(1.0)
        )
    });
    println!(
        "{label:<44} {:>7.2} s {:>9.0} rows/s   target >= {TARGET_ROWS_PER_SEC:.0}   {}{other}",
        rate.seconds,
        rate.per_sec(),
        verdict(rate.per_sec() >= TARGET_ROWS_PER_SEC)
    );
}
