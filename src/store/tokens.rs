//! API tokens (issue 16, migration 0029): issued, listed, revoked, and
//! looked up by the hash of the secret a request carries. Issuing and
//! revoking are in the audit trail (`api_token`), never the secret or its hash.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::json;

use super::audit::{self, Change};
use super::{Db, begin_write};
use crate::domain::token::{self, Issue, TokenScope};
use crate::on_db;

/// A token as the users page and `accord token list` show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub label: String,
    pub scope: TokenScope,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// What a request's token grants: whose it is and what it may do, if it
/// is still good.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenGrant {
    pub id: i64,
    pub user_id: i64,
    pub scope: TokenScope,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl TokenGrant {
    /// Not revoked, and not past its expiry at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_deref().is_none_or(|e| stamp(now).as_str() < e)
    }
}

/// A moment as the token columns keep it (RFC 3339 in UTC to the second,
/// so text order is time order).
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Issues a token to `user_id`: the row and its audit entry in one
/// transaction. Answers the id and the token text, which is shown once and
/// kept nowhere.
pub async fn issue(
    pool: &Db,
    actor: Option<i64>,
    client: Option<&str>,
    user_id: i64,
    request: &Issue,
) -> Result<(i64, String), sqlx::Error> {
    let secret = token::new_secret();
    let now = Utc::now();
    let expires = request.days.map(|d| stamp(now + Duration::days(i64::from(d))));
    let mut tx = begin_write(pool).await?;
    let id: i64 = on_db!(tx, |e| {
        sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, label, scope, token_hash, created_at, created_by, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user_id)
        .bind(&request.label)
        .bind(request.scope)
        .bind(token::hash(&secret))
        .bind(stamp(now))
        .bind(actor)
        .bind(&expires)
        .fetch_one(e)
        .await
    })?;
    let after = json!({
        "user_id": user_id,
        "label": request.label,
        "scope": request.scope.code(),
        "expires_at": expires,
    });
    let change = Change {
        user_id: actor,
        entity: "api_token",
        entity_id: Some(id),
        case_id: None,
        action: "create",
        before: None,
        after: Some(audit::with_client(after, client)),
    };
    audit::record(&mut tx.conn(), change).await?;
    tx.commit().await?;
    Ok((id, secret))
}

/// Revokes a token; false when there is no such token or it was revoked
/// already (then nothing is recorded).
pub async fn revoke(pool: &Db, actor: Option<i64>, client: Option<&str>, id: i64) -> Result<bool, sqlx::Error> {
    let now = stamp(Utc::now());
    let mut tx = begin_write(pool).await?;
    let done = on_db!(tx, |e| {
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(&now)
            .bind(id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
    })?;
    if done == 0 {
        return Ok(false);
    }
    let change = Change {
        user_id: actor,
        entity: "api_token",
        entity_id: Some(id),
        case_id: None,
        action: "revoke",
        before: None,
        after: Some(audit::with_client(json!({ "revoked_at": now }), client)),
    };
    audit::record(&mut tx.conn(), change).await?;
    tx.commit().await?;
    Ok(true)
}

/// Every token, newest first; only `user`'s when given.
pub async fn list(pool: &Db, user: Option<i64>) -> Result<Vec<TokenRow>, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT t.id, t.user_id, u.username, t.label, t.scope, t.created_at, t.expires_at,
                    t.last_used_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE $1 IS NULL OR t.user_id = $1
             ORDER BY t.id DESC",
        )
        .bind(user)
        .fetch_all(e)
        .await
    })
}

/// The token whose secret hashes to `hash`, live or not.
pub async fn by_hash(pool: &Db, hash: &str) -> Result<Option<TokenGrant>, sqlx::Error> {
    on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT id, user_id, scope, expires_at, last_used_at, revoked_at FROM api_tokens WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(e)
        .await
    })
}

/// How stale `last_used_at` may grow before a request moves it.
pub const TOUCH_EVERY_SECS: i64 = 60;

/// Whether a use at `now` should be recorded (the last one is older than
/// [`TOUCH_EVERY_SECS`], or there was none).
pub fn wants_touch(grant: &TokenGrant, now: DateTime<Utc>) -> bool {
    let before = stamp(now - Duration::seconds(TOUCH_EVERY_SECS));
    grant.last_used_at.as_deref().is_none_or(|last| last <= before.as_str())
}

/// Records a use at `now`, on `no_wait` (a pool that does not wait for
/// the write lock, see `session_store::no_wait`): a busy database leaves it
/// to a later request, and the caller goes on either way.
pub async fn touch(no_wait: &Db, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let before = stamp(now - Duration::seconds(TOUCH_EVERY_SECS));
    on_db!(no_wait, |e| {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(stamp(now))
        .bind(id)
        .bind(&before)
        .execute(e)
        .await
        .map(|_| ())
    })
}
