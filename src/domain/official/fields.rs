//! The case fields the official report needs (issue 16), as typed on the
//! case form and as checked.
//!
//! - 涉及当事人人数 (`people_involved`): blank means "the parties on the
//!   case", so a committee that records every party enters nothing; a
//!   number says more people are involved (a building's owners behind one
//!   owners' committee).
//! - 防止民转刑 and 防止群体性上访: each a number of people; blank or 0 means
//!   the case prevented none, a number marks the case and counts them.

use crate::domain::fields::{FieldErrors, Problem};

/// The most people one figure may carry (a typo guard, as the schema's CHECK).
pub const PEOPLE_MAX: u32 = 99_999;

/// The three fields as checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFigures {
    /// `None`: counted as the case's parties.
    pub people_involved: Option<u32>,
    /// People kept from a civil dispute turning criminal (防止民转刑); 0: none.
    pub prevented_crime: u32,
    /// People kept from a mass petition (防止群体性上访); 0: none.
    pub prevented_petition: u32,
}

impl CaseFigures {
    /// The numbers the form (and the case CSV) shows, in the form's order:
    /// `None` is a blank field, for "the parties" and for none prevented.
    pub fn shown(self) -> [Option<u32>; 3] {
        let prevented = |v: u32| (v != 0).then_some(v);
        [
            self.people_involved,
            prevented(self.prevented_crime),
            prevented(self.prevented_petition),
        ]
    }
}

/// The three fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiguresForm {
    pub people_involved: String,
    pub prevented_crime: String,
    pub prevented_petition: String,
}

impl FiguresForm {
    /// The form field names, in the form's order.
    pub const FIELDS: [&'static str; 3] = ["people_involved", "prevented_crime", "prevented_petition"];

    /// Takes one form pair if it is one of these fields.
    pub fn take(&mut self, key: &str, value: &str) -> bool {
        let slot = match key {
            "people_involved" => &mut self.people_involved,
            "prevented_crime" => &mut self.prevented_crime,
            "prevented_petition" => &mut self.prevented_petition,
            _ => return false,
        };
        *slot = value.to_string();
        true
    }

    /// The form showing stored values (blank for none).
    pub fn of(f: CaseFigures) -> FiguresForm {
        let [people_involved, prevented_crime, prevented_petition] =
            f.shown().map(|v| v.map(|v| v.to_string()).unwrap_or_default());
        FiguresForm {
            people_involved,
            prevented_crime,
            prevented_petition,
        }
    }

    /// Checks the three fields, adding each problem to `errors`.
    pub fn check(&self, errors: &mut FieldErrors) -> CaseFigures {
        let mut count = |field: &str, raw: &str, zero_ok: bool| -> Option<u32> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<u32>() {
                Ok(n) if n <= PEOPLE_MAX && (zero_ok || n > 0) => Some(n),
                _ => {
                    errors.add(field, Problem::NotACount);
                    None
                }
            }
        };
        CaseFigures {
            people_involved: count("people_involved", &self.people_involved, false),
            prevented_crime: count("prevented_crime", &self.prevented_crime, true).unwrap_or(0),
            prevented_petition: count("prevented_petition", &self.prevented_petition, true).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(people: &str, crime: &str, petition: &str) -> FiguresForm {
        FiguresForm {
            people_involved: people.into(),
            prevented_crime: crime.into(),
            prevented_petition: petition.into(),
        }
    }

    #[test]
    fn blanks_mean_the_parties_and_none_prevented() {
        let mut errors = FieldErrors::default();
        assert_eq!(form("", " ", "0").check(&mut errors), CaseFigures::default());
        assert!(errors.is_empty());
        let f = form(" 12 ", "3", "40").check(&mut errors);
        assert_eq!(
            f,
            CaseFigures {
                people_involved: Some(12),
                prevented_crime: 3,
                prevented_petition: 40
            }
        );
        assert!(errors.is_empty());
        assert_eq!(FiguresForm::of(f), form("12", "3", "40"));
    }

    #[test]
    fn a_count_is_a_whole_number_of_people() {
        for bad in ["-1", "1.5", "abc", "100000", "三"] {
            let mut errors = FieldErrors::default();
            form(bad, bad, bad).check(&mut errors);
            for field in FiguresForm::FIELDS {
                assert_eq!(errors.get(field), Some(Problem::NotACount), "{field} {bad:?}");
            }
        }
        // Nobody involved is not a case: 0 people is refused, 0 prevented is none.
        let mut errors = FieldErrors::default();
        form("0", "0", "0").check(&mut errors);
        assert_eq!(errors.get("people_involved"), Some(Problem::NotACount));
        assert_eq!(errors.0.len(), 1);
    }
}
