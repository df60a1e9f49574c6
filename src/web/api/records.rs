//! `POST /api/v1/cases/{id}/sessions` and `/visits`: a mediation session
//! or a return visit recorded through the API, with the forms' rules
//! (`SessionForm`, `VisitForm`), the transition table and the same store
//! code as the case page.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::read_body;
use super::json;
use super::problem::{ApiError, ApiResult};
use super::responses::CaseWriteProblems;
use crate::domain::Permission;
use crate::domain::workflow::records::{SessionForm, VisitForm};
use crate::domain::workflow::{self, Action, Refusal};
use crate::i18n::Msg;
use crate::store::cases::{self, CaseDetail};
use crate::store::workflow::Error;
use crate::store::{sessions, visits};
use crate::web::workflow::{case_dates, choosable};
use crate::web::{AppError, AppState, CaseId};

/// A mediation session as sent.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct SessionBody {
    /// `YYYY-MM-DD`, not before acceptance nor after today.
    #[schema(example = "2026-11-21")]
    pub held_on: String,
    /// `on_site`, `phone` or `online`.
    #[schema(example = "on_site")]
    pub form: String,
    /// Ids of the mediators present, one or more.
    pub mediators: Vec<i64>,
    /// 调解笔录.
    pub notes: String,
}

/// A return visit as sent.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct VisitBody {
    /// `YYYY-MM-DD`, not before the agreement nor after today.
    pub visited_on: String,
    /// Who visited.
    pub visitor: String,
    /// `pending`, `fulfilled`, `partial` or `unfulfilled`.
    pub performance: String,
    /// `satisfied`, `basically_satisfied` or `dissatisfied`.
    pub satisfaction: String,
    pub notes: String,
}

/// A record just written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub id: i64,
}

/// The case, when the token's user may change it and the transition table
/// allows `action` on it as it stands.
pub(super) async fn case_for(state: &AppState, caller: &Caller, id: i64, action: Action) -> ApiResult<CaseDetail> {
    caller.committee_member()?;
    let detail = cases::get(&state.pool, id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.require(Permission::ChangeCases)?;
    crate::web::transfers::refuse_while_pending(state, id).await?;
    let c = &detail.case;
    workflow::check(c.status, c.archived_on.is_some(), action).map_err(refused)?;
    Ok(detail)
}

/// Why the transition table said no, as a 409 problem.
pub(super) fn refused(r: Refusal) -> ApiError {
    ApiError::Conflict(match r {
        Refusal::Archived => Msg::WfRefusedArchived,
        Refusal::NotAllowed { .. } => Msg::WfRefusedNotAllowed,
        Refusal::Voided => Msg::CorrRefusedVoided,
    })
}

fn stored(saved: Result<i64, Error>) -> ApiResult<Response> {
    match saved {
        Ok(id) => Ok(json(StatusCode::CREATED, &Recorded { id })),
        Err(Error::Refused(r)) => Err(refused(r)),
        Err(Error::Db(e)) => Err(e.into()),
    }
}

/// Records a mediation session of a case in mediation.
#[utoipa::path(post, path = "/api/v1/cases/{id}/sessions", tag = "cases",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = SessionBody,
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        CaseWriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn session(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<CaseId, AppError>,
    body: Bytes,
) -> ApiResult<Response> {
    let CaseId(id) = id?;
    let detail = case_for(&state, &caller, id, Action::Session).await?;
    let body: SessionBody = read_body(&body)?;
    let form = SessionForm {
        held_on: body.held_on,
        form: body.form,
        mediators: body.mediators.iter().map(i64::to_string).collect(),
        notes: body.notes,
        reason: String::new(),
    };
    let allowed: Vec<i64> = choosable(&state, &detail, None).await?.iter().map(|m| m.id).collect();
    let input = form
        .validate(&case_dates(&state, &detail), &|m| allowed.contains(&m))
        .map_err(ApiError::Validation)?;
    stored(sessions::create(&state.pool, id, &input, Some(caller.user.id)).await)
}

/// Records a return visit of a settled case (archived ones too).
#[utoipa::path(post, path = "/api/v1/cases/{id}/visits", tag = "cases",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = VisitBody,
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        CaseWriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn visit(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<CaseId, AppError>,
    body: Bytes,
) -> ApiResult<Response> {
    let CaseId(id) = id?;
    let detail = case_for(&state, &caller, id, Action::Visit).await?;
    let body: VisitBody = read_body(&body)?;
    let form = VisitForm {
        visited_on: body.visited_on,
        visitor: body.visitor,
        performance: body.performance,
        satisfaction: body.satisfaction,
        notes: body.notes,
        reason: String::new(),
    };
    let input = form
        .validate(&case_dates(&state, &detail))
        .map_err(ApiError::Validation)?;
    stored(visits::create(&state.pool, id, &input, Some(caller.user.id)).await)
}
