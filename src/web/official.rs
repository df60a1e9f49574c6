//! The official statistics report (issue 16): `GET /reports/official`
//! (A4, the period picked as `2026-07`, `2026-Q3` or `2026`) and
//! `GET /reports/official.csv` (the same as CSV), and the
//! admin's mapping of Accord's codes onto the national lists at
//! `/reference/official`.
//!
//! The report is the committee's filing, so it is for admins and
//! secretaries as the annual report is (mediators 403); a supervisor gets
//! the added-up report of the committees under their association, with a
//! line per committee (or one committee's, `?committee=`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::routes::Routes;
use super::views::official::{self as view, ReportView};
use super::{AppResult, AppState, Ctx, FormPairs};
use crate::domain::official::{Mapping, OfficialPeriod, OfficialPeriodError, OfficialReport};
use crate::domain::{Permission, RefList};
use crate::i18n::Msg;
use crate::store::stats::official as store;

pub fn routes(r: Routes) -> Routes {
    r.get("/reports/official", report)
        .get("/reports/official.csv", report_csv)
        .get("/reference/official", mapping_page)
        .post("/reference/official", save_mapping)
}

/// Who sees which figures: a supervisor the committees they chose under
/// their association, anyone else with the reports' permission their own
/// committee (a mediator 403).
struct Reader {
    oversight: Option<super::dashboard::OversightChoice>,
    scope: crate::store::cases::Scope,
    org: i64,
}

async fn reader(state: &AppState, ctx: &Ctx, pairs: &[(String, String)]) -> AppResult<Reader> {
    let oversight = if ctx.may(Permission::Oversee) {
        Some(super::dashboard::oversight_chosen(state, ctx, pairs).await?)
    } else {
        ctx.require(Permission::ReadReports)?;
        None
    };
    let (scope, org) = match &oversight {
        Some(chosen) => (chosen.scope, chosen.org),
        None => (ctx.scope(), ctx.committee_id()?),
    };
    Ok(Reader { oversight, scope, org })
}

/// The period asked for, as typed (blank: none), and as read. Without
/// one, the quarter of today: the filing committees make most.
fn period_of(state: &AppState, pairs: &[(String, String)]) -> (String, Result<OfficialPeriod, OfficialPeriodError>) {
    let typed = pairs
        .iter()
        .find(|(k, _)| k == "period")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let period = match &typed {
        None => Ok(OfficialPeriod::quarter_of(state.today())),
        Some(text) => OfficialPeriod::parse(text),
    };
    let typed = match (&period, typed) {
        (_, Some(t)) => t,
        (Ok(p), None) => p.code(),
        (Err(_), None) => String::new(),
    };
    (typed, period)
}

async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let who = reader(&state, &ctx, &pairs).await?;
    let (typed, period) = period_of(&state, &pairs);
    let org_name = crate::store::orgs::get(&state.pool, who.org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let figures = match period {
        Ok(p) => {
            let (from, to) = p.bounds();
            Some((
                p,
                OfficialReport::from_cells(&store::cells(&state.pool, from, to, who.scope).await?),
            ))
        }
        Err(_) => None,
    };
    let oversight = &who.oversight;
    let v = ReportView {
        typed: &typed,
        report: figures.as_ref().map(|(p, r)| (*p, r)),
        org_name: &org_name,
        committees: oversight.as_ref().map_or(&[][..], |c| c.committees.as_slice()),
        committee: oversight.as_ref().and_then(|c| c.committee),
        today: state.today(),
    };
    // A period that cannot be read: the page with the message, as the dashboard's.
    let status = if figures.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, view::report_page(&ctx, &v)).into_response())
}

/// The report as CSV, the very file `accord stats --official --period P
/// --csv` writes, for the same readers and scope as the page (`?lang=en`
/// for English keys and codes). A period that cannot be read answers the
/// page with its message (422), not a file.
async fn report_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let who = reader(&state, &ctx, &pairs).await?;
    let Ok(period) = period_of(&state, &pairs).1 else {
        return report(State(state), ctx, Query(pairs)).await;
    };
    let (figures, names) = crate::csv_io::official::report(&state.pool, period, who.scope).await?;
    let bytes = crate::csv_io::official::csv(&figures, &names, super::export::lang_of(&ctx, &pairs));
    super::export::audit_export(&state, &ctx, "official.csv", &pairs);
    Ok(super::export::csv_response(
        &crate::csv_io::official::file_name(period),
        axum::body::Body::from(bytes),
    ))
}

async fn mapping_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageReference)?;
    render(&state, &ctx, Default::default(), StatusCode::OK).await
}

/// The editor; with `errors` (only a forged form has them: the page offers
/// choices only), the mapping as it stands beside them.
async fn render(
    state: &AppState,
    ctx: &Ctx,
    errors: crate::domain::case::FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let shown = store::mapping(&state.pool).await?;
    let refs = state.refs().await?;
    Ok((status, view::mapping_page(ctx, &shown, &refs, &errors)).into_response())
}

async fn save_mapping(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageReference)?.id;
    let refs = state.refs().await?;
    let codes = |list: RefList| refs.list(list).iter().map(|i| i.code.as_str()).collect::<Vec<_>>();
    match Mapping::read(&form.0, &codes(RefList::Category), &codes(RefList::Source)) {
        Ok(change) => {
            store::save_mapping(&state.pool, Some(actor), &change).await?;
            ctx.flash(Msg::OffMappingSaved).await?;
            Ok(Redirect::to("/reference/official").into_response())
        }
        Err(errors) => render(&state, &ctx, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
