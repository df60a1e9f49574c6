//! Status actions and follow-up changes: accept, decline, settle, fail,
//! withdraw, archive, fulfilment, judicial confirmation; and the
//! corrections of a case (issue 13): correct the agreement, reopen,
//! unarchive, void. Every action that looks final has a page of its own
//! (GET) saying what it does, whose form does it (POST).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{case_dates, check, load_for_change, refusal};
use crate::domain::workflow::Action;
use crate::domain::workflow::closing::{ActionForm, Change, FieldErrors};
use crate::domain::{Money, Permission, Status};
use crate::i18n::Msg;
use crate::store::cases::CaseDetail;
use crate::store::workflow::{self as store, Error};
use crate::web::views::workflow::{self as view, ActionView};
use crate::web::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs};

fn render(
    ctx: &Ctx,
    detail: &CaseDetail,
    action: Action,
    form: &ActionForm,
    flaws: &FieldErrors,
    code: StatusCode,
) -> Response {
    let v = ActionView {
        case_id: detail.case.id,
        case_no: &detail.case.case_no,
        action,
        form,
        flaws,
    };
    (code, view::action_page(ctx, &v)).into_response()
}

/// `GET /cases/{id}/close?outcome=settled|failed|withdrawn|declined`: the
/// form that closes (or declines) a case.
pub async fn close_form(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let detail = load_for_change(&state, &ctx, id).await?;
    let action = query
        .iter()
        .find(|(k, _)| k == "outcome")
        .and_then(|(_, v)| Status::from_code(v))
        .and_then(Action::closing)
        // No page of ours links to another outcome.
        .ok_or(AppError::BadRequest)?;
    if let Err(r) = check(&detail, action) {
        return Ok(refusal(&ctx, &detail, r));
    }
    let today = state.today().to_string();
    let form = ActionForm {
        agreement_on: if action == Action::Settle {
            today.clone()
        } else {
            String::new()
        },
        on: today,
        ..ActionForm::default()
    };
    Ok(render(
        &ctx,
        &detail,
        action,
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    ))
}

/// The case, when the user may take `action` on it: 404 when they cannot
/// see it, 403 when their role may not change cases or the action is an
/// admin's.
async fn load_for(state: &AppState, ctx: &Ctx, id: i64, action: Action) -> AppResult<CaseDetail> {
    let detail = load_for_change(state, ctx, id).await?;
    if action.admin_only() {
        ctx.require(Permission::VoidCases)?;
    }
    Ok(detail)
}

/// `GET` of an action with a page of its own: the confirmation of
/// archive, reopen, unarchive and void, and the agreement correction
/// (filled with the agreement as it stands).
async fn confirm_form(state: &AppState, ctx: &Ctx, id: i64, action: Action) -> AppResult<Response> {
    let detail = load_for(state, ctx, id, action).await?;
    if let Err(r) = check(&detail, action) {
        return Ok(refusal(ctx, &detail, r));
    }
    let c = &detail.case;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let form = match action {
        Action::CorrectAgreement => ActionForm {
            agreement_type: c.agreement_type.map(|t| t.code().to_string()).unwrap_or_default(),
            amount_agreed: c.amount_agreed.map(|f| Money::from_fen(f).plain()).unwrap_or_default(),
            agreement_on: day(c.agreement_on),
            performance_due: day(c.performance_due),
            agreement_terms: c.agreement_terms.clone().unwrap_or_default(),
            ..ActionForm::default()
        },
        _ => ActionForm::default(),
    };
    Ok(render(
        ctx,
        &detail,
        action,
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    ))
}

/// Checks and applies one action; a form with flaws comes back with 422
/// and nothing written.
async fn act(state: &AppState, ctx: &Ctx, id: i64, action: Action, pairs: &FormPairs) -> AppResult<Response> {
    let detail = load_for(state, ctx, id, action).await?;
    // Refuse before reading the form: a refused action has nothing to correct.
    if let Err(r) = check(&detail, action) {
        return Ok(refusal(ctx, &detail, r));
    }
    let form = ActionForm::from_pairs(&pairs.0);
    let change = match form.validate(action, &case_dates(state, &detail)) {
        Ok(change) => change,
        Err(flaws) => {
            return Ok(render(
                ctx,
                &detail,
                action,
                &form,
                &flaws,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if let Change::CorrectAgreement { agreement, .. } = &change
        && let Some(claimed) = detail.case.claimed()
        && agreement.needs_confirmation(Some(claimed), &form)
    {
        let form = ActionForm {
            confirmed_amount: agreement.amount.fen().to_string(),
            ..form
        };
        let v = ActionView {
            case_id: detail.case.id,
            case_no: &detail.case.case_no,
            action,
            form: &form,
            flaws: &FieldErrors::default(),
        };
        let page = view::confirm_amount_page(ctx, &v, agreement.amount.fen(), claimed);
        return Ok(page.into_response());
    }
    let case_id = detail.case.id;
    match store::apply(&state.pool, case_id, &change, Some(ctx.user()?.id)).await {
        Ok(()) => {}
        // Someone else acted first; the table refused inside the transaction.
        Err(Error::Refused(r)) => return Ok(refusal(ctx, &detail, r)),
        Err(Error::Db(e)) => return Err(e.into()),
    }
    tracing::info!(case_id, action = action.code(), "workflow action");
    let notice = match action {
        Action::Accept => Msg::WfAccepted,
        Action::Decline => Msg::WfDeclined,
        Action::Archive => Msg::WfArchived,
        Action::Fulfilment => Msg::WfFulfilmentSaved,
        Action::Judicial => Msg::WfJudicialSaved,
        Action::CorrectAgreement => Msg::CorrAgreementCorrected,
        Action::Reopen => Msg::CorrReopened,
        Action::Unarchive => Msg::CorrUnarchived,
        Action::Void => Msg::CorrVoidedFlash,
        _ => Msg::WfClosed,
    };
    ctx.flash(notice).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}")).into_response())
}

macro_rules! action_handlers {
    ($($name:ident => $action:expr;)*) => {
        $(
            #[doc = concat!("`POST /cases/{id}/", stringify!($name), "`")]
            pub async fn $name(
                State(state): State<AppState>,
                ctx: Ctx,
                CaseId(id): CaseId,
                form: FormPairs,
            ) -> AppResult<Response> {
                act(&state, &ctx, id, $action, &form).await
            }
        )*
    };
}

action_handlers! {
    accept => Action::Accept;
    decline => Action::Decline;
    settle => Action::Settle;
    fail => Action::Fail;
    withdraw => Action::Withdraw;
    archive => Action::Archive;
    fulfilment => Action::Fulfilment;
    judicial => Action::Judicial;
    correct_agreement => Action::CorrectAgreement;
    reopen => Action::Reopen;
    unarchive => Action::Unarchive;
    void => Action::Void;
}

macro_rules! confirm_handlers {
    ($($name:ident => $action:expr;)*) => {
        $(
            /// The action's own page (`GET`).
            pub async fn $name(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
                confirm_form(&state, &ctx, id, $action).await
            }
        )*
    };
}

confirm_handlers! {
    archive_form => Action::Archive;
    correct_agreement_form => Action::CorrectAgreement;
    reopen_form => Action::Reopen;
    unarchive_form => Action::Unarchive;
    void_form => Action::Void;
}
