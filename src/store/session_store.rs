//! tower-sessions records kept in the database (SQLite or PostgreSQL), so
//! sessions survive a restart and can be revoked on the server. (tower-sessions' own SQLite store is built
//! on an older sqlx that cannot link beside ours.)
//!
//! Reading a session never takes the write lock. The store, not the cookie,
//! keeps the idle expiry: a row is written when its data changes, and its
//! expiry is moved forward at most once a minute by [`SqliteSessionStore::load`],
//! through a connection that does not wait for the lock, so a busy database
//! only postpones the extension to a later request.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqlitePoolOptions;

use crate::on_db;
use crate::store::Db;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// How stale a stored expiry may grow before a request moves it forward.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone)]
pub struct SqliteSessionStore {
    pool: Db,
    /// One connection that does not wait for a lock, for moving expiries
    /// forward: when another transaction holds the write lock (SQLite) or
    /// the session's row (PostgreSQL) it fails at once instead of holding
    /// up the request (or a connection of `pool`).
    touch: Db,
    /// Seconds of inactivity after which a session expires.
    idle_secs: i64,
}

impl SqliteSessionStore {
    pub fn new(pool: Db, idle: Duration) -> Self {
        let touch = no_wait(&pool);
        Self {
            pool,
            touch,
            idle_secs: i64::try_from(idle.as_secs()).unwrap_or(i64::MAX),
        }
    }

    fn expiry_from_now(&self) -> i64 {
        OffsetDateTime::now_utc()
            .unix_timestamp()
            .saturating_add(self.idle_secs)
    }
}

/// One connection to the same database that does not wait for a lock:
/// when another transaction holds the write lock (SQLite) or the row
/// (PostgreSQL) a statement fails at once. For writes that may wait for a
/// later request (a session's expiry, an API token's last use).
pub fn no_wait(pool: &Db) -> Db {
    match pool {
        Db::Sqlite(p) => {
            let options = (*p.pool().connect_options()).clone().busy_timeout(Duration::ZERO);
            Db::from(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(0)
                    .connect_lazy_with(options),
            )
        }
        Db::Postgres(p) => {
            // The later `lock_timeout` overrides the pool's busy timeout.
            let options = (*p.connect_options()).clone().options([("lock_timeout", "1ms")]);
            Db::Postgres(
                PgPoolOptions::new()
                    .max_connections(1)
                    .min_connections(0)
                    .connect_lazy_with(options),
            )
        }
    }
}

/// Removes the sessions that expired before `now` (unix seconds); the
/// server calls it every hour (see `store::purge`).
pub async fn delete_expired(pool: &crate::store::Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = on_db!(pool, |e| {
        sqlx::query("DELETE FROM http_sessions WHERE expiry_date < $1")
            .bind(now)
            .execute(e)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}

/// The message of a store error that only means "another write holds the
/// lock": the web layer answers it with the busy page, not a 500.
const BUSY: &str = "the database is busy";

fn backend(e: sqlx::Error) -> session_store::Error {
    if crate::store::is_busy(&e) {
        session_store::Error::Backend(BUSY.into())
    } else {
        session_store::Error::Backend(e.to_string())
    }
}

/// Whether a session failed to load or save only because the database was
/// busy with another write.
pub fn is_busy(e: &tower_sessions::session::Error) -> bool {
    matches!(e, tower_sessions::session::Error::Store(session_store::Error::Backend(m)) if m == BUSY)
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Draw a fresh id until it is unused (collisions are astronomically rare).
        loop {
            let data = encode(record)?;
            let done = on_db!(self.pool, |e| {
                sqlx::query(
                    "INSERT INTO http_sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT(id) DO NOTHING",
                )
                .bind(record.id.to_string())
                .bind(&data)
                .bind(self.expiry_from_now())
                .execute(e)
                .await
                .map(|done| done.rows_affected())
            })
            .map_err(backend)?;
            if done == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        on_db!(self.pool, |e| {
            sqlx::query(
                "INSERT INTO http_sessions (id, data, expiry_date) VALUES ($1, $2, $3)
                 ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(self.expiry_from_now())
            .execute(e)
            .await
            .map(|_| ())
        })
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(String, i64)> = on_db!(self.pool, |e| {
            sqlx::query_as("SELECT data, expiry_date FROM http_sessions WHERE id = $1 AND expiry_date > $2")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(e)
                .await
        })
        .map_err(backend)?;
        let Some((data, expiry)) = row else {
            return Ok(None);
        };
        let wanted = self.expiry_from_now();
        if wanted - expiry >= TOUCH_EVERY_SECS {
            let touched = on_db!(self.touch, |e| {
                sqlx::query("UPDATE http_sessions SET expiry_date = $1 WHERE id = $2 AND expiry_date < $3")
                    .bind(wanted)
                    .bind(id.to_string())
                    .bind(wanted)
                    .execute(e)
                    .await
                    .map(|_| ())
            });
            if let Err(e) = touched {
                // Busy: a later request extends it; this one goes on.
                tracing::debug!(error = %e, "could not extend a session's expiry");
            }
        }
        serde_json::from_str(&data)
            .map(Some)
            .map_err(|e| session_store::Error::Decode(e.to_string()))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_db!(self.pool, |e| {
            sqlx::query("DELETE FROM http_sessions WHERE id = $1")
                .bind(id.to_string())
                .execute(e)
                .await
                .map(|_| ())
        })
        .map_err(backend)?;
        Ok(())
    }
}
