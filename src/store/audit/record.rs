//! One change appended to the trail, whole or as the fields it changed.

use serde_json::Value;

use crate::on_db;
use crate::store::now_utc;

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Who made it (`None` for the command line).
    pub user_id: Option<i64>,
    /// What kind of thing changed: `case`, `party`, `session`, `visit`, `user`, `mediator`, `category` ...
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// The case it belongs to, so it shows on that case's history.
    pub case_id: Option<i64>,
    /// `create`, `update`, `delete`, `accept`, `decline`, `settle` ...
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends one change, inside the caller's transaction.
pub async fn record(conn: &mut crate::store::Conn<'_>, change: Change<'_>) -> Result<(), sqlx::Error> {
    let (before, after) = (
        change.before.map(|v| v.to_string()),
        change.after.map(|v| v.to_string()),
    );
    on_db!(conn, |e| {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, entity, entity_id, case_id, action, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now_utc())
        .bind(change.user_id)
        .bind(change.entity)
        .bind(change.entity_id)
        .bind(change.case_id)
        .bind(change.action)
        .bind(&before)
        .bind(&after)
        .execute(e)
        .await
        .map(|_| ())
    })
}

/// Records one event that changes nothing else (a sign-out, an export, a
/// backup), with its details as `after`.
pub async fn record_event(
    pool: &crate::store::Db,
    user_id: Option<i64>,
    entity: &str,
    action: &str,
    details: Value,
) -> Result<(), sqlx::Error> {
    // Behind the write lock like every other write, on either backend: a
    // long write holds the event back (and the request answers busy)
    // rather than letting it through on PostgreSQL alone.
    let mut tx = pool.begin_write().await?;
    let change = Change {
        user_id,
        entity,
        entity_id: user_id.filter(|_| entity == "user"),
        case_id: None,
        action,
        before: None,
        after: Some(details),
    };
    record(&mut tx.conn(), change).await?;
    tx.commit().await
}

/// Records a change given as whole before and after snapshots, keeping
/// only the fields that differ; a change that changed nothing is not recorded.
pub async fn record_diff(conn: &mut crate::store::Conn<'_>, change: Change<'_>) -> Result<(), sqlx::Error> {
    let (before, after) = diff(
        change.before.as_ref().unwrap_or(&Value::Null),
        change.after.as_ref().unwrap_or(&Value::Null),
    );
    if after.as_object().is_none_or(|o| o.is_empty()) {
        return Ok(());
    }
    record(
        conn,
        Change {
            before: Some(before),
            after: Some(after),
            ..change
        },
    )
    .await
}

/// Keeps only the fields that differ, as `{field: value}` pairs for before
/// and after. Both are JSON objects.
pub fn diff(before: &Value, after: &Value) -> (Value, Value) {
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (before.as_object(), after.as_object()) {
        for (k, av) in ao {
            let bv = bo.get(k).unwrap_or(&Value::Null);
            if bv != av {
                b.insert(k.clone(), bv.clone());
                a.insert(k.clone(), av.clone());
            }
        }
        for (k, bv) in bo {
            if !ao.contains_key(k) {
                b.insert(k.clone(), bv.clone());
                a.insert(k.clone(), Value::Null);
            }
        }
    }
    (Value::Object(b), Value::Object(a))
}
