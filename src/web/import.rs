//! The admin's CSV upload: `GET /import` shows the form, `POST /import`
//! (multipart) checks the file and writes all its cases or none.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Extension, Multipart, State};
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::routes::Routes;
use super::views::import::{self as view, Outcome};
use super::{AppError, AppResult, AppState, Ctx, TokenInBody};
use crate::csv_io::import::{self, Failure, Options};
use crate::domain::Permission;
use crate::i18n::Msg;

/// Largest upload taken: years of a ledger fit with room to spare.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The path whose body may reach [`BODY_LIMIT`].
pub const PATH: &str = "/import";

pub fn routes(r: Routes) -> Routes {
    r.get(PATH, form)
        .post(PATH, upload.layer(DefaultBodyLimit::max(BODY_LIMIT)))
}

async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::Import)?;
    Ok(view::page(&ctx, &Outcome::None).into_response())
}

/// Reads the `file` and `dry_run` parts. No file chosen (browsers then
/// send a part without a file name) is `None`; an empty file is not.
///
/// With `token_in_body`, a valid `csrf_token` part must come before any
/// other (the form puts it first), so nothing is read for a forged request.
async fn read_parts(
    ctx: &Ctx,
    mut multipart: Multipart,
    token_in_body: bool,
) -> Result<(Option<Vec<u8>>, bool), AppError> {
    let mut file = None;
    let mut dry_run = false;
    let mut token_checked = !token_in_body;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if token_checked => {
                tracing::warn!(error = %e, "unreadable upload");
                return Err(AppError::BadRequest);
            }
            Err(_) => return Err(TokenInBody::refuse(ctx)),
        };
        match (field.name(), token_checked) {
            (Some("csrf_token"), false) => {
                let sent = field.text().await.unwrap_or_default();
                TokenInBody::check(ctx, &sent)?;
                token_checked = true;
            }
            (_, false) => return Err(TokenInBody::refuse(ctx)),
            (Some("file"), true) => {
                let chosen = field.file_name().is_some_and(|n| !n.is_empty());
                let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                file = chosen.then(|| bytes.to_vec());
            }
            (Some("dry_run"), true) => dry_run = true,
            _ => {}
        }
    }
    if !token_checked {
        return Err(TokenInBody::refuse(ctx));
    }
    Ok((file, dry_run))
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    token_in_body: Option<Extension<TokenInBody>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    ctx.require(Permission::Import)?;
    let token_in_body = token_in_body.is_some();
    let (file, dry_run) = match multipart {
        Ok(m) => read_parts(&ctx, m, token_in_body).await?,
        Err(_) if token_in_body => return Err(TokenInBody::refuse(&ctx)),
        Err(_) => (None, false),
    };
    let Some(file) = file else {
        let page = view::page(&ctx, &Outcome::NoFile);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let options = Options {
        today: state.today(),
        committee: state.committee(ctx.committee_id()?).await?,
        actor: Some(ctx.user()?.id),
        dry_run,
        max_parties_per_side: state.config.max_parties_per_side,
    };
    match import::run(&state.pool, &file, &options).await {
        Ok(report) => {
            tracing::info!(cases = report.cases, written = report.written, "CSV import");
            let mut lines = vec![report.summary(ctx.lang)];
            lines.extend(report.mediators_line(ctx.lang));
            Ok(view::page(&ctx, &Outcome::Done(lines)).into_response())
        }
        Err(Failure::Invalid(errors)) => {
            let heading = ctx.t(Msg::CsvImportFailed).replace("{n}", &errors.len().to_string());
            let lines = errors.iter().map(|e| e.message(ctx.lang)).collect();
            let page = view::page(&ctx, &Outcome::Refused(heading, lines));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Failure::Db(e)) => Err(e.into()),
    }
}
