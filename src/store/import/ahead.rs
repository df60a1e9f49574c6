//! What a write makes before it takes the write lock: the numbers, the
//! rows' statements, the search's gram documents, the audit snapshots and
//! the summary's rows, all computed from the file and from what the
//! database held a moment before (the [`Basis`]). Under the lock the basis
//! is read again: when another write came between (a case registered, a
//! counter raised, a mediator renamed), everything is made again there, so
//! what is written is always what the lock sees; otherwise the lock holds
//! the writing alone.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;

use super::rows::{self, Rows};
use super::snapshot::{self, Entries};
use super::{ImportedCase, Stamp};
use crate::domain::CaseNo;
use crate::on_db;
use crate::store::orgs::Committee;
use crate::store::{Backend, Conn, search, stats};

/// What the made rows depend on in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Basis {
    /// The id the first new case takes.
    pub first: i64,
    /// The last sequence number of each year the cases fall in (0 for a
    /// year not yet counted).
    pub counters: BTreeMap<i32, i64>,
    /// The mediators' names the snapshots hold (SQLite's; PostgreSQL
    /// writes its snapshots from the rows, under the lock).
    pub names: HashMap<i64, String>,
    /// The id the import's first new mediator is expected to take
    /// (SQLite's next rowid; checked once they are created).
    pub next_mediator: i64,
}

impl Basis {
    /// Reads it; under the lock, before the import creates its mediators.
    pub async fn read(tx: &mut Conn<'_>, cases: &[ImportedCase], committee: &Committee) -> Result<Basis, sqlx::Error> {
        let first: i64 = on_db!(tx, |e| {
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM cases")
                .fetch_one(e)
                .await
        })?;
        let mut counters = BTreeMap::new();
        for case in cases {
            let year = case.case_no.as_ref().map_or(case.case.received_on.year(), |n| n.year);
            if let std::collections::btree_map::Entry::Vacant(e) = counters.entry(year) {
                let seq: Option<i64> = on_db!(tx, |e| {
                    sqlx::query_scalar("SELECT last_seq FROM case_counters WHERE committee_id = $1 AND year = $2")
                        .bind(committee.id)
                        .bind(i64::from(year))
                        .fetch_optional(e)
                        .await
                })?;
                e.insert(seq.unwrap_or(0));
            }
        }
        let (names, next_mediator) = match tx {
            Conn::Sqlite(c) => (
                snapshot::names(c).await?,
                sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM mediators")
                    .fetch_one(&mut **c)
                    .await?,
            ),
            Conn::Postgres(_) => (HashMap::new(), 0),
        };
        Ok(Basis {
            first,
            counters,
            names,
            next_mediator,
        })
    }
}

/// Everything made ahead, on one [`Basis`].
pub(super) struct Ahead<'a> {
    pub basis: Basis,
    /// Every case's number: kept from the file, or the next of its year.
    pub numbers: Vec<CaseNo>,
    /// Each year's counter once the cases are numbered.
    pub last: BTreeMap<i32, i64>,
    pub rows: Rows<'a>,
    /// The gram documents (SQLite; empty on PostgreSQL, which cuts its own).
    pub grams: search::Documents,
    /// The audit entries (SQLite; empty on PostgreSQL, see `AUDIT_POSTGRES`).
    pub audit: Entries,
    /// The summary's rows of the new cases, their new mediators as the
    /// file's negative ids (mapped once they are created).
    pub summary: stats::TallyRows<'a>,
}

impl<'a> Ahead<'a> {
    /// Makes everything for `cases` on `basis`.
    pub fn make(
        b: Backend,
        basis: Basis,
        cases: &'a [ImportedCase],
        new_mediators: &[String],
        committee: &Committee,
        stamp: Stamp<'_>,
    ) -> Ahead<'a> {
        let started = std::time::Instant::now();
        let (numbers, last) = number(cases, committee, &basis.counters);
        let created = (basis.next_mediator..).take(new_mediators.len()).collect();
        let rows = Rows::new(b, cases, &numbers, stamp, basis.first, created);
        let (grams, audit) = match b {
            Backend::Sqlite => (
                grams(cases, &numbers, basis.first),
                Entries::new(cases, &numbers, new_mediators, &basis.names, stamp, basis.first),
            ),
            Backend::Postgres => Default::default(),
        };
        let mut summary = stats::Tally::default();
        for c in cases {
            let parties = c.case.parties.iter().map(|p| p.party_type.as_str());
            summary.add(&c.figures(stamp.committee_id), &c.case.mediator_ids, parties);
        }
        let summary = summary.rows();
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import made ahead");
        Ahead {
            basis,
            numbers,
            last,
            rows,
            grams,
            audit,
            summary,
        }
    }
}

impl Ahead<'_> {
    /// On SQLite, writes the rows, the gram documents and the audit
    /// entries into staging tables of the connection's own (TEMP), whose
    /// writing takes no lock of the database's: under the lock they are
    /// copied from table to table, with nothing left to bind or parse.
    pub async fn stage(&mut self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        let started = std::time::Instant::now();
        self.rows.stage(conn).await?;
        if let Conn::Sqlite(c) = conn {
            let phase = std::time::Instant::now();
            self.grams.stage(c).await?;
            tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import grams staged");
            let phase = std::time::Instant::now();
            self.audit.stage(c).await?;
            tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import audit staged");
        }
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import staged");
        Ok(())
    }
}

/// Drops what [`Ahead::stage`] wrote, when the write is over.
pub(super) async fn unstage(conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
    if let Conn::Sqlite(c) = conn {
        rows::unstage(c).await?;
        search::unstage(c).await?;
        snapshot::unstage(c).await?;
    }
    Ok(())
}

/// Every case's number on `counters`, and each year's counter after.
/// Kept numbers come first: each year's counter is raised past them, so
/// numbers assigned now or later never collide.
fn number(
    cases: &[ImportedCase],
    committee: &Committee,
    counters: &BTreeMap<i32, i64>,
) -> (Vec<CaseNo>, BTreeMap<i32, i64>) {
    let mut last = counters.clone();
    for no in cases.iter().filter_map(|c| c.case_no.as_ref()) {
        if let Some(seq) = last.get_mut(&no.year) {
            *seq = (*seq).max(no.seq);
        }
    }
    let mut numbers = Vec::with_capacity(cases.len());
    for case in cases {
        numbers.push(match &case.case_no {
            Some(no) => no.clone(),
            None => {
                let year = case.case.received_on.year();
                let seq = last.entry(year).or_default();
                *seq += 1;
                CaseNo::new(&committee.prefix, year, *seq)
            }
        });
    }
    (numbers, last)
}

/// The gram documents of the cases as they will be stored: with the ids
/// from `first` on, their numbers, and their parties by role then form
/// order, as the view `case_gram_docs` reads them through `parties_case`.
fn grams(cases: &[ImportedCase], numbers: &[CaseNo], first: i64) -> search::Documents {
    let mut fields = Vec::with_capacity(cases.len());
    let mut names = Vec::new();
    for ((id, c), number) in (first..).zip(cases).zip(numbers) {
        let input = &c.case;
        fields.push((id, number.to_string(), input.project.clone(), input.summary.clone()));
        let mut parties: Vec<(&str, usize, &str)> = input
            .parties
            .iter()
            .enumerate()
            .map(|(position, p)| (p.role.code(), position, p.name.as_str()))
            .collect();
        parties.sort_unstable();
        names.extend(parties.into_iter().map(|(_, _, name)| (id, name.to_string())));
    }
    search::documents_ahead(fields, names)
}
