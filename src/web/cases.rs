//! The case register: list, register, show, edit.

use std::collections::HashSet;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::routes::Routes;
use super::views;
use super::views::admin::audit::timeline;
use super::views::cases::{self as view, FormView, ListView, ShowView};
use super::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs};
use crate::domain::case::{CaseForm, FieldErrors, Lookup, PartyForm};
use crate::domain::fields::Problem;
use crate::domain::filter::Unread;
use crate::domain::reference::RefLists;
use crate::domain::search::PhoneSearch;
use crate::domain::workflow::Refusal;
use crate::domain::{CaseFilter, Listing, PartyRole, Permission, RefList};
use crate::i18n::Msg;
use crate::store::{self, cases};

pub fn routes(r: Routes) -> Routes {
    r.get("/cases", list)
        .post("/cases", create)
        .get("/cases/new", new_form)
        .get("/cases/{id}", show)
        .post("/cases/{id}", update)
        .get("/cases/{id}/edit", edit_form)
}

/// Reads a page number: 1 when missing or nonsense, never past a million
/// (so the offset cannot overflow).
pub fn parse_page(raw: Option<&str>) -> i64 {
    raw.and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000)
}

/// Whose parties' phone numbers a search may match: admins any case's, a
/// mediator the cases they mediate; nobody who may not see phones.
pub fn phone_search(ctx: &Ctx) -> PhoneSearch {
    phone_search_for(ctx.may(Permission::SeePhones), ctx.scope())
}

/// [`phone_search`] for a user who may or may not see phones, in `scope`
/// (an API token's user too).
pub fn phone_search_for(sees_phones: bool, scope: cases::Scope) -> PhoneSearch {
    if !sees_phones {
        return PhoneSearch::Off;
    }
    match scope {
        cases::Scope::All | cases::Scope::Committee { .. } => PhoneSearch::AllCases,
        cases::Scope::Mediator {
            mediator_id: Some(m), ..
        } => PhoneSearch::CasesOf(m),
        cases::Scope::Mediator { mediator_id: None, .. } | cases::Scope::Subtree(_) => PhoneSearch::Off,
    }
}

/// What the case rules check against.
struct World<'a> {
    today: NaiveDate,
    refs: &'a RefLists,
    mediators: HashSet<i64>,
    /// Codes the case already has: still allowed when since retired.
    kept: HashSet<String>,
    max_parties_per_side: usize,
}

impl Lookup for World<'_> {
    fn today(&self) -> NaiveDate {
        self.today
    }
    fn code_allowed(&self, list: RefList, code: &str) -> bool {
        self.refs.allowed(list, code)
            || (self.kept.contains(code) && self.refs.list(list).iter().any(|i| i.code == code))
    }
    fn mediator_allowed(&self, id: i64) -> bool {
        self.mediators.contains(&id)
    }
    fn max_parties_per_side(&self) -> usize {
        self.max_parties_per_side
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (mut filter, mut unread) = CaseFilter::read(&pairs);
    filter.phones = phone_search(&ctx);
    let listing = Listing::read(&pairs, &mut unread);
    let refs = state.refs().await?;
    // One connection for the page's queries (see `store::cases::list_in`).
    let mut held = state.pool.acquire().await?;
    let conn = &mut held.conn();
    let versions = store::mediators::versions_in(conn).await?;
    let mediators = state.roster.list_in(conn, ctx.scope().committee(), versions).await?;
    // A code or mediator no list knows is ignored like any unreadable value.
    for (list, key, value) in [
        (RefList::Category, "category", &mut filter.category),
        (RefList::Source, "source", &mut filter.source),
        (RefList::District, "district", &mut filter.district),
    ] {
        if let Some(v) = value.take_if(|v| !refs.list(list).iter().any(|i| i.code == *v)) {
            unread.push(Unread::new(key, &v, Problem::UnknownCode));
        }
    }
    if let Some(m) = filter.mediator.take_if(|m| !mediators.iter().any(|x| x.id == *m)) {
        unread.push(Unread::new("mediator", &m.to_string(), Problem::UnknownMediator));
    }
    let found = super::list_counts::list_page(&state, conn, &filter, ctx.scope(), listing, versions.data).await?;
    drop(held);
    let v = ListView {
        rows: &found.rows,
        total: found.total,
        more: found.more,
        past_cap: found.past_cap,
        listing: found.listing,
        unread: &unread,
        filter: &filter,
        refs: &refs,
        mediators: &mediators,
        deadlines: state.deadlines(),
    };
    Ok(view::list_page(&ctx, &v).into_response())
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ChangeCases)?;
    let mut form = CaseForm {
        received_on: state.today().to_string(),
        applicants: vec![PartyForm::default()],
        respondents: vec![PartyForm::default()],
        ..CaseForm::default()
    };
    if let Some(m) = ctx.user()?.mediator_id {
        form.mediators.push(m.to_string());
    }
    render_form(&state, &ctx, None, form, FieldErrors::default(), None, StatusCode::OK).await
}

