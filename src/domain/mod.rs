//! Plain types with their rules. Nothing here touches the database or HTTP.

pub mod case;
pub mod case_no;
pub mod date;
pub mod deadlines;
pub mod durability;
pub mod fields;
pub mod filter;
pub mod money;
pub mod period;
pub mod phone;
pub mod stats;
pub mod workflow;

pub use case_no::CaseNo;
pub use date::parse_date;
pub use deadlines::{Deadlines, Flag};
pub use durability::Durability;
pub use filter::CaseFilter;
pub use money::Money;
pub use period::Period;
pub use phone::Phone;

/// A case's status. Changes only through workflow actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Registered,
    InMediation,
    Settled,
    Failed,
    Withdrawn,
    Declined,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Registered,
        Status::InMediation,
        Status::Settled,
        Status::Failed,
        Status::Withdrawn,
        Status::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::InMediation => "in_mediation",
            Status::Settled => "settled",
            Status::Failed => "failed",
            Status::Withdrawn => "withdrawn",
            Status::Declined => "declined",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Settled, failed, withdrawn and declined cases are closed.
    pub fn is_closed(self) -> bool {
        !matches!(self, Status::Registered | Status::InMediation)
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Secretary,
    Mediator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Secretary, Role::Mediator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretary => "secretary",
            Role::Mediator => "mediator",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Which side of the dispute a party is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyRole {
    Applicant,
    Respondent,
}

impl PartyRole {
    pub fn code(self) -> &'static str {
        match self {
            PartyRole::Applicant => "applicant",
            PartyRole::Respondent => "respondent",
        }
    }

    pub fn from_code(code: &str) -> Option<PartyRole> {
        match code {
            "applicant" => Some(PartyRole::Applicant),
            "respondent" => Some(PartyRole::Respondent),
            _ => None,
        }
    }
}

/// The reference lists of DOMAIN.md, kept in tables of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefList {
    Category,
    Source,
    PartyType,
    District,
}

impl RefList {
    pub const ALL: [RefList; 4] = [
        RefList::Category,
        RefList::Source,
        RefList::PartyType,
        RefList::District,
    ];

    /// The table holding the list; a fixed name, never user input.
    pub fn table(self) -> &'static str {
        match self {
            RefList::Category => "categories",
            RefList::Source => "sources",
            RefList::PartyType => "party_types",
            RefList::District => "districts",
        }
    }
}
