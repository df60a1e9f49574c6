//! What the OpenAPI document says each operation may answer besides its
//! success, and every kind of problem for the documentation page: declared
//! once here, from the same [`ApiError`] the handlers answer.

use super::problem::ApiError;
use crate::domain::case::FieldErrors;
use crate::domain::packet::PacketError;
use crate::i18n::Msg;

/// An operation's responses in the OpenAPI document.
type Responses = std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>>;

/// The problems an operation may answer, for its OpenAPI `responses`:
/// each status with its description and the [`Problem`] body.
fn problem_responses(list: &[(u16, &str)]) -> Responses {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    list.iter()
        .map(|(status, description)| {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content("application/problem+json", content)
                .build();
            (status.to_string(), response.into())
        })
        .collect()
}

const UNAUTHORIZED: (u16, &str) = (401, "No valid token");
const NOT_FOUND: (u16, &str) = (404, "No such case, or not one the token's user may see");
const BAD_JSON: (u16, &str) = (400, "Not JSON of this shape");
const FORBIDDEN: (u16, &str) = (403, "A read-only token, or a role that changes no case");
const REFUSED: (u16, &str) = (422, "Refused fields; nothing written");
const TOO_LARGE: (u16, &str) = (413, "The body is over the limit; nothing read");

/// A type whose OpenAPI responses are the given problems.
macro_rules! problems {
    ($(#[$doc:meta])* $name:ident: $($p:expr),* $(,)?) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> Responses {
                problem_responses(&[$($p),*])
            }
        }
    };
}

problems!(
    /// The problems of every read: 401, 422.
    ReadProblems: UNAUTHORIZED, (422, "A query parameter that cannot be read")
);
problems!(
    /// The problems of an exchange export: 400, 401, 403, 422.
    ExchangeReadProblems: BAD_JSON, UNAUTHORIZED, FORBIDDEN, (422, "A filter that cannot be read")
);
problems!(
    /// The problems of reading one case: 401, 404.
    CaseReadProblems: UNAUTHORIZED, NOT_FOUND
);
problems!(
    /// The problems of registering a case: 400, 401, 403, 413, 422.
    WriteProblems: BAD_JSON, UNAUTHORIZED, FORBIDDEN, TOO_LARGE, REFUSED
);
problems!(
    /// The problems of a change to a case: 400, 401, 403, 404, 409, 413, 422.
    CaseWriteProblems: BAD_JSON, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_LARGE,
    (409, "The case cannot take this change as it stands (archived, voided, its status, a transfer pending)"),
    REFUSED,
);

problems!(
    /// The problems of a statistics packet: 400, 401, 403, 409, 422.
    PacketProblems: BAD_JSON, UNAUTHORIZED, (403, "Not a rollup token"),
    (409, "This installation has no shared key (rollup_key), or a packet of the committee made later was received"),
    (422, "The packet refused: its signature, its period or a row; nothing kept"),
);

/// Every kind of problem the API answers: its slug (the `type` URI's
/// fragment), status, title and detail, for the documentation page.
pub fn kinds() -> Vec<(&'static str, u16, Msg, Msg)> {
    [
        ApiError::BadJson,
        ApiError::TooLarge {
            limit: u32::try_from(crate::web::BODY_LIMIT).unwrap_or(u32::MAX),
        },
        ApiError::Unauthorized,
        ApiError::ReadOnly,
        ApiError::Forbidden,
        ApiError::NotFound,
        ApiError::MethodNotAllowed,
        ApiError::Conflict(Msg::WfRefusedArchived),
        ApiError::RollupOnly,
        ApiError::Packet(PacketError::NoKey),
        ApiError::Packet(PacketError::BadSignature),
        ApiError::Packet(PacketError::Older { kept: String::new() }),
        ApiError::Validation(FieldErrors::default()),
        ApiError::TooManyRequests {
            retry_after: 60,
            per_minute: 600,
        },
        ApiError::Internal(String::new()),
        ApiError::Busy,
    ]
    .iter()
    .map(|e| {
        let p = e.pending();
        (p.slug, p.status.as_u16(), p.title, p.detail)
    })
    .collect()
}
