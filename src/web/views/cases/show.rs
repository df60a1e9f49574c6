//! One case, everything about it.

use maud::{Markup, html};

use crate::domain::reference::RefLists;
use crate::domain::{RefList, Status};
use crate::i18n::Msg;
use crate::store::cases::{CaseDetail, Party};
use crate::web::Ctx;
use crate::web::views::components::{money_or_dash, status_badge};
use crate::web::views::layout;

pub struct ShowView<'a> {
    pub detail: &'a CaseDetail,
    pub refs: &'a RefLists,
    pub can_edit: bool,
    /// Whether phone numbers are shown whole.
    pub show_phones: bool,
    /// Whether ID numbers are shown whole.
    pub show_id_numbers: bool,
    /// The documents that may be printed for the case, rendered by the document views.
    pub documents: Markup,
    /// The case's history timeline, rendered by the audit views.
    pub history: Markup,
    /// The workflow's action buttons, rendered by the workflow views.
    pub workflow_actions: Markup,
    /// The workflow's sections (deadlines, outcome, sessions, follow-up).
    pub workflow: Markup,
    /// The attachments section, rendered by the attachment views.
    pub attachments: Markup,
}

pub fn page(ctx: &Ctx, v: &ShowView) -> Markup {
    let c = &v.detail.case;
    let body = html! {
        div.case-head {
            @let voided = c.status == Status::Voided;
            h1 { span #case-no class=[voided.then_some("struck")] { (c.case_no) } " " (status_badge(ctx, c.status)) }
            @if v.can_edit && c.archived_on.is_none() && !voided {
                a.button href=(format!("/cases/{}/edit", c.id)) { (ctx.t(Msg::Edit)) }
            }
        }
        (v.workflow_actions)
        section {
            h2 { (ctx.t(Msg::CaseDetails)) }
            dl.facts {
                dt { (ctx.t(Msg::FieldReceivedOn)) } dd #received-on { (c.received_on) }
                @if let Some(d) = c.accepted_on { dt { (ctx.t(Msg::FieldAcceptedOn)) } dd { (d) } }
                dt { (ctx.t(Msg::FieldSource)) } dd { (v.refs.label(RefList::Source, &c.source, ctx.lang)) }
                dt { (ctx.t(Msg::FieldCategory)) } dd #category { (v.refs.label(RefList::Category, &c.category, ctx.lang)) }
                dt { (ctx.t(Msg::FieldProject)) } dd #project { (c.project) }
                dt { (ctx.t(Msg::FieldDistrict)) } dd { (v.refs.label(RefList::District, &c.district, ctx.lang)) }
                dt { (ctx.t(Msg::FieldAmountClaimed)) } dd #amount-claimed { (money_or_dash(c.claimed())) }
                (crate::web::views::official::case_facts(ctx, c, v.detail.parties.len()))
                dt { (ctx.t(Msg::FieldMediators)) }
                dd #mediators { @for (i, (_, name)) in v.detail.mediators.iter().enumerate() { @if i > 0 { (ctx.t(Msg::ListSeparator)) } (name) } }
                @if let Some(d) = c.closed_on { dt { (ctx.t(Msg::FieldClosedOn)) } dd { (d) } }
                @if let Some(u) = &v.detail.created_by_name { dt { (ctx.t(Msg::FieldCreatedBy)) } dd #created-by { (u) } }
            }
            h3 { (ctx.t(Msg::FieldSummary)) }
            div.summary #summary { (c.summary) }
        }
        section {
            h2 { (ctx.t(Msg::Parties)) }
            (parties(ctx, v, Msg::FieldApplicants, "applicants", v.detail.applicants()))
            (parties(ctx, v, Msg::FieldRespondents, "respondents", v.detail.respondents()))
        }
        (v.workflow)
        (v.attachments)
        (v.documents)
        (v.history)
    };
    layout::page(ctx, &c.case_no, body)
}

fn parties<'a>(ctx: &Ctx, v: &ShowView, title: Msg, id: &str, list: impl Iterator<Item = &'a Party>) -> Markup {
    html! {
        h3 { (ctx.t(title)) }
        div.table-wrap.parties-wrap {
            table.parties id=(id) {
                thead { tr {
                    th { (ctx.t(Msg::FieldPartyType)) }
                    th { (ctx.t(Msg::FieldName)) }
                    th { (ctx.t(Msg::FieldPhone)) }
                    th { (ctx.t(Msg::FieldIdNumber)) }
                    th { (ctx.t(Msg::FieldAddress)) }
                    th { (ctx.t(Msg::FieldRepresentative)) }
                } }
                tbody {
                    @for p in list {
                        tr {
                            td { (v.refs.label(RefList::PartyType, &p.party_type, ctx.lang)) }
                            td.party-name { (p.name) }
                            td.phone {
                                @if p.phone.is_empty() { (ctx.t(Msg::NoPhone)) }
                                @else if v.show_phones { (p.phone) }
                                @else { (crate::domain::phone::mask(&p.phone)) }
                            }
                            td.id-number {
                                @if v.show_id_numbers { (p.id_number) }
                                @else { (crate::domain::id_number::mask(&p.id_number)) }
                            }
                            td.address { (p.address) }
                            td.representative { (p.representative) }
                        }
                    }
                }
            }
        }
    }
}
