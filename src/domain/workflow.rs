//! The mediation workflow: which action may follow which status.
//!
//! A status never changes by editing a field; it changes by an [`Action`],
//! and [`check`] is the one table of what is allowed. The forms of the
//! actions live in [`closing`]; sessions and return visits in [`records`].

pub mod closing;
pub mod records;
pub mod timeline;

use super::Status;

pub use super::codes::Coded;

codes! {
    /// 协议形式: written 书面 or oral 口头 (law art. 28).
    AgreementType { Written => "written", Oral => "oral", }
}

codes! {
    /// The routes a party is told of when mediation fails (law art. 26).
    Route { Arbitration => "arbitration", Administrative => "administrative", Court => "court", }
}

codes! {
    /// 履行情况: how far an agreement has been performed.
    Fulfilment { Pending => "pending", Fulfilled => "fulfilled", Partial => "partial", Unfulfilled => "unfulfilled", }
}

codes! {
    /// 司法确认: where the application for judicial confirmation stands.
    Judicial { None => "none", Applied => "applied", Confirmed => "confirmed", Rejected => "rejected", }
}

codes! {
    /// How a session was held: on site 现场, by phone 电话, online 线上.
    SessionMode { OnSite => "on_site", Phone => "phone", Online => "online", }
}

codes! {
    /// A party's satisfaction found on a return visit.
    Satisfaction { Satisfied => "satisfied", BasicallySatisfied => "basically_satisfied", Dissatisfied => "dissatisfied", }
}

codes! {
    /// Everything that can be done to a case after it is registered.
    /// The code is also the audit trail's action.
    Action {
        Accept => "accept",
        Decline => "decline",
        Settle => "settle",
        Fail => "fail",
        Withdraw => "withdraw",
        Archive => "archive",
        Fulfilment => "fulfilment",
        Judicial => "judicial",
        Session => "session",
        Visit => "visit",
        // Corrections (issue 13): each takes a reason.
        CorrectAgreement => "correct_agreement",
        Reopen => "reopen",
        Unarchive => "unarchive",
        Void => "void",
    }
}

impl Action {
    /// Corrections only an admin may make: they undo what the workflow
    /// treats as final.
    pub fn admin_only(self) -> bool {
        matches!(self, Action::Unarchive | Action::Void)
    }

