//! The order a case's dates keep, whichever door they come through: a
//! workflow form adds one or two dates to those the case has, an import
//! row brings them all at once; both are checked here.

use chrono::NaiveDate;

use crate::domain::fields::Problem;

/// A date of a case that must keep its place among the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDate {
    Accepted,
    Agreement,
    PerformanceDue,
    Closed,
}

/// A case's dates, as they stand or would stand after a change.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeline {
    pub received_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

impl Timeline {
    /// Every date out of order, the first problem of each: received ≤
    /// accepted ≤ agreement ≤ performance deadline; accepted and received ≤
    /// closed; agreement ≤ closed (an agreement ends the mediation).
    pub fn disorder(&self) -> Vec<(CaseDate, Problem)> {
        use CaseDate::*;
        use Problem::*;
        let t = self;
        let rules = [
            (Accepted, t.accepted_on, t.received_on, BeforeReceived),
            (Closed, t.closed_on, t.accepted_on, BeforeAccepted),
            (Closed, t.closed_on, t.received_on, BeforeReceived),
            (Agreement, t.agreement_on, t.accepted_on, BeforeAccepted),
            (PerformanceDue, t.performance_due, t.agreement_on, BeforeAgreement),
        ];
        let mut found: Vec<(CaseDate, Problem)> = Vec::new();
        let mut note = |date: CaseDate, problem: Problem| {
            if !found.iter().any(|(d, _)| *d == date) {
                found.push((date, problem));
            }
        };
        for (date, later, earlier, problem) in rules {
            if let (Some(l), Some(e)) = (later, earlier)
                && l < e
            {
                note(date, problem);
            }
        }
        if let (Some(a), Some(c)) = (t.agreement_on, t.closed_on)
            && a > c
        {
            note(Agreement, AfterClosing);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn dates_in_order_raise_nothing() {
        let t = Timeline {
            received_on: d("2026-03-01"),
            accepted_on: d("2026-03-02"),
            agreement_on: d("2026-03-20"),
            performance_due: d("2026-04-30"),
            closed_on: d("2026-03-20"),
        };
        assert!(t.disorder().is_empty());
    }

    #[test]
    fn each_date_is_checked_against_the_one_before_it() {
        let t = Timeline {
            received_on: d("2026-03-05"),
            accepted_on: d("2026-03-02"),
            agreement_on: d("2026-03-25"),
            performance_due: d("2026-03-21"),
            closed_on: d("2026-03-20"),
        };
        assert_eq!(
            t.disorder(),
            vec![
                (CaseDate::Accepted, Problem::BeforeReceived),
                (CaseDate::PerformanceDue, Problem::BeforeAgreement),
                (CaseDate::Agreement, Problem::AfterClosing),
            ]
        );
    }
}
