//! The sign-in gate: anonymous visitors go to sign in and come back.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::{AppError, Ctx};

/// Sends an anonymous visitor to sign in, and back here afterwards.
pub async fn require_user(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>();
    match ctx {
        Some(ctx) if ctx.user.is_some() => next.run(req).await,
        Some(ctx) => to_login(&ctx.path).into_response(),
        None => to_login("/").into_response(),
    }
}

fn to_login(back: &str) -> Redirect {
    let next: String = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
    Redirect::to(&format!("/login?{next}"))
}

/// Unknown paths: sign in first, then a 404 page.
pub async fn fallback(ctx: Ctx) -> Response {
    if ctx.user.is_none() {
        return to_login(&ctx.path).into_response();
    }
    AppError::NotFound.into_response()
}
