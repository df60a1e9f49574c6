//! Sign-in attempts: for throttling (see `domain::signin`) and for the
//! record. Never the password.

use super::audit::{self, Change};
use crate::domain::signin::{FREE_PER_CLIENT, FREE_PER_USER, Failures, WINDOW_SECS};
use crate::on_db;

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// Refused unchecked while the client had to wait.
    Refused,
}

/// One attempt. `username` is already cut to its bound.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub username: &'a str,
    pub client: &'a str,
    /// Unix seconds.
    pub at: i64,
    pub outcome: Outcome,
    /// The user signed in, or the known user who failed.
    pub user_id: Option<i64>,
}

/// Records an attempt; a success or failure also goes to the audit log,
/// in the same transaction.
pub async fn record(pool: &crate::store::Db, attempt: Attempt<'_>) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    on_db!(tx, |e| {
        sqlx::query("INSERT INTO login_attempts (username, client, at, success, refused) VALUES ($1, $2, $3, $4, $5)")
            .bind(attempt.username)
            .bind(attempt.client)
            .bind(attempt.at)
            .bind(attempt.outcome == Outcome::Success)
            .bind(attempt.outcome == Outcome::Refused)
            .execute(e)
            .await
            .map(|_| ())
    })?;
    let action = match attempt.outcome {
        Outcome::Success => Some("sign_in"),
        Outcome::Failure => Some("sign_in_failed"),
        Outcome::Refused => None,
    };
    if let Some(action) = action {
        let change = Change {
            user_id: attempt.user_id.filter(|_| attempt.outcome == Outcome::Success),
            entity: "user",
            entity_id: attempt.user_id,
            case_id: None,
            action,
            before: None,
            after: Some(serde_json::json!({"username": attempt.username, "client": attempt.client})),
        };
        audit::record(&mut tx.conn(), change).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Recent failures of `username` from `client` (since that pair's last
/// success) and of `client` whatever the username. A failure counts while
/// it is within the window, not cleared by an admin and not a try refused
/// unchecked. Usernames compare ignoring case (SQLite's `NOCASE`,
/// PostgreSQL's `citext`).
pub async fn failures(
    pool: &crate::store::Db,
    username: &str,
    client: &str,
    now: i64,
) -> Result<(Failures, Failures), sqlx::Error> {
    let since = now - WINDOW_SECS;
    let pair: (i64, Option<i64>) = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_attempts
             WHERE username = CAST($1 AS citext) AND client = $2
               AND NOT success AND NOT refused AND NOT cleared
               AND at > $3
               AND at > COALESCE((SELECT MAX(at) FROM login_attempts
                                  WHERE username = CAST($1 AS citext) AND client = $2 AND success), 0)",
        )
        .bind(username)
        .bind(client)
        .bind(since)
        .fetch_one(e)
        .await
    })?;
    let from_client: (i64, Option<i64>) = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_attempts
             WHERE client = $1 AND NOT success AND NOT refused AND NOT cleared AND at > $2",
        )
        .bind(client)
        .bind(since)
        .fetch_one(e)
        .await
    })?;
    let as_failures = |(count, last): (i64, Option<i64>)| Failures {
        count,
        last_at: last.unwrap_or(0),
    };
    Ok((as_failures(pair), as_failures(from_client)))
}

/// A throttle in force, for the users page. `username` is `None` for a
/// client held up whatever the username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    pub username: Option<String>,
    pub client: String,
    pub failures: i64,
    /// Seconds still to wait.
    pub wait_secs: i64,
}

/// Every throttle in force at `now`, longest wait first.
pub async fn throttles(pool: &crate::store::Db, now: i64) -> Result<Vec<Throttle>, sqlx::Error> {
    let since = now - WINDOW_SECS;
    let pairs: Vec<(String, String, i64, i64)> = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT a.username, a.client, COUNT(*), MAX(a.at) FROM login_attempts a
             WHERE NOT a.success AND NOT a.refused AND NOT a.cleared AND a.at > $1
               AND a.at > COALESCE((SELECT MAX(s.at) FROM login_attempts s
                                    WHERE s.username = a.username AND s.client = a.client AND s.success), 0)
             GROUP BY a.username, a.client HAVING COUNT(*) >= $2",
        )
        .bind(since)
        .bind(FREE_PER_USER)
        .fetch_all(e)
        .await
    })?;
    let clients: Vec<(String, i64, i64)> = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT client, COUNT(*), MAX(at) FROM login_attempts
             WHERE NOT success AND NOT refused AND NOT cleared AND at > $1
             GROUP BY client HAVING COUNT(*) >= $2",
        )
        .bind(since)
        .bind(FREE_PER_CLIENT)
        .fetch_all(e)
        .await
    })?;
    let pairs = pairs.into_iter().map(|(u, c, count, last_at)| {
        let wait = Failures { count, last_at }.wait_secs(FREE_PER_USER, now);
        (Some(u), c, count, wait)
    });
    let clients = clients.into_iter().map(|(c, count, last_at)| {
        let wait = Failures { count, last_at }.wait_secs(FREE_PER_CLIENT, now);
        (None, c, count, wait)
    });
    let mut all: Vec<Throttle> = pairs
        .chain(clients)
        .filter(|(_, _, _, wait)| *wait > 0)
        .map(|(username, client, failures, wait_secs)| Throttle {
            username,
            client,
            failures,
            wait_secs,
        })
        .collect();
    all.sort_by(|a, b| b.wait_secs.cmp(&a.wait_secs).then(a.client.cmp(&b.client)));
    Ok(all)
}

/// Lifts the throttles on a username (every address), or on one address
/// (every username), or on one username from one address: their failures
/// stop counting. Recorded in the audit log as `unlock` by `actor` (`None`
/// for the command line). Returns how many failures were cleared.
pub async fn clear(
    pool: &crate::store::Db,
    actor: Option<i64>,
    username: Option<&str>,
    client: Option<&str>,
) -> Result<u64, sqlx::Error> {
    if username.is_none() && client.is_none() {
        return Ok(0);
    }
    let mut tx = super::begin_write(pool).await?;
    let done = on_db!(tx, |e| {
        sqlx::query(
            "UPDATE login_attempts SET cleared = TRUE
             WHERE NOT success AND NOT cleared
               AND ($1 IS NULL OR username = CAST($1 AS citext)) AND ($2 IS NULL OR client = $2)",
        )
        .bind(username)
        .bind(client)
        .execute(e)
        .await
        .map(|d| d.rows_affected())
    })?;
    let change = Change {
        user_id: actor,
        entity: "user",
        entity_id: None,
        case_id: None,
        action: "unlock",
        before: None,
        after: Some(serde_json::json!({"username": username, "client": client})),
    };
    audit::record(&mut tx.conn(), change).await?;
    tx.commit().await?;
    Ok(done)
}

/// Deletes attempts older than `before` (unix seconds); called on a
/// schedule by the server. The audit log keeps sign-ins for the record.
pub async fn purge(pool: &crate::store::Db, before: i64) -> Result<u64, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(before)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
    })
}
