//! The printed documents of a case file (卷宗): each an A4 sheet filled from
//! the case, in the style of the agreement (print CSS in `web/assets/app.css`).
//! Rendered without a request, so the web pages and `accord dossier` print
//! the same sheets. Phone numbers are never printed: every document is
//! handed to the parties or filed; ID numbers are printed whole.

mod agreement;
mod closing;
pub mod dossier;
mod notices;
mod records;

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::domain::numerals::{capital_amount, chinese_count, chinese_date};
use crate::domain::reference::RefLists;
use crate::domain::workflow::AgreementType;
use crate::domain::{Money, RefList, Status};
use crate::i18n::{Label, Lang, Msg};
use crate::store::cases::{CaseDetail, Party};
use crate::store::sessions::Session;
use crate::store::visits::Visit;

pub use agreement::agreement;
pub use closing::{closing_report, judicial_application, termination};
pub use notices::{acceptance, rights};
pub use records::{session_record, visit_records};

/// What every document is written with: the reader's language, the
/// committee's name and the reference lists' labels.
pub struct DocCtx<'a> {
    pub lang: Lang,
    pub association: &'a str,
    pub refs: &'a RefLists,
}

impl DocCtx<'_> {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    fn label(&self, value: impl Label) -> &'static str {
        value.label(self.lang)
    }

    fn category(&self, code: &str) -> String {
        self.refs.label(RefList::Category, code, self.lang).to_string()
    }

    /// A date where a document writes it out: 二〇二六年十一月二十九日 (ISO in English).
    fn date(&self, d: Option<NaiveDate>) -> String {
        match (self.lang, d) {
            (_, None) => String::new(),
            (Lang::Zh, Some(d)) => chinese_date(d),
            (Lang::En, Some(d)) => d.to_string(),
        }
    }

    /// A date in running text: 2026年11月20日.
    fn short_date(&self, d: Option<NaiveDate>) -> String {
        use chrono::Datelike;
        match (self.lang, d) {
            (_, None) => String::new(),
            (Lang::Zh, Some(d)) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            (Lang::En, Some(d)) => d.to_string(),
        }
    }

    /// A count of copies or sessions: 四 (4 in English).
    fn count(&self, n: usize) -> String {
        match self.lang {
            Lang::Zh => chinese_count(n as u64),
            Lang::En => n.to_string(),
        }
    }

    /// An amount in figures and in capital numerals: ¥20,000.00(人民币贰万元整).
    fn amount(&self, fen: i64) -> Markup {
        let m = Money::from_fen(fen);
        html! {
            span.amount-figures { (m) }
            "(" span.amount-capital { (capital_amount(m)) } ")"
        }
    }
}

/// Everything of a case its documents are filled from.
pub struct CaseFile<'a> {
    pub detail: &'a CaseDetail,
    pub sessions: &'a [Session],
    pub visits: &'a [Visit],
}

/// A document of the case file, as linked from the case page and listed
/// in the dossier's table of contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 受理通知书, or 不予受理通知书 for a declined case.
    Acceptance,
    Rights,
    /// 调解笔录 of one session.
    Session(i64),
    Agreement,
    Termination,
    Visits,
    Judicial,
    ClosingReport,
}

impl Kind {
    /// The path of the printable page.
    pub fn path(self, case_id: i64) -> String {
        let tail = match self {
            Kind::Acceptance => "documents/acceptance".to_string(),
            Kind::Rights => "documents/rights".to_string(),
            Kind::Session(sid) => format!("documents/sessions/{sid}"),
            Kind::Agreement => "agreement".to_string(),
            Kind::Termination => "documents/termination".to_string(),
            Kind::Visits => "documents/visits".to_string(),
            Kind::Judicial => "documents/judicial".to_string(),
            Kind::ClosingReport => "documents/closing".to_string(),
        };
        format!("/cases/{case_id}/{tail}")
    }

    /// The document's title, as printed at its head.
    pub fn title(self, file: &CaseFile) -> Msg {
        let c = &file.detail.case;
        match self {
            Kind::Acceptance if c.status == Status::Declined => Msg::DocRefusalTitle,
            Kind::Acceptance => Msg::DocAcceptanceTitle,
            Kind::Rights => Msg::DocRightsTitle,
            Kind::Session(_) => Msg::DocSessionTitle,
            Kind::Agreement if c.agreement_type == Some(AgreementType::Oral) => Msg::WfDocOralTitle,
            Kind::Agreement => Msg::WfDocAgreementTitle,
            Kind::Termination => Msg::DocTerminationTitle,
            Kind::Visits => Msg::DocVisitTitle,
            Kind::Judicial => Msg::DocJudicialTitle,
            Kind::ClosingReport => Msg::DocClosingTitle,
        }
    }

    /// The documents that make sense for the case as it stands, in the
    /// order of the case file (DOMAIN.md, "The case file").
    pub fn for_case(file: &CaseFile) -> Vec<Kind> {
        let c = &file.detail.case;
        let settled = c.status == Status::Settled && c.agreement_type.is_some();
        let mut kinds = Vec::new();
        if c.accepted_on.is_some() || c.status == Status::Declined {
            kinds.push(Kind::Acceptance);
        }
        if c.accepted_on.is_some() {
            kinds.push(Kind::Rights);
        }
        kinds.extend(file.sessions.iter().map(|s| Kind::Session(s.id)));
        if settled {
            kinds.push(Kind::Agreement);
        }
        if c.status == Status::Failed {
            kinds.push(Kind::Termination);
        }
        if !file.visits.is_empty() {
            kinds.push(Kind::Visits);
        }
        if settled && c.agreement_type == Some(AgreementType::Written) {
            kinds.push(Kind::Judicial);
        }
        if c.status.is_closed() && c.status != Status::Declined {
            kinds.push(Kind::ClosingReport);
        }
        kinds
    }

