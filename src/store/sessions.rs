//! Mediation sessions (调解记录) and the mediators present at each.

use chrono::NaiveDate;

use super::audit::{self, Audited, Target};
use super::workflow::{Error, guard};
use super::{Backend, begin_write, now_utc};
use crate::domain::workflow::records::SessionInput;
use crate::domain::workflow::{Action, SessionMode};
use crate::on_db;

/// One session with its mediators.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub case_id: i64,
    pub held_on: NaiveDate,
    pub form: SessionMode,
    pub notes: String,
    /// When and why the session was voided; it stays on the page, struck.
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
    /// (id, name) of each mediator present, filled after the row is read.
    #[sqlx(skip)]
    pub mediators: Vec<(i64, String)>,
}

/// A session's columns and one mediator present (none when nobody is).
pub(crate) type SessionWithMediator = (
    i64,
    i64,
    NaiveDate,
    SessionMode,
    String,
    Option<NaiveDate>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// A case's sessions, in the order they were held, with the mediators
/// present (one query: a page shows them on every visit).
pub async fn for_case(pool: &crate::store::Db, case_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    for_case_in(&mut pool.acquire().await?.conn(), case_id).await
}

/// [`for_case`] on a connection already taken (see `cases::for_page`).
pub async fn for_case_in(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    let rows: Vec<SessionWithMediator> = on_db!(conn, |e| sqlx::query_as(FOR_CASE).bind(case_id).fetch_all(e).await)?;
    Ok(assemble(rows))
}

/// A case's sessions (the case `$1`), a row per session and mediator.
pub(crate) const FOR_CASE: &str = "SELECT s.id, s.case_id, s.held_on, s.form, s.notes, s.voided_on, s.void_reason,
        m.id, m.name
     FROM mediation_sessions s
     LEFT JOIN session_mediators sm ON sm.session_id = s.id
     LEFT JOIN mediators m ON m.id = sm.mediator_id
     WHERE s.case_id = $1 ORDER BY s.held_on, s.id, m.name, m.id";

/// The sessions of [`FOR_CASE`]'s rows, each with its mediators.
pub(crate) fn assemble(rows: Vec<SessionWithMediator>) -> Vec<Session> {
    let mut sessions: Vec<Session> = Vec::new();
    for (id, case_id, held_on, form, notes, voided_on, void_reason, mediator_id, mediator_name) in rows {
        if sessions.last().is_none_or(|s| s.id != id) {
            sessions.push(Session {
                id,
                case_id,
                held_on,
                form,
                notes,
                voided_on,
                void_reason,
                mediators: Vec::new(),
            });
        }
        if let (Some(session), Some(mid), Some(name)) = (sessions.last_mut(), mediator_id, mediator_name) {
            session.mediators.push((mid, name));
        }
    }
    sessions
}

/// One session of a case.
pub async fn get(pool: &crate::store::Db, case_id: i64, session_id: i64) -> Result<Option<Session>, sqlx::Error> {
    Ok(for_case(pool, case_id).await?.into_iter().find(|s| s.id == session_id))
}

/// Records a session; returns its id.
#[tracing::instrument(skip(pool, input))]
pub async fn create(
    pool: &crate::store::Db,
    case_id: i64,
    input: &SessionInput,
    actor: Option<i64>,
) -> Result<i64, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx.conn(), case_id, Action::Session).await?;
    let id: i64 = on_db!(tx, |e| {
        sqlx::query_scalar(
            "INSERT INTO mediation_sessions (case_id, held_on, form, notes, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(case_id)
        .bind(input.held_on)
        .bind(input.form)
        .bind(&input.notes)
        .bind(actor)
        .bind(now_utc())
        .fetch_one(e)
        .await
    })?;
    replace_mediators(&mut tx.conn(), id, &input.mediator_ids).await?;
    audit::created::<SessionRecord>(&mut tx.conn(), SessionRecord::target(case_id, id, actor, "create")).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a session, with the reason the history shows; false when the
/// case has no such session or it was voided.
#[tracing::instrument(skip(pool, input))]
pub async fn update(
    pool: &crate::store::Db,
    case_id: i64,
    session_id: i64,
    input: &SessionInput,
    reason: &str,
    actor: Option<i64>,
) -> Result<bool, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx.conn(), case_id, Action::Session).await?;
    let target = Target {
        reason: Some(reason),
        ..SessionRecord::target(case_id, session_id, actor, "update")
    };
    let found = audit::changed::<SessionRecord, _, Error>(&mut tx.conn(), target, async |conn| {
        let done = on_db!(conn, |e| {
            sqlx::query(
                "UPDATE mediation_sessions SET held_on = $1, form = $2, notes = $3
                 WHERE id = $4 AND case_id = $5 AND voided_on IS NULL",
            )
            .bind(input.held_on)
            .bind(input.form)
            .bind(&input.notes)
            .bind(session_id)
            .bind(case_id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
        })?;
        if done == 0 {
            return Ok(false);
        }
        replace_mediators(conn, session_id, &input.mediator_ids).await?;
        Ok(true)
    })
    .await?;
    tx.commit().await?;
    Ok(found)
}

