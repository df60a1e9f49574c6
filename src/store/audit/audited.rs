//! The audited writes: a record's snapshot taken around its creation,
//! change or deletion, and the entry made of them.

use serde_json::Value;

use sqlx::AssertSqlSafe;

use super::record::{Change, diff, record};
use crate::on_db;
use crate::store::Conn;

/// A kind of record whose changes the trail keeps as whole snapshots.
pub trait Audited {
    /// Its name in the trail: `case`, `session`, `visit` ...
    const ENTITY: &'static str;

    /// Fields an entry shows whole, changed or not (a reference entry's
    /// code and labels, which name it); the others only when they change.
    const KEPT: &'static [&'static str] = &[];

    /// Whether entries carry the record's id. A record named by a field
    /// of its own (a reference entry by its code) keeps its rowid out.
    const SHOWS_ID: bool = true;

    /// The record as JSON (`null` when it does not exist).
    fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> impl Future<Output = Result<Value, sqlx::Error>> + Send;
}

/// Puts the [`Audited::KEPT`] fields of the whole snapshot into a diff's side.
fn keep<A: Audited>(mut side: Value, whole: &Value) -> Value {
    if let (Some(map), Some(whole)) = (side.as_object_mut(), whole.as_object()) {
        for field in A::KEPT {
            if let Some(v) = whole.get(*field) {
                map.insert((*field).to_string(), v.clone());
            }
        }
    }
    side
}

/// A record's snapshot from a query that selects one JSON object for the
/// id bound as `$1` (`null` when there is no such record). The query is
/// the backend's own (see [`dialect::json_object`](crate::store::dialect::json_object)):
/// SQLite answers JSON as text, PostgreSQL as `jsonb`; both read as a value.
pub async fn json_of(conn: &mut Conn<'_>, sql: &str, id: i64) -> Result<Value, sqlx::Error> {
    let row: Option<Value> = on_db!(conn, |e| {
        sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
            .bind(id)
            .fetch_optional(e)
            .await
    })?;
    Ok(row.unwrap_or(Value::Null))
}

/// Which record changes, in which case, by whom, under which action.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: i64,
    pub case_id: Option<i64>,
    pub actor: Option<i64>,
    pub action: &'a str,
    /// Whether a change that altered no field is recorded all the same
    /// (a workflow action is history even when it changed nothing).
    pub always: bool,
    /// The client's address, kept in the entry's `after` (`None` for the
    /// command line).
    pub client: Option<&'a str>,
    /// Why a correction was made, kept in the entry's `after` as `reason`
    /// (the history shows it under its own label).
    pub reason: Option<&'a str>,
}

/// Adds the client's address to an entry's `after` object.
pub fn with_client(mut after: Value, client: Option<&str>) -> Value {
    if let (Some(map), Some(client)) = (after.as_object_mut(), client) {
        map.insert("client".into(), client.into());
    }
    after
}

/// Adds what the target carries besides the record (the client's address,
/// a correction's reason) to an entry's `after` object.
fn with_extras(after: Value, target: &Target<'_>) -> Value {
    let mut after = with_client(after, target.client);
    if let (Some(map), Some(reason)) = (after.as_object_mut(), target.reason) {
        map.insert("reason".into(), reason.into());
    }
    after
}

/// Records a new record as its snapshot, in the caller's transaction.
pub async fn created<A: Audited>(conn: &mut crate::store::Conn<'_>, target: Target<'_>) -> Result<(), sqlx::Error> {
    let after = A::snapshot(conn, target.id).await?;
    let change = Change {
        user_id: target.actor,
        entity: A::ENTITY,
        entity_id: A::SHOWS_ID.then_some(target.id),
        case_id: target.case_id,
        action: target.action,
        before: None,
        after: Some(with_extras(after, &target)),
    };
    record(conn, change).await
}

/// Records a record as it was before `write` deleted it, in the caller's
/// transaction.
pub async fn deleted<A: Audited, T, E: From<sqlx::Error>>(
    conn: &mut crate::store::Conn<'_>,
    target: Target<'_>,
    write: impl AsyncFnOnce(&mut crate::store::Conn<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let before = A::snapshot(conn, target.id).await?;
    let out = write(&mut *conn).await?;
    // `after` holds only what the target carries besides the record (the
    // client's address, a reason), if anything.
    let extras = with_extras(Value::Object(Default::default()), &target);
    let change = Change {
        user_id: target.actor,
        entity: A::ENTITY,
        entity_id: A::SHOWS_ID.then_some(target.id),
        case_id: target.case_id,
        action: target.action,
        before: Some(before),
        after: extras.as_object().is_some_and(|o| !o.is_empty()).then_some(extras),
    };
    record(conn, change).await?;
    Ok(out)
}

/// The one audited write: a snapshot before, the write, a snapshot after,
/// and the fields that differ recorded, all in the caller's transaction.
pub async fn changed<A: Audited, T, E: From<sqlx::Error>>(
    conn: &mut crate::store::Conn<'_>,
    target: Target<'_>,
    write: impl AsyncFnOnce(&mut crate::store::Conn<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let before = A::snapshot(conn, target.id).await?;
    let out = write(&mut *conn).await?;
    let after = A::snapshot(conn, target.id).await?;
    let (changed_before, changed_after) = diff(&before, &after);
    if target.always || changed_after.as_object().is_some_and(|o| !o.is_empty()) {
        let change = Change {
            user_id: target.actor,
            entity: A::ENTITY,
            entity_id: A::SHOWS_ID.then_some(target.id),
            case_id: target.case_id,
            action: target.action,
            before: Some(keep::<A>(changed_before, &before)),
            after: Some(with_extras(keep::<A>(changed_after, &after), &target)),
        };
        record(conn, change).await?;
    }
    Ok(out)
}
