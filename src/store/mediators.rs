//! Mediators (调解员).

use crate::on_db;
use crate::store::{Conn, Db};

use std::sync::OnceLock;

use super::audit::{self, Audited, Target};
use super::dialect;
use super::now_utc;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mediator {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub active: bool,
}

/// The mediators of a committee (`None`: of every committee), active
/// first, then by name.
pub async fn list(pool: &crate::store::Db, committee: Option<i64>) -> Result<Vec<Mediator>, sqlx::Error> {
    list_in(&mut pool.acquire().await?.conn(), committee).await
}

/// [`list`] on a connection already taken (the case list reads it with the page).
pub async fn list_in(conn: &mut crate::store::Conn<'_>, committee: Option<i64>) -> Result<Vec<Mediator>, sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query_as(
            "SELECT id, name, phone, active FROM mediators WHERE $1 IS NULL OR committee_id = $1
             ORDER BY active DESC, name, id",
        )
        .bind(committee)
        .fetch_all(e)
        .await
    })
}

/// The data version ([`super::stats::data_version`]) and the mediators'
/// own counter (migration 0036), read together: every change to a
/// mediator, by any process, moves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Versions {
    #[sqlx(rename = "n")]
    pub data: i64,
    pub mediators: i64,
}

/// [`Versions`] on a connection already taken.
pub async fn versions_in(conn: &mut crate::store::Conn<'_>) -> Result<Versions, sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as("SELECT n, mediators FROM data_version")
        .fetch_one(e)
        .await)
}

/// A mediator of a committee (`None`: of any committee).
pub async fn get(pool: &crate::store::Db, committee: Option<i64>, id: i64) -> Result<Option<Mediator>, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT id, name, phone, active FROM mediators WHERE id = $1 AND ($2 IS NULL OR committee_id = $2)",
        )
        .bind(id)
        .bind(committee)
        .fetch_optional(e)
        .await
    })
}

pub async fn insert(db: &Db, committee_id: i64, name: &str, phone: &str, active: bool) -> Result<i64, sqlx::Error> {
    insert_in(&mut db.acquire().await?.conn(), committee_id, name, phone, active).await
}

/// Adds a mediator without an audit record (demo data, imports), in the
/// caller's transaction.
pub async fn insert_in(
    conn: &mut Conn<'_>,
    committee_id: i64,
    name: &str,
    phone: &str,
    active: bool,
) -> Result<i64, sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query_scalar(
            "INSERT INTO mediators (committee_id, name, phone, active, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(committee_id)
        .bind(name)
        .bind(phone)
        .bind(active)
        .bind(now_utc())
        .fetch_one(e)
        .await
    })
}

/// A mediator in the audit trail.
struct MediatorRecord;

impl Audited for MediatorRecord {
    const ENTITY: &'static str = "mediator";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
        let b = conn.backend();
        let sql = SQL[b as usize].get_or_init(|| {
            format!(
                "SELECT {}('name', name, 'phone', phone, 'active', {}) FROM mediators WHERE id = $1",
                dialect::json_object(b),
                dialect::json_bool(b, "active"),
            )
        });
        audit::json_of(conn, sql, id).await
    }
}

fn target(id: i64, actor: Option<i64>, action: &str) -> Target<'_> {
    Target {
        id,
        case_id: None,
        actor,
        action,
        always: true,
        client: None,
        reason: None,
    }
}

/// Adds a mediator with its audit record, in the caller's transaction.
pub async fn create_in(
    conn: &mut crate::store::Conn<'_>,
    actor: Option<i64>,
    committee_id: i64,
    name: &str,
    phone: &str,
    active: bool,
) -> Result<i64, sqlx::Error> {
    let id = insert_in(conn, committee_id, name, phone, active).await?;
    audit::created::<MediatorRecord>(conn, target(id, actor, "create")).await?;
    Ok(id)
}

/// Adds or changes a mediator of a committee from the web, with its audit
/// record. Returns the id, or None when `id` names no mediator of it.
pub async fn save(
    pool: &crate::store::Db,
    actor: Option<i64>,
    committee_id: i64,
    id: Option<i64>,
    name: &str,
    phone: &str,
    active: bool,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let saved = match id {
        None => Some(create_in(&mut tx.conn(), actor, committee_id, name, phone, active).await?),
        Some(id) => {
            audit::changed::<MediatorRecord, _, sqlx::Error>(
                &mut tx.conn(),
                target(id, actor, "update"),
                async |conn| {
                    let changed = on_db!(conn, |e| {
                        sqlx::query(
                            "UPDATE mediators SET name = $1, phone = $2, active = $3
                             WHERE id = $4 AND committee_id = $5",
                        )
                        .bind(name)
                        .bind(phone)
                        .bind(active)
                        .bind(id)
                        .bind(committee_id)
                        .execute(e)
                        .await
                        .map(|done| done.rows_affected())
                    })?;
                    Ok((changed > 0).then_some(id))
                },
            )
            .await?
        }
    };
    if saved.is_some() {
        tx.commit().await?;
    }
    Ok(saved)
}