/// Voids a session: it stays on the case page, struck through, with the
/// reason. False when the case has no such session or it was voided.
#[tracing::instrument(skip(pool))]
pub async fn void(
    pool: &crate::store::Db,
    case_id: i64,
    session_id: i64,
    on: NaiveDate,
    reason: &str,
    actor: Option<i64>,
) -> Result<bool, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx.conn(), case_id, Action::Session).await?;
    let target = Target {
        reason: Some(reason),
        ..SessionRecord::target(case_id, session_id, actor, "void")
    };
    let found = audit::changed::<SessionRecord, _, Error>(&mut tx.conn(), target, async |conn| {
        let done = on_db!(conn, |e| {
            sqlx::query(
                "UPDATE mediation_sessions SET voided_on = $1, void_reason = $2
                 WHERE id = $3 AND case_id = $4 AND voided_on IS NULL",
            )
            .bind(on)
            .bind(reason)
            .bind(session_id)
            .bind(case_id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
        })?;
        Ok(done == 1)
    })
    .await?;
    if found {
        tx.commit().await?;
    }
    Ok(found)
}

async fn replace_mediators(
    conn: &mut crate::store::Conn<'_>,
    session_id: i64,
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    super::links::replace(conn, super::links::MediatorLinks::Session, session_id, mediator_ids).await
}

/// A session in the audit trail, on its case's history.
struct SessionRecord;

impl SessionRecord {
    fn target(case_id: i64, id: i64, actor: Option<i64>, action: &str) -> Target<'_> {
        Target {
            id,
            case_id: Some(case_id),
            actor,
            action,
            always: false,
            client: None,
            reason: None,
        }
    }
}

impl Audited for SessionRecord {
    const ENTITY: &'static str = "session";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        snapshot(conn, id).await
    }
}

/// A session as JSON for the audit trail.
async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let sql = match conn.backend() {
        Backend::Sqlite => SNAPSHOT_SQLITE,
        Backend::Postgres => SNAPSHOT_POSTGRES,
    };
    audit::json_of(conn, sql, id).await
}

/// [`snapshot`]'s query on SQLite: dates are already `YYYY-MM-DD` text.
const SNAPSHOT_SQLITE: &str =
    "SELECT json_object('held_on', held_on, 'form', form, 'notes', notes, 'voided_on', voided_on,
        'mediators', json((SELECT json_group_array(name) FROM
            (SELECT m.name FROM session_mediators sm JOIN mediators m ON m.id = sm.mediator_id
             WHERE sm.session_id = s.id ORDER BY m.name, m.id))))
     FROM mediation_sessions s WHERE s.id = $1";

/// [`snapshot`]'s query on PostgreSQL, giving the same JSON: dates as
/// `YYYY-MM-DD` strings (`to_jsonb` of a DATE writes the same), an empty
/// array for a session nobody attended (`jsonb_agg` of no rows is NULL).
const SNAPSHOT_POSTGRES: &str = "SELECT jsonb_build_object('held_on', held_on, 'form', form, 'notes', notes,
        'voided_on', voided_on,
        'mediators', COALESCE((SELECT jsonb_agg(m.name ORDER BY m.name, m.id)
            FROM session_mediators sm JOIN mediators m ON m.id = sm.mediator_id
            WHERE sm.session_id = s.id), CAST('[]' AS jsonb)))
     FROM mediation_sessions s WHERE s.id = $1";
