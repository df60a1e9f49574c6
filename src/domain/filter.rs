//! The case list's filters, as they live in the URL.

use chrono::NaiveDate;

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
}

impl CaseFilter {
    /// Reads the filters from query pairs. A value that cannot be read is
    /// dropped rather than refused: a stale bookmark still opens the list.
    pub fn from_pairs(pairs: &[(String, String)]) -> CaseFilter {
        let mut f = CaseFilter::default();
        let some = |v: &str| {
            let v = v.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        for (key, value) in pairs {
            match key.as_str() {
                "status" => f.status = Status::from_code(value.trim()),
                "category" => f.category = some(value),
                "source" => f.source = some(value),
                "district" => f.district = some(value),
                "mediator" => f.mediator = value.trim().parse().ok(),
                "from" => f.from = parse_date(value).ok(),
                "to" => f.to = parse_date(value).ok(),
                "q" => f.q = some(value).map(|q| q.chars().take(100).collect()),
                "flag" => f.flag = Flag::from_code(value.trim()),
                _ => {}
            }
        }
        f
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

    pub fn is_empty(&self) -> bool {
        *self == CaseFilter::default()
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
}
