//! A transaction or a connection of either backend, as the store's
//! functions take them.

use sqlx::pool::PoolConnection;
use sqlx::{Connection, PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};
use tokio::sync::OwnedMutexGuard;

use super::{Backend, Ex, lock_writes, sqlite_only};

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
