//! The users page: create, disable, reset password, change role.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::case::{FieldErrors, NAME_MAX, Problem, check_text, text};
use crate::domain::org::user_place_problem;
use crate::domain::{Permission, Role};
use crate::i18n::Msg;
use crate::password;
use crate::store::users::{self, MediatorLink, UserChangeError};
use crate::store::{login_attempts, mediators, orgs, users::UserRow};
use crate::web::error::unique_as_field;
use crate::web::routes::Routes;
use crate::web::views::admin::users::{self as view, NewUser};
use crate::web::views::admin::users_tokens::TokenSection;
use crate::web::{AppError, AppResult, AppState, Ctx, FormPairs, Id};

pub fn routes(r: Routes) -> Routes {
    r.get("/users", list)
        .post("/users", create)
        .get("/users/{id}/edit", edit_form)
        .post("/users/{id}", update)
        .post("/users/{id}/password", reset_password)
        .post("/users/throttles/clear", clear_throttle)
        // API tokens (issue 16)
        .post("/users/tokens", super::users_tokens::issue)
        .post("/users/tokens/revoke", super::users_tokens::revoke)
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageUsers)?;
    render_list(
        &state,
        &ctx,
        &default_new_user(&ctx)?,
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn render_list(
    state: &AppState,
    ctx: &Ctx,
    form: &NewUser,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    render_with_tokens(state, ctx, form, errors, TokenSection::default(), status).await
}

/// The users page with its token section as given (an issue form sent
/// back with its errors, or a token just issued).
pub(super) async fn render_with_tokens(
    state: &AppState,
    ctx: &Ctx,
    form: &NewUser,
    errors: &FieldErrors,
    mut tokens: TokenSection,
    status: StatusCode,
) -> AppResult<Response> {
    let all: Vec<UserRow> = users::list(&state.pool).await?;
    let places = places(state).await?;
    let throttles = login_attempts::throttles(&state.pool, chrono::Utc::now().timestamp()).await?;
    tokens.tokens = crate::store::tokens::list(&state.pool, None).await?;
    Ok((
        status,
        view::list(ctx, &all, &places, &throttles, form, errors, &tokens),
    )
        .into_response())
}

/// The organisations a user may be put in and every committee's mediators.
async fn places(state: &AppState) -> AppResult<view::Places> {
    Ok(view::Places {
        orgs: orgs::list(&state.pool).await?,
        mediators: orgs::mediators_by_committee(&state.pool).await?,
    })
}

/// Reads the chosen organisation and checks it against the role (see
/// `domain::org::user_place_problem`): its id, or a field error on `org`.
async fn chosen_org(
    state: &AppState,
    role: Option<Role>,
    typed: &str,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let org = match typed.trim().parse::<i64>() {
        Ok(id) => orgs::get(&state.pool, id).await?,
        Err(_) => None,
    };
    let Some(org) = org else {
        errors.add("org", Problem::UnknownCode);
        return Ok(None);
    };
    if let Some(role) = role
        && (org.remote || user_place_problem(role, org.kind, org.retired).is_some())
    {
        errors.add("org", Problem::UnknownCode);
        return Ok(None);
    }
    Ok(Some(org.id))
}

/// Reads a mediator choice on the edit page: an id, or none.
fn mediator_choice(value: &str) -> Option<Option<i64>> {
    match value.trim() {
        "" => Some(None),
        v => v.parse().ok().map(Some),
    }
}

/// Reads the new user's mediator: none chosen, an existing record, or a
/// new one under the real name typed in `mediator_name`. Only a mediator
/// account is linked; for the others the choice is ignored.
async fn new_user_link(
    state: &AppState,
    committee: i64,
    role: Option<Role>,
    typed: &NewUser,
    errors: &mut FieldErrors,
) -> AppResult<MediatorLink> {
    if role != Some(Role::Mediator) {
        return Ok(MediatorLink::None);
    }
    Ok(match typed.mediator.trim() {
        "" => {
            errors.add("mediator", Problem::NeedMediator);
            MediatorLink::None
        }
        "new" => {
            let name = text(errors, "mediator_name", &typed.mediator_name, NAME_MAX, true);
            MediatorLink::New(name)
        }
        v => match v.parse() {
            Ok(id) if mediators::get(&state.pool, Some(committee), id).await?.is_some() => MediatorLink::Existing(id),
            _ => {
                errors.add("mediator", Problem::UnknownMediator);
                MediatorLink::None
            }
        },
    })
}

fn check_password(errors: &mut FieldErrors, field: &str, pw: &str) {
    if pw.chars().count() < password::MIN_LEN {
        errors.add(field, Problem::PasswordTooShort);
    }
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let (username, username_problem) = check_text(&form.text("username"), 64, true);
    let typed = NewUser {
        username,
        role: form.text("role"),
        mediator: form.text("mediator"),
        mediator_name: form.text("mediator_name"),
        // A form without the choice (an older page) means the admin's own.
        org: match form.get("org") {
            Some(org) => org.to_string(),
            None => ctx.committee_id()?.to_string(),
        },
    };
    let pw = form.text("password");
    let mut errors = FieldErrors::default();
    if let Some(problem) = username_problem {
        errors.add("username", problem);
    }
    let role = Role::from_code(&typed.role);
    if role.is_none() {
        errors.add("role", Problem::UnknownCode);
    }
    check_password(&mut errors, "password", &pw);
    let org = chosen_org(&state, role, &typed.org, &mut errors).await?;
    let committee = org.unwrap_or(-1);
    let link = new_user_link(&state, committee, role, &typed, &mut errors).await?;
    let (Some(role), Some(org), true) = (role, org, errors.is_empty()) else {
        return render_list(&state, &ctx, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let hash = state.hashing.hash(pw).await?;
    let client = ctx.client.to_string();
    let created = users::create(
        &state.pool,
        Some(actor),
        Some(&client),
        users::NewAccount {
            username: &typed.username,
            password_hash: &hash,
            role,
            org_id: org,
            link,
        },
    )
    .await;
    if unique_as_field(created, &mut errors, "username")?.is_none() {
        return render_list(&state, &ctx, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    ctx.flash(Msg::UserSaved).await?;
    Ok(Redirect::to("/users").into_response())
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    ctx.require(Permission::ManageUsers)?;
    render_edit(&state, &ctx, id, None, &FieldErrors::default(), None, StatusCode::OK).await
}

/// The edit page, showing `typed` (role, organisation, mediator) when a
/// submission is sent back.
async fn render_edit(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    typed: Option<view::EditUser>,
    errors: &FieldErrors,
    refusal: Option<Msg>,
    status: StatusCode,
) -> AppResult<Response> {
    let user = users::list(&state.pool)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)?;
    let typed = typed.unwrap_or_else(|| view::EditUser::of(&user));
    let places = places(state).await?;
    Ok((status, view::edit(ctx, &user, &typed, &places, errors, refusal)).into_response())
}

async fn update(State(state): State<AppState>, ctx: Ctx, Id(id): Id, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let mut errors = FieldErrors::default();
    let typed = view::EditUser {
        role: form.text("role"),
        // A form without the choice (an older page) keeps the user where they are.
        org: match form.get("org") {
            Some(org) => org.to_string(),
            None => users::by_id(&state.pool, id)
                .await?
                .ok_or(AppError::NotFound)?
                .org_id
                .to_string(),
        },
        mediator: form.text("mediator"),
        active: form.get("active").is_some(),
    };
    let role = Role::from_code(&typed.role);
    if role.is_none() {
        errors.add("role", Problem::UnknownCode);
    }
    let org = chosen_org(&state, role, &typed.org, &mut errors).await?;
    // A mediator account's record is one of its committee's mediators.
    let mediator = match mediator_choice(&typed.mediator) {
        Some(Some(m)) if mediators::get(&state.pool, Some(org.unwrap_or(-1)), m).await?.is_some() => Some(m),
        Some(None) => None,
        _ if role != Some(Role::Mediator) => None,
        _ => {
            errors.add("mediator", Problem::UnknownMediator);
            None
        }
    };
    if role == Some(Role::Mediator) && mediator.is_none() {
        errors.add("mediator", Problem::NeedMediator);
    }
    let (Some(role), Some(org_id), true) = (role, org, errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_edit(&state, &ctx, id, Some(typed), &errors, None, status).await;
    };
    let client = ctx.client.to_string();
    let account = users::Account {
        role,
        org_id,
        mediator_id: mediator,
        active: typed.active,
    };
    let changed = users::change(&state.pool, Some(actor), Some(&client), id, account).await;
    state.users_changed();
    match changed {
        Ok(()) => {
            ctx.flash(Msg::UserSaved).await?;
            Ok(Redirect::to("/users").into_response())
        }
        Err(UserChangeError::NotFound) => Err(AppError::NotFound),
        Err(UserChangeError::LastAdmin) => {
            render_edit(
                &state,
                &ctx,
                id,
                Some(typed),
                &errors,
                Some(Msg::LastAdmin),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(UserChangeError::Db(e)) => Err(e.into()),
    }
}

async fn reset_password(State(state): State<AppState>, ctx: Ctx, Id(id): Id, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let pw = form.text("password");
    let mut errors = FieldErrors::default();
    check_password(&mut errors, "password", &pw);
    if !errors.is_empty() {
        return render_edit(&state, &ctx, id, None, &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = state.hashing.hash(pw).await?;
    let client = ctx.client.to_string();
    let reset = users::reset_password(&state.pool, Some(actor), Some(&client), id, &hash).await;
    state.users_changed();
    if !reset? {
        return Err(AppError::NotFound);
    }
    ctx.flash(Msg::PasswordReset).await?;
    Ok(Redirect::to("/users").into_response())
}

/// Lifts a sign-in throttle shown on the users page: a username from an
/// address, or an address whatever the username.
async fn clear_throttle(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageUsers)?.id;
    let username = form.get("username").filter(|u| !u.is_empty());
    let client = form.get("client").filter(|c| !c.is_empty());
    if client.is_none() {
        return Err(AppError::BadRequest);
    }
    login_attempts::clear(&state.pool, Some(actor), username, client).await?;
    ctx.flash(Msg::ThrottleCleared).await?;
    Ok(Redirect::to("/users").into_response())
}

/// The new-user form as the users page first shows it.
pub(super) fn default_new_user(ctx: &Ctx) -> AppResult<NewUser> {
    Ok(NewUser {
        role: "mediator".into(),
        org: ctx.committee_id()?.to_string(),
        ..NewUser::default()
    })
}
