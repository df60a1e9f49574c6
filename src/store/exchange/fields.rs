//! A case's own fields as the exchange carries them: one table, [`FIELDS`],
//! read by the query that reads a case, the statements that write one, and
//! the format's check (`csv_io::exchange`). Adding a field to the exchange
//! is one line here (and its entry in `schema/exchange-v1.json`).

use chrono::NaiveDate;

use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Route};
use crate::domain::{RefList, Status};

/// What a field holds, and so how it is checked, stored and written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A required date.
    Date,
    /// A date or nothing.
    OptDate,
    /// Text, possibly empty (never null).
    Text,
    /// Text or nothing.
    OptText,
    /// An amount or nothing; nothing is kept as 0 with the `_blank` flag
    /// beside (the amount claimed).
    Claimed,
    /// An amount or nothing.
    OptMoney,
    /// A code of a closed list, required.
    Code(Closed),
    /// A code of a closed list, or nothing.
    OptCode(Closed),
    /// A code of a reference list (the importing installation's).
    Ref(RefList),
    /// The routes a party was told of: codes kept comma-separated.
    Routes,
    /// A number of people, or nothing (the official report then counts
    /// the case's parties): 1 to `PEOPLE_MAX`.
    People,
    /// The people of a prevented escalation (防止民转刑, 防止群体性上访):
    /// 0, or nothing, for none; up to `PEOPLE_MAX`.
    Prevented,
}

/// The closed lists a field may take its code from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Status,
    AgreementType,
    Fulfilment,
    Judicial,
}

impl Closed {
    /// Whether `code` is one of the list's.
    pub fn knows(self, code: &str) -> bool {
        match self {
            Closed::Status => Status::from_code(code).is_some(),
            Closed::AgreementType => AgreementType::from_code(code).is_some(),
            Closed::Fulfilment => Fulfilment::from_code(code).is_some(),
            Closed::Judicial => Judicial::from_code(code).is_some(),
        }
    }
}

/// Whether `code` is a route a party may be told of.
pub fn is_route(code: &str) -> bool {
    Route::from_code(code).is_some()
}

/// One field: its name in the document, which is also its column.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

/// Every field of a case the exchange carries, in the document's order.
pub const FIELDS: &[Field] = &[
    f("received_on", Kind::Date),
    f("accepted_on", Kind::OptDate),
    f("source", Kind::Ref(RefList::Source)),
    f("category", Kind::Ref(RefList::Category)),
    f("project", Kind::Text),
    f("district", Kind::Ref(RefList::District)),
    f("summary", Kind::Text),
    f("amount_claimed", Kind::Claimed),
    f("status", Kind::Code(Closed::Status)),
    f("agreement_type", Kind::OptCode(Closed::AgreementType)),
    f("amount_agreed", Kind::OptMoney),
    f("agreement_on", Kind::OptDate),
    f("performance_due", Kind::OptDate),
    f("agreement_terms", Kind::OptText),
    f("fulfilment", Kind::OptCode(Closed::Fulfilment)),
    f("judicial_confirmation", Kind::Code(Closed::Judicial)),
    f("judicial_applied_on", Kind::OptDate),
    f("closed_on", Kind::OptDate),
    f("close_reason", Kind::OptText),
    f("routes_informed", Kind::Routes),
    f("archived_on", Kind::OptDate),
    f("voided_on", Kind::OptDate),
    f("void_reason", Kind::OptText),
    // The official report's (issue 16): absent from a document written
    // before them, and so read as blank.
    f("people_involved", Kind::People),
    f("prevented_crime_people", Kind::Prevented),
    f("prevented_petition_people", Kind::Prevented),
];

/// A checked value of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// Text, codes and routes (comma-separated, `None` when none).
    Text(Option<String>),
    Date(Option<NaiveDate>),
    /// Fen.
    Fen(Option<i64>),
    /// A number of people.
    Count(Option<i64>),
}

/// The values of [`FIELDS`], in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Values(pub Vec<Val>);

impl Values {
    fn get(&self, name: &str) -> Option<&Val> {
        FIELDS.iter().position(|f| f.name == name).and_then(|i| self.0.get(i))
    }

    /// The value of a text field (a code, a reference), if set.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Val::Text(v)) => v.as_deref(),
            _ => None,
        }
    }

    /// The value of a date field, if set.
    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        match self.get(name) {
            Some(Val::Date(v)) => *v,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_name_of_its_own() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
    }
}
