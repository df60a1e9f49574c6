//! Errors of the JSON API as RFC 9457 `application/problem+json`, in the
//! language of `Accept-Language`. A handler answers an [`ApiError`]; its
//! response carries only the [`Pending`] problem, and the API's middleware
//! (which knows the language) writes the body, as the pages' context does
//! for error pages.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::csv_io::exchange::Refusal;
use crate::domain::case::FieldErrors;
use crate::domain::packet::{PacketError, RowProblem};
use crate::i18n::{Lang, Msg, problem_text};
use crate::web::AppError;

/// A problem as sent (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; it points into `/api/docs`.
    #[serde(rename = "type")]
    #[schema(example = "/api/docs#problem-validation")]
    pub kind: String,
    /// The kind of problem in words.
    pub title: String,
    /// The HTTP status.
    #[schema(example = 422)]
    pub status: u16,
    /// What happened, in words.
    pub detail: String,
    /// Each refused field with its message (validation only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One refused field of a body or query.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field, as the body names it: `received_on`, `applicants[0].phone`.
    #[schema(example = "applicants[0].phone")]
    pub field: String,
    pub message: String,
}

/// What went wrong, as the client is told it.
#[derive(Debug)]
pub enum ApiError {
    /// 401: no token, or one unknown, expired or revoked (a session cookie is no token).
    Unauthorized,
    /// 403: the token is read-only and the request would change something.
    ReadOnly,
    /// 403: the token's user may not do this.
    Forbidden,
    /// 404: no such resource, or one the token's user may not see.
    NotFound,
    /// 405: the path does not take this method.
    MethodNotAllowed,
    /// 400: the body is not JSON of the documented shape.
    BadJson,
    /// 413: the body is over the limit of this many bytes; nothing was read.
    TooLarge { limit: u32 },
    /// 422: fields refused by the rules; nothing was written.
    Validation(FieldErrors),
    /// 422: an exchange document refused, each problem naming its case
    /// and field; nothing was written.
    Refused(Vec<Refusal>),
    /// 409: the case cannot change now (archived, voided, or waiting on a transfer).
    Conflict(Msg),
    /// 403: a statistics packet sent with another token than a rollup
    /// token, or a rollup token used for anything else.
    RollupOnly,
    /// 422 (409 when this installation has no shared key): a statistics
    /// packet refused; nothing was kept.
    Packet(PacketError),
    /// 429: the token's requests of this minute are used up.
    TooManyRequests { retry_after: u64, per_minute: u32 },
    /// 503: the database is busy with another write.
    Busy,
    /// 500: logged, never shown.
    Internal(String),
}

/// The problem a response carries until the middleware renders it.
#[derive(Debug, Clone)]
pub struct Pending {
    pub(super) status: StatusCode,
    pub(super) slug: &'static str,
    pub(super) title: Msg,
    pub(super) detail: Msg,
    /// Numbers filled into the detail (`{n}`).
    n: Option<u32>,
    errors: FieldErrors,
    /// An exchange document's problems, each with its case and field.
    refusals: Vec<Refusal>,
    /// Other refused fields, each with its message (a packet's rows).
    fields: Vec<(String, Msg)>,
}

/// The message of a packet's refusal, and of the row it names if any.
fn packet_msgs(e: &PacketError) -> (Msg, Option<(String, Msg)>) {
    match e {
        PacketError::NoKey => (Msg::PacketNoKey, None),
        PacketError::NotAPacket => (Msg::PacketNotAPacket, None),
        PacketError::BadSignature => (Msg::PacketBadSignature, None),
        PacketError::BadPeriod(_) => (Msg::PacketBadPeriod, None),
        PacketError::BadSender(_) => (Msg::PacketBadSender, None),
        PacketError::TooManyRows => (Msg::PacketTooManyRows, None),
        PacketError::BadCreatedAt => (
            Msg::ApiValidation,
            Some(("created_at".to_string(), Msg::PacketBadCreatedAt)),
        ),
        PacketError::Older { .. } => (Msg::PacketOlder, None),
        PacketError::BadRow { grain, row, problem } => {
            let msg = match problem {
                RowProblem::Dimension => Msg::PacketRowDimension,
                RowProblem::Code => Msg::PacketRowCode,
                RowProblem::Status => Msg::PacketRowStatus,
                RowProblem::OutsidePeriod => Msg::PacketRowOutside,
                RowProblem::Negative => Msg::PacketRowNegative,
                RowProblem::Amount => Msg::PacketRowAmount,
                RowProblem::Twice => Msg::PacketRowTwice,
            };
            (Msg::ApiValidation, Some((format!("{grain}s[{}]", row - 1), msg)))
        }
    }
}

