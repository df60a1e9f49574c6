//! Writing an imported file: every case in one transaction, or none.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use crate::store::db::PoolConn;
use crate::store::{Backend, Conn};
use chrono::NaiveDate;
use sqlx::AssertSqlSafe;

use super::audit::{self, Change};
mod ahead;
mod room;
mod rows;
mod snapshot;

use ahead::{Ahead, Basis};

use super::cases::{raise_counter, snapshot_expr};
use super::orgs::Committee;
use super::{bulk, is_constraint_violation, mediators, now_utc, search, stats};
use crate::domain::case::CaseInput;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::domain::{CaseNo, Money, Status};

/// One checked row of an import, ready to store.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// The row in the file, as a spreadsheet numbers it (heading = 1).
    pub row: usize,
    /// The number from the file, kept; `None` to assign the next one.
    pub case_no: Option<CaseNo>,
    /// The register fields. A negative mediator id `-n` stands for the
    /// n-th (from 1) name of `new_mediators`, created by the import.
    pub case: CaseInput,
    pub status: Status,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<Money>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub closed_on: Option<NaiveDate>,
    pub agreement_terms: Option<String>,
    pub close_reason: Option<String>,
}

/// Which of the given numbers are already taken, by the same text or by
/// the same year and sequence in the committee (the table's two unique
/// keys). Answers the indexes into `numbers`.
pub async fn taken_numbers(
    conn: &mut Conn<'_>,
    committee_id: i64,
    numbers: &[CaseNo],
) -> Result<Vec<usize>, sqlx::Error> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<i64> = match conn {
        Conn::Sqlite(c) => {
            let list: Vec<serde_json::Value> = numbers
                .iter()
                .map(|n| serde_json::json!([n.to_string(), n.year, n.seq]))
                .collect();
            // One query for the whole file instead of one per row.
            sqlx::query_scalar(
                "SELECT CAST(j.key AS INTEGER) FROM json_each($1) j
                 WHERE EXISTS (SELECT 1 FROM cases c WHERE c.case_no = j.value ->> 0)
                    OR EXISTS (SELECT 1 FROM cases c WHERE c.committee_id = $2
                               AND c.case_year = j.value ->> 1 AND c.case_seq = j.value ->> 2)
                 ORDER BY 1",
            )
            .bind(serde_json::Value::Array(list).to_string())
            .bind(committee_id)
            .fetch_all(&mut **c)
            .await?
        }
        // The same over three bound arrays, numbered from 0 as `json_each`'s keys.
        Conn::Postgres(c) => {
            let texts: Vec<String> = numbers.iter().map(CaseNo::to_string).collect();
            let years: Vec<i64> = numbers.iter().map(|n| i64::from(n.year)).collect();
            let seqs: Vec<i64> = numbers.iter().map(|n| n.seq).collect();
            sqlx::query_scalar(
                "SELECT CAST(j.i - 1 AS BIGINT) FROM UNNEST(CAST($1 AS TEXT[]), CAST($2 AS BIGINT[]), CAST($3 AS BIGINT[]))
                    WITH ORDINALITY AS j (no, y, s, i)
                 WHERE EXISTS (SELECT 1 FROM cases c WHERE c.case_no = j.no)
                    OR EXISTS (SELECT 1 FROM cases c WHERE c.committee_id = $4 AND c.case_year = j.y AND c.case_seq = j.s)
                 ORDER BY 1",
            )
            .bind(texts)
            .bind(years)
            .bind(seqs)
            .bind(committee_id)
            .fetch_all(&mut **c)
            .await?
        }
    };
    Ok(found.into_iter().map(|i| i as usize).collect())
}

/// What every row of one import is written with: its committee, who
/// imports (`None` for the command line) and when.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stamp<'a> {
    committee_id: i64,
    actor: Option<i64>,
    now: &'a str,
}

/// Why a write stopped without writing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another writer took this row's case number after the check.
    #[error("case number of row {0} taken meanwhile")]
    NumberTaken(usize),
    /// The database refused this row (a constraint the checks do not know).
    #[error("the database refused row {0}")]
    Refused(usize),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// What a write did, or would have done when rolled back.
#[derive(Debug, Clone)]
pub struct Written {
    /// Ids of the created mediators.
    pub mediators: Vec<i64>,
    /// How long the transaction held the write lock.
    pub locked: Duration,
}

