//! The web application: state, router and the middleware every request
//! passes through (session, context, CSRF, sign-in, security headers).

mod admin;
// The JSON API (issue 16)
mod api;
mod attachments;
mod auth;
mod backup;
mod cases;
mod client;
mod context;
mod cookies;
mod dashboard;
mod documents;
pub mod error;
mod export;
mod forms;
mod gate;
mod ids;
mod import;
mod list_counts;
mod mediators;
mod my;
mod official;
mod roster;
pub mod routes;
mod transfers;
mod views;
mod workflow;

use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::reference::RefLists;
use crate::store::session_store::SqliteSessionStore;

pub use context::Ctx;
pub use error::{AppError, AppResult};
pub use forms::{FormPairs, TokenInBody};
pub use ids::{CaseId, Id, RecordId};
use routes::Routes;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The SQLite pool.
    pub pool: crate::store::Db,
    /// Settings, read once at start-up.
    pub config: Arc<Config>,
    /// Where "today" comes from; tests fix it.
    pub clock: Clock,
    /// The bounded pool every password hash of the web runs in.
    pub hashing: Arc<crate::password::HashPool>,
    /// One sign-in at a time per client address.
    pub sign_in_gate: Arc<client::SignInGate>,
    /// The reference lists, read once and kept until an admin changes them.
    refs: Arc<RefCache>,
    /// Recently read users, by id (see [`USER_CACHE_FOR`]).
    users: Arc<UserCache>,
    /// Dashboards' figures, kept while the data version stands.
    dashboards: Arc<dashboard::Cache>,
    /// The case list's counts (no text search), kept while the data version stands.
    list_counts: Arc<list_counts::Counts>,
    /// Which committees hold few of the installation's cases, by id, with
    /// when it was read (see [`AppState::committee_scope`]).
    narrow: Arc<NarrowCache>,
    /// Each committee's mediators, kept while their counter stands.
    pub roster: Arc<roster::Roster>,
}

/// How long whether a committee holds few cases is reused: it moves only
/// as cases are added by the thousand.
const NARROW_FOR: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Default)]
struct NarrowCache(std::sync::Mutex<std::collections::HashMap<i64, (bool, std::time::Instant)>>);

/// How long a signed-in user's row read for a request is reused by the
/// next ones (issue 12: one query less per request). Changes made here
/// drop the copies at once ([`AppState::users_changed`]); a change by
/// another process (`accord user …`) takes effect within this time.
const USER_CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Default)]
struct UserCache(std::sync::Mutex<std::collections::HashMap<i64, (crate::store::users::User, std::time::Instant)>>);

/// The cached reference lists and a generation counter: a load that
/// started before a change is never stored after it.
#[derive(Default)]
struct RefCache(std::sync::Mutex<(u64, Option<Arc<RefLists>>)>);

impl AppState {
    pub fn new(pool: crate::store::Db, config: Config, clock: Clock) -> AppState {
        let hashing = crate::password::HashPool::new(config.hash_workers as usize, config.hash_queue as usize);
        AppState {
            users: Arc::default(),
            pool,
            config: Arc::new(config),
            clock,
            hashing: Arc::new(hashing),
            sign_in_gate: Arc::default(),
            refs: Arc::default(),
            dashboards: Arc::default(),
            list_counts: Arc::default(),
            narrow: Arc::default(),
            roster: Arc::default(),
        }
    }

    /// The reference lists (categories, sources, party types, districts),
    /// from memory after the first request: every page shows their labels,
    /// and only [`AppState::refs_changed`] after an admin's change moves them.
    pub async fn refs(&self) -> Result<Arc<RefLists>, sqlx::Error> {
        let generation = {
            let cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(lists) = &cache.1 {
                return Ok(lists.clone());
            }
            cache.0
        };
        let lists = Arc::new(crate::store::reference::load(&self.pool).await?);
        let mut cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.0 == generation {
            cache.1 = Some(lists.clone());
        }
        Ok(lists)
    }

    /// A user by id, from memory when read in the last two seconds.
    pub async fn user(&self, id: i64) -> Result<Option<crate::store::users::User>, sqlx::Error> {
        let lock = || self.users.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((user, read_at)) = lock().get(&id)
            && read_at.elapsed() < USER_CACHE_FOR
        {
            return Ok(Some(user.clone()));
        }
        let user = crate::store::users::by_id(&self.pool, id).await?;
        let mut cache = lock();
        match &user {
            Some(u) => {
                if cache.len() >= 10_000 {
                    cache.clear();
                }
                cache.insert(id, (u.clone(), std::time::Instant::now()));
            }
            None => {
                cache.remove(&id);
            }
        }
        Ok(user)
    }

