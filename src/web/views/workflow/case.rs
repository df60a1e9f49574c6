//! The workflow's sections of the case page: action buttons, deadlines,
//! outcome and agreement, sessions, follow-up.

use maud::{Markup, html};

use super::corrections::{voided_banner, voided_note};
use super::forms::workflow_form;
use super::overdue_badge;
use super::records::visit_fields;
use crate::domain::deadlines::{CaseFlags, judicial_deadline};
use crate::domain::workflow::closing::{ActionForm, FieldErrors};
use crate::domain::workflow::records::VisitForm;
use crate::domain::workflow::{self, Action, AgreementType, Fulfilment};
use crate::domain::{Deadlines, Permission, Status};
use crate::i18n::Msg;
use crate::store::cases::{CaseDetail, CaseRow};
use crate::store::sessions::Session;
use crate::store::transfers::Transfer;
use crate::store::visits::Visit;
use crate::web::Ctx;
use crate::web::views::components::{csrf, money};

/// What the case page shows of the workflow, loaded with the case.
pub struct CaseWorkflow {
    pub sessions: Vec<Session>,
    pub visits: Vec<Visit>,
    pub deadlines: Deadlines,
    pub flags: CaseFlags,
    /// Whether the user may change this case at all (admin, or a mediator
    /// of theirs); the transition table decides the rest.
    pub can_act: bool,
    /// The case's transfers to other committees, newest first (the case
    /// page's handler fills them in; see `store::transfers::for_case`).
    pub transfers: Vec<Transfer>,
}

impl CaseWorkflow {
    /// True when the user may take `action` on the case now: never while
    /// it waits on a transfer.
    pub fn allows(&self, case: &CaseRow, action: Action) -> bool {
        self.can_act
            && self.pending_transfer().is_none()
            && workflow::check(case.status, case.archived_on.is_some(), action).is_ok()
    }

    pub fn pending_transfer(&self) -> Option<&Transfer> {
        self.transfers.iter().find(|t| t.pending())
    }
}

/// The buttons of the actions the case's status allows.
pub fn actions(ctx: &Ctx, detail: &CaseDetail, wf: &CaseWorkflow) -> Markup {
    let c = &detail.case;
    let url = |path: &str| format!("/cases/{}/{path}", c.id);
    let close = |outcome: &str| format!("/cases/{}/close?outcome={outcome}", c.id);
    // Voiding and unarchiving undo what the workflow treats as final: admins only.
    let admin = ctx.may(Permission::VoidCases);
    html! {
        (voided_banner(ctx, c))
        (crate::web::views::transfers::case_section(ctx, c, wf))
        @if let Some(on) = c.archived_on {
            p.archived-banner #archived { (ctx.t(Msg::WfArchivedBanner)) " (" (ctx.t(Msg::WfArchivedOn)) " " (on) ")" }
        }
        div.actions.workflow-actions #workflow-actions {
            @if wf.allows(c, Action::Accept) {
                form.inline-action method="post" action=(url("accept")) {
                    (csrf(ctx))
                    label for="accept-on" { (ctx.t(Msg::FieldAcceptedOn)) }
                    input #accept-on type="text" name="on" value=(wf.deadlines.today) size="10";
                    button.primary type="submit" { (ctx.t(Msg::WfAccept)) }
                }
            }
            @if wf.allows(c, Action::Decline) {
                a.button #decline href=(close("declined")) { (ctx.t(Msg::WfDecline)) }
            }
            @if wf.allows(c, Action::Settle) {
                a.button.primary #settle href=(close("settled")) { (ctx.t(Msg::WfSettle)) }
            }
            @if wf.allows(c, Action::Fail) {
                a.button #fail href=(close("failed")) { (ctx.t(Msg::WfFail)) }
            }
            @if wf.allows(c, Action::Withdraw) {
                a.button #withdraw href=(close("withdrawn")) { (ctx.t(Msg::WfWithdraw)) }
            }
            @if wf.allows(c, Action::Archive) {
                a.button #archive href=(url("archive")) { (ctx.t(Msg::WfArchive)) }
            }
            @if wf.allows(c, Action::Reopen) {
                a.button #reopen href=(url("reopen")) { (ctx.t(Msg::CorrReopen)) }
            }
            @if admin && wf.allows(c, Action::Unarchive) {
                a.button #unarchive href=(url("unarchive")) { (ctx.t(Msg::CorrUnarchive)) }
            }
            @if admin && wf.allows(c, Action::Void) {
                a.button.danger #void href=(url("void")) { (ctx.t(Msg::CorrVoid)) }
            }
        }
    }
}

/// Deadlines, outcome, sessions and follow-up, below the case details.
pub fn sections(ctx: &Ctx, detail: &CaseDetail, wf: &CaseWorkflow) -> Markup {
    let c = &detail.case;
    html! {
        (deadlines(ctx, c, wf))
        (outcome(ctx, c, wf))
        (sessions(ctx, c, wf))
        @if c.status == Status::Settled { (follow_up(ctx, c, wf)) }
    }
}

