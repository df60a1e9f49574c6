//! Backups: `VACUUM INTO` writes a consistent, compact copy from one read
//! transaction, so it can run while the server writes (WAL lets the
//! writers go on); the copy is then opened on its own, cleared of what a
//! restore does not need and must not hand out, and checked.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Connection, SqliteConnection, SqlitePool};

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(String),
    #[error("the copy failed its integrity check: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Writes a copy of the database to `dest`, which must not exist, and
/// checks it. Returns the size of the copy in bytes.
#[tracing::instrument(skip(pool))]
pub async fn backup(pool: &SqlitePool, dest: &Path) -> Result<u64, BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.display().to_string()));
    }
    let target = dest.to_string_lossy().to_string();
    sqlx::query("VACUUM INTO ?").bind(&target).execute(pool).await?;
    if let Err(e) = leave_out_sign_ins(dest).await {
        // A copy that still holds live sessions is never left behind.
        let _ = std::fs::remove_file(dest);
        return Err(e.into());
    }
    let verdict = integrity_check(dest).await?;
    if verdict != "ok" {
        return Err(BackupError::Corrupt(verdict));
    }
    let size = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    tracing::info!(dest = %dest.display(), size, "backup written and checked");
    Ok(size)
}

/// Deletes the sessions and sign-in attempts from a fresh copy and
/// vacuums it, so their bytes are not left in free pages either. A
/// session row is a signed-in cookie: whoever held the backup could use
/// it. A restore needs neither (everyone signs in again). The copy is set
/// to a rollback journal, so it stays one self-contained file.
async fn leave_out_sign_ins(path: &Path) -> Result<(), sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::query("DELETE FROM http_sessions").execute(&mut conn).await?;
    sqlx::query("DELETE FROM login_attempts").execute(&mut conn).await?;
    sqlx::query("VACUUM").execute(&mut conn).await?;
    conn.close().await
}

/// `PRAGMA integrity_check` on a database file, opened read-only on a
/// connection of its own: `ok`, or SQLite's list of problems.
pub async fn integrity_check(path: &Path) -> Result<String, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    Ok(lines.join("\n"))
}
