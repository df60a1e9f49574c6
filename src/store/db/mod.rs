//! One handle over the two backends: SQLite (one file, the default) and
//! PostgreSQL (a server, for deployments that outgrow one machine).
//!
//! Every query is written once and run on whichever backend the handle
//! holds: [`on_db!`](crate::on_db) matches the handle and compiles the same
//! query for each backend's executor. SQL that both dialects read the same
//! way (`$1` placeholders, `RETURNING`, `ON CONFLICT`, `CAST`, `TRUE`) needs
//! nothing more; where they differ, the difference is chosen by
//! [`Db::backend`] next to the query, in `store/`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{PgConnection, PgPool, SqlitePool};
use tokio::sync::OwnedMutexGuard;

mod conn;
mod location;

pub use conn::{Conn, PoolConn, Tx};
pub use location::Location;

/// Which database server a handle speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to the database, of either backend.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgPool),
}

/// A SQLite file's connections: a pool for reads (and the few writes that
/// need no transaction), and one connection kept for write transactions.
///
/// The writer's own connection (issue 12: the soak's p99): when writers
/// took their connection from the readers' pool, a writer whose turn had
/// come still queued behind every waiting reader for a connection, while
/// the writers after it waited on its turn; under 200 clients a write
/// took seconds. A writer now waits only for the writers before it.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    pool: SqlitePool,
    writer: SqlitePool,
}

impl SqliteDb {
    /// The file's pool for reads, and a writer connection opened as its
    /// connections are (when first needed, and again after a while idle).
    pub fn new(pool: SqlitePool) -> SqliteDb {
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .test_before_acquire(false)
            .acquire_timeout(pool.options().get_acquire_timeout())
            .connect_lazy_with((*pool.connect_options()).clone());
        SqliteDb { pool, writer }
    }

    /// The pool for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl From<SqlitePool> for Db {
    fn from(pool: SqlitePool) -> Db {
        Db::Sqlite(SqliteDb::new(pool))
    }
}

/// An executor of one backend or the other, as [`on_db!`](crate::on_db)
/// matches it.
pub enum Ex<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// Runs `$body` with `$e` bound to the executor of whichever backend `$src`
/// (a [`Db`], a [`Conn`] or a [`Tx`]) holds; the body is compiled once per
/// backend, so the same query text and binds serve both.
#[macro_export]
macro_rules! on_db {
    ($src:expr, |$e:ident| $body:expr) => {
        match $src.ex() {
            $crate::store::db::Ex::Sqlite($e) => $body,
            $crate::store::db::Ex::Postgres($e) => $body,
        }
    };
}

/// The key of PostgreSQL's advisory lock that write transactions take, so
/// that writes queue one after another as they do on SQLite: case numbers
/// stay gap-free and the summary tables exact, whichever server writes.
const WRITE_LOCK: i64 = 0x0acc_0d01;

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn ex(&self) -> Ex<&SqlitePool, &PgPool> {
        match self {
            Db::Sqlite(p) => Ex::Sqlite(&p.pool),
            Db::Postgres(p) => Ex::Postgres(p),
        }
    }

    /// Starts a write transaction holding the write lock from its first
    /// statement: SQLite's `BEGIN IMMEDIATE`, after this process's earlier
    /// writers ([`write_turn`]); on PostgreSQL, a transaction that takes
    /// [`WRITE_LOCK`] (released at commit or rollback).
    pub async fn begin_write(&self) -> Result<Tx<'static>, sqlx::Error> {
        match self {
            Db::Sqlite(p) => {
                let turn = write_turn(&p.pool).await?;
                Ok(Tx::SqliteWrite(p.writer.begin_with("BEGIN IMMEDIATE").await?, turn))
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                lock_writes(&mut tx).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// Starts a transaction that only reads: one consistent view of the data
    /// (SQLite's snapshot; PostgreSQL's `REPEATABLE READ`).
    pub async fn begin_read(&self) -> Result<Tx<'static>, sqlx::Error> {
        match self {
            Db::Sqlite(p) => Ok(Tx::Sqlite(p.pool.begin().await?)),
            Db::Postgres(p) => Ok(Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
            )),
        }
    }

    /// One connection of the pool, kept until dropped.
    pub async fn acquire(&self) -> Result<PoolConn, sqlx::Error> {
        match self {
            Db::Sqlite(p) => Ok(PoolConn::Sqlite(p.pool.acquire().await?)),
            Db::Postgres(p) => Ok(PoolConn::Postgres(p.acquire().await?)),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => {
                p.writer.close().await;
                p.pool.close().await
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    /// The SQLite pool, for the work that exists on SQLite only (the file's
    /// own maintenance: `VACUUM INTO`, index rebuilds, integrity checks), or
    /// an error naming the backend.
    pub fn sqlite(&self) -> Result<&SqlitePool, sqlx::Error> {
        match self {
            Db::Sqlite(p) => Ok(&p.pool),
            Db::Postgres(_) => Err(sqlite_only()),
        }
    }
}

/// The writers of each SQLite file in this process, by the file's path.
static WRITE_TURNS: LazyLock<Mutex<HashMap<PathBuf, Weak<tokio::sync::Mutex<()>>>>> = LazyLock::new(Mutex::default);

/// This process's turn to write to a SQLite file, first come first served,
/// taken before a connection (issue 12: the soak's p99). Without it, every
/// writer took one of the pool's few connections and held it while SQLite
/// made it wait for the lock, sleeping up to 100 ms between tries: readers
/// found no connection free, and a writer could lose the lock to later ones
/// again and again. Another process's writers still queue through SQLite's
/// busy timeout. Waiting longer than the pool's acquire timeout is being
/// busy, as a connection not come free is.
async fn write_turn(pool: &SqlitePool) -> Result<OwnedMutexGuard<()>, sqlx::Error> {
    let path = pool.connect_options().get_filename().to_path_buf();
    let turn = {
        let mut turns = WRITE_TURNS.lock().unwrap_or_else(PoisonError::into_inner);
        match turns.get(&path).and_then(Weak::upgrade) {
            Some(turn) => turn,
            None => {
                turns.retain(|_, t| t.strong_count() > 0);
                let turn = Arc::new(tokio::sync::Mutex::new(()));
                turns.insert(path, Arc::downgrade(&turn));
                turn
            }
        }
    };
    tokio::time::timeout(pool.options().get_acquire_timeout(), turn.lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)
}

/// Takes [`WRITE_LOCK`] for the rest of a PostgreSQL transaction.
async fn lock_writes(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(tx)
        .await?;
    Ok(())
}

fn sqlite_only() -> sqlx::Error {
    sqlx::Error::Configuration("this operation is only available on SQLite".into())
}
