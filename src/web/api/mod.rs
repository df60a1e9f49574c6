//! The JSON API (issue 16): `/api/v1/*` for programs (a court's or a street
//! office's system), authenticated by bearer tokens only, errors as RFC 9457
//! problems, described by the OpenAPI document at `/api/openapi.json` and
//! the page `/api/docs`. It sits beside the pages' router, outside their
//! session and CSRF middleware: a session cookie opens nothing here.
//!
//! The document and its page are public, like `/healthz`: they describe the
//! API's shape and hold no data, and a client's developer reads them
//! before they have a token.

mod actions;
mod auth;
mod body;
mod cases;
mod docs;
mod exchange;
mod lists;
mod openapi;
mod paging;
mod problem;
mod records;
mod responses;
mod rollup;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;
pub use auth::RateLimit;
use problem::ApiError;

/// Where version 1 lives.
pub const PREFIX: &str = "/api/v1";

/// A router under [`PREFIX`] that remembers every (method, path) it adds
/// (as `web::routes::Routes` does for the pages), so the permission matrix
/// and the OpenAPI test walk the real list.
struct V1 {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl V1 {
    fn add(mut self, method: &'static str, path: &'static str, route: MethodRouter<AppState>) -> V1 {
        let relative = path.strip_prefix(PREFIX).unwrap_or(path);
        self.router = self.router.route(relative, route);
        self.list.push((method, path));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> V1 {
        self.add("GET", path, get(h))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> V1 {
        self.add("POST", path, post(h))
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> V1 {
        self.add("PUT", path, put(h))
    }
}

/// Every route of version 1. Add new ones here and to `openapi::ApiDoc`.
fn v1() -> V1 {
    V1 {
        router: Router::new(),
        list: Vec::new(),
    }
    .get("/api/v1/cases", cases::list)
    .get("/api/v1/exchange", exchange::export)
    .post("/api/v1/exchange", exchange::import)
    .post("/api/v1/cases", cases::create)
    .get("/api/v1/cases/{id}", cases::show)
    .put("/api/v1/cases/{id}", cases::update)
    .post("/api/v1/cases/{id}/sessions", records::session)
    .post("/api/v1/cases/{id}/visits", records::visit)
    .post("/api/v1/cases/{id}/actions/{action}", actions::act)
    .get("/api/v1/reference", lists::reference)
    .get("/api/v1/stats", lists::figures)
    .add(
        "POST",
        ROLLUP,
        post(rollup::receive).layer(DefaultBodyLimit::max(rollup::BODY_LIMIT)),
    )
}

/// The public routes: the document and its page.
const PUBLIC: [(&str, &str); 2] = [("GET", "/api/openapi.json"), ("GET", "/api/docs")];

/// Every (method, path) of the API, for the permission matrix.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    let mut list = PUBLIC.to_vec();
    list.extend(v1().list);
    list
}

/// The API's router, to merge beside the pages'.
pub fn router(state: &AppState) -> Router<AppState> {
    let guard = Arc::new(auth::Guard {
        rate: RateLimit::default(),
        no_wait: crate::store::session_store::no_wait(&state.pool),
    });
    let v1 = v1()
        .router
        .fallback(async || ApiError::NotFound)
        .method_not_allowed_fallback(async || ApiError::MethodNotAllowed)
        .layer(middleware::from_fn_with_state((state.clone(), guard), auth::middleware))
        // Answers hold personal data: no browser or proxy keeps a copy.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .route(PUBLIC[0].1, get(openapi::document))
        .route(PUBLIC[1].1, get(docs::page))
        .nest(PREFIX, v1)
}

/// The one path a rollup token opens, and only it.
pub const ROLLUP: &str = "/api/v1/rollup";

/// The request body limit on an API path (`web::limit_body` keeps it): a
/// statistics packet may be larger than any other body.
pub fn body_limit(path: &str) -> usize {
    if path == ROLLUP {
        rollup::BODY_LIMIT
    } else {
        super::BODY_LIMIT
    }
}

/// Whether a path is the API's, whose refusals are problems, not pages.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
}

/// 413 as a problem, for a body whose declared length is over the limit
/// (refused before any handler or the token's check).
pub fn too_large(state: &AppState, headers: &axum::http::HeaderMap, path: &str) -> Response {
    ApiError::TooLarge {
        limit: u32::try_from(body_limit(path)).unwrap_or(u32::MAX),
    }
    .pending()
    .respond(auth::problem_language(state, headers), Default::default())
}

/// A JSON answer.
fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}
