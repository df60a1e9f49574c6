//! The backup page: one button, and how to restore.

use maud::{Markup, html};

use super::components::csrf;
use super::layout;
use crate::i18n::Msg;
use crate::web::Ctx;

pub fn page(ctx: &Ctx) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::BackupTitle)) }
        p { (ctx.t(Msg::BackupIntro)) }
        form method="post" action="/backup" {
            (csrf(ctx))
            button.primary type="submit" { (ctx.t(Msg::BackupButton)) }
        }
        p.hint.restore { (ctx.t(Msg::BackupRestore)) }
        p.hint.attachments-note { (ctx.t(Msg::AttBackupNote)) }
    };
    layout::page(ctx, ctx.t(Msg::BackupTitle), body)
}
