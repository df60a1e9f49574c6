//! Case transfer (移交): a committee hands an open case to another, which
//! accepts it (a new number in its series) or returns it. The rules of who
//! may send what where; the store applies them inside its transaction.

use super::fields::{FieldErrors, multiline_text};
use super::{Role, Status};

codes! {
    /// How the receiving committee decided a transfer.
    Decision { Accepted => "accepted", Returned => "returned", }
}

/// The longest reason a transfer or a return carries.
pub const REASON_MAX: usize = 500;

/// Why a case cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    /// Only a registered or in-mediation case moves: a closed case's
    /// figures belong to the committee that closed it.
    NotOpen,
    /// The receiver is the case's own committee.
    OwnCommittee,
    /// The receiver is no committee, or a retired one.
    NoSuchCommittee,
    /// The case is already on its way to a committee.
    AlreadyPending,
}

/// The receiver as the sender's transaction found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receiver {
    pub id: i64,
    /// A committee (not an association), not retired.
    pub active_committee: bool,
}

/// The one rule for sending: an open, unarchived case, not already on its
/// way, to an active committee other than its own.
pub fn may_send(
    status: Status,
    archived: bool,
    pending: bool,
    from: i64,
    to: Option<Receiver>,
) -> Result<(), SendRefusal> {
    if !matches!(status, Status::Registered | Status::InMediation) || archived {
        return Err(SendRefusal::NotOpen);
    }
    if pending {
        return Err(SendRefusal::AlreadyPending);
    }
    match to {
        Some(r) if r.id == from => Err(SendRefusal::OwnCommittee),
        Some(r) if r.active_committee => Ok(()),
        _ => Err(SendRefusal::NoSuchCommittee),
    }
}

/// Who decides on a case sent to a committee: its admin or secretary (the
/// people who run its register). Who sends is the case's changers: the
/// committee's admin or the case's own mediator (`Permission::ChangeCases`
/// on a case in the user's scope), as for any other workflow action.
pub fn may_decide(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Secretary)
}

/// A transfer's or a return's reason, as typed: required, trimmed, at most
/// [`REASON_MAX`] characters; problems go to `errors` under `reason`.
pub fn reason(errors: &mut FieldErrors, raw: &str) -> String {
    multiline_text(errors, "reason", raw, REASON_MAX, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(id: i64, active_committee: bool) -> Option<Receiver> {
        Some(Receiver { id, active_committee })
    }

    #[test]
    fn an_open_case_goes_to_another_active_committee() {
        assert_eq!(may_send(Status::Registered, false, false, 2, to(3, true)), Ok(()));
        assert_eq!(may_send(Status::InMediation, false, false, 2, to(3, true)), Ok(()));
    }

    #[test]
    fn closed_archived_or_voided_cases_stay() {
        for s in [
            Status::Settled,
            Status::Failed,
            Status::Withdrawn,
            Status::Declined,
            Status::Voided,
        ] {
            assert_eq!(may_send(s, false, false, 2, to(3, true)), Err(SendRefusal::NotOpen));
        }
        assert_eq!(
            may_send(Status::InMediation, true, false, 2, to(3, true)),
            Err(SendRefusal::NotOpen)
        );
    }

    #[test]
    fn a_case_goes_nowhere_it_is_already_or_that_cannot_take_it() {
        assert_eq!(
            may_send(Status::Registered, false, false, 2, to(2, true)),
            Err(SendRefusal::OwnCommittee)
        );
        assert_eq!(
            may_send(Status::Registered, false, false, 2, to(3, false)),
            Err(SendRefusal::NoSuchCommittee)
        );
        assert_eq!(
            may_send(Status::Registered, false, false, 2, None),
            Err(SendRefusal::NoSuchCommittee)
        );
        assert_eq!(
            may_send(Status::Registered, false, true, 2, to(3, true)),
            Err(SendRefusal::AlreadyPending)
        );
    }

    #[test]
    fn only_a_committees_admin_and_secretary_decide() {
        assert!(may_decide(Role::Admin));
        assert!(may_decide(Role::Secretary));
        assert!(!may_decide(Role::Mediator));
        assert!(!may_decide(Role::Supervisor));
    }

    #[test]
    fn a_reason_is_required() {
        let mut errors = FieldErrors::default();
        assert_eq!(reason(&mut errors, "  辖区不符 "), "辖区不符");
        assert!(errors.is_empty());
        reason(&mut errors, "   ");
        assert!(!errors.is_empty());
    }
}
