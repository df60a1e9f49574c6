//! Return visits (回访记录) after a settlement.

use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Audited, Target};
use super::cases::CaseRecord;
use super::workflow::{Error, guard};
use super::{begin_write, now_utc};
use crate::domain::workflow::records::VisitInput;
use crate::domain::workflow::{Action, Fulfilment, Satisfaction};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
    pub notes: String,
}

/// A case's return visits, in the order they were made.
pub async fn for_case(pool: &SqlitePool, case_id: i64) -> Result<Vec<Visit>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, visited_on, visitor, performance, satisfaction, notes FROM return_visits
         WHERE case_id = ? ORDER BY visited_on, id",
    )
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// Records a visit. What the visit found becomes the case's fulfilment,
/// so nobody types it twice; that change has its own audit entry.
#[tracing::instrument(skip(pool, input))]
pub async fn create(pool: &SqlitePool, case_id: i64, input: &VisitInput, actor: Option<i64>) -> Result<i64, Error> {
    let mut tx = begin_write(pool).await?;
    guard(&mut tx, case_id, Action::Visit).await?;
    let id = sqlx::query(
        "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, notes, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(case_id)
    .bind(input.visited_on)
    .bind(&input.visitor)
    .bind(input.performance.code())
    .bind(input.satisfaction.code())
    .bind(&input.notes)
    .bind(actor)
    .bind(now_utc())
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    let visit = Target {
        id,
        case_id: Some(case_id),
        actor,
        action: "create",
        always: false,
        client: None,
    };
    audit::created::<VisitRecord>(&mut tx, visit).await?;
    // A visit entered late, older than one already recorded, does not
    // overwrite what the newer visit found.
    let fulfilment = CaseRecord::target(case_id, actor, Action::Fulfilment.code());
    audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx, fulfilment, async |conn| {
        sqlx::query(
            "UPDATE cases SET fulfilment = ?, updated_at = ?
             WHERE id = ? AND fulfilment IS NOT ?
               AND NOT EXISTS (SELECT 1 FROM return_visits WHERE case_id = ? AND visited_on > ?)",
        )
        .bind(input.performance)
        .bind(now_utc())
        .bind(case_id)
        .bind(input.performance)
        .bind(case_id)
        .bind(input.visited_on)
        .execute(conn)
        .await
        .map(|_| ())
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A return visit in the audit trail, on its case's history.
struct VisitRecord;

impl Audited for VisitRecord {
    const ENTITY: &'static str = "visit";

    async fn snapshot(conn: &mut SqliteConnection, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        let sql = "SELECT json_object('visited_on', visited_on, 'visitor', visitor, 'performance', performance,
                       'satisfaction', satisfaction, 'notes', notes)
                   FROM return_visits WHERE id = ?";
        audit::json_of(conn, sql, id).await
    }
}
