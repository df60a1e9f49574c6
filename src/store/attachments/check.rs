//! Whether an installation (or a backup of one) is whole: the database
//! passes `PRAGMA integrity_check` and every attachment it names has its
//! file, with the right SHA-256. Used by `accord check` and by the backup,
//! which checks its copy the same way. Messages are for operators (English).
//!
//! On PostgreSQL there is no file to open: [`check_server`] reads the
//! attachments through the pool, in one read-only snapshot, and checks
//! their files the same way. The database's own storage is the server's to
//! check (`pg_amcheck`, data checksums); Accord has no rights to it.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::files::{FileStore, hash_file};
use crate::domain::attachment::is_sha256_hex;
use crate::on_db;
use crate::store::Db;

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
    let rows: Vec<NamedRow> = sqlx::query_as(REFERENCED).fetch_all(&mut conn).await?;
    conn.close().await?;
    Ok(group(rows))
}

/// Every distinct file the database behind `pool` names (either backend),
/// read in one snapshot.
pub async fn referenced_in(pool: &Db) -> Result<Vec<Referenced>, sqlx::Error> {
    let mut tx = pool.begin_read().await?;
    let rows: Vec<NamedRow> = on_db!(tx, |e| sqlx::query_as(REFERENCED).fetch_all(e).await)?;
    tx.commit().await?;
    Ok(group(rows))
}

/// An attachment not purged: its file's hash, its id, case number and name.
type NamedRow = (String, i64, String, String);

const REFERENCED: &str = "SELECT a.sha256, a.id, c.case_no, a.original_name
     FROM attachments a JOIN cases c ON c.id = a.case_id
     WHERE a.purged_at IS NULL ORDER BY a.sha256, a.id";

/// The rows of [`REFERENCED`], one [`Referenced`] per file.
fn group(rows: Vec<NamedRow>) -> Vec<Referenced> {
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
    out
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

/// The check of an installation on a database server: every file its
/// attachments name, read through `pool` (the server answering is the
/// only check of the database itself; see the module's comment).
pub async fn check_server(pool: &Db, store: &FileStore) -> Result<Report, sqlx::Error> {
    let mut report = Report::default();
    let files = referenced_in(pool).await?;
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
