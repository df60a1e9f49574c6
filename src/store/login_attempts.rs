//! Sign-in attempts, for throttling.

use sqlx::SqlitePool;

/// Failures allowed within the window before sign-in waits.
pub const MAX_FAILURES: i64 = 5;
/// The window, in seconds: 15 minutes.
pub const WINDOW_SECS: i64 = 15 * 60;

pub async fn record(pool: &SqlitePool, username: &str, at: i64, success: bool) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_attempts (username, at, success) VALUES (?, ?, ?)")
        .bind(username)
        .bind(at)
        .bind(success)
        .execute(pool)
        .await?;
    Ok(())
}

/// Failures for a username since its last success, within the window.
pub async fn recent_failures(pool: &SqlitePool, username: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts
         WHERE username = ?1 AND success = 0 AND at > ?2
           AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE username = ?1 AND success = 1), 0)",
    )
    .bind(username)
    .bind(now - WINDOW_SECS)
    .fetch_one(pool)
    .await
}
