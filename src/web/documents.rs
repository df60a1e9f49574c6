//! The printed documents of a case, its whole file (卷宗) and the files of
//! every case archived in a period. Whoever may see a case may print it.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::routes::Routes;
use super::views::documents::{self as view, DossiersView};
use super::{AppError, AppResult, AppState, CaseId, Ctx, RecordId};
use crate::documents::dossier::{self, Cover, Loaded};
use crate::documents::{DocCtx, Kind};
use crate::domain::parse_date;
use crate::i18n::Msg;
use crate::store::{self, cases};

/// The most files `/dossiers` prints at once: each is a dozen sheets or more.
pub const DOSSIERS_MAX: i64 = 50;

pub fn routes(r: Routes) -> Routes {
    r.get("/cases/{id}/documents/acceptance", acceptance)
        .get("/cases/{id}/documents/rights", rights)
        .get("/cases/{id}/documents/sessions/{sid}", session)
        .get("/cases/{id}/documents/termination", termination)
        .get("/cases/{id}/documents/visits", visits)
        .get("/cases/{id}/documents/judicial", judicial)
        .get("/cases/{id}/documents/closing", closing)
        .get("/cases/{id}/dossier", case_dossier)
        .get("/dossiers", period_dossiers)
}

async fn acceptance(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::Acceptance).await
}

async fn rights(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::Rights).await
}

async fn session(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    RecordId(sid): RecordId,
) -> AppResult<Response> {
    let loaded = load(&state, &ctx, id).await?;
    // A session of another case is not this case's page.
    if !loaded.sessions.iter().any(|s| s.id == sid) {
        return Err(AppError::NotFound);
    }
    render(&state, &ctx, &loaded, Kind::Session(sid)).await
}

async fn termination(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::Termination).await
}

async fn visits(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::Visits).await
}

async fn judicial(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::Judicial).await
}

async fn closing(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    document(&state, &ctx, id, Kind::ClosingReport).await
}

/// A case's file the user may see; 404 otherwise.
async fn load(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<Loaded> {
    dossier::load(&state.pool, id, ctx.scope(), ctx.lang, &dossier::Images::Linked)
        .await?
        .ok_or(AppError::NotFound)
}

async fn document(state: &AppState, ctx: &Ctx, id: i64, kind: Kind) -> AppResult<Response> {
    let loaded = load(state, ctx, id).await?;
    render(state, ctx, &loaded, kind).await
}

/// The document, or 409 with a page saying the case has none (yet).
async fn render(state: &AppState, ctx: &Ctx, loaded: &Loaded, kind: Kind) -> AppResult<Response> {
    let refs = store::reference::load(&state.pool).await?;
    let d = DocCtx {
        lang: ctx.lang,
        association: &loaded.committee,
        refs: &refs,
    };
    let file = loaded.file();
    let c = &loaded.detail.case;
    let title = kind.title(&file);
    match kind.render(&d, &file) {
        Some(sheets) => {
            let title = format!("{} {}", ctx.t(title), c.case_no);
            Ok(view::page(ctx, &title, Some(c.id), sheets).into_response())
        }
        None => {
            let page = view::not_applicable_page(ctx, c.id, &c.case_no, title);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// The whole file of one case.
async fn case_dossier(State(state): State<AppState>, ctx: Ctx, CaseId(id): CaseId) -> AppResult<Response> {
    let loaded = load(&state, &ctx, id).await?;
    let refs = store::reference::load(&state.pool).await?;
    let d = DocCtx {
        lang: ctx.lang,
        association: &loaded.committee,
        refs: &refs,
    };
    let sheets = file_of(&state, &d, &loaded);
    let title = format!("{} {}", ctx.t(Msg::DocCoverTitle), loaded.detail.case.case_no);
    Ok(view::page(&ctx, &title, Some(id), sheets).into_response())
}

fn file_of(state: &AppState, d: &DocCtx, loaded: &Loaded) -> Markup {
    let cover = Cover {
        retention_years: state.config.retention_for(&loaded.detail.case.category),
    };
    dossier::dossier(d, loaded, &cover)
}

#[derive(serde::Deserialize, Default)]
struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The files of every case archived in a period that the user may see,
/// one after the other, at most [`DOSSIERS_MAX`].
async fn period_dossiers(State(state): State<AppState>, ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Response> {
    let period: Period = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let mut v = DossiersView {
        from: &period.from,
        to: &period.to,
        message: None,
        files: html! {},
    };
    if period.from.trim().is_empty() && period.to.trim().is_empty() {
        return Ok(view::dossiers_page(&ctx, &v).into_response());
    }
    let (from, to) = match (parse_date(&period.from), parse_date(&period.to)) {
        (Ok(from), Ok(to)) if from <= to => (from, to),
        _ => {
            v.message = Some(ctx.t(Msg::DossiersBadPeriod).to_string());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view::dossiers_page(&ctx, &v)).into_response());
        }
    };
    let (ids, total) = cases::archived_between(&state.pool, from, to, ctx.scope(), DOSSIERS_MAX).await?;
    if total == 0 {
        v.message = Some(ctx.t(Msg::DossiersNone).to_string());
    } else if total > DOSSIERS_MAX {
        v.message = Some(
            ctx.t(Msg::DossiersTooMany)
                .replace("{total}", &total.to_string())
                .replace("{max}", &DOSSIERS_MAX.to_string()),
        );
    }
    let refs = store::reference::load(&state.pool).await?;
    let mut files = Vec::new();
    for id in ids {
        if let Some(loaded) = dossier::load(&state.pool, id, ctx.scope(), ctx.lang, &dossier::Images::Linked).await? {
            // Each file is issued in its own case's committee.
            let d = DocCtx {
                lang: ctx.lang,
                association: &loaded.committee,
                refs: &refs,
            };
            files.push(file_of(&state, &d, &loaded));
        }
    }
    v.files = html! { @for f in &files { (f) } };
    Ok(view::dossiers_page(&ctx, &v).into_response())
}
