//! A router builder that remembers every (method, path) it adds, so the
//! permission-matrix test can walk the application's real route list.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{get, post};

use super::AppState;

#[derive(Default)]
pub struct Routes {
    pub router: Router<AppState>,
    /// Every route added: ("GET" | "POST", path pattern).
    pub list: Vec<(&'static str, &'static str)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.list.push(("GET", path));
        self
    }

    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.list.push(("POST", path));
        self
    }
}