impl ApiError {
    pub(super) fn pending(&self) -> Pending {
        let (status, slug, title, detail) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                Msg::ApiUnauthorizedTitle,
                Msg::ApiUnauthorized,
            ),
            ApiError::ReadOnly => (
                StatusCode::FORBIDDEN,
                "read-only",
                Msg::ApiForbiddenTitle,
                Msg::ApiReadOnly,
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                Msg::ApiForbiddenTitle,
                Msg::ErrorForbidden,
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                Msg::ApiNotFoundTitle,
                Msg::ErrorNotFound,
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                Msg::ApiBadRequestTitle,
                Msg::ApiMethodNotAllowed,
            ),
            ApiError::BadJson => (
                StatusCode::BAD_REQUEST,
                "bad-json",
                Msg::ApiBadRequestTitle,
                Msg::ApiBadJson,
            ),
            ApiError::TooLarge { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                Msg::ApiTooLargeTitle,
                Msg::ApiTooLarge,
            ),
            ApiError::Validation(_) | ApiError::Refused(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Msg::ApiValidationTitle,
                Msg::ApiValidation,
            ),
            ApiError::Conflict(msg) => (StatusCode::CONFLICT, "conflict", Msg::ApiConflictTitle, *msg),
            ApiError::RollupOnly => (
                StatusCode::FORBIDDEN,
                "rollup-only",
                Msg::ApiForbiddenTitle,
                Msg::PacketRollupOnly,
            ),
            ApiError::Packet(PacketError::NoKey) => (
                StatusCode::CONFLICT,
                "no-rollup-key",
                Msg::PacketRefusedTitle,
                Msg::PacketNoKey,
            ),
            ApiError::Packet(PacketError::Older { .. }) => (
                StatusCode::CONFLICT,
                "packet-older",
                Msg::PacketRefusedTitle,
                Msg::PacketOlder,
            ),
            ApiError::Packet(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "packet-refused",
                Msg::PacketRefusedTitle,
                packet_msgs(e).0,
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limit",
                Msg::ApiTooManyTitle,
                Msg::ApiTooMany,
            ),
            ApiError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                Msg::ApiBusyTitle,
                Msg::ErrorBusy,
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Msg::ErrorTitle,
                Msg::ErrorInternal,
            ),
        };
        Pending {
            status,
            slug,
            title,
            detail,
            n: match self {
                ApiError::TooManyRequests { per_minute, .. } => Some(*per_minute),
                ApiError::TooLarge { limit } => Some(*limit),
                _ => None,
            },
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => FieldErrors::default(),
            },
            refusals: match self {
                ApiError::Refused(refusals) => refusals.clone(),
                _ => Vec::new(),
            },
            fields: match self {
                ApiError::Packet(e) => packet_msgs(e).1.into_iter().collect(),
                _ => Vec::new(),
            },
        }
    }
}

impl Pending {
    /// The problem in `lang`, field names as the body spells them.
    pub fn render(&self, lang: Lang) -> Problem {
        let mut detail = self.detail.text(lang).to_string();
        if let Some(n) = self.n {
            detail = detail.replace("{n}", &n.to_string());
        }
        Problem {
            kind: format!("/api/docs#problem-{}", self.slug),
            title: self.title.text(lang).to_string(),
            status: self.status.as_u16(),
            detail,
            errors: self
                .errors
                .0
                .iter()
                .map(|e| FieldProblem {
                    field: body_field(&e.field),
                    message: problem_text(e.problem, lang),
                })
                .chain(self.refusals.iter().map(|r| FieldProblem {
                    field: r.field.clone(),
                    message: r.message(lang),
                }))
                .chain(self.fields.iter().map(|(field, msg)| FieldProblem {
                    field: field.clone(),
                    message: msg.text(lang).to_string(),
                }))
                .collect(),
        }
    }

    /// The rendered problem as a response, keeping `headers` (e.g. `Retry-After`).
    pub fn respond(&self, lang: Lang, mut headers: axum::http::HeaderMap) -> Response {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.remove(header::CONTENT_LENGTH);
        let body = serde_json::to_vec(&self.render(lang)).unwrap_or_default();
        (self.status, headers, body).into_response()
    }
}

/// A form field's name as the JSON body spells it: the case form's
/// `applicant_phone.0` is `applicants[0].phone`, `respondent_type.1`
/// `respondents[1].party_type`; other names stay.
pub fn body_field(form: &str) -> String {
    for (prefix, list) in [("applicant_", "applicants"), ("respondent_", "respondents")] {
        if let Some(rest) = form.strip_prefix(prefix)
            && let Some((field, row)) = rest.split_once('.')
        {
            let field = if field == "type" { "party_type" } else { field };
            return format!("{list}[{row}].{field}");
        }
    }
    form.to_string()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = %e, "API request failed");
        }
        let pending = self.pending();
        let mut response = pending.status.into_response();
        if let ApiError::TooManyRequests { retry_after, .. } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(pending);
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

/// The pages' errors met by shared code (a transfer pending, a busy
/// database) as problems.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::NotFound,
            AppError::Forbidden | AppError::Csrf => ApiError::Forbidden,
            AppError::BadRequest => ApiError::BadJson,
            AppError::Busy => ApiError::Busy,
            AppError::TransferPending => ApiError::Conflict(Msg::TransferPendingReadOnly),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_field_names_read_as_the_bodys_paths() {
        assert_eq!(body_field("applicant_phone.0"), "applicants[0].phone");
        assert_eq!(body_field("respondent_type.2"), "respondents[2].party_type");
        assert_eq!(body_field("received_on"), "received_on");
        assert_eq!(body_field("mediators"), "mediators");
    }
}
