//! A supervisor's pages (issue 15): the added-up figures of the committees
//! under their association, per committee and in total, and their cases
//! without personal data. Everything else is shut to them by
//! [`keep_supervisors_out`], so a page added later is closed to a
//! supervisor until it is listed here.

use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::routes::Routes;
use super::super::views::oversight::{self as view, CasesView, OversightView};
use super::{AppError, AppResult, AppState, Ctx, figures};
use crate::domain::Period;
use crate::domain::stats::{Breakdowns, Row};
use crate::domain::{Permission, Role};
use crate::store::cases::Scope;
use crate::store::{orgs, stats};

pub fn routes(r: Routes) -> Routes {
    r.get("/oversight", dashboard).get("/oversight/cases", cases)
}

/// Paths a supervisor may open (besides signing out and the language,
/// which are not behind the sign-in gate): their own pages, the annual
/// report and the statistics CSV. Exact paths, or a prefix ending in `/`.
const OPEN_TO_SUPERVISORS: &[&str] = &[
    "/oversight",
    "/oversight/cases",
    "/reports",
    "/reports/",
    "/export/stats.csv",
];

/// Sends a supervisor to their own pages: `/` and `/dashboard` to
/// `/oversight`, any other page of a committee (cases, lists, exports of
/// cases, documents, attachments, mediators, administration) 403.
pub async fn keep_supervisors_out(req: Request, next: Next) -> Response {
    let supervisor = req
        .extensions()
        .get::<Ctx>()
        .is_some_and(|ctx| ctx.role() == Some(Role::Supervisor));
    if !supervisor {
        return next.run(req).await;
    }
    let path = req.uri().path();
    if path == "/" || path == "/dashboard" {
        return Redirect::to("/oversight").into_response();
    }
    let open = OPEN_TO_SUPERVISORS
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p) && !path[p.len()..].contains('/')));
    if open {
        next.run(req).await
    } else {
        AppError::Forbidden.into_response()
    }
}

/// What a supervisor asked to see: their association's committees, or one
/// of them (`?committee=ID`; any other id is 404).
pub struct Chosen {
    /// The supervisor's organisation.
    pub org: i64,
    pub org_name: String,
    /// Every committee under it, `(id, name)`.
    pub committees: Vec<(i64, String)>,
    /// The one committee asked for.
    pub committee: Option<i64>,
    /// Whose cases the figures count.
    pub scope: Scope,
}

impl Chosen {
    /// The per-committee rows to show: all of them, or the one asked for.
    pub fn rows(&self, rows: Vec<Row>) -> Vec<Row> {
        match self.committee {
            None => rows,
            Some(id) => rows.into_iter().filter(|r| r.key == id.to_string()).collect(),
        }
    }
}

pub async fn chosen(state: &AppState, ctx: &Ctx, pairs: &[(String, String)]) -> AppResult<Chosen> {
    let user = ctx.require(Permission::Oversee)?;
    let org = user.org_id;
    let org_name = orgs::get(&state.pool, org).await?.map(|o| o.name).unwrap_or_default();
    let committees = stats::subtree_committees(&state.pool, org).await?;
    let asked = pairs
        .iter()
        .find(|(k, _)| k == "committee")
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty());
    let committee = match asked {
        None => None,
        Some(v) => {
            let id: i64 = v.parse().map_err(|_| AppError::NotFound)?;
            if !committees.iter().any(|(c, _)| *c == id) {
                return Err(AppError::NotFound);
            }
            Some(id)
        }
    };
    let scope = match committee {
        Some(id) => state.committee_scope(id).await?,
        None => stats::rollup_scope(&state.pool, org).await?,
    };
    Ok(Chosen {
        org,
        org_name,
        committees,
        committee,
        scope,
    })
}

/// A supervisor's breakdowns for the statistics CSV: the dashboard's own
/// figures, kept while the data stands (300 committees' lines read afresh
/// took 110 ms at a million cases), with a line per committee.
pub async fn breakdowns(state: &AppState, chosen: &Chosen, period: &Period) -> AppResult<Breakdowns> {
    let figures = figures(state, period, chosen.scope, Some(chosen.org)).await?;
    let mut breakdowns = figures.stats.breakdowns.clone();
    breakdowns.by_committee = chosen.rows(std::mem::take(&mut breakdowns.by_committee));
    Ok(breakdowns)
}

/// `/oversight`: the dashboard of the committees under the association.
async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let chosen = chosen(&state, &ctx, &pairs).await?;
    let (form, period) = super::read_period(&pairs);
    let figures = figures(&state, &period, chosen.scope, Some(chosen.org)).await?;
    let refs = state.refs().await?;
    let by_committee = chosen.rows(figures.stats.breakdowns.by_committee.clone());
    let v = OversightView {
        org_name: &chosen.org_name,
        committees: &chosen.committees,
        committee: chosen.committee,
        stats: &figures.stats,
        cumulative: &figures.cumulative,
        by_committee: &by_committee,
        refs: &refs,
        years: &figures.years,
        form: &form,
    };
    let status = if form.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, view::page(&ctx, &v)).into_response())
}

/// `/oversight/cases`: the cases, without personal data.
async fn cases(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let chosen = chosen(&state, &ctx, &pairs).await?;
    let page = pairs
        .iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, stats::OVERSIGHT_PAGES);
    let committees = match (chosen.committee, chosen.scope) {
        (Some(id), _) => stats::Committees::One(id),
        (None, Scope::All) => stats::Committees::All,
        (None, _) => stats::Committees::Under(chosen.org),
    };
    let (rows, more) = stats::oversight_cases(&state.pool, committees, page).await?;
    let refs = state.refs().await?;
    let v = CasesView {
        committees: &chosen.committees,
        committee: chosen.committee,
        rows: &rows,
        refs: &refs,
        page,
        more,
    };
    Ok(view::cases_page(&ctx, &v).into_response())
}
