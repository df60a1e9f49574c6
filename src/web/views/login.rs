//! The sign-in page.

use maud::{Markup, html};

use super::layout;
use crate::i18n::Msg;
use crate::web::Ctx;

/// The form, with the username as typed and an error message if any.
pub fn page(ctx: &Ctx, username: &str, next: &str, error: Option<&str>) -> Markup {
    let body = html! {
        section.login {
            h1 { (ctx.t(Msg::LoginTitle)) }
            @if let Some(e) = error {
                p.error-message role="alert" { (e) }
            }
            form method="post" action="/login" {
                input type="hidden" name="csrf_token" value=(ctx.csrf);
                input type="hidden" name="next" value=(next);
                label for="username" { (ctx.t(Msg::Username)) }
                input #username type="text" name="username" value=(username) autocomplete="username" required autofocus;
                label for="password" { (ctx.t(Msg::Password)) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button.primary type="submit" { (ctx.t(Msg::LoginButton)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::LoginTitle), body)
}
