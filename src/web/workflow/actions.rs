//! Status actions and follow-up changes: accept, decline, settle, fail,
//! withdraw, archive, fulfilment, judicial confirmation.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{case_dates, check, load_for_change, refusal};
use crate::domain::Status;
use crate::domain::workflow::Action;
use crate::domain::workflow::closing::{ActionForm, FieldErrors};
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

/// Checks and applies one action; a form with flaws comes back with 422
/// and nothing written.
async fn act(state: &AppState, ctx: &Ctx, id: i64, action: Action, pairs: &FormPairs) -> AppResult<Response> {
    let detail = load_for_change(state, ctx, id).await?;
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
}
