//! Mediators (调解员).

use sqlx::SqlitePool;

use super::now_utc;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mediator {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub active: bool,
}

/// All mediators, active first, then by name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Mediator>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, phone, active FROM mediators ORDER BY active DESC, name, id")
        .fetch_all(pool)
        .await
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Mediator>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, phone, active FROM mediators WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn insert<'e, E: sqlx::SqliteExecutor<'e>>(
    db: E,
    name: &str,
    phone: &str,
    active: bool,
) -> Result<i64, sqlx::Error> {
    let done = sqlx::query("INSERT INTO mediators (name, phone, active, created_at) VALUES (?, ?, ?, ?)")
        .bind(name)
        .bind(phone)
        .bind(active)
        .bind(now_utc())
        .execute(db)
        .await?;
    Ok(done.last_insert_rowid())
}

fn json(name: &str, phone: &str, active: bool) -> serde_json::Value {
    serde_json::json!({"name": name, "phone": phone, "active": active})
}

/// Adds or changes a mediator from the web, with its audit record.
/// Returns the id, or None when `id` names no mediator.
pub async fn save(
    pool: &SqlitePool,
    actor: Option<i64>,
    id: Option<i64>,
    name: &str,
    phone: &str,
    active: bool,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let (id, action, before) = match id {
        None => (insert(&mut *tx, name, phone, active).await?, "create", None),
        Some(id) => {
            let Some(old) = sqlx::query_as::<_, Mediator>("SELECT id, name, phone, active FROM mediators WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            sqlx::query("UPDATE mediators SET name = ?, phone = ?, active = ? WHERE id = ?")
                .bind(name)
                .bind(phone)
                .bind(active)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id, "update", Some(json(&old.name, &old.phone, old.active)))
        }
    };
    let after = json(name, phone, active);
    let (before, after) = match before {
        Some(b) => {
            let (b, a) = super::audit::diff(&b, &after);
            (Some(b), a)
        }
        None => (None, after),
    };
    let change = super::audit::Change {
        user_id: actor,
        entity: "mediator",
        entity_id: Some(id),
        case_id: None,
        action,
        before,
        after: Some(after),
    };
    super::audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(Some(id))
}
