//! The columns of the case CSV, in the order they are written.

use crate::i18n::Lang;

/// A column heading. Headings are part of the file format (an import reads
/// them back), not translations, so they live here and not in the
/// catalogue: the English key and the Chinese heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heading {
    pub key: &'static str,
    pub zh: &'static str,
}

impl Heading {
    pub const fn new(key: &'static str, zh: &'static str) -> Heading {
        Heading { key, zh }
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.key,
        }
    }
}

/// Headings shared by the case file and the statistics file.
pub const SOURCE: Heading = Heading::new("source", "案件来源");
pub const CATEGORY: Heading = Heading::new("category", "纠纷类型");
pub const DISTRICT: Heading = Heading::new("district", "区县");
pub const AMOUNT_CLAIMED: Heading = Heading::new("amount_claimed", "涉及金额");
pub const AMOUNT_AGREED: Heading = Heading::new("amount_agreed", "协议金额");

/// One column of the case export and import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    CaseNo,
    ReceivedOn,
    AcceptedOn,
    Source,
    Category,
    Project,
    District,
    Summary,
    AmountClaimed,
    Status,
    AgreementType,
    AmountAgreed,
    AgreementOn,
    PerformanceDue,
    Fulfilment,
    JudicialConfirmation,
    ClosedOn,
    Applicants,
    ApplicantType,
    Respondents,
    RespondentType,
    Mediators,
    /// Added with issue 13; a file without these columns still imports.
    AgreementTerms,
    CloseReason,
    /// The official report's fields, added with issue 16; a file without
    /// these columns still imports (blank: the parties; none prevented).
    PeopleInvolved,
    PreventedCrimePeople,
    PreventedPetitionPeople,
}

impl Column {
    /// Every column, in the order of the export.
    pub const ALL: [Column; 27] = [
        Column::CaseNo,
        Column::ReceivedOn,
        Column::AcceptedOn,
        Column::Source,
        Column::Category,
        Column::Project,
        Column::District,
        Column::Summary,
        Column::AmountClaimed,
        Column::Status,
        Column::AgreementType,
        Column::AmountAgreed,
        Column::AgreementOn,
        Column::PerformanceDue,
        Column::Fulfilment,
        Column::JudicialConfirmation,
        Column::ClosedOn,
        Column::Applicants,
        Column::ApplicantType,
        Column::Respondents,
        Column::RespondentType,
        Column::Mediators,
        Column::AgreementTerms,
        Column::CloseReason,
        Column::PeopleInvolved,
        Column::PreventedCrimePeople,
        Column::PreventedPetitionPeople,
    ];

    /// Its heading: an English key and a Chinese heading.
    pub fn heading_pair(self) -> Heading {
        match self {
            Column::CaseNo => Heading::new("case_no", "案件编号"),
            Column::ReceivedOn => Heading::new("received_on", "登记日期"),
            Column::AcceptedOn => Heading::new("accepted_on", "受理日期"),
            Column::Source => SOURCE,
            Column::Category => CATEGORY,
            Column::Project => Heading::new("project", "项目/小区"),
            Column::District => DISTRICT,
            Column::Summary => Heading::new("summary", "纠纷概要"),
            Column::AmountClaimed => AMOUNT_CLAIMED,
            Column::Status => Heading::new("status", "状态"),
            Column::AgreementType => Heading::new("agreement_type", "协议形式"),
            Column::AmountAgreed => AMOUNT_AGREED,
            Column::AgreementOn => Heading::new("agreement_on", "协议生效日期"),
            Column::PerformanceDue => Heading::new("performance_due", "履行期限"),
            Column::Fulfilment => Heading::new("fulfilment", "履行情况"),
            Column::JudicialConfirmation => Heading::new("judicial_confirmation", "司法确认"),
            Column::ClosedOn => Heading::new("closed_on", "结案日期"),
            Column::Applicants => Heading::new("applicants", "申请人"),
            Column::ApplicantType => Heading::new("applicant_type", "申请人类型"),
            Column::Respondents => Heading::new("respondents", "被申请人"),
            Column::RespondentType => Heading::new("respondent_type", "被申请人类型"),
            Column::Mediators => Heading::new("mediators", "调解员"),
            Column::AgreementTerms => Heading::new("agreement_terms", "协议内容"),
            Column::CloseReason => Heading::new("close_reason", "结案原因"),
            Column::PeopleInvolved => Heading::new("people_involved", "涉及当事人人数"),
            Column::PreventedCrimePeople => Heading::new("prevented_crime_people", "防止民转刑人数"),
            Column::PreventedPetitionPeople => Heading::new("prevented_petition_people", "防止群体性上访人数"),
        }
    }

    /// The English key, which is also the heading of an English export.
    pub fn key(self) -> &'static str {
        self.heading_pair().key
    }

    /// The heading in a language: `案件编号` or `case_no`.
    pub fn heading(self, lang: Lang) -> &'static str {
        self.heading_pair().text(lang)
    }

    /// Reads a heading in either language (English keys in any case).
    pub fn from_heading(text: &str) -> Option<Column> {
        let text = text.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.heading(Lang::Zh) == text || c.key().eq_ignore_ascii_case(text))
    }

    /// Columns a file must have: without them no row could be valid.
    /// The others may be left out and are then empty (or assigned, for
    /// `case_no`).
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::ReceivedOn
                | Column::Source
                | Column::Category
                | Column::Project
                | Column::District
                | Column::Summary
                | Column::Applicants
                | Column::ApplicantType
                | Column::Respondents
                | Column::RespondentType
                | Column::Mediators
        )
    }
}

/// `A`, `B`, ... `Z`, `AA`: a column's letter as a spreadsheet shows it
/// (from index 0).
pub fn letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_read_back_in_either_language() {
        for c in Column::ALL {
            assert_eq!(Column::from_heading(c.heading(Lang::Zh)), Some(c));
            assert_eq!(Column::from_heading(c.key()), Some(c));
            assert_eq!(Column::from_heading(&c.key().to_uppercase()), Some(c));
        }
        assert_eq!(Column::from_heading(" 案件编号 "), Some(Column::CaseNo));
        assert_eq!(Column::from_heading("备注"), None);
    }

    #[test]
    fn keys_are_the_documented_ones() {
        let keys: Vec<&str> = Column::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys[0], "case_no");
        assert_eq!(keys[8], "amount_claimed");
        assert_eq!(keys[21], "mediators");
        assert_eq!(keys[22..24], ["agreement_terms", "close_reason"]);
        assert_eq!(
            keys[24..],
            ["people_involved", "prevented_crime_people", "prevented_petition_people"]
        );
    }

    #[test]
    fn letters_count_like_a_spreadsheet() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
