//! `POST /api/v1/rollup`: a child installation's statistics packet
//! (`accord stats --packet`, `domain::packet`), sent with a rollup token.
//! Its signature is checked with the shared `rollup_key`, then its rows
//! replace those of the same committee and period (`store::rollup`), and
//! the supervisors' figures add them to their own committees'.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::read_body;
use super::json;
use super::problem::{ApiError, ApiResult};
use super::responses::PacketProblems;
use crate::domain::packet::{self, Packet, PacketError};
use crate::domain::token::TokenScope;
use crate::store::rollup::{self, NotKept};
use crate::web::AppState;

/// The largest packet taken: a year of a busy committee's days.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// What became of a packet.
#[derive(Debug, Serialize, ToSchema)]
pub struct RolledUp {
    /// The reported committee's id here (`/oversight?committee=ID`).
    pub committee_id: i64,
    pub committee_name: String,
    #[schema(example = "2026-Q3")]
    pub period: String,
    /// The committee's first packet: it was added under the token user's association.
    pub created: bool,
    /// An earlier packet of the period was there, and is replaced.
    pub replaced: bool,
}

/// Takes a signed statistics packet of one committee for a period. Only a
/// token of scope `rollup` may send one; the committee goes under the
/// token user's association, and a later packet of the same committee
/// and period replaces this one (an older one is refused, 409). Refused whole when the signature does not
/// match the shared key or any row is out of place; nothing is kept then.
#[utoipa::path(post, path = "/api/v1/rollup", tag = "statistics",
    request_body(content = Packet, content_type = "application/json",
        description = "A packet written by `accord stats --packet`"),
    responses(
        (status = 200, description = "The packet is kept", body = RolledUp),
        PacketProblems,
    ),
    security(("bearer" = [])))]
pub async fn receive(State(state): State<AppState>, caller: Caller, body: Bytes) -> ApiResult<Response> {
    if caller.token_scope != TokenScope::Rollup {
        return Err(ApiError::RollupOnly);
    }
    let key = (state.config.rollup_key.as_deref()).ok_or(ApiError::Packet(PacketError::NoKey))?;
    let sent: Packet = read_body(&body)?;
    let checked = packet::open(key, &sent).map_err(ApiError::Packet)?;
    let done = rollup::receive(&state.pool, &caller.user, &checked)
        .await
        .map_err(|e| match e {
            NotKept::Older(kept) => ApiError::Packet(PacketError::Older { kept }),
            NotKept::Db(e) => e.into(),
        })?;
    let out = RolledUp {
        committee_id: done.committee_id,
        committee_name: done.committee_name,
        period: checked.period.code(),
        created: done.created,
        replaced: done.replaced,
    };
    Ok(json(StatusCode::OK, &out))
}
