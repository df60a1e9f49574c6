//! tower-sessions records kept in SQLite, so sessions survive a restart and
//! can be revoked on the server. (tower-sessions' own SQLite store is built
//! on an older sqlx that cannot link beside ours.)
//!
//! Reading a session never takes the write lock. The store, not the cookie,
//! keeps the idle expiry: a row is written when its data changes, and its
//! expiry is moved forward at most once a minute by [`SqliteSessionStore::load`],
//! through a connection that does not wait for the lock, so a busy database
//! only postpones the extension to a later request.

use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// How stale a stored expiry may grow before a request moves it forward.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone)]
pub struct SqliteSessionStore {
    pool: SqlitePool,
    /// One connection with no busy timeout, for moving expiries forward:
    /// when another transaction holds the write lock it fails at once
    /// instead of holding up the request (or a connection of `pool`).
    touch: SqlitePool,
    /// Seconds of inactivity after which a session expires.
    idle_secs: i64,
}

impl SqliteSessionStore {
    pub fn new(pool: SqlitePool, idle: Duration) -> Self {
        let options = (*pool.connect_options()).clone().busy_timeout(Duration::ZERO);
        let touch = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .connect_lazy_with(options);
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

/// Removes the sessions that expired before `now` (unix seconds); the
/// server calls it every hour (see `store::purge`).
pub async fn delete_expired(pool: &SqlitePool, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM http_sessions WHERE expiry_date < ?")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Draw a fresh id until it is unused (collisions are astronomically rare).
        loop {
            let done = sqlx::query(
                "INSERT INTO http_sessions (id, data, expiry_date) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(encode(record)?)
            .bind(self.expiry_from_now())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sqlx::query(
            "INSERT INTO http_sessions (id, data, expiry_date) VALUES (?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(encode(record)?)
        .bind(self.expiry_from_now())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expiry_date FROM http_sessions WHERE id = ? AND expiry_date > ?")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some((data, expiry)) = row else {
            return Ok(None);
        };
        let wanted = self.expiry_from_now();
        if wanted - expiry >= TOUCH_EVERY_SECS {
            let touched = sqlx::query("UPDATE http_sessions SET expiry_date = ? WHERE id = ? AND expiry_date < ?")
                .bind(wanted)
                .bind(id.to_string())
                .bind(wanted)
                .execute(&self.touch)
                .await;
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
        sqlx::query("DELETE FROM http_sessions WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
