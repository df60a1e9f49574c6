//! Return visits (回访记录) after a settlement.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::audit::{self, Audited, Target};
use super::cases::CaseRecord;
use super::sql::Sql;
use super::workflow::{Error, guard};
use super::{begin_write, dialect, now_utc};
use crate::domain::workflow::records::VisitInput;
use crate::domain::workflow::{Action, Fulfilment, Satisfaction};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
    pub notes: String,
    /// When and why the visit was voided; it stays on the page, struck.
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
}

/// A case's return visits, in the order they were made.
pub async fn for_case(pool: &crate::store::Db, case_id: i64) -> Result<Vec<Visit>, sqlx::Error> {
    for_case_in(&mut pool.acquire().await?.conn(), case_id).await
}

/// [`for_case`] on a connection already taken (see `cases::for_page`).
pub async fn for_case_in(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<Vec<Visit>, sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as(FOR_CASE).bind(case_id).fetch_all(e).await)
}

/// A case's visits (the case `$1`), in the order they were made.
pub(crate) const FOR_CASE: &str =
    "SELECT id, visited_on, visitor, performance, satisfaction, notes, voided_on, void_reason FROM return_visits
     WHERE case_id = $1 ORDER BY visited_on, id";

/// One visit of a case.
pub async fn get(pool: &crate::store::Db, case_id: i64, visit_id: i64) -> Result<Option<Visit>, sqlx::Error> {
    Ok(for_case(pool, case_id).await?.into_iter().find(|v| v.id == visit_id))
}

/// Records a visit. What the visit found becomes the case's fulfilment,
/// so nobody types it twice; that change has its own audit entry.
#[tracing::instrument(skip(pool, input))]
pub async fn create(
    pool: &crate::store::Db,
    case_id: i64,
    input: &VisitInput,
    actor: Option<i64>,
) -> Result<i64, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx.conn(), case_id, Action::Visit).await?;
    let id: i64 = on_db!(tx, |e| {
        sqlx::query_scalar(
            "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, notes, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(case_id)
        .bind(input.visited_on)
        .bind(&input.visitor)
        .bind(input.performance.code())
        .bind(input.satisfaction.code())
        .bind(&input.notes)
        .bind(actor)
        .bind(now_utc())
        .fetch_one(e)
        .await
    })?;
    let visit = Target {
        id,
        case_id: Some(case_id),
        actor,
        action: "create",
        always: false,
        client: None,
        reason: None,
    };
    audit::created::<VisitRecord>(&mut tx.conn(), visit).await?;
    // A visit entered late, older than one already recorded, does not
    // overwrite what the newer visit found.
    let fulfilment = CaseRecord::target(case_id, actor, Action::Fulfilment.code());
    audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), fulfilment, async |conn| {
        on_db!(conn, |e| {
            sqlx::query(
                "UPDATE cases SET fulfilment = $1, updated_at = $2
                 WHERE id = $3 AND fulfilment IS DISTINCT FROM $1
                   AND NOT EXISTS (SELECT 1 FROM return_visits
                                   WHERE case_id = $3 AND visited_on > $4 AND voided_on IS NULL)",
            )
            .bind(input.performance)
            .bind(now_utc())
            .bind(case_id)
            .bind(input.visited_on)
            .execute(e)
            .await
            .map(|_| ())
        })
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A correction of a visit: new values, or a void.
#[derive(Debug, Clone, Copy)]
pub enum Correction<'a> {
    Update(&'a VisitInput),
    Void(NaiveDate),
}

/// Changes or voids a visit, with the reason the history shows, then
/// sets the case's fulfilment to what the latest visit still standing
/// found. False when the case has no such visit or it was voided.
#[tracing::instrument(skip(pool))]
pub async fn correct(
    pool: &crate::store::Db,
    case_id: i64,
    visit_id: i64,
    correction: Correction<'_>,
    reason: &str,
    actor: Option<i64>,
) -> Result<bool, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx.conn(), case_id, Action::Visit).await?;
    let action = match correction {
        Correction::Update(_) => "update",
        Correction::Void(_) => "void",
    };
    let target = Target {
        id: visit_id,
        case_id: Some(case_id),
        actor,
        action,
        always: false,
        client: None,
        reason: Some(reason),
    };
    let found = audit::changed::<VisitRecord, _, Error>(&mut tx.conn(), target, async |conn| {
        let mut qb = Sql::new("UPDATE return_visits SET ");
        match correction {
            Correction::Update(v) => {
                qb.push("visited_on = ").push_bind(v.visited_on);
                qb.push(", visitor = ").push_bind(v.visitor.clone());
                qb.push(", performance = ").push_bind(v.performance.code());
                qb.push(", satisfaction = ").push_bind(v.satisfaction.code());
                qb.push(", notes = ").push_bind(v.notes.clone());
            }
            Correction::Void(on) => {
                qb.push("voided_on = ").push_bind(on);
                qb.push(", void_reason = ").push_bind(reason.to_string());
            }
        }
        qb.push(" WHERE id = ").push_bind(visit_id);
        qb.push(" AND case_id = ").push_bind(case_id);
        qb.push(" AND voided_on IS NULL");
        let done = qb.execute_in(conn).await?;
        Ok(done == 1)
    })
    .await?;
    if !found {
        return Ok(false);
    }
    // With no visit left standing, the fulfilment stays as it was.
    let fulfilment = CaseRecord::target(case_id, actor, Action::Fulfilment.code());
    audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), fulfilment, async |conn| {
        on_db!(conn, |e| {
            sqlx::query(
                "UPDATE cases SET fulfilment = v.performance, updated_at = $1
                 FROM (SELECT performance FROM return_visits WHERE case_id = $2 AND voided_on IS NULL
                       ORDER BY visited_on DESC, id DESC LIMIT 1) v
                 WHERE cases.id = $2 AND cases.fulfilment IS DISTINCT FROM v.performance",
            )
            .bind(now_utc())
            .bind(case_id)
            .execute(e)
            .await
            .map(|_| ())
        })
    })
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A return visit in the audit trail, on its case's history.
struct VisitRecord;

impl Audited for VisitRecord {
    const ENTITY: &'static str = "visit";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        // Dates come out as `YYYY-MM-DD` strings on both backends.
        const SQL: &str = "('visited_on', visited_on, 'visitor', visitor, 'performance', performance,
                'satisfaction', satisfaction, 'notes', notes, 'voided_on', voided_on)
            FROM return_visits WHERE id = $1";
        static TEXTS: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
        let b = conn.backend();
        let sql = TEXTS[b as usize].get_or_init(|| format!("SELECT {}{SQL}", dialect::json_object(b)));
        audit::json_of(conn, sql, id).await
    }
}
