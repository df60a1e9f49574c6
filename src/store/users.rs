//! Users and their password hashes.

use sqlx::SqlitePool;

use super::now_utc;
use crate::domain::Role;

/// A user as the web layer needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub mediator_id: Option<i64>,
    pub active: bool,
}

impl User {
    pub fn role(&self) -> Role {
        // The CHECK constraint keeps the column to the three codes.
        Role::from_code(&self.role).unwrap_or(Role::Mediator)
    }
}

pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await
}

pub async fn by_id(pool: &SqlitePool, id: i64) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, role, mediator_id, active FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The user and their password hash, for signing in.
pub async fn by_username(pool: &SqlitePool, username: &str) -> Result<Option<(User, String)>, sqlx::Error> {
    let row: Option<(i64, String, String, Option<i64>, bool, String)> =
        sqlx::query_as("SELECT id, username, role, mediator_id, active, password_hash FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, username, role, mediator_id, active, hash)| {
        (
            User {
                id,
                username,
                role,
                mediator_id,
                active,
            },
            hash,
        )
    }))
}

pub async fn insert(
    pool: &SqlitePool,
    username: &str,
    password_hash: &str,
    role: Role,
    mediator_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO users (username, password_hash, role, mediator_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.code())
    .bind(mediator_id)
    .bind(now_utc())
    .execute(pool)
    .await?;
    Ok(done.last_insert_rowid())
}

/// Sets a new password hash; false when no such user.
pub async fn set_password(pool: &SqlitePool, username: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = ? WHERE username = ?")
        .bind(password_hash)
        .bind(username)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
