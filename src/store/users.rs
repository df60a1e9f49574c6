//! Users and their password hashes.

use super::audit::{self, Audited, Target};
use super::now_utc;
use crate::domain::Role;
use crate::on_db;
use crate::store::Backend;

/// A user as the web layer needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub mediator_id: Option<i64>,
    pub active: bool,
    /// The organisation the user works in: a committee, or for a
    /// supervisor an association.
    pub org_id: i64,
}

impl User {
    pub fn role(&self) -> Role {
        self.role
    }
}

pub async fn count(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    on_db!(pool, |e| sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(e)
        .await)
}

pub async fn by_id(pool: &crate::store::Db, id: i64) -> Result<Option<User>, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_as("SELECT id, username, role, mediator_id, active, org_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(e)
            .await
    })
}

/// The user and their password hash, for signing in. The name is matched
/// ignoring case (SQLite's `NOCASE`, PostgreSQL's `citext`).
pub async fn by_username(pool: &crate::store::Db, username: &str) -> Result<Option<(User, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct WithHash {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let row: Option<WithHash> = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT id, username, role, mediator_id, active, org_id, password_hash FROM users
             WHERE username = CAST($1 AS citext)",
        )
        .bind(username)
        .fetch_optional(e)
        .await
    })?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

pub async fn insert(
    pool: &crate::store::Db,
    username: &str,
    password_hash: &str,
    role: Role,
    mediator_id: Option<i64>,
    org_id: i64,
) -> Result<i64, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_scalar(INSERT)
            .bind(username)
            .bind(password_hash)
            .bind(role.code())
            .bind(mediator_id)
            .bind(org_id)
            .bind(now_utc())
            .fetch_one(e)
            .await
    })
}

const INSERT: &str = "INSERT INTO users (username, password_hash, role, mediator_id, org_id, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// Sets a new password hash; false when no such user.
pub async fn set_password(pool: &crate::store::Db, username: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
    let done = on_db!(pool, |e| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE username = CAST($2 AS citext)")
            .bind(password_hash)
            .bind(username)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
    })?;
    Ok(done == 1)
}

/// A user with their linked mediator's name, for the users page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub mediator_id: Option<i64>,
    pub mediator_name: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub org_id: i64,
    pub org_name: String,
}

pub async fn list(pool: &crate::store::Db) -> Result<Vec<UserRow>, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT u.id, u.username, u.role, u.mediator_id, m.name AS mediator_name, u.active, u.created_at,
                    u.org_id, COALESCE(o.name, '') AS org_name
             FROM users u LEFT JOIN mediators m ON m.id = u.mediator_id
             JOIN organisations o ON o.id = u.org_id
             ORDER BY u.active DESC, u.username",
        )
        .fetch_all(e)
        .await
    })
}

/// A user in the audit trail (never the password hash).
struct UserRecord;

impl Audited for UserRecord {
    const ENTITY: &'static str = "user";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        audit::json_of(conn, snapshot_sql(conn.backend()), id).await
    }
}

/// The user's audited fields as one JSON object, per backend (the same
/// value on both: `active` a boolean, the name a string).
fn snapshot_sql(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => {
            "SELECT json_object('username', username, 'role', role, 'mediator_id', mediator_id,
                 'org_id', org_id, 'active', json(iif(active, 'true', 'false')))
             FROM users WHERE id = $1"
        }
        Backend::Postgres => {
            "SELECT jsonb_build_object('username', CAST(username AS TEXT), 'role', role,
                 'mediator_id', mediator_id, 'org_id', org_id, 'active', active)
             FROM users WHERE id = $1"
        }
    }
}

fn target<'a>(id: i64, actor: Option<i64>, client: Option<&'a str>, action: &'a str) -> Target<'a> {
    Target {
        id,
        case_id: None,
        actor,
        action,
        always: false,
        client,
        reason: None,
    }
}

/// Why a change to a user was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserChangeError {
    /// It would leave no active admin.
    #[error("that would leave no active admin")]
    LastAdmin,
    #[error("no such user")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A user account to create.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    /// The organisation the user works in (see [`User::org_id`]).
    pub org_id: i64,
    pub link: MediatorLink,
}

/// The mediator record a new user is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediatorLink {
    None,
    Existing(i64),
    /// A new mediator record under the person's real name (not the
    /// username, which made stray mediators like "linjie" beside 林杰).
    New(String),
}

impl From<Option<i64>> for MediatorLink {
    fn from(id: Option<i64>) -> Self {
        id.map_or(MediatorLink::None, MediatorLink::Existing)
    }
}

