//! All SQL lives here, one module per group of tables. Queries are built at
//! run time with bound parameters: sqlx's compile-time macros would need a
//! live database or committed `.sqlx/` data plus sqlx-cli in CI, which costs
//! more build time on a 2-core machine than it saves for a schema this small.

pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod cases;
pub mod demo;
pub mod export;
pub mod import;
mod links;
pub mod login_attempts;
pub mod mediators;
pub mod reference;
pub mod search;
pub mod session_store;
pub mod sessions;
pub mod stats;
pub mod users;
pub mod visits;
pub mod workflow;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::domain::Durability;

/// Connections of the pool: readers run side by side (WAL), writes queue
/// for the one write lock.
pub const POOL_SIZE: u32 = 4;

/// Each connection's page cache, in KiB when negative (SQLite's unit).
const CACHE_SIZE: &str = "-8192";

/// How long a write waits for the write lock unless told otherwise.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if missing) and migrates the database file, with the
/// default busy timeout and durability (`full`).
pub async fn open(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    open_with(path, BUSY_TIMEOUT, Durability::Full).await
}

/// SQLite's `synchronous` for a durability setting.
pub fn synchronous(durability: Durability) -> SqliteSynchronous {
    match durability {
        Durability::Full => SqliteSynchronous::Full,
        Durability::Normal => SqliteSynchronous::Normal,
    }
}

/// [`open`], with writes waiting at most `busy_timeout` for the write lock
/// (then they fail with SQLITE_BUSY, which the web answers with 503), and
/// every connection syncing commits as `durability` says.
pub async fn open_with(path: &Path, busy_timeout: Duration, durability: Durability) -> Result<SqlitePool, sqlx::Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous(durability))
        .foreign_keys(true)
        .busy_timeout(busy_timeout)
        // Memory (issue 12): each connection keeps at most this much of the
        // file in its own page cache (the kernel's cache holds the rest,
        // outside the server's resident memory), and sorts and temporary
        // b-trees too big for it spill to temporary files instead of
        // growing the heap.
        .pragma("cache_size", CACHE_SIZE)
        .pragma("temp_store", "file");
    // SQLite has one writer; a handful of readers is all WAL needs.
    let pool = SqlitePoolOptions::new()
        .max_connections(POOL_SIZE)
        .min_connections(1)
        // A connection of a local file does not go stale: pinging it before
        // each use cost one more round trip to its thread per query.
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

/// Starts a write transaction that takes the write lock at once, so two
/// writers queue on busy_timeout instead of failing on lock upgrade.
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Deletes sessions expired before `now` and sign-in attempts older than
/// `keep_attempts_secs` (unix seconds); returns how many of each.
pub async fn purge(pool: &SqlitePool, now: i64, keep_attempts_secs: i64) -> Result<(u64, u64), sqlx::Error> {
    let sessions = session_store::delete_expired(pool, now).await?;
    let attempts = login_attempts::purge(pool, now - keep_attempts_secs).await?;
    Ok((sessions, attempts))
}

/// Now, in UTC, as stored in `created_at` columns.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// True when SQLite gave up waiting for a lock (SQLITE_BUSY or
/// SQLITE_LOCKED, with any extended code), or no connection came free.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(e) => e
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        // Every connection is busy waiting for the lock.
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// True when the database refused a row: a UNIQUE, CHECK, NOT NULL or
/// foreign-key constraint, or a trigger's `RAISE` (SQLite's extended codes
/// of SQLITE_CONSTRAINT all end in 19 in their low byte).
pub fn is_constraint_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e)
        if e.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 19))
}

/// True when the error is a UNIQUE constraint violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}
