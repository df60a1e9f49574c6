//! The routes of no resource: each role's home, the health check and the
//! stylesheet.

use axum::http::header;
use axum::response::IntoResponse;

use super::{AppState, Ctx};

/// Each role's home: the secretary's dashboard, the mediator's own work.
pub(super) async fn home(ctx: Ctx) -> axum::response::Redirect {
    let to = match ctx.role() {
        Some(crate::domain::Role::Secretary) => "/dashboard",
        Some(crate::domain::Role::Mediator) => "/my",
        _ => "/cases",
    };
    axum::response::Redirect::to(to)
}

/// 200 `ok` while the database answers.
pub(super) async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    match crate::on_db!(state.pool, |e| sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(e)
        .await)
    {
        Ok(_) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub(super) async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("assets/app.css"),
    )
}
