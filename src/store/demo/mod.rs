//! Bulk writing of synthetic demo cases (`accord demo`): multi-row INSERTs
//! in one transaction, fast enough for a million cases.
//!
//! Demo data is synthetic, so it writes one audit row for the whole load
//! instead of one per case. The tables' indexes, the statistics summary and
//! the search index are built once at the end of the load, in its
//! transaction ([`begin_bulk`], [`end_bulk`]).

use std::collections::BTreeMap;
use std::time::Instant;

mod children;
pub mod orgs;

use chrono::NaiveDate;

use super::db::PoolConn;
use super::{Conn, Tx};
use crate::on_db;

use super::Backend;
use super::audit::{self, Change};
use super::bulk::{self, Aside};
use super::cases::{NewCase, Statements};
use super::sql::Sql;
use super::{search, stats};
use crate::domain::Durability;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Satisfaction, SessionMode};
use crate::domain::{PartyRole, Status};

/// One synthetic case with everything attached.
#[derive(Debug, Clone)]
pub struct DemoCase {
    pub id: i64,
    pub committee_id: i64,
    pub case_no: String,
    pub year: i32,
    pub seq: i64,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub source: &'static str,
    pub category: &'static str,
    pub project: String,
    pub district: &'static str,
    pub summary: String,
    pub amount_claimed: i64,
    pub status: Status,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<i64>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub agreement_terms: Option<String>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub judicial_applied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub routes_informed: Option<String>,
    /// The official report's fields (issue 16): `None` counts the parties.
    pub people_involved: Option<i64>,
    /// People kept from 民转刑 and from a mass petition; 0: none.
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
    /// (role, party type, name, phone).
    pub parties: Vec<(PartyRole, &'static str, String, String)>,
    pub mediators: Vec<i64>,
    pub sessions: Vec<DemoSession>,
    pub visits: Vec<DemoVisit>,
}

#[derive(Debug, Clone)]
pub struct DemoSession {
    pub id: i64,
    pub held_on: String,
    pub form: SessionMode,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct DemoVisit {
    pub visited_on: String,
    pub visitor: String,
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
}

impl DemoCase {
    /// The case's own row, entered at `stamp`.
    fn row<'a>(&'a self, stamp: &'a str) -> NewCase<'a> {
        NewCase {
            id: Some(self.id),
            committee_id: self.committee_id,
            case_no: &self.case_no,
            year: self.year,
            seq: self.seq,
            received_on: self.received_on,
            accepted_on: self.accepted_on,
            source: self.source,
            category: self.category,
            project: &self.project,
            district: self.district,
            summary: &self.summary,
            amount_claimed: self.amount_claimed,
            amount_claimed_blank: false,
            status: self.status,
            agreement_type: self.agreement_type,
            amount_agreed: self.amount_agreed,
            agreement_on: self.agreement_on,
            performance_due: self.performance_due,
            agreement_terms: self.agreement_terms.as_deref(),
            fulfilment: self.fulfilment,
            judicial_confirmation: self.judicial_confirmation,
            judicial_applied_on: self.judicial_applied_on,
            closed_on: self.closed_on,
            close_reason: self.close_reason.as_deref(),
            routes_informed: self.routes_informed.as_deref(),
            people_involved: self.people_involved,
            prevented_crime_people: self.prevented_crime_people,
            prevented_petition_people: self.prevented_petition_people,
            created_by: None,
            created_at: stamp,
            updated_at: stamp,
        }
    }
}

impl DemoCase {
    /// Counts it in the load's summary (see [`stats::Tally`]).
    pub fn tally(&self, tally: &mut stats::Tally<'static>) {
        let figures = stats::CaseFigures {
            committee_id: self.committee_id,
            category: self.category,
            source: self.source,
            district: self.district,
            status: self.status,
            received_on: self.received_on,
            accepted_on: self.accepted_on,
            closed_on: self.closed_on,
            amount_claimed: self.amount_claimed,
            amount_agreed: self.amount_agreed,
            fulfilment: self.fulfilment,
            people_involved: self.people_involved,
            prevented_crime_people: self.prevented_crime_people,
            prevented_petition_people: self.prevented_petition_people,
        };
        tally.add(&figures, &self.mediators, self.parties.iter().map(|p| p.1));
    }

    /// Its `case_grams` document (SQLite), as the view `case_gram_docs`
    /// makes it: its parties by role, then position.
    pub fn gram_document(&self) -> search::Document {
        let mut parties: Vec<(&str, usize, &str)> = (self.parties.iter().enumerate())
            .map(|(position, p)| (p.0.code(), position, p.2.as_str()))
            .collect();
        parties.sort_unstable();
        let fields = [self.case_no.as_str(), &self.project, &self.summary];
        let names = parties.into_iter().map(|(_, _, name)| name);
        (self.id, search::document(fields.into_iter().chain(names)))
    }
}

/// True when there is at least one case.
pub async fn has_cases(pool: &crate::store::Db) -> Result<bool, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cases)")
            .fetch_one(e)
            .await
    })
}

