//! The organisations page (issue 15): the tree of associations and
//! committees, adding, renaming and retiring them. Admins manage the whole
//! installation's tree, as they manage its accounts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::Permission;
use crate::domain::org::{OrgErrors, OrgInput, OrgProblem, check_name, check_region};
use crate::i18n::Msg;
use crate::store::orgs::{self, OrgError};
use crate::web::routes::Routes;
use crate::web::views::admin::orgs::{self as view, Sent};
use crate::web::{AppError, AppResult, AppState, Ctx, FormPairs, Id};

pub fn routes(r: Routes) -> Routes {
    r.get("/orgs", list)
        .post("/orgs", create)
        .get("/orgs/{id}/edit", edit_form)
        .post("/orgs/{id}", update)
        .post("/orgs/{id}/retire", retire)
        .post("/orgs/{id}/restore", restore)
}

const REFUSED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageUsers)?;
    render_list(&state, &ctx, None, None, StatusCode::OK).await
}

async fn render_list(
    state: &AppState,
    ctx: &Ctx,
    sent: Option<&Sent<'_>>,
    refusal: Option<OrgProblem>,
    status: StatusCode,
) -> AppResult<Response> {
    let all = orgs::list_with_counts(&state.pool).await?;
    Ok((status, view::list(ctx, &all, sent, refusal)).into_response())
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let input = OrgInput {
        kind: form.text("kind"),
        parent: form.text("parent"),
        level: form.text("level"),
        name: form.text("name"),
        region: form.text("region"),
        prefix: form.text("prefix"),
    };
    let errors = match input.check(&state.config.case_prefix) {
        Ok(new) => {
            let client = ctx.client.to_string();
            match orgs::add(&state.pool, Some(actor), Some(&client), &new).await {
                Ok(_) => {
                    ctx.flash(Msg::OrgSaved).await?;
                    return Ok(Redirect::to("/orgs").into_response());
                }
                Err(OrgError::Invalid(errors)) => errors,
                Err(OrgError::NotFound) => return Err(AppError::NotFound),
                Err(OrgError::Db(e)) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let sent = Sent {
        input: &input,
        errors: &errors,
    };
    render_list(&state, &ctx, Some(&sent), None, REFUSED).await
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    ctx.require(Permission::ManageUsers)?;
    let org = orgs::get(&state.pool, id).await?.ok_or(AppError::NotFound)?;
    let region = org.region_code.clone().unwrap_or_default();
    Ok(view::edit(&ctx, &org, &org.name, &region, &OrgErrors::default()).into_response())
}

async fn update(State(state): State<AppState>, ctx: Ctx, Id(id): Id, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let org = orgs::get(&state.pool, id).await?.ok_or(AppError::NotFound)?;
    let (typed_name, typed_region) = (form.text("name"), form.text("region"));
    let mut errors = OrgErrors::default();
    let name = check_name(&mut errors, "name", &typed_name);
    // An organisation from before issue 15 may have no region yet; once
    // set, a region code is not taken away.
    let region = if typed_region.trim().is_empty() && org.region_code.is_none() {
        None
    } else {
        check_region(&mut errors, "region", &typed_region)
    };
    if errors.is_empty() {
        let client = ctx.client.to_string();
        match orgs::update(&state.pool, Some(actor), Some(&client), id, &name, region.as_ref()).await {
            Ok(()) => {
                ctx.flash(Msg::OrgSaved).await?;
                return Ok(Redirect::to("/orgs").into_response());
            }
            Err(OrgError::Invalid(e)) => errors = e,
            Err(OrgError::NotFound) => return Err(AppError::NotFound),
            Err(OrgError::Db(e)) => return Err(e.into()),
        }
    }
    Ok((REFUSED, view::edit(&ctx, &org, &typed_name, &typed_region, &errors)).into_response())
}

async fn retire(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let client = ctx.client.to_string();
    let done = orgs::retire(&state.pool, Some(actor), Some(&client), id).await;
    after_retirement(&state, &ctx, done).await
}

async fn restore(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let client = ctx.client.to_string();
    let done = orgs::restore(&state.pool, Some(actor), Some(&client), id).await;
    after_retirement(&state, &ctx, done).await
}

async fn after_retirement(state: &AppState, ctx: &Ctx, done: Result<(), OrgError>) -> AppResult<Response> {
    match done {
        Ok(()) => {
            ctx.flash(Msg::OrgSaved).await?;
            Ok(Redirect::to("/orgs").into_response())
        }
        Err(OrgError::Invalid(errors)) => {
            let refusal = errors.0.first().map(|(_, p)| *p);
            render_list(state, ctx, None, refusal, REFUSED).await
        }
        Err(OrgError::NotFound) => Err(AppError::NotFound),
        Err(OrgError::Db(e)) => Err(e.into()),
    }
}
