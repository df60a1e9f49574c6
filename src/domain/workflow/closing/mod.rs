//! The forms of the workflow actions (accept, decline, settle, fail,
//! withdraw, fulfilment, judicial confirmation) and their rules.

use chrono::NaiveDate;

use super::timeline::{CaseDate, Timeline};
use super::{Action, AgreementType, Fulfilment, Judicial, Route};
use crate::domain::Money;
use crate::domain::case::SUMMARY_MAX;
pub use crate::domain::fields::{FieldErrors, Problem};
use crate::domain::fields::{code_field, date_field, multiline_text, not_before};

/// The dates of the case an action is checked against.
#[derive(Debug, Clone, Copy)]
pub struct CaseDates {
    pub today: NaiveDate,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_on: Option<NaiveDate>,
    /// The closing date, which a corrected agreement may not follow.
    pub closed_on: Option<NaiveDate>,
}

impl CaseDates {
    /// The dates the case has now.
    pub fn timeline(&self) -> Timeline {
        Timeline {
            received_on: Some(self.received_on),
            accepted_on: self.accepted_on,
            agreement_on: self.agreement_on,
            ..Timeline::default()
        }
    }
}

/// Notes each date out of order under the form field that holds it (the
/// action's own date is `on`).
fn in_order(flaws: &mut FieldErrors, timeline: Timeline) {
    for (date, problem) in timeline.disorder() {
        let field = match date {
            CaseDate::Accepted | CaseDate::Closed => "on",
            CaseDate::Agreement => "agreement_on",
            CaseDate::PerformanceDue => "performance_due",
        };
        flaws.add(field, problem);
    }
}

/// The longest reason taken, in characters.
pub const REASON_MAX: usize = 2_000;

/// The raw text of an action form, kept so a refused form shows what was typed.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    /// The action's own date: the acceptance or the closing date.
    pub on: String,
    pub reason: String,
    pub agreement_type: String,
    pub amount_agreed: String,
    pub agreement_on: String,
    pub performance_due: String,
    pub agreement_terms: String,
    pub routes: Vec<String>,
    pub fulfilment: String,
    pub judicial: String,
    pub judicial_applied_on: String,
    /// An agreed amount above the claim, in fen, as confirmed on the
    /// confirmation page; the correction saves only that amount unasked.
    pub confirmed_amount: String,
}

/// A settlement's agreement (调解协议).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub kind: AgreementType,
    pub amount: Money,
    /// 协议生效日期: written, all parties signed; oral, the day reached.
    pub on: NaiveDate,
    /// 履行期限.
    pub due: NaiveDate,
    pub terms: String,
}

/// A checked action, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Accept {
        on: NaiveDate,
    },
    Decline {
        on: NaiveDate,
        reason: String,
    },
    Settle {
        on: NaiveDate,
        agreement: Agreement,
    },
    Fail {
        on: NaiveDate,
        routes: Vec<Route>,
        reason: String,
    },
    Withdraw {
        on: NaiveDate,
        reason: String,
    },
    Archive {
        on: NaiveDate,
        /// Optional: archiving is the workflow's last step, not a correction.
        reason: String,
    },
    Fulfilment(Fulfilment),
    Judicial {
        status: Judicial,
        applied_on: Option<NaiveDate>,
    },
    /// A settled case's agreement put right; the closing date stays.
    CorrectAgreement {
        agreement: Agreement,
        reason: String,
    },
    /// Back to mediation; the closing fields are cleared.
    Reopen {
        reason: String,
    },
    Unarchive {
        reason: String,
    },
    /// Registered by mistake: kept, numbered, and counted nowhere.
    Void {
        on: NaiveDate,
        reason: String,
    },
}

impl Change {
    pub fn action(&self) -> Action {
        match self {
            Change::Accept { .. } => Action::Accept,
            Change::Decline { .. } => Action::Decline,
            Change::Settle { .. } => Action::Settle,
            Change::Fail { .. } => Action::Fail,
            Change::Withdraw { .. } => Action::Withdraw,
            Change::Archive { .. } => Action::Archive,
            Change::Fulfilment(_) => Action::Fulfilment,
            Change::Judicial { .. } => Action::Judicial,
            Change::CorrectAgreement { .. } => Action::CorrectAgreement,
            Change::Reopen { .. } => Action::Reopen,
            Change::Unarchive { .. } => Action::Unarchive,
            Change::Void { .. } => Action::Void,
        }
    }
}

impl ActionForm {
    /// Reads the form from urlencoded pairs; `routes` repeats.
    pub fn from_pairs(pairs: &[(String, String)]) -> ActionForm {
        let mut f = ActionForm::default();
        for (key, value) in pairs {
            let value = value.clone();
            match key.as_str() {
                "on" => f.on = value,
                "reason" => f.reason = value,
                "agreement_type" => f.agreement_type = value,
                "amount_agreed" => f.amount_agreed = value,
                "agreement_on" => f.agreement_on = value,
                "performance_due" => f.performance_due = value,
                "agreement_terms" => f.agreement_terms = value,
                "routes" => f.routes.push(value),
                "fulfilment" => f.fulfilment = value,
                "judicial" => f.judicial = value,
                "judicial_applied_on" => f.judicial_applied_on = value,
                "confirmed_amount" => f.confirmed_amount = value,
                _ => {}
            }
        }
        f
    }