/// The ids the next case and session should take.
pub async fn next_ids(conn: &mut crate::store::Conn<'_>) -> Result<(i64, i64), sqlx::Error> {
    let case: i64 = on_db!(conn, |e| {
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM cases")
            .fetch_one(e)
            .await
    })?;
    let session: i64 = on_db!(conn, |e| {
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM mediation_sessions")
            .fetch_one(e)
            .await
    })?;
    Ok((case, session))
}

/// Each year's last case number of a committee (kept: numbers are never
/// reused, even after `--force`).
pub async fn counters(conn: &mut crate::store::Conn<'_>, committee_id: i64) -> Result<BTreeMap<i32, i64>, sqlx::Error> {
    let counters: Vec<(i64, i64)> = on_db!(conn, |e| {
        sqlx::query_as("SELECT CAST(year AS BIGINT), last_seq FROM case_counters WHERE committee_id = $1")
            .bind(committee_id)
            .fetch_all(e)
            .await
    })?;
    Ok(counters.into_iter().map(|(y, s)| (y as i32, s)).collect())
}

/// A connection tuned for one big write: no fsync until the end and a
/// page cache of up to 512 MB (3 GB, a million cases' whole database,
/// looked faster in one noisy pair of runs, at 3.4 GB of memory; a demo
/// load should run on a small machine too). [`finish`] puts the usual
/// settings back.
pub async fn load_connection(pool: &crate::store::Db) -> Result<PoolConn, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    if let Conn::Sqlite(c) = conn.conn() {
        sqlx::query("PRAGMA synchronous = OFF").execute(&mut *c).await?;
        sqlx::query("PRAGMA cache_size = -524288").execute(c).await?;
    }
    Ok(conn)
}

/// Starts the load's one transaction.
pub async fn begin(conn: &mut PoolConn) -> Result<Tx<'_>, sqlx::Error> {
    conn.begin_write().await
}

/// Deletes every case and what hangs on it (for `--force`), in the
/// caller's transaction. The audit trail stays: it is append-only.
pub async fn delete_cases(conn: &mut crate::store::Conn<'_>) -> Result<u64, sqlx::Error> {
    for sql in [
        "DELETE FROM case_transfers",
        "DELETE FROM return_visits",
        "DELETE FROM session_mediators",
        "DELETE FROM mediation_sessions",
    ] {
        on_db!(conn, |e| sqlx::query(sql).execute(e).await.map(|_| ()))?;
    }
    on_db!(conn, |e| {
        sqlx::query("DELETE FROM cases")
            .execute(e)
            .await
            .map(|done| done.rows_affected())
    })
}

/// A batch of drawn cases made ready to write: on SQLite its statements,
/// made on the drawing thread while the batch before is written, so the
/// writing connection waits for no one; on PostgreSQL the cases.
pub struct Ready {
    /// How many cases.
    pub cases: usize,
    /// What they claim in all, in fen.
    pub claimed: i64,
    /// Their gram documents on SQLite (see [`insert_grams`]), else none.
    pub grams: Vec<search::Document>,
    rows: Rows,
}

enum Rows {
    Sqlite(Statements, Vec<Sql>),
    Postgres(Vec<DemoCase>),
}

impl Ready {
    /// A batch for backend `b`.
    pub fn new(b: Backend, batch: Vec<DemoCase>) -> Ready {
        let cases = batch.len();
        let claimed = batch.iter().map(|c| c.amount_claimed).sum();
        let (rows, grams) = match b {
            Backend::Sqlite => {
                let stamps = stamps(&batch);
                let rows: Vec<NewCase> = batch.iter().zip(&stamps).map(|(c, stamp)| c.row(stamp)).collect();
                let statements = Rows::Sqlite(Statements::new(b, &rows), children::sqlite(&batch));
                (statements, batch.iter().map(DemoCase::gram_document).collect())
            }
            Backend::Postgres => (Rows::Postgres(batch), Vec::new()),
        };
        Ready {
            cases,
            claimed,
            grams,
            rows,
        }
    }
}

/// Demo cases were "entered" on the day they arrived.
fn stamps(batch: &[DemoCase]) -> Vec<String> {
    batch.iter().map(|c| format!("{}T01:00:00Z", c.received_on)).collect()
}

/// Writes one batch: the cases, then what hangs on them (parents first:
/// with the indexes set aside, a child row's foreign key is checked
/// against its parent's primary key, never by a scan).
pub async fn insert_batch(conn: &mut crate::store::Conn<'_>, ready: Ready) -> Result<(), sqlx::Error> {
    match ready.rows {
        Rows::Sqlite(cases, children) => {
            cases.run(&mut *conn).await?;
            for q in children {
                q.run_in(&mut *conn).await?;
            }
            Ok(())
        }
        Rows::Postgres(batch) if !batch.is_empty() => {
            let stamps = stamps(&batch);
            let rows: Vec<NewCase> = batch.iter().zip(&stamps).map(|(c, stamp)| c.row(stamp)).collect();
            super::cases::insert_many(&mut *conn, &rows).await?;
            match conn {
                Conn::Postgres(c) => children::postgres(c, &batch).await,
                Conn::Sqlite(_) => Err(sqlx::Error::Protocol("a PostgreSQL batch on SQLite".into())),
            }
        }
        Rows::Postgres(_) => Ok(()),
    }
}

