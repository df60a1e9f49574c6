//! The reference lists page: add, rename, retire and delete codes.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::case::{FieldErrors, Problem, text};
use crate::domain::{Permission, RefList};
use crate::i18n::Msg;
use crate::store::reference::{self, RefChangeError};
use crate::web::routes::Routes;
use crate::web::views::admin::reference::{self as view, Refused};
use crate::web::{AppError, AppResult, AppState, Ctx, FormPairs};

pub fn routes(r: Routes) -> Routes {
    r.get("/reference", page)
        .post("/reference/{list}", add)
        .post("/reference/{list}/{code}", rename)
        .post("/reference/{list}/{code}/retire", retire)
        .post("/reference/{list}/{code}/delete", delete)
}

fn list_of(name: &str) -> AppResult<RefList> {
    RefList::ALL
        .into_iter()
        .find(|l| l.table() == name)
        .ok_or(AppError::NotFound)
}

async fn render(state: &AppState, ctx: &Ctx, refused: Option<Refused<'_>>) -> AppResult<Response> {
    let lists = reference::load(&state.pool).await?;
    let mut usage = HashMap::new();
    for list in RefList::ALL {
        usage.insert(list.table(), reference::usage(&state.pool, list).await?);
    }
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, view::page(ctx, &lists, &usage, refused.as_ref())).into_response())
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageReference)?;
    render(&state, &ctx, None).await
}

/// Checks the two labels, at most 60 characters each.
fn labels(errors: &mut FieldErrors, form: &FormPairs) -> (String, String) {
    (
        text(errors, "label_zh", &form.text("label_zh"), 60, true),
        text(errors, "label_en", &form.text("label_en"), 60, true),
    )
}

async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(list): Path<String>,
    form: FormPairs,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageReference)?.id;
    let list = list_of(&list)?;
    let mut errors = FieldErrors::default();
    let code = form.text("code").trim().to_string();
    if code.is_empty() {
        errors.add("code", Problem::Required);
    } else if code.len() > 40
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        errors.add("code", Problem::BadCode);
    }
    let (zh, en) = labels(&mut errors, &form);
    if errors.is_empty() {
        match reference::add(&state.pool, Some(actor), list, &code, &zh, &en).await {
            Ok(()) => {
                ctx.flash(Msg::ReferenceSaved).await?;
                return Ok(Redirect::to("/reference").into_response());
            }
            Err(RefChangeError::Duplicate) => errors.add("code", Problem::Duplicate),
            Err(e) => return Err(e.into()),
        }
    }
    let refused = Refused {
        list,
        code: &code,
        zh: &zh,
        en: &en,
        errors,
        message: None,
    };
    render(&state, &ctx, Some(refused)).await
}

async fn rename(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
    form: FormPairs,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageReference)?.id;
    let list = list_of(&list)?;
    let mut errors = FieldErrors::default();
    let (zh, en) = labels(&mut errors, &form);
    if !errors.is_empty() {
        let refused = Refused {
            list,
            code: &code,
            zh: &zh,
            en: &en,
            errors,
            message: Some(Msg::FormHasErrors),
        };
        return render(&state, &ctx, Some(refused)).await;
    }
    reference::rename(&state.pool, Some(actor), list, &code, &zh, &en).await?;
    ctx.flash(Msg::ReferenceSaved).await?;
    Ok(Redirect::to("/reference").into_response())
}

async fn retire(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
    form: FormPairs,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageReference)?.id;
    let list = list_of(&list)?;
    let retired = form.get("retired") != Some("0");
    reference::set_retired(&state.pool, Some(actor), list, &code, retired).await?;
    ctx.flash(Msg::ReferenceSaved).await?;
    Ok(Redirect::to("/reference").into_response())
}

async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageReference)?.id;
    let list = list_of(&list)?;
    match reference::delete(&state.pool, Some(actor), list, &code).await {
        Ok(()) => {
            ctx.flash(Msg::ReferenceDeleted).await?;
            Ok(Redirect::to("/reference").into_response())
        }
        Err(RefChangeError::InUse) => {
            let refused = Refused {
                list,
                code: &code,
                zh: "",
                en: "",
                errors: FieldErrors::default(),
                message: Some(Msg::CodeInUse),
            };
            render(&state, &ctx, Some(refused)).await
        }
        Err(e) => Err(e.into()),
    }
}
