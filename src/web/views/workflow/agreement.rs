//! The printable agreement (调解协议书), or for an oral agreement the
//! oral-agreement record (口头协议登记), in the frame of a page. The sheet
//! itself is `documents::agreement`, shared with the case file.

use maud::{Markup, html};

use crate::documents::{CaseFile, DocCtx};
use crate::domain::reference::RefLists;
use crate::i18n::Msg;
use crate::store::cases::CaseDetail;
use crate::web::Ctx;
use crate::web::views::{documents, layout};

pub fn page(ctx: &Ctx, association: &str, detail: &CaseDetail, refs: &RefLists) -> Markup {
    let d = DocCtx {
        lang: ctx.lang,
        association,
        refs,
    };
    let file = CaseFile {
        detail,
        sessions: &[],
        visits: &[],
    };
    let title = crate::documents::Kind::Agreement.title(&file);
    let c = &detail.case;
    documents::page(
        ctx,
        &format!("{} {}", ctx.t(title), c.case_no),
        Some(c.id),
        crate::documents::agreement(&d, &file),
    )
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
