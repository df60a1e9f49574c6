//! Deadlines of a mediation and the flags they raise.
//!
//! - **Overdue**: in mediation, and today is past `accepted_on` plus the
//!   configured limit (Ministry of Justice rules: normally one month).
//! - **Needs follow-up**: settled, `performance_due` has passed and the
//!   agreement is not fulfilled.
//! - **Judicial confirmation due**: settled, not applied for, and today is
//!   within 7 days of `agreement_on` + 30 (People's Mediation Law art. 33).
//!
//! Archived cases raise no flag: they are put away and cannot be acted on.
//! The same rules exist twice, here for one case and in
//! `store::cases::push_filter` for lists; both take their bounds from
//! [`Deadlines`] so they cannot drift apart.

use chrono::{Days, NaiveDate};

use super::Status;
use super::workflow::{Fulfilment, Judicial};

/// Days after the agreement within which the parties may apply for
/// judicial confirmation.
pub const JUDICIAL_DAYS: u64 = 30;
/// How many days before that deadline a case is flagged.
pub const JUDICIAL_WARN_DAYS: u64 = 7;

/// A deadline flag, as the case list filters on it (`?flag=overdue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    Overdue,
    FollowUp,
    JudicialDue,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Overdue, Flag::FollowUp, Flag::JudicialDue];

    pub fn code(self) -> &'static str {
        match self {
            Flag::Overdue => "overdue",
            Flag::FollowUp => "follow_up",
            Flag::JudicialDue => "judicial_due",
        }
    }

    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Today and the mediation limit: all the flags need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub today: NaiveDate,
    /// Days in mediation after acceptance before a case is overdue.
    pub mediation_limit_days: u32,
}

/// The fields of a case the flags read.
#[derive(Debug, Clone, Copy)]
pub struct FlagFacts {
    pub status: Status,
    pub archived: bool,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
}

/// The flags one case raises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFlags {
    /// Days past the mediation limit.
    pub overdue_days: Option<i64>,
    /// Days since the performance deadline passed.
    pub follow_up_days: Option<i64>,
    /// The judicial-confirmation deadline, when it is near.
    pub judicial_due: Option<NaiveDate>,
}

impl CaseFlags {
    pub fn any(&self) -> bool {
        self.overdue_days.is_some() || self.follow_up_days.is_some() || self.judicial_due.is_some()
    }

    pub fn has(&self, flag: Flag) -> bool {
        match flag {
            Flag::Overdue => self.overdue_days.is_some(),
            Flag::FollowUp => self.follow_up_days.is_some(),
            Flag::JudicialDue => self.judicial_due.is_some(),
        }
    }
}

/// The last day the parties may apply for judicial confirmation.
pub fn judicial_deadline(agreement_on: NaiveDate) -> NaiveDate {
    agreement_on + Days::new(JUDICIAL_DAYS)
}

impl Deadlines {
    pub fn new(today: NaiveDate, mediation_limit_days: u32) -> Deadlines {
        Deadlines {
            today,
            mediation_limit_days,
        }
    }

    /// The day a case accepted on `accepted_on` becomes overdue after.
    pub fn mediation_deadline(&self, accepted_on: NaiveDate) -> NaiveDate {
        accepted_on + Days::new(u64::from(self.mediation_limit_days))
    }

    /// A case in mediation is overdue when accepted before this day.
    pub fn overdue_if_accepted_before(&self) -> NaiveDate {
        self.today - Days::new(u64::from(self.mediation_limit_days))
    }

    /// Agreements reached within these days (inclusive) have their
    /// judicial-confirmation deadline within the warning window.
    pub fn judicial_window(&self) -> (NaiveDate, NaiveDate) {
        (
            self.today - Days::new(JUDICIAL_DAYS),
            self.today - Days::new(JUDICIAL_DAYS - JUDICIAL_WARN_DAYS),
        )
    }

