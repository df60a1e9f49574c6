//! The mediation workflow over HTTP: status actions, closing forms,
//! sessions, follow-up and the printable agreement.
//!
//! Every change goes through the same three gates, in this order: the case
//! must be visible to the user (else 404), their role must allow changing
//! cases (else 403), and the transition table must allow the action on the
//! case as it stands (else a page that says why: 403 archived, 409 status).

mod actions;
mod corrections;
mod records;

// The JSON API records sessions and visits with the pages' rules (issue 16).
pub(super) use records::choosable;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::routes::Routes;
use super::views::workflow::{self as view, CaseWorkflow};
use super::{AppError, AppResult, AppState, CaseId, Ctx};
use crate::domain::workflow::closing::CaseDates;
use crate::domain::workflow::{self, Action, Refusal};
use crate::domain::{Permission, Status};
use crate::store::cases::{self, CaseDetail};
use crate::store::{sessions, visits};

pub fn routes(r: Routes) -> Routes {
    r.get("/cases/{id}/close", actions::close_form)
        .post("/cases/{id}/accept", actions::accept)
        .post("/cases/{id}/decline", actions::decline)
        .post("/cases/{id}/settle", actions::settle)
        .post("/cases/{id}/fail", actions::fail)
        .post("/cases/{id}/withdraw", actions::withdraw)
        .get("/cases/{id}/archive", actions::archive_form)
        .post("/cases/{id}/archive", actions::archive)
        .post("/cases/{id}/fulfilment", actions::fulfilment)
        .post("/cases/{id}/judicial", actions::judicial)
        .get("/cases/{id}/sessions/new", records::new_session)
        .post("/cases/{id}/sessions", records::create_session)
        .get("/cases/{id}/sessions/{sid}/edit", records::edit_session)
        .post("/cases/{id}/sessions/{sid}", records::update_session)
        .post("/cases/{id}/visits", records::create_visit)
        .get("/cases/{id}/agreement", agreement)
        // Corrections (issue 13 part 1)
        .get("/cases/{id}/agreement/correct", actions::correct_agreement_form)
        .post("/cases/{id}/agreement/correct", actions::correct_agreement)
        .get("/cases/{id}/reopen", actions::reopen_form)
        .post("/cases/{id}/reopen", actions::reopen)
        .get("/cases/{id}/unarchive", actions::unarchive_form)
        .post("/cases/{id}/unarchive", actions::unarchive)
        .get("/cases/{id}/void", actions::void_form)
        .post("/cases/{id}/void", actions::void)
        .get("/cases/{id}/sessions/{sid}/void", corrections::void_session_form)
        .post("/cases/{id}/sessions/{sid}/void", corrections::void_session)
        .get("/cases/{id}/visits/{vid}/edit", corrections::edit_visit)
        .post("/cases/{id}/visits/{vid}", corrections::update_visit)
        .get("/cases/{id}/visits/{vid}/void", corrections::void_visit_form)
        .post("/cases/{id}/visits/{vid}/void", corrections::void_visit)
}

/// A case the user may see; 404 otherwise.
async fn load(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<CaseDetail> {
    cases::get(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)
}

/// A case the user may change: 404 when they cannot see it, 403 when
/// their role only reads.
async fn load_for_change(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<CaseDetail> {
    let detail = load(state, ctx, id).await?;
    ctx.require(Permission::ChangeCases)?;
    super::transfers::refuse_while_pending(state, id).await?;
    Ok(detail)
}

/// The transition table's answer for the case as loaded.
fn check(detail: &CaseDetail, action: Action) -> Result<Status, Refusal> {
    let c = &detail.case;
    workflow::check(c.status, c.archived_on.is_some(), action)
}

/// The page that says why an action was refused: 403 for an archived
/// case, 409 for an action the status does not allow.
pub fn refusal(ctx: &Ctx, detail: &CaseDetail, refusal: Refusal) -> Response {
    let c = &detail.case;
    let code = match refusal {
        Refusal::Archived => StatusCode::FORBIDDEN,
        Refusal::NotAllowed { .. } | Refusal::Voided => StatusCode::CONFLICT,
    };
    tracing::info!(case_id = c.id, ?refusal, "workflow action refused");
    (code, view::refusal_page(ctx, c.id, &c.case_no, c.status, refusal)).into_response()
}

/// The dates an action's form is checked against.
pub(super) fn case_dates(state: &AppState, detail: &CaseDetail) -> CaseDates {
    let c = &detail.case;
    CaseDates {
        today: state.today(),
        received_on: c.received_on,
        accepted_on: c.accepted_on,
        agreement_on: c.agreement_on,
        closed_on: c.closed_on,
    }
}

/// What the case page shows of the workflow, from its sessions and visits
/// (read with the rest of the page, `store::cases::for_page`).
pub fn case_workflow(
    state: &AppState,
    ctx: &Ctx,
    detail: &CaseDetail,
    sessions: Vec<sessions::Session>,
    visits: Vec<visits::Visit>,
) -> CaseWorkflow {
    let deadlines = state.deadlines();
    let flags = deadlines.flags(&detail.case.flag_facts());
    CaseWorkflow {
        sessions,
        visits,
        deadlines,
        flags,
        can_act: ctx.may(Permission::ChangeCases),
        transfers: Vec::new(),
    }
}

/// The printable agreement of a settled case.
async fn agreement(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let detail = load(&state, &ctx, id).await?;
    let c = &detail.case;
    if c.status != Status::Settled || c.agreement_type.is_none() {
        // The page exists for every case; this one has nothing to print yet.
        let page = view::no_agreement_page(&ctx, c.id, &c.case_no);
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let refs = state.refs().await?;
    // Issued in the case's committee's name.
    let committee = crate::store::orgs::get(&state.pool, c.committee_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(view::agreement_page(&ctx, &committee, &detail, &refs).into_response())
}
