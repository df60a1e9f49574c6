//! Attachments on the case page (list, thumbnails, upload form), the
//! upload's own page when it is refused, and the void confirmation.

use maud::{Markup, html};

use super::admin::audit::local_time;
use super::components::{csrf, field_error, invalid};
use super::layout;
use crate::domain::attachment::AttachmentKind;
use crate::domain::case::FieldErrors;
use crate::i18n::Msg;
use crate::store::attachments::Attachment;
use crate::store::sessions::Session;
use crate::store::visits::Visit;
use crate::web::Ctx;

/// File rows of the upload form.
pub const ROWS: usize = 3;

/// What was typed into the upload form (files must be chosen again).
#[derive(Debug, Clone, Default)]
pub struct UploadForm {
    /// `""` (the case), `session:ID` or `visit:ID`.
    pub link: String,
    /// Kind and note of each file row, from 1.
    pub rows: [(String, String); ROWS],
}

impl UploadForm {
    /// The row of a field named `kind_N`, `note_N` or `file_N` (N from 1).
    pub fn row_of(field: &str, prefix: &str) -> Option<usize> {
        let n: usize = field.strip_prefix(prefix)?.parse().ok()?;
        (1..=ROWS).contains(&n).then_some(n - 1)
    }
}

/// A case's attachments and what the form may link them to.
pub struct AttachmentsView<'a> {
    pub case_id: i64,
    pub rows: &'a [Attachment],
    pub sessions: &'a [Session],
    pub visits: &'a [Visit],
    /// Whether the user may upload and void.
    pub can_act: bool,
    pub max_mb: u32,
    /// The local time zone, for upload times.
    pub offset: chrono::FixedOffset,
}

fn link_text(ctx: &Ctx, v: &AttachmentsView, a: &Attachment) -> String {
    let date = |msg: Msg, d: Option<String>| format!("{} {}", ctx.t(msg), d.unwrap_or_default());
    match (a.session_id, a.visit_id) {
        (Some(s), _) => date(
            Msg::AttLinkSession,
            v.sessions.iter().find(|x| x.id == s).map(|x| x.held_on.to_string()),
        ),
        (_, Some(id)) => date(
            Msg::AttLinkVisit,
            v.visits.iter().find(|x| x.id == id).map(|x| x.visited_on.to_string()),
        ),
        _ => ctx.t(Msg::AttLinkCase).to_string(),
    }
}

/// The section of the case page.
pub fn section(ctx: &Ctx, v: &AttachmentsView) -> Markup {
    let base = format!("/cases/{}/attachments", v.case_id);
    html! {
        section #attachments {
            h2 { (ctx.t(Msg::AttTitle)) }
            @if v.rows.is_empty() { p.empty { (ctx.t(Msg::AttNone)) } }
            @else {
                div.table-wrap { table.attachments {
                    thead { tr {
                        th { (ctx.t(Msg::AttFile)) }
                        th { (ctx.t(Msg::AttKind)) }
                        th { (ctx.t(Msg::AttType)) }
                        th.num { (ctx.t(Msg::AttSize)) }
                        th { (ctx.t(Msg::AttLink)) }
                        th { (ctx.t(Msg::AttNote)) }
                        th { (ctx.t(Msg::AttUploadedAt)) }
                        @if v.can_act { th { (ctx.t(Msg::Actions)) } }
                    } }
                    tbody { @for a in v.rows {
                        tr.attachment.voided[a.is_voided()] id=(format!("attachment-{}", a.id)) {
                            td.name {
                                @if a.detected_type.is_inline_image() && !a.is_voided() {
                                    a href=(format!("{base}/{}", a.id)) {
                                        img.thumb src=(format!("{base}/{}/inline", a.id)) alt=(a.original_name) loading="lazy";
                                    }
                                    br;
                                }
                                @let link = html! { a.download href=(format!("{base}/{}", a.id)) { (a.original_name) } };
                                @if a.is_voided() { del { (link) } } @else { (link) }
                                @if let Some(reason) = &a.voided_reason {
                                    div.void-note { span.badge.voided { (ctx.t(Msg::AttVoided)) } " " span.void-reason { (reason) } }
                                }
                            }
                            td.kind { (ctx.label(a.kind)) }
                            td.type { (a.detected_type.short_name()) }
                            td.num { (crate::domain::attachment::size_text(a.size)) }
                            td { (link_text(ctx, v, a)) }
                            td.notes { (a.note) }
                            td.uploaded { (local_time(&a.uploaded_at, v.offset)) @if let Some(u) = &a.uploaded_by { " " (u) } }
                            @if v.can_act { td {
                                @if !a.is_voided() {
                                    a.void href=(format!("{base}/{}/void", a.id)) { (ctx.t(Msg::AttVoid)) }
                                }
                            } }
                        }
                    } }
                } }
            }
            @if v.can_act {
                (upload_form(ctx, v, &UploadForm::default(), &FieldErrors::default()))
            }
        }
    }
}

