//! The agreement (调解协议书), or for an oral agreement the oral-agreement
//! record (口头协议登记).

use maud::{Markup, html};

use super::{CaseFile, DocCtx, roles};
use crate::domain::RefList;
use crate::domain::workflow::AgreementType;
use crate::i18n::Msg;

pub fn agreement(d: &DocCtx, file: &CaseFile) -> Markup {
    let detail = file.detail;
    let c = &detail.case;
    let oral = c.agreement_type == Some(AgreementType::Oral);
    let title = if oral {
        Msg::WfDocOralTitle
    } else {
        Msg::WfDocAgreementTitle
    };
    let parties: Vec<_> = roles(file).collect();
    html! {
        article.agreement.document.oral[oral] #agreement {
            header.doc-head {
                p.doc-association #association { (d.association) }
                h1.doc-title { (d.t(title)) }
                p.doc-number { (d.t(Msg::WfDocNumber)) ":" span #case-no { (c.case_no) } }
            }
            section.doc-parties #parties {
                @for (role, p) in &parties {
                    p.doc-party {
                        span.party-role { (d.t(*role)) } ":"
                        span.party-name { (p.name) }
                        "(" span.party-type { (d.refs.label(RefList::PartyType, &p.party_type, d.lang)) } ")"
                    }
                }
            }
            section {
                h2 { (d.t(Msg::WfDocFacts)) }
                div.doc-text #facts { (c.summary) }
            }
            section {
                h2 { (d.t(Msg::WfDocTerms)) }
                div.doc-text #terms { (c.agreement_terms.as_deref().unwrap_or("")) }
            }
            section #performance {
                h2 { (d.t(Msg::WfDocPerformance)) }
                p { (d.t(Msg::WfDocHow)) }
                p { (d.t(Msg::WfAmountAgreed)) ":" span #doc-amount { (d.amount(c.amount_agreed.unwrap_or(0))) } }
                p { (d.t(Msg::WfPerformanceDue)) ":" span #doc-due { (d.short_date(c.performance_due)) } }
            }
            @if oral {
                p #agreed-on { (d.t(Msg::WfDocAgreedOn)) ":" (d.short_date(c.agreement_on)) }
                p.doc-effect { (d.t(Msg::WfDocOralNote)) }
            } @else {
                p.doc-effect { (d.t(Msg::WfDocEffect)) }
                p.doc-copies #copies {
                    (d.t(Msg::WfDocCopiesBefore)) (d.count(parties.len() + 1)) (d.t(Msg::WfDocCopiesAfter))
                }
            }
            div.sign-block {
                section.signatures {
                    @if oral {
                        @for (_, name) in &detail.mediators {
                            div.sign-line.mediator-sign {
                                span { (d.t(Msg::WfDocRecorder)) ":" (name) }
                                span.blank {}
                            }
                        }
                    } @else {
                        @for (role, p) in &parties {
                            div.sign-line.party-sign {
                                span { (d.t(*role)) " " (p.name) " " (d.t(Msg::WfDocSignature)) ":" }
                                span.blank {}
                                span { (d.t(Msg::WfDocDate)) ":" }
                                span.blank.short {}
                            }
                        }
                        @for (_, name) in &detail.mediators {
                            div.sign-line.mediator-sign {
                                span { (d.t(Msg::WfDocMediatorSign)) " " (name) ":" }
                                span.blank {}
                            }
                        }
                    }
                }
                div.seal #seal {
                    p #seal-name { (d.association) (d.t(Msg::DocSealMark)) }
                    p.seal-date #seal-date { (d.date(c.agreement_on)) }
                }
            }
        }
    }
}