fn deadlines(ctx: &Ctx, c: &CaseRow, wf: &CaseWorkflow) -> Markup {
    let in_mediation = c.status == Status::InMediation;
    let settled = c.status == Status::Settled;
    html! {
        @if (in_mediation && c.accepted_on.is_some()) || settled {
            section #deadlines {
                h2 { (ctx.t(Msg::WfDeadlines)) }
                dl.facts {
                    @if let (true, Some(a)) = (in_mediation, c.accepted_on) {
                        dt { (ctx.t(Msg::WfMediationDeadline)) }
                        dd #mediation-deadline {
                            (wf.deadlines.mediation_deadline(a))
                            @if let Some(days) = wf.flags.overdue_days { " " (overdue_badge(ctx, days)) }
                        }
                    }
                    @if let (true, Some(due)) = (settled, c.performance_due) {
                        dt { (ctx.t(Msg::WfPerformanceDue)) }
                        dd #performance-due {
                            (due)
                            @if let Some(days) = wf.flags.follow_up_days {
                                " " span.flag.follow-up { (ctx.t(Msg::WfFlagFollowUp)) " · " (ctx.t(Msg::WfPastDueBy)) " " (days) " " (ctx.t(Msg::WfDays)) }
                            }
                        }
                    }
                    @if let (true, Some(a)) = (settled, c.agreement_on) {
                        dt { (ctx.t(Msg::WfJudicialDeadline)) }
                        dd #judicial-deadline {
                            (judicial_deadline(a))
                            @if let Some(deadline) = wf.flags.judicial_due {
                                " " span.flag.judicial-due {
                                    (ctx.t(Msg::WfFlagJudicialDue)) " · " (ctx.t(Msg::WfDaysLeft)) " "
                                    ((deadline - wf.deadlines.today).num_days())
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn outcome(ctx: &Ctx, c: &CaseRow, wf: &CaseWorkflow) -> Markup {
    let status = c.status;
    if !status.is_closed() {
        return html! {};
    }
    html! {
        section #outcome {
            @if status == Status::Settled {
                h2 { (ctx.t(Msg::WfAgreement)) }
                dl.facts {
                    @if let Some(t) = c.agreement_type {
                        dt { (ctx.t(Msg::WfAgreementType)) } dd #agreement-type { (ctx.label(t)) }
                    }
                    @if let Some(a) = c.amount_agreed { dt { (ctx.t(Msg::WfAmountAgreed)) } dd #amount-agreed { (money(a)) } }
                    @if let Some(d) = c.agreement_on { dt { (ctx.t(Msg::WfAgreementOn)) } dd #agreement-on { (d) } }
                    @if let Some(d) = c.performance_due { dt { (ctx.t(Msg::WfPerformanceDue)) } dd { (d) } }
                }
                @if let Some(terms) = &c.agreement_terms {
                    h3 { (ctx.t(Msg::WfAgreementTerms)) }
                    div.summary #agreement-terms { (terms) }
                }
                p.no-print {
                    @if wf.allows(c, Action::CorrectAgreement) {
                        a.button #correct-agreement href=(format!("/cases/{}/agreement/correct", c.id)) { (ctx.t(Msg::CorrCorrectAgreement)) } " "
                    }
                    a.button #print-agreement href=(format!("/cases/{}/agreement", c.id)) {
                        @if c.agreement_type == Some(AgreementType::Oral) { (ctx.t(Msg::WfPrintOral)) }
                        @else { (ctx.t(Msg::WfPrintAgreement)) }
                    }
                }
            } @else {
                h2 { (ctx.t(Msg::WfCloseReason)) }
                dl.facts {
                    @if c.routes_informed.is_some() {
                        dt { (ctx.t(Msg::WfRoutes)) }
                        dd #routes {
                            @for (i, r) in c.routes().into_iter().enumerate() {
                                @if i > 0 { (ctx.t(Msg::ListSeparator)) } (ctx.label(r))
                            }
                        }
                    }
                    @if let Some(reason) = &c.close_reason {
                        dt { (ctx.t(Msg::WfCloseReason)) } dd #close-reason.summary { (reason) }
                    }
                }
            }
        }
    }
}

fn sessions(ctx: &Ctx, c: &CaseRow, wf: &CaseWorkflow) -> Markup {
    let may_record = wf.allows(c, Action::Session);
    html! {
        @if c.accepted_on.is_some() || !wf.sessions.is_empty() {
            section #sessions {
                h2 { (ctx.t(Msg::WfSessions)) }
                @if wf.sessions.is_empty() { p.empty { (ctx.t(Msg::WfNoSessions)) } }
                ol.sessions {
                    @for s in &wf.sessions {
                        li.session.voided[s.voided_on.is_some()] id=(format!("session-{}", s.id)) {
                            div.session-head {
                                strong.held-on { (s.held_on) }
                                " · " span.session-form { (ctx.label(s.form)) }
                                " · " span.session-mediators {
                                    @for (i, (_, name)) in s.mediators.iter().enumerate() { @if i > 0 { (ctx.t(Msg::ListSeparator)) } (name) }
                                }
                                @if may_record && s.voided_on.is_none() {
                                    " " a.edit-session href=(format!("/cases/{}/sessions/{}/edit", c.id, s.id)) { (ctx.t(Msg::Edit)) }
                                    " " a.void-session href=(format!("/cases/{}/sessions/{}/void", c.id, s.id)) { (ctx.t(Msg::CorrVoidRecord)) }
                                }
                            }
                            @if !s.notes.is_empty() { div.notes { (s.notes) } }
                            (voided_note(ctx, s.voided_on, s.void_reason.as_deref()))
                        }
                    }
                }
                @if may_record {
                    p.no-print { a.button #add-session href=(format!("/cases/{}/sessions/new", c.id)) { (ctx.t(Msg::WfAddSession)) } }
                }
            }
        }
    }
}

fn follow_up(ctx: &Ctx, c: &CaseRow, wf: &CaseWorkflow) -> Markup {
    let may_visit = wf.allows(c, Action::Visit);
    let fulfilment = c.fulfilment.unwrap_or(Fulfilment::Pending);
    let no_flaws = FieldErrors::default();
    html! {
        section #follow-up {
            h2 { (ctx.t(Msg::WfFollowUp)) }
            dl.facts {
                dt { (ctx.t(Msg::WfFulfilment)) } dd #current-fulfilment { (ctx.label(fulfilment)) }
                dt { (ctx.t(Msg::WfJudicial)) }
                dd #current-judicial {
                    (ctx.label(c.judicial_confirmation))
                    @if let Some(d) = c.judicial_applied_on { " (" (ctx.t(Msg::WfJudicialAppliedOn)) " " (d) ")" }
                }
            }
            @if wf.allows(c, Action::Fulfilment) {
                (workflow_form(ctx, c.id, Action::Fulfilment, &ActionForm { fulfilment: fulfilment.code().to_string(), ..ActionForm::default() }, &no_flaws, false))
            }
            @if wf.allows(c, Action::Judicial) {
                @let form = ActionForm {
                    judicial: c.judicial_confirmation.code().to_string(),
                    judicial_applied_on: c.judicial_applied_on.map(|d| d.to_string()).unwrap_or_default(),
                    ..ActionForm::default()
                };
                (workflow_form(ctx, c.id, Action::Judicial, &form, &no_flaws, false))
            }
            h3 { (ctx.t(Msg::WfVisits)) }
            @if wf.visits.is_empty() {
                p.empty { (ctx.t(Msg::WfNoVisits)) }
            } @else {
                table #visits {
                    thead { tr {
                        th { (ctx.t(Msg::WfVisitedOn)) }
                        th { (ctx.t(Msg::WfVisitor)) }
                        th { (ctx.t(Msg::WfPerformanceFound)) }
                        th { (ctx.t(Msg::WfSatisfaction)) }
                        th { (ctx.t(Msg::WfVisitNotes)) }
                        @if may_visit { th.record-actions.no-print {} }
                    } }
                    tbody {
                        @for v in &wf.visits {
                            tr.visit.voided[v.voided_on.is_some()] id=(format!("visit-{}", v.id)) {
                                td { (v.visited_on) }
                                td { (v.visitor) }
                                td { (ctx.label(v.performance)) }
                                td { (ctx.label(v.satisfaction)) }
                                td.notes { (v.notes) (voided_note(ctx, v.voided_on, v.void_reason.as_deref())) }
                                @if may_visit {
                                    td.record-actions.no-print {
                                        @if v.voided_on.is_none() {
                                            a.edit-visit href=(format!("/cases/{}/visits/{}/edit", c.id, v.id)) { (ctx.t(Msg::Edit)) }
                                            " " a.void-visit href=(format!("/cases/{}/visits/{}/void", c.id, v.id)) { (ctx.t(Msg::CorrVoidRecord)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if wf.allows(c, Action::Visit) {
                form.record-form.no-print #visit-form method="post" action=(format!("/cases/{}/visits", c.id)) {
                    (csrf(ctx))
                    h3 { (ctx.t(Msg::WfAddVisit)) }
                    (visit_fields(ctx, &VisitForm { visited_on: wf.deadlines.today.to_string(), ..VisitForm::default() }, &no_flaws))
                    div.actions { button.primary type="submit" { (ctx.t(Msg::WfRecordVisit)) } }
                }
            }
        }
    }
}
