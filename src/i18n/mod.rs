//! The message catalogue: every string a person sees, in Simplified Chinese
//! and English. Views name messages by key (`Msg::NavCases`); a missing
//! translation is a compile error, not a blank on the page.

use serde::{Deserialize, Serialize};

use crate::domain::case::Problem;
use crate::domain::money::MoneyError;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" | "zh-Hans" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The value of `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// Picks a reference-list label.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A message key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for the catalogue's own tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

mod catalogue;

pub use catalogue::Msg;

/// The words for a field's problem, shared by forms and CSV import.
pub fn problem_msg(problem: Problem) -> Msg {
    match problem {
        Problem::Required => Msg::ProblemRequired,
        Problem::Money(MoneyError::NotANumber) => Msg::ProblemNotANumber,
        Problem::Money(MoneyError::Negative) => Msg::ProblemNegative,
        Problem::Money(MoneyError::TooManyDecimals) => Msg::ProblemTooManyDecimals,
        Problem::Money(MoneyError::TooLarge) => Msg::ProblemTooLarge,
        Problem::NotADate => Msg::ProblemNotADate,
        Problem::DateOutOfRange => Msg::ProblemDateOutOfRange,
        Problem::DateInFuture => Msg::ProblemDateInFuture,
        Problem::BadPhone => Msg::ProblemBadPhone,
        Problem::TooLong => Msg::ProblemTooLong,
        Problem::UnknownCode => Msg::ProblemUnknownCode,
        Problem::NeedApplicant => Msg::ProblemNeedApplicant,
        Problem::NeedRespondent => Msg::ProblemNeedRespondent,
        Problem::NeedMediator => Msg::ProblemNeedMediator,
        Problem::UnknownMediator => Msg::ProblemUnknownMediator,
        Problem::Duplicate => Msg::ProblemDuplicate,
        Problem::PasswordTooShort => Msg::ProblemPasswordTooShort,
        Problem::BadCode => Msg::ProblemBadCode,
        Problem::ControlChar => Msg::ProblemControlChar,
        Problem::TooManyParties(_) => Msg::ProblemTooManyParties,
    }
}

/// The words for a field's problem with its numbers filled in.
pub fn problem_text(problem: Problem, lang: Lang) -> String {
    let text = problem_msg(problem).text(lang);
    match problem {
        Problem::TooManyParties(max) => text.replace("{max}", &max.to_string()),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::Zh).is_empty(), "{msg:?} zh");
            assert!(!msg.text(Lang::En).is_empty(), "{msg:?} en");
        }
    }
}
