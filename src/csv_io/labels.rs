//! Codes as a Chinese file shows them, and back. An English file carries
//! the codes themselves; a Chinese one the labels; import reads either.

use std::collections::BTreeMap;

use crate::domain::RefList;
use crate::domain::codes::Coded;
use crate::domain::reference::RefLists;
use crate::i18n::{Label, Lang};

/// Chinese labels that files written by earlier versions of Accord carry,
/// read as the code they meant.
const EARLIER_LABELS: &[(&str, &str)] = &[("书面协议", "written"), ("口头协议", "oral"), ("被驳回", "rejected")];

/// A code as a file shows it: its label in a Chinese file, the code itself
/// in an English one.
pub fn show<T: Coded + Label>(value: T, lang: Lang) -> &'static str {
    match lang {
        Lang::En => value.code(),
        Lang::Zh => value.label(Lang::Zh),
    }
}

/// Reads a code, or its label in either language.
pub fn read<T: Coded + Label>(cell: &str) -> Option<T> {
    let v = cell.trim();
    let code = EARLIER_LABELS
        .iter()
        .find(|(label, _)| *label == v)
        .map_or(v, |(_, code)| *code);
    T::all().iter().copied().find(|t| {
        t.code().eq_ignore_ascii_case(code) || t.label(Lang::Zh) == v || t.label(Lang::En).eq_ignore_ascii_case(v)
    })
}

/// The reference lists' labels in one language, looked up once per row
/// of a large export: in ordered maps, as a few comparisons of a short
/// code cost less than hashing it (each list holds tens of codes).
pub struct Labels {
    lang: Lang,
    maps: [BTreeMap<String, String>; 4],
}

impl Labels {
    pub fn new(refs: &RefLists, lang: Lang) -> Labels {
        Labels {
            lang,
            maps: RefList::ALL.map(|list| refs.label_map(list, lang).into_iter().collect()),
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

    /// A closed-list code as the file shows it.
    pub fn code<T: Coded + Label>(&self, value: T) -> &'static str {
        show(value, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;
    use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};

    #[test]
    fn fixed_lists_read_codes_and_both_labels() {
        assert_eq!(read::<Status>("调解成功"), Some(Status::Settled));
        assert_eq!(read::<Status>("In mediation"), Some(Status::InMediation));
        assert_eq!(read::<Status>("FAILED"), Some(Status::Failed));
        assert_eq!(read::<AgreementType>("口头"), Some(AgreementType::Oral));
        assert_eq!(read::<Fulfilment>("部分履行"), Some(Fulfilment::Partial));
        assert_eq!(read::<Judicial>("none"), Some(Judicial::None));
        assert_eq!(read::<Status>("closed"), None);
        fn round_trip<T: Coded + Label + PartialEq + std::fmt::Debug>() {
            for v in T::all() {
                assert_eq!(read::<T>(show(*v, Lang::Zh)), Some(*v));
                assert_eq!(read::<T>(show(*v, Lang::En)), Some(*v));
            }
        }
        round_trip::<Status>();
        round_trip::<AgreementType>();
        round_trip::<Fulfilment>();
        round_trip::<Judicial>();
    }

    #[test]
    fn labels_written_by_earlier_versions_still_read() {
        assert_eq!(read::<Judicial>("被驳回"), Some(Judicial::Rejected));
        assert_eq!(read::<AgreementType>("书面协议"), Some(AgreementType::Written));
        assert_eq!(read::<Status>("被驳回"), None);
    }
}