async fn render_form(
    state: &AppState,
    ctx: &Ctx,
    case: Option<(i64, &str)>,
    form: CaseForm,
    errors: FieldErrors,
    focus: Option<PartyRole>,
    status: StatusCode,
) -> AppResult<Response> {
    let refs = state.refs().await?;
    // A case is registered in the user's committee and never leaves it here.
    let mediators = state.roster.list(&state.pool, Some(ctx.committee_id()?)).await?;
    let (title, action, cancel) = match case {
        Some((id, _)) => (Msg::EditCaseTitle, format!("/cases/{id}"), format!("/cases/{id}")),
        None => (Msg::NewCaseTitle, "/cases".to_string(), "/cases".to_string()),
    };
    let v = FormView {
        title,
        action,
        case_no: case.map(|(_, no)| no),
        form: &form,
        errors: &errors,
        refs: &refs,
        mediators: &mediators,
        cancel,
        focus,
        max_parties: state.config.max_parties_per_side,
    };
    Ok((status, view::form_page(ctx, &v)).into_response())
}

/// The "add a row" button: the form again as typed, with one more blank
/// party row on `side` and no errors (unless the side is full).
async fn add_row(
    state: &AppState,
    ctx: &Ctx,
    case: Option<(i64, &str)>,
    mut form: CaseForm,
    side: PartyRole,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    if let Err(full) = form.add_party_row(side, state.config.max_parties_per_side) {
        errors.add(full.field, full.problem);
    }
    render_form(state, ctx, case, form, errors, Some(side), StatusCode::OK).await
}

/// Checks a submitted form (the case form's, or the API's body): the
/// checked case, or every field's problem. A new case is registered in
/// `committee`; a case being edited keeps its own committee, its retired
/// codes and its inactive mediators.
pub(super) async fn check(
    state: &AppState,
    committee: i64,
    form: &CaseForm,
    existing: Option<&cases::CaseDetail>,
) -> AppResult<Result<crate::domain::case::CaseInput, FieldErrors>> {
    let refs = state.refs().await?;
    // Only the case's own committee's mediators may be assigned: another
    // committee's id is an unknown mediator, named on the field.
    let committee = existing.map_or(committee, |d| d.case.committee_id);
    let mediators = state.roster.list(&state.pool, Some(committee)).await?;
    let mut kept = HashSet::new();
    let mut assigned = HashSet::new();
    if let Some(d) = existing {
        kept.extend([d.case.source.clone(), d.case.category.clone(), d.case.district.clone()]);
        kept.extend(d.parties.iter().map(|p| p.party_type.clone()));
        assigned.extend(d.mediators.iter().map(|(id, _)| *id));
    }
    let world = World {
        max_parties_per_side: state.config.max_parties_per_side,
        today: state.today(),
        refs: &refs,
        mediators: mediators
            .iter()
            .filter(|m| m.active || assigned.contains(&m.id))
            .map(|m| m.id)
            .collect(),
        kept,
    };
    Ok(form.validate(&world))
}

