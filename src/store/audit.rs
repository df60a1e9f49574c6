//! The audit trail. Every change is written here in the same transaction as
//! the change itself; nothing ever updates or deletes a row.

use serde_json::Value;

use sqlx::AssertSqlSafe;

use super::sql::Sql;
use super::{Conn, now_utc};
use crate::on_db;

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
/// the backend's own (see [`dialect::json_object`](super::dialect::json_object)):
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

/// One line of a case's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub username: Option<String>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub case_id: Option<i64>,
    /// The number of the case it belongs to, to name and link it.
    pub case_no: Option<String>,
    /// The user's or mediator's name, for an entry about one of them.
    pub subject: Option<String>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The columns of an [`Entry`], with who made it, its case's number and
/// the name of the user or mediator it is about.
macro_rules! entry_select {
    () => {
        "SELECT a.id, a.at, CAST(u.username AS TEXT) AS username, a.entity, a.entity_id, a.case_id, c.case_no, a.action, a.before, a.after,
            CASE a.entity WHEN 'user' THEN (SELECT CAST(username AS TEXT) FROM users WHERE id = a.entity_id)
                          WHEN 'mediator' THEN (SELECT name FROM mediators WHERE id = a.entity_id) END AS subject
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN cases c ON c.id = a.case_id"
    };
}

/// A case's history (the case `$1`), oldest first.
pub(crate) const FOR_CASE: &str = concat!(entry_select!(), " WHERE a.case_id = $1 ORDER BY a.id");

/// A case's history, oldest first.
pub async fn for_case(pool: &crate::store::Db, case_id: i64) -> Result<Vec<Entry>, sqlx::Error> {
    for_case_in(&mut pool.acquire().await?.conn(), case_id).await
}

/// [`for_case`] on a connection already taken (see `cases::for_page`).
pub async fn for_case_in(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<Vec<Entry>, sqlx::Error> {
    on_db!(conn, |e| { sqlx::query_as(FOR_CASE).bind(case_id).fetch_all(e).await })
}

/// The filters of the audit page.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub entity: Option<String>,
    /// Inclusive dates, in UTC as stored.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Issue 15: only the cases and mediators of this committee (an
    /// admin's); accounts and reference lists are the installation's.
    pub committee: Option<i64>,
}

/// Audit entries on a page, and how many match.
#[derive(Debug)]
pub struct AuditPage {
    pub entries: Vec<Entry>,
    /// Entries matching, at most [`AUDIT_CAP`].
    pub total: i64,
    /// More than [`AUDIT_CAP`] entries match.
    pub more: bool,
    /// The page shown (from 1): the one asked for, or the last within the cap.
    pub page: i64,
    /// The page asked for lay past the cap.
    pub past_cap: bool,
}

/// Entries on a page of the audit log.
pub const AUDIT_PAGE: i64 = 100;
/// The most entries the log counts and pages through: with millions of
/// entries an exact count reads them all; the dates narrow it instead.
pub const AUDIT_CAP: i64 = 10_000;

/// Audit entries, newest first, 100 a page (from 1), and how many match
/// (up to the cap).
pub async fn search(pool: &crate::store::Db, filter: &AuditFilter, page: i64) -> Result<AuditPage, sqlx::Error> {
    fn push_where(qb: &mut Sql, f: &AuditFilter) {
        if let Some(u) = f.user_id {
            qb.push(" AND a.user_id = ").push_bind(u);
        }
        if let Some(e) = &f.entity {
            qb.push(" AND a.entity = ").push_bind(e.clone());
        }
        if let Some(d) = f.from {
            qb.push(" AND a.at >= ").push_bind(d.to_string());
        }
        if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
            qb.push(" AND a.at < ").push_bind(d.to_string());
        }
        if let Some(c) = f.committee {
            // Looked up by primary key per entry: an IN list would gather
            // every case of the committee first.
            qb.push(" AND (a.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id AND c.committee_id = ")
                .push_bind(c)
                .push("))")
                .push(" AND (a.entity <> 'mediator' OR EXISTS (SELECT 1 FROM mediators m WHERE m.id = a.entity_id AND m.committee_id = ")
                .push_bind(c)
                .push("))");
        }
    }
    let mut count = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM audit_log a WHERE 1 = 1");
    push_where(&mut count, filter);
    count.push(" LIMIT ").push_bind(AUDIT_CAP + 1).push(") matching");
    let (counted,): (i64,) = count.fetch_one(pool).await?;
    let last_in_cap = AUDIT_CAP / AUDIT_PAGE;
    let past_cap = counted > AUDIT_CAP && page > last_in_cap;
    let page = page.clamp(1, last_in_cap);
    // The page's ids first, from the filter's index alone (migration 0019
    // holds each filter's entries by time), then the entries and names of
    // that page only: a deep page skips index entries, not joined rows.
    // Newest first by time, then by id (the order they were written).
    let mut qb = Sql::new("WITH page AS (SELECT a.id FROM audit_log a WHERE 1 = 1");
    push_where(&mut qb, filter);
    qb.push(" ORDER BY a.at DESC, a.id DESC LIMIT ")
        .push_bind(AUDIT_PAGE)
        .push(" OFFSET ")
        .push_bind((page - 1) * AUDIT_PAGE)
        .push(concat!(
            ") ",
            entry_select!(),
            " WHERE a.id IN (SELECT id FROM page) ORDER BY a.at DESC, a.id DESC"
        ));
    let entries = qb.fetch_all(pool).await?;
    Ok(AuditPage {
        entries,
        total: counted.min(AUDIT_CAP),
        more: counted > AUDIT_CAP,
        page,
        past_cap,
    })
}

/// The kinds of entity the log holds, for the page's filter.
pub async fn entities(pool: &crate::store::Db) -> Result<Vec<String>, sqlx::Error> {
    // One index seek per kind (`audit_entity`), where DISTINCT would read
    // every entry of a log millions long.
    on_db!(pool, |e| {
        sqlx::query_scalar(
            "WITH RECURSIVE kinds(entity) AS (
                 SELECT MIN(entity) FROM audit_log
                 UNION ALL
                 SELECT (SELECT MIN(entity) FROM audit_log WHERE entity > kinds.entity) FROM kinds
                 WHERE kinds.entity IS NOT NULL)
             SELECT entity FROM kinds WHERE entity IS NOT NULL",
        )
        .fetch_all(e)
        .await
    })
}
