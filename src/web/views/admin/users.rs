//! The users page and a user's edit page.

use maud::{Markup, html};

use crate::domain::Role;
use crate::domain::case::FieldErrors;
use crate::i18n::Msg;
use crate::store::login_attempts::Throttle;
use crate::store::orgs::Organisation;
use crate::store::users::UserRow;
use crate::web::Ctx;
use crate::web::views::admin::orgs::kind_msg;
use crate::web::views::components::{csrf, field_error, invalid};
use crate::web::views::layout;

/// The new-user form as typed.
#[derive(Default)]
pub struct NewUser {
    pub username: String,
    pub role: String,
    /// An id, "new", or "" while none is chosen.
    pub mediator: String,
    /// The person's real name, for a new mediator record.
    pub mediator_name: String,
    /// The organisation's id as chosen.
    pub org: String,
}

/// A user's edit form as shown: the stored values, or those sent back.
pub struct EditUser {
    pub role: String,
    pub org: String,
    pub mediator: String,
    pub active: bool,
}

impl EditUser {
    pub fn of(u: &UserRow) -> EditUser {
        EditUser {
            role: u.role.code().to_string(),
            org: u.org_id.to_string(),
            mediator: u.mediator_id.map(|m| m.to_string()).unwrap_or_default(),
            active: u.active,
        }
    }
}

/// Where a user can be put: the organisations, and every committee's
/// mediators as (committee, mediator id, name).
pub struct Places {
    pub orgs: Vec<Organisation>,
    pub mediators: Vec<(i64, i64, String)>,
}

/// The organisations in tree order, indented, retired ones left out
/// unless already chosen, and committees reported from elsewhere always.
fn org_select(ctx: &Ctx, places: &Places, selected: &str, errors: &FieldErrors) -> Markup {
    html! {
        select #org name="org" class=[invalid(errors, "org")] {
            @for o in places.orgs.iter().filter(|o| !o.remote && (!o.retired || o.id.to_string() == selected)) {
                option value=(o.id) selected[o.id.to_string() == selected] {
                    ("\u{3000}".repeat(o.depth())) (o.name) " · " (ctx.t(kind_msg(o.kind)))
                }
            }
        }
        small.hint { (ctx.t(Msg::OrgHintUserPlace)) }
        (field_error(ctx, errors, "org"))
    }
}

fn role_select(ctx: &Ctx, selected: &str, errors: &FieldErrors) -> Markup {
    html! {
        select #role name="role" class=[invalid(errors, "role")] {
            @for &r in Role::ALL {
                option value=(r.code()) selected[r.code() == selected] { (ctx.label(r)) }
            }
        }
        (field_error(ctx, errors, "role"))
    }
}

/// The mediator record of an account: first a prompt to choose one, then
/// the mediators, and on the new-user form last "a new mediator" (whose
/// real name is typed in the next field).
/// Mediators are grouped by committee: an account's record is one of its
/// own committee's.
fn mediator_select(ctx: &Ctx, places: &Places, selected: &str, errors: &FieldErrors, offer_new: bool) -> Markup {
    html! {
        select #mediator name="mediator" class=[invalid(errors, "mediator")] {
            option value="" { (ctx.t(Msg::ChooseMediatorPrompt)) }
            @for o in places.orgs.iter().filter(|o| o.is_committee()) {
                @let meds: Vec<_> = places.mediators.iter().filter(|m| m.0 == o.id).collect();
                @if !meds.is_empty() {
                    optgroup label=(o.name) {
                        @for (_, id, name) in meds {
                            option value=(id) selected[id.to_string() == selected] { (name) }
                        }
                    }
                }
            }
            @if offer_new {
                option value="new" selected[selected == "new"] { (ctx.t(Msg::NewMediatorByName)) }
            }
        }
        small.hint { (ctx.t(Msg::HintMediatorLink)) }
        (field_error(ctx, errors, "mediator"))
    }
}

