//! The printable agreement (调解协议书), or for an oral agreement the
//! oral-agreement record (口头协议登记). A4, with print CSS in app.css.
//! Phone numbers are never printed: the document is handed to every party.

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use crate::domain::RefList;
use crate::domain::reference::RefLists;
use crate::domain::workflow::AgreementType;
use crate::i18n::{Lang, Msg};
use crate::store::cases::{CaseDetail, Party};
use crate::web::Ctx;
use crate::web::views::components::money;
use crate::web::views::layout;

/// A date as a printed document writes it: 2026年11月20日.
fn doc_date(lang: Lang, d: Option<NaiveDate>) -> String {
    match (lang, d) {
        (_, None) => String::new(),
        (Lang::Zh, Some(d)) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        (Lang::En, Some(d)) => d.to_string(),
    }
}

pub fn page(ctx: &Ctx, association: &str, detail: &CaseDetail, refs: &RefLists) -> Markup {
    let c = &detail.case;
    let oral = c.agreement_type == Some(AgreementType::Oral);
    let title = if oral {
        Msg::WfDocOralTitle
    } else {
        Msg::WfDocAgreementTitle
    };
    let parties: Vec<(Msg, &Party)> = detail
        .applicants()
        .map(|p| (Msg::WfDocApplicant, p))
        .chain(detail.respondents().map(|p| (Msg::WfDocRespondent, p)))
        .collect();
    let party_line = |role: Msg, p: &Party| {
        html! {
            p.doc-party {
                span.party-role { (ctx.t(role)) } ":"
                span.party-name { (p.name) }
                "(" span.party-type { (refs.label(RefList::PartyType, &p.party_type, ctx.lang)) } ")"
            }
        }
    };
    let body = html! {
        p.no-print.hint { (ctx.t(Msg::WfDocPrintHint)) " " a href=(format!("/cases/{}", c.id)) { (ctx.t(Msg::WfBackToCase)) } }
        article.agreement #agreement class=[oral.then_some("oral")] {
            header.doc-head {
                p.doc-association #association { (association) }
                h1.doc-title { (ctx.t(title)) }
                p.doc-number { (ctx.t(Msg::WfDocNumber)) ":" span #case-no { (c.case_no) } }
            }
            section.doc-parties #parties {
                @for (role, p) in &parties { (party_line(*role, p)) }
            }
            section {
                h2 { (ctx.t(Msg::WfDocFacts)) }
                div.doc-text #facts { (c.summary) }
            }
            section {
                h2 { (ctx.t(Msg::WfDocTerms)) }
                div.doc-text #terms { (c.agreement_terms.as_deref().unwrap_or("")) }
            }
            section #performance {
                h2 { (ctx.t(Msg::WfDocPerformance)) }
                p { (ctx.t(Msg::WfDocHow)) }
                p { (ctx.t(Msg::WfAmountAgreed)) ":" span #doc-amount { (money(c.amount_agreed.unwrap_or(0))) } }
                p { (ctx.t(Msg::WfPerformanceDue)) ":" span #doc-due { (doc_date(ctx.lang, c.performance_due)) } }
            }
            @if oral {
                p #agreed-on { (ctx.t(Msg::WfDocAgreedOn)) ":" (doc_date(ctx.lang, c.agreement_on)) }
                p.doc-effect { (ctx.t(Msg::WfDocOralNote)) }
                section.signatures {
                    @for (_, name) in &detail.mediators {
                        div.sign-line.mediator-sign {
                            span { (ctx.t(Msg::WfDocRecorder)) ":" (name) }
                            span.blank {}
                        }
                    }
                }
            } @else {
                p.doc-effect { (ctx.t(Msg::WfDocEffect)) }
                p.doc-copies #copies {
                    (ctx.t(Msg::WfDocCopiesBefore)) (parties.len() + 1) (ctx.t(Msg::WfDocCopiesAfter))
                }
                section.signatures {
                    @for (role, p) in &parties {
                        div.sign-line.party-sign {
                            span { (ctx.t(*role)) " " (p.name) " " (ctx.t(Msg::WfDocSignature)) ":" }
                            span.blank {}
                            span { (ctx.t(Msg::WfDocDate)) ":" }
                            span.blank.short {}
                        }
                    }
                    @for (_, name) in &detail.mediators {
                        div.sign-line.mediator-sign {
                            span { (ctx.t(Msg::WfDocMediatorSign)) " " (name) ":" }
                            span.blank {}
                        }
                    }
                }
            }
            div.seal #seal {
                p #seal-name { (association) (ctx.t(Msg::DocSealMark)) }
                p.seal-date { (doc_date(ctx.lang, c.agreement_on)) }
            }
        }
    };
    layout::page(ctx, &format!("{} {}", ctx.t(title), c.case_no), body)
}

/// Said instead of the agreement when the case is not settled.
pub fn no_agreement_page(ctx: &Ctx, case_id: i64, case_no: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::WfDocAgreementTitle)) " " (case_no) }
        p.error-message #refusal role="alert" { (ctx.t(Msg::WfNoAgreement)) }
        p { a href=(format!("/cases/{case_id}")) { (ctx.t(Msg::WfBackToCase)) } }
    };
    layout::page(ctx, ctx.t(Msg::WfDocAgreementTitle), body)
}