/// Writes the mediators and cases in one transaction, with their audit
/// entries, then commits it or, for a dry run (`commit` false), rolls it
/// back: a dry run meets every refusal the real write would meet.
///
/// Everything is checked before, and everything the write needs is made
/// before the lock too (see `ahead`; on SQLite even written, into the
/// connection's own TEMP tables), so the lock is held for the writing
/// alone: the cases, their parties and their mediator links take one
/// statement each for the whole file, and the search documents and the
/// audit entries are written once for all cases at the end.
/// The summary table is added to once for the whole file (see
/// `stats::defer`), not by its triggers once per case and mediator.
#[tracing::instrument(skip_all, fields(cases = cases.len(), new_mediators = new_mediators.len(), commit))]
pub async fn write(
    pool: &crate::store::Db,
    cases: &[ImportedCase],
    new_mediators: &[String],
    committee: &Committee,
    actor: Option<i64>,
    commit: bool,
) -> Result<Written, WriteError> {
    let mut conn = pool.acquire().await?;
    let usual = match conn.conn() {
        Conn::Sqlite(c) => Some(room::widen(c).await?),
        Conn::Postgres(_) => None,
    };
    // The rows' times are those of the write's start, a moment before
    // the lock.
    let now = now_utc();
    let stamp = Stamp {
        committee_id: committee.id,
        actor,
        now: &now,
    };
    let basis = Basis::read(&mut conn.conn(), cases, committee).await?;
    let mut ahead = Ahead::make(pool.backend(), basis, cases, new_mediators, committee, stamp);
    let written = match ahead.stage(&mut conn.conn()).await {
        Ok(()) => write_locked(&mut conn, cases, new_mediators, committee, stamp, ahead, commit).await,
        Err(e) => Err(e.into()),
    };
    ahead::unstage(&mut conn.conn()).await?;
    if let (Some(usual), Conn::Sqlite(c)) = (usual, conn.conn()) {
        usual.restore(c).await?;
    }
    let written = written?;
    tracing::info!(locked_ms = written.locked.as_millis() as u64, commit, "import write");
    if commit && cases.len() >= STATISTICS_AFTER {
        bulk::refresh_statistics(&mut conn.conn()).await?;
    }
    if commit && !cases.is_empty() {
        // The new cases' search documents went in as one bulk segment.
        search::settle(pool).await;
    }
    Ok(written)
}

/// [`write`] on one connection, from taking the write lock to giving it back.
async fn write_locked<'a>(
    conn: &mut PoolConn,
    cases: &'a [ImportedCase],
    new_mediators: &[String],
    committee: &Committee,
    stamp: Stamp<'_>,
    ahead: Ahead<'a>,
    commit: bool,
) -> Result<Written, WriteError> {
    let mut tx = conn.begin_write().await?;
    let locked_at = Instant::now();
    // On an error the transaction is dropped, which rolls it back.
    let created = write_all(&mut tx.conn(), cases, new_mediators, committee, stamp, ahead).await?;
    if commit {
        if let Conn::Postgres(c) = tx.conn() {
            // The cases were written with their ids: the identity moves
            // past them, so the next case registered by hand takes the id
            // after the last. Only now: a sequence ignores a rollback.
            sqlx::query("SELECT setval(pg_get_serial_sequence('cases', 'id'), MAX(id)) FROM cases")
                .execute(&mut *c)
                .await?;
        }
        let committing = Instant::now();
        tx.commit().await?;
        tracing::debug!(ms = committing.elapsed().as_millis() as u64, "import commit");
    } else {
        tx.rollback().await?;
    }
    Ok(Written {
        mediators: created,
        locked: locked_at.elapsed(),
    })
}

/// Imports of at least this many rows refresh PostgreSQL's planner
/// statistics after they commit (see [`bulk::refresh_statistics`]).
const STATISTICS_AFTER: usize = 1000;

/// The tables an import writes many rows to (see [`bulk`]).
const BULK_TABLES: &[&str] = &["cases", "parties", "case_mediators"];

