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

use std::net::IpAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use tower_sessions::session::Id;
use tower_sessions::{Expiry, Session};

use super::cookies::{cookie, read_cookie};
use super::error::{AppError, ErrorKind};
use super::forms::{FormPairs, TokenInBody, new_token, same_token};
use super::{AppState, BODY_LIMIT, checks_own_token, views};
use crate::domain::{Permission, Role};
use crate::i18n::{Label, Lang, Msg};
use crate::store::cases::Scope;
use crate::store::session_store::{self, SqliteSessionStore};
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

/// Builds the context, checks the CSRF token of every POST, and renders
/// error pages in the visitor's language.
pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let had_token_cookie = anonymous_token(req.headers()).is_some();
    let session_cookie = read_cookie(req.headers(), SESSION_COOKIE);
    let Some(store) = req.extensions().get::<Arc<SqliteSessionStore>>().cloned() else {
        tracing::error!("the session store is missing");
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let id = session_cookie.as_deref().and_then(|v| v.parse::<Id>().ok());
    let session = Session::new(id, store, Some(Expiry::OnSessionEnd));
    let (ctx, mut response) = match build(&state, session, req).await {
        Ok((ctx, req)) => {
            let response = next.run(req).await;
            let response = match response.extensions().get::<ErrorKind>().copied() {
                Some(kind) => views::error::page(&ctx, kind).into_response(),
                None => response,
            };
            (ctx, response)
        }
        Err((ctx, kind)) => {
            let response = views::error::page(&ctx, kind).into_response();
            (ctx, response)
        }
    };
    if let Some(value) = ctx.flash_cookie() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    // An anonymous visitor's fresh token goes to their cookie.
    if ctx.user.is_none() && !had_token_cookie && !ctx.csrf.is_empty() {
        let value = cookie(CSRF_COOKIE, &ctx.csrf, ctx.secure_cookies, None);
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    store_session(&ctx, response, session_cookie.is_some()).await
}

/// Writes the session if the request changed it, and sets or removes its
/// cookie. A busy database refuses the write: a new session (a sign-in)
/// answers the busy page, as the visitor would not really be signed in; a
/// change to an existing one (a disabled user let go, a missing token
/// added) waits for a later request and the page stands.
async fn store_session(ctx: &Ctx, mut response: Response, had_cookie: bool) -> Response {
    let session = &ctx.session;
    if session.is_empty().await {
        if had_cookie {
            let gone = cookie(SESSION_COOKIE, "", ctx.secure_cookies, Some(0));
            response.headers_mut().append(header::SET_COOKIE, gone);
        }
        return response;
    }
    if !session.is_modified() || response.status().is_server_error() {
        return response;
    }
    let is_new = session.id().is_none();
    match session.save().await {
        Ok(()) => {
            if let Some(id) = session.id() {
                let value = cookie(SESSION_COOKIE, &id.to_string(), ctx.secure_cookies, None);
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(e) if session_store::is_busy(&e) && !is_new => {
            tracing::warn!("the database is busy: a session change waits for a later request");
            response
        }
        Err(e) => {
            let kind = match AppError::from(e) {
                AppError::Busy => ErrorKind::Busy,
                other => {
                    tracing::error!(error = %other, "could not save the session");
                    ErrorKind::Internal
                }
            };
            views::error::page(ctx, kind).into_response()
        }
    }
}

/// The anonymous visitor's CSRF token cookie, when well-formed.
fn anonymous_token(headers: &HeaderMap) -> Option<String> {
    read_cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn build(state: &AppState, session: Session, req: Request) -> Result<(Ctx, Request), (Ctx, ErrorKind)> {
    let is_get = req.method() == Method::GET;
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let client = super::client::client_ip(req.headers(), req.extensions(), &state.config.trusted_proxies);
    let lang = read_cookie(req.headers(), LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or(state.config.default_language);
    let anonymous_csrf = anonymous_token(req.headers());
    // Shown by the next page, and by only one: a GET takes it away.
    let flash = read_cookie(req.headers(), FLASH_COOKIE)
        .filter(|_| is_get)
        .and_then(|v| v.parse::<usize>().ok())
        .and_then(|i| Msg::ALL.get(i).copied());
    let base = Ctx {
        user: None,
        lang,
        csrf: String::new(),
        flash,
        path,
        session,
        client,
        secure_cookies: state.config.secure_cookies,
        narrow_committee: false,
        next_flash: Arc::default(),
    };
    let loaded = load(state, base.clone(), anonymous_csrf).await;
    let ctx = match loaded {
        Ok(ctx) => ctx,
        Err(e) => {
            tracing::error!(error = %e, "could not load the session");
            let kind = match e {
                AppError::Busy => ErrorKind::Busy,
                _ => ErrorKind::Internal,
            };
            return Err((
                Ctx {
                    path: "/".into(),
                    ..base
                },
                kind,
            ));
        }
    };
    let (mut parts, body) = req.into_parts();
    if parts.method == Method::POST {
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let (pairs, body) = if is_form {
            let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
                return Err((ctx, ErrorKind::TooLarge));
            };
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            (pairs, Body::from(bytes))
        } else {
            (Vec::new(), body)
        };
        // Scripts may send the token in the query string or a header.
        let query_token = parts.uri.query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "csrf_token")
                .map(|(_, v)| v)
        });
        let header_token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.clone())
            .or(query_token)
            .or(header_token);
        let is_multipart = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        match sent {
            Some(t) if same_token(&t, &ctx.csrf) => {}
            // The handler reads the token from the body before anything else.
            None if is_multipart && checks_own_token(parts.uri.path()) => {
                parts.extensions.insert(TokenInBody);
            }
            _ => {
                tracing::warn!(path = %parts.uri.path(), "refused a POST without a valid CSRF token");
                return Err((ctx, ErrorKind::Csrf));
            }
        }
        parts.extensions.insert(FormPairs(pairs));
        let mut req = Request::from_parts(parts, body);
        req.extensions_mut().insert(ctx.clone());
        return Ok((ctx, req));
    }
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(ctx.clone());
    Ok((ctx, req))
}

/// Reads the session (never writing it unless its data changes) into the
/// context. `anonymous_csrf` is the token cookie, if the browser sent one.
async fn load(state: &AppState, base: Ctx, anonymous_csrf: Option<String>) -> Result<Ctx, AppError> {
    let session = base.session.clone();
    let user = match session.get::<i64>(USER_KEY).await? {
        Some(id) => match state.user(id).await? {
            Some(u) if u.active => Some(u),
            _ => {
                // A disabled or vanished user is signed out on the server.
                session.remove::<i64>(USER_KEY).await?;
                None
            }
        },
        None => None,
    };
    let csrf = match (&user, session.get::<String>(CSRF_KEY).await?) {
        (Some(_), Some(token)) => token,
        (Some(_), None) => {
            let token = new_token();
            session.insert(CSRF_KEY, &token).await?;
            token
        }
        (None, _) => anonymous_csrf.unwrap_or_else(new_token),
    };
    let narrow_committee = match &user {
        Some(u) if !matches!(u.role(), Role::Mediator | Role::Supervisor) => {
            state.committee_scope(u.org_id).await?.committee_leads()
        }
        _ => false,
    };
    Ok(Ctx {
        user,
        csrf,
        narrow_committee,
        ..base
    })
}
