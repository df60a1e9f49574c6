//! Attachments (附件): what the database knows of each uploaded file. The
//! bytes are in [`files`]; a row is written only after its file is in
//! place, so a row never names a missing file. Nothing is deleted: a
//! mistake is voided with a reason and stays listed.

pub mod check;
pub mod files;
pub mod purge;
pub mod thumbs;

use std::sync::OnceLock;

use super::audit::{self, Audited, Target};
use super::{begin_write, dialect, now_utc};
use crate::domain::attachment::{AttachmentKind, FileType};
use crate::on_db;
use crate::store::cases::{Scope, push_scope};
use crate::store::sql::Sql;

/// One attachment as lists and the download show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub session_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub kind: AttachmentKind,
    pub note: String,
    pub original_name: String,
    pub size: i64,
    pub sha256: String,
    pub detected_type: FileType,
    pub uploaded_by: Option<String>,
    /// UTC, RFC 3339.
    pub uploaded_at: String,
    pub voided_at: Option<String>,
    pub voided_by: Option<String>,
    pub voided_reason: Option<String>,
    /// When `accord purge` removed its file (its case was voided).
    pub purged_at: Option<String>,
}

impl Attachment {
    pub fn is_voided(&self) -> bool {
        self.voided_at.is_some()
    }
}

const SELECT: &str = "SELECT a.id, a.case_id, a.session_id, a.visit_id, a.kind, a.note, a.original_name, a.size,
        a.sha256, a.detected_type, u.username AS uploaded_by, a.uploaded_at, a.voided_at,
        v.username AS voided_by, a.voided_reason, a.purged_at
     FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by LEFT JOIN users v ON v.id = a.voided_by";

/// A case's attachments in the order they were uploaded, voided ones
/// included (the case page strikes them through; the dossier lists them).
pub async fn list_for_case(pool: &crate::store::Db, case_id: i64) -> Result<Vec<Attachment>, sqlx::Error> {
    list_for_case_in(&mut pool.acquire().await?.conn(), case_id).await
}

/// [`list_for_case`] on a connection already taken (see `cases::for_page`).
pub async fn list_for_case_in(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<Vec<Attachment>, sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(for_case_sql()))
            .bind(case_id)
            .fetch_all(e)
            .await
    })
}

/// A case's attachments (the case `$1`) in the order they were uploaded.
pub(crate) fn for_case_sql() -> String {
    format!("{SELECT} WHERE a.case_id = $1 ORDER BY a.id")
}

/// One attachment of a case the scope may see; `None` when there is no
/// such attachment or the case is another committee's (or mediator's): the
/// file is checked against the scope here too, not only its case's page.
pub async fn get(
    pool: &crate::store::Db,
    scope: Scope,
    case_id: i64,
    id: i64,
) -> Result<Option<Attachment>, sqlx::Error> {
    let mut q = Sql::new(SELECT);
    q.push(" WHERE a.case_id = ")
        .push_bind(case_id)
        .push(" AND a.id = ")
        .push_bind(id)
        .push(" AND a.case_id IN (SELECT c.id FROM cases c WHERE c.id = ")
        .push_bind(case_id);
    push_scope(&mut q, scope);
    q.push(")");
    q.fetch_optional(pool).await
}

/// What an upload is tied to besides its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link {
    #[default]
    Case,
    Session(i64),
    Visit(i64),
}

/// A file in place under its hash, with what the person said of it.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub kind: AttachmentKind,
    pub note: String,
    pub original_name: String,
    pub size: u64,
    pub sha256: String,
    pub detected_type: FileType,
}

/// Why an upload's rows were not written.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    /// The session or visit is not one of the case's.
    #[error("the session or visit is not one of this case's")]
    NoSuchLink,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Writes the rows of one upload, all or none, each with its history entry.
#[tracing::instrument(skip(pool, files))]
pub async fn insert_all(
    pool: &crate::store::Db,
    case_id: i64,
    link: Link,
    files: &[NewAttachment],
    actor: Option<i64>,
) -> Result<Vec<i64>, InsertError> {
    let mut tx = begin_write(pool).await?;
    let (session_id, visit_id) = match link {
        Link::Case => (None, None),
        Link::Session(id) => (Some(id), None),
        Link::Visit(id) => (None, Some(id)),
    };
    for (table, id) in [("mediation_sessions", session_id), ("return_visits", visit_id)] {
        let Some(id) = id else { continue };
        // A table name of our own, never input.
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $1 AND case_id = $2)");
        let owned: bool = on_db!(tx, |e| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .bind(case_id)
                .fetch_one(e)
                .await
        })?;
        if !owned {
            return Err(InsertError::NoSuchLink);
        }
    }
    let mut ids = Vec::with_capacity(files.len());
    for f in files {
        let id: i64 = on_db!(tx, |e| {
            sqlx::query_scalar(
                "INSERT INTO attachments (case_id, session_id, visit_id, kind, note, original_name, size, sha256,
                     detected_type, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(case_id)
            .bind(session_id)
            .bind(visit_id)
            .bind(f.kind)
            .bind(&f.note)
            .bind(&f.original_name)
            .bind(f.size as i64)
            .bind(&f.sha256)
            .bind(f.detected_type)
            .bind(actor)
            .bind(now_utc())
            .fetch_one(e)
            .await
        })?;
        audit::created::<AttachmentRecord>(&mut tx.conn(), target(id, case_id, actor, "create", None)).await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Voids an attachment with a reason; its row and file stay. `false` when
/// the case has no such attachment or it is voided already.
#[tracing::instrument(skip(pool, reason))]
pub async fn void(
    pool: &crate::store::Db,
    case_id: i64,
    id: i64,
    reason: &str,
    actor: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let changed = audit::changed::<AttachmentRecord, _, sqlx::Error>(
        &mut tx.conn(),
        target(id, case_id, actor, "void", Some(reason)),
        async |conn| {
            let done = on_db!(conn, |e| {
                sqlx::query(
                    "UPDATE attachments SET voided_at = $1, voided_by = $2, voided_reason = $3
                     WHERE id = $4 AND case_id = $5 AND voided_at IS NULL",
                )
                .bind(now_utc())
                .bind(actor)
                .bind(reason)
                .bind(id)
                .bind(case_id)
                .execute(e)
                .await
                .map(|d| d.rows_affected())
            })?;
            Ok(done == 1)
        },
    )
    .await?;
    if changed {
        tx.commit().await?;
    }
    Ok(changed)
}

fn target<'a>(id: i64, case_id: i64, actor: Option<i64>, action: &'a str, reason: Option<&'a str>) -> Target<'a> {
    Target {
        id,
        case_id: Some(case_id),
        actor,
        action,
        always: false,
        client: None,
        reason,
    }
}

/// An attachment in the audit trail, on its case's history.
struct AttachmentRecord;

impl Audited for AttachmentRecord {
    const ENTITY: &'static str = "attachment";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        const SQL: &str = "('original_name', original_name, 'kind', kind, 'note', note,
                'detected_type', detected_type, 'size', size, 'sha256', sha256, 'voided_reason', voided_reason)
            FROM attachments WHERE id = $1";
        static TEXTS: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
        let b = conn.backend();
        let sql = TEXTS[b as usize].get_or_init(|| format!("SELECT {}{SQL}", dialect::json_object(b)));
        audit::json_of(conn, sql, id).await
    }
}
