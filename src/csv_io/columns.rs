//! The columns of the case CSV, in the order they are written.

use crate::i18n::{Lang, Msg};

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
}

impl Column {
    /// Every column, in the order of the export.
    pub const ALL: [Column; 22] = [
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
    ];

    /// The English key, which is also the heading of an English export.
    pub fn key(self) -> &'static str {
        self.msg().text(Lang::En)
    }

    fn msg(self) -> Msg {
        match self {
            Column::CaseNo => Msg::CsvCaseNo,
            Column::ReceivedOn => Msg::CsvReceivedOn,
            Column::AcceptedOn => Msg::CsvAcceptedOn,
            Column::Source => Msg::CsvSource,
            Column::Category => Msg::CsvCategory,
            Column::Project => Msg::CsvProject,
            Column::District => Msg::CsvDistrict,
            Column::Summary => Msg::CsvSummary,
            Column::AmountClaimed => Msg::CsvAmountClaimed,
            Column::Status => Msg::CsvStatus,
            Column::AgreementType => Msg::CsvAgreementType,
            Column::AmountAgreed => Msg::CsvAmountAgreed,
            Column::AgreementOn => Msg::CsvAgreementOn,
            Column::PerformanceDue => Msg::CsvPerformanceDue,
            Column::Fulfilment => Msg::CsvFulfilment,
            Column::JudicialConfirmation => Msg::CsvJudicialConfirmation,
            Column::ClosedOn => Msg::CsvClosedOn,
            Column::Applicants => Msg::CsvApplicants,
            Column::ApplicantType => Msg::CsvApplicantType,
            Column::Respondents => Msg::CsvRespondents,
            Column::RespondentType => Msg::CsvRespondentType,
            Column::Mediators => Msg::CsvMediators,
        }
    }

    /// The heading in a language: `案件编号` or `case_no`.
    pub fn heading(self, lang: Lang) -> &'static str {
        self.msg().text(lang)
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
    }

    #[test]
    fn letters_count_like_a_spreadsheet() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
