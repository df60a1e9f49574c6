//! The whole case file (卷宗) as one printable document: the cover, the
//! table of contents, the intake record, every document of the case, the
//! list of attachments and the back cover, each part on sheets of its own.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use maud::{DOCTYPE, Markup, html};

use super::{CaseFile, DocCtx, Kind, mediator_names, names, parties};
use crate::domain::attachment::size_text;
use crate::domain::{CaseNo, RefList};
use crate::i18n::{Label, Lang, Msg};
use crate::store::attachments::{self, files::FileStore};
use crate::store::cases::{self, CaseDetail, Scope};
use crate::store::sessions::{self, Session};
use crate::store::visits::{self, Visit};

/// A case with everything its file is printed from.
pub struct Loaded {
    pub detail: CaseDetail,
    pub sessions: Vec<Session>,
    pub visits: Vec<Visit>,
    /// The attachments' part, when the case has any (see [`attachments_part`]).
    pub attachments: Option<Markup>,
    /// The name of the case's committee, which its documents are issued in.
    pub committee: String,
}

impl Loaded {
    pub fn file(&self) -> CaseFile<'_> {
        CaseFile {
            detail: &self.detail,
            sessions: &self.sessions,
            visits: &self.visits,
        }
    }
}

/// Reads a case's file, if the scope may see the case.
pub async fn load(
    pool: &crate::store::Db,
    id: i64,
    scope: Scope,
    lang: Lang,
    images: &Images<'_>,
) -> Result<Option<Loaded>, sqlx::Error> {
    let Some(detail) = cases::get(pool, id, scope).await? else {
        return Ok(None);
    };
    let committee = crate::store::orgs::get(pool, detail.case.committee_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(Some(Loaded {
        committee,
        sessions: sessions::for_case(pool, id).await?,
        visits: visits::for_case(pool, id).await?,
        attachments: attachments_part(pool, id, lang, images).await?,
        detail,
    }))
}

/// How the images among the attachments reach the printed file.
pub enum Images<'a> {
    /// By their inline address (the web page; the browser fetches them).
    Linked,
    /// Inside the page as data, read from the files folder (`accord dossier`,
    /// a file that must stand alone offline).
    Embedded(&'a FileStore),
}

/// The list of attachments (附件清单) of a case, as a part of its file:
/// one row per attachment (voided ones struck through, with the reason),
/// then every image that still stands, printed; `None` while the case has none.
pub async fn attachments_part(
    pool: &crate::store::Db,
    case_id: i64,
    lang: Lang,
    images: &Images<'_>,
) -> Result<Option<Markup>, sqlx::Error> {
    let list = attachments::list_for_case(pool, case_id).await?;
    if list.is_empty() {
        return Ok(None);
    }
    let t = |msg: Msg| msg.text(lang);
    let mut pictures = Vec::new();
    for a in list
        .iter()
        .filter(|a| a.detected_type.is_inline_image() && !a.is_voided())
    {
        let src = match images {
            Images::Linked => Some(format!("/cases/{case_id}/attachments/{}/inline", a.id)),
            Images::Embedded(files) => std::fs::read(files.path_of(&a.sha256))
                .ok()
                .map(|bytes| format!("data:{};base64,{}", a.detected_type.mime(), BASE64.encode(bytes))),
        };
        pictures.push((a, src));
    }
    Ok(Some(html! {
        article.document.attachments-list {
            header.doc-head { h1.doc-title { (t(Msg::DocAttachmentsTitle)) } }
            table.doc-table {
                thead { tr {
                    th { (t(Msg::DocTocNo)) }
                    th { (t(Msg::AttKind)) }
                    th { (t(Msg::AttOriginalName)) }
                    th { (t(Msg::AttNote)) }
                    th { (t(Msg::AttSize)) }
                    th { (t(Msg::AttUploadedAt)) }
                } }
                tbody {
                    @for (i, a) in list.iter().enumerate() {
                        tr.voided[a.is_voided()] {
                            td { (i + 1) }
                            td { (a.kind.label(lang)) }
                            td {
                                @if a.is_voided() { del { (a.original_name) } } @else { (a.original_name) }
                                @if let Some(reason) = &a.voided_reason {
                                    br; span.void-note { (t(Msg::CorrVoided)) ":" (reason) }
                                }
                            }
                            td { (a.note) }
                            td.num { (size_text(a.size)) }
                            td { (a.uploaded_at.get(..10).unwrap_or(&a.uploaded_at)) }
                        }
                    }
                }
            }
            @for (a, src) in &pictures {
                figure.dossier-image {
                    @if let Some(src) = src { img src=(src) alt=(a.original_name); }
                    figcaption { (a.kind.label(lang)) " · " (a.original_name) }
                }
            }
        }
    }))
}

/// Settings the cover reads.
pub struct Cover {
    /// 保管期限 in years for the case's category; 0 is permanent.
    pub retention_years: u32,
}

/// One part of the file: its title and the sheets it takes.
struct Part {
    title: String,
    date: String,
    sheets: usize,
    body: Markup,
}

/// The whole file of one case, without the page frame.
pub fn dossier(d: &DocCtx, loaded: &Loaded, cover: &Cover) -> Markup {
    let file = loaded.file();
    let c = &file.detail.case;
    let mut parts = vec![Part {
        title: d.t(Msg::DocIntakeTitle).to_string(),
        date: d.short_date(Some(c.received_on)),
        sheets: 1,
        body: intake(d, &file),
    }];
    for kind in Kind::for_case(&file) {
        let Some(body) = kind.render(d, &file) else { continue };
        parts.push(Part {
            title: d.t(kind.title(&file)).to_string(),
            date: d.short_date(kind.date(&file)),
            sheets: if kind == Kind::Visits { file.visits.len() } else { 1 },
            body,
        });
    }
    if let Some(body) = &loaded.attachments {
        parts.push(Part {
            title: d.t(Msg::DocAttachmentsTitle).to_string(),
            date: String::new(),
            sheets: 1,
            body: body.clone(),
        });
    }
    // The cover is sheet 1 and the contents sheet 2; each part starts on a
    // sheet of its own and is counted as the sheets it holds.
    let mut page = 3;
    let mut rows = Vec::new();
    for part in &parts {
        rows.push((part.title.as_str(), part.date.as_str(), page));
        page += part.sheets;
    }
    let back_page = page;
    html! {
        div.dossier data-case=(c.id) {
            section.dossier-part.sheet { (cover_sheet(d, &file, cover)) }
            section.dossier-part.sheet {
                article.document.contents {
                    header.doc-head { h1.doc-title { (d.t(Msg::DocContentsTitle)) } }
                    p.doc-number { (d.t(Msg::WfDocNumber)) ":" (c.case_no) }
                    table.doc-table.toc {
                        thead { tr {
                            th { (d.t(Msg::DocTocNo)) }
                            th { (d.t(Msg::DocTocTitle)) }
                            th { (d.t(Msg::DocTocDate)) }
                            th { (d.t(Msg::DocTocPage)) }
                        } }
                        tbody {
                            @for (i, (title, date, page)) in rows.iter().enumerate() {
                                tr.toc-row {
                                    td { (i + 1) }
                                    td.toc-title { (title) }
                                    td { (date) }
                                    td.toc-page { (page) }
                                }
                            }
                            tr.toc-row {
                                td { (rows.len() + 1) }
                                td.toc-title { (d.t(Msg::DocBackTitle)) }
                                td {}
                                td.toc-page { (back_page) }
                            }
                        }
                    }
                }
            }
            @for part in &parts {
                section.dossier-part.sheet { (part.body) }
            }
            section.dossier-part.sheet { (back_cover(d, &file, back_page)) }
        }
    }
}

/// 卷宗封面: committee, case number, parties, category, dates, who filed
/// it, how long it is kept and the volume number.
fn cover_sheet(d: &DocCtx, file: &CaseFile, cover: &Cover) -> Markup {
    let c = &file.detail.case;
    let volume = CaseNo::parse(&c.case_no).map_or_else(|| c.case_no.clone(), |n| format!("{}-{:04}", n.year, n.seq));
    let retention = match cover.retention_years {
        0 => d.t(Msg::DocRetentionPermanent).to_string(),
        n => d.t(Msg::DocRetentionYears).replace("{n}", &n.to_string()),
    };
    html! {
        article.document.cover {
            header.doc-head {
                p.doc-association.cover-association { (d.association) }
                h1.doc-title { (d.t(Msg::DocCoverTitle)) }
            }
            table.doc-table.cover-facts {
                tr { th { (d.t(Msg::DocVolumeNo)) } td.volume-no { (volume) } }
                tr { th { (d.t(Msg::FieldCaseNo)) } td.cover-case-no { (c.case_no) } }
                tr { th { (d.t(Msg::FieldCategory)) } td { (d.category(&c.category)) } }
                tr { th { (d.t(Msg::FieldApplicants)) } td { (names(d, file.detail.applicants())) } }
                tr { th { (d.t(Msg::FieldRespondents)) } td { (names(d, file.detail.respondents())) } }
                tr { th { (d.t(Msg::FieldReceivedOn)) } td { (d.date(Some(c.received_on))) } }
                tr { th { (d.t(Msg::FieldAcceptedOn)) } td { (d.date(c.accepted_on)) } }
                tr { th { (d.t(Msg::FieldClosedOn)) } td { (d.date(c.closed_on)) } }
                tr { th { (d.t(Msg::WfArchivedOn)) } td { (d.date(c.archived_on)) } }
                tr { th { (d.t(Msg::DocFiledBy)) } td.filed-by { (mediator_names(d, file)) } }
                tr { th { (d.t(Msg::DocRetention)) } td.retention { (retention) } }
            }
        }
    }
}

/// 受理登记表: the case as registered.
fn intake(d: &DocCtx, file: &CaseFile) -> Markup {
    let c = &file.detail.case;
    html! {
        article.document #doc-intake {
            (super::head(d, file, Msg::DocIntakeTitle))
            table.doc-table {
                tr { th { (d.t(Msg::FieldReceivedOn)) } td { (d.date(Some(c.received_on))) } }
                tr { th { (d.t(Msg::FieldSource)) } td { (d.refs.label(RefList::Source, &c.source, d.lang)) } }
                tr { th { (d.t(Msg::FieldCategory)) } td { (d.category(&c.category)) } }
                tr { th { (d.t(Msg::FieldProject)) } td { (c.project) } }
                tr { th { (d.t(Msg::FieldDistrict)) } td { (d.refs.label(RefList::District, &c.district, d.lang)) } }
                tr { th { (d.t(Msg::FieldAmountClaimed)) } td { @if let Some(f) = c.claimed() { (d.amount(f)) } } }
                tr { th { (d.t(Msg::FieldMediators)) } td { (mediator_names(d, file)) } }
            }
            (parties(d, file))
            h2 { (d.t(Msg::FieldSummary)) }
            div.doc-text { (c.summary) }
        }
    }
}

/// 封底: the sheets in the file and lines for who filed and who checked it.
fn back_cover(d: &DocCtx, file: &CaseFile, sheets: usize) -> Markup {
    html! {
        article.document.back-cover {
            header.doc-head { h1.doc-title { (d.t(Msg::DocBackTitle)) } }
            p.sheet-count { (d.t(Msg::DocBackSheets).replace("{n}", &sheets.to_string())) }
            div.sign-block {
                section.signatures {
                    (super::sign_line(d, &format!("{} {}", d.t(Msg::DocFiledBy), mediator_names(d, file)), "filer-sign"))
                    (super::sign_line(d, d.t(Msg::DocCheckedBy), "checker-sign"))
                }
            }
        }
    }
}

/// A page of its own for a file written to disk (`accord dossier`): the
/// stylesheet inline, nothing fetched, no navigation.
pub fn standalone(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.html_lang()) {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (maud::PreEscaped(include_str!("../web/assets/app.css"))) }
            }
            body { main #main { (body) } }
        }
    }
}
