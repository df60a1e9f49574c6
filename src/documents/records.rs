//! Records written during and after mediation: the session record
//! (调解笔录) and the return-visit record (回访记录表).

use maud::{Markup, html};

use super::{CaseFile, DocCtx, head, mediator_names, names, parties, sign_line, write_in};
use crate::i18n::Msg;
use crate::store::sessions::Session;

/// One session: when, how, who was there, what was said (a text to
/// complete), and a signature line for every party and every mediator present.
pub fn session_record(d: &DocCtx, file: &CaseFile, s: &Session) -> Markup {
    let number = file.sessions.iter().position(|x| x.id == s.id).map_or(1, |i| i + 1);
    let present: Vec<&str> = s.mediators.iter().map(|(_, n)| n.as_str()).collect();
    html! {
        article.document.session-record id=(format!("doc-session-{}", s.id)) {
            (head(d, file, Msg::DocSessionTitle))
            table.doc-table {
                tr { th { (d.t(Msg::DocSessionNumber)) } td.session-number { (d.t(Msg::DocSessionOrdinal).replace("{n}", &d.count(number))) } }
                tr { th { (d.t(Msg::WfHeldOn)) } td.held-on { (d.date(Some(s.held_on))) } }
                tr { th { (d.t(Msg::WfSessionForm)) } td { (d.label(s.form)) } }
                tr { th { (d.t(Msg::DocPlace)) } td { (write_in("place", d.t(Msg::DocPlace), &file.detail.case.project, 1)) } }
                tr { th { (d.t(Msg::DocMediatorsPresent)) } td.present { (present.join(d.t(Msg::ListSeparator))) } }
            }
            (parties(d, file))
            h2 { (d.t(Msg::DocRecord)) }
            (write_in("record", d.t(Msg::DocRecord), &s.notes, 14))
            div.sign-block {
                p { (d.t(Msg::DocRecordRead)) }
                section.signatures {
                    @for (_, p) in super::roles(file) {
                        (sign_line(d, &p.name, "attendee-sign"))
                    }
                    @for name in &present {
                        (sign_line(d, &format!("{} {}", d.t(Msg::DocMediator), name), "attendee-sign"))
                    }
                    (sign_line(d, d.t(Msg::DocRecorder), "recorder-sign"))
                }
            }
        }
    }
}

/// Every return visit, one sheet each, with what was found and a line for
/// the visitor and the party visited to sign.
pub fn visit_records(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    html! {
        @for v in file.visits {
            article.document.visit-record id=(format!("doc-visit-{}", v.id)) {
                (head(d, file, Msg::DocVisitTitle))
                table.doc-table {
                    tr { th { (d.t(Msg::FieldApplicants)) } td { (names(d, file.detail.applicants())) } }
                    tr { th { (d.t(Msg::FieldRespondents)) } td { (names(d, file.detail.respondents())) } }
                    tr { th { (d.t(Msg::FieldMediators)) } td { (mediator_names(d, file)) } }
                    tr { th { (d.t(Msg::WfAgreementOn)) } td { (d.date(c.agreement_on)) } }
                    tr { th { (d.t(Msg::WfAmountAgreed)) } td { (d.amount(c.amount_agreed.unwrap_or(0))) } }
                    tr { th { (d.t(Msg::WfPerformanceDue)) } td { (d.date(c.performance_due)) } }
                    tr { th { (d.t(Msg::WfVisitedOn)) } td.visited-on { (d.date(Some(v.visited_on))) } }
                    tr { th { (d.t(Msg::WfVisitor)) } td { (v.visitor) } }
                    tr { th { (d.t(Msg::WfPerformanceFound)) } td { (d.label(v.performance)) } }
                    tr { th { (d.t(Msg::WfSatisfaction)) } td { (d.label(v.satisfaction)) } }
                }
                h2 { (d.t(Msg::DocVisitNotes)) }
                (write_in("notes", d.t(Msg::DocVisitNotes), &v.notes, 8))
                div.sign-block {
                    section.signatures {
                        (sign_line(d, &format!("{} {}", d.t(Msg::WfVisitor), v.visitor), "visitor-sign"))
                        (sign_line(d, d.t(Msg::DocPartyVisited), "party-sign"))
                    }
                }
            }
        }
    }
}
