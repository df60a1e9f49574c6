//! A submitted form's fields and the CSRF token every form carries: made,
//! compared, and (for uploads) checked by the handler itself.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;

use super::{AppError, Ctx};

/// The fields of a submitted form, parsed once by the CSRF check.
#[derive(Debug, Clone, Default)]
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or("").to_string()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FormPairs {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<FormPairs>().cloned().unwrap_or_default())
    }
}

pub(super) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Marks a multipart POST that came without a token in its query string or
/// header: its handler must find a valid `csrf_token` field in the body,
/// before the other fields, or refuse with [`AppError::Csrf`].
#[derive(Debug, Clone, Copy)]
pub struct TokenInBody;

impl TokenInBody {
    /// Whether `sent` is the session's token.
    pub fn check(ctx: &Ctx, sent: &str) -> Result<(), AppError> {
        if same_token(sent, &ctx.csrf) {
            Ok(())
        } else {
            Err(Self::refuse(ctx))
        }
    }

    /// The refusal of an upload whose body has no valid token first.
    pub fn refuse(ctx: &Ctx) -> AppError {
        tracing::warn!(path = %ctx.path, "refused an upload without a valid CSRF token");
        AppError::Csrf
    }
}

/// Compares without stopping at the first difference.
pub(super) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
