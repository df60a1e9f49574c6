//! What the router puts around every request besides the context: the
//! body limit, and the error page when a handler panics.

use axum::extract::Request;
use axum::http::header;
use axum::middleware;
use axum::response::IntoResponse;

use super::{AppError, AppState, api, attachments, import};

/// Largest request body accepted (forms; the CSV upload has its own).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Multipart routes whose handler checks the `csrf_token` body field itself,
/// first thing, with [`TokenInBody::check`](super::TokenInBody::check) (the context middleware does not
/// parse multipart bodies): the CSV import and the attachment upload. Keep them few.
pub(super) fn checks_own_token(path: &str) -> bool {
    path == import::PATH || attachments::is_upload_path(path)
}

/// The request body limit: [`BODY_LIMIT`], or the CSV upload's, the
/// attachment upload's and the statistics packets' own on their paths. A declared length over it is
/// refused at once; a body without one fails when it outgrows it, before
/// anything is buffered past the limit.
pub(super) async fn limit_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let limit = if path == import::PATH {
        import::BODY_LIMIT
    } else if attachments::is_upload_path(path) {
        state.config.max_upload_request_bytes()
    } else if api::is_api_path(path) {
        api::body_limit(path)
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    // An upload too large is refused by its handler, with a page that says why.
    if declared.is_some_and(|n| n > limit as u64) && !attachments::is_upload_path(path) {
        // The API answers every refusal as a problem (RFC 9457).
        if api::is_api_path(path) {
            return api::too_large(&state, req.headers(), path);
        }
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

pub(super) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    AppError::Internal("panic".into()).into_response()
}
