//! `GET /my`: the signed-in user's open work, cases with a deadline flag first.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::routes::Routes;
use super::views::workflow::{self as view, WorkItem};
use super::{AppResult, AppState, Ctx};
use crate::store::cases::Scope;
use crate::store::workflow;

pub fn routes(r: Routes) -> Routes {
    r.get("/my", my_work)
}

async fn my_work(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?;
    // "My" work is the cases this user mediates or registered, whatever
    // the role: an admin who also mediates sees their own cases here too.
    let scope = Scope::Mediator {
        user_id: user.id,
        mediator_id: user.mediator_id,
    };
    let deadlines = state.deadlines();
    let rows = workflow::my_work(&state.pool, scope, deadlines).await?;
    let mut items: Vec<WorkItem> = rows
        .into_iter()
        .map(|row| {
            let flags = deadlines.flags(&row.flag_facts());
            WorkItem { row, flags }
        })
        .collect();
    // Stable: within each group the store's order (oldest first) stays.
    items.sort_by_key(|item| !item.flags.any());
    Ok(view::my_page(&ctx, &items).into_response())
}
