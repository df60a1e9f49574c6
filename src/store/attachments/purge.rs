//! `accord purge CASE_NO`: the files of a voided case's attachments are
//! removed from `files_dir` (a case registered by mistake should not keep
//! identity papers or photos). The rows stay, marked purged, and the purge
//! is in the audit log. A file another attachment still needs (the same
//! content uploaded to another case) stays.

use super::files::FileStore;
use crate::domain::Status;
use crate::on_db;
use crate::store::audit::{self, Change};
use crate::store::{begin_write, now_utc};

/// Why nothing was purged.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("no case numbered {0}")]
    NoCase(String),
    #[error("case {0} is not voided: only the attachments of a voided case are purged")]
    NotVoided(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("removing a file: {0}")]
    Io(#[from] std::io::Error),
}

/// What a purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    /// Attachments marked purged now.
    pub attachments: usize,
    /// Files removed from `files_dir`.
    pub files: usize,
    /// Files kept because another attachment still needs them.
    pub kept: usize,
}

/// Marks every attachment of the voided case `case_no` purged (one
/// transaction, audited), then removes the files no standing attachment
/// needs. A crash after the commit leaves at most a file nothing names.
pub async fn purge_case(pool: &crate::store::Db, store: &FileStore, case_no: &str) -> Result<Purged, PurgeError> {
    let mut tx = begin_write(pool).await?;
    let case: Option<(i64, Status)> = on_db!(tx, |e| {
        sqlx::query_as("SELECT id, status FROM cases WHERE case_no = $1")
            .bind(case_no)
            .fetch_optional(e)
            .await
    })?;
    let (case_id, status) = case.ok_or_else(|| PurgeError::NoCase(case_no.to_string()))?;
    if status != Status::Voided {
        return Err(PurgeError::NotVoided(case_no.to_string()));
    }
    let rows: Vec<(i64, String)> = on_db!(tx, |e| {
        sqlx::query_as("SELECT id, sha256 FROM attachments WHERE case_id = $1 AND purged_at IS NULL ORDER BY id")
            .bind(case_id)
            .fetch_all(e)
            .await
    })?;
    on_db!(tx, |e| {
        sqlx::query("UPDATE attachments SET purged_at = $1 WHERE case_id = $2 AND purged_at IS NULL")
            .bind(now_utc())
            .bind(case_id)
            .execute(e)
            .await
            .map(|_| ())
    })?;
    let mut hashes: Vec<String> = rows.iter().map(|(_, sha)| sha.clone()).collect();
    hashes.sort();
    hashes.dedup();
    let mut gone = Vec::new();
    for sha in hashes {
        let needed: bool = on_db!(tx, |e| {
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1 AND purged_at IS NULL)")
                .bind(&sha)
                .fetch_one(e)
                .await
        })?;
        if !needed {
            gone.push(sha);
        }
    }
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let change = Change {
        user_id: None,
        entity: "case",
        entity_id: Some(case_id),
        case_id: Some(case_id),
        action: "purge",
        before: None,
        after: Some(serde_json::json!({ "attachments": ids, "files_removed": gone.len() })),
    };
    audit::record(&mut tx.conn(), change).await?;
    tx.commit().await?;
    let mut purged = Purged {
        attachments: rows.len(),
        files: 0,
        kept: 0,
    };
    for sha in &gone {
        remove(store.path_of(sha))?;
        remove(store.root().join("thumbs").join(format!("{sha}.jpg")))?;
        purged.files += 1;
    }
    let distinct = {
        let mut all: Vec<&String> = rows.iter().map(|(_, sha)| sha).collect();
        all.sort();
        all.dedup();
        all.len()
    };
    purged.kept = distinct - gone.len();
    Ok(purged)
}

/// Removes a file; one already gone is fine.
fn remove(path: std::path::PathBuf) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
