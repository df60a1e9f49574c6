//! `POST /cases/{id}/attachments`: the multipart upload, read part by
//! part, each file streamed to disk under a temporary name; then every
//! file is taken, or none.

use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Extension, Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{file_store, load_case};
use crate::domain::Permission;
use crate::domain::attachment::{self, AttachmentKind, Refusal};
use crate::domain::case::FieldErrors;
use crate::domain::fields::{Problem, code_field};
use crate::i18n::{Msg, problem_text};
use crate::store::attachments::files::{FileStore, Sealed};
use crate::store::attachments::{self, InsertError, Link, NewAttachment};
use crate::store::sessions;
use crate::store::visits;
use crate::web::views::attachments::{self as view, AttachmentsView, UploadForm};
use crate::web::{AppError, AppResult, AppState, CaseId, Ctx, TokenInBody};

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

/// Reads a short text part, refusing one longer than a form field can be
/// (before more of it is held in memory).
async fn small_text(mut field: Field<'_>) -> Result<String, AppError> {
    const MAX: usize = 16 * 1024;
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
        if bytes.len() + chunk.len() > MAX {
            return Err(AppError::BadRequest);
        }
        bytes.extend_from_slice(&chunk);
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
            // Too large is told even before the token is read: nothing is written either way.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                up.too_large = true;
                break;
            }
            Err(_) if !token_checked => return Err(TokenInBody::refuse(ctx)),
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
    if !token_checked && !up.too_large {
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

/// The session or visit an upload is tied to, if it is one of the case's.
fn read_link(raw: &str, sessions: &[sessions::Session], visits: &[visits::Visit]) -> Option<Link> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(Link::Case);
    }
    let (what, n) = raw.split_once(':')?;
    let n: i64 = n.parse().ok()?;
    match what {
        "session" if sessions.iter().any(|s| s.id == n) => Some(Link::Session(n)),
        "visit" if visits.iter().any(|v| v.id == n) => Some(Link::Visit(n)),
        _ => None,
    }
}

/// Each received file with its row's kind and note, checked; the
/// problems go to `flaws` under the row's field names.
fn check_rows(up: &Upload, flaws: &mut FieldErrors) -> Vec<NewAttachment> {
    let mut rows = Vec::with_capacity(up.files.len());
    for f in &up.files {
        let (kind_raw, note_raw) = &up.form.rows[f.row];
        let n = f.row + 1;
        let kind = code_field(flaws, &format!("kind_{n}"), kind_raw, AttachmentKind::from_code);
        let note = attachment::check_note(note_raw)
            .map_err(|p| flaws.add(format!("note_{n}"), p))
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
    rows
}

/// The form's problems as lines for the banner ("File 2 · Note: Too long.").
fn flaw_lines(ctx: &Ctx, flaws: &FieldErrors) -> Vec<String> {
    flaws
        .0
        .iter()
        .map(|e| {
            let label = match e.field.split_once('_') {
                Some((field, n)) => {
                    let what = if field == "note" { Msg::AttNote } else { Msg::AttKind };
                    format!("{} · {}", ctx.t(Msg::AttFileRow).replace("{n}", n), ctx.t(what))
                }
                None => ctx.t(Msg::AttLink).to_string(),
            };
            format!("{label}: {}", problem_text(e.problem, ctx.lang))
        })
        .collect()
}

/// `POST /cases/{id}/attachments` (multipart): every file is taken or none.
pub(super) async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    CaseId(id): CaseId,
    token_in_body: Option<Extension<TokenInBody>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let detail = load_case(&state, &ctx, id).await?;
    let actor = ctx.require(Permission::ChangeCases)?.id;
    crate::web::transfers::refuse_while_pending(&state, id).await?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let up = match multipart {
        // Said to be too large: refused before a byte of it is read.
        _ if declared.is_some_and(|n| n > state.config.max_upload_request_bytes() as u64) => Upload {
            too_large: true,
            ..Upload::default()
        },
        Ok(m) => read_upload(&state, &ctx, m, token_in_body.is_some()).await?,
        Err(_) if token_in_body.is_some() => return Err(TokenInBody::refuse(&ctx)),
        // Not multipart at all: the form with "choose a file".
        Err(_) => Upload::default(),
    };
    let sessions = sessions::for_case(&state.pool, id).await?;
    let visits = visits::for_case(&state.pool, id).await?;
    let mut flaws = FieldErrors::default();
    let link = read_link(&up.form.link, &sessions, &visits);
    if link.is_none() {
        flaws.add("link", Problem::UnknownCode);
    }
    let rows = check_rows(&up, &mut flaws);
    let mut problems = problem_lines(&ctx, &state, &up);
    if up.files.is_empty() && problems.is_empty() {
        problems.push(ctx.t(Msg::AttChooseFile).to_string());
    }
    problems.extend(flaw_lines(&ctx, &flaws));
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
            offset: state.config.timezone,
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
    let link = link.unwrap_or_default();
    match attachments::insert_all(&state.pool, id, link, &rows, Some(actor)).await {
        Ok(ids) => tracing::info!(case_id = id, count = ids.len(), "attachments uploaded"),
        Err(InsertError::NoSuchLink) => return Err(AppError::NotFound),
        Err(InsertError::Db(e)) => return Err(e.into()),
    }
    ctx.flash(Msg::AttUploaded).await?;
    Ok(Redirect::to(&format!("/cases/{id}#attachments")).into_response())
}
