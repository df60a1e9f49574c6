//! Backups: `VACUUM INTO` writes a consistent, compact copy from one read
//! transaction, so it can run while the server writes (WAL lets the
//! writers go on); the copy is then opened on its own, cleared of what a
//! restore does not need and must not hand out, and checked.
//!
//! On PostgreSQL the backup is the same kind of file: a new SQLite
//! database filled by [`copy`](super::copy) from one `REPEATABLE READ`
//! snapshot (the writers go on meanwhile), then cleared and checked the
//! same way. `accord copy` puts it back on a server.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Connection, SqliteConnection};

use super::attachments::check;
use super::attachments::files::FileStore;
use crate::domain::attachment::is_sha256_hex;

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(String),
    #[error("the copy failed its integrity check: {0}")]
    Corrupt(String),
    #[error("attachments could not be backed up:\n{}", .0.join("\n"))]
    Files(Vec<String>),
    #[error(transparent)]
    Io(std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Writes a copy of the database to `dest`, which must not exist, and
/// checks it. Returns the size of the copy in bytes.
#[tracing::instrument(skip(pool))]
pub async fn backup(pool: &crate::store::Db, dest: &Path) -> Result<u64, BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.display().to_string()));
    }
    match pool {
        crate::store::Db::Sqlite(sqlite) => {
            let target = dest.to_string_lossy().to_string();
            sqlx::query("VACUUM INTO $1")
                .bind(&target)
                .execute(sqlite.pool())
                .await?;
        }
        crate::store::Db::Postgres(_) => {
            if let Err(e) = copy_into_file(pool, dest).await {
                let _ = std::fs::remove_file(dest);
                return Err(e);
            }
        }
    }
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

/// Writes a new SQLite file at `dest` holding a copy of the database (the
/// server's attachments are not part of it; see [`backup_dir`]).
async fn copy_into_file(pool: &crate::store::Db, dest: &Path) -> Result<(), BackupError> {
    let file = crate::store::open(dest).await?;
    let copied = super::copy::copy(pool, &file, None).await;
    // Closing the last connection checkpoints the WAL into the file.
    file.close().await;
    match copied {
        Ok(_) => Ok(()),
        Err(super::copy::CopyError::Sqlx(e)) => Err(e.into()),
        Err(e) => Err(BackupError::Corrupt(e.to_string())),
    }
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

pub use super::attachments::check::integrity_check;

/// What a backup directory holds.
#[derive(Debug, Clone, Copy)]
pub struct DirReport {
    /// Bytes of `accord.db`.
    pub db_bytes: u64,
    /// Distinct attachment files copied (and checked).
    pub files: usize,
    /// Their bytes.
    pub file_bytes: u64,
}

/// The database's name inside a backup directory.
pub const DB_NAME: &str = "accord.db";
/// The attachments' folder inside a backup directory.
pub const FILES_NAME: &str = "files";

/// Writes a backup directory `dest` (which must not exist): `accord.db`,
/// a checked copy of the database as [`backup`] writes it, and `files/`
/// with every attachment file that copy names. The directory is then
/// checked as a restore would use it (integrity check plus every file's
/// SHA-256); a backup that fails is removed, never left looking whole.
#[tracing::instrument(skip(pool, store))]
pub async fn backup_dir(pool: &crate::store::Db, store: &FileStore, dest: &Path) -> Result<DirReport, BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.display().to_string()));
    }
    std::fs::create_dir_all(dest).map_err(BackupError::Io)?;
    let written = write_dir(pool, store, dest).await;
    if written.is_err() {
        let _ = std::fs::remove_dir_all(dest);
    }
    written
}

async fn write_dir(pool: &crate::store::Db, store: &FileStore, dest: &Path) -> Result<DirReport, BackupError> {
    let db = dest.join(DB_NAME);
    let db_bytes = backup(pool, &db).await?;
    let named = check::referenced(&db).await?;
    let copy = FileStore::new(dest.join(FILES_NAME));
    std::fs::create_dir_all(copy.root()).map_err(BackupError::Io)?;
    let (from, to, list) = (store.clone(), copy.clone(), named.clone());
    let missing = tokio::task::spawn_blocking(move || copy_files(&from, &to, &list))
        .await
        .map_err(|e| BackupError::Io(std::io::Error::other(e.to_string())))?;
    if !missing.is_empty() {
        return Err(BackupError::Files(missing));
    }
    let report = check::check(&db, &copy).await?;
    if !report.problems.is_empty() {
        return Err(BackupError::Files(report.problems));
    }
    tracing::info!(dest = %dest.display(), files = report.files, "backup directory written and checked");
    Ok(DirReport {
        db_bytes,
        files: report.files,
        file_bytes: report.bytes,
    })
}

/// Copies each named file, synced; returns a line per file that could not be copied.
fn copy_files(from: &FileStore, to: &FileStore, named: &[check::Referenced]) -> Vec<String> {
    let mut problems = Vec::new();
    for r in named {
        if !is_sha256_hex(&r.sha256) {
            problems.push(format!(
                "{}: the database holds a malformed hash",
                r.named_by.join(", ")
            ));
            continue;
        }
        let (src, dst) = (from.path_of(&r.sha256), to.path_of(&r.sha256));
        let copied = dst
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::copy(&src, &dst))
            .and_then(|_| std::fs::File::open(&dst)?.sync_all());
        if let Err(e) = copied {
            problems.push(format!("{}: cannot copy {}: {e}", r.named_by.join(", "), src.display()));
        }
    }
    problems
}
