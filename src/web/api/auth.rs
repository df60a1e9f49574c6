//! Who calls the API: `Authorization: Bearer <token>` and nothing else (no
//! cookie, no session, no CSRF token). The token acts as its user, with the
//! same role, committee and scope of cases as the user's own pages; a
//! read-only token changes nothing. Every use is recorded (at most once a
//! minute per token) and counted against the token's rate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::problem::{ApiError, Pending};
use crate::domain::token::{self, TokenScope};
use crate::domain::{Permission, Role};
use crate::i18n::Lang;
use crate::store::Db;
use crate::store::cases::Scope;
use crate::store::tokens;
use crate::store::users::User;
use crate::web::AppState;

/// The token's user, as a handler sees them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub token_id: i64,
    pub token_scope: TokenScope,
    /// The user's committee holds few of the installation's cases (see
    /// `Scope::committee_leads`).
    narrow_committee: bool,
}

impl Caller {
    /// Which cases the user may see: the same rule as their pages.
    pub fn scope(&self) -> Scope {
        crate::web::context::scope_of(Some(&self.user), self.narrow_committee)
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.user.role().may(permission)
    }

    /// The user, when their role allows this; 403 otherwise.
    pub fn require(&self, permission: Permission) -> Result<&User, ApiError> {
        if self.may(permission) {
            Ok(&self.user)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The user unless a supervisor: the case routes hold personal data,
    /// which a supervisor never sees (issue 15), as their pages are closed.
    pub fn committee_member(&self) -> Result<&User, ApiError> {
        if self.user.role() == Role::Supervisor {
            return Err(ApiError::Forbidden);
        }
        Ok(&self.user)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or(ApiError::Unauthorized)
    }
}

/// Requests per token and minute, counted in this server process's memory:
/// with several servers behind a proxy each counts its own share, so the
/// whole may reach the limit times the servers. A fixed window per token.
#[derive(Default)]
pub struct RateLimit(Mutex<HashMap<i64, (Instant, u32)>>);

impl RateLimit {
    /// Counts one request of `token`; the seconds to wait when over `per_minute`.
    pub fn hit(&self, token: i64, per_minute: u32, now: Instant) -> Result<(), u64> {
        let mut windows = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start).as_secs() < 60);
        }
        let (start, count) = windows.entry(token).or_insert((now, 0));
        let elapsed = now.duration_since(*start).as_secs();
        if elapsed >= 60 {
            *start = now;
            *count = 0;
        }
        if *count >= per_minute {
            return Err((60 - now.duration_since(*start).as_secs()).max(1));
        }
        *count += 1;
        Ok(())
    }
}

/// What the API's middleware keeps between requests.
pub struct Guard {
    pub rate: RateLimit,
    /// A connection that does not wait for the write lock, for `last_used_at`.
    pub no_wait: Db,
}

/// The language of `Accept-Language`: the first of `zh` or `en` by
/// preference (`q`), else `fallback`.
pub fn language(headers: &HeaderMap, fallback: Lang) -> Lang {
    let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return fallback;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in value.split(',') {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let lang = match primary {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(fallback, |(_, l)| l)
}

/// The language of a request's problems: its `Accept-Language`, else the default.
pub fn problem_language(state: &AppState, headers: &HeaderMap) -> Lang {
    language(headers, state.config.default_language)
}

/// The bearer token of a request, if its `Authorization` names one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates the request and renders every problem of the answer.
pub async fn middleware(
    State((state, guard)): State<(AppState, Arc<Guard>)>,
    mut req: Request,
    next: Next,
) -> Response {
    let lang = language(req.headers(), state.config.default_language);
    let method = req.method().clone();
    let path = match req.extensions().get::<OriginalUri>() {
        Some(OriginalUri(uri)) => uri.path(),
        None => req.uri().path(),
    };
    // The whole path: the nested router sees it less `/api/v1`.
    let rollup = path == super::ROLLUP;
    let limit = u32::try_from(super::body_limit(path)).unwrap_or(u32::MAX);
    let response = match authenticate(&state, &guard, req.headers(), &method, rollup).await {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    };
    match response.extensions().get::<Pending>().cloned() {
        Some(pending) => pending.respond(lang, response.headers().clone()),
        // A body that outgrew the limit while a handler read it: axum's
        // rejection is plain text, the API's answer a problem.
        None if response.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge { limit }
            .pending()
            .respond(lang, response.headers().clone()),
        None => response,
    }
}

async fn authenticate(
    state: &AppState,
    guard: &Guard,
    headers: &HeaderMap,
    method: &Method,
    rollup: bool,
) -> Result<Caller, ApiError> {
    let secret = bearer(headers)
        .filter(|t| token::well_formed(t))
        .ok_or(ApiError::Unauthorized)?;
    let grant = tokens::by_hash(&state.pool, &token::hash(secret))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let now = Utc::now();
    if !grant.is_live(now) {
        return Err(ApiError::Unauthorized);
    }
    let user = state
        .user(grant.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or(ApiError::Unauthorized)?;
    let per_minute = state.config.api_rate_per_minute;
    if let Err(retry_after) = guard.rate.hit(grant.id, per_minute, Instant::now()) {
        return Err(ApiError::TooManyRequests {
            retry_after,
            per_minute,
        });
    }
    let reads = matches!(*method, Method::GET | Method::HEAD);
    if !reads && grant.scope == TokenScope::Read {
        return Err(ApiError::ReadOnly);
    }
    if (grant.scope == TokenScope::Rollup) != rollup {
        return Err(ApiError::RollupOnly);
    }
    if tokens::wants_touch(&grant, now)
        && let Err(e) = tokens::touch(&guard.no_wait, grant.id, now).await
    {
        // Busy: a later request records the use; this one goes on.
        tracing::debug!(error = %e, "could not record an API token's use");
    }
    let narrow_committee = state.committee_scope(user.org_id).await?.committee_leads();
    Ok(Caller {
        user,
        token_id: grant.id,
        token_scope: grant.scope,
        narrow_committee,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_of_our_two() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_LANGUAGE, v.parse().unwrap());
            language(&h, Lang::Zh)
        };
        assert_eq!(with("en"), Lang::En);
        assert_eq!(with("en-US,en;q=0.9"), Lang::En);
        assert_eq!(with("fr, zh-CN;q=0.8, en;q=0.5"), Lang::Zh);
        assert_eq!(with("de"), Lang::Zh);
        assert_eq!(language(&HeaderMap::new(), Lang::En), Lang::En);
    }

    #[test]
    fn a_token_over_its_minute_waits_for_the_window_to_turn() {
        let limit = RateLimit::default();
        let start = Instant::now();
        assert!(limit.hit(1, 2, start).is_ok());
        assert!(limit.hit(1, 2, start).is_ok());
        let wait = limit.hit(1, 2, start).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limit.hit(2, 2, start).is_ok(), "another token has its own count");
        assert!(limit.hit(1, 2, start + std::time::Duration::from_secs(61)).is_ok());
    }
}
