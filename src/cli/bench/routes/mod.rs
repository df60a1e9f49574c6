//! Every GET route of the router with the requests that time it: the
//! representative parameters of issue 12 (ranges not aligned to months,
//! filters, two-character names, deep pages, a mediator's own pages).
//! `accord bench` refuses to run while a GET route has no entry here, as
//! the permission matrix test does for roles; a unit test checks it too.
//!
//! A path may hold placeholders the benchmark fills from the database
//! before it starts (see `Setup`): `{case}` a case in mediation with one
//! to five sessions, `{session}` that session, `{settled}` a settled case,
//! `{mediator}` the benchmark's mediator record, `{user}` a user,
//! `{year}` a year with cases, `{failed}` a failed case, `{archived}` an archived
//! case, `{visit_case}` a case with return visits and `{visit}` one of them,
//! `{attachment}` a photo the benchmark attaches to `{settled}`,
//! `{case_query}` the query `case=<{case}'s number>`.
//!
//! The entries live in modules of their own, in the table's order:
//! `front` (sign-in, the dashboard, oversight, reports), `cases` (the case
//! list, a case and its file), `admin` (a mediator's own list, the
//! administration pages, the exports and the JSON API) and `search` (the
//! words people type, issue 14). [`PAGES`] lays them end to end.

mod admin;
mod cases;
mod front;
mod search;
#[cfg(test)]
mod tests;

use crate::domain::joined::{joined, total};

/// Who makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Admin,
    /// A mediator's account, linked to the mediator with the most cases.
    Mediator,
    /// A supervisor at the root association: every committee (issue 15).
    Supervisor,
    /// No cookie at all.
    Anonymous,
    /// The admin's read token for the JSON API (issue 16), no cookie.
    ApiToken,
}

/// One timed request.
#[derive(Clone, Copy)]
pub struct Page {
    /// The route pattern, exactly as `web::route_list()` spells it.
    pub route: &'static str,
    /// What the line of the table says.
    pub name: &'static str,
    pub path: &'static str,
    pub who: Who,
    pub target_ms: f64,
    /// The same work as plain SQL, for the `sqlite3` shell and Datasette.
    pub sql: Option<&'static str>,
}

const fn page(route: &'static str, name: &'static str, path: &'static str) -> Page {
    Page {
        route,
        name,
        path,
        who: Who::Admin,
        target_ms: 100.0,
        sql: None,
    }
}

const fn with_sql(p: Page, sql: &'static str) -> Page {
    Page { sql: Some(sql), ..p }
}

const fn as_(p: Page, who: Who) -> Page {
    Page { who, ..p }
}

const fn target(p: Page, ms: f64) -> Page {
    Page { target_ms: ms, ..p }
}

/// The parts of [`PAGES`], in order.
const PARTS: &[&[Page]] = &[front::FRONT, cases::CASES, admin::ADMIN, search::SEARCH];

/// Every GET route, at least once.
pub const PAGES: &[Page] = &joined::<Page, { total(PARTS) }>(PARTS);

/// The GET routes of `routes` that no entry of [`PAGES`] times.
pub fn missing(routes: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    routes
        .iter()
        .filter(|(method, route)| *method == "GET" && !PAGES.iter().any(|p| p.route == *route))
        .map(|(_, route)| *route)
        .collect()
}

/// Entries naming a route the router does not have (a renamed route).
pub fn stale(routes: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    PAGES
        .iter()
        .filter(|p| !routes.iter().any(|(m, r)| *m == "GET" && *r == p.route))
        .map(|p| p.route)
        .collect()
}
