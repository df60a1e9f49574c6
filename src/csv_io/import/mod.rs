//! Import: a file in the export's format (either language, with or
//! without a BOM) becomes cases, all in one transaction, or nothing is
//! written and every problem is listed as "row R, column C: message".

mod message;
pub mod outcome;
pub mod read;
pub mod row;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::csv_io::columns::Column;
use crate::domain::case::Problem;
use crate::store::import::{self as store_import, ImportedCase, WriteError};
use crate::store::{mediators, reference};

/// What is wrong with a file, a row or a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProblem {
    /// A rule of the case form.
    Field(Problem),
    NotUtf8,
    Empty,
    NoRows,
    Malformed,
    /// A quote opens on this row and is never closed.
    UnclosedQuote,
    UnknownColumn,
    MissingColumn(Column),
    DuplicateColumn,
    /// A value in a column without a heading.
    ExtraCell,
    BadCaseNo,
    /// The year in the case number is not the year of `received_on`.
    CaseNoYear,
    /// The sequence in the case number is over [`CaseNo::SEQ_MAX`](crate::domain::CaseNo::SEQ_MAX).
    CaseNoSeqTooLarge,
    /// The case number is already in the database.
    CaseNoTaken,
    /// The case number is also on the given row of the file.
    DuplicateInFile(usize),
    RequiredForStatus,
    NotForStatus,
    /// The date is before the date in the given column.
    DateBefore(Column),
    /// Neither one party type for all names nor one per name.
    TypeCount,
    /// The database refused the row although every check passed.
    Refused,
}

/// One problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The row as a spreadsheet numbers it: the heading is row 1.
    pub row: usize,
    /// The column's index in the file and its heading there (empty when
    /// the column has none).
    pub column: Option<(usize, String)>,
    pub problem: ImportProblem,
}

impl ImportError {
    pub fn at_row(row: usize, problem: ImportProblem) -> ImportError {
        ImportError {
            row,
            column: None,
            problem,
        }
    }
}

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub cases: usize,
    /// Mediators named in the file and not yet on record: created.
    pub new_mediators: Vec<String>,
    /// False on a dry run.
    pub written: bool,
    /// How long the write transaction held the database's write lock.
    pub locked: std::time::Duration,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The file has problems, all listed, sorted by row and column.
    #[error("{} problems in the file", .0.len())]
    Invalid(Vec<ImportError>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Received dates after today are refused, as on the form.
    pub today: NaiveDate,
    /// The committee the cases join, whose prefix numbers rows without a number.
    pub committee: crate::store::orgs::Committee,
    /// Who imports (`None` for the command line), for `created_by` and the audit trail.
    pub actor: Option<i64>,
    /// Check everything and write it, then roll the write back.
    pub dry_run: bool,
    /// Most applicants, and most respondents, a row may name.
    pub max_parties_per_side: usize,
}

/// Where an import is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `done` rows of `total` are checked.
    Checking { done: usize, total: usize },
    /// Every row passed; the one write transaction starts.
    Writing,
    /// The write is over (committed, or rolled back on a dry run or a refusal).
    Written,
}

/// How many rows are checked between two [`Phase::Checking`] reports.
const REPORT_EVERY: usize = 1000;

/// Reads, checks and (unless a dry run) writes a file.
pub async fn run(pool: &crate::store::Db, bytes: &[u8], options: &Options) -> Result<Report, Failure> {
    run_reporting(pool, bytes, options, |_| {}).await
}

/// [`run`], telling `report` how far it is: the check row by row (every
/// [`REPORT_EVERY`] rows and at the end), the write as one step.
#[tracing::instrument(skip(pool, bytes, report), fields(bytes = bytes.len()))]
pub async fn run_reporting(
    pool: &crate::store::Db,
    bytes: &[u8],
    options: &Options,
    mut report: impl FnMut(Phase),
) -> Result<Report, Failure> {
    let sheet = read::read(bytes).map_err(Failure::Invalid)?;
    if sheet.rows.is_empty() {
        return Err(Failure::Invalid(vec![ImportError::at_row(2, ImportProblem::NoRows)]));
    }
    let total = sheet.rows.len();
    report(Phase::Checking { done: 0, total });
    let refs = reference::load(pool).await?;
    let mut names = row::MediatorNames::new(&mediators::list(pool, Some(options.committee.id)).await?);
    let mut errors = sheet.problems.clone();
    let mut cases: Vec<ImportedCase> = Vec::with_capacity(total);
    for (i, raw) in sheet.rows.iter().enumerate() {
        match row::check(&sheet, raw, &refs, &mut names, options) {
            Ok(case) => cases.push(case),
            Err(e) => errors.extend(e),
        }
        let done = i + 1;
        if done % REPORT_EVERY == 0 || done == total {
            report(Phase::Checking { done, total });
        }
    }
    // A number twice in the file, by text or by year and sequence.
    let mut seen: HashMap<(i32, i64), usize> = HashMap::new();
    for case in &cases {
        if let Some(no) = &case.case_no {
            match seen.get(&(no.year, no.seq)) {
                Some(&first) => {
                    errors.push(sheet.error(case.row, Column::CaseNo, ImportProblem::DuplicateInFile(first)))
                }
                None => {
                    seen.insert((no.year, no.seq), case.row);
                }
            }
        }
    }
    let numbered: Vec<&ImportedCase> = cases.iter().filter(|c| c.case_no.is_some()).collect();
    let numbers: Vec<_> = numbered.iter().filter_map(|c| c.case_no.clone()).collect();
    for i in store_import::taken_numbers(&mut pool.acquire().await?.conn(), options.committee.id, &numbers).await? {
        errors.push(sheet.error(numbered[i].row, Column::CaseNo, ImportProblem::CaseNoTaken));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.row, e.column.as_ref().map(|(i, _)| *i)));
        return Err(Failure::Invalid(errors));
    }
    // The dry run writes too, and rolls back: it meets every refusal the
    // import would, so the two can never disagree.
    report(Phase::Writing);
    let written = store_import::write(
        pool,
        &cases,
        &names.new,
        &options.committee,
        options.actor,
        !options.dry_run,
    )
    .await;
    report(Phase::Written);
    let at = |row: usize, problem: ImportProblem| Failure::Invalid(vec![sheet.error(row, Column::CaseNo, problem)]);
    match written {
        Ok(written) => Ok(Report {
            cases: cases.len(),
            new_mediators: names.new.clone(),
            written: !options.dry_run,
            locked: written.locked,
        }),
        Err(WriteError::NumberTaken(row)) => Err(at(row, ImportProblem::CaseNoTaken)),
        Err(WriteError::Refused(row)) => Err(Failure::Invalid(vec![ImportError::at_row(row, ImportProblem::Refused)])),
        Err(WriteError::Sqlx(e)) => Err(Failure::Db(e)),
    }
}