    /// After an admin changed a user: every request reads users afresh.
    pub fn users_changed(&self) {
        self.users
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// The committee `id` numbers cases with (its prefix, or the configured
    /// one for the first committee); 404 when `id` is no committee.
    pub async fn committee(&self, id: i64) -> Result<crate::store::orgs::Committee, AppError> {
        crate::store::orgs::committee(&self.pool, id, &self.config.case_prefix)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The scope of committee `id`'s cases, knowing whether they are few
    /// among the installation's ([`crate::store::cases::committee_is_narrow`], kept for
    /// [`NARROW_FOR`]). Only how queries are planned depends on it.
    pub async fn committee_scope(&self, id: i64) -> Result<crate::store::cases::Scope, sqlx::Error> {
        let kept = self
            .narrow
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .filter(|(_, at)| at.elapsed() < NARROW_FOR)
            .map(|(narrow, _)| *narrow);
        let narrow = match kept {
            Some(narrow) => narrow,
            None => {
                let narrow = crate::store::cases::committee_is_narrow(&self.pool, id).await?;
                self.narrow
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(id, (narrow, std::time::Instant::now()));
                narrow
            }
        };
        Ok(crate::store::cases::Scope::Committee { id, narrow })
    }

    /// Forgets the cached reference lists: the next request reads them.
    pub fn refs_changed(&self) {
        let mut cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.0 += 1;
        cache.1 = None;
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today(self.config.timezone)
    }

    /// Today and the mediation limit, for the deadline flags.
    pub fn deadlines(&self) -> crate::domain::Deadlines {
        crate::domain::Deadlines::new(self.today(), self.config.mediation_limit_days)
    }
}

/// Largest request body accepted (forms; the CSV upload has its own).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Multipart routes whose handler checks the `csrf_token` body field itself,
/// first thing, with [`TokenInBody::check`] (the context middleware does not
/// parse multipart bodies): the CSV import and the attachment upload. Keep them few.
fn checks_own_token(path: &str) -> bool {
    path == import::PATH || attachments::is_upload_path(path)
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Every route behind sign-in. Add a resource module's routes here.
fn signed_in_routes(r: Routes) -> Routes {
    let r = r.get("/", home);
    let r = cases::routes(r);
    let r = mediators::routes(r);
    let r = workflow::routes(r);
    // case file: attachments
    let r = attachments::routes(r);
    // case file: documents and dossiers (issue 13)
    let r = documents::routes(r);
    let r = my::routes(r);
    let r = dashboard::routes(r);
    let r = export::routes(r);
    let r = import::routes(r);
    let r = backup::routes(r);
    let r = admin::users::routes(r);
    let r = admin::orgs::routes(r);
    let r = admin::reference::routes(r);
    let r = transfers::routes(r);
    // The official statistics report and its mapping (issue 16).
    let r = official::routes(r);
    admin::audit::routes(r)
}

/// Every (method, path) the application answers, for the permission matrix.
/// `/healthz` and `/static/app.css` are public and listed too.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    let mut list = vec![("GET", "/healthz"), ("GET", "/static/app.css")];
    list.extend(auth::routes(Routes::new()).list);
    list.extend(signed_in_routes(Routes::new()).list);
    list.extend(api::route_list());
    list
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let idle = std::time::Duration::from_secs(u64::from(state.config.session_idle_minutes) * 60);
    // The store keeps the idle expiry on the server (extending it without
    // rewriting the session); the cookie lasts until the browser closes.
    // The context middleware reads and writes sessions itself (see `context`).
    let sessions = axum::Extension(std::sync::Arc::new(SqliteSessionStore::new(state.pool.clone(), idle)));

    let signed_in = signed_in_routes(Routes::new())
        .router
        .route_layer(middleware::from_fn(gate::require_user))
        .route_layer(middleware::from_fn(dashboard::keep_supervisors_out));

    let app = Router::new()
        .merge(signed_in)
        .merge(auth::routes(Routes::new()).router)
        .fallback(gate::fallback)
        // A bug that panics still answers with the error page, not a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(state.clone(), context::context))
        .layer(sessions)
        // Pages and downloads hold personal data: no browser or proxy keeps
        // a copy. Only the public stylesheet (outside this router) is cached.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(stylesheet))
        // The JSON API: bearer tokens, outside the pages' session and CSRF.
        .merge(api::router(&state))
        .merge(app)
        .layer(middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map(MatchedPath::as_str)
                .unwrap_or("?");
            tracing::info_span!("request", method = %req.method(), path)
        }))
        .with_state(state)
}

/// The request body limit: [`BODY_LIMIT`], or the CSV upload's, the
/// attachment upload's and the statistics packets' own on their paths. A declared length over it is
/// refused at once; a body without one fails when it outgrows it, before
/// anything is buffered past the limit.
async fn limit_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let limit = if path == import::PATH {
        import::BODY_LIMIT
    } else if attachments::is_upload_path(path) {
        state.config.max_upload_request_bytes()
    } else if api::is_api_path(path) {
        api::body_limit(path)
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    // An upload too large is refused by its handler, with a page that says why.
    if declared.is_some_and(|n| n > limit as u64) && !attachments::is_upload_path(path) {
        // The API answers every refusal as a problem (RFC 9457).
        if api::is_api_path(path) {
            return api::too_large(&state, req.headers(), path);
        }
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    AppError::Internal("panic".into()).into_response()
}

/// Each role's home: the secretary's dashboard, the mediator's own work.
async fn home(ctx: Ctx) -> axum::response::Redirect {
    let to = match ctx.role() {
        Some(crate::domain::Role::Secretary) => "/dashboard",
        Some(crate::domain::Role::Mediator) => "/my",
        _ => "/cases",
    };
    axum::response::Redirect::to(to)
}

/// 200 `ok` while the database answers.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    match crate::on_db!(state.pool, |e| sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(e)
        .await)
    {
        Ok(_) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("assets/app.css"),
    )
}
