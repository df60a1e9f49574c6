//! Issue 9, sign-in and sessions: a long write never takes reads down, a
//! stranger cannot lock anyone out, hashing is bounded, anonymous visitors
//! store nothing, and security events are audited.

mod audit;
mod session_saves;
mod sessions;
mod throttle;

use std::net::SocketAddr;
use std::str::FromStr;

use sqlx::Connection;
use sqlx::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::common::TestApp;
use accord::config::Config;
use accord::store::Location;

/// The key of the advisory lock every write transaction takes on
/// PostgreSQL (`WRITE_LOCK` in `store::db`).
const PG_WRITE_LOCK: i64 = 0x0acc_0d01;

/// Another connection holding the database's writes until released.
pub enum WriteLock {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl WriteLock {
    /// Rolls back, letting writes through again.
    pub async fn release(&mut self) {
        match self {
            WriteLock::Sqlite(c) => sqlx::query("ROLLBACK").execute(c).await.map(|_| ()),
            WriteLock::Postgres(c) => sqlx::query("ROLLBACK").execute(c).await.map(|_| ()),
        }
        .unwrap();
    }
}

/// A second connection to the app's database, holding the write lock
/// until it is released (or dropped). On SQLite, the file's one write
/// lock. On PostgreSQL, the advisory lock write transactions queue on
/// plus a lock on the session table that lets reads through but holds
/// writes (SQLite's lock holds session writes too), so both the busy write
/// and the busy session save are exercised.
pub async fn hold_write_lock(app: &TestApp) -> WriteLock {
    match &app.config.database {
        Location::File(path) => {
            let options = SqliteConnectOptions::from_str("sqlite:").unwrap().filename(path);
            let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
            sqlx::query("UPDATE users SET active = active")
                .execute(&mut conn)
                .await
                .unwrap();
            WriteLock::Sqlite(conn)
        }
        Location::Server(url) => {
            let mut conn = PgConnection::connect(url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_WRITE_LOCK)
                .execute(&mut conn)
                .await
                .unwrap();
            sqlx::query("LOCK TABLE http_sessions IN EXCLUSIVE MODE")
                .execute(&mut conn)
                .await
                .unwrap();
            WriteLock::Postgres(conn)
        }
    }
}

pub fn config_with(f: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config::defaults();
    f(&mut config);
    config
}

pub fn peer(ip: &str) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), 40000)
}