async fn write_all<'a>(
    tx: &mut Conn<'_>,
    cases: &'a [ImportedCase],
    new_mediators: &[String],
    committee: &Committee,
    stamp: Stamp<'_>,
    ahead: Ahead<'a>,
) -> Result<Vec<i64>, WriteError> {
    let mut phase = Instant::now();
    // What was made ahead stands if nothing it rests on changed meanwhile.
    let basis = Basis::read(tx, cases, committee).await?;
    let ahead = if basis == ahead.basis {
        ahead
    } else {
        tracing::debug!("import: another write came between, made again under the lock");
        let mut ahead = Ahead::make(tx.backend(), basis, cases, new_mediators, committee, stamp);
        ahead.stage(tx).await?;
        ahead
    };
    let mut created = Vec::with_capacity(new_mediators.len());
    for name in new_mediators {
        let id = mediators::insert_in(tx, committee.id, name, "", true).await?;
        let change = Change {
            user_id: stamp.actor,
            entity: "mediator",
            entity_id: Some(id),
            case_id: None,
            action: "import",
            before: None,
            after: Some(serde_json::json!({ "name": name, "phone": "", "active": true })),
        };
        audit::record(tx, change).await?;
        created.push(id);
    }
    // Checked before the lock; checked again under it, in one query.
    let kept: Vec<&ImportedCase> = cases.iter().filter(|c| c.case_no.is_some()).collect();
    let numbers: Vec<CaseNo> = kept.iter().filter_map(|c| c.case_no.clone()).collect();
    if let Some(&i) = taken_numbers(tx, committee.id, &numbers).await?.first() {
        return Err(WriteError::NumberTaken(kept[i].row));
    }
    for (&year, &seq) in &ahead.last {
        raise_counter(tx, committee.id, year, seq).await?;
    }
    let Ahead {
        basis: Basis { first, .. },
        numbers,
        rows,
        grams,
        audit: entries,
        summary,
        ..
    } = ahead;
    tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import checked again");
    phase = Instant::now();
    // All cases, then all parties, then all links, each in one statement:
    // the per-row work (constraints, indexes, the summary's triggers) stays
    // inside SQLite. When the database refuses something,
    // the same rows are written again one case at a time, to name the row.
    // The summary's triggers stand aside for the bulk statements; the new
    // cases, counted ahead, are added to it once, grouped, before the
    // savepoint ends.
    let last = first + cases.len() as i64 - 1;
    let mut bulk = tx.begin().await?;
    stats::defer(&mut bulk.conn()).await?;
    // The rows are consistent by construction (ids assigned here,
    // mediators found or created): PostgreSQL's foreign keys, a query per
    // row, are checked again in one join when they are restored, with the
    // indexes. A key the database refuses then names its row as below.
    let worth = bulk::worth_setting_aside(&mut bulk.conn(), cases.len()).await?;
    let aside = if worth {
        Some(bulk::set_aside(&mut bulk.conn(), BULK_TABLES).await?)
    } else {
        None
    };
    let inserted = async {
        rows::insert_all(&mut bulk.conn(), rows, cases, &created, first).await?;
        tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import rows");
        phase = Instant::now();
        if let Some(aside) = aside {
            aside.restore(&mut bulk.conn()).await?;
            tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import indexes");
            phase = Instant::now();
        }
        Ok::<(), sqlx::Error>(())
    }
    .await;
    match inserted {
        Ok(()) => {
            stats::add_tallied(&mut bulk.conn(), summary, |m| rows::mediator_id(m, &created)).await?;
            bulk.commit().await?;
            tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import summary");
            phase = Instant::now();
        }
        Err(e) if is_constraint_violation(&e) => {
            bulk.rollback().await?;
            for (case, number) in cases.iter().zip(&numbers) {
                rows::insert_case(tx, case, number, &created, stamp).await?;
            }
            // Every row went in one by one: report what the whole refused.
            return Err(WriteError::Sqlx(e));
        }
        Err(e) => return Err(e.into()),
    }
    if !cases.is_empty() {
        // The cases have the ids `first..=last` (see `insert_all`). On
        // PostgreSQL a load as big as what is stored leaves the search
        // tables' GIN indexes aside too, and builds them once after.
        let search = if worth {
            Some(bulk::set_aside(tx, search::TABLES).await?)
        } else {
            None
        };
        search::index_new_with(tx, first, last, Some(grams)).await?;
        if let Some(search) = search {
            search.restore(tx).await?;
        }
        tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import search");
        phase = Instant::now();
        match tx {
            Conn::Sqlite(c) => entries.write(c, stamp).await?,
            Conn::Postgres(c) => {
                sqlx::query(AssertSqlSafe(AUDIT_POSTGRES.as_str()))
                    .bind(stamp.now)
                    .bind(stamp.actor)
                    .bind(first)
                    .execute(&mut **c)
                    .await?;
            }
        }
        tracing::debug!(ms = phase.elapsed().as_millis() as u64, "import audit");
    }
    Ok(created)
}

/// The import's audit entries on PostgreSQL: one per new case (ids from
/// `$3` on), its snapshot as `cases::snapshot` writes it. (SQLite's are
/// written from the rows themselves, see `snapshot`.)
static AUDIT_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO audit_log (at, user_id, entity, entity_id, case_id, action, before, after)
         SELECT $1, $2, 'case', c.id, c.id, 'import', NULL, CAST({} AS TEXT) FROM cases c WHERE c.id >= $3 ORDER BY c.id",
        snapshot_expr(Backend::Postgres)
    )
});