    /// The action that closes a case with this outcome.
    pub fn closing(outcome: Status) -> Option<Action> {
        match outcome {
            Status::Settled => Some(Action::Settle),
            Status::Failed => Some(Action::Fail),
            Status::Withdrawn => Some(Action::Withdraw),
            Status::Declined => Some(Action::Decline),
            Status::Registered | Status::InMediation | Status::Voided => None,
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The case is archived: only return visits may still be added.
    Archived,
    /// The action does not apply to a case in this status.
    NotAllowed { from: Status, action: Action },
    /// The case was voided: it takes nothing more.
    Voided,
}

/// The transition table. Returns the status after the action, or why not.
/// Actions that record something without changing the status return the
/// status unchanged.
pub fn check(from: Status, archived: bool, action: Action) -> Result<Status, Refusal> {
    use Action as A;
    use Status as S;
    match (from, action) {
        // A voided case takes nothing more.
        (S::Voided, _) => return Err(Refusal::Voided),
        // Any other case may be voided, archived or not.
        (_, A::Void) => return Ok(S::Voided),
        (_, A::Unarchive) if archived => return Ok(from),
        (_, A::Unarchive) => return Err(Refusal::NotAllowed { from, action }),
        _ => {}
    }
    if archived && action != A::Visit {
        return Err(Refusal::Archived);
    }
    let to = match (from, action) {
        (S::Registered, A::Accept) => S::InMediation,
        (S::Registered, A::Decline) => S::Declined,
        (S::InMediation, A::Settle) => S::Settled,
        (S::InMediation, A::Fail) => S::Failed,
        (S::InMediation, A::Withdraw) => S::Withdrawn,
        // Only a closed case is put away.
        (S::Settled | S::Failed | S::Withdrawn | S::Declined, A::Archive) => from,
        // Follow-up concerns an agreement, so a settled case.
        (S::Settled, A::Fulfilment | A::Judicial | A::Visit) => from,
        // Sessions are held once mediation is accepted; notes of a closed
        // mediation may still be completed until it is archived.
        (S::InMediation | S::Settled | S::Failed | S::Withdrawn, A::Session) => from,
        // A wrong agreed amount or date is put right on the settled case.
        (S::Settled, A::CorrectAgreement) => from,
        // A case closed too early goes back to mediation (not a declined
        // one: it was never accepted).
        (S::Settled | S::Failed | S::Withdrawn, A::Reopen) => S::InMediation,
        _ => return Err(Refusal::NotAllowed { from, action }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (status, action) pair allowed, with where it leads.
    const ALLOWED: &[(Status, Action, Status)] = &[
        (Status::Registered, Action::Accept, Status::InMediation),
        (Status::Registered, Action::Decline, Status::Declined),
        (Status::InMediation, Action::Settle, Status::Settled),
        (Status::InMediation, Action::Fail, Status::Failed),
        (Status::InMediation, Action::Withdraw, Status::Withdrawn),
        (Status::InMediation, Action::Session, Status::InMediation),
        (Status::Settled, Action::Archive, Status::Settled),
        (Status::Failed, Action::Archive, Status::Failed),
        (Status::Withdrawn, Action::Archive, Status::Withdrawn),
        (Status::Declined, Action::Archive, Status::Declined),
        (Status::Settled, Action::Fulfilment, Status::Settled),
        (Status::Settled, Action::Judicial, Status::Settled),
        (Status::Settled, Action::Visit, Status::Settled),
        (Status::Settled, Action::Session, Status::Settled),
        (Status::Failed, Action::Session, Status::Failed),
        (Status::Withdrawn, Action::Session, Status::Withdrawn),
        (Status::Settled, Action::CorrectAgreement, Status::Settled),
        (Status::Settled, Action::Reopen, Status::InMediation),
        (Status::Failed, Action::Reopen, Status::InMediation),
        (Status::Withdrawn, Action::Reopen, Status::InMediation),
        (Status::Registered, Action::Void, Status::Voided),
        (Status::InMediation, Action::Void, Status::Voided),
        (Status::Settled, Action::Void, Status::Voided),
        (Status::Failed, Action::Void, Status::Voided),
        (Status::Withdrawn, Action::Void, Status::Voided),
        (Status::Declined, Action::Void, Status::Voided),
    ];

    #[test]
    fn the_table_allows_exactly_the_listed_transitions() {
        for &from in Status::ALL {
            for &action in Action::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(check(from, false, action), Ok(to), "{from:?} {action:?}"),
                    None if from == Status::Voided => assert_eq!(check(from, false, action), Err(Refusal::Voided)),
                    None => assert_eq!(
                        check(from, false, action),
                        Err(Refusal::NotAllowed { from, action }),
                        "{from:?} {action:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn an_archived_case_takes_only_return_visits_unarchiving_and_voiding() {
        let kept = [Action::Visit, Action::Unarchive, Action::Void];
        for &from in Status::ALL.iter().filter(|s| **s != Status::Voided) {
            for &action in Action::ALL.iter().filter(|a| !kept.contains(a)) {
                assert_eq!(check(from, true, action), Err(Refusal::Archived));
            }
            assert_eq!(check(from, true, Action::Unarchive), Ok(from));
            assert_eq!(check(from, true, Action::Void), Ok(Status::Voided));
        }
        assert_eq!(check(Status::Settled, true, Action::Visit), Ok(Status::Settled));
    }

    #[test]
    fn a_voided_case_takes_nothing_more() {
        for &action in Action::ALL {
            for archived in [false, true] {
                assert_eq!(
                    check(Status::Voided, archived, action),
                    Err(Refusal::Voided),
                    "{action:?}"
                );
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in Route::ALL {
            assert_eq!(Route::from_code(r.code()), Some(*r));
        }
        assert_eq!(
            Satisfaction::from_code("basically_satisfied"),
            Some(Satisfaction::BasicallySatisfied)
        );
        assert_eq!(Action::closing(Status::Failed), Some(Action::Fail));
        assert_eq!(Action::closing(Status::InMediation), None);
        assert_eq!(Judicial::from_code("maybe"), None);
    }
}
