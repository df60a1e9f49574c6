//! The error page, in the visitor's language, without internals.

use maud::{Markup, html};

use super::layout;
use crate::i18n::Msg;
use crate::web::Ctx;
use crate::web::error::ErrorKind;

pub fn page(ctx: &Ctx, kind: ErrorKind) -> (axum::http::StatusCode, Markup) {
    let msg = match kind {
        ErrorKind::NotFound => Msg::ErrorNotFound,
        ErrorKind::Forbidden => Msg::ErrorForbidden,
        ErrorKind::Csrf => Msg::ErrorCsrf,
        ErrorKind::BadRequest => Msg::ErrorBadRequest,
        ErrorKind::TooLarge => Msg::ErrorTooLarge,
        ErrorKind::Busy => Msg::ErrorBusy,
        ErrorKind::Internal => Msg::ErrorInternal,
        ErrorKind::TransferPending => Msg::TransferPendingReadOnly,
    };
    let body = html! {
        h1 { (ctx.t(Msg::ErrorTitle)) }
        p.error-message { (ctx.t(msg)) }
        @if ctx.user.is_some() {
            p { a href="/cases" { (ctx.t(Msg::BackToCases)) } }
        } @else {
            p { a href="/login" { (ctx.t(Msg::LoginTitle)) } }
        }
    };
    (kind.status(), layout::page(ctx, ctx.t(Msg::ErrorTitle), body))
}
