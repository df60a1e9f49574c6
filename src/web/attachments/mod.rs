//! Attachments over HTTP: upload (multipart, streamed to disk), download,
//! inline images for the case page's thumbnails, and void with a reason.
//!
//! Upload and void need `ChangeCases` on a case the user may see; download
//! needs only to see the case (a mediator of another case gets 404, as on
//! the case page).

mod upload;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::routes::Routes;
use super::views::attachments::{self as view, AttachmentsView};
use super::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs};
use crate::domain::Permission;
use crate::domain::attachment;
use crate::domain::case::FieldErrors;
use crate::i18n::Msg;
use crate::store::attachments::files::FileStore;
use crate::store::attachments::{self, Attachment};
use crate::store::cases::{self, CaseDetail};
use crate::store::sessions::Session;
use crate::store::visits::Visit;

pub fn routes(r: Routes) -> Routes {
    // The body limit of this route is `limit_body`'s (from the settings);
    // axum's own default would cut an upload at 2 MB.
    r.post(
        "/cases/{id}/attachments",
        upload::upload.layer(DefaultBodyLimit::disable()),
    )
    .get("/cases/{id}/attachments/{aid}", download)
    .get("/cases/{id}/attachments/{aid}/inline", inline)
    .get("/cases/{id}/attachments/{aid}/thumb", thumb)
    .get("/cases/{id}/attachments/{aid}/void", void_form)
    .post("/cases/{id}/attachments/{aid}/void", void)
}

/// Whether a path is an upload's (`/cases/{id}/attachments`): its body may
/// be large, and its handler reads the CSRF token from the body itself.
pub fn is_upload_path(path: &str) -> bool {
    path.strip_prefix("/cases/")
        .and_then(|rest| rest.strip_suffix("/attachments"))
        .is_some_and(|id| !id.is_empty() && id.len() < 19 && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The attachment of `/cases/{id}/attachments/{aid}`.
struct AttachmentId(i64);

impl<S: Send + Sync> FromRequestParts<S> for AttachmentId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(k, _)| k == "aid")
            .and_then(|(_, v)| v.parse().ok())
            .map(AttachmentId)
            .ok_or(AppError::NotFound)
    }
}

fn file_store(state: &AppState) -> FileStore {
    FileStore::new(&state.config.files_dir)
}

/// A case the user may see; 404 otherwise.
async fn load_case(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<CaseDetail> {
    cases::get(&state.pool, id, ctx.scope())
        .await?
        .ok_or(AppError::NotFound)
}

/// An attachment of a case the user may see; 404 otherwise.
async fn load(state: &AppState, ctx: &Ctx, id: i64, aid: i64) -> AppResult<(CaseDetail, Attachment)> {
    let detail = load_case(state, ctx, id).await?;
    let found = attachments::get(&state.pool, ctx.scope(), id, aid).await?;
    // A purged attachment's file is gone; its row stays listed.
    let found = found.filter(|a| a.purged_at.is_none());
    Ok((detail, found.ok_or(AppError::NotFound)?))
}

/// The case page's section, given the case's attachments, sessions and
/// visits (which the page has loaded already, `store::cases::for_page`).
pub fn case_section(
    state: &AppState,
    ctx: &Ctx,
    case_id: i64,
    rows: &[Attachment],
    sessions: &[Session],
    visits: &[Visit],
    can_act: bool,
) -> maud::Markup {
    let v = AttachmentsView {
        case_id,
        rows,
        sessions,
        visits,
        can_act,
        max_mb: state.config.max_upload_mb,
        offset: state.config.timezone,
    };
    view::section(ctx, &v)
}

/// `filename="…"` (ASCII, for old clients) and `filename*=UTF-8''…`
/// (RFC 5987, the real name) of a Content-Disposition header.
pub fn disposition(kind: &str, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The file of an attachment, streamed from disk with the given disposition.
fn send(state: &AppState, a: &Attachment, kind: &str) -> AppResult<Response> {
    let file = file_store(state)
        .open(&a.sha256)
        .map_err(|e| AppError::Internal(format!("attachment #{} file {}: {e}", a.id, a.sha256)))?;
    let disposition =
        HeaderValue::from_str(&disposition(kind, &a.original_name)).map_err(|e| AppError::Internal(e.to_string()))?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(a.detected_type.mime())),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CONTENT_LENGTH, HeaderValue::from(a.size)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        // Opened on its own, a file can run nothing and reach nothing.
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
        ),
    ];
    Ok((headers, Body::from_stream(super::backup::file_chunks(file))).into_response())
}

