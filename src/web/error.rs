//! One error type for handlers. Its response carries only the kind of error;
//! the context middleware renders the page in the visitor's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What went wrong, as the user is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    Csrf,
    BadRequest,
    TooLarge,
    Busy,
    Internal,
    TransferPending,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden | ErrorKind::Csrf => StatusCode::FORBIDDEN,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::TransferPending => StatusCode::CONFLICT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such page, or a case the user may not see.
    #[error("not found")]
    NotFound,
    /// 403: the user's role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong.
    #[error("csrf token missing or wrong")]
    Csrf,
    /// 400: a request no page of ours sends.
    #[error("bad request")]
    BadRequest,
    /// 503: the database is busy with another write (or every password
    /// hashing worker is taken); the visitor is asked to try again.
    #[error("busy")]
    Busy,
    /// 409: the case waits on a transfer to another committee, and its
    /// own committee may not change it meanwhile (issue 15).
    #[error("transfer pending")]
    TransferPending,
    /// 500: the database failed; logged, never shown.
    #[error(transparent)]
    Sqlx(sqlx::Error),
    /// 500: the session store failed; logged, never shown. (Busy is
    /// [`AppError::Busy`].)
    #[error(transparent)]
    Session(tower_sessions::session::Error),
    /// 500: anything else that should not happen; logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if crate::store::is_busy(&e) {
            tracing::warn!(error = %e, "the database is busy");
            AppError::Busy
        } else {
            AppError::Sqlx(e)
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        if crate::store::session_store::is_busy(&e) {
            tracing::warn!("the database is busy (session)");
            AppError::Busy
        } else {
            AppError::Session(e)
        }
    }
}

impl From<crate::password::PoolFull> for AppError {
    fn from(_: crate::password::PoolFull) -> Self {
        tracing::warn!("every password hashing worker is busy");
        AppError::Busy
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A refused change to a reference list that its handler did not turn
/// into a form error: a missing code is a missing page.
impl From<crate::store::reference::RefChangeError> for AppError {
    fn from(e: crate::store::reference::RefChangeError) -> Self {
        use crate::store::reference::RefChangeError;
        match e {
            RefChangeError::Db(e) => e.into(),
            RefChangeError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let kind = match &self {
            AppError::NotFound => ErrorKind::NotFound,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::Csrf => ErrorKind::Csrf,
            AppError::BadRequest => ErrorKind::BadRequest,
            AppError::Busy => ErrorKind::Busy,
            AppError::TransferPending => ErrorKind::TransferPending,
            AppError::Sqlx(_) | AppError::Session(_) | AppError::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                ErrorKind::Internal
            }
        };
        let mut response = kind.status().into_response();
        response.extensions_mut().insert(kind);
        response
    }
}

/// The one mapping of a UNIQUE violation: the form error `Duplicate` on
/// `field` (and `None`, so the handler shows the form again); any other
/// database error stays an error.
pub fn unique_as_field<T>(
    result: Result<T, sqlx::Error>,
    errors: &mut crate::domain::case::FieldErrors,
    field: &str,
) -> AppResult<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if crate::store::is_unique_violation(&e) => {
            errors.add(field, crate::domain::case::Problem::Duplicate);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}
