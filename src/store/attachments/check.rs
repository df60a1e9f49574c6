//! Whether an installation (or a backup of one) is whole: the database
//! passes `PRAGMA integrity_check` and every attachment it names has its
//! file, with the right SHA-256. Used by `accord check` and by the backup,
//! which checks its copy the same way. Messages are for operators (English).

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::files::{FileStore, hash_file};
use crate::domain::attachment::is_sha256_hex;

/// One stored file and the attachments that name it.
#[derive(Debug, Clone)]
pub struct Referenced {
    pub sha256: String,
    /// "attachment #3 (物调〔2026〕第0001号, 协议书.pdf)", for messages.
    pub named_by: Vec<String>,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Distinct files checked.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Everything wrong, one line each; empty when all is well.
    pub problems: Vec<String>,
}

/// Every distinct file the database at `db` names, read on a read-only
/// connection of its own.
pub async fn referenced(db: &Path) -> Result<Vec<Referenced>, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(db)
        .read_only(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT a.sha256, a.id, c.case_no, a.original_name
         FROM attachments a JOIN cases c ON c.id = a.case_id ORDER BY a.sha256, a.id",
    )
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    let mut out: Vec<Referenced> = Vec::new();
    for (sha256, id, case_no, name) in rows {
        let named = format!("attachment #{id} ({case_no}, {name})");
        match out.last_mut() {
            Some(last) if last.sha256 == sha256 => last.named_by.push(named),
            _ => out.push(Referenced {
                sha256,
                named_by: vec![named],
            }),
        }
    }
    Ok(out)
}

/// Checks each file against its hash (in a blocking thread: it reads
/// every byte); adds a line per missing or altered file.
pub async fn verify_files(store: &FileStore, files: Vec<Referenced>, report: &mut Report) {
    let store = store.clone();
    let found = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        let mut bytes = 0;
        for r in &files {
            let names = r.named_by.join(", ");
            if !is_sha256_hex(&r.sha256) {
                problems.push(format!("{names}: the database holds a malformed hash"));
                continue;
            }
            let path = store.path_of(&r.sha256);
            match hash_file(&path) {
                Ok((sha, size)) if sha == r.sha256 => bytes += size,
                Ok(_) => problems.push(format!(
                    "{names}: the file {} has been altered (its SHA-256 no longer matches)",
                    path.display()
                )),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    problems.push(format!("{names}: the file {} is missing", path.display()))
                }
                Err(e) => problems.push(format!("{names}: cannot read {}: {e}", path.display())),
            }
        }
        (files.len(), bytes, problems)
    })
    .await;
    match found {
        Ok((files, bytes, problems)) => {
            report.files += files;
            report.bytes += bytes;
            report.problems.extend(problems);
        }
        Err(e) => report.problems.push(format!("the file check stopped: {e}")),
    }
}

/// The whole check: the database at `db`, then every file it names under `store`.
pub async fn check(db: &Path, store: &FileStore) -> Result<Report, sqlx::Error> {
    let mut report = Report::default();
    let verdict = integrity_check(db).await?;
    if verdict != "ok" {
        report.problems.push(format!(
            "the database {} fails its integrity check: {verdict}",
            db.display()
        ));
    }
    let files = referenced(db).await?;
    verify_files(store, files, &mut report).await;
    Ok(report)
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
