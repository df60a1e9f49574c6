//! Codes as a Chinese file shows them, and back. An English file carries
//! the codes themselves; a Chinese one the labels; import reads either.

use std::collections::HashMap;

use crate::domain::{RefList, Status};
use crate::i18n::{Lang, Msg};
use crate::store::reference::RefLists;

/// The fixed code lists of a case's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    Status,
    AgreementType,
    Fulfilment,
    JudicialConfirmation,
}

impl Fixed {
    /// Every (code, label) of the list.
    pub fn items(self) -> &'static [(&'static str, Msg)] {
        match self {
            Fixed::Status => &[
                ("registered", Msg::StatusRegistered),
                ("in_mediation", Msg::StatusInMediation),
                ("settled", Msg::StatusSettled),
                ("failed", Msg::StatusFailed),
                ("withdrawn", Msg::StatusWithdrawn),
                ("declined", Msg::StatusDeclined),
            ],
            Fixed::AgreementType => &[("written", Msg::CsvAgreementWritten), ("oral", Msg::CsvAgreementOral)],
            Fixed::Fulfilment => &[
                ("pending", Msg::CsvFulfilmentPending),
                ("fulfilled", Msg::CsvFulfilmentFulfilled),
                ("partial", Msg::CsvFulfilmentPartial),
                ("unfulfilled", Msg::CsvFulfilmentUnfulfilled),
            ],
            Fixed::JudicialConfirmation => &[
                ("none", Msg::CsvJudicialNone),
                ("applied", Msg::CsvJudicialApplied),
                ("confirmed", Msg::CsvJudicialConfirmed),
                ("rejected", Msg::CsvJudicialRejected),
            ],
        }
    }

    /// The code's label in a Chinese file, its code in an English one.
    pub fn show(self, code: &str, lang: Lang) -> &str {
        match lang {
            Lang::En => code,
            Lang::Zh => self
                .items()
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, m)| m.text(Lang::Zh))
                .unwrap_or(code),
        }
    }

    /// Reads a code, or a label in either language.
    pub fn read(self, cell: &str) -> Option<&'static str> {
        let v = cell.trim();
        self.items()
            .iter()
            .find(|(c, m)| {
                c.eq_ignore_ascii_case(v) || m.text(Lang::Zh) == v || m.text(Lang::En).eq_ignore_ascii_case(v)
            })
            .map(|(c, _)| *c)
    }
}

/// Reads a status: code or label.
pub fn read_status(cell: &str) -> Option<Status> {
    Fixed::Status.read(cell).and_then(Status::from_code)
}

/// The reference lists' labels in one language, looked up once per row
/// of a large export.
pub struct Labels {
    lang: Lang,
    maps: [HashMap<String, String>; 4],
}

impl Labels {
    pub fn new(refs: &RefLists, lang: Lang) -> Labels {
        Labels {
            lang,
            maps: RefList::ALL.map(|list| refs.label_map(list, lang)),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A reference code as the file shows it.
    pub fn reference<'a>(&'a self, list: RefList, code: &'a str) -> &'a str {
        if self.lang == Lang::En {
            return code;
        }
        let index = RefList::ALL.iter().position(|l| *l == list).unwrap_or(0);
        self.maps[index].get(code).map(String::as_str).unwrap_or(code)
    }

    pub fn fixed<'a>(&self, list: Fixed, code: &'a str) -> &'a str {
        list.show(code, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_lists_read_codes_and_both_labels() {
        assert_eq!(Fixed::Status.read("调解成功"), Some("settled"));
        assert_eq!(Fixed::Status.read("In mediation"), Some("in_mediation"));
        assert_eq!(Fixed::Status.read("FAILED"), Some("failed"));
        assert_eq!(Fixed::AgreementType.read("口头"), Some("oral"));
        assert_eq!(Fixed::Fulfilment.read("部分履行"), Some("partial"));
        assert_eq!(Fixed::JudicialConfirmation.read("none"), Some("none"));
        assert_eq!(Fixed::Status.read("closed"), None);
        for list in [
            Fixed::Status,
            Fixed::AgreementType,
            Fixed::Fulfilment,
            Fixed::JudicialConfirmation,
        ] {
            for (code, _) in list.items() {
                assert_eq!(list.read(list.show(code, Lang::Zh)), Some(*code));
                assert_eq!(list.read(list.show(code, Lang::En)), Some(*code));
            }
        }
    }
}
