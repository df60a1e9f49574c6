//! The mediators page: list, add, edit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::routes::Routes;
use super::views::mediators::{self as view, MediatorForm};
use super::{AppError, AppResult, AppState, Ctx, FormPairs, Id};
use crate::domain::case::{FieldErrors, NAME_MAX, Problem, text};
use crate::domain::{Permission, Phone};
use crate::i18n::Msg;
use crate::store::mediators;

pub fn routes(r: Routes) -> Routes {
    r.get("/mediators", list)
        .post("/mediators", create)
        .get("/mediators/{id}/edit", edit_form)
        .post("/mediators/{id}", update)
}

fn read(form: &FormPairs) -> (MediatorForm, Result<(String, Phone), FieldErrors>) {
    let raw = MediatorForm {
        name: form.text("name"),
        phone: form.text("phone"),
        active: form.get("active").is_some(),
    };
    let mut errors = FieldErrors::default();
    let name = text(&mut errors, "name", &raw.name, NAME_MAX, true);
    let phone = Phone::parse(&raw.phone).unwrap_or_else(|_| {
        errors.add("phone", Problem::BadPhone);
        Phone::default()
    });
    let checked = if errors.is_empty() {
        Ok((name, phone))
    } else {
        Err(errors)
    };
    (raw, checked)
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let all = mediators::list(&state.pool, ctx.scope().committee()).await?;
    let blank = MediatorForm {
        name: String::new(),
        phone: String::new(),
        active: true,
    };
    Ok(view::list(
        &ctx,
        &all,
        ctx.may(Permission::ManageMediators),
        &blank,
        &FieldErrors::default(),
    )
    .into_response())
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    ctx.require(Permission::ManageMediators)?;
    let (raw, checked) = read(&form);
    match checked {
        Ok((name, phone)) => {
            // The add form has no "active" box: a new mediator is active.
            mediators::save(
                &state.pool,
                Some(ctx.user()?.id),
                ctx.committee_id()?,
                None,
                &name,
                phone.as_str(),
                true,
            )
            .await?;
            ctx.flash(Msg::MediatorSaved).await?;
            Ok(Redirect::to("/mediators").into_response())
        }
        Err(errors) => {
            let all = mediators::list(&state.pool, ctx.scope().committee()).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                view::list(&ctx, &all, true, &raw, &errors),
            )
                .into_response())
        }
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    ctx.require(Permission::ManageMediators)?;
    let m = mediators::get(&state.pool, ctx.scope().committee(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = MediatorForm {
        name: m.name.clone(),
        phone: m.phone.clone(),
        active: m.active,
    };
    Ok(view::edit(&ctx, m.id, &form, &FieldErrors::default()).into_response())
}

async fn update(State(state): State<AppState>, ctx: Ctx, Id(id): Id, form: FormPairs) -> AppResult<Response> {
    ctx.require(Permission::ManageMediators)?;
    mediators::get(&state.pool, ctx.scope().committee(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (raw, checked) = read(&form);
    match checked {
        Ok((name, phone)) => {
            mediators::save(
                &state.pool,
                Some(ctx.user()?.id),
                ctx.committee_id()?,
                Some(id),
                &name,
                phone.as_str(),
                raw.active,
            )
            .await?;
            ctx.flash(Msg::MediatorSaved).await?;
            Ok(Redirect::to("/mediators").into_response())
        }
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, view::edit(&ctx, id, &raw, &errors)).into_response()),
    }
}
