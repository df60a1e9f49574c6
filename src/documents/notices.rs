//! Notices to the parties: acceptance or refusal (受理通知书 / 不予受理通知书)
//! and their rights and duties (当事人权利义务告知书).

use maud::{Markup, html};

use super::{CaseFile, DocCtx, head, mediator_names, names, parties, seal, sign_line, write_in};
use crate::domain::Status;
use crate::i18n::Msg;

/// To the applicants: the case is accepted (with its mediators), or
/// declined with the reason and the other routes open to them.
pub fn acceptance(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    let declined = c.status == Status::Declined;
    let title = if declined {
        Msg::DocRefusalTitle
    } else {
        Msg::DocAcceptanceTitle
    };
    let fill = |msg: Msg| {
        d.t(msg)
            .replace("{received}", &d.short_date(Some(c.received_on)))
            .replace("{accepted}", &d.short_date(c.accepted_on))
            .replace("{category}", &d.category(&c.category))
            .replace("{project}", &c.project)
            .replace("{mediators}", &mediator_names(d, file))
    };
    let (body, date) = if declined {
        (fill(Msg::DocRefusalBody), c.closed_on)
    } else {
        (fill(Msg::DocAcceptanceBody), c.accepted_on)
    };
    html! {
        article.document #doc-acceptance {
            (head(d, file, title))
            p.doc-to { span.addressee { (names(d, file.detail.applicants())) } ":" }
            p.doc-body { (body) }
            @if declined {
                p { (d.t(Msg::DocRefusalReason)) ":" }
                (write_in("reason", d.t(Msg::DocRefusalReason), c.close_reason.as_deref().unwrap_or(""), 3))
                p { (d.t(Msg::DocRefusalRoutes)) }
            }
            p { (d.t(Msg::DocHerebyNotified)) }
            div.sign-block { (seal(d, date)) }
        }
    }
}

/// The rights and duties of parties in people's mediation (law arts. 23
/// and 24), with a line for each party to sign that they were told.
pub fn rights(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    html! {
        article.document #doc-rights {
            (head(d, file, Msg::DocRightsTitle))
            (parties(d, file))
            p { (d.t(Msg::DocRightsIntro)) }
            h2 { (d.t(Msg::DocRightsHeading)) }
            ol.doc-list {
                @for msg in [Msg::DocRight1, Msg::DocRight2, Msg::DocRight3, Msg::DocRight4, Msg::DocRight5] {
                    li { (d.t(msg)) }
                }
            }
            h2 { (d.t(Msg::DocDutiesHeading)) }
            ol.doc-list {
                @for msg in [Msg::DocDuty1, Msg::DocDuty2, Msg::DocDuty3] {
                    li { (d.t(msg)) }
                }
            }
            div.sign-block {
                p { (d.t(Msg::DocRightsAcknowledged)) }
                section.signatures {
                    @for (_, p) in super::roles(file) {
                        (sign_line(d, &p.name, "party-sign"))
                    }
                }
                (seal(d, c.accepted_on))
            }
        }
    }
}
