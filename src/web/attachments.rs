//! Attachments over HTTP: upload (multipart, streamed to disk), download,
//! inline images for the case page's thumbnails, and void with a reason.
//!
//! Upload and void need `ChangeCases` on a case the user may see; download
//! needs only to see the case (a mediator of another case gets 404, as on
//! the case page).

use axum::body::Body;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Extension, FromRequestParts, Multipart, Path, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::routes::Routes;
use super::views::attachments::{self as view, AttachmentsView, UploadForm};
use super::{AppError, AppResult, AppState, CaseId, Ctx, FormPairs, TokenInBody};
use crate::domain::Permission;
use crate::domain::attachment::{self, AttachmentKind, Refusal};
use crate::domain::case::FieldErrors;
use crate::domain::fields::code_field;
use crate::i18n::{Msg, problem_text};
use crate::store::attachments::files::{FileStore, Sealed};
use crate::store::attachments::{self, Attachment, InsertError, Link, NewAttachment};
use crate::store::cases::{self, CaseDetail};
use crate::store::sessions::{self, Session};
use crate::store::visits::{self, Visit};

pub fn routes(r: Routes) -> Routes {
    // The body limit of this route is `limit_body`'s (from the settings);
    // axum's own default would cut an upload at 2 MB.
    r.post("/cases/{id}/attachments", upload.layer(DefaultBodyLimit::disable()))
        .get("/cases/{id}/attachments/{aid}", download)
        .get("/cases/{id}/attachments/{aid}/inline", inline)
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
    let found = attachments::get(&state.pool, id, aid).await?;
    Ok((detail, found.ok_or(AppError::NotFound)?))
}

/// The case page's section, given the case's sessions and visits (which
/// the page has loaded already).
pub async fn case_section(
    state: &AppState,
    ctx: &Ctx,
    case_id: i64,
    sessions: &[Session],
    visits: &[Visit],
) -> AppResult<maud::Markup> {
    let rows = attachments::list_for_case(&state.pool, case_id).await?;
    let v = AttachmentsView {
        case_id,
        rows: &rows,
        sessions,
        visits,
        can_act: ctx.may(Permission::ChangeCases),
        max_mb: state.config.max_upload_mb,
    };
    Ok(view::section(ctx, &v))
}

/// One file as read from the request.
struct Received {
    row: usize,
    name: String,
    sealed: Sealed,
}

/// What the multipart body held.
#[derive(Default)]
struct Upload {
    form: UploadForm,
    files: Vec<Received>,
    /// Each refused file: why, and its name.
    refused: Vec<(Refusal, String)>,
    /// The request outgrew its limit.
    too_large: bool,
}

/// Reads a short text part, refusing one longer than a form field can be.
async fn small_text(field: Field<'_>) -> Result<String, AppError> {
    let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
    if bytes.len() > 16 * 1024 {
        return Err(AppError::BadRequest);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads the parts in order. With `token_in_body`, a valid `csrf_token`
/// must come first, so nothing of a forged request is written. Each file
/// goes to disk as it arrives (never whole in memory), under a temporary
/// name that is deleted unless the upload is accepted.
async fn read_upload(state: &AppState, ctx: &Ctx, mut multipart: Multipart, token_in_body: bool) -> AppResult<Upload> {
    let store = file_store(state);
    let limit = state.config.max_upload_bytes();
    let mut up = Upload::default();
    let mut token_checked = !token_in_body;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) if !token_checked => return Err(TokenInBody::refuse(ctx)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                up.too_large = true;
                break;
            }
            Err(e) => {
                tracing::warn!(error = %e, "unreadable upload");
                return Err(AppError::BadRequest);
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if !token_checked {
            if name != "csrf_token" {
                return Err(TokenInBody::refuse(ctx));
            }
            TokenInBody::check(ctx, &small_text(field).await?)?;
            token_checked = true;
            continue;
        }
        if name == "link" {
            up.form.link = small_text(field).await?;
        } else if let Some(i) = UploadForm::row_of(&name, "kind_") {
            up.form.rows[i].0 = small_text(field).await?;
        } else if let Some(i) = UploadForm::row_of(&name, "note_") {
            up.form.rows[i].1 = small_text(field).await?;
        } else if let Some(row) = UploadForm::row_of(&name, "file_") {
            // A row without a chosen file is sent with an empty file name.
            let Some(shown) = field.file_name().and_then(attachment::clean_file_name) else {
                continue;
            };
            if !receive(&store, limit, field, row, shown, &mut up).await? {
                break;
            }
        }
    }
    if !token_checked {
        return Err(TokenInBody::refuse(ctx));
    }
    Ok(up)
}

/// Streams one file part to disk. `false` when reading must stop (the
/// file or the request is over its limit).
async fn receive(
    store: &FileStore,
    limit: u64,
    mut field: Field<'_>,
    row: usize,
    name: String,
    up: &mut Upload,
) -> AppResult<bool> {
    let io = |e: std::io::Error| AppError::Internal(format!("writing an upload: {e}"));
    let mut incoming = store.create(limit).await.map_err(io)?;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                incoming.write(chunk).await.map_err(io)?;
                if incoming.is_over() {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                up.too_large = true;
                return Ok(false);
            }
            Err(e) => {
                tracing::warn!(error = %e, "upload cut short");
                return Err(AppError::BadRequest);
            }
        }
    }
    let over = incoming.is_over();
    match incoming.seal().await.map_err(io)? {
        Ok(sealed) => up.files.push(Received { row, name, sealed }),
        Err(refusal) => up.refused.push((refusal, name)),
    }
    Ok(!over)
}

