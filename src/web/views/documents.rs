//! The case page's list of documents, the frame of a printed document and
//! the page that prints the files of a period.

use maud::{Markup, html};

use super::layout;
use crate::documents::{CaseFile, Kind};
use crate::i18n::Msg;
use crate::store::cases::CaseDetail;
use crate::store::sessions::Session;
use crate::store::visits::Visit;
use crate::web::Ctx;

/// Links to the documents that make sense for the case now, and to its file.
pub fn links(ctx: &Ctx, detail: &CaseDetail, sessions: &[Session], visits: &[Visit]) -> Markup {
    let file = CaseFile {
        detail,
        sessions,
        visits,
    };
    let id = detail.case.id;
    html! {
        section.documents.no-print #documents {
            h2 { (ctx.t(Msg::DocumentsHeading)) }
            ul.document-links {
                @for kind in Kind::for_case(&file) {
                    li {
                        a.document-link href=(kind.path(id)) {
                            (ctx.t(kind.title(&file)))
                            @if let Kind::Session(sid) = kind {
                                @if let Some(s) = sessions.iter().find(|s| s.id == sid) { " " (s.held_on) }
                            }
                        }
                    }
                }
                li { a.document-link #print-dossier href=(format!("/cases/{id}/dossier")) { (ctx.t(Msg::DocumentsPrintDossier)) } }
            }
        }
    }
}

/// A printable page: the print hint, a way back, then the sheets.
pub fn page(ctx: &Ctx, title: &str, back: Option<i64>, sheets: Markup) -> Markup {
    let body = html! {
        p.no-print.hint {
            (ctx.t(Msg::WfDocPrintHint))
            @if let Some(id) = back { " " a href=(format!("/cases/{id}")) { (ctx.t(Msg::WfBackToCase)) } }
        }
        div.printed { (sheets) }
    };
    layout::page(ctx, title, body)
}

/// Said instead of a document the case does not have (yet).
pub fn not_applicable_page(ctx: &Ctx, case_id: i64, case_no: &str, title: Msg) -> Markup {
    let body = html! {
        h1 { (ctx.t(title)) " " (case_no) }
        p.error-message #refusal role="alert" { (ctx.t(Msg::DocNotApplicable)) }
        p { a href=(format!("/cases/{case_id}")) { (ctx.t(Msg::WfBackToCase)) } }
    };
    layout::page(ctx, ctx.t(title), body)
}

/// What the period form shows and what it found.
pub struct DossiersView<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// A problem with the period or the count, already in words.
    pub message: Option<String>,
    pub files: Markup,
}

/// The period form, then the files of the cases archived in it.
pub fn dossiers_page(ctx: &Ctx, v: &DossiersView) -> Markup {
    let body = html! {
        div.no-print {
            h1 { (ctx.t(Msg::DossiersTitle)) }
            p { (ctx.t(Msg::DossiersIntro)) }
            form.filters method="get" action="/dossiers" {
                div.field {
                    label for="from" { (ctx.t(Msg::AuditFrom)) }
                    input #from type="date" name="from" value=(v.from);
                }
                div.field {
                    label for="to" { (ctx.t(Msg::AuditTo)) }
                    input #to type="date" name="to" value=(v.to);
                }
                div.actions { button.primary type="submit" { (ctx.t(Msg::DossiersPrint)) } }
            }
            @if let Some(m) = &v.message { p.error-message #dossiers-message role="status" { (m) } }
            p.hint { (ctx.t(Msg::WfDocPrintHint)) }
        }
        div.printed { (v.files) }
    };
    layout::page(ctx, ctx.t(Msg::DossiersTitle), body)
}
