//! Numeric ids from the path. Anything that is not a number is a missing
//! page (404), before a handler runs.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::AppError;

/// The case of `/cases/{id}/...`.
#[derive(Debug, Clone, Copy)]
pub struct CaseId(pub i64);

/// The record of `/cases/{id}/sessions/{sid}` or `/cases/{id}/visits/{vid}`.
#[derive(Debug, Clone, Copy)]
pub struct RecordId(pub i64);

/// The user or mediator of `/users/{id}` and `/mediators/{id}`.
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

/// The first of `names` among the path's parameters, as a number.
async fn param(parts: &mut Parts, names: &[&str]) -> Result<i64, AppError> {
    let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, &())
        .await
        .map_err(|_| AppError::NotFound)?;
    params
        .iter()
        .find(|(k, _)| names.contains(&k.as_str()))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or(AppError::NotFound)
}

impl<S: Send + Sync> FromRequestParts<S> for CaseId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        param(parts, &["id"]).await.map(CaseId)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        param(parts, &["sid", "vid"]).await.map(RecordId)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        param(parts, &["id"]).await.map(Id)
    }
}
