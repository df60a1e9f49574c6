//! Bulk writing of synthetic demo cases (`accord demo`): multi-row INSERTs
//! in one transaction, fast enough for a million cases.
//!
//! Demo data is synthetic, so it writes one audit row for the whole load
//! instead of one per case. The tables' indexes, the statistics summary and
//! the search index are built once at the end of the load, in its
//! transaction ([`begin_bulk`], [`end_bulk`]).
//!
//! Here a drawn case as written; opening, emptying and closing the load
//! in `load`; a batch's rows in `batch` (what hangs on its cases in
//! `children`); the indexes set aside and built again in `indexes`.

mod batch;
mod children;
mod indexes;
mod load;
pub mod orgs;

pub use batch::{Ready, insert_batch, insert_grams};
pub use indexes::{begin_bulk, end_bulk};
pub use load::{begin, counters, delete_cases, finish, has_cases, load_connection, next_ids, record};

use chrono::NaiveDate;

use super::cases::NewCase;
use super::{search, stats};
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Satisfaction, SessionMode};
use crate::domain::{PartyRole, Status};

/// One synthetic case with everything attached.
#[derive(Debug, Clone)]
pub struct DemoCase {
    pub id: i64,
    pub committee_id: i64,
    pub case_no: String,
    pub year: i32,
    pub seq: i64,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub source: &'static str,
    pub category: &'static str,
    pub project: String,
    pub district: &'static str,
    pub summary: String,
    pub amount_claimed: i64,
    pub status: Status,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<i64>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub agreement_terms: Option<String>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub judicial_applied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub routes_informed: Option<String>,
    /// The official report's fields (issue 16): `None` counts the parties.
    pub people_involved: Option<i64>,
    /// People kept from 民转刑 and from a mass petition; 0: none.
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
    /// (role, party type, name, phone).
    pub parties: Vec<(PartyRole, &'static str, String, String)>,
    pub mediators: Vec<i64>,
    pub sessions: Vec<DemoSession>,
    pub visits: Vec<DemoVisit>,
}

#[derive(Debug, Clone)]
pub struct DemoSession {
    pub id: i64,
    pub held_on: String,
    pub form: SessionMode,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct DemoVisit {
    pub visited_on: String,
    pub visitor: String,
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
}

impl DemoCase {
    /// The case's own row, entered at `stamp`.
    fn row<'a>(&'a self, stamp: &'a str) -> NewCase<'a> {
        NewCase {
            id: Some(self.id),
            committee_id: self.committee_id,
            case_no: &self.case_no,
            year: self.year,
            seq: self.seq,
            received_on: self.received_on,
            accepted_on: self.accepted_on,
            source: self.source,
            category: self.category,
            project: &self.project,
            district: self.district,
            summary: &self.summary,
            amount_claimed: self.amount_claimed,
            amount_claimed_blank: false,
            status: self.status,
            agreement_type: self.agreement_type,
            amount_agreed: self.amount_agreed,
            agreement_on: self.agreement_on,
            performance_due: self.performance_due,
            agreement_terms: self.agreement_terms.as_deref(),
            fulfilment: self.fulfilment,
            judicial_confirmation: self.judicial_confirmation,
            judicial_applied_on: self.judicial_applied_on,
            closed_on: self.closed_on,
            close_reason: self.close_reason.as_deref(),
            routes_informed: self.routes_informed.as_deref(),
            people_involved: self.people_involved,
            prevented_crime_people: self.prevented_crime_people,
            prevented_petition_people: self.prevented_petition_people,
            created_by: None,
            created_at: stamp,
            updated_at: stamp,
        }
    }
}

impl DemoCase {
    /// Counts it in the load's summary (see [`stats::Tally`]).
    pub fn tally(&self, tally: &mut stats::Tally<'static>) {
        let figures = stats::CaseFigures {
            committee_id: self.committee_id,
            category: self.category,
            source: self.source,
            district: self.district,
            status: self.status,
            received_on: self.received_on,
            accepted_on: self.accepted_on,
            closed_on: self.closed_on,
            amount_claimed: self.amount_claimed,
            amount_agreed: self.amount_agreed,
            fulfilment: self.fulfilment,
            people_involved: self.people_involved,
            prevented_crime_people: self.prevented_crime_people,
            prevented_petition_people: self.prevented_petition_people,
        };
        tally.add(&figures, &self.mediators, self.parties.iter().map(|p| p.1));
    }

    /// Its `case_grams` document (SQLite), as the view `case_gram_docs`
    /// makes it: its parties by role, then position.
    pub fn gram_document(&self) -> search::Document {
        let mut parties: Vec<(&str, usize, &str)> = (self.parties.iter().enumerate())
            .map(|(position, p)| (p.0.code(), position, p.2.as_str()))
            .collect();
        parties.sort_unstable();
        let fields = [self.case_no.as_str(), &self.project, &self.summary];
        let names = parties.into_iter().map(|(_, _, name)| name);
        (self.id, search::document(fields.into_iter().chain(names)))
    }
}
