//! Sessions (调解记录) and return visits (回访记录): their forms and rules.

use chrono::NaiveDate;

use super::closing::CaseDates;
use super::{Fulfilment, Satisfaction, SessionMode};
use crate::domain::case::{NAME_MAX, SUMMARY_MAX};
use crate::domain::fields::{FieldErrors, Problem, code_field, date_field, multiline_text, text};

/// A session form as typed; `mediators` repeats.
#[derive(Debug, Clone, Default)]
pub struct SessionForm {
    pub held_on: String,
    pub form: String,
    pub mediators: Vec<String>,
    pub notes: String,
    /// Why an existing session is changed (required then).
    pub reason: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInput {
    pub held_on: NaiveDate,
    pub form: SessionMode,
    pub mediator_ids: Vec<i64>,
    pub notes: String,
}

impl SessionForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> SessionForm {
        let mut f = SessionForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "held_on" => f.held_on = value.clone(),
                "form" => f.form = value.clone(),
                "mediators" => f.mediators.push(value.clone()),
                "notes" => f.notes = value.clone(),
                "reason" => f.reason = value.clone(),
                _ => {}
            }
        }
        f
    }

    /// Checks the session: held on a day from acceptance to today, in one of
    /// the three forms, with at least one known mediator present.
    pub fn validate(
        &self,
        dates: &CaseDates,
        mediator_allowed: &dyn Fn(i64) -> bool,
    ) -> Result<SessionInput, FieldErrors> {
        let mut flaws = FieldErrors::default();
        let held_on = date_field(&mut flaws, "held_on", &self.held_on, dates.today, true);
        if let (Some(h), Some(a)) = (held_on, dates.accepted_on)
            && h < a
        {
            flaws.add("held_on", Problem::BeforeAccepted);
        }
        let form = code_field(&mut flaws, "form", &self.form, SessionMode::from_code);
        let mut mediator_ids = Vec::new();
        for raw in &self.mediators {
            match raw.trim().parse::<i64>() {
                Ok(id) if mediator_allowed(id) => {
                    if !mediator_ids.contains(&id) {
                        mediator_ids.push(id);
                    }
                }
                _ => flaws.add("mediators", Problem::UnknownMediator),
            }
        }
        if mediator_ids.is_empty() {
            flaws.add("mediators", Problem::NeedMediator);
        }
        let notes = multiline_text(&mut flaws, "notes", &self.notes, SUMMARY_MAX, false);
        match (held_on, form) {
            (Some(held_on), Some(form)) if flaws.is_empty() => Ok(SessionInput {
                held_on,
                form,
                mediator_ids,
                notes,
            }),
            _ => Err(flaws),
        }
    }
}

/// A correction of a session or visit: its values checked as for a new
/// one, and the reason, with the flaws of both at once.
pub fn with_reason<T>(checked: Result<T, FieldErrors>, raw_reason: &str) -> Result<(T, String), FieldErrors> {
    let mut flaws = FieldErrors::default();
    let reason = super::closing::correction_reason(&mut flaws, raw_reason);
    match checked {
        Ok(value) if flaws.is_empty() => Ok((value, reason)),
        Ok(_) => Err(flaws),
        Err(mut all) => {
            all.0.extend(flaws.0);
            Err(all)
        }
    }
}

/// A return-visit form as typed.
#[derive(Debug, Clone, Default)]
pub struct VisitForm {
    pub visited_on: String,
    pub visitor: String,
    pub performance: String,
    pub satisfaction: String,
    pub notes: String,
    /// Why an existing visit is changed (required then).
    pub reason: String,
}

/// A checked return visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitInput {
    pub visited_on: NaiveDate,
    pub visitor: String,
    /// The performance found; it becomes the case's fulfilment.
    pub performance: Fulfilment,
    pub satisfaction: Satisfaction,
    pub notes: String,
}

