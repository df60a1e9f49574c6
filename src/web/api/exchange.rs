//! `GET /api/v1/exchange` and `POST /api/v1/exchange`: Accord Exchange v1
//! documents (`schema/exchange-v1.json`) through the API, by the same code
//! as `accord exchange export|import`. An admin's token only: a document
//! holds whole cases, ID numbers and all, as a backup does. Attachments
//! travel as their manifest; their files go beside a document on disk
//! (`accord exchange`), and an import through the API counts those it
//! finds neither beside nor here as missing.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Caller;
use super::json;
use super::problem::{ApiError, ApiResult};
use super::responses::{ExchangeReadProblems, WriteProblems};
use crate::csv_io::exchange::{self, ExportOptions, ImportError, ImportOptions, Outcome};
use crate::domain::case::{FieldErrors, Problem as FieldProblem};
use crate::domain::{Permission, Status, parse_date};
use crate::store::attachments::files::FileStore;
use crate::store::exchange::Selection;
use crate::web::AppState;

/// Which cases of the token's committee an export holds.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ExportQuery {
    /// A status code, e.g. `settled`.
    pub status: Option<String>,
    /// Received on or after, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Received on or before, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// One case, by its number.
    pub case: Option<String>,
}

/// What an import did, or with `dry_run` would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedOut {
    pub dry_run: bool,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Each case: its UUID, its number here, and `created`, `updated` or `unchanged`.
    pub cases: Vec<ImportedCase>,
    pub files_copied: usize,
    /// Attachments whose file was neither sent nor kept here.
    pub files_missing: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedCase {
    pub uuid: String,
    pub case_no: String,
    pub outcome: String,
}

/// Whether to write or only report.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ImportQuery {
    /// `true`: write, report and roll back.
    pub dry_run: bool,
}

fn blank_is_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The export's selection, each unreadable filter named.
fn selection(q: ExportQuery, committee: i64) -> Result<Selection, ApiError> {
    let mut errors = FieldErrors::default();
    let status = blank_is_none(q.status).and_then(|s| {
        let found = Status::from_code(&s);
        if found.is_none() {
            errors.add("status", FieldProblem::UnknownCode);
        }
        found
    });
    let mut date = |field: &str, v: Option<String>| {
        blank_is_none(v).and_then(|s| match parse_date(&s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(field, FieldProblem::NotADate);
                None
            }
        })
    };
    let from = date("from", q.from);
    let to = date("to", q.to);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Selection {
        committee: Some(committee),
        status,
        from,
        to,
        case_nos: blank_is_none(q.case).into_iter().collect(),
    })
}

/// The cases of the token's committee as one Exchange v1 document.
#[utoipa::path(get, path = "/api/v1/exchange", tag = "exchange",
    params(ExportQuery),
    responses(
        (status = 200, description = "An Accord Exchange v1 document (schema/exchange-v1.json)",
            content_type = "application/json", body = Object),
        ExchangeReadProblems,
    ),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let user = caller.require(Permission::Import)?;
    // Only a parameter that is not text at all gets here (a repeated one).
    let Query(q) = query.map_err(|_| ApiError::BadJson)?;
    let opts = ExportOptions {
        selection: selection(q, user.org_id)?,
        association: state.config.association_name.clone(),
        default_prefix: state.config.case_prefix.clone(),
        files_folder: "files".into(),
        gzip: false,
        now: crate::store::now_utc(),
    };
    let mut bytes = Vec::new();
    exchange::export(&state.pool, &opts, &mut bytes)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// Imports an Exchange v1 document into the token's committee: each case
/// created, updated or left as it is, in one transaction; importing the
/// same document twice changes nothing. Refused as a whole, naming each
/// case and field, when any of it cannot be read.
#[utoipa::path(post, path = "/api/v1/exchange", tag = "exchange",
    params(ImportQuery),
    request_body(content = Object, content_type = "application/json",
        description = "An Accord Exchange v1 document (schema/exchange-v1.json)"),
    responses(
        (status = 200, description = "What was done (or, dry, would be)", body = ImportedOut),
        WriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> ApiResult<Response> {
    let user = caller.require(Permission::Import)?;
    let Query(ImportQuery { dry_run }) = query.map_err(|_| ApiError::BadJson)?;
    let opts = ImportOptions {
        committee: state.committee(user.org_id).await?,
        today: state.today(),
        dry_run,
        beside: None,
        files: FileStore::new(&state.config.files_dir),
        default_prefix: state.config.case_prefix.clone(),
    };
    let done = match exchange::import(&state.pool, &body, &opts).await {
        Ok(done) => done,
        Err(ImportError::Refused(refusals)) => return Err(ApiError::Refused(refusals)),
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(ImportError::Io(e)) => return Err(ApiError::Internal(e.to_string())),
    };
    let outcome = |o: &Outcome| match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
    };
    let out = ImportedOut {
        dry_run: done.dry_run,
        created: done.created,
        updated: done.updated,
        unchanged: done.unchanged,
        cases: done
            .cases
            .iter()
            .map(|(uuid, case_no, o)| ImportedCase {
                uuid: uuid.clone(),
                case_no: case_no.clone(),
                outcome: outcome(o).into(),
            })
            .collect(),
        files_copied: done.files_copied,
        files_missing: done.files_missing,
    };
    Ok(json(StatusCode::OK, &out))
}
