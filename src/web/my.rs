//! `GET /my`: the signed-in user's open work, cases with a deadline flag first.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::routes::Routes;
use super::views::workflow::{self as view, WorkItem};
use super::{AppResult, AppState, Ctx};
use crate::store::cases::Scope;
use crate::store::workflow;

/// The most cases "my work" lists.
pub const MY_WORK_SHOWN: usize = 200;

pub fn routes(r: Routes) -> Routes {
    r.get("/my", my_work)
}

async fn my_work(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?;
    // "My" work is the cases this user mediates or registered, whatever
    // the role: an admin who also mediates sees their own cases here too.
    let scope = Scope::Mediator {
        committee_id: user.org_id,
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
    // A mediator with thousands of open cases gets a page that loads, the
    // cases needing action first; the case list holds the rest.
    let open = items.len();
    items.truncate(MY_WORK_SHOWN);
    let all_cases = match user.mediator_id {
        Some(m) => format!("/cases?mediator={m}"),
        None => "/cases".to_string(),
    };
    Ok(view::my_page(&ctx, &items, open, &all_cases).into_response())
}
