//! Case transfer (移交) over HTTP: send a case to another committee, and
//! the receiver's page to accept or return it.
//!
//! Who: the case's changers send (the committee's admin or the case's own
//! mediator, as for every workflow action: they know why it belongs
//! elsewhere); the receiving committee's admin or secretary decides
//! (`domain::transfer::may_decide`). A case on its way is seen by the
//! receiver only here, without its parties, and is read-only for the
//! sender ([`refuse_while_pending`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::routes::Routes;
use super::views::transfers::{self as view, ReturnForm, SendForm};
use super::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs};
use crate::domain::Permission;
use crate::domain::case::{FieldErrors, Problem};
use crate::domain::transfer::{self, Decision, SendRefusal};
use crate::i18n::Msg;
use crate::store::cases::{self, CaseDetail};
use crate::store::orgs::{self, Organisation};
use crate::store::transfers::{self as store, Decide, Send};

pub fn routes(r: Routes) -> Routes {
    r.get("/transfers", list)
        .get("/cases/{id}/transfer", send_form)
        .post("/cases/{id}/transfer", send)
        .post("/cases/{id}/transfer/accept", accept)
        .post("/cases/{id}/transfer/return", give_back)
}

/// 409 while the case waits on a transfer: its committee may not change it
/// until the receiver decides.
pub async fn refuse_while_pending(state: &AppState, case_id: i64) -> AppResult<()> {
    if store::is_pending(&state.pool, case_id).await? {
        return Err(AppError::TransferPending);
    }
    Ok(())
}

/// The signed-in user when they may decide on transfers to their
/// committee; 403 otherwise.
fn decider(ctx: &Ctx) -> AppResult<&crate::store::users::User> {
    let user = ctx.user()?;
    if transfer::may_decide(user.role()) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    decider(&ctx)?;
    page(&state, &ctx, None, StatusCode::OK).await
}

async fn page(state: &AppState, ctx: &Ctx, typed: Option<&ReturnForm>, code: StatusCode) -> AppResult<Response> {
    let (incoming, outgoing) = store::for_committee(&state.pool, ctx.committee_id()?).await?;
    let refs = state.refs().await?;
    Ok((code, view::list_page(ctx, &incoming, &outgoing, &refs, typed)).into_response())
}

/// The case if the user may send it: 404 when they cannot see it, 403 when
/// their role does not change cases.
async fn sendable(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<CaseDetail> {
    let detail = cases::get(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Permission::ChangeCases)?;
    Ok(detail)
}

/// The committees a case may go to: active ones of this installation
/// other than its own.
async fn destinations(state: &AppState, own: i64) -> AppResult<Vec<Organisation>> {
    Ok(orgs::list(&state.pool)
        .await?
        .into_iter()
        .filter(|o| o.is_committee() && !o.retired && !o.remote && o.id != own)
        .collect())
}

async fn send_form(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let detail = sendable(&state, &ctx, id).await?;
    let committees = destinations(&state, detail.case.committee_id).await?;
    let blank = SendForm {
        to: String::new(),
        reason: String::new(),
    };
    Ok(view::send_page(&ctx, &detail.case, &committees, &blank, &FieldErrors::default()).into_response())
}

async fn send(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId, form: FormPairs) -> AppResult<Response> {
    let detail = sendable(&state, &ctx, id).await?;
    let raw = SendForm {
        to: form.text("to"),
        reason: form.text("reason"),
    };
    let mut errors = FieldErrors::default();
    let reason = transfer::reason(&mut errors, &raw.reason);
    let to = raw.to.trim().parse::<i64>().ok();
    if to.is_none() {
        errors.add("to", Problem::Required);
    }
    let refused = async |errors: FieldErrors| {
        let committees = destinations(&state, detail.case.committee_id).await?;
        let page = view::send_page(&ctx, &detail.case, &committees, &raw, &errors);
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        return refused(errors).await;
    };
    let request = Send {
        case_id: id,
        from: detail.case.committee_id,
        to,
        reason: &reason,
        by: Some(ctx.user()?.id),
    };
    match store::send(&state.pool, &request).await?.ok_or(AppError::NotFound)? {
        Ok(_) => {
            tracing::info!(case_id = id, to, "case sent to another committee");
            ctx.flash(Msg::TransferSentFlash).await?;
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }
        Err(SendRefusal::OwnCommittee | SendRefusal::NoSuchCommittee) => {
            let mut errors = FieldErrors::default();
            errors.add("to", Problem::UnknownCode);
            refused(errors).await
        }
        Err(refusal) => {
            let msg = match refusal {
                SendRefusal::AlreadyPending => Msg::TransferRefusedPending,
                _ => Msg::TransferRefusedNotOpen,
            };
            let page = view::refused_page(&ctx, msg, &format!("/cases/{id}"));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// The 409 page when no transfer of the case waits for the user's
/// committee (whether or not the case exists: nothing of another
/// committee's case shows).
fn nothing_waiting(ctx: &Ctx) -> Response {
    (
        StatusCode::CONFLICT,
        view::refused_page(ctx, Msg::TransferNothingWaiting, "/transfers"),
    )
        .into_response()
}

async fn accept(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let user_id = decider(&ctx)?.id;
    let receiver = state.committee(ctx.committee_id()?).await?;
    let decide = Decide {
        case_id: id,
        receiver: &receiver,
        decision: Decision::Accepted,
        reason: None,
        by: Some(user_id),
        today: state.today(),
    };
    let Some(case_no) = store::decide(&state.pool, &decide).await? else {
        return Ok(nothing_waiting(&ctx));
    };
    tracing::info!(case_id = id, %case_no, "transferred case accepted");
    ctx.flash(Msg::TransferAcceptedFlash).await?;
    // A secretary reads the case there; an admin may also assign it.
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

async fn give_back(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    form: FormPairs,
) -> AppResult<Response> {
    let user = decider(&ctx)?;
    let (user_id, committee_id) = (user.id, user.org_id);
    let waiting = store::pending(&state.pool, id)
        .await?
        .is_some_and(|t| t.to_committee == committee_id);
    if !waiting {
        return Ok(nothing_waiting(&ctx));
    }
    let mut errors = FieldErrors::default();
    let raw = form.text("reason");
    let reason = transfer::reason(&mut errors, &raw);
    if !errors.is_empty() {
        let typed = ReturnForm {
            case_id: id,
            reason: raw,
            errors,
        };
        return page(&state, &ctx, Some(&typed), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let receiver = state.committee(committee_id).await?;
    let decide = Decide {
        case_id: id,
        receiver: &receiver,
        decision: Decision::Returned,
        reason: Some(&reason),
        by: Some(user_id),
        today: state.today(),
    };
    if store::decide(&state.pool, &decide).await?.is_none() {
        return Ok(nothing_waiting(&ctx));
    }
    tracing::info!(case_id = id, "transferred case returned");
    ctx.flash(Msg::TransferReturnedFlash).await?;
    Ok(Redirect::to("/transfers").into_response())
}
