//! The admin-only audit log, filtered by user, entity and date.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use crate::domain::{Permission, parse_date};
use crate::store::audit::{self, AuditFilter};
use crate::store::users;
use crate::web::routes::Routes;
use crate::web::views::admin::audit as view;
use crate::web::{AppResult, AppState, Ctx};

pub fn routes(r: Routes) -> Routes {
    r.get("/audit", page)
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Permission::ReadAudit)?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let filter = AuditFilter {
        user_id: get("user").and_then(|v| v.parse().ok()),
        entity: get("entity").map(str::to_string),
        from: get("from").and_then(|v| parse_date(v).ok()),
        to: get("to").and_then(|v| parse_date(v).ok()),
        committee: ctx.scope().committee(),
    };
    let page = crate::web::cases::parse_page(get("page"));
    let found = audit::search(&state.pool, &filter, page).await?;
    let all_users = users::list(&state.pool).await?;
    let entities = audit::entities(&state.pool).await?;
    let refs = state.refs().await?;
    let v = view::AuditView {
        entries: &found.entries,
        total: found.total,
        more: found.more,
        page: found.page,
        past_cap: found.past_cap,
        filter: &filter,
        users: &all_users,
        entities: &entities,
        offset: state.config.timezone,
        refs: &refs,
    };
    Ok(view::page(&ctx, &v).into_response())
}
