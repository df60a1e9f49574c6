//! Where a bulk load leaves FTS5's segments (SQLite).
//!
//! FTS5 keeps each index as segments on levels: every write adds a small
//! segment on level 0, and when a level holds four segments it merges them
//! into one on the next, a few pages per write. A segment on level L is
//! then about 4^L pages, and the work each write adds stays small.
//!
//! A bulk load (the demo, an import, a migration's rebuild) breaks that
//! shape: it writes the documents of thousands of cases as one segment of
//! level 0 (63,639 pages for a million cases). The web's next writes put
//! their one-page segments beside it, so the next merge of level 0 must
//! rewrite the whole bulk segment. Its few pages per write cannot finish
//! that before sixteen new segments pile up on the level, and then FTS5
//! merges the level at once ("crisis merge"): one registration held the
//! write lock for 3–12 s, and every write behind it waited (the soak's p99).
//!
//! [`settle`] moves every level up to the level its largest segment would
//! have reached by merges, keeping their order (older segments stay on
//! higher levels, as FTS5 needs), so a bulk segment is merged again only
//! after about as many writes as it has pages. Only the structure record
//! (row 10 of the index's `_data` table) changes: every segment, page and
//! document stays as it is, and FTS5's `integrity-check` passes after it.

use sqlx::{AssertSqlSafe, Connection, SqliteConnection};

use crate::store::Db;
use structure::Structure;

mod structure;
#[cfg(test)]
mod tests;

/// The structure record's id in an index's `_data` table.
const STRUCTURE_ROW: i64 = 10;

/// Moves the segments of both search indexes to the levels their sizes
/// call for (see the module's comment), on a connection of its own that
/// waits for the write lock. Every other connection reads the new
/// structure at its next transaction (FTS5 reloads it when another
/// connection changed the file). Returns how many indexes it changed;
/// nothing to do on PostgreSQL, or when an index is already in shape or
/// is in the middle of a merge.
///
/// Called after the writes it follows have committed: a failure (the lock
/// not had in time) is logged and changes nothing, and those writes stand.
pub async fn settle(pool: &Db) -> usize {
    let Db::Sqlite(p) = pool else {
        return 0;
    };
    let settled = match SqliteConnection::connect_with(&p.pool().connect_options()).await {
        Ok(mut conn) => {
            let settled = settle_on(&mut conn).await;
            let _ = conn.close().await;
            settled
        }
        Err(e) => Err(e),
    };
    settled.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "search index segments left where they were");
        0
    })
}

async fn settle_on(conn: &mut SqliteConnection) -> Result<usize, sqlx::Error> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut changed = 0;
    for table in super::index::FTS_TABLES {
        // Fixed SQL: the names of our own tables.
        let read = format!("SELECT block FROM {table}_data WHERE id = ?");
        let block: Option<Vec<u8>> = sqlx::query_scalar(AssertSqlSafe(read))
            .bind(STRUCTURE_ROW)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(settled) = block
            .as_deref()
            .and_then(Structure::decode)
            .and_then(Structure::settled)
        else {
            continue;
        };
        let write = format!("UPDATE {table}_data SET block = ? WHERE id = ?");
        sqlx::query(AssertSqlSafe(write))
            .bind(settled.encode())
            .bind(STRUCTURE_ROW)
            .execute(&mut *tx)
            .await?;
        tracing::info!(table, levels = ?settled.populated(), "search index segments settled");
        changed += 1;
    }
    tx.commit().await?;
    Ok(changed)
}