impl VisitForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> VisitForm {
        let mut f = VisitForm::default();
        for (key, value) in pairs {
            let value = value.clone();
            match key.as_str() {
                "visited_on" => f.visited_on = value,
                "visitor" => f.visitor = value,
                "performance" => f.performance = value,
                "satisfaction" => f.satisfaction = value,
                "notes" => f.notes = value,
                "reason" => f.reason = value,
                _ => {}
            }
        }
        f
    }

    /// Checks the visit: on a day from the agreement to today, by someone,
    /// with what was found.
    pub fn validate(&self, dates: &CaseDates) -> Result<VisitInput, FieldErrors> {
        let mut flaws = FieldErrors::default();
        let visited_on = date_field(&mut flaws, "visited_on", &self.visited_on, dates.today, true);
        if let (Some(v), Some(a)) = (visited_on, dates.agreement_on)
            && v < a
        {
            flaws.add("visited_on", Problem::BeforeAgreement);
        }
        let visitor = text(&mut flaws, "visitor", &self.visitor, NAME_MAX, true);
        let performance = code_field(&mut flaws, "performance", &self.performance, Fulfilment::from_code);
        let satisfaction = code_field(&mut flaws, "satisfaction", &self.satisfaction, Satisfaction::from_code);
        let notes = multiline_text(&mut flaws, "notes", &self.notes, SUMMARY_MAX, false);
        match (visited_on, performance, satisfaction) {
            (Some(visited_on), Some(performance), Some(satisfaction)) if flaws.is_empty() => Ok(VisitInput {
                visited_on,
                visitor,
                performance,
                satisfaction,
                notes,
            }),
            _ => Err(flaws),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates() -> CaseDates {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        CaseDates {
            today: d("2026-11-28"),
            received_on: d("2026-11-02"),
            accepted_on: Some(d("2026-11-05")),
            agreement_on: Some(d("2026-11-20")),
            closed_on: None,
        }
    }

    #[test]
    fn a_session_needs_a_day_a_form_and_a_mediator() {
        let empty = SessionForm::default().validate(&dates(), &|_| true).unwrap_err();
        assert_eq!(empty.get("held_on"), Some(Problem::Required));
        assert_eq!(empty.get("form"), Some(Problem::Required));
        assert_eq!(empty.get("mediators"), Some(Problem::NeedMediator));
        let early = SessionForm {
            held_on: "2026-11-04".into(),
            form: "phone".into(),
            mediators: vec!["3".into(), "9".into()],
            notes: String::new(),
            reason: String::new(),
        }
        .validate(&dates(), &|id| id == 3)
        .unwrap_err();
        assert_eq!(early.get("held_on"), Some(Problem::BeforeAccepted));
        assert_eq!(early.get("mediators"), Some(Problem::UnknownMediator));
        let ok = SessionForm {
            held_on: "2026-11-06".into(),
            form: "on_site".into(),
            mediators: vec!["3".into(), "3".into()],
            notes: "双方到场。\r\n达成初步意向。".into(),
            reason: String::new(),
        }
        .validate(&dates(), &|id| id == 3)
        .unwrap();
        assert_eq!(ok.mediator_ids, vec![3]);
        assert_eq!(ok.notes, "双方到场。\n达成初步意向。");
    }

    #[test]
    fn a_visit_comes_after_the_agreement_and_records_what_was_found() {
        let v = VisitForm {
            visited_on: "2026-11-19".into(),
            visitor: "".into(),
            performance: "partial".into(),
            satisfaction: "so-so".into(),
            notes: String::new(),
            reason: String::new(),
        }
        .validate(&dates())
        .unwrap_err();
        assert_eq!(v.get("visited_on"), Some(Problem::BeforeAgreement));
        assert_eq!(v.get("visitor"), Some(Problem::Required));
        assert_eq!(v.get("satisfaction"), Some(Problem::UnknownCode));
        let ok = VisitForm {
            visited_on: "2026-11-27".into(),
            visitor: "李调解".into(),
            performance: "fulfilled".into(),
            satisfaction: "satisfied".into(),
            notes: String::new(),
            reason: String::new(),
        }
        .validate(&dates())
        .unwrap();
        assert_eq!(ok.performance, Fulfilment::Fulfilled);
    }

    #[test]
    fn a_correction_without_a_reason_is_refused_with_the_records_own_flaws() {
        let blank = with_reason(Ok(1), "  \n ").unwrap_err();
        assert_eq!(blank.get("reason"), Some(Problem::NeedReason));
        let both = with_reason(SessionForm::default().validate(&dates(), &|_| true), "").unwrap_err();
        assert_eq!(both.get("held_on"), Some(Problem::Required));
        assert_eq!(both.get("reason"), Some(Problem::NeedReason));
        assert_eq!(with_reason(Ok(1), " 录入错误 ").unwrap(), (1, "录入错误".to_string()));
    }
}
