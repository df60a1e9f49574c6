//! `/api/v1/reference` (the codes a case takes) and `/api/v1/stats` (the
//! dashboard's figures for a period), from the same store code as the pages.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::money;
use super::json;
use super::problem::{ApiError, ApiResult};
use super::responses::ReadProblems;
use crate::domain::case::{FieldErrors, Problem as FieldProblem};
use crate::domain::period::PeriodError;
use crate::domain::reference::RefItem;
use crate::domain::stats::Row;
use crate::domain::{CaseFilter, Period, Role};
use crate::store::{mediators, stats};
use crate::web::AppState;

/// A code of a reference list with its labels.
#[derive(Debug, Serialize, ToSchema)]
pub struct Code {
    #[schema(example = "fees")]
    pub code: String,
    #[schema(example = "物业费纠纷")]
    pub label_zh: String,
    pub label_en: String,
    /// A retired code is kept on old cases but taken by no new one.
    pub retired: bool,
}

/// A mediator a case may be given.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediatorCode {
    pub id: i64,
    pub name: String,
    /// An inactive mediator is kept on old cases but given no new one.
    pub active: bool,
}

/// The reference lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reference {
    pub categories: Vec<Code>,
    pub sources: Vec<Code>,
    pub districts: Vec<Code>,
    pub party_types: Vec<Code>,
    /// The token user's committee's mediators (none for a supervisor).
    pub mediators: Vec<MediatorCode>,
}

fn codes(items: &[RefItem]) -> Vec<Code> {
    items
        .iter()
        .map(|i| Code {
            code: i.code.clone(),
            label_zh: i.label_zh.clone(),
            label_en: i.label_en.clone(),
            retired: i.retired,
        })
        .collect()
}

/// Categories, sources, districts and party types, and the mediators of
/// the token user's committee.
#[utoipa::path(get, path = "/api/v1/reference", tag = "reference",
    responses(
        (status = 200, description = "The reference lists", body = Reference),
        ReadProblems,
    ),
    security(("bearer" = [])))]
pub async fn reference(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let refs = state.refs().await?;
    let mediators = match caller.user.role() {
        Role::Supervisor => Vec::new(),
        _ => mediators::list(&state.pool, Some(caller.user.org_id)).await?,
    };
    let body = Reference {
        categories: codes(&refs.categories),
        sources: codes(&refs.sources),
        districts: codes(&refs.districts),
        party_types: codes(&refs.party_types),
        mediators: mediators
            .into_iter()
            .map(|m| MediatorCode {
                id: m.id,
                name: m.name,
                active: m.active,
            })
            .collect(),
    };
    Ok(json(StatusCode::OK, &body))
}

/// The headline figures of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Totals {
    /// Cases received in the period.
    pub cases_total: i64,
    /// Their amount claimed (涉及金额), yuan.
    #[schema(example = "1361000.00")]
    pub amount_claimed: String,
    pub registered: i64,
    pub declined: i64,
    /// Accepted in the period (受理).
    pub accepted: i64,
    pub in_mediation: i64,
    pub settled: i64,
    pub failed: i64,
    pub withdrawn: i64,
    /// Agreed amounts of the cases accepted in the period (协议金额), yuan.
    pub amount_agreed: String,
    /// Settled ÷ accepted, percent with one decimal; `null` when none was accepted.
    #[schema(example = "96.9")]
    pub success_rate: Option<String>,
    /// Still in mediation among those accepted: the rate is provisional (暂) while any are.
    pub provisional: bool,
    /// Fulfilled ÷ settled, percent with one decimal; `null` when none settled.
    pub fulfilment_rate: Option<String>,
    /// Average days from acceptance to closing; `null` when none closed.
    pub average_days_to_close: Option<String>,
    pub overdue: i64,
}

/// One line of a breakdown.
#[derive(Debug, Serialize, ToSchema)]
pub struct Line {
    /// The code, the mediator's id, or `YYYY-MM`.
    pub key: String,
    /// The mediator's name (the mediator breakdown only).
    pub name: Option<String>,
    pub cases: i64,
    pub amount_claimed: String,
    pub accepted: i64,
    pub settled: i64,
    pub in_mediation: i64,
    pub amount_agreed: String,
}

/// The dashboard's figures for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsOut {
    /// The period's first and last day (`null` for every year).
    pub from: Option<String>,
    pub to: Option<String>,
    pub totals: Totals,
    pub by_category: Vec<Line>,
    pub by_source: Vec<Line>,
    pub by_district: Vec<Line>,
    pub by_mediator: Vec<Line>,
    pub by_month: Vec<Line>,
}

fn lines(rows: &[Row]) -> Vec<Line> {
    rows.iter()
        .map(|r| Line {
            key: r.key.clone(),
            name: r.name.clone(),
            cases: r.cases,
            amount_claimed: money(r.amount_claimed.fen()),
            accepted: r.accepted,
            settled: r.settled,
            in_mediation: r.in_mediation,
            amount_agreed: money(r.amount_agreed.fen()),
        })
        .collect()
}

/// The dashboard's figures over the token user's cases (a mediator's own;
/// a supervisor's committees added up), for every year, one `year`, or a
/// range `from`–`to`.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics",
    params(
        ("year" = Option<i32>, Query, description = "One year, e.g. 2026"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (with `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (with `from`)"),
    ),
    responses(
        (status = 200, description = "The figures", body = StatsOut),
        ReadProblems,
    ),
    security(("bearer" = [])))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let period = Period::parse(get("year"), get("from"), get("to")).map_err(|e| {
        let mut errors = FieldErrors::default();
        let field = match e {
            PeriodError::YearAndRange | PeriodError::BadYear => "year",
            _ => "from",
        };
        errors.add(field, FieldProblem::NotADate);
        ApiError::Validation(errors)
    })?;
    let s = stats::stats(
        &state.pool,
        &period,
        &CaseFilter::default(),
        caller.scope(),
        state.deadlines(),
    )
    .await?;
    let t = &s.totals;
    let (from, to) = match period {
        Period::All => (None, None),
        _ => {
            let (from, to) = period.bounds();
            (Some(from), Some(to))
        }
    };
    let body = StatsOut {
        from,
        to,
        totals: Totals {
            cases_total: t.cases_total,
            amount_claimed: money(t.amount_claimed.fen()),
            registered: t.registered,
            declined: t.declined,
            accepted: t.accepted,
            in_mediation: t.in_mediation,
            settled: t.settled,
            failed: t.failed,
            withdrawn: t.withdrawn,
            amount_agreed: money(t.amount_agreed.fen()),
            success_rate: t.success_rate().shown(),
            provisional: t.in_mediation > 0,
            fulfilment_rate: t.fulfilment_rate().shown(),
            average_days_to_close: t.average_days_to_close(),
            overdue: t.overdue,
        },
        by_category: lines(&s.breakdowns.by_category),
        by_source: lines(&s.breakdowns.by_source),
        by_district: lines(&s.breakdowns.by_district),
        by_mediator: lines(&s.breakdowns.by_mediator),
        by_month: lines(&s.breakdowns.by_month),
    };
    Ok(json(StatusCode::OK, &body))
}
