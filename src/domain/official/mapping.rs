//! The admin's mapping of Accord's codes onto the national lists, as sent
//! by the editor (`category.fees=property`, `source.other=referral`).

use super::{NationalType, SourceGroup};
use crate::domain::fields::{FieldErrors, Problem};

/// A national line for each code: the whole mapping as it stands (every
/// category and source, retired ones too), or the codes an editor sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub categories: Vec<(String, NationalType)>,
    pub sources: Vec<(String, SourceGroup)>,
}

impl Mapping {
    /// Reads the editor's pairs. A category or source that is not one of
    /// `categories` / `sources`, or a national code that is not on its
    /// list, is a problem on its field; other keys are not the editor's.
    pub fn read(pairs: &[(String, String)], categories: &[&str], sources: &[&str]) -> Result<Mapping, FieldErrors> {
        let mut change = Mapping::default();
        let mut errors = FieldErrors::default();
        for (key, value) in pairs {
            let value = value.trim();
            if let Some(code) = key.strip_prefix("category.") {
                match NationalType::from_code(value) {
                    Some(t) if categories.contains(&code) => change.categories.push((code.to_string(), t)),
                    _ => errors.add(key.clone(), Problem::UnknownCode),
                }
            } else if let Some(code) = key.strip_prefix("source.") {
                match SourceGroup::from_code(value) {
                    Some(g) if sources.contains(&code) => change.sources.push((code.to_string(), g)),
                    _ => errors.add(key.clone(), Problem::UnknownCode),
                }
            }
        }
        if errors.is_empty() { Ok(change) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_editor_sends_a_national_line_per_code() {
        let sent = pairs(&[
            ("csrf_token", "x"),
            ("category.fees", "contract"),
            ("source.other", "application"),
        ]);
        let change = Mapping::read(&sent, &["fees"], &["other"]).unwrap();
        assert_eq!(change.categories, [("fees".to_string(), NationalType::Contract)]);
        assert_eq!(change.sources, [("other".to_string(), SourceGroup::Application)]);
    }

    #[test]
    fn an_unknown_code_on_either_side_is_named() {
        let sent = pairs(&[
            ("category.fees", "fees"),
            ("category.lost", "property"),
            ("source.other", ""),
        ]);
        let errors = Mapping::read(&sent, &["fees"], &["other"]).unwrap_err();
        for field in ["category.fees", "category.lost", "source.other"] {
            assert_eq!(errors.get(field), Some(Problem::UnknownCode), "{field}");
        }
    }
}
