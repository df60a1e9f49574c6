//! The organisations page: the tree, and forms to add, rename and retire.

use maud::{Markup, html};

use crate::domain::org::{OrgErrors, OrgInput, OrgKind, OrgLevel, OrgProblem};
use crate::i18n::{Msg, problem_text};
use crate::store::orgs::{OrgRow, Organisation};
use crate::web::Ctx;
use crate::web::views::components::csrf;
use crate::web::views::layout;

pub fn kind_msg(kind: OrgKind) -> Msg {
    match kind {
        OrgKind::Association => Msg::OrgKindAssociation,
        OrgKind::Committee => Msg::OrgKindCommittee,
    }
}

pub fn level_msg(level: OrgLevel) -> Msg {
    match level {
        OrgLevel::National => Msg::OrgLevelNational,
        OrgLevel::Provincial => Msg::OrgLevelProvincial,
        OrgLevel::City => Msg::OrgLevelCity,
    }
}

/// The words for an organisation's problem.
pub fn problem_words(ctx: &Ctx, problem: OrgProblem) -> String {
    let msg = match problem {
        OrgProblem::Text(p) => return problem_text(p, ctx.lang),
        OrgProblem::UnknownChoice => Msg::ProblemUnknownCode,
        OrgProblem::BadRegion => Msg::OrgProblemBadRegion,
        OrgProblem::BadPrefix => Msg::OrgProblemBadPrefix,
        OrgProblem::NeedPrefix => Msg::OrgProblemNeedPrefix,
        OrgProblem::PrefixTaken => Msg::OrgProblemPrefixTaken,
        OrgProblem::UnknownParent => Msg::OrgProblemUnknownParent,
        OrgProblem::ParentNotAssociation => Msg::OrgProblemParentNotAssociation,
        OrgProblem::Retired => Msg::OrgProblemRetired,
        OrgProblem::NameTaken => Msg::OrgProblemNameTaken,
        OrgProblem::RootStays => Msg::OrgProblemRootStays,
        OrgProblem::ActiveChildren => Msg::OrgProblemActiveChildren,
        OrgProblem::WrongKindForRole => Msg::OrgHintUserPlace,
    };
    ctx.t(msg).to_string()
}

/// The form that was sent back, with its problems.
pub struct Sent<'a> {
    pub input: &'a OrgInput,
    pub errors: &'a OrgErrors,
}

/// An input's attributes and its problem, ids prefixed by the form's kind
/// (both add forms are on one page).
fn field(ctx: &Ctx, form: &str, name: &str, label: Msg, value: &str, hint: Option<Msg>, errors: &OrgErrors) -> Markup {
    let id = format!("{form}-{name}");
    html! {
        div.field {
            label for=(id) { (ctx.t(label)) }
            input id=(id) type="text" name=(name) value=(value) class=[errors.get(name).map(|_| "invalid")];
            @if let Some(h) = hint { small.hint { (ctx.t(h)) } }
            (error(ctx, &id, name, errors))
        }
    }
}

fn error(ctx: &Ctx, id: &str, name: &str, errors: &OrgErrors) -> Markup {
    html! {
        @if let Some(p) = errors.get(name) {
            span.field-error id=(format!("{id}-error")) role="alert" { (problem_words(ctx, p)) }
        }
    }
}

/// The add form of one kind: its parent among the associations in use.
fn add_form(ctx: &Ctx, kind: OrgKind, orgs: &[OrgRow], sent: Option<&Sent<'_>>) -> Markup {
    let form = kind.code();
    let empty = (OrgInput::default(), OrgErrors::default());
    let (input, errors) = match sent {
        Some(s) if s.input.kind == form => (s.input, s.errors),
        _ => (&empty.0, &empty.1),
    };
    let title = match kind {
        OrgKind::Association => Msg::OrgAddAssociation,
        OrgKind::Committee => Msg::OrgAddCommittee,
    };
    html! {
        section id=(format!("add-{form}")) {
            h2 { (ctx.t(title)) }
            @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
            form.stack method="post" action="/orgs" {
                (csrf(ctx))
                input type="hidden" name="kind" value=(form);
                div.field {
                    label for=(format!("{form}-parent")) { (ctx.t(Msg::OrgParent)) }
                    select id=(format!("{form}-parent")) name="parent" class=[errors.get("parent").map(|_| "invalid")] {
                        @for o in orgs.iter().map(|r| &r.org).filter(|o| o.kind == OrgKind::Association && !o.retired) {
                            option value=(o.id) selected[o.id.to_string() == input.parent] {
                                ("\u{3000}".repeat(o.depth())) (o.name)
                            }
                        }
                    }
                    (error(ctx, &format!("{form}-parent"), "parent", errors))
                }
                (field(ctx, form, "name", Msg::OrgName, &input.name, None, errors))
                @if kind == OrgKind::Association {
                    div.field {
                        label for="association-level" { (ctx.t(Msg::OrgLevel)) }
                        select #association-level name="level" {
                            @for &l in OrgLevel::ALL {
                                option value=(l.code()) selected[l.code() == input.level] { (ctx.t(level_msg(l))) }
                            }
                        }
                        (error(ctx, "association-level", "level", errors))
                    }
                }
                (field(ctx, form, "region", Msg::OrgRegion, &input.region, Some(Msg::OrgHintRegion), errors))
                @if kind == OrgKind::Committee {
                    (field(ctx, form, "prefix", Msg::OrgPrefix, &input.prefix, Some(Msg::OrgHintPrefix), errors))
                }
                button.primary type="submit" { (ctx.t(title)) }
            }
        }
    }
}

