//! The outcome columns of an imported row: status, acceptance, agreement,
//! performance and closing. On screen these change only through workflow
//! actions, each with its own checks; a file sets them all at once, so the
//! same facts are checked together here.
//!
//! | status | accepted_on | closed_on | agreement fields |
//! |---|---|---|---|
//! | registered | empty | empty | empty |
//! | in_mediation | required | empty | empty |
//! | settled | required | required | type, amount, date, deadline required |
//! | failed, withdrawn | required | required | empty |
//! | declined | empty | required | empty |
//!
//! Dates keep the workflow's order (`domain::workflow::timeline`: received
//! ≤ accepted ≤ agreement ≤ deadline, accepted ≤ closed, agreement ≤
//! closed) and, but for the performance deadline, are not in the future. Judicial confirmation other than `none` needs an agreement.

use chrono::NaiveDate;

use super::ImportProblem;
use crate::csv_io::columns::Column;
use crate::csv_io::labels::read;
use crate::domain::case::{Problem, SUMMARY_MAX, check_multiline_text};
use crate::domain::codes::Coded;
use crate::domain::date::DateError;
use crate::domain::workflow::closing::REASON_MAX;
use crate::domain::workflow::timeline::{CaseDate, Timeline};
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::domain::{Money, Status, parse_date};
use crate::i18n::Label;

/// The outcome cells of one row, as written.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutcomeCells<'a> {
    pub status: &'a str,
    pub accepted_on: &'a str,
    pub agreement_type: &'a str,
    pub amount_agreed: &'a str,
    pub agreement_on: &'a str,
    pub performance_due: &'a str,
    pub fulfilment: &'a str,
    pub judicial_confirmation: &'a str,
    pub closed_on: &'a str,
    pub agreement_terms: &'a str,
    pub close_reason: &'a str,
}

/// The checked outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<Money>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub closed_on: Option<NaiveDate>,
    pub agreement_terms: Option<String>,
    pub close_reason: Option<String>,
}

type Problems = Vec<(Column, ImportProblem)>;

fn date(errors: &mut Problems, column: Column, cell: &str, today: Option<NaiveDate>) -> Option<NaiveDate> {
    if cell.trim().is_empty() {
        return None;
    }
    let problem = match parse_date(cell) {
        Ok(d) if today.is_some_and(|t| d > t) => Problem::DateInFuture,
        Ok(d) => return Some(d),
        Err(DateError::OutOfRange) => Problem::DateOutOfRange,
        Err(DateError::NotADate) => Problem::NotADate,
    };
    errors.push((column, ImportProblem::Field(problem)));
    None
}

fn fixed<T: Coded + Label>(errors: &mut Problems, column: Column, cell: &str) -> Option<T> {
    if cell.trim().is_empty() {
        return None;
    }
    let code = read::<T>(cell);
    if code.is_none() {
        errors.push((column, ImportProblem::Field(Problem::UnknownCode)));
    }
    code
}

