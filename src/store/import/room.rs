//! The import connection's own settings for the length of its write
//! (SQLite only): a page cache big enough to hold every page the
//! transaction changes (and the rows staged for it in TEMP tables, see
//! `ahead`), and the WAL checkpoint moved after the lock.
//!
//! With the pool's 8 MiB cache, a 50,000-row import fills the cache with
//! changed pages long before it commits, and SQLite spills them to the WAL
//! mid-way, writing many of them again later. And the checkpoint SQLite
//! runs when the WAL is past 1,000 pages happens inside the COMMIT call,
//! after the write lock is given back but before COMMIT returns: run
//! apart, it copies the WAL into the file while other writers go on.

use sqlx::SqliteConnection;

/// The import's page cache, in KiB (SQLite's unit when negative): the
/// pages a 50,000-row import changes, with room to spare. Given back to
/// the connection's usual size when the write ends.
const CACHE_KIB: i64 = 256 * 1024;

/// What the connection had before [`widen`], to put back.
pub(super) struct Usual {
    cache_size: i64,
    temp_cache_size: i64,
    autocheckpoint: i64,
}

/// Gives the connection the import's settings; answers its usual ones.
pub(super) async fn widen(conn: &mut SqliteConnection) -> Result<Usual, sqlx::Error> {
    let cache_size: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    let temp_cache_size: i64 = sqlx::query_scalar("PRAGMA temp.cache_size")
        .fetch_one(&mut *conn)
        .await?;
    let autocheckpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
        .fetch_one(&mut *conn)
        .await?;
    // A pragma's value cannot be bound; these are numbers of ours.
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{CACHE_KIB}")))
        .execute(&mut *conn)
        .await?;
    sqlx::query("PRAGMA wal_autocheckpoint = 0").execute(&mut *conn).await?;
    // The staging tables (TEMP, see `ahead`) in memory too, not spilled
    // to their file and read back under the lock.
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA temp.cache_size = -{CACHE_KIB}")))
        .execute(&mut *conn)
        .await?;
    Ok(Usual {
        cache_size,
        temp_cache_size,
        autocheckpoint,
    })
}

impl Usual {
    /// Checkpoints what the write left in the WAL, as SQLite would have at
    /// its commit, and puts the usual settings back (which gives the
    /// cache's memory back too).
    pub(super) async fn restore(self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let started = std::time::Instant::now();
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut *conn)
            .await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "import checkpoint, after the lock"
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {}", self.cache_size)))
            .execute(&mut *conn)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA temp.cache_size = {}",
            self.temp_cache_size
        )))
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA wal_autocheckpoint = {}",
            self.autocheckpoint
        )))
        .execute(&mut *conn)
        .await?;
        // The cache's pages beyond the usual size, freed now rather than
        // kept by the connection until it closes.
        sqlx::query("PRAGMA shrink_memory").execute(&mut *conn).await?;
        Ok(())
    }
}
