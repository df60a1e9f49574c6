//! Admin pages: users, reference lists, the audit log.

pub mod audit;
pub mod reference;
pub mod users;

use super::{AppError, Ctx};
use crate::domain::Role;

/// Only admins pass.
pub fn require_admin(ctx: &Ctx) -> Result<i64, AppError> {
    match &ctx.user {
        Some(u) if u.role() == Role::Admin => Ok(u.id),
        _ => Err(AppError::Forbidden),
    }
}
