//! The reference lists page: add, rename, retire and delete codes.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::case::{FieldErrors, Problem, text};
use crate::domain::reference::is_valid_code;
use crate::domain::{Permission, RefList};
use crate::i18n::Msg;
use crate::store::reference::{self, RefChangeError};
use crate::web::routes::Routes;
use crate::web::views::admin::reference::{self as view, Confirm, Refused};
use crate::web::{AppError, AppResult, AppState, Ctx, FormPairs};

pub fn routes(r: Routes) -> Routes {
    r.get("/reference", page)
        .post("/reference/{list}", add)
        .post("/reference/{list}/{code}", rename)
        .get("/reference/{list}/{code}/retire", confirm_retire)
        .post("/reference/{list}/{code}/retire", retire)
        .get("/reference/{list}/{code}/delete", confirm_delete)
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
    // The form asks only for labels; a code may still be given (a script,
    // or districts by their GB/T 2260 names) and is then checked.
    let code = form.text("code").trim().to_string();
    if !code.is_empty() && !is_valid_code(&code) {
        errors.add("code", Problem::BadCode);
    }
    let (zh, en) = labels(&mut errors, &form);
    if errors.is_empty() {
        let given = (!code.is_empty()).then_some(code.as_str());
        let added = reference::add(&state.pool, Some(actor), list, given, &zh, &en).await;
        state.refs_changed();
        match added {
            Ok(_) => {
                ctx.flash(Msg::ReferenceSaved).await?;
                return Ok(Redirect::to("/reference").into_response());
            }
            Err(RefChangeError::Duplicate) => {
                errors.add(if code.is_empty() { "label_en" } else { "code" }, Problem::Duplicate)
            }
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
    let renamed = reference::rename(&state.pool, Some(actor), list, &code, &zh, &en).await;
    state.refs_changed();
    renamed?;
    ctx.flash(Msg::ReferenceSaved).await?;
    Ok(Redirect::to("/reference").into_response())
}

/// The page asking "retire this entry?", its form posting to the same path.
async fn confirm_retire(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
) -> AppResult<Response> {
    confirm(&state, &ctx, &list, &code, Confirm::Retire).await
}

/// The page asking "delete this entry?"; an entry in use can only be retired.
async fn confirm_delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
) -> AppResult<Response> {
    confirm(&state, &ctx, &list, &code, Confirm::Delete).await
}

async fn confirm(state: &AppState, ctx: &Ctx, list: &str, code: &str, what: Confirm) -> AppResult<Response> {
    ctx.require(Permission::ManageReference)?;
    let list = list_of(list)?;
    let lists = reference::load(&state.pool).await?;
    let item = lists
        .list(list)
        .iter()
        .find(|i| i.code == code)
        .ok_or(AppError::NotFound)?;
    let used = reference::usage(&state.pool, list)
        .await?
        .get(code)
        .copied()
        .unwrap_or(0);
    Ok(view::confirm(ctx, list, item, used, what).into_response())
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
    let changed = reference::set_retired(&state.pool, Some(actor), list, &code, retired).await;
    state.refs_changed();
    changed?;
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
    let deleted = reference::delete(&state.pool, Some(actor), list, &code).await;
    state.refs_changed();
    match deleted {
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
