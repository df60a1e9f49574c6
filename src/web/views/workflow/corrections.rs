//! Corrections on the page (issue 13): the confirmation page of voiding a
//! session or a return visit, and how voided things show, struck through.

use maud::{Markup, html};

use super::forms::{form_page, reason_field};
use crate::domain::Status;
use crate::domain::workflow::closing::FieldErrors;
use crate::i18n::Msg;
use crate::store::cases::CaseRow;
use crate::store::sessions::Session;
use crate::store::visits::Visit;
use crate::web::Ctx;
use crate::web::views::components::csrf;

/// The record a void page is about.
pub enum VoidTarget<'a> {
    Session(&'a Session),
    Visit(&'a Visit),
}

pub struct VoidRecordView<'a> {
    pub case_id: i64,
    pub case_no: &'a str,
    pub target: VoidTarget<'a>,
    pub reason: &'a str,
    pub flaws: &'a FieldErrors,
}

pub fn void_record_page(ctx: &Ctx, v: &VoidRecordView) -> Markup {
    let (heading, what, action, facts) = match &v.target {
        VoidTarget::Session(s) => (
            Msg::CorrVoidSession,
            Msg::CorrVoidSessionWhat,
            format!("/cases/{}/sessions/{}/void", v.case_id, s.id),
            html! {
                dt { (ctx.t(Msg::WfHeldOn)) } dd { (s.held_on) }
                dt { (ctx.t(Msg::WfSessionForm)) } dd { (ctx.label(s.form)) }
                @if !s.notes.is_empty() { dt { (ctx.t(Msg::WfSessionNotes)) } dd.notes { (s.notes) } }
            },
        ),
        VoidTarget::Visit(visit) => (
            Msg::CorrVoidVisit,
            Msg::CorrVoidVisitWhat,
            format!("/cases/{}/visits/{}/void", v.case_id, visit.id),
            html! {
                dt { (ctx.t(Msg::WfVisitedOn)) } dd { (visit.visited_on) }
                dt { (ctx.t(Msg::WfVisitor)) } dd { (visit.visitor) }
                dt { (ctx.t(Msg::WfPerformanceFound)) } dd { (ctx.label(visit.performance)) }
            },
        ),
    };
    let form = html! {
        p.confirm-what #confirm-what { (ctx.t(what)) }
        dl.facts #void-record { (facts) }
        form.record-form #void-form method="post" action=(action) {
            (csrf(ctx))
            (reason_field(ctx, v.flaws, v.reason, true))
            div.actions {
                button.primary.danger type="submit" { (ctx.t(heading)) }
                a.button href=(format!("/cases/{}", v.case_id)) { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    form_page(ctx, heading, v.case_id, v.case_no, !v.flaws.is_empty(), form)
}

/// Said instead of a form when the session or visit was already voided.
pub fn record_voided_page(ctx: &Ctx, case_id: i64, case_no: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::WfRefusedTitle)) " " (case_no) }
        p.error-message #refusal role="alert" { (ctx.t(Msg::CorrRecordVoided)) }
        p { a href=(format!("/cases/{case_id}")) { (ctx.t(Msg::WfBackToCase)) } }
    };
    crate::web::views::layout::page(ctx, ctx.t(Msg::WfRefusedTitle), body)
}

/// The banner of a voided case: 已作废, when, and why.
pub fn voided_banner(ctx: &Ctx, c: &CaseRow) -> Markup {
    html! {
        @if c.status == Status::Voided {
            div.voided-banner #voided {
                strong { (ctx.t(Msg::CorrVoidedBanner)) }
                @if let Some(on) = c.voided_on { " (" (ctx.t(Msg::CorrVoidedOn)) " " (on) ")" }
                @if let Some(reason) = &c.void_reason {
                    p #void-reason { (ctx.t(Msg::CorrReason)) ": " (reason) }
                }
            }
        }
    }
}

/// "已作废 2026-11-29 · 理由: …" under a voided session or visit.
pub fn voided_note(ctx: &Ctx, on: Option<chrono::NaiveDate>, reason: Option<&str>) -> Markup {
    html! {
        @if let Some(on) = on {
            p.void-note {
                strong { (ctx.t(Msg::CorrVoided)) } " " (on)
                @if let Some(r) = reason { " · " (ctx.t(Msg::CorrReason)) ": " (r) }
            }
        }
    }
}
