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

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Connection, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::OwnedMutexGuard;

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

/// A transaction of either backend; dropped without [`Tx::commit`], it rolls
/// back.
pub enum Tx<'c> {
    Sqlite(Transaction<'c, Sqlite>),
    /// A write transaction, holding this process's turn to write.
    SqliteWrite(Transaction<'c, Sqlite>, OwnedMutexGuard<()>),
    Postgres(Transaction<'c, Postgres>),
}

impl<'c> Tx<'c> {
    pub fn ex(&mut self) -> Ex<&mut SqliteConnection, &mut PgConnection> {
        match self {
            Tx::Sqlite(t) | Tx::SqliteWrite(t, _) => Ex::Sqlite(&mut **t),
            Tx::Postgres(t) => Ex::Postgres(&mut **t),
        }
    }

    /// The transaction's connection, to hand to the store's functions.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) | Tx::SqliteWrite(t, _) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    /// The SQLite transaction, for SQLite-only work (see [`Db::sqlite`]).
    pub fn sqlite(&mut self) -> Result<&mut Transaction<'c, Sqlite>, sqlx::Error> {
        match self {
            Tx::Sqlite(t) | Tx::SqliteWrite(t, _) => Ok(t),
            Tx::Postgres(_) => Err(sqlite_only()),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) | Tx::SqliteWrite(t, _) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) | Tx::SqliteWrite(t, _) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

/// A borrowed connection of either backend: inside a transaction, or one
/// taken from the pool.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn ex(&mut self) -> Ex<&mut SqliteConnection, &mut PgConnection> {
        match self {
            Conn::Sqlite(c) => Ex::Sqlite(&mut **c),
            Conn::Postgres(c) => Ex::Postgres(&mut **c),
        }
    }

    /// A transaction inside this connection's (a savepoint when one is open).
    pub async fn begin(&mut self) -> Result<Tx<'_>, sqlx::Error> {
        match self {
            Conn::Sqlite(c) => Ok(Tx::Sqlite(c.begin().await?)),
            Conn::Postgres(c) => Ok(Tx::Postgres(c.begin().await?)),
        }
    }

    /// The same connection, borrowed again for a nested call.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }

    /// The SQLite connection, for SQLite-only work (see [`Db::sqlite`]).
    pub fn sqlite(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        match self {
            Conn::Sqlite(c) => Ok(&mut **c),
            Conn::Postgres(_) => Err(sqlite_only()),
        }
    }
}

/// A connection taken from the pool, returned to it when dropped.
pub enum PoolConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl PoolConn {
    /// Starts a write transaction on this connection (see [`Db::begin_write`]).
    pub async fn begin_write(&mut self) -> Result<Tx<'_>, sqlx::Error> {
        match self {
            PoolConn::Sqlite(c) => Ok(Tx::Sqlite(c.begin_with("BEGIN IMMEDIATE").await?)),
            PoolConn::Postgres(c) => {
                let mut tx = c.begin().await?;
                lock_writes(&mut tx).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// Where the database is: a SQLite file (a path, or a `sqlite:` URL) or a
/// PostgreSQL server (`postgres://user@host/db`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(std::path::PathBuf),
    Server(String),
}

impl Location {
    /// Reads a `database` setting: a `postgres://` or `postgresql://` URL
    /// names a server; a `sqlite:` URL or anything else, a file.
    pub fn parse(value: &str) -> Location {
        let value = value.trim();
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Location::Server(value.to_string());
        }
        let path = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"));
        Location::File(std::path::PathBuf::from(path.unwrap_or(value)))
    }

    /// The file, when the database is one.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    /// Whether there is a database there to open: the file exists (a
    /// server's database is taken to exist; connecting tells).
    pub fn exists(&self) -> bool {
        self.file().is_none_or(std::path::Path::exists)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Location::File(_) => Backend::Sqlite,
            Location::Server(_) => Backend::Postgres,
        }
    }
}

/// The setting as given to `--db` (a path, or the server's URL).
impl AsRef<std::ffi::OsStr> for Location {
    fn as_ref(&self) -> &std::ffi::OsStr {
        match self {
            Location::File(p) => p.as_os_str(),
            Location::Server(url) => std::ffi::OsStr::new(url),
        }
    }
}

impl Location {
    /// The setting as text, as given to `--db`.
    pub fn to_str(&self) -> Option<&str> {
        AsRef::<std::ffi::OsStr>::as_ref(self).to_str()
    }
}

/// Shown in logs and messages; a server's password, if the URL holds one,
/// is left out.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(url) => match url.split_once('@') {
                Some((user, host)) if user.matches(':').count() > 1 => {
                    let scheme_user = user.rsplit_once(':').map_or(user, |(su, _)| su);
                    write!(f, "{scheme_user}:***@{host}")
                }
                _ => f.write_str(url),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_names_a_server_anything_else_a_file() {
        assert_eq!(
            Location::parse("postgres://root@127.0.0.1/test").backend(),
            Backend::Postgres
        );
        assert_eq!(Location::parse("postgresql://h/db").backend(), Backend::Postgres);
        assert_eq!(Location::parse("sqlite:data/a.db"), Location::File("data/a.db".into()));
        assert_eq!(
            Location::parse("sqlite://data/a.db"),
            Location::File("data/a.db".into())
        );
        assert_eq!(
            Location::parse(" data/accord.db "),
            Location::File("data/accord.db".into())
        );
    }

    #[test]
    fn a_password_is_not_shown() {
        let shown = Location::parse("postgres://accord:s3cret@db.example/accord").to_string();
        assert_eq!(shown, "postgres://accord:***@db.example/accord");
        assert_eq!(
            Location::parse("postgres://root@127.0.0.1/test").to_string(),
            "postgres://root@127.0.0.1/test"
        );
    }
}
