//! `/api/v1/cases`: the case register through the API, calling the same
//! rules (`CaseForm::validate` through `web::cases::check`) and the same
//! store code as the case pages, in the token user's scope.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Caller;
use super::body::{CaseBody, CaseCreated, CaseOut, CaseSummary, CasesPage, read_body};
use super::problem::{ApiError, ApiResult};
use super::responses::{CaseReadProblems, CaseWriteProblems, ReadProblems, WriteProblems};
use super::{json, paging};
use crate::domain::case::{FieldErrors, Problem as FieldProblem};
use crate::domain::{CaseFilter, Permission, RefList, Status};
use crate::i18n::Msg;
use crate::store::cases;
use crate::web::{AppError, AppState, CaseId};

/// The case list: the list page's filters (`status`, `category`, `source`,
/// `district`, `mediator`, `from`, `to`, `q`, `flag`), newest received
/// first, `limit` cases a page (default 50, at most 200), and a `next` link
/// that goes on after the page's last case.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(
        ("status" = Option<String>, Query, description = "A status code (registered, in_mediation, settled …); voided cases only when asked for"),
        ("category" = Option<String>, Query, description = "A category code"),
        ("source" = Option<String>, Query, description = "A source code"),
        ("district" = Option<String>, Query, description = "A district code"),
        ("mediator" = Option<i64>, Query, description = "A mediator's id"),
        ("from" = Option<String>, Query, description = "Received on or after (YYYY-MM-DD)"),
        ("to" = Option<String>, Query, description = "Received on or before (YYYY-MM-DD)"),
        ("q" = Option<String>, Query, description = "Words of the case number, project, summary or parties"),
        ("flag" = Option<String>, Query, description = "overdue, follow_up or judicial_due"),
        ("limit" = Option<i64>, Query, description = "Cases per page, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "Where the page starts: the `cursor` of the page before"),
    ),
    responses(
        (status = 200, description = "One page of cases", body = CasesPage),
        ReadProblems,
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    caller.committee_member()?;
    let (mut filter, unread) = CaseFilter::read(&pairs);
    let mut errors = FieldErrors::default();
    for u in &unread {
        errors.add(u.key.clone(), u.problem);
    }
    let refs = state.refs().await?;
    for (list, key, value) in [
        (RefList::Category, "category", &filter.category),
        (RefList::Source, "source", &filter.source),
        (RefList::District, "district", &filter.district),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| !refs.list(list).iter().any(|i| i.code == *v))
        {
            errors.add(key, FieldProblem::UnknownCode);
        }
    }
    let page = paging::read(&pairs, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    filter.phones = crate::web::cases::phone_search_for(caller.may(Permission::SeePhones), caller.scope());
    // One more than asked: whether a next page exists, without a count.
    let mut rows = cases::list_after(
        &state.pool,
        &filter,
        caller.scope(),
        state.deadlines(),
        page.after,
        page.limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(page.limit as usize);
    let cursor = rows.last().filter(|_| more).map(|r| {
        paging::encode(cases::After {
            received_on: r.received_on,
            id: r.id,
        })
    });
    let next = cursor.as_ref().map(|c| paging::next_link(&pairs, page.limit, c));
    let body = CasesPage {
        cases: rows.iter().map(CaseSummary::of).collect(),
        cursor,
        next,
    };
    Ok(json(StatusCode::OK, &body))
}

/// One case with its parties and mediators. Phones and ID numbers as the
/// user's pages show them (ID numbers masked unless the role sees them whole).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The case", body = CaseOut),
        CaseReadProblems,
    ),
    security(("bearer" = [])))]
pub async fn show(State(state): State<AppState>, caller: Caller, id: Result<CaseId, AppError>) -> ApiResult<Response> {
    caller.committee_member()?;
    let CaseId(id) = id?;
    let detail = cases::get(&state.pool, id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(json(StatusCode::OK, &CaseOut::of(&detail, &caller)))
}

/// Registers a case (e.g. a court's referral) in the token user's
/// committee: the case form's rules, its number drawn as on the page, in
/// the audit trail as the user's. Nothing is written when a field is refused.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    request_body = CaseBody,
    responses(
        (status = 201, description = "Registered", body = CaseCreated),
        WriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn create(State(state): State<AppState>, caller: Caller, body: Bytes) -> ApiResult<Response> {
    let user = caller.require(Permission::ChangeCases)?;
    let body: CaseBody = read_body(&body)?;
    let input = crate::web::cases::check(&state, user.org_id, &body.form(), None)
        .await?
        .map_err(ApiError::Validation)?;
    let committee = state.committee(user.org_id).await?;
    let (id, case_no) = cases::create(&state.pool, &input, &committee, Some(user.id)).await?;
    tracing::info!(case_id = id, %case_no, token = caller.token_id, "case registered through the API");
    let mut response = json(StatusCode::CREATED, &CaseCreated { id, case_no });
    if let Ok(v) = format!("/api/v1/cases/{id}").parse() {
        response.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    Ok(response)
}

/// Changes a case's registration (the edit form's fields): the whole case
/// as `POST` takes it. ID numbers sent back masked as read keep the stored ones.
#[utoipa::path(put, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = CaseBody,
    responses(
        (status = 200, description = "The case as saved", body = CaseOut),
        CaseWriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<CaseId, AppError>,
    body: Bytes,
) -> ApiResult<Response> {
    caller.committee_member()?;
    let CaseId(id) = id?;
    let detail = cases::get(&state.pool, id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    let user = caller.require(Permission::ChangeCases)?;
    crate::web::transfers::refuse_while_pending(&state, id).await?;
    if detail.case.archived_on.is_some() {
        return Err(ApiError::Conflict(Msg::WfRefusedArchived));
    }
    if detail.case.status == Status::Voided {
        return Err(ApiError::Conflict(Msg::CorrRefusedVoided));
    }
    let body: CaseBody = read_body(&body)?;
    let stored: Vec<&str> = detail.parties.iter().map(|p| p.id_number.as_str()).collect();
    let form = body.form().with_masked_ids_restored(&stored);
    let input = crate::web::cases::check(&state, user.org_id, &form, Some(&detail))
        .await?
        .map_err(ApiError::Validation)?;
    cases::update(&state.pool, id, &input, Some(user.id)).await?;
    tracing::info!(case_id = id, token = caller.token_id, "case changed through the API");
    let saved = cases::get(&state.pool, id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(json(StatusCode::OK, &CaseOut::of(&saved, &caller)))
}