/// The refused files' lines in the user's language.
fn problem_lines(ctx: &Ctx, state: &AppState, up: &Upload) -> Vec<String> {
    let mb = state.config.max_upload_mb.to_string();
    let mut lines: Vec<String> = up
        .refused
        .iter()
        .map(|(refusal, name)| {
            let msg = match refusal {
                Refusal::Empty => Msg::AttRefusedEmpty,
                Refusal::TooLarge => Msg::AttRefusedTooLarge,
                Refusal::UnknownType => Msg::AttRefusedType,
            };
            ctx.t(msg).replace("{name}", name).replace("{mb}", &mb)
        })
        .collect();
    if up.too_large {
        let total = (state.config.max_upload_request_bytes() / (1024 * 1024)).to_string();
        lines.push(
            ctx.t(Msg::AttRequestTooLarge)
                .replace("{mb}", &mb)
                .replace("{total}", &total),
        );
    }
    lines
}

/// `POST /cases/{id}/attachments` (multipart): every file is taken or none.
async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    token_in_body: Option<Extension<TokenInBody>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let detail = load_case(&state, &ctx, id).await?;
    let actor = ctx.require(Permission::ChangeCases)?.id;
    let up = match multipart {
        Ok(m) => read_upload(&state, &ctx, m, token_in_body.is_some()).await?,
        Err(_) if token_in_body.is_some() => return Err(TokenInBody::refuse(&ctx)),
        // Not multipart at all: the form with "choose a file".
        Err(_) => Upload::default(),
    };
    let sessions = sessions::for_case(&state.pool, id).await?;
    let visits = visits::for_case(&state.pool, id).await?;
    let mut flaws = FieldErrors::default();
    let link = match up.form.link.trim().split_once(':') {
        None if up.form.link.trim().is_empty() => Some(Link::Case),
        Some(("session", n)) => n
            .parse()
            .ok()
            .filter(|n| sessions.iter().any(|s| s.id == *n))
            .map(Link::Session),
        Some(("visit", n)) => n
            .parse()
            .ok()
            .filter(|n| visits.iter().any(|v| v.id == *n))
            .map(Link::Visit),
        _ => None,
    };
    if link.is_none() {
        flaws.add("link", crate::domain::fields::Problem::UnknownCode);
    }
    let mut problems = problem_lines(&ctx, &state, &up);
    let mut rows = Vec::with_capacity(up.files.len());
    for f in &up.files {
        let (kind_raw, note_raw) = &up.form.rows[f.row];
        let kind = code_field(
            &mut flaws,
            &format!("kind_{}", f.row + 1),
            kind_raw,
            AttachmentKind::from_code,
        );
        let note = attachment::check_note(note_raw)
            .map_err(|p| flaws.add(format!("note_{}", f.row + 1), p))
            .ok();
        if let (Some(kind), Some(note)) = (kind, note) {
            rows.push(NewAttachment {
                kind,
                note,
                original_name: f.name.clone(),
                size: f.sealed.size,
                sha256: f.sealed.sha256.clone(),
                detected_type: f.sealed.file_type,
            });
        }
    }
    if up.files.is_empty() && problems.is_empty() {
        problems.push(ctx.t(Msg::AttChooseFile).to_string());
    }
    for e in &flaws.0 {
        if e.field.starts_with("note_") || e.field.starts_with("kind_") || e.field == "link" {
            let label = match e.field.as_str() {
                "link" => ctx.t(Msg::AttLink).to_string(),
                f => {
                    let n = f.rsplit('_').next().unwrap_or("");
                    format!(
                        "{} · {}",
                        ctx.t(Msg::AttFileRow).replace("{n}", n),
                        ctx.t(if f.starts_with("note_") {
                            Msg::AttNote
                        } else {
                            Msg::AttKind
                        })
                    )
                }
            };
            problems.push(format!("{label}: {}", problem_text(e.problem, ctx.lang)));
        }
    }
    let link = link.unwrap_or_default();
    if !problems.is_empty() {
        // Dropping the received files deletes them: nothing is written.
        drop(up.files);
        let v = AttachmentsView {
            case_id: id,
            rows: &[],
            sessions: &sessions,
            visits: &visits,
            can_act: true,
            max_mb: state.config.max_upload_mb,
        };
        let code = if up.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = view::upload_page(&ctx, &detail.case.case_no, &v, &up.form, &flaws, &problems);
        return Ok((code, page).into_response());
    }
    // Files first, then their rows: a row never names a missing file.
    for f in up.files {
        f.sealed
            .commit()
            .await
            .map_err(|e| AppError::Internal(format!("storing an upload: {e}")))?;
    }
    match attachments::insert_all(&state.pool, id, link, &rows, Some(actor)).await {
        Ok(ids) => tracing::info!(case_id = id, count = ids.len(), "attachments uploaded"),
        Err(InsertError::NoSuchLink) => return Err(AppError::NotFound),
        Err(InsertError::Db(e)) => return Err(e.into()),
    }
    ctx.flash(Msg::AttUploaded).await?;
    Ok(Redirect::to(&format!("/cases/{id}#attachments")).into_response())
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
    let (_, a) = load(&state, &ctx, id, aid).await?;
    if !a.detected_type.is_inline_image() {
        return Err(AppError::NotFound);
    }
    send(&state, &a, "inline")
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
