//! `POST /api/v1/cases/{id}/actions/{action}`: the workflow's status and
//! follow-up actions (accept, decline, settle, fail, withdraw, archive,
//! fulfilment, judicial) through the API, checked by the closing form's
//! rules (`ActionForm::validate`) and the transition table, stored by the
//! same `store::workflow::apply` as the case page's buttons.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::{CaseOut, read_body};
use super::json;
use super::problem::{ApiError, ApiResult};
use super::records::{case_for, refused};
use super::responses::CaseWriteProblems;
use crate::domain::workflow::Action;
use crate::domain::workflow::closing::ActionForm;
use crate::store::cases;
use crate::store::workflow::{self as store, Error};
use crate::web::AppState;
use crate::web::workflow::case_dates;

/// The actions the API takes; the corrections (reopen, void …) stay on
/// the case page, with its confirmations.
const ACTIONS: [Action; 8] = [
    Action::Accept,
    Action::Decline,
    Action::Settle,
    Action::Fail,
    Action::Withdraw,
    Action::Archive,
    Action::Fulfilment,
    Action::Judicial,
];

/// An action's fields; each action reads those it needs.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActionBody {
    /// The action's date (acceptance, closing), `YYYY-MM-DD`.
    #[schema(example = "2026-11-21")]
    pub on: String,
    /// Why (decline, withdraw, fail).
    pub reason: String,
    /// Settle: `written` or `oral`.
    pub agreement_type: String,
    /// Settle: yuan, e.g. `"12000.00"`.
    pub amount_agreed: String,
    /// Settle: the day the agreement took effect.
    pub agreement_on: String,
    /// Settle: the deadline for performing it.
    pub performance_due: String,
    /// Settle: what was agreed.
    pub agreement_terms: String,
    /// Fail: the routes the parties were told of (`arbitration`, `administrative`, `court`).
    pub routes: Vec<String>,
    /// Fulfilment: `pending`, `fulfilled`, `partial` or `unfulfilled`.
    pub fulfilment: String,
    /// Judicial: `none`, `applied`, `confirmed` or `rejected`.
    pub judicial: String,
    /// Judicial: the day the parties applied.
    pub judicial_applied_on: String,
}

/// Takes one workflow action on a case; answers the case as it stands after.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases",
    params(
        ("id" = i64, Path, description = "The case's id"),
        ("action" = String, Path, description = "accept, decline, settle, fail, withdraw, archive, fulfilment or judicial"),
    ),
    request_body = ActionBody,
    responses((status = 200, description = "The case after the action", body = CaseOut), CaseWriteProblems),
    security(("bearer" = [])))]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Response> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let action = ACTIONS
        .into_iter()
        .find(|a| a.code() == action)
        .ok_or(ApiError::NotFound)?;
    let detail = case_for(&state, &caller, id, action).await?;
    let b: ActionBody = read_body(&body)?;
    let form = ActionForm {
        on: b.on,
        reason: b.reason,
        agreement_type: b.agreement_type,
        amount_agreed: b.amount_agreed,
        agreement_on: b.agreement_on,
        performance_due: b.performance_due,
        agreement_terms: b.agreement_terms,
        routes: b.routes,
        fulfilment: b.fulfilment,
        judicial: b.judicial,
        judicial_applied_on: b.judicial_applied_on,
        confirmed_amount: String::new(),
    };
    let change = form
        .validate(action, &case_dates(&state, &detail))
        .map_err(ApiError::Validation)?;
    match store::apply(&state.pool, id, &change, Some(caller.user.id)).await {
        Ok(()) => {}
        Err(Error::Refused(r)) => return Err(refused(r)),
        Err(Error::Db(e)) => return Err(e.into()),
    }
    tracing::info!(
        case_id = id,
        action = action.code(),
        token = caller.token_id,
        "workflow action through the API"
    );
    let after = cases::get(&state.pool, id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(json(StatusCode::OK, &CaseOut::of(&after, &caller)))
}
