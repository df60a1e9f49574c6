//! The dashboard (`/dashboard`) and the annual report (`/reports/{year}`).
//!
//! Admins and secretaries see every case. A mediator opening the dashboard
//! sees the same page over their own cases only (what they would expect
//! from "my figures"), with a note saying so; the annual report is the
//! association's publication, so it is for admins and secretaries (403).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};

use super::routes::Routes;
use super::views::dashboard::{self as view, DashboardView, PeriodForm};
use super::views::report::{self, ReportView};
use super::{AppError, AppResult, AppState, Ctx};
use crate::domain::period::PeriodError;
use crate::domain::{CaseFilter, Period, Permission};
use crate::i18n::Msg;
use crate::store::cases::Scope;
use crate::store::stats;
pub use cache::Cache;
use cache::Figures;

mod cache;
mod oversight;
pub use oversight::{
    Chosen as OversightChoice, breakdowns as oversight_breakdowns, chosen as oversight_chosen, keep_supervisors_out,
};

/// Overdue cases listed on the dashboard; the case list shows them all.
const OVERDUE_SHOWN: i64 = 20;

/// The dashboard's figures: from the cache while nothing has changed.
/// With `rollup` (a supervisor's organisation), each committee under it too,
/// in `breakdowns.by_committee`.
async fn figures(state: &AppState, period: &Period, scope: Scope, rollup: Option<i64>) -> AppResult<Arc<Figures>> {
    let began = Instant::now();
    let key = format!("{period:?}|{scope:?}|{rollup:?}|{}", state.today());
    let version = stats::data_version(&state.pool).await?;
    let read = |read_from| async move {
        let d = state.deadlines();
        // Read again after the turn: the figures show at least this version.
        let version = stats::data_version(&state.pool).await?;
        let filter = CaseFilter::default();
        let mut stats = stats::stats(&state.pool, period, &filter, scope, d).await?;
        if let Some(org) = rollup {
            stats.breakdowns.by_committee = stats::by_committee(&state.pool, period, org).await?;
        }
        let cumulative = match period {
            Period::All => stats.totals.clone(),
            _ => stats::totals(&state.pool, &Period::All, &filter, scope, d).await?,
        };
        let overdue = stats::overdue(&state.pool, period, &filter, scope, d, OVERDUE_SHOWN).await?;
        let years = stats::years(&state.pool).await?;
        Ok::<_, AppError>(Figures {
            read_from,
            version,
            stats,
            cumulative,
            overdue,
            years,
        })
    };
    state.dashboards.get_or_read(&key, began, version, read).await
}

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/dashboard", dashboard)
        .get("/reports", reports)
        .get("/reports/{year}", annual_report);
    oversight::routes(r)
}

async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (form, period) = read_period(&pairs);
    let scope = ctx.scope();
    let figures = figures(&state, &period, scope, None).await?;
    let refs = state.refs().await?;
    let v = DashboardView {
        stats: &figures.stats,
        cumulative: &figures.cumulative,
        overdue: &figures.overdue,
        refs: &refs,
        years: &figures.years,
        form: &form,
        today: state.today(),
        mine_only: matches!(scope, Scope::Mediator { .. }),
        reports: ctx.may(Permission::ReadReports),
    };
    let status = if form.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, view::page(&ctx, &v)).into_response())
}

/// `/reports`: this year's report.
async fn reports(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if !ctx.may(Permission::Oversee) {
        ctx.require(Permission::ReadReports)?;
    }
    Ok(Redirect::to(&format!("/reports/{}", state.today().year())).into_response())
}

/// The annual report of the user's committee; a supervisor's is that of
/// the committees under their association (or of one, `?committee=`),
/// with a line for each.
async fn annual_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(year): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let oversight = if ctx.may(Permission::Oversee) {
        Some(oversight::chosen(&state, &ctx, &pairs).await?)
    } else {
        ctx.require(Permission::ReadReports)?;
        None
    };
    let Ok(Period::Year(year)) = Period::year(&year) else {
        return Err(AppError::NotFound);
    };
    let d = state.deadlines();
    let filter = CaseFilter::default();
    let scope = match &oversight {
        Some(chosen) => chosen.scope,
        None => ctx.scope(),
    };
    let stats = match &oversight {
        // The supervisor's dashboard figures for the year, kept while the
        // data stands: 300 committees' lines took 80 to 115 ms each time.
        Some(chosen) => {
            let figures = figures(&state, &Period::Year(year), scope, Some(chosen.org)).await?;
            let mut stats = figures.stats.clone();
            stats.breakdowns.by_committee = chosen.rows(std::mem::take(&mut stats.breakdowns.by_committee));
            stats
        }
        None => stats::stats(&state.pool, &Period::Year(year), &filter, scope, d).await?,
    };
    // Since the first case, up to the end of the report's year.
    let since_first = Period::Range {
        from: NaiveDate::from_ymd_opt(1990, 1, 1).ok_or(AppError::NotFound)?,
        to: NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?,
    };
    let cumulative = stats::totals(&state.pool, &since_first, &filter, scope, d).await?;
    let refs = state.refs().await?;
    let years = stats::years(&state.pool).await?;
    let v = ReportView {
        year,
        stats: &stats,
        cumulative: &cumulative,
        refs: &refs,
        years: &years,
        association: match &oversight {
            Some(chosen) => &chosen.org_name,
            None => &state.config.association_name,
        },
        today: state.today(),
    };
    Ok(report::page(&ctx, &v).into_response())
}

/// The period a dashboard's query asks for (`year`, or `from` and `to`),
/// and the selector's fields as typed; a period that cannot be read shows
/// every year, with the error beside the fields.
pub(super) fn read_period(pairs: &[(String, String)]) -> (PeriodForm, Period) {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let mut form = PeriodForm {
        year: get("year").unwrap_or("").trim().to_string(),
        from: get("from").unwrap_or("").trim().to_string(),
        to: get("to").unwrap_or("").trim().to_string(),
        error: None,
    };
    let period = match Period::parse(get("year"), get("from"), get("to")) {
        Ok(p) => p,
        Err(e) => {
            form.error = Some(match e {
                PeriodError::YearAndRange => Msg::StYearAndRange,
                _ => Msg::StBadPeriod,
            });
            Period::All
        }
    };
    (form, period)
}