/// Sign-in throttles in force, each with a button that lifts it.
fn throttles(ctx: &Ctx, list: &[Throttle]) -> Markup {
    html! {
        section #throttles {
            h2 { (ctx.t(Msg::ThrottlesTitle)) }
            p.hint { (ctx.t(Msg::ThrottlesIntro)) }
            @if list.is_empty() {
                p.empty { (ctx.t(Msg::ThrottlesNone)) }
            } @else {
                div.table-wrap { table.throttles {
                    thead { tr {
                        th { (ctx.t(Msg::Username)) }
                        th { (ctx.t(Msg::ClientAddress)) }
                        th { (ctx.t(Msg::ThrottleFailures)) }
                        th { (ctx.t(Msg::ThrottleWait)) }
                        th { (ctx.t(Msg::Actions)) }
                    } }
                    tbody {
                        @for t in list {
                            tr {
                                td.username { (t.username.as_deref().unwrap_or(ctx.t(Msg::ThrottleAnyUser))) }
                                td.client { (t.client) }
                                td.failures { (t.failures) }
                                td.wait { (t.wait_secs) }
                                td {
                                    form method="post" action="/users/throttles/clear" {
                                        (csrf(ctx))
                                        input type="hidden" name="username" value=(t.username.as_deref().unwrap_or(""));
                                        input type="hidden" name="client" value=(t.client);
                                        button type="submit" { (ctx.t(Msg::ThrottleClear)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
        }
    }
}

pub fn list(
    ctx: &Ctx,
    all: &[UserRow],
    places: &Places,
    throttled: &[Throttle],
    form: &NewUser,
    errors: &FieldErrors,
    tokens: &super::users_tokens::TokenSection,
) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::UsersTitle)) }
        div.table-wrap {
            table.users {
                thead { tr {
                    th { (ctx.t(Msg::Username)) }
                    th { (ctx.t(Msg::FieldRole)) }
                    th { (ctx.t(Msg::OrgField)) }
                    th { (ctx.t(Msg::FieldMediators)) }
                    th { (ctx.t(Msg::UserEnabled)) }
                    th { (ctx.t(Msg::Actions)) }
                } }
                tbody {
                    @for u in all {
                        tr class=[(!u.active).then_some("inactive")] {
                            td.username { (u.username) }
                            td.role { (ctx.label(u.role)) }
                            td.org { (u.org_name) }
                            td { (u.mediator_name.as_deref().unwrap_or("")) }
                            td.active { (ctx.t(if u.active { Msg::Yes } else { Msg::No })) }
                            td { a href=(format!("/users/{}/edit", u.id)) { (ctx.t(Msg::Edit)) } }
                        }
                    }
                }
            }
        }
        (throttles(ctx, throttled))
        (super::users_tokens::section(ctx, all, tokens))
        section {
            h2 { (ctx.t(Msg::AddUser)) }
            @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
            form.stack method="post" action="/users" {
                (csrf(ctx))
                div.field {
                    label for="username" { (ctx.t(Msg::Username)) }
                    input #username type="text" name="username" value=(form.username) class=[invalid(errors, "username")];
                    (field_error(ctx, errors, "username"))
                }
                div.field { label for="role" { (ctx.t(Msg::FieldRole)) } (role_select(ctx, &form.role, errors)) }
                div.field { label for="org" { (ctx.t(Msg::OrgField)) } (org_select(ctx, places, &form.org, errors)) }
                div.field { label for="mediator" { (ctx.t(Msg::FieldMediators)) } (mediator_select(ctx, places, &form.mediator, errors, true)) }
                div.field {
                    label for="mediator_name" { (ctx.t(Msg::FieldMediatorName)) }
                    input #mediator_name type="text" name="mediator_name" value=(form.mediator_name)
                        class=[invalid(errors, "mediator_name")];
                    small.hint { (ctx.t(Msg::HintMediatorName)) }
                    (field_error(ctx, errors, "mediator_name"))
                }
                div.field {
                    label for="password" { (ctx.t(Msg::Password)) }
                    input #password type="password" name="password" autocomplete="new-password" class=[invalid(errors, "password")];
                    small.hint { (ctx.t(Msg::HintPassword)) }
                    (field_error(ctx, errors, "password"))
                }
                button.primary type="submit" { (ctx.t(Msg::AddUser)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::UsersTitle), body)
}

pub fn edit(
    ctx: &Ctx,
    u: &UserRow,
    typed: &EditUser,
    places: &Places,
    errors: &FieldErrors,
    refusal: Option<Msg>,
) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::EditUser)) " " (u.username) }
        @if let Some(r) = refusal { p.error-message role="alert" { (ctx.t(r)) } }
        @else if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        form.stack method="post" action=(format!("/users/{}", u.id)) {
            (csrf(ctx))
            div.field { label for="role" { (ctx.t(Msg::FieldRole)) } (role_select(ctx, &typed.role, errors)) }
            div.field { label for="org" { (ctx.t(Msg::OrgField)) } (org_select(ctx, places, &typed.org, errors)) }
            div.field { label for="mediator" { (ctx.t(Msg::FieldMediators)) } (mediator_select(ctx, places, &typed.mediator, errors, false)) }
            label.check { input type="checkbox" name="active" value="1" checked[typed.active]; " " (ctx.t(Msg::UserActive)) }
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Save)) }
                a.button href="/users" { (ctx.t(Msg::Cancel)) }
            }
        }
        section {
            h2 { (ctx.t(Msg::ResetPassword)) }
            form.stack method="post" action=(format!("/users/{}/password", u.id)) {
                (csrf(ctx))
                div.field {
                    label for="password" { (ctx.t(Msg::Password)) }
                    input #password type="password" name="password" autocomplete="new-password" class=[invalid(errors, "password")];
                    small.hint { (ctx.t(Msg::HintPassword)) }
                    (field_error(ctx, errors, "password"))
                }
                button type="submit" { (ctx.t(Msg::ResetPassword)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::EditUser), body)
}