    /// The date the document bears, for the table of contents.
    pub fn date(self, file: &CaseFile) -> Option<NaiveDate> {
        let c = &file.detail.case;
        match self {
            Kind::Acceptance if c.status == Status::Declined => c.closed_on,
            Kind::Acceptance | Kind::Rights => c.accepted_on,
            Kind::Session(sid) => file.sessions.iter().find(|s| s.id == sid).map(|s| s.held_on),
            Kind::Agreement | Kind::Judicial => c.agreement_on,
            Kind::Visits => file.visits.first().map(|v| v.visited_on),
            Kind::Termination | Kind::ClosingReport => c.closed_on,
        }
    }

    /// The document itself; `None` when it does not apply to the case.
    pub fn render(self, d: &DocCtx, file: &CaseFile) -> Option<Markup> {
        if !Kind::for_case(file).contains(&self) {
            return None;
        }
        Some(match self {
            Kind::Acceptance => acceptance(d, file),
            Kind::Rights => rights(d, file),
            Kind::Session(sid) => session_record(d, file, file.sessions.iter().find(|s| s.id == sid)?),
            Kind::Agreement => agreement(d, file),
            Kind::Termination => termination(d, file),
            Kind::Visits => visit_records(d, file),
            Kind::Judicial => judicial_application(d, file),
            Kind::ClosingReport => closing_report(d, file),
        })
    }
}

/// The head of every document: the committee, the title, the case number.
fn head(d: &DocCtx, file: &CaseFile, title: Msg) -> Markup {
    html! {
        header.doc-head {
            p.doc-association { (d.association) }
            h1.doc-title { (d.t(title)) }
            p.doc-number { (d.t(Msg::WfDocNumber)) ":" span.case-no { (file.detail.case.case_no) } }
        }
    }
}

/// The parties with what a document needs of them: name, type, ID number
/// (whole), address and representative. Never the phone.
fn parties(d: &DocCtx, file: &CaseFile) -> Markup {
    html! {
        section.doc-parties {
            @for (role, p) in roles(file) {
                p.doc-party {
                    span.party-role { (d.t(role)) } ":"
                    span.party-name { (p.name) }
                    "(" span.party-type { (d.refs.label(RefList::PartyType, &p.party_type, d.lang)) } ")"
                    @if !p.id_number.is_empty() {
                        " " (d.t(Msg::FieldIdNumber)) ":" span.party-id { (p.id_number) }
                    }
                    @if !p.address.is_empty() {
                        " " (d.t(Msg::FieldAddress)) ":" span.party-address { (p.address) }
                    }
                    @if !p.representative.is_empty() {
                        " " (d.t(Msg::FieldRepresentative)) ":" span.party-representative { (p.representative) }
                    }
                }
            }
        }
    }
}

/// Each party with the word for their side (申请人, 被申请人).
fn roles<'a>(file: &'a CaseFile) -> impl Iterator<Item = (Msg, &'a Party)> {
    file.detail
        .applicants()
        .map(|p| (Msg::WfDocApplicant, p))
        .chain(file.detail.respondents().map(|p| (Msg::WfDocRespondent, p)))
}

/// The names of one side, joined: 张三、李四.
fn names<'a>(d: &DocCtx, list: impl Iterator<Item = &'a Party>) -> String {
    list.map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(d.t(Msg::ListSeparator))
}

fn mediator_names(d: &DocCtx, file: &CaseFile) -> String {
    let names: Vec<&str> = file.detail.mediators.iter().map(|(_, n)| n.as_str()).collect();
    names.join(d.t(Msg::ListSeparator))
}

/// One signature line: who, a blank to sign on, a blank for the date.
fn sign_line(d: &DocCtx, who: &str, class: &str) -> Markup {
    html! {
        div class=(format!("sign-line {class}")) {
            span { (who) " " (d.t(Msg::WfDocSignature)) ":" }
            span.blank {}
            span { (d.t(Msg::WfDocDate)) ":" }
            span.blank.short {}
        }
    }
}

/// The committee's seal with the document's date, kept on the same sheet
/// as the signatures above it (`.sign-block` does not break inside).
fn seal(d: &DocCtx, date: Option<NaiveDate>) -> Markup {
    html! {
        div.seal {
            p.seal-name { (d.association) (d.t(Msg::DocSealMark)) }
            p.seal-date { (d.date(date)) }
        }
    }
}

/// A text a person completes on the printed page, filled with what the
/// case already says. A box does not grow when printed, so it is made tall
/// enough for its text (about 38 Chinese characters a line on A4), and
/// never less than `rows`.
fn write_in(name: &str, label: &str, text: &str, rows: usize) -> Markup {
    const PER_LINE: usize = 38;
    let needed: usize = text.lines().map(|l| l.chars().count().div_ceil(PER_LINE).max(1)).sum();
    html! {
        textarea.write-in name=(name) rows=(rows.max(needed + 1)) aria-label=(label) { (text) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(markup: Markup) -> String {
        let html = markup.into_string();
        let start = html.find("rows=\"").unwrap() + 6;
        html[start..].split('"').next().unwrap().to_string()
    }

    #[test]
    fn a_write_in_box_is_tall_enough_for_its_text() {
        assert_eq!(rows(write_in("r", "R", "", 4)), "4");
        assert_eq!(rows(write_in("r", "R", "一行", 4)), "4");
        let long = "字".repeat(38 * 5 + 1);
        assert_eq!(rows(write_in("r", "R", &format!("{long}\n第二段"), 4)), "8");
    }
}
