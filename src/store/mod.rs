//! All SQL lives here, one module per group of tables. Queries are built at
//! run time with bound parameters: sqlx's compile-time macros would need a
//! live database or committed `.sqlx/` data plus sqlx-cli in CI, which costs
//! more build time on a 2-core machine than it saves for a schema this small.

pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod cases;
pub mod copy;
pub mod db;
pub mod demo;
pub mod dialect;
pub mod exchange;
pub mod export;
pub mod import;
mod links;
pub mod login_attempts;
pub mod mediators;
pub mod orgs;
pub mod reference;
pub mod rollup;
pub mod search;
pub mod session_store;
pub mod sessions;
pub mod sql;
pub mod stats;
pub mod tokens;
pub mod transfers;
pub mod users;
pub mod visits;
pub mod workflow;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use db::{Backend, Conn, Db, Location, SqliteDb, Tx};

use crate::domain::Durability;

/// Connections of the pool: readers run side by side (WAL), writes queue
/// for the one write lock.
pub const POOL_SIZE: u32 = 4;

/// Each connection's page cache, in KiB when negative (SQLite's unit).
const CACHE_SIZE: &str = "-8192";

/// How long a write waits for the write lock unless told otherwise.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections of the pool on PostgreSQL: the server runs queries side by
/// side, so a server process keeps more of them than of a SQLite file.
pub const PG_POOL_SIZE: u32 = 16;

/// Opens (creating if missing) and migrates the database file, with the
/// default busy timeout and durability (`full`).
pub async fn open(path: &Path) -> Result<Db, sqlx::Error> {
    connect(&Location::File(path.to_path_buf()), BUSY_TIMEOUT, Durability::Full).await
}

/// Opens and migrates the database wherever it is: a SQLite file (created
/// if missing) or a PostgreSQL database (which must exist).
pub async fn connect(location: &Location, busy_timeout: Duration, durability: Durability) -> Result<Db, sqlx::Error> {
    match location {
        Location::File(path) => open_with(path, busy_timeout, durability).await,
        Location::Server(url) => Ok(Db::Postgres(open_server(url, busy_timeout).await?)),
    }
}

/// Connects to a PostgreSQL database and migrates it. A statement waits at
/// most `busy_timeout` for a lock, then fails as SQLite's busy does.
///
/// Every statement is planned for its own values (`plan_cache_mode`): after
/// five runs of a prepared statement PostgreSQL may switch to a plan made
/// for any value, and a list's search is fast one way for a common word
/// and the other for a rare one (`/cases?q=物业` at 1,000,000 cases: 21 ms
/// for its first five requests, 140 ms from the sixth).
///
/// Nor is any statement compiled (`jit`): PostgreSQL compiles a statement
/// its planner thinks costly, which a page's count of a common word is,
/// and the compiling took longer than the query saved (`/cases?q=朝阳` at
/// 1,000,000 cases: 93–110 ms with it, 42–54 ms without, side by side).
async fn open_server(url: &str, busy_timeout: Duration) -> Result<PgPool, sqlx::Error> {
    let lock_timeout = format!("{}ms", busy_timeout.as_millis());
    let options = PgConnectOptions::from_str(url)?.options([
        ("lock_timeout", lock_timeout.as_str()),
        ("plan_cache_mode", "force_custom_plan"),
        ("jit", "off"),
    ]);
    let pool = PgPoolOptions::new()
        .max_connections(PG_POOL_SIZE)
        .min_connections(1)
        .acquire_timeout(busy_timeout)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
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
pub async fn open_with(path: &Path, busy_timeout: Duration, durability: Durability) -> Result<Db, sqlx::Error> {
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
    Ok(Db::from(pool))
}

/// Starts a write transaction that takes the write lock at once, so two
/// writers queue on busy_timeout instead of failing on lock upgrade.
pub async fn begin_write(db: &Db) -> Result<Tx<'static>, sqlx::Error> {
    db.begin_write().await
}

/// Deletes sessions expired before `now` and sign-in attempts older than
/// `keep_attempts_secs` (unix seconds); returns how many of each.
pub async fn purge(pool: &crate::store::Db, now: i64, keep_attempts_secs: i64) -> Result<(u64, u64), sqlx::Error> {
    let sessions = session_store::delete_expired(pool, now).await?;
    let attempts = login_attempts::purge(pool, now - keep_attempts_secs).await?;
    Ok((sessions, attempts))
}

/// Now, in UTC, as stored in `created_at` columns.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// True when the database gave up waiting for a lock (SQLite's SQLITE_BUSY
/// or SQLITE_LOCKED with any extended code; PostgreSQL's lock timeout,
/// deadlock or serialization failure), or no connection came free.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(e) => match e.code().as_deref().map(Code::of) {
            Some(Code::Sqlite(c)) => matches!(c & 0xff, 5 | 6),
            Some(Code::Postgres(state)) => matches!(state, "55P03" | "40001" | "40P01"),
            None => false,
        },
        // Every connection is busy waiting for the lock.
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// True when the database refused a row: a UNIQUE, CHECK, NOT NULL or
/// foreign-key constraint, or a trigger's refusal (SQLite's extended codes
/// of SQLITE_CONSTRAINT all end in 19 in their low byte; PostgreSQL's
/// SQLSTATEs of class 23).
pub fn is_constraint_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(e) => match e.code().as_deref().map(Code::of) {
            Some(Code::Sqlite(c)) => c & 0xff == 19,
            Some(Code::Postgres(state)) => state.starts_with("23"),
            None => false,
        },
        _ => false,
    }
}

/// A database error's code: SQLite's (extended) result code, a number of
/// at most four digits, or PostgreSQL's five-character SQLSTATE.
enum Code<'a> {
    Sqlite(i32),
    Postgres(&'a str),
}

impl<'a> Code<'a> {
    fn of(code: &'a str) -> Code<'a> {
        match code.parse::<i32>() {
            Ok(c) if code.len() < 5 => Code::Sqlite(c),
            _ => Code::Postgres(code),
        }
    }
}

/// True when the error is a UNIQUE constraint violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}
