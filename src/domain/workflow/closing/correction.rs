//! The corrections of a case (issue 13): the reason each takes, and the
//! confirmation an agreed amount above the claim asks for. The agreement
//! itself is checked by the settlement's rules (`ActionForm::agreement`).

use super::{ActionForm, Agreement, Change, FieldErrors, Problem, REASON_MAX};
use crate::domain::fields::multiline_text;

impl Change {
    /// Why a correction was made, for its history entry.
    pub fn correction_reason(&self) -> Option<&str> {
        match self {
            Change::CorrectAgreement { reason, .. }
            | Change::Reopen { reason }
            | Change::Unarchive { reason }
            | Change::Void { reason, .. } => Some(reason),
            Change::Archive { reason, .. } => (!reason.is_empty()).then_some(reason.as_str()),
            _ => None,
        }
    }
}

impl Agreement {
    /// An agreed amount above the amount claimed is asked about once more
    /// before it is saved (more often a slip of the keyboard than a deal),
    /// unless the form says this very amount was confirmed.
    pub fn needs_confirmation(&self, claimed: Option<i64>, form: &ActionForm) -> bool {
        let above = claimed.is_some_and(|c| self.amount.fen() > c);
        above && form.confirmed_amount.trim() != self.amount.fen().to_string()
    }
}

/// The reason every correction takes: required, so the history says why.
pub fn correction_reason(flaws: &mut FieldErrors, raw: &str) -> String {
    let reason = multiline_text(flaws, "reason", raw, REASON_MAX, false);
    if reason.is_empty() && flaws.get("reason").is_none() {
        flaws.add("reason", Problem::NeedReason);
    }
    reason
}
