//! Corrections of sessions and return visits (issue 13): a visit is
//! edited, a session or a visit voided, each with a reason. A voided
//! record stays on the case page, struck through, and takes no change.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

use super::records::load_session;
use super::{case_dates, check, load_for_change, refusal};
use crate::domain::workflow::Action;
use crate::domain::workflow::closing::{FieldErrors, correction_reason};
use crate::domain::workflow::records::{VisitForm, with_reason};
use crate::i18n::Msg;
use crate::store::cases::CaseDetail;
use crate::store::visits::{self, Correction, Visit};
use crate::store::{sessions, workflow::Error};
use crate::web::views::workflow::{self as view, VisitView, VoidRecordView, VoidTarget};
use crate::web::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs, RecordId};

/// The case and one of its visits standing: refused before the lookup
/// when the case takes no visit changes, 404 when it has no such visit,
/// 409 when the visit was voided.
async fn load_visit(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    vid: i64,
) -> AppResult<Result<(CaseDetail, Visit), Response>> {
    let detail = load_for_change(state, ctx, id).await?;
    if let Err(r) = check(&detail, Action::Visit) {
        return Ok(Err(refusal(ctx, &detail, r)));
    }
    let visit = visits::get(&state.pool, detail.case.id, vid)
        .await?
        .ok_or(AppError::NotFound)?;
    if visit.voided_on.is_some() {
        return Ok(Err(voided_record(ctx, &detail)));
    }
    Ok(Ok((detail, visit)))
}

/// 409: the session or visit was voided and takes no change.
pub(super) fn voided_record(ctx: &Ctx, detail: &CaseDetail) -> Response {
    let page = view::record_voided_page(ctx, detail.case.id, &detail.case.case_no);
    (StatusCode::CONFLICT, page).into_response()
}

/// What a store write of a correction came to: the page to show.
fn written(ctx: &Ctx, detail: &CaseDetail, result: Result<bool, Error>) -> AppResult<Option<Response>> {
    match result {
        Ok(true) => Ok(None),
        // Voided or gone between the page and the write.
        Ok(false) => Ok(Some(voided_record(ctx, detail))),
        Err(Error::Refused(r)) => Ok(Some(refusal(ctx, detail, r))),
        Err(Error::Db(e)) => Err(e.into()),
    }
}

fn visit_page(detail: &CaseDetail, ctx: &Ctx, vid: i64, form: &VisitForm, flaws: &FieldErrors) -> Markup {
    let v = VisitView {
        case_id: detail.case.id,
        case_no: &detail.case.case_no,
        visit_id: Some(vid),
        form,
        flaws,
    };
    view::visit_page(ctx, &v)
}

/// `GET /cases/{id}/visits/{vid}/edit`
pub async fn edit_visit(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(vid): RecordId,
) -> AppResult<Response> {
    let (detail, visit) = match load_visit(&state, &ctx, id, vid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let form = VisitForm {
        visited_on: visit.visited_on.to_string(),
        visitor: visit.visitor.clone(),
        performance: visit.performance.code().to_string(),
        satisfaction: visit.satisfaction.code().to_string(),
        notes: visit.notes.clone(),
        reason: String::new(),
    };
    Ok(visit_page(&detail, &ctx, vid, &form, &FieldErrors::default()).into_response())
}

/// `POST /cases/{id}/visits/{vid}`
pub async fn update_visit(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(vid): RecordId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let (detail, _) = match load_visit(&state, &ctx, id, vid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let form = VisitForm::from_pairs(&pairs.0);
    let (input, reason) = match with_reason(form.validate(&case_dates(&state, &detail)), &form.reason) {
        Ok(checked) => checked,
        Err(flaws) => {
            let page = visit_page(&detail, &ctx, vid, &form, &flaws);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let case_id = detail.case.id;
    let actor = Some(ctx.user()?.id);
    let result = visits::correct(&state.pool, case_id, vid, Correction::Update(&input), &reason, actor).await;
    if let Some(page) = written(&ctx, &detail, result)? {
        return Ok(page);
    }
    tracing::info!(case_id, visit_id = vid, "return visit corrected");
    ctx.flash(Msg::CorrVisitCorrected).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}#visit-{vid}")).into_response())
}

fn void_page(ctx: &Ctx, detail: &CaseDetail, target: VoidTarget, reason: &str, flaws: &FieldErrors) -> Response {
    let v = VoidRecordView {
        case_id: detail.case.id,
        case_no: &detail.case.case_no,
        target,
        reason,
        flaws,
    };
    let code = if flaws.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (code, view::void_record_page(ctx, &v)).into_response()
}

/// The reason a void form gives, or its page again naming what is wrong.
fn void_reason(ctx: &Ctx, detail: &CaseDetail, target: VoidTarget, pairs: &FormPairs) -> Result<String, Box<Response>> {
    let raw = pairs.get("reason").unwrap_or_default();
    let mut flaws = FieldErrors::default();
    let reason = correction_reason(&mut flaws, raw);
    if flaws.is_empty() {
        Ok(reason)
    } else {
        Err(Box::new(void_page(ctx, detail, target, raw, &flaws)))
    }
}

/// `GET /cases/{id}/sessions/{sid}/void`
pub async fn void_session_form(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(sid): RecordId,
) -> AppResult<Response> {
    let (detail, session) = match load_session(&state, &ctx, id, sid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let none = FieldErrors::default();
    Ok(void_page(&ctx, &detail, VoidTarget::Session(&session), "", &none))
}

/// `POST /cases/{id}/sessions/{sid}/void`
pub async fn void_session(
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
    let reason = match void_reason(&ctx, &detail, VoidTarget::Session(&session), &pairs) {
        Ok(reason) => reason,
        Err(page) => return Ok(*page),
    };
    let case_id = detail.case.id;
    let actor = Some(ctx.user()?.id);
    let result = sessions::void(&state.pool, case_id, sid, state.today(), &reason, actor).await;
    if let Some(page) = written(&ctx, &detail, result)? {
        return Ok(page);
    }
    tracing::info!(case_id, session_id = sid, "session voided");
    ctx.flash(Msg::CorrSessionVoided).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}#session-{sid}")).into_response())
}

/// `GET /cases/{id}/visits/{vid}/void`
pub async fn void_visit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(vid): RecordId,
) -> AppResult<Response> {
    let (detail, visit) = match load_visit(&state, &ctx, id, vid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let none = FieldErrors::default();
    Ok(void_page(&ctx, &detail, VoidTarget::Visit(&visit), "", &none))
}

/// `POST /cases/{id}/visits/{vid}/void`
pub async fn void_visit(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(vid): RecordId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let (detail, visit) = match load_visit(&state, &ctx, id, vid).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let reason = match void_reason(&ctx, &detail, VoidTarget::Visit(&visit), &pairs) {
        Ok(reason) => reason,
        Err(page) => return Ok(*page),
    };
    let case_id = detail.case.id;
    let actor = Some(ctx.user()?.id);
    let result = visits::correct(
        &state.pool,
        case_id,
        vid,
        Correction::Void(state.today()),
        &reason,
        actor,
    )
    .await;
    if let Some(page) = written(&ctx, &detail, result)? {
        return Ok(page);
    }
    tracing::info!(case_id, visit_id = vid, "return visit voided");
    ctx.flash(Msg::CorrVisitVoided).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}#follow-up")).into_response())
}
