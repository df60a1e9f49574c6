//! tower-sessions records kept in SQLite, so sessions survive a restart and
//! can be revoked on the server. (tower-sessions' own SQLite store is built
//! on an older sqlx that cannot link beside ours.)
//!
//! Reading a session never takes the write lock. The store, not the cookie,
//! keeps the idle expiry: a row is written when its data changes, and its
//! expiry is moved forward at most once a minute by [`SqliteSessionStore::load`],
//! through a connection that does not wait for the lock, so a busy database
//! only postpones the extension to a later request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// How stale a stored expiry may grow before a request moves it forward.
const TOUCH_EVERY_SECS: i64 = 60;

/// How long a session read from the database is answered from memory
/// (issue 12: one query less per request). Writes through this store
/// update the copy at once, and [`SqliteSessionStore::forget_all`] drops
/// every copy after a revocation in this process; a revocation by another
/// process (`accord user passwd`) takes effect within this time.
const CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// More sessions than this in memory and the copies are all dropped.
const CACHE_MAX: usize = 10_000;

#[derive(Debug)]
struct Cached {
    record: Record,
    /// The expiry stored in the row.
    expiry: i64,
    read_at: std::time::Instant,
}

type Cache = Arc<Mutex<HashMap<Id, Cached>>>;

#[derive(Debug, Clone)]
pub struct SqliteSessionStore {
    pool: SqlitePool,
    /// Sessions recently read or written (see [`CACHE_FOR`]).
    cache: Cache,
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
            cache: Cache::default(),
            touch,
            idle_secs: i64::try_from(idle.as_secs()).unwrap_or(i64::MAX),
        }
    }

    fn cache(&self) -> MutexGuard<'_, HashMap<Id, Cached>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remember(&self, record: &Record, expiry: i64) {
        let mut cache = self.cache();
        if cache.len() >= CACHE_MAX {
            cache.clear();
        }
        cache.insert(
            record.id,
            Cached {
                record: record.clone(),
                expiry,
                read_at: std::time::Instant::now(),
            },
        );
    }

    /// Drops every session kept in memory: the next request of each reads
    /// its row (call after deleting rows with SQL of its own, as signing a
    /// user out everywhere does).
    pub fn forget_all(&self) {
        self.cache().clear();
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
                self.remember(record, self.expiry_from_now());
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let expiry = self.expiry_from_now();
        sqlx::query(
            "INSERT INTO http_sessions (id, data, expiry_date) VALUES (?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(encode(record)?)
        .bind(expiry)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.remember(record, expiry);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let wanted = self.expiry_from_now();
        if let Some(c) = self.cache().get(id)
            && c.read_at.elapsed() < CACHE_FOR
            && c.expiry > now
            && wanted - c.expiry < TOUCH_EVERY_SECS
        {
            return Ok(Some(c.record.clone()));
        }
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expiry_date FROM http_sessions WHERE id = ? AND expiry_date > ?")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some((data, mut expiry)) = row else {
            self.cache().remove(id);
            return Ok(None);
        };
        if wanted - expiry >= TOUCH_EVERY_SECS {
            let touched = sqlx::query("UPDATE http_sessions SET expiry_date = ? WHERE id = ? AND expiry_date < ?")
                .bind(wanted)
                .bind(id.to_string())
                .bind(wanted)
                .execute(&self.touch)
                .await;
            match touched {
                Ok(_) => expiry = wanted,
                // Busy: a later request extends it; this one goes on.
                Err(e) => tracing::debug!(error = %e, "could not extend a session's expiry"),
            }
        }
        let record: Record = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        self.remember(&record, expiry);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.cache().remove(id);
        sqlx::query("DELETE FROM http_sessions WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
