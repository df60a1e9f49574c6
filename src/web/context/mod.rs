//! Per-request context: who is signed in, their language, the CSRF token,
//! and a one-time notice. Also the CSRF check and the sign-in gate.
//!
//! The session is read and written here, not by tower-sessions' layer, so
//! that a write refused by a busy database answers the busy page (or, for a
//! change that can wait, nothing at all) instead of a bare 500.
//!
//! Only a signed-in visitor has a session row. The language and an
//! anonymous visitor's CSRF token live in cookies of their own (the token is
//! a double-submit cookie: a cross-site page can neither read nor set it), so
//! nobody fills `http_sessions` by fetching `/login`. So does the one-time
//! notice: kept in the session, it cost two writes per change (one to leave
//! it, one to take it away when shown), each waiting for the one write lock
//! behind everyone else's changes (issue 12: the soak's p99).
//!
//! Here the context and what a handler asks of it; the middleware that
//! builds it for each request, and writes the session after, in `request`.

mod request;

pub use request::context;

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use std::sync::Arc;

use tower_sessions::Session;

use super::cookies::cookie;
use super::error::AppError;
use super::forms::new_token;
use crate::domain::{Permission, Role};
use crate::i18n::{Label, Lang, Msg};
use crate::store::cases::Scope;
use crate::store::users::User;

const USER_KEY: &str = "user_id";
const CSRF_KEY: &str = "csrf";
/// The one-time notice, as its place in `Msg::ALL`: nothing secret, and
/// a forged one only shows another of our own notices.
const FLASH_COOKIE: &str = "accord_flash";
/// The anonymous visitor's CSRF token.
const CSRF_COOKIE: &str = "accord_csrf";
/// The chosen language, signed in or not.
const LANG_COOKIE: &str = "accord_lang";
/// The session's id, for a signed-in visitor.
const SESSION_COOKIE: &str = "accord_session";

/// What a handler knows about the request's visitor.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: Option<User>,
    pub lang: Lang,
    /// The token every form must echo in `csrf_token`.
    pub csrf: String,
    /// A one-time notice from the previous action.
    pub flash: Option<Msg>,
    /// The request path and query, for "back here after sign-in".
    pub path: String,
    pub session: Session,
    /// The client's address (see `web::client`).
    pub client: IpAddr,
    /// Whether cookies set for this visitor are marked Secure.
    secure_cookies: bool,
    /// The user's committee holds few of the installation's cases (see
    /// [`Scope::committee_leads`]).
    narrow_committee: bool,
    /// The notice the handler left for the next page (see [`Ctx::flash`]),
    /// shared by the handler's copy of the context and the middleware's.
    next_flash: Arc<std::sync::Mutex<Option<Msg>>>,
}

impl Ctx {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    /// A code's label in the visitor's language.
    pub fn label(&self, value: impl Label) -> &'static str {
        value.label(self.lang)
    }

    /// The signed-in user; routes behind `require_user` always have one.
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Forbidden)
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(User::role)
    }

    /// Whether the signed-in user's role allows this.
    pub fn may(&self, permission: Permission) -> bool {
        self.role().is_some_and(|r| r.may(permission))
    }

    /// The signed-in user, when their role allows this; 403 otherwise.
    pub fn require(&self, permission: Permission) -> Result<&User, AppError> {
        match &self.user {
            Some(u) if u.role().may(permission) => Ok(u),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The committee the signed-in user works in (their organisation; an
    /// association for a supervisor). Routes behind `require_user` always
    /// have a user.
    pub fn committee_id(&self) -> Result<i64, AppError> {
        Ok(self.user()?.org_id)
    }

    /// Which cases the user may see: their committee's, and of those a
    /// mediator only their own.
    pub fn scope(&self) -> Scope {
        scope_of(self.user.as_ref(), self.narrow_committee)
    }

    /// Leaves a notice for the next page shown, in a cookie of its own.
    pub async fn flash(&self, msg: Msg) -> Result<(), AppError> {
        *self
            .next_flash
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(msg);
        Ok(())
    }

    /// The `Set-Cookie` header of the notice left for the next page; or,
    /// after a page that showed one, the header that takes it away.
    fn flash_cookie(&self) -> Option<HeaderValue> {
        let next = *self
            .next_flash
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match next {
            Some(msg) => {
                let index = Msg::ALL.iter().position(|m| *m == msg).unwrap_or(0);
                Some(cookie(FLASH_COOKIE, &index.to_string(), self.secure_cookies, None))
            }
            None if self.flash.is_some() => Some(cookie(FLASH_COOKIE, "", self.secure_cookies, Some(0))),
            None => None,
        }
    }

    /// Signs the user in: a new session id, then the user's id.
    pub async fn sign_in(&self, user_id: i64) -> Result<(), AppError> {
        self.session.cycle_id().await?;
        self.session.insert(USER_KEY, user_id).await?;
        // A fresh token too, so a token seen before sign-in is worthless after.
        self.session.insert(CSRF_KEY, new_token()).await?;
        Ok(())
    }

    /// Signs out: the session is deleted on the server.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        self.session.flush().await?;
        Ok(())
    }

    /// The `Set-Cookie` header that keeps a chosen language for a year.
    pub fn lang_cookie(&self, lang: Lang) -> (header::HeaderName, HeaderValue) {
        let value = cookie(LANG_COOKIE, lang.code(), self.secure_cookies, Some(365 * 24 * 3600));
        (header::SET_COOKIE, value)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("context middleware missing".into()))
    }
}

/// Which cases a user may see: their committee's, and of those a mediator
/// only their own; a supervisor's, the committees under their association.
/// The one rule for pages and API tokens alike. `narrow`: the user's
/// committee holds few of the installation's cases ([`Scope::committee_leads`]).
pub fn scope_of(user: Option<&User>, narrow: bool) -> Scope {
    match user {
        Some(u) if u.role() == Role::Mediator => Scope::Mediator {
            committee_id: u.org_id,
            user_id: u.id,
            mediator_id: u.mediator_id,
        },
        Some(u) if u.role() == Role::Supervisor => Scope::Subtree(u.org_id),
        Some(u) => Scope::Committee { id: u.org_id, narrow },
        // No user never reaches a case route; see nothing to be safe.
        None => Scope::Mediator {
            committee_id: -1,
            user_id: -1,
            mediator_id: None,
        },
    }
}