    /// Checks the form of `action` against the case's dates, collecting
    /// every flaw. Sessions and visits have forms of their own.
    pub fn validate(&self, action: Action, dates: &CaseDates) -> Result<Change, FieldErrors> {
        let mut flaws = FieldErrors::default();
        let today = dates.today;
        let dated = matches!(
            action,
            Action::Accept | Action::Decline | Action::Settle | Action::Fail | Action::Withdraw
        );
        let on = if dated {
            date_field(&mut flaws, "on", &self.on, today, true)
        } else {
            None
        };
        // The action's own date keeps its place among the case's dates; a
        // settlement checks it with the agreement's dates (see `agreement`).
        if dated && action != Action::Settle {
            let mut timeline = dates.timeline();
            if action == Action::Accept {
                timeline.accepted_on = on;
            } else {
                timeline.closed_on = on;
            }
            in_order(&mut flaws, timeline);
        }
        let change = match action {
            Action::Accept => on.map(|on| Change::Accept { on }),
            Action::Decline => {
                let reason = multiline_text(&mut flaws, "reason", &self.reason, REASON_MAX, true);
                on.map(|on| Change::Decline { on, reason })
            }
            Action::Withdraw => {
                let reason = multiline_text(&mut flaws, "reason", &self.reason, REASON_MAX, true);
                on.map(|on| Change::Withdraw { on, reason })
            }
            Action::Fail => {
                let mut routes = Vec::new();
                for raw in &self.routes {
                    match Route::from_code(raw.trim()) {
                        Some(r) if !routes.contains(&r) => routes.push(r),
                        Some(_) => {}
                        None => flaws.add("routes", Problem::UnknownCode),
                    }
                }
                if routes.is_empty() {
                    flaws.add("routes", Problem::NeedRoute);
                }
                // Keep the law's order whatever order the boxes came in.
                routes.sort_by_key(|r| Route::ALL.iter().position(|x| x == r));
                let reason = multiline_text(&mut flaws, "reason", &self.reason, REASON_MAX, false);
                on.map(|on| Change::Fail { on, routes, reason })
            }
            Action::Settle => {
                let agreement = self.agreement(&mut flaws, dates, on);
                on.zip(agreement)
                    .map(|(on, agreement)| Change::Settle { on, agreement })
            }
            Action::Fulfilment => {
                code_field(&mut flaws, "fulfilment", &self.fulfilment, Fulfilment::from_code).map(Change::Fulfilment)
            }
            Action::Judicial => {
                let status = code_field(&mut flaws, "judicial", &self.judicial, Judicial::from_code);
                // Once applied for, the application date is part of the record;
                // back at "none", a date left in the box means nothing.
                let applied_on = if status.is_some_and(|s| s != Judicial::None) {
                    date_field(
                        &mut flaws,
                        "judicial_applied_on",
                        &self.judicial_applied_on,
                        today,
                        true,
                    )
                } else {
                    None
                };
                not_before(
                    &mut flaws,
                    "judicial_applied_on",
                    applied_on,
                    dates.agreement_on,
                    Problem::BeforeAgreement,
                );
                status.map(|status| Change::Judicial { status, applied_on })
            }
            Action::Archive => Some(Change::Archive {
                on: today,
                reason: multiline_text(&mut flaws, "reason", &self.reason, REASON_MAX, false),
            }),
            Action::CorrectAgreement => {
                let agreement = self.agreement(&mut flaws, dates, dates.closed_on);
                let reason = correction_reason(&mut flaws, &self.reason);
                agreement.map(|agreement| Change::CorrectAgreement { agreement, reason })
            }
            Action::Reopen => Some(Change::Reopen {
                reason: correction_reason(&mut flaws, &self.reason),
            }),
            Action::Unarchive => Some(Change::Unarchive {
                reason: correction_reason(&mut flaws, &self.reason),
            }),
            Action::Void => Some(Change::Void {
                on: today,
                reason: correction_reason(&mut flaws, &self.reason),
            }),
            Action::Session | Action::Visit => {
                flaws.add("action", Problem::UnknownCode);
                None
            }
        };
        match change {
            Some(change) if flaws.is_empty() => Ok(change),
            _ => Err(flaws),
        }
    }

    fn agreement(&self, flaws: &mut FieldErrors, dates: &CaseDates, closed_on: Option<NaiveDate>) -> Option<Agreement> {
        let kind = code_field(flaws, "agreement_type", &self.agreement_type, AgreementType::from_code);
        // Agreements that settle without money (noise, a repair) record 0.
        let amount = if self.amount_agreed.trim().is_empty() {
            flaws.add("amount_agreed", Problem::Required);
            None
        } else {
            Money::parse(&self.amount_agreed)
                .map_err(|e| flaws.add("amount_agreed", Problem::Money(e)))
                .ok()
        };
        let on = date_field(flaws, "agreement_on", &self.agreement_on, dates.today, true);
        // The performance deadline is usually still to come: no "future" check.
        let due = date_field(flaws, "performance_due", &self.performance_due, NaiveDate::MAX, true);
        let timeline = Timeline {
            closed_on,
            agreement_on: on,
            performance_due: due,
            ..dates.timeline()
        };
        in_order(flaws, timeline);
        let terms = multiline_text(flaws, "agreement_terms", &self.agreement_terms, SUMMARY_MAX, true);
        Some(Agreement {
            kind: kind?,
            amount: amount?,
            on: on?,
            due: due?,
            terms,
        })
    }
}

mod correction;
pub use correction::correction_reason;

#[cfg(test)]
mod tests;
