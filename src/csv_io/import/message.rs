//! Import problems in words: "row 3, column E (category): Not one of the choices."

use super::{ImportError, ImportProblem, Report};
use crate::csv_io::columns::letter;
use crate::i18n::{Lang, Msg, problem_text};

impl ImportProblem {
    /// The problem alone, in a language.
    pub fn message(self, lang: Lang) -> String {
        let t = |m: Msg| m.text(lang).to_string();
        match self {
            ImportProblem::Field(p) => problem_text(p, lang),
            ImportProblem::NotUtf8 => t(Msg::CsvNotUtf8),
            ImportProblem::Empty => t(Msg::CsvEmpty),
            ImportProblem::NoRows => t(Msg::CsvNoRows),
            ImportProblem::Malformed => t(Msg::CsvMalformed),
            ImportProblem::UnclosedQuote => t(Msg::CsvUnclosedQuote),
            ImportProblem::CaseNoYear => t(Msg::CsvCaseNoYear),
            ImportProblem::CaseNoSeqTooLarge => t(Msg::CsvCaseNoSeqTooLarge),
            ImportProblem::UnknownColumn => t(Msg::CsvUnknownColumn),
            ImportProblem::MissingColumn(c) => t(Msg::CsvMissingColumn).replace("{col}", c.heading(lang)),
            ImportProblem::DuplicateColumn => t(Msg::CsvDuplicateColumn),
            ImportProblem::ExtraCell => t(Msg::CsvExtraCell),
            ImportProblem::BadCaseNo => t(Msg::CsvBadCaseNo),
            ImportProblem::CaseNoTaken => t(Msg::CsvCaseNoTaken),
            ImportProblem::DuplicateInFile(row) => t(Msg::CsvDuplicateInFile).replace("{row}", &row.to_string()),
            ImportProblem::RequiredForStatus => t(Msg::CsvRequiredForStatus),
            ImportProblem::NotForStatus => t(Msg::CsvNotForStatus),
            ImportProblem::DateBefore(c) => t(Msg::CsvDateBefore).replace("{col}", c.heading(lang)),
            ImportProblem::TypeCount => t(Msg::CsvTypeCount),
            ImportProblem::Refused => t(Msg::CsvRowRefused),
        }
    }
}

impl ImportError {
    /// `row 3, column E (category): Not one of the choices.`
    pub fn message(&self, lang: Lang) -> String {
        let row = self.row.to_string();
        let msg = self.problem.message(lang);
        match &self.column {
            Some((index, heading)) => {
                let col = if heading.trim().is_empty() {
                    Msg::CsvColumnBare.text(lang).replace("{letter}", &letter(*index))
                } else {
                    Msg::CsvColumn
                        .text(lang)
                        .replace("{letter}", &letter(*index))
                        .replace("{heading}", heading.trim())
                };
                Msg::CsvErrorAt
                    .text(lang)
                    .replace("{row}", &row)
                    .replace("{col}", &col)
                    .replace("{msg}", &msg)
            }
            None => Msg::CsvErrorAtRow
                .text(lang)
                .replace("{row}", &row)
                .replace("{msg}", &msg),
        }
    }
}

impl Report {
    /// `Imported 12 cases.` or, on a dry run, that all are valid.
    pub fn summary(&self, lang: Lang) -> String {
        let msg = if self.written {
            Msg::CsvImported
        } else {
            Msg::CsvDryRunOk
        };
        msg.text(lang).replace("{n}", &self.cases.to_string())
    }

    /// `New mediators: 王五, 赵六` (or "would be created"), if any.
    pub fn mediators_line(&self, lang: Lang) -> Option<String> {
        if self.new_mediators.is_empty() {
            return None;
        }
        let msg = if self.written {
            Msg::CsvNewMediators
        } else {
            Msg::CsvWouldCreateMediators
        };
        Some(format!(
            "{}{}",
            msg.text(lang),
            self.new_mediators.join(Msg::CsvListSeparator.text(lang))
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::columns::Column;
    use crate::domain::case::Problem;

    #[test]
    fn errors_name_the_row_the_column_and_the_problem() {
        let e = ImportError {
            row: 3,
            column: Some((4, "category".into())),
            problem: ImportProblem::Field(Problem::UnknownCode),
        };
        assert_eq!(
            e.message(Lang::En),
            "row 3, column E (category): Not one of the choices."
        );
        assert_eq!(e.message(Lang::Zh), "第3行,E列(category):不是可选的值。");
        let e = ImportError::at_row(1, ImportProblem::MissingColumn(Column::Summary));
        assert_eq!(e.message(Lang::Zh), "第1行:缺少必需的列“纠纷概要”。");
    }
}
