//! The load's indexes, summary triggers and foreign keys set aside before
//! its rows, then built again with the search rows and the summary.

use std::time::Instant;

use crate::store::bulk::{self, Aside};
use crate::store::{Conn, search, stats};

/// The tables a load writes rows to (see [`crate::store::bulk`]).
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
    bulk::set_aside(conn, LOAD_TABLES).await
}

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
    let search = bulk::set_aside(&mut *conn, search::TABLES).await?;
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