fn upload_form(ctx: &Ctx, v: &AttachmentsView, form: &UploadForm, flaws: &FieldErrors) -> Markup {
    let kinds = AttachmentKind::ALL;
    html! {
        form.record-form.no-print #upload method="post" action=(format!("/cases/{}/attachments", v.case_id)) enctype="multipart/form-data" {
            // The token is the body's first part: the handler checks it before reading any file.
            (csrf(ctx))
            h3 { (ctx.t(Msg::AttUploadTitle)) }
            p.hint { (ctx.t(Msg::AttUploadIntro).replace("{mb}", &v.max_mb.to_string())) }
            div.field {
                label for="link" { (ctx.t(Msg::AttLink)) }
                select #link name="link" class=[invalid(flaws, "link")] {
                    option value="" { (ctx.t(Msg::AttLinkCase)) }
                    @for s in v.sessions {
                        @let val = format!("session:{}", s.id);
                        option value=(val) selected[form.link == val] { (ctx.t(Msg::AttLinkSession)) " " (s.held_on) }
                    }
                    @for x in v.visits {
                        @let val = format!("visit:{}", x.id);
                        option value=(val) selected[form.link == val] { (ctx.t(Msg::AttLinkVisit)) " " (x.visited_on) }
                    }
                }
                (field_error(ctx, flaws, "link"))
            }
            @for (i, (kind, note)) in form.rows.iter().enumerate() {
                @let n = i + 1;
                fieldset.attachment-row {
                    legend { (ctx.t(Msg::AttFileRow).replace("{n}", &n.to_string())) }
                    div.grid {
                        div.field {
                            label for=(format!("kind_{n}")) { (ctx.t(Msg::AttKind)) }
                            select id=(format!("kind_{n}")) name=(format!("kind_{n}")) class=[invalid(flaws, &format!("kind_{n}"))] {
                                option value="" { (ctx.t(Msg::ChooseOne)) }
                                @for k in kinds {
                                    option value=(k.code()) selected[kind == k.code()] { (ctx.label(*k)) }
                                }
                            }
                            (field_error(ctx, flaws, &format!("kind_{n}")))
                        }
                        div.field {
                            label for=(format!("note_{n}")) { (ctx.t(Msg::AttNote)) }
                            input type="text" id=(format!("note_{n}")) name=(format!("note_{n}")) value=(note) class=[invalid(flaws, &format!("note_{n}"))];
                            (field_error(ctx, flaws, &format!("note_{n}")))
                        }
                        div.field {
                            label for=(format!("file_{n}")) { (ctx.t(Msg::AttFile)) }
                            // Several files may share a row's kind and note.
                            input type="file" id=(format!("file_{n}")) name=(format!("file_{n}")) multiple
                                accept=".pdf,.jpg,.jpeg,.png,.heic,.heif,.webp,.doc,.docx,.xls,.xlsx,.txt";
                        }
                    }
                }
            }
            div.actions { button.primary type="submit" { (ctx.t(Msg::AttUploadButton)) } }
        }
    }
}

/// The upload form again, with what was wrong; nothing was saved.
pub fn upload_page(
    ctx: &Ctx,
    case_no: &str,
    v: &AttachmentsView,
    form: &UploadForm,
    flaws: &FieldErrors,
    problems: &[String],
) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::AttUploadTitle)) " " a href=(format!("/cases/{}", v.case_id)) { (case_no) } }
        div.error-message #upload-errors role="alert" {
            p { strong { (ctx.t(Msg::AttNothingSaved)) } }
            @if !problems.is_empty() {
                ul.upload-errors { @for p in problems { li { (p) } } }
            }
            @if problems.is_empty() && !flaws.is_empty() { p { (ctx.t(Msg::FormHasErrors)) } }
        }
        (upload_form(ctx, v, form, flaws))
    };
    layout::page(ctx, &format!("{} {case_no}", ctx.t(Msg::AttUploadTitle)), body)
}

/// The page that asks for the reason before an attachment is voided.
pub fn void_page(ctx: &Ctx, case_no: &str, a: &Attachment, reason: &str, flaws: &FieldErrors) -> Markup {
    let action = format!("/cases/{}/attachments/{}/void", a.case_id, a.id);
    let body = html! {
        h1 { (ctx.t(Msg::AttVoidTitle)) " " a href=(format!("/cases/{}", a.case_id)) { (case_no) } }
        @if !flaws.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        dl.facts {
            dt { (ctx.t(Msg::AttOriginalName)) } dd #void-name { (a.original_name) }
            dt { (ctx.t(Msg::AttKind)) } dd { (ctx.label(a.kind)) }
            dt { (ctx.t(Msg::AttType)) } dd { (a.detected_type.short_name()) }
            @if !a.note.is_empty() { dt { (ctx.t(Msg::AttNote)) } dd { (a.note) } }
        }
        @if a.is_voided() {
            p.notice role="status" { (ctx.t(Msg::AttAlreadyVoided)) }
        } @else {
            p { (ctx.t(Msg::AttVoidIntro)) }
            form.stack method="post" action=(action) {
                (csrf(ctx))
                div.field {
                    label for="reason" { (ctx.t(Msg::AttVoidReason)) }
                    textarea #reason name="reason" rows="3" required class=[invalid(flaws, "reason")] { (reason) }
                    (field_error(ctx, flaws, "reason"))
                }
                div.actions {
                    button.danger type="submit" { (ctx.t(Msg::AttVoidButton)) }
                    a.button href=(format!("/cases/{}#attachments", a.case_id)) { (ctx.t(Msg::Cancel)) }
                }
            }
        }
    };
    layout::page(ctx, &format!("{} {case_no}", ctx.t(Msg::AttVoidTitle)), body)
}
