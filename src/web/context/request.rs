//! The context middleware: the visitor's session, language, token and
//! notice read into a [`Ctx`], every POST's CSRF token checked, error pages
//! rendered in the visitor's language, and the session written after.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use tower_sessions::session::Id;
use tower_sessions::{Expiry, Session};

use super::{CSRF_COOKIE, CSRF_KEY, Ctx, FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE, USER_KEY};
use crate::domain::Role;
use crate::i18n::{Lang, Msg};
use crate::store::session_store::{self, SqliteSessionStore};
use crate::web::cookies::{cookie, read_cookie};
use crate::web::error::{AppError, ErrorKind};
use crate::web::forms::{FormPairs, TokenInBody, new_token, same_token};
use crate::web::layers::checks_own_token;
use crate::web::{AppState, BODY_LIMIT, views};

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
    let client = crate::web::client::client_ip(req.headers(), req.extensions(), &state.config.trusted_proxies);
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
