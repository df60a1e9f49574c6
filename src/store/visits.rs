//! Return visits (回访记录) after a settlement.

use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::audit::{self, Change};
use super::workflow::{Error, guard, record_case_change};
use super::{begin_write, cases, now_utc};
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
    let after = serde_json::json!({
        "visited_on": input.visited_on,
        "visitor": input.visitor,
        "performance": input.performance.code(),
        "satisfaction": input.satisfaction.code(),
        "notes": input.notes,
    });
    let change = Change {
        user_id: actor,
        entity: "visit",
        entity_id: Some(id),
        case_id: Some(case_id),
        action: "create",
        before: None,
        after: Some(after),
    };
    audit::record(&mut tx, change).await?;
    let before = cases::snapshot(&mut tx, case_id).await?;
    // A visit entered late, older than one already recorded, does not
    // overwrite what the newer visit found.
    let changed = sqlx::query(
        "UPDATE cases SET fulfilment = ?, updated_at = ?
         WHERE id = ? AND fulfilment IS NOT ?
           AND NOT EXISTS (SELECT 1 FROM return_visits WHERE case_id = ? AND visited_on > ?)",
    )
    .bind(input.performance.code())
    .bind(now_utc())
    .bind(case_id)
    .bind(input.performance.code())
    .bind(case_id)
    .bind(input.visited_on)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() > 0 {
        record_case_change(&mut tx, case_id, Action::Fulfilment.code(), before, actor).await?;
    }
    tx.commit().await?;
    Ok(id)
}