/// Writes gram documents of cases written already ([`DemoCase::gram_document`])
/// into SQLite's index, on the way; [`end_bulk`] writes the rest of the
/// search rows. PostgreSQL's are all written by `end_bulk`.
pub async fn insert_grams(conn: &mut crate::store::Conn<'_>, docs: Vec<search::Document>) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => search::insert_documents(c, docs).await,
        Conn::Postgres(_) => Ok(()),
    }
}

/// The tables a load writes rows to (see [`super::bulk`]).
const LOAD_TABLES: &[&str] = &[
    "cases",
    "parties",
    "case_mediators",
    "mediation_sessions",
    "session_mediators",
    "return_visits",
];

/// Readies the load's transaction for many rows: the summary's triggers
/// and the tables' secondary indexes (and on PostgreSQL their foreign
/// keys) stand aside until [`end_bulk`].
pub async fn begin_bulk(conn: &mut crate::store::Conn<'_>) -> Result<Aside, sqlx::Error> {
    stats::defer(&mut *conn).await?;
    search::bulk_pending(&mut *conn, true).await?;
    let indexes = bulk::set_indexes_aside(&mut *conn, LOAD_TABLES).await?;
    Ok(indexes.and(bulk::set_foreign_keys_aside(conn, LOAD_TABLES).await?))
}

/// The search tables, whose indexes stand aside while [`end_bulk`] fills
/// them (none on SQLite, where they are FTS5 tables).
const SEARCH_TABLES: &[&str] = &["case_search", "case_grams"];

/// Builds the indexes again, then writes the search documents (parties
/// included, migration 0008) of the cases `first..=last` and their summary,
/// counted as they were drawn, each once for the whole load.
pub async fn end_bulk(
    conn: &mut crate::store::Conn<'_>,
    aside: Aside,
    first: i64,
    last: i64,
    summary: stats::Tally<'static>,
) -> Result<(), sqlx::Error> {
    let mut phase = Instant::now();
    // The search documents read the parties through `parties_case`.
    aside.restore(&mut *conn).await?;
    tracing::debug!(ms = phase.elapsed().as_millis() as u64, "demo indexes");
    phase = Instant::now();
    let search = bulk::set_indexes_aside(&mut *conn, SEARCH_TABLES).await?;
    let search = search.and(bulk::set_foreign_keys_aside(&mut *conn, SEARCH_TABLES).await?);
    // The gram documents are written (SQLite) or cut here (PostgreSQL).
    search::index_new_with(&mut *conn, first, last, Some(search::Documents::default())).await?;
    search::bulk_pending(&mut *conn, false).await?;
    tracing::debug!(ms = phase.elapsed().as_millis() as u64, "demo search rows");
    phase = Instant::now();
    search.restore(&mut *conn).await?;
    tracing::debug!(ms = phase.elapsed().as_millis() as u64, "demo search indexes");
    phase = Instant::now();
    // The ids were written, not drawn: the identities move past them, so
    // the next case or session entered by hand takes the id after.
    if let Conn::Postgres(c) = conn {
        for sql in [
            "SELECT setval(pg_get_serial_sequence('cases', 'id'), MAX(id)) FROM cases",
            "SELECT setval(pg_get_serial_sequence('mediation_sessions', 'id'), MAX(id)) FROM mediation_sessions",
        ] {
            sqlx::query(sql).execute(&mut **c).await?;
        }
    }
    stats::add_tallied(conn, summary.rows(), |m| m).await?;
    tracing::debug!(ms = phase.elapsed().as_millis() as u64, "demo summary");
    Ok(())
}

/// Brings each committee's case-number counters in step (committee id,
/// each year's last number) and records the load once in the audit trail,
/// inside the load's transaction.
pub async fn record(
    conn: &mut crate::store::Conn<'_>,
    counters: &[(i64, &BTreeMap<i32, i64>)],
    after: serde_json::Value,
) -> Result<(), sqlx::Error> {
    for &(committee_id, years) in counters {
        for (&year, &last) in years {
            super::cases::raise_counter(&mut *conn, committee_id, year, last).await?;
        }
    }
    let change = Change {
        user_id: None,
        entity: "demo",
        entity_id: None,
        case_id: None,
        action: "load",
        before: None,
        after: Some(after),
    };
    audit::record(conn, change).await
}

/// Puts the connection's usual settings back (see `store::open_with`).
pub async fn finish(mut conn: PoolConn, durability: Durability) -> Result<(), sqlx::Error> {
    let pragma = match durability {
        Durability::Full => "PRAGMA synchronous = FULL",
        Durability::Normal => "PRAGMA synchronous = NORMAL",
    };
    if let Conn::Sqlite(c) = conn.conn() {
        sqlx::query(pragma).execute(&mut *c).await?;
        sqlx::query("PRAGMA cache_size = -65536").execute(c).await?;
    }
    bulk::refresh_statistics(&mut conn.conn()).await
}
