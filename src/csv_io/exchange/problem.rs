//! Why a document is refused: each refusal names the case (its UUID and
//! number) and the field, in either language.

use crate::domain::fields::Problem as FieldProblem;
use crate::i18n::{Lang, Msg, problem_text};

/// What is wrong with one value, or with the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A problem the domain's rules name (required, a phone, a code ...).
    Field(FieldProblem),
    NotJson(String),
    NotExchange,
    Version(String),
    /// The JSON does not have the format's shape (serde's words).
    Shape(String),
    BadDate,
    BadMoney,
    UnknownCode(String),
    UnknownField,
    BadUuid,
    DuplicateUuid,
    BadHash,
    BadPath,
    /// The file beside the document hashes to this instead.
    FileMismatch(String),
    FileUnreadable(String),
    FileType,
    /// The database refused the case (a CHECK, a reference).
    Refused(String),
}

/// The case a refusal is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef {
    pub uuid: String,
    pub case_no: String,
}

/// One refusal: which case, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `None` for the file as a whole.
    pub case: Option<CaseRef>,
    /// The field's path in the case (`fields.amount_claimed`,
    /// `parties[1].phone`), empty for the whole file.
    pub field: String,
    pub problem: Problem,
}

impl Refusal {
    /// A refusal of the whole file.
    pub fn file(problem: Problem) -> Refusal {
        Refusal {
            case: None,
            field: String::new(),
            problem,
        }
    }

    /// `Case 0f3c… (物调〔2026〕第0001号), fields.amount_agreed: An amount must be …`
    pub fn message(&self, lang: Lang) -> String {
        let mut out = String::new();
        if let Some(c) = &self.case {
            out.push_str(
                &Msg::ExCase
                    .text(lang)
                    .replace("{uuid}", &c.uuid)
                    .replace("{no}", &c.case_no),
            );
            out.push_str(", ");
        }
        if !self.field.is_empty() {
            out.push_str(&self.field);
            out.push_str(": ");
        }
        out.push_str(&self.problem.message(lang));
        out
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Problem {
    /// The problem alone, in a language.
    pub fn message(&self, lang: Lang) -> String {
        let t = |m: Msg| m.text(lang).to_string();
        match self {
            Problem::Field(p) => problem_text(*p, lang),
            Problem::NotJson(d) => t(Msg::ExNotJson).replace("{detail}", d),
            Problem::NotExchange => t(Msg::ExNotExchange),
            Problem::Version(v) => t(Msg::ExVersion).replace("{found}", v),
            Problem::Shape(d) => t(Msg::ExShape).replace("{detail}", d),
            Problem::BadDate => t(Msg::ExBadDate),
            Problem::BadMoney => t(Msg::ExBadMoney),
            Problem::UnknownCode(c) => t(Msg::ExUnknownCode).replace("{code}", c),
            Problem::UnknownField => t(Msg::ExUnknownField),
            Problem::BadUuid => t(Msg::ExBadUuid),
            Problem::DuplicateUuid => t(Msg::ExDuplicateUuid),
            Problem::BadHash => t(Msg::ExBadHash),
            Problem::BadPath => t(Msg::ExBadPath),
            Problem::FileMismatch(found) => t(Msg::ExFileMismatch).replace("{found}", found),
            Problem::FileUnreadable(d) => t(Msg::ExFileUnreadable).replace("{detail}", d),
            Problem::FileType => t(Msg::ExFileType),
            Problem::Refused(d) => t(Msg::ExRefused).replace("{detail}", d),
        }
    }
}