fn kind_cell(ctx: &Ctx, o: &Organisation) -> Markup {
    html! {
        (ctx.t(kind_msg(o.kind)))
        @if let Some(l) = o.level { " · " (ctx.t(level_msg(l))) }
    }
}

/// The tree, each organisation indented under its parent, and the add
/// forms. `refusal` is why a retirement was refused.
pub fn list(ctx: &Ctx, orgs: &[OrgRow], sent: Option<&Sent<'_>>, refusal: Option<OrgProblem>) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::OrgsTitle)) }
        @if let Some(p) = refusal { p.error-message role="alert" { (problem_words(ctx, p)) } }
        div.table-wrap { table.orgs {
            thead { tr {
                th { (ctx.t(Msg::OrgName)) }
                th { (ctx.t(Msg::OrgKind)) }
                th { (ctx.t(Msg::OrgRegion)) }
                th { (ctx.t(Msg::OrgPrefix)) }
                th { (ctx.t(Msg::OrgUsers)) }
                th { (ctx.t(Msg::OrgCases)) }
                th { (ctx.t(Msg::Retired)) }
                th { (ctx.t(Msg::Actions)) }
            } }
            tbody {
                @for r in orgs {
                    @let o = &r.org;
                    tr id=(format!("org-{}", o.id)) class=[o.retired.then_some("inactive")] data-depth=(o.depth()) {
                        td.name {
                            ("\u{3000}".repeat(o.depth())) (o.name)
                            @if o.remote { " " span.badge.remote title=(ctx.t(Msg::OrgRemoteHint)) { (ctx.t(Msg::OrgRemote)) } }
                        }
                        td.kind { (kind_cell(ctx, o)) }
                        td.region { (o.region_code.as_deref().unwrap_or("")) }
                        td.prefix { (o.case_prefix.as_deref().unwrap_or("")) }
                        td.users { (r.users) }
                        td.cases { @if o.is_committee() { (r.cases) } }
                        td.retired { (ctx.t(if o.retired { Msg::Yes } else { Msg::No })) }
                        td {
                            a href=(format!("/orgs/{}/edit", o.id)) { (ctx.t(Msg::Edit)) }
                            @if o.parent_id.is_some() {
                                @let (action, label) = if o.retired { ("restore", Msg::Restore) } else { ("retire", Msg::Retire) };
                                form.inline method="post" action=(format!("/orgs/{}/{action}", o.id)) {
                                    (csrf(ctx))
                                    button type="submit" { (ctx.t(label)) }
                                }
                            }
                        }
                    }
                }
            }
        } }
        (add_form(ctx, OrgKind::Association, orgs, sent))
        (add_form(ctx, OrgKind::Committee, orgs, sent))
    };
    layout::page(ctx, ctx.t(Msg::OrgsTitle), body)
}

/// Renaming an organisation and changing its region code.
pub fn edit(ctx: &Ctx, o: &Organisation, name: &str, region: &str, errors: &OrgErrors) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::OrgEdit)) " " (o.name) }
        @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        form.stack method="post" action=(format!("/orgs/{}", o.id)) {
            (csrf(ctx))
            (field(ctx, "org", "name", Msg::OrgName, name, None, errors))
            (field(ctx, "org", "region", Msg::OrgRegion, region, Some(Msg::OrgHintRegion), errors))
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Save)) }
                a.button href="/orgs" { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::OrgEdit), body)
}
