//! The users page's API tokens (issue 16): issue one to a user, revoke one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::users::{default_new_user, render_with_tokens};
use crate::domain::Permission;
use crate::domain::case::{FieldErrors, Problem};
use crate::i18n::Msg;
use crate::store::{tokens, users};
use crate::web::views::admin::users_tokens::TokenSection;
use crate::web::{AppError, AppResult, AppState, Ctx, FormPairs};

/// Issues an API token to a user (issue 16). The answer is the users page
/// itself with the token shown once: it is in no redirect, cookie or log.
pub async fn issue(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let typed = crate::domain::token::IssueForm {
        scope: form.text("scope"),
        days: form.text("days"),
        label: form.text("label"),
    };
    let chosen = form.text("user");
    let user = match chosen.trim().parse::<i64>() {
        Ok(id) => users::by_id(&state.pool, id).await?.filter(|u| u.active),
        Err(_) => None,
    };
    let checked = typed.validate();
    let mut section = TokenSection {
        user: chosen,
        ..TokenSection::default()
    };
    let (Some(user), Ok(request)) = (&user, &checked) else {
        section.errors = checked.err().unwrap_or_default();
        if user.is_none() {
            section.errors.add("user", Problem::UnknownCode);
        }
        section.form = typed;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_with_tokens(
            &state,
            &ctx,
            &default_new_user(&ctx)?,
            &FieldErrors::default(),
            section,
            status,
        )
        .await;
    };
    let client = ctx.client.to_string();
    let (id, secret) = tokens::issue(&state.pool, Some(actor), Some(&client), user.id, request).await?;
    tracing::info!(token = id, user = user.id, "API token issued");
    section.issued = Some(secret);
    render_with_tokens(
        &state,
        &ctx,
        &default_new_user(&ctx)?,
        &FieldErrors::default(),
        section,
        StatusCode::OK,
    )
    .await
}

/// Revokes the API token named by the form's `token`; 404 when there is
/// none to revoke.
pub async fn revoke(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let id: i64 = form.text("token").trim().parse().map_err(|_| AppError::BadRequest)?;
    let client = ctx.client.to_string();
    if !tokens::revoke(&state.pool, Some(actor), Some(&client), id).await? {
        return Err(AppError::NotFound);
    }
    ctx.flash(Msg::TokenRevokedNotice).await?;
    Ok(Redirect::to("/users").into_response())
}
