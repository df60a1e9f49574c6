//! The users page's API tokens (issue 16): the tokens issued, each with a
//! button that revokes it, a form that issues one, and a new token shown
//! once, on the page that answers its issue.

use maud::{Markup, html};

use crate::domain::case::FieldErrors;
use crate::domain::token::{IssueForm, TokenScope};
use crate::i18n::Msg;
use crate::store::tokens::TokenRow;
use crate::store::users::UserRow;
use crate::web::Ctx;
use crate::web::views::components::{csrf, field_error, invalid};

/// The token part of the users page as shown.
#[derive(Default)]
pub struct TokenSection {
    pub tokens: Vec<TokenRow>,
    /// The issue form as typed (`user` the chosen user's id).
    pub form: IssueForm,
    pub user: String,
    pub errors: FieldErrors,
    /// The token just issued, shown this once.
    pub issued: Option<String>,
}

fn scope_msg(scope: TokenScope) -> Msg {
    match scope {
        TokenScope::Read => Msg::TokenScopeRead,
        TokenScope::Write => Msg::TokenScopeWrite,
        TokenScope::Rollup => Msg::TokenScopeRollup,
    }
}

/// A stored moment as a person reads it (`2026-11-30 08:15` UTC is kept;
/// the minute is enough here).
fn moment(v: Option<&str>) -> String {
    v.map(|s| s.get(..16).unwrap_or(s).replace('T', " "))
        .unwrap_or_default()
}

fn list(ctx: &Ctx, tokens: &[TokenRow]) -> Markup {
    html! {
        @if tokens.is_empty() {
            p.empty { (ctx.t(Msg::TokensNone)) }
        } @else {
            div.table-wrap { table.tokens {
                thead { tr {
                    th { (ctx.t(Msg::TokenLabel)) }
                    th { (ctx.t(Msg::TokenUser)) }
                    th { (ctx.t(Msg::TokenScopeField)) }
                    th { (ctx.t(Msg::TokenCreated)) }
                    th { (ctx.t(Msg::TokenExpires)) }
                    th { (ctx.t(Msg::TokenLastUsed)) }
                    th { (ctx.t(Msg::TokenRevokedAt)) }
                    th { (ctx.t(Msg::Actions)) }
                } }
                tbody {
                    @for t in tokens {
                        tr.token class=[t.revoked_at.is_some().then_some("inactive")] {
                            td.label { (t.label) }
                            td.user { (t.username) }
                            td.scope { (ctx.t(scope_msg(t.scope))) }
                            td { (moment(Some(&t.created_at))) }
                            td.expires { @match &t.expires_at { Some(e) => (moment(Some(e))), None => (ctx.t(Msg::TokenDaysNever)) } }
                            td.last-used { (moment(t.last_used_at.as_deref())) }
                            td.revoked { (moment(t.revoked_at.as_deref())) }
                            td {
                                @if t.revoked_at.is_none() {
                                    form method="post" action="/users/tokens/revoke" {
                                        (csrf(ctx))
                                        input type="hidden" name="token" value=(t.id);
                                        button type="submit" { (ctx.t(Msg::TokenRevoke)) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// The section: the new token if one was just issued, the list, the form.
pub fn section(ctx: &Ctx, users: &[UserRow], s: &TokenSection) -> Markup {
    let errors = &s.errors;
    let days = [
        ("", Msg::TokenDaysNever),
        ("30", Msg::TokenDays30),
        ("90", Msg::TokenDays90),
        ("365", Msg::TokenDays365),
    ];
    html! {
        section #tokens {
            h2 { (ctx.t(Msg::TokensTitle)) }
            p.hint { (ctx.t(Msg::TokensIntro)) }
            @if let Some(token) = &s.issued {
                div.notice role="status" {
                    p { (ctx.t(Msg::TokenShownOnce)) }
                    p { code #new-token { (token) } }
                }
            }
            (list(ctx, &s.tokens))
            @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
            form.stack method="post" action="/users/tokens" {
                (csrf(ctx))
                div.field {
                    label for="token_user" { (ctx.t(Msg::TokenUser)) }
                    select #token_user name="user" class=[invalid(errors, "user")] {
                        @for u in users.iter().filter(|u| u.active) {
                            option value=(u.id) selected[u.id.to_string() == s.user] { (u.username) }
                        }
                    }
                    (field_error(ctx, errors, "user"))
                }
                div.field {
                    label for="token_scope" { (ctx.t(Msg::TokenScopeField)) }
                    select #token_scope name="scope" class=[invalid(errors, "scope")] {
                        @for &scope in TokenScope::ALL {
                            option value=(scope.code()) selected[scope.code() == s.form.scope] { (ctx.t(scope_msg(scope))) }
                        }
                    }
                    (field_error(ctx, errors, "scope"))
                }
                div.field {
                    label for="token_days" { (ctx.t(Msg::TokenDays)) }
                    select #token_days name="days" class=[invalid(errors, "days")] {
                        @for (value, msg) in days {
                            option value=(value) selected[value == s.form.days] { (ctx.t(msg)) }
                        }
                    }
                    (field_error(ctx, errors, "days"))
                }
                div.field {
                    label for="token_label" { (ctx.t(Msg::TokenLabel)) }
                    input #token_label type="text" name="label" value=(s.form.label) class=[invalid(errors, "label")];
                    (field_error(ctx, errors, "label"))
                }
                button type="submit" { (ctx.t(Msg::TokenIssue)) }
            }
        }
    }
}