async fn create(State(state): State<AppState>, ctx: Ctx, pairs: FormPairs) -> AppResult<Response> {
    ctx.require(Permission::ChangeCases)?;
    let form = CaseForm::from_pairs(&pairs.0);
    if let Some(side) = CaseForm::add_row_pressed(&pairs.0) {
        return add_row(&state, &ctx, None, form, side).await;
    }
    match check(&state, ctx.committee_id()?, &form, None).await? {
        Ok(input) => {
            let committee = state.committee(ctx.committee_id()?).await?;
            let (id, case_no) = cases::create(&state.pool, &input, &committee, Some(ctx.user()?.id)).await?;
            tracing::info!(case_id = id, %case_no, "case registered");
            ctx.flash(Msg::CaseCreated).await?;
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }
        Err(errors) => render_form(&state, &ctx, None, form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

async fn show(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let cases::CaseShown {
        detail,
        sessions,
        visits,
        history,
        attachments,
        transfers,
    } = cases::for_page(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)?;
    let refs = state.refs().await?;
    let mut wf = super::workflow::case_workflow(&state, &ctx, &detail, sessions, visits);
    wf.transfers = transfers;
    // A case waiting on a transfer is read-only for its committee.
    let can_edit = ctx.may(Permission::ChangeCases) && wf.pending_transfer().is_none();
    let v = ShowView {
        detail: &detail,
        refs: &refs,
        can_edit,
        show_phones: ctx.may(Permission::SeePhones),
        show_id_numbers: ctx.may(Permission::SeeIdNumbers),
        documents: views::documents::links(&ctx, &detail, &wf.sessions, &wf.visits),
        history: timeline(&ctx, &history, &refs, state.config.timezone),
        workflow_actions: views::workflow::case_actions(&ctx, &detail, &wf),
        workflow: views::workflow::case_sections(&ctx, &detail, &wf),
        attachments: super::attachments::case_section(
            &state,
            &ctx,
            id,
            &attachments,
            &wf.sessions,
            &wf.visits,
            can_edit,
        ),
    };
    Ok(view::show_page(&ctx, &v).into_response())
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let detail = cases::get(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Permission::ChangeCases)?;
    super::transfers::refuse_while_pending(&state, id).await?;
    if detail.case.archived_on.is_some() {
        return Ok(super::workflow::refusal(&ctx, &detail, Refusal::Archived));
    }
    if detail.case.status == crate::domain::Status::Voided {
        return Ok(super::workflow::refusal(&ctx, &detail, Refusal::Voided));
    }
    let c = &detail.case;
    let show_ids = ctx.may(Permission::SeeIdNumbers);
    let party = |p: &cases::Party| PartyForm {
        party_type: p.party_type.clone(),
        name: p.name.clone(),
        phone: p.phone.clone(),
        id_number: if show_ids {
            p.id_number.clone()
        } else {
            crate::domain::id_number::mask(&p.id_number)
        },
        address: p.address.clone(),
        representative: p.representative.clone(),
    };
    let form = CaseForm {
        received_on: c.received_on.to_string(),
        source: c.source.clone(),
        category: c.category.clone(),
        project: c.project.clone(),
        district: c.district.clone(),
        summary: c.summary.clone(),
        amount_claimed: c
            .claimed()
            .map(|f| crate::domain::Money::from_fen(f).plain())
            .unwrap_or_default(),
        applicants: detail.applicants().map(party).collect(),
        respondents: detail.respondents().map(party).collect(),
        mediators: detail.mediators.iter().map(|(id, _)| id.to_string()).collect(),
        figures: crate::domain::official::FiguresForm::of(c.figures()),
    };
    render_form(
        &state,
        &ctx,
        Some((id, &c.case_no)),
        form,
        FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn update(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId, pairs: FormPairs) -> AppResult<Response> {
    let detail = cases::get(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Permission::ChangeCases)?;
    super::transfers::refuse_while_pending(&state, id).await?;
    // An archived case is read-only (only return visits may be added).
    if detail.case.archived_on.is_some() {
        return Ok(super::workflow::refusal(&ctx, &detail, Refusal::Archived));
    }
    if detail.case.status == crate::domain::Status::Voided {
        return Ok(super::workflow::refusal(&ctx, &detail, Refusal::Voided));
    }
    let form = CaseForm::from_pairs(&pairs.0);
    if let Some(side) = CaseForm::add_row_pressed(&pairs.0) {
        return add_row(&state, &ctx, Some((id, &detail.case.case_no)), form, side).await;
    }
    // The edit form showed ID numbers masked to most users; one sent back
    // unchanged keeps the stored number. A refused form shows what was sent.
    let stored: Vec<&str> = detail.parties.iter().map(|p| p.id_number.as_str()).collect();
    let restored = form.with_masked_ids_restored(&stored);
    match check(&state, ctx.committee_id()?, &restored, Some(&detail)).await? {
        Ok(input) => {
            cases::update(&state.pool, id, &input, Some(ctx.user()?.id)).await?;
            tracing::info!(case_id = id, "case changed");
            ctx.flash(Msg::CaseSaved).await?;
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }
        Err(errors) => {
            render_form(
                &state,
                &ctx,
                Some((id, &detail.case.case_no)),
                form,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