/// Checks the outcome cells against each other and the date received.
pub fn check(cells: &OutcomeCells, received_on: Option<NaiveDate>, today: NaiveDate) -> Result<Outcome, Problems> {
    let mut errors = Problems::new();
    let status = if cells.status.trim().is_empty() {
        Status::Registered
    } else {
        // A case is voided in Accord, with a reason, never imported so: no
        // export holds one, and a file that names the status is refused.
        read::<Status>(cells.status)
            .filter(|s| *s != Status::Voided)
            .unwrap_or_else(|| {
                errors.push((Column::Status, ImportProblem::Field(Problem::UnknownCode)));
                Status::Registered
            })
    };
    let now = Some(today);
    let accepted_on = date(&mut errors, Column::AcceptedOn, cells.accepted_on, now);
    let agreement_on = date(&mut errors, Column::AgreementOn, cells.agreement_on, now);
    let performance_due = date(&mut errors, Column::PerformanceDue, cells.performance_due, None);
    let closed_on = date(&mut errors, Column::ClosedOn, cells.closed_on, now);
    let agreement_type = fixed(&mut errors, Column::AgreementType, cells.agreement_type);
    let fulfilment = fixed(&mut errors, Column::Fulfilment, cells.fulfilment);
    // A blank cell: nobody applied.
    let judicial =
        fixed(&mut errors, Column::JudicialConfirmation, cells.judicial_confirmation).unwrap_or(Judicial::None);
    let amount_agreed = if cells.amount_agreed.trim().is_empty() {
        None
    } else {
        match Money::parse(cells.amount_agreed) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push((Column::AmountAgreed, ImportProblem::Field(Problem::Money(e))));
                None
            }
        }
    };

    let accepted = !matches!(status, Status::Registered | Status::Declined);
    let settled = status == Status::Settled;
    // (column, the cell is filled, whether this status needs it filled)
    let presence = [
        (Column::AcceptedOn, cells.accepted_on, accepted),
        (Column::ClosedOn, cells.closed_on, status.is_closed()),
        (Column::AgreementType, cells.agreement_type, settled),
        (Column::AmountAgreed, cells.amount_agreed, settled),
        (Column::AgreementOn, cells.agreement_on, settled),
        (Column::PerformanceDue, cells.performance_due, settled),
    ];
    for (column, cell, needed) in presence {
        let filled = !cell.trim().is_empty();
        if needed && !filled {
            errors.push((column, ImportProblem::RequiredForStatus));
        } else if !needed && filled {
            errors.push((column, ImportProblem::NotForStatus));
        }
    }
    if !settled && !cells.fulfilment.trim().is_empty() {
        errors.push((Column::Fulfilment, ImportProblem::NotForStatus));
    }
    if !settled && judicial != Judicial::None {
        errors.push((Column::JudicialConfirmation, ImportProblem::NotForStatus));
    }
    // Terms and a closing reason are kept when given; files written before
    // they were exported have neither, so neither is ever required.
    let with_reason = matches!(status, Status::Failed | Status::Withdrawn | Status::Declined);
    let mut kept = |column: Column, cell: &str, max: usize, allowed: bool| {
        let (text, problem) = check_multiline_text(cell, max, false);
        match problem {
            Some(p) => errors.push((column, ImportProblem::Field(p))),
            None if !text.is_empty() && !allowed => errors.push((column, ImportProblem::NotForStatus)),
            None => {}
        }
        (!text.is_empty()).then_some(text)
    };
    let agreement_terms = kept(Column::AgreementTerms, cells.agreement_terms, SUMMARY_MAX, settled);
    let close_reason = kept(Column::CloseReason, cells.close_reason, REASON_MAX, with_reason);

    // The same order the workflow keeps, from the domain's one rule.
    let timeline = Timeline {
        received_on,
        accepted_on,
        agreement_on,
        performance_due,
        closed_on,
    };
    for (date, problem) in timeline.disorder() {
        let column = match date {
            CaseDate::Accepted => Column::AcceptedOn,
            CaseDate::Agreement => Column::AgreementOn,
            CaseDate::PerformanceDue => Column::PerformanceDue,
            CaseDate::Closed => Column::ClosedOn,
        };
        let problem = match problem {
            Problem::BeforeReceived => ImportProblem::DateBefore(Column::ReceivedOn),
            Problem::BeforeAccepted => ImportProblem::DateBefore(Column::AcceptedOn),
            Problem::BeforeAgreement => ImportProblem::DateBefore(Column::AgreementOn),
            other => ImportProblem::Field(other),
        };
        // A cell with a problem of its own already says what is wrong.
        if !errors.iter().any(|(c, _)| *c == column) {
            errors.push((column, problem));
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Outcome {
        status,
        accepted_on,
        agreement_type,
        amount_agreed,
        agreement_on,
        performance_due,
        fulfilment,
        judicial_confirmation: judicial,
        closed_on,
        agreement_terms,
        close_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn settled<'a>() -> OutcomeCells<'a> {
        OutcomeCells {
            status: "调解成功",
            accepted_on: "2026-03-02",
            agreement_type: "书面",
            amount_agreed: "8,000",
            agreement_on: "2026/3/20",
            performance_due: "2027年1月31日",
            fulfilment: "待履行",
            judicial_confirmation: "",
            closed_on: "2026-03-20",
            agreement_terms: "一次性支付8000元。",
            close_reason: "",
        }
    }

    fn problems(cells: OutcomeCells) -> Problems {
        check(&cells, Some(day("2026-03-01")), day("2026-11-28")).unwrap_err()
    }

    #[test]
    fn a_settled_row_with_its_agreement_is_taken() {
        let o = check(&settled(), Some(day("2026-03-01")), day("2026-11-28")).unwrap();
        assert_eq!(o.status, Status::Settled);
        assert_eq!(o.agreement_type, Some(AgreementType::Written));
        assert_eq!(o.amount_agreed.unwrap().fen(), 800_000);
        assert_eq!(o.fulfilment, Some(Fulfilment::Pending));
        assert_eq!(o.judicial_confirmation, Judicial::None);
        assert_eq!(o.performance_due, Some(day("2027-01-31")));
    }

    #[test]
    fn an_agreement_after_the_closing_date_is_refused_as_on_the_settle_form() {
        let p = problems(OutcomeCells {
            agreement_on: "2026-03-25",
            performance_due: "2026-04-30",
            ..settled()
        });
        assert!(p.contains(&(Column::AgreementOn, ImportProblem::Field(Problem::AfterClosing))));
    }

    #[test]
    fn a_voided_case_is_not_imported() {
        let p = problems(OutcomeCells {
            status: "已作废",
            ..settled()
        });
        assert!(p.contains(&(Column::Status, ImportProblem::Field(Problem::UnknownCode))));
    }

    #[test]
    fn a_blank_outcome_is_a_registered_case() {
        let o = check(&OutcomeCells::default(), None, day("2026-11-28")).unwrap();
        assert_eq!(o.status, Status::Registered);
        assert_eq!(o.accepted_on, None);
    }

    #[test]
    fn each_status_requires_and_refuses_its_fields() {
        let p = problems(OutcomeCells {
            agreement_type: "",
            closed_on: "",
            ..settled()
        });
        assert!(p.contains(&(Column::AgreementType, ImportProblem::RequiredForStatus)));
        assert!(p.contains(&(Column::ClosedOn, ImportProblem::RequiredForStatus)));
        let p = problems(OutcomeCells {
            status: "in_mediation",
            closed_on: "",
            ..settled()
        });
        assert!(p.contains(&(Column::AmountAgreed, ImportProblem::NotForStatus)));
        assert!(p.contains(&(Column::Fulfilment, ImportProblem::NotForStatus)));
        let p = problems(OutcomeCells {
            status: "已登记",
            accepted_on: "2026-03-02",
            ..OutcomeCells::default()
        });
        assert_eq!(p, vec![(Column::AcceptedOn, ImportProblem::NotForStatus)]);
    }

    #[test]
    fn dates_keep_their_order_and_unknown_labels_are_refused() {
        let p = problems(OutcomeCells {
            accepted_on: "2026-02-01",
            performance_due: "2026-03-01",
            ..settled()
        });
        assert!(p.contains(&(Column::AcceptedOn, ImportProblem::DateBefore(Column::ReceivedOn))));
        assert!(p.contains(&(Column::PerformanceDue, ImportProblem::DateBefore(Column::AgreementOn))));
        let p = problems(OutcomeCells {
            status: "closed",
            ..OutcomeCells::default()
        });
        assert_eq!(p, vec![(Column::Status, ImportProblem::Field(Problem::UnknownCode))]);
        let p = problems(OutcomeCells {
            closed_on: "2027-01-01",
            ..settled()
        });
        assert!(p.contains(&(Column::ClosedOn, ImportProblem::Field(Problem::DateInFuture))));
    }
}
