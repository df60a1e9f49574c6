//! Signing in and out, and the language switch.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::routes::Routes;
use super::views;
use super::{AppResult, AppState, Ctx, FormPairs};
use crate::domain::signin;
use crate::i18n::{Lang, Msg};
use crate::password;
use crate::store::login_attempts::{self, Attempt, Outcome};
use crate::store::{audit, users};

/// Routes open to anonymous visitors.
pub fn routes(r: Routes) -> Routes {
    r.get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout)
        .get("/lang/{code}", switch_lang)
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Where to go after signing in or switching language: a path on this
/// site, or `/`. A path starts with exactly one `/` and has no `//`, no
/// backslash and no control character anywhere: browsers drop tabs and
/// newlines and read `\\` as `/`, so `/\t/evil.example` would leave the site,
/// and a newline cannot go in a `Location` header at all.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.contains("//") && !n.contains('\\') && !n.chars().any(char::is_control) => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

async fn login_form(ctx: Ctx, Query(q): Query<Next>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    views::login::page(&ctx, "", &safe_next(q.next.as_deref()), None).into_response()
}

async fn login(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> AppResult<Response> {
    // Cut before anything is stored, looked up or shown again.
    let username = signin::username(&form.text("username"));
    let password = form.text("password");
    let next = safe_next(form.get("next"));
    let client = ctx.client.to_string();
    let _turn = state.sign_in_gate.enter(ctx.client).await;
    let now = chrono::Utc::now().timestamp();
    let (pair, from_client) = login_attempts::failures(&state.pool, &username, &client, now).await?;
    let wait = pair
        .wait_secs(signin::FREE_PER_USER, now)
        .max(from_client.wait_secs(signin::FREE_PER_CLIENT, now));
    let mut attempt = Attempt {
        username: &username,
        client: &client,
        at: now,
        outcome: Outcome::Refused,
        user_id: None,
    };
    if wait > 0 {
        tracing::warn!(username = %username, %client, wait, "sign-in throttled");
        login_attempts::record(&state.pool, attempt).await?;
        let minutes = ((wait + 59) / 60).to_string();
        let message = ctx.t(Msg::LoginWait).replace("{n}", &minutes);
        let page = views::login::page(&ctx, &username, &next, Some(&message));
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let found = users::by_username(&state.pool, &username).await?;
    attempt.user_id = found.as_ref().map(|(u, _)| u.id);
    let ok = match found {
        Some((user, hash)) if user.active => state.hashing.verify(password, hash).await?.then_some(user),
        Some(_) | None => {
            // Spend the same time whether or not the name exists.
            let _ = state.hashing.verify(password, DUMMY_HASH.clone()).await?;
            None
        }
    };
    attempt.outcome = if ok.is_some() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    login_attempts::record(&state.pool, attempt).await?;
    match ok {
        Some(user) => {
            tracing::info!(username = %user.username, %client, "signed in");
            ctx.sign_in(user.id).await?;
            Ok(Redirect::to(&next).into_response())
        }
        None => {
            tracing::warn!(username = %username, %client, "failed sign-in");
            let page = views::login::page(&ctx, &username, &next, Some(ctx.t(Msg::LoginFailed)));
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

/// A real hash, verified when the username is unknown so that the answer
/// takes as long as for a known name.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password::hash("no such user, no such password"));

async fn logout(State(state): State<AppState>, ctx: Ctx) -> AppResult<Redirect> {
    if let Some(u) = &ctx.user {
        tracing::info!(username = %u.username, "signed out");
        let details = serde_json::json!({"username": u.username, "client": ctx.client.to_string()});
        audit::record_event(&state.pool, Some(u.id), "user", "sign_out", details).await?;
    }
    ctx.sign_out().await?;
    Ok(Redirect::to("/login"))
}

/// The language is a cookie, so switching it writes nothing on the server.
async fn switch_lang(ctx: Ctx, Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let back = Redirect::to(&safe_next(q.next.as_deref()));
    match Lang::from_code(&code) {
        Some(lang) => ([ctx.lang_cookie(lang)], back).into_response(),
        None => back.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn paths_of_this_site_are_kept() {
        assert_eq!(
            safe_next(Some("/cases?status=settled&q=张三")),
            "/cases?status=settled&q=张三"
        );
        assert_eq!(safe_next(Some("/")), "/");
    }

    #[test]
    fn anything_that_could_leave_the_site_becomes_the_home_page() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r/x",
            "/\0",
            "/a//evil.example",
            "/a\\b",
            "https://evil.example",
            "evil.example",
            "",
            "\t/evil.example",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