/// Creates a user (and, when asked, their mediator record) and records
/// both, in one transaction. A username already taken is a UNIQUE
/// violation ([`super::is_unique_violation`]) and writes nothing. `actor`
/// and `client` are `None` for the command line.
pub async fn create(
    pool: &crate::store::Db,
    actor: Option<i64>,
    client: Option<&str>,
    account: NewAccount<'_>,
) -> Result<i64, sqlx::Error> {
    let NewAccount {
        username,
        password_hash,
        role,
        org_id,
        link,
    } = account;
    let mut tx = super::begin_write(pool).await?;
    let mediator_id = match link {
        MediatorLink::None => None,
        MediatorLink::Existing(id) => Some(id),
        MediatorLink::New(name) => {
            Some(super::mediators::create_in(&mut tx.conn(), actor, org_id, &name, "", true).await?)
        }
    };
    let id: i64 = on_db!(tx, |e| {
        sqlx::query_scalar(INSERT)
            .bind(username)
            .bind(password_hash)
            .bind(role.code())
            .bind(mediator_id)
            .bind(org_id)
            .bind(now_utc())
            .fetch_one(e)
            .await
    })?;
    audit::created::<UserRecord>(&mut tx.conn(), target(id, actor, client, "create")).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a user becomes: role, organisation, mediator link, active flag.
#[derive(Debug, Clone, Copy)]
pub struct Account {
    pub role: Role,
    pub org_id: i64,
    pub mediator_id: Option<i64>,
    pub active: bool,
}

/// Changes role, organisation, mediator link and active flag together.
/// Refuses to leave the installation without an active admin. The
/// sessions of a user disabled or moved to another organisation are
/// deleted on the server (what they may see has changed).
pub async fn change(
    pool: &crate::store::Db,
    actor: Option<i64>,
    client: Option<&str>,
    id: i64,
    account: Account,
) -> Result<(), UserChangeError> {
    let Account {
        role,
        org_id,
        mediator_id,
        active,
    } = account;
    let mut tx = super::begin_write(pool).await?;
    let before: Option<User> = on_db!(tx, |e| {
        sqlx::query_as("SELECT id, username, role, mediator_id, active, org_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(e)
            .await
    })?;
    let Some(before) = before else {
        return Err(UserChangeError::NotFound);
    };
    let other_admins: i64 = on_db!(tx, |e| {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active AND id <> $1")
            .bind(id)
            .fetch_one(e)
            .await
    })?;
    let stays_admin = role == Role::Admin && active;
    if before.role() == Role::Admin && before.active && !stays_admin && other_admins == 0 {
        return Err(UserChangeError::LastAdmin);
    }
    let mediator_id = if role == Role::Mediator { mediator_id } else { None };
    let action = if before.active && !active { "disable" } else { "update" };
    audit::changed::<UserRecord, _, sqlx::Error>(&mut tx.conn(), target(id, actor, client, action), async |conn| {
        on_db!(conn, |e| {
            sqlx::query("UPDATE users SET role = $1, mediator_id = $2, active = $3, org_id = $4 WHERE id = $5")
                .bind(role)
                .bind(mediator_id)
                .bind(active)
                .bind(org_id)
                .bind(id)
                .execute(e)
                .await
                .map(|_| ())
        })
    })
    .await?;
    if !active || org_id != before.org_id {
        delete_sessions(&mut tx.conn(), id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from the users page, recorded without the hash.
pub async fn reset_password(
    pool: &crate::store::Db,
    actor: Option<i64>,
    client: Option<&str>,
    id: i64,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let done = on_db!(tx, |e| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
    })?;
    if done == 0 {
        return Ok(false);
    }
    let change = audit::Change {
        user_id: actor,
        entity: "user",
        entity_id: Some(id),
        case_id: None,
        action: "reset_password",
        before: None,
        after: client.map(|c| serde_json::json!({ "client": c })),
    };
    audit::record(&mut tx.conn(), change).await?;
    // Whoever held the old password is signed out.
    if Some(id) != actor {
        delete_sessions(&mut tx.conn(), id).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Deletes every server-side session of a user.
async fn delete_sessions(tx: &mut crate::store::Conn<'_>, user_id: i64) -> Result<(), sqlx::Error> {
    // The session's record is JSON text on both backends; its user is a
    // number under `data`.
    let sql = match tx.backend() {
        Backend::Sqlite => "DELETE FROM http_sessions WHERE json_extract(data, '$.data.user_id') = $1",
        Backend::Postgres => {
            "DELETE FROM http_sessions
             WHERE CAST(data AS jsonb) -> 'data' -> 'user_id' = to_jsonb(CAST($1 AS BIGINT))"
        }
    };
    on_db!(tx, |e| sqlx::query(sql).bind(user_id).execute(e).await.map(|_| ()))?;
    Ok(())
}
