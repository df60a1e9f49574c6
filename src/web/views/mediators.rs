//! The mediators roster.

use maud::{Markup, html};

use super::components::{csrf, field_error, invalid};
use super::layout;
use crate::domain::case::FieldErrors;
use crate::i18n::Msg;
use crate::store::mediators::Mediator;
use crate::web::Ctx;

/// A mediator form as typed.
pub struct MediatorForm {
    pub name: String,
    pub phone: String,
    pub active: bool,
}

fn fields(ctx: &Ctx, form: &MediatorForm, errors: &FieldErrors, with_active: bool) -> Markup {
    html! {
        div.field {
            label for="name" { (ctx.t(Msg::MediatorName)) }
            input #name type="text" name="name" value=(form.name) class=[invalid(errors, "name")] required;
            (field_error(ctx, errors, "name"))
        }
        div.field {
            label for="phone" { (ctx.t(Msg::FieldPhone)) }
            input #phone type="tel" name="phone" value=(form.phone) class=[invalid(errors, "phone")];
            (field_error(ctx, errors, "phone"))
        }
        @if with_active {
            label.check { input type="checkbox" name="active" value="1" checked[form.active]; " " (ctx.t(Msg::FieldActive)) }
        }
    }
}

pub fn list(ctx: &Ctx, all: &[Mediator], can_manage: bool, form: &MediatorForm, errors: &FieldErrors) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::MediatorsTitle)) }
        @if all.is_empty() {
            p.empty { (ctx.t(Msg::NoMediators)) }
        } @else {
            table.mediators {
                thead { tr {
                    th { (ctx.t(Msg::MediatorName)) }
                    th { (ctx.t(Msg::FieldPhone)) }
                    th { (ctx.t(Msg::FieldActive)) }
                    @if can_manage { th { (ctx.t(Msg::Actions)) } }
                } }
                tbody {
                    @for m in all {
                        tr class=[(!m.active).then_some("inactive")] {
                            td.name { (m.name) }
                            td { (m.phone) }
                            td { (ctx.t(if m.active { Msg::Yes } else { Msg::No })) }
                            @if can_manage { td { a href=(format!("/mediators/{}/edit", m.id)) { (ctx.t(Msg::Edit)) } } }
                        }
                    }
                }
            }
        }
        @if can_manage {
            section {
                h2 { (ctx.t(Msg::AddMediator)) }
                @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
                form.stack method="post" action="/mediators" {
                    (csrf(ctx))
                    (fields(ctx, form, errors, false))
                    button.primary type="submit" { (ctx.t(Msg::AddMediator)) }
                }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::MediatorsTitle), body)
}

pub fn edit(ctx: &Ctx, id: i64, form: &MediatorForm, errors: &FieldErrors) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::EditMediator)) }
        @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        form.stack method="post" action=(format!("/mediators/{id}")) {
            (csrf(ctx))
            (fields(ctx, form, errors, true))
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Save)) }
                a.button href="/mediators" { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::EditMediator), body)
}
