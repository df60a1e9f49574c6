//! Whole cases for Accord Exchange (issue 16): read with everything that
//! belongs to them (parties, mediators, sessions, visits, attachments,
//! history), and written back in the caller's transaction ([`write`]).
//! The values are checked already (`csv_io::exchange` checks a file); the
//! types here are what both sides compare to tell an unchanged case.

pub mod fields;
mod read;
mod write;

use chrono::NaiveDate;
use serde_json::Value;

pub use fields::{FIELDS, Field, Kind, Val, Values};
pub use read::{find, read, select};
pub use write::{Written, create, mediator_ids, update};

use crate::domain::attachment::{AttachmentKind, FileType};
use crate::domain::case::PartyInput;
use crate::domain::workflow::{Fulfilment, Satisfaction, SessionMode};

/// The key the history entries an import writes about itself carry in
/// `after` (where the file came from). They stay out of exports: they tell
/// what this installation received, not what happened to the case, and
/// sent back they would make the case differ where it came from.
pub const MARK: &str = "exchange";

/// One whole case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExCase {
    pub uuid: String,
    /// Its number where it was read (a new one is drawn on import).
    pub case_no: String,
    /// Its committee's prefix where it was read.
    pub committee_prefix: String,
    pub fields: Values,
    /// Applicants first, each side in its order.
    pub parties: Vec<PartyInput>,
    /// Names of the mediators assigned, in name order.
    pub mediators: Vec<String>,
    pub sessions: Vec<ExSession>,
    pub visits: Vec<ExVisit>,
    pub attachments: Vec<ExAttachment>,
    pub history: Vec<ExEntry>,
}

impl ExCase {
    /// Whether `other` says nothing this case does not already hold: the
    /// same fields, parties, mediators, sessions and visits, and no
    /// attachment or history entry it lacks. Numbers are each
    /// installation's own and are not compared.
    pub fn holds(&self, other: &ExCase) -> bool {
        self.fields == other.fields
            && self.parties == other.parties
            && self.mediators == other.mediators
            && self.sessions == other.sessions
            && self.visits == other.visits
            && other.attachments.iter().all(|a| self.attachments.contains(a))
            && other.history.iter().all(|h| self.history.contains(h))
    }
}

/// A mediation session; its mediators by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExSession {
    pub held_on: NaiveDate,
    pub form: SessionMode,
    pub mediators: Vec<String>,
    pub notes: String,
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
}

/// A return visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExVisit {
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
    pub notes: String,
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
}

/// An attachment as the manifest lists it; its file is found by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExAttachment {
    pub name: String,
    pub kind: AttachmentKind,
    pub file_type: FileType,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub uploaded_at: String,
    pub voided_at: Option<String>,
    pub voided_reason: Option<String>,
}

/// One entry of a case's history, as its page shows it. The exchange
/// document carries it as it is (who, when, what, the fields changed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExEntry {
    /// UTC, RFC 3339.
    pub at: String,
    /// Who made it: a user's name, here or where the entry came from.
    pub by: Option<String>,
    pub entity: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Which cases an export takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub committee: Option<i64>,
    pub status: Option<crate::domain::Status>,
    /// Received on or after.
    pub from: Option<NaiveDate>,
    /// Received on or before.
    pub to: Option<NaiveDate>,
    /// These case numbers only (any, when empty).
    pub case_nos: Vec<String>,
}
