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

/// Changes a mediator; false when there is none with that id.
pub async fn update(pool: &SqlitePool, id: i64, name: &str, phone: &str, active: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE mediators SET name = ?, phone = ?, active = ? WHERE id = ?")
        .bind(name)
        .bind(phone)
        .bind(active)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
