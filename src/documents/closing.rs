//! Documents of a closed case: the termination record of a failed
//! mediation (调解终结书), the joint application for judicial confirmation
//! (司法确认申请书, law art. 33) and the closing report (结案报告表).

use maud::{Markup, html};

use super::{CaseFile, DocCtx, head, mediator_names, names, parties, roles, seal, sign_line, write_in};
use crate::domain::Status;
use crate::i18n::Msg;

/// A failed mediation ended, with the routes the parties were told of.
pub fn termination(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    let routes: Vec<&str> = c.routes().into_iter().map(|r| d.label(r)).collect();
    let body = d
        .t(Msg::DocTerminationBody)
        .replace("{applicants}", &names(d, file.detail.applicants()))
        .replace("{respondents}", &names(d, file.detail.respondents()))
        .replace("{category}", &d.category(&c.category))
        .replace("{accepted}", &d.short_date(c.accepted_on))
        .replace("{sessions}", &d.count(file.sessions.len()));
    html! {
        article.document #doc-termination {
            (head(d, file, Msg::DocTerminationTitle))
            (parties(d, file))
            p.doc-body { (body) }
            p { (d.t(Msg::DocTerminationReason)) ":" }
            (write_in("reason", d.t(Msg::DocTerminationReason), c.close_reason.as_deref().unwrap_or(""), 4))
            p #routes-told { (d.t(Msg::DocRoutesTold)) ":" span.routes { (routes.join(d.t(Msg::ListSeparator))) } }
            p { (d.t(Msg::DocTerminationEnd)) }
            p.doc-copies {
                (d.t(Msg::DocTerminationCopies).replace("{n}", &d.count(file.detail.parties.len() + 1)))
            }
            div.sign-block {
                section.signatures {
                    @for (_, name) in &file.detail.mediators {
                        div.sign-line.mediator-sign {
                            span { (d.t(Msg::WfDocMediatorSign)) " " (name) ":" }
                            span.blank {}
                        }
                    }
                }
                (seal(d, c.closed_on))
            }
        }
    }
}

/// The parties' joint application to the court to confirm their written
/// agreement, within 30 days of it taking effect (law art. 33).
pub fn judicial_application(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    let request = d
        .t(Msg::DocJudicialRequest)
        .replace("{association}", d.association)
        .replace("{agreed}", &d.short_date(c.agreement_on))
        .replace("{case_no}", &c.case_no);
    html! {
        article.document #doc-judicial {
            (head(d, file, Msg::DocJudicialTitle))
            (parties(d, file))
            h2 { (d.t(Msg::DocJudicialRequestHeading)) }
            p.doc-body { (request) }
            h2 { (d.t(Msg::DocJudicialFactsHeading)) }
            p { (d.t(Msg::WfAmountAgreed)) ":" span.doc-amount { (d.amount(c.amount_agreed.unwrap_or(0))) } }
            (write_in("facts", d.t(Msg::DocJudicialFactsHeading), c.agreement_terms.as_deref().unwrap_or(""), 8))
            p { (d.t(Msg::DocJudicialPledge)) }
            p.doc-court { (d.t(Msg::DocJudicialTo)) span.blank.court {} (d.t(Msg::DocJudicialCourt)) }
            p.doc-copies { (d.t(Msg::DocJudicialAttached)) }
            div.sign-block {
                section.signatures {
                    @for (role, p) in roles(file) {
                        (sign_line(d, &format!("{} {}", d.t(role), p.name), "party-sign"))
                    }
                }
            }
        }
    }
}

/// One table of the whole case for the committee's records.
pub fn closing_report(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    let outcome = match c.status {
        Status::Settled => d.t(Msg::DocOutcomeSettled),
        Status::Failed => d.t(Msg::DocOutcomeFailed),
        _ => d.label(c.status),
    };
    html! {
        article.document #doc-closing {
            (head(d, file, Msg::DocClosingTitle))
            table.doc-table {
                tr { th { (d.t(Msg::FieldReceivedOn)) } td { (d.date(Some(c.received_on))) } }
                tr { th { (d.t(Msg::FieldAcceptedOn)) } td { (d.date(c.accepted_on)) } }
                tr { th { (d.t(Msg::FieldCategory)) } td { (d.category(&c.category)) } }
                tr { th { (d.t(Msg::FieldProject)) } td { (c.project) } }
                tr { th { (d.t(Msg::FieldApplicants)) } td { (names(d, file.detail.applicants())) } }
                tr { th { (d.t(Msg::FieldRespondents)) } td { (names(d, file.detail.respondents())) } }
                tr { th { (d.t(Msg::FieldMediators)) } td { (mediator_names(d, file)) } }
                tr { th { (d.t(Msg::FieldAmountClaimed)) } td { @if let Some(f) = c.claimed() { (d.amount(f)) } } }
                tr { th { (d.t(Msg::DocSessionsHeld)) } td.sessions-held { (d.count(file.sessions.len())) } }
                tr { th { (d.t(Msg::DocOutcome)) } td.outcome { (outcome) } }
                @if let Some(fen) = c.amount_agreed {
                    tr { th { (d.t(Msg::WfAmountAgreed)) } td.doc-amount { (d.amount(fen)) } }
                }
                @if let Some(reason) = &c.close_reason {
                    tr { th { (d.t(Msg::FldCloseReason)) } td { (reason) } }
                }
                tr { th { (d.t(Msg::FieldClosedOn)) } td.closed-on { (d.date(c.closed_on)) } }
                tr { th { (d.t(Msg::DocVisitsMade)) } td { (d.count(file.visits.len())) } }
            }
            h2 { (d.t(Msg::FieldSummary)) }
            div.doc-text { (c.summary) }
            h2 { (d.t(Msg::DocMediatorOpinion)) }
            (write_in("mediator_opinion", d.t(Msg::DocMediatorOpinion), "", 4))
            h2 { (d.t(Msg::DocCommitteeOpinion)) }
            (write_in("committee_opinion", d.t(Msg::DocCommitteeOpinion), "", 3))
            div.sign-block {
                section.signatures {
                    @for (_, name) in &file.detail.mediators {
                        (sign_line(d, &format!("{} {}", d.t(Msg::DocMediator), name), "mediator-sign"))
                    }
                }
                (seal(d, c.closed_on))
            }
        }
    }
}