    /// The flags of one case.
    pub fn flags(&self, f: &FlagFacts) -> CaseFlags {
        let mut flags = CaseFlags::default();
        if f.archived {
            return flags;
        }
        match f.status {
            Status::InMediation => {
                if let Some(a) = f.accepted_on {
                    let late = (self.today - self.mediation_deadline(a)).num_days();
                    flags.overdue_days = (late > 0).then_some(late);
                }
            }
            Status::Settled => {
                if let Some(due) = f.performance_due
                    && due < self.today
                    && f.fulfilment != Some(Fulfilment::Fulfilled)
                {
                    flags.follow_up_days = Some((self.today - due).num_days());
                }
                if let Some(a) = f.agreement_on
                    && f.judicial_confirmation == Judicial::None
                {
                    let (from, to) = self.judicial_window();
                    flags.judicial_due = (from..=to).contains(&a).then(|| judicial_deadline(a));
                }
            }
            _ => {}
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(status: Status) -> FlagFacts {
        FlagFacts {
            status,
            archived: false,
            accepted_on: Some(day("2026-10-01")),
            agreement_on: Some(day("2026-10-20")),
            performance_due: Some(day("2026-11-10")),
            fulfilment: Some(Fulfilment::Pending),
            judicial_confirmation: Judicial::None,
        }
    }

    #[test]
    fn a_case_is_overdue_from_the_day_after_the_limit() {
        let f = facts(Status::InMediation);
        // Accepted 1 October; 30 days later is 31 October.
        assert_eq!(Deadlines::new(day("2026-10-31"), 30).flags(&f).overdue_days, None);
        assert_eq!(Deadlines::new(day("2026-11-01"), 30).flags(&f).overdue_days, Some(1));
        assert_eq!(Deadlines::new(day("2026-11-10"), 30).flags(&f).overdue_days, Some(10));
        assert_eq!(Deadlines::new(day("2026-11-10"), 60).flags(&f).overdue_days, None);
        let d = Deadlines::new(day("2026-11-01"), 30);
        assert!(f.accepted_on.unwrap() < d.overdue_if_accepted_before());
        let d = Deadlines::new(day("2026-10-31"), 30);
        assert!(f.accepted_on.unwrap() >= d.overdue_if_accepted_before());
    }

    #[test]
    fn a_settled_case_past_performance_and_not_fulfilled_needs_follow_up() {
        let mut f = facts(Status::Settled);
        let d = Deadlines::new(day("2026-11-10"), 30);
        assert_eq!(d.flags(&f).follow_up_days, None, "due today is not yet late");
        let d = Deadlines::new(day("2026-11-12"), 30);
        assert_eq!(d.flags(&f).follow_up_days, Some(2));
        f.fulfilment = Some(Fulfilment::Partial);
        assert!(d.flags(&f).has(Flag::FollowUp));
        f.fulfilment = Some(Fulfilment::Fulfilled);
        assert!(!d.flags(&f).has(Flag::FollowUp));
    }

    #[test]
    fn judicial_confirmation_is_due_in_the_last_seven_days() {
        let mut f = facts(Status::Settled);
        f.performance_due = Some(day("2027-01-01"));
        // Agreement 20 October: deadline 19 November, window 12 to 19 November.
        let on = |s| Deadlines::new(day(s), 30).flags(&f).judicial_due;
        assert_eq!(on("2026-11-11"), None);
        assert_eq!(on("2026-11-12"), Some(day("2026-11-19")));
        assert_eq!(on("2026-11-19"), Some(day("2026-11-19")));
        assert_eq!(on("2026-11-20"), None, "the deadline has passed");
        f.judicial_confirmation = Judicial::Applied;
        assert_eq!(Deadlines::new(day("2026-11-15"), 30).flags(&f).judicial_due, None);
    }

    #[test]
    fn archived_and_other_statuses_raise_nothing() {
        let mut f = facts(Status::InMediation);
        f.archived = true;
        assert!(!Deadlines::new(day("2027-06-01"), 30).flags(&f).any());
        let mut f = facts(Status::InMediation);
        f.status = Status::Failed;
        assert!(!Deadlines::new(day("2027-06-01"), 30).flags(&f).any());
        assert_eq!(Flag::from_code("follow_up"), Some(Flag::FollowUp));
        assert_eq!(Flag::from_code("late"), None);
    }
}
