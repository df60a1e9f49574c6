//! Plain types with their rules. Nothing here touches the database or HTTP.

#[macro_use]
pub mod codes;
pub mod attachment;
pub mod case;
pub mod case_no;
pub mod date;
pub mod deadlines;
pub mod durability;
pub mod fields;
pub mod filter;
pub mod id_number;
pub mod joined;
pub mod lang;
pub mod listing;
pub mod money;
pub mod numerals;
pub mod official;
pub mod org;
pub mod packet;
pub mod period;
pub mod permission;
pub mod phone;
pub mod reference;
pub mod search;
pub mod signin;
pub mod stats;
pub mod token;
pub mod transfer;
pub mod workflow;

pub use case_no::CaseNo;
pub use date::parse_date;
pub use deadlines::{Deadlines, Flag};
pub use durability::Durability;
pub use filter::CaseFilter;
pub use id_number::IdNumber;
pub use lang::Lang;
pub use listing::{Listing, SortDir, SortKey};
pub use money::Money;
pub use period::Period;
pub use permission::Permission;
pub use phone::Phone;

codes! {
    /// A case's status. Changes only through workflow actions.
    Status {
        Registered => "registered",
        InMediation => "in_mediation",
        Settled => "settled",
        Failed => "failed",
        Withdrawn => "withdrawn",
        Declined => "declined",
        // 已作废: registered by mistake. Keeps its number; in no statistic.
        Voided => "voided",
    }
}

impl Status {
    /// Settled, failed, withdrawn and declined cases are closed (a voided
    /// case is neither open nor closed: it never was a case).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Settled | Status::Failed | Status::Withdrawn | Status::Declined
        )
    }

    /// The place of a status in the workflow, for lists sorted by status:
    /// the two open stages in the order a case passes them, then the ends,
    /// the mediated ones (settled, failed) before those never mediated to
    /// the end (withdrawn, declined), and voided last. The one home of this
    /// order (migration 0022 indexes the same CASE; see `store::cases::list_in`).
    pub fn workflow_rank(self) -> u8 {
        match self {
            Status::Registered => 0,
            Status::InMediation => 1,
            Status::Settled => 2,
            Status::Failed => 3,
            Status::Withdrawn => 4,
            Status::Declined => 5,
            Status::Voided => 6,
        }
    }
}

codes! {
    /// What a user may do: see [`Permission`].
    Role {
        Admin => "admin",
        Secretary => "secretary",
        Mediator => "mediator",
        // At an association: added-up figures of the committees below it,
        // never personal data (issue 15).
        Supervisor => "supervisor",
    }
}

codes! {
    /// Which side of the dispute a party is on.
    PartyRole { Applicant => "applicant", Respondent => "respondent", }
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

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn every_status_has_its_own_place_in_the_workflow_order() {
        let mut ranks: Vec<u8> = Status::ALL.iter().map(|s| s.workflow_rank()).collect();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), Status::ALL.len());
        assert!(Status::Registered.workflow_rank() < Status::InMediation.workflow_rank());
        assert!(Status::InMediation.workflow_rank() < Status::Settled.workflow_rank());
    }
}
