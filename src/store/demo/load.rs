//! The load's connection and transaction: what it finds before it draws
//! (cases, ids, counters), what `--force` deletes, the one audit entry,
//! and the connection's settings put back at the end.

use std::collections::BTreeMap;

use crate::domain::Durability;
use crate::on_db;
use crate::store::audit::{self, Change};
use crate::store::bulk;
use crate::store::db::PoolConn;
use crate::store::{Conn, Tx};

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
            crate::store::cases::raise_counter(&mut *conn, committee_id, year, last).await?;
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
