//! The case list's filters, as they live in the URL.

use chrono::NaiveDate;

use super::fields::Problem;
use super::search::PhoneSearch;
use super::{Flag, Status, parse_date};

/// Filters shared by the case list, the CSV export and the statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status: Option<Status>,
    pub category: Option<String>,
    pub source: Option<String>,
    pub district: Option<String>,
    pub mediator: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
    /// A deadline flag (`?flag=overdue`, `follow_up`, `judicial_due`).
    pub flag: Option<Flag>,
    /// Whose phone numbers `q` may match: set by who asks, never from the URL.
    pub phones: PhoneSearch,
}

impl CaseFilter {
    /// Reads the filters from query pairs. A value that cannot be read is
    /// dropped rather than refused: a stale bookmark still opens the list.
    pub fn from_pairs(pairs: &[(String, String)]) -> CaseFilter {
        Self::read(pairs).0
    }

    /// The filters and the values that could not be read, so the list can
    /// say which were ignored. A blank value is no filter, not a problem.
    pub fn read(pairs: &[(String, String)]) -> (CaseFilter, Vec<Unread>) {
        let mut f = CaseFilter::default();
        let mut unread = Vec::new();
        let some = |v: &str| {
            let v = v.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        for (key, value) in pairs {
            let v = value.trim();
            let problem = match key.as_str() {
                "status" => read_into(&mut f.status, v, Status::from_code, Problem::UnknownCode),
                "category" => {
                    f.category = some(value);
                    None
                }
                "source" => {
                    f.source = some(value);
                    None
                }
                "district" => {
                    f.district = some(value);
                    None
                }
                "mediator" => read_into(&mut f.mediator, v, |v| v.parse().ok(), Problem::UnknownMediator),
                "from" => read_date(&mut f.from, v),
                "to" => read_date(&mut f.to, v),
                "q" => {
                    f.q = some(value).map(|q| q.chars().take(100).collect());
                    None
                }
                "flag" => read_into(&mut f.flag, v, Flag::from_code, Problem::UnknownCode),
                _ => None,
            };
            if let Some(problem) = problem {
                unread.push(Unread::new(key, v, problem));
            }
        }
        (f, unread)
    }

    /// The filters as query pairs, for links that keep them.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.status {
            out.push(("status", s.code().to_string()));
        }
        for (key, value) in [
            ("category", &self.category),
            ("source", &self.source),
            ("district", &self.district),
        ] {
            if let Some(v) = value {
                out.push((key, v.clone()));
            }
        }
        if let Some(m) = self.mediator {
            out.push(("mediator", m.to_string()));
        }
        if let Some(d) = self.from {
            out.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            out.push(("to", d.to_string()));
        }
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        if let Some(flag) = self.flag {
            out.push(("flag", flag.code().to_string()));
        }
        out
    }

    /// No filter from the URL (who may match phones is not one).
    pub fn is_empty(&self) -> bool {
        *self
            == CaseFilter {
                phones: self.phones,
                ..CaseFilter::default()
            }
    }
}

/// A value in the URL that could not be read and was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The URL key (`from`, `status`, `sort` ...).
    pub key: String,
    /// The value as typed, at most 100 characters.
    pub value: String,
    pub problem: Problem,
}

impl Unread {
    pub fn new(key: &str, value: &str, problem: Problem) -> Unread {
        Unread {
            key: key.to_string(),
            value: value.chars().take(100).collect(),
            problem,
        }
    }
}

/// Sets `slot` from a non-blank value; the problem if it cannot be read.
pub(super) fn read_into<T>(
    slot: &mut Option<T>,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    problem: Problem,
) -> Option<Problem> {
    if value.is_empty() {
        *slot = None;
        return None;
    }
    *slot = parse(value);
    slot.is_none().then_some(problem)
}

fn read_date(slot: &mut Option<NaiveDate>, value: &str) -> Option<Problem> {
    if value.is_empty() {
        *slot = None;
        return None;
    }
    match parse_date(value) {
        Ok(d) => {
            *slot = Some(d);
            None
        }
        Err(super::date::DateError::OutOfRange) => Some(Problem::DateOutOfRange),
        Err(super::date::DateError::NotADate) => Some(Problem::NotADate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_pairs_and_drop_nonsense() {
        let pairs: Vec<(String, String)> = [
            ("status", "settled"),
            ("category", "fees"),
            ("from", "2023/1/1"),
            ("to", "not a date"),
            ("q", " 阳光 "),
            ("mediator", "x"),
            ("flag", "judicial_due"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let f = CaseFilter::from_pairs(&pairs);
        assert_eq!(f.status, Some(Status::Settled));
        assert_eq!(f.to, None);
        assert_eq!(f.mediator, None);
        assert_eq!(f.q.as_deref(), Some("阳光"));
        assert_eq!(f.flag, Some(Flag::JudicialDue));
        let again: Vec<(String, String)> = f.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(CaseFilter::from_pairs(&again), f);
    }

    #[test]
    fn unreadable_values_are_named_and_blank_ones_are_not() {
        let pairs: Vec<(String, String)> = [("from", "2023-13-45"), ("status", "lost"), ("to", ""), ("flag", " ")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (f, unread) = CaseFilter::read(&pairs);
        assert!(f.is_empty());
        assert_eq!(
            unread,
            vec![
                Unread::new("from", "2023-13-45", Problem::NotADate),
                Unread::new("status", "lost", Problem::UnknownCode)
            ]
        );
    }
}
