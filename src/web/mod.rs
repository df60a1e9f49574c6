//! The web application: state, router and the middleware every request
//! passes through (session, context, CSRF, sign-in, security headers).
//!
//! Here the state and the router; the state's caches in `caches`, the
//! body limit and the panic page in `layers`, the routes of no resource
//! (home, health check, stylesheet) in `site`.

mod admin;
// The JSON API (issue 16)
mod api;
mod attachments;
mod auth;
mod backup;
mod caches;
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
mod layers;
mod list_counts;
mod mediators;
mod my;
mod official;
mod roster;
pub mod routes;
mod site;
mod transfers;
mod views;
mod workflow;

use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Config;
use crate::store::session_store::SqliteSessionStore;

use caches::{NarrowCache, RefCache, UserCache};
pub use context::Ctx;
pub use error::{AppError, AppResult};
pub use forms::{FormPairs, TokenInBody};
pub use ids::{CaseId, Id, RecordId};
pub use layers::BODY_LIMIT;
use layers::{limit_body, panic_response};
use routes::Routes;
use site::{healthz, home, stylesheet};

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
    /// Recently read users, by id (see [`USER_CACHE_FOR`](caches::USER_CACHE_FOR)).
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

    /// The committee `id` numbers cases with (its prefix, or the configured
    /// one for the first committee); 404 when `id` is no committee.
    pub async fn committee(&self, id: i64) -> Result<crate::store::orgs::Committee, AppError> {
        crate::store::orgs::committee(&self.pool, id, &self.config.case_prefix)
            .await?
            .ok_or(AppError::NotFound)
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
