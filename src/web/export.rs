//! CSV downloads: the cases a list shows, and the statistics' breakdowns.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::routes::Routes;
use super::{AppError, AppResult, AppState, Ctx};
use crate::csv_io;
use crate::domain::{CaseFilter, Period, Permission};
use crate::i18n::Lang;
use crate::store::{self, audit};

pub fn routes(r: Routes) -> Routes {
    r.get("/export/cases.csv", cases_csv)
        .get("/export/stats.csv", stats_csv)
}

/// `?lang=en` gives English keys and codes; otherwise the user's language.
pub(super) fn lang_of(ctx: &Ctx, pairs: &[(String, String)]) -> Lang {
    pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(v.trim()))
        .unwrap_or(ctx.lang)
}

pub(super) fn csv_response(name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Records a download in the audit log without holding up the download: a
/// GET must not wait for the write lock (issue 9), so the entry is written
/// in the background and, if the database stays busy, logged instead.
pub(super) fn audit_export(state: &AppState, ctx: &Ctx, file: &str, query: &[(String, String)]) {
    let pool = state.pool.clone();
    let user = ctx.user.as_ref().map(|u| u.id);
    let query: serde_json::Map<String, serde_json::Value> =
        query.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
    let details = serde_json::json!({"file": file, "query": query, "client": ctx.client.to_string()});
    tokio::spawn(async move {
        if let Err(e) = audit::record_event(&pool, user, "export", "export", details.clone()).await {
            tracing::error!(error = %e, ?user, %details, "could not record an export in the audit log");
        }
    });
}

/// Every case the list's filters select, for everyone who may see the
/// list: a mediator's export holds only their own cases (the same scope
/// as the list). Streamed: the response starts before the query ends.
async fn cases_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut filter = CaseFilter::from_pairs(&pairs);
    filter.phones = super::cases::phone_search(&ctx);
    let lang = lang_of(&ctx, &pairs);
    let (chunks, _written) =
        csv_io::export::cases(state.pool.clone(), filter, ctx.scope(), state.deadlines(), lang).await?;
    tracing::info!(user = ctx.user()?.id, "case export started");
    audit_export(&state, &ctx, "cases.csv", &pairs);
    Ok(csv_response(
        &csv_io::cases_file_name(state.today()),
        Body::from_stream(chunks),
    ))
}

/// The breakdowns of a period (`?year=2025`, or `?from=…&to=…`; none: every
/// year), within the user's scope, filtered like the case list. A
/// supervisor's: the committees under their association (or one,
/// `?committee=`), a line for each, and no filter on the cases (a search
/// for a name would tell whether that person has a case).
async fn stats_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let period = Period::parse(get("year"), get("from"), get("to")).map_err(|_| AppError::BadRequest)?;
    // `from` and `to` are the period here, not the list's received range.
    let rest: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "year" | "from" | "to"))
        .cloned()
        .collect();
    let oversight = if ctx.may(Permission::Oversee) {
        Some(super::dashboard::oversight_chosen(&state, &ctx, &pairs).await?)
    } else {
        None
    };
    let breakdowns = match &oversight {
        Some(chosen) => super::dashboard::oversight_breakdowns(&state, chosen, &period).await?,
        None => {
            let filter = CaseFilter::from_pairs(&rest);
            store::stats::breakdowns(&state.pool, &period, &filter, ctx.scope(), state.deadlines()).await?
        }
    };
    let refs = state.refs().await?;
    let bytes = csv_io::stats::encode(&breakdowns, &refs, lang_of(&ctx, &pairs));
    let name = match period {
        Period::Year(y) => csv_io::stats_file_name(y),
        _ => format!("accord-stats-{}.csv", state.today()),
    };
    audit_export(&state, &ctx, "stats.csv", &pairs);
    Ok(csv_response(&name, Body::from(bytes)))
}
