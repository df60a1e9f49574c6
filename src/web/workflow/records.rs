//! Sessions (add, edit) and return visits (add) on a case.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{case_dates, check, load_for_change, refusal};
use crate::domain::workflow::Action;
use crate::domain::workflow::closing::FieldErrors;
use crate::domain::workflow::records::{SessionForm, VisitForm, with_reason};
use crate::i18n::Msg;
use crate::store::cases::CaseDetail;
use crate::store::mediators::Mediator;
use crate::store::sessions::{self, Session};
use crate::store::visits;
use crate::store::workflow::Error;
use crate::web::views::workflow::{self as view, SessionView, VisitView};
use crate::web::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs, RecordId};

/// Mediators who may be ticked as present: the active ones, plus anyone
/// assigned to the case or already recorded on the session.
pub(in crate::web) async fn choosable(
    state: &AppState,
    detail: &CaseDetail,
    session: Option<&Session>,
) -> AppResult<Vec<Mediator>> {
    let all = state.roster.list(&state.pool, Some(detail.case.committee_id)).await?;
    Ok(all
        .iter()
        .filter(|m| {
            m.active
                || detail.mediators.iter().any(|(id, _)| *id == m.id)
                || session.is_some_and(|s| s.mediators.iter().any(|(id, _)| *id == m.id))
        })
        .cloned()
        .collect())
}

async fn render_session(
    state: &AppState,
    ctx: &Ctx,
    detail: &CaseDetail,
    session: Option<&Session>,
    form: &SessionForm,
    flaws: &FieldErrors,
    code: StatusCode,
) -> AppResult<Response> {
    let mediators = choosable(state, detail, session).await?;
    let v = SessionView {
        case_id: detail.case.id,
        case_no: &detail.case.case_no,
        session_id: session.map(|s| s.id),
        form,
        flaws,
        mediators: &mediators,
    };
    Ok((code, view::session_page(ctx, &v)).into_response())
}

/// The case and one of its sessions, for the edit routes; a case that
/// takes no session changes is refused before the session is looked up,
/// and a voided session takes no change.
pub(super) async fn load_session(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    sid: i64,
) -> AppResult<Result<(CaseDetail, Session), Response>> {
    let detail = load_for_change(state, ctx, id).await?;
    if let Err(r) = check(&detail, Action::Session) {
        return Ok(Err(refusal(ctx, &detail, r)));
    }
    let session = sessions::get(&state.pool, detail.case.id, sid)
        .await?
        .ok_or(AppError::NotFound)?;
    if session.voided_on.is_some() {
        return Ok(Err(super::corrections::voided_record(ctx, &detail)));
    }
    Ok(Ok((detail, session)))
}

pub async fn new_session(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let detail = load_for_change(&state, &ctx, id).await?;
    if let Err(r) = check(&detail, Action::Session) {
        return Ok(refusal(&ctx, &detail, r));
    }
    let form = SessionForm {
        held_on: state.today().to_string(),
        form: String::new(),
        mediators: detail.mediators.iter().map(|(id, _)| id.to_string()).collect(),
        notes: String::new(),
        reason: String::new(),
    };
    render_session(
        &state,
        &ctx,
        &detail,
        None,
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn edit_session(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(sid): RecordId,
) -> AppResult<Response> {
    let (detail, session) = match load_session(&state, &ctx, id, sid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let form = SessionForm {
        held_on: session.held_on.to_string(),
        form: session.form.code().to_string(),
        mediators: session.mediators.iter().map(|(id, _)| id.to_string()).collect(),
        notes: session.notes.clone(),
        reason: String::new(),
    };
    render_session(
        &state,
        &ctx,
        &detail,
        Some(&session),
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Checks and stores a new (`session` None) or changed session.
async fn save_session(
    state: &AppState,
    ctx: &Ctx,
    detail: &CaseDetail,
    session: Option<&Session>,
    pairs: &FormPairs,
) -> AppResult<Response> {
    if let Err(r) = check(detail, Action::Session) {
        return Ok(refusal(ctx, detail, r));
    }
    let form = SessionForm::from_pairs(&pairs.0);
    let allowed: Vec<i64> = choosable(state, detail, session).await?.iter().map(|m| m.id).collect();
    let checked = form.validate(&case_dates(state, detail), &|id| allowed.contains(&id));
    // A change to a recorded session says why; a new one needs no reason.
    let checked = match session {
        Some(_) => with_reason(checked, &form.reason).map(|(input, reason)| (input, Some(reason))),
        None => checked.map(|input| (input, None)),
    };
    let (input, reason) = match checked {
        Ok(checked) => checked,
        Err(flaws) => {
            let code = StatusCode::UNPROCESSABLE_ENTITY;
            return render_session(state, ctx, detail, session, &form, &flaws, code).await;
        }
    };
    let case_id = detail.case.id;
    let actor = Some(ctx.user()?.id);
    let saved = match session {
        Some(s) => sessions::update(
            &state.pool,
            case_id,
            s.id,
            &input,
            reason.as_deref().unwrap_or(""),
            actor,
        )
        .await
        .map(|found| found.then_some(s.id)),
        None => sessions::create(&state.pool, case_id, &input, actor).await.map(Some),
    };
    let sid = match saved {
        Ok(Some(sid)) => sid,
        Ok(None) => return Err(AppError::NotFound),
        Err(Error::Refused(r)) => return Ok(refusal(ctx, detail, r)),
        Err(Error::Db(e)) => return Err(e.into()),
    };
    tracing::info!(case_id, session_id = sid, "session saved");
    ctx.flash(Msg::WfSessionSaved).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}#session-{sid}")).into_response())
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let detail = load_for_change(&state, &ctx, id).await?;
    save_session(&state, &ctx, &detail, None, &pairs).await
}

pub async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(sid): RecordId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let (detail, session) = match load_session(&state, &ctx, id, sid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    save_session(&state, &ctx, &detail, Some(&session), &pairs).await
}

/// `POST /cases/{id}/visits`: the one change an archived case still takes.
pub async fn create_visit(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let detail = load_for_change(&state, &ctx, id).await?;
    if let Err(r) = check(&detail, Action::Visit) {
        return Ok(refusal(&ctx, &detail, r));
    }
    let form = VisitForm::from_pairs(&pairs.0);
    let input = match form.validate(&case_dates(&state, &detail)) {
        Ok(input) => input,
        Err(flaws) => {
            let v = VisitView {
                case_id: detail.case.id,
                case_no: &detail.case.case_no,
                visit_id: None,
                form: &form,
                flaws: &flaws,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view::visit_page(&ctx, &v)).into_response());
        }
    };
    let case_id = detail.case.id;
    match visits::create(&state.pool, case_id, &input, Some(ctx.user()?.id)).await {
        Ok(_) => {}
        Err(Error::Refused(r)) => return Ok(refusal(&ctx, &detail, r)),
        Err(Error::Db(e)) => return Err(e.into()),
    }
    tracing::info!(case_id, "return visit recorded");
    ctx.flash(Msg::WfVisitSaved).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}#follow-up")).into_response())
}