/// `GET /cases/{id}/attachments/{aid}`: the file, as a download.
async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    AttachmentId(aid): AttachmentId,
) -> AppResult<Response> {
    let (_, a) = load(&state, &ctx, id, aid).await?;
    send(&state, &a, "attachment")
}

/// `GET /cases/{id}/attachments/{aid}/inline`: an image shown in the page
/// (JPEG, PNG, WebP only; anything else is not found here).
async fn inline(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    AttachmentId(aid): AttachmentId,
) -> AppResult<Response> {
    let a = load_image(&state, &ctx, id, aid).await?;
    send(&state, &a, "inline")
}

/// An image the user may see and a page may show (JPEG, PNG, WebP); 404
/// for any other attachment.
async fn load_image(state: &AppState, ctx: &Ctx, id: i64, aid: i64) -> AppResult<Attachment> {
    let (_, a) = load(state, ctx, id, aid).await?;
    if !a.detected_type.is_inline_image() {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

/// `GET /cases/{id}/attachments/{aid}/thumb`: an image's thumbnail for the
/// case page (made on first request, then kept); the image itself when it
/// cannot be drawn small.
async fn thumb(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    AttachmentId(aid): AttachmentId,
) -> AppResult<Response> {
    let a = load_image(&state, &ctx, id, aid).await?;
    let store = file_store(&state);
    let sha256 = a.sha256.clone();
    let made = tokio::task::spawn_blocking(move || attachments::thumbs::thumbnail(&store, &sha256))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("thumbnail of attachment #{}: {e}", a.id)))?;
    let Some(path) = made else {
        return send(&state, &a, "inline");
    };
    let file = std::fs::File::open(&path).map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, Body::from_stream(super::backup::file_chunks(file))).into_response())
}

/// An attachment the user may void: 404 when they cannot see the case,
/// 403 when their role only reads.
async fn load_for_void(state: &AppState, ctx: &Ctx, id: i64, aid: i64) -> AppResult<(CaseDetail, Attachment, i64)> {
    let (detail, a) = load(state, ctx, id, aid).await?;
    let actor = ctx.require(Permission::ChangeCases)?.id;
    Ok((detail, a, actor))
}

async fn void_form(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    AttachmentId(aid): AttachmentId,
) -> AppResult<Response> {
    let (detail, a, _) = load_for_void(&state, &ctx, id, aid).await?;
    let page = view::void_page(&ctx, &detail.case.case_no, &a, "", &FieldErrors::default());
    Ok(page.into_response())
}

/// `POST /cases/{id}/attachments/{aid}/void`: needs a reason.
async fn void(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    AttachmentId(aid): AttachmentId,
    pairs: FormPairs,
) -> AppResult<Response> {
    let (detail, a, actor) = load_for_void(&state, &ctx, id, aid).await?;
    crate::web::transfers::refuse_while_pending(&state, id).await?;
    let raw = pairs.text("reason");
    let reason = match attachment::check_reason(&raw) {
        Ok(r) => r,
        Err(p) => {
            let mut flaws = FieldErrors::default();
            flaws.add("reason", p);
            let page = view::void_page(&ctx, &detail.case.case_no, &a, &raw, &flaws);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if attachments::void(&state.pool, id, aid, &reason, Some(actor)).await? {
        tracing::info!(case_id = id, attachment_id = aid, "attachment voided");
        ctx.flash(Msg::AttVoidDone).await?;
    } else {
        ctx.flash(Msg::AttAlreadyVoided).await?;
    }
    Ok(Redirect::to(&format!("/cases/{id}#attachment-{aid}")).into_response())
}
