//! A case as entered on the form or read from a CSV row, and its rules.

use chrono::NaiveDate;

pub use super::fields::{
    FieldError, FieldErrors, Problem, check_date, check_multiline_text, check_text, multiline_text, text,
};
use super::{Money, PartyRole, Phone, RefList};

/// The longest summary taken, in characters.
pub const SUMMARY_MAX: usize = 10_000;
/// The longest name or project taken, in characters.
pub const NAME_MAX: usize = 200;

/// One party row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyForm {
    pub party_type: String,
    pub name: String,
    pub phone: String,
}

/// The case form's raw text, kept so a refused form shows what was typed.
#[derive(Debug, Clone, Default)]
pub struct CaseForm {
    pub received_on: String,
    pub source: String,
    pub category: String,
    pub project: String,
    pub district: String,
    pub summary: String,
    pub amount_claimed: String,
    pub applicants: Vec<PartyForm>,
    pub respondents: Vec<PartyForm>,
    pub mediators: Vec<String>,
}

/// A checked party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyInput {
    pub role: PartyRole,
    pub party_type: String,
    pub name: String,
    pub phone: Phone,
}

/// A checked case, ready to store.
#[derive(Debug, Clone)]
pub struct CaseInput {
    pub received_on: NaiveDate,
    pub source: String,
    pub category: String,
    pub project: String,
    pub district: String,
    pub summary: String,
    /// `None` when left blank: kept apart from zero, counted as zero.
    pub amount_claimed: Option<Money>,
    pub parties: Vec<PartyInput>,
    pub mediator_ids: Vec<i64>,
}

/// What the rules need to know of the world: today, and which codes and
/// mediators may be chosen.
pub trait Lookup {
    fn today(&self) -> NaiveDate;
    fn code_allowed(&self, list: RefList, code: &str) -> bool;
    fn mediator_allowed(&self, id: i64) -> bool;
    /// Most applicants, and most respondents, a case may have.
    fn max_parties_per_side(&self) -> usize;
}

impl CaseForm {
    /// Builds the form from `application/x-www-form-urlencoded` pairs, where
    /// party fields and `mediators` repeat.
    pub fn from_pairs(pairs: &[(String, String)]) -> CaseForm {
        let mut form = CaseForm::default();
        let mut parties: [(Vec<String>, Vec<String>, Vec<String>); 2] = Default::default();
        for (key, value) in pairs {
            let value = value.clone();
            match key.as_str() {
                "received_on" => form.received_on = value,
                "source" => form.source = value,
                "category" => form.category = value,
                "project" => form.project = value,
                "district" => form.district = value,
                "summary" => form.summary = value,
                "amount_claimed" => form.amount_claimed = value,
                "mediators" => form.mediators.push(value),
                other => {
                    let (side, field) = match other.split_once('_') {
                        Some(("applicant", f)) => (0, f),
                        Some(("respondent", f)) => (1, f),
                        _ => continue,
                    };
                    match field {
                        "type" => parties[side].0.push(value),
                        "name" => parties[side].1.push(value),
                        "phone" => parties[side].2.push(value),
                        _ => {}
                    }
                }
            }
        }
        let rows = |(types, names, phones): &(Vec<String>, Vec<String>, Vec<String>)| {
            let n = types.len().max(names.len()).max(phones.len());
            (0..n)
                .map(|i| PartyForm {
                    party_type: types.get(i).cloned().unwrap_or_default(),
                    name: names.get(i).cloned().unwrap_or_default(),
                    phone: phones.get(i).cloned().unwrap_or_default(),
                })
                .collect::<Vec<_>>()
        };
        form.applicants = rows(&parties[0]);
        form.respondents = rows(&parties[1]);
        form
    }

    /// The side whose "add a row" button was pressed (`add_applicant`,
    /// `add_respondent`): the form is then shown again with one more blank
    /// row on that side, and nothing is saved.
    pub fn add_row_pressed(pairs: &[(String, String)]) -> Option<PartyRole> {
        pairs.iter().find_map(|(k, _)| match k.as_str() {
            "add_applicant" => Some(PartyRole::Applicant),
            "add_respondent" => Some(PartyRole::Respondent),
            _ => None,
        })
    }

    pub fn parties_mut(&mut self, role: PartyRole) -> &mut Vec<PartyForm> {
        match role {
            PartyRole::Applicant => &mut self.applicants,
            PartyRole::Respondent => &mut self.respondents,
        }
    }

    /// Adds a blank party row on one side, up to `max` rows (the
    /// `max_parties_per_side` setting); the problem (keyed `applicants` or
    /// `respondents`) past it.
    pub fn add_party_row(&mut self, role: PartyRole, max: usize) -> Result<(), FieldError> {
        let rows = self.parties_mut(role);
        if rows.len() >= max {
            return Err(FieldError {
                field: format!("{}s", role.code()),
                problem: Problem::TooManyParties(max),
            });
        }
        rows.push(PartyForm::default());
        Ok(())
    }

    /// Checks every field, collecting every problem.
    pub fn validate(&self, lookup: &dyn Lookup) -> Result<CaseInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let received_on = match check_date(&self.received_on, lookup.today()) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("received_on", Problem::Required);
                None
            }
            Err(p) => {
                errors.add("received_on", p);
                None
            }
        };
        let code = |errors: &mut FieldErrors, field: &str, list: RefList, value: &str| {
            let value = value.trim();
            if value.is_empty() {
                errors.add(field, Problem::Required);
            } else if !lookup.code_allowed(list, value) {
                errors.add(field, Problem::UnknownCode);
            }
            value.to_string()
        };
        let source = code(&mut errors, "source", RefList::Source, &self.source);
        let category = code(&mut errors, "category", RefList::Category, &self.category);
        let district = code(&mut errors, "district", RefList::District, &self.district);
        let project = text(&mut errors, "project", &self.project, NAME_MAX, true);
        let summary = multiline_text(&mut errors, "summary", &self.summary, SUMMARY_MAX, true);
        let amount_claimed = if self.amount_claimed.trim().is_empty() {
            None
        } else {
            Some(Money::parse(&self.amount_claimed).unwrap_or_else(|e| {
                errors.add("amount_claimed", Problem::Money(e));
                Money::ZERO
            }))
        };
        let mut parties = Vec::new();
        for (role, rows, need) in [
            (PartyRole::Applicant, &self.applicants, Problem::NeedApplicant),
            (PartyRole::Respondent, &self.respondents, Problem::NeedRespondent),
        ] {
            let before = parties.len();
            let filled = |row: &&PartyForm| !(row.name.trim().is_empty() && row.phone.trim().is_empty());
            let max = lookup.max_parties_per_side();
            if rows.iter().filter(filled).count() > max {
                // One message at the first row over the limit; the rows
                // themselves are not checked (there may be thousands).
                let over = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| filled(r))
                    .nth(max)
                    .map_or(0, |(i, _)| i);
                errors.add(format!("{}_name.{over}", role.code()), Problem::TooManyParties(max));
                continue;
            }
            for (i, row) in rows.iter().enumerate() {
                if !filled(&row) {
                    continue;
                }
                let prefix = role.code();
                let name = text(&mut errors, &format!("{prefix}_name.{i}"), &row.name, NAME_MAX, true);
                let party_type = code(
                    &mut errors,
                    &format!("{prefix}_type.{i}"),
                    RefList::PartyType,
                    &row.party_type,
                );
                let phone = Phone::parse(&row.phone).unwrap_or_else(|_| {
                    errors.add(format!("{prefix}_phone.{i}"), Problem::BadPhone);
                    Phone::default()
                });
                parties.push(PartyInput {
                    role,
                    party_type,
                    name,
                    phone,
                });
            }
            if parties.len() == before {
                errors.add(format!("{}_name.0", role.code()), need);
            }
        }
        let mut mediator_ids = Vec::new();
        for value in &self.mediators {
            match value.trim().parse::<i64>() {
                Ok(id) if lookup.mediator_allowed(id) => {
                    if !mediator_ids.contains(&id) {
                        mediator_ids.push(id)
                    }
                }
                _ => errors.add("mediators", Problem::UnknownMediator),
            }
        }
        if mediator_ids.is_empty() && errors.get("mediators").is_none() {
            errors.add("mediators", Problem::NeedMediator);
        }
        match received_on {
            Some(received_on) if errors.is_empty() => Ok(CaseInput {
                received_on,
                source,
                category,
                project,
                district,
                summary,
                amount_claimed,
                parties,
                mediator_ids,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::MoneyError;

    struct World;
    impl Lookup for World {
        fn today(&self) -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        }
        fn code_allowed(&self, _: RefList, code: &str) -> bool {
            ["fees", "party_application", "chaoyang", "owner", "property_company"].contains(&code)
        }
        fn mediator_allowed(&self, id: i64) -> bool {
            id == 1
        }
        fn max_parties_per_side(&self) -> usize {
            3
        }
    }

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut base = vec![
            ("received_on", "2026/11/2"),
            ("source", "party_application"),
            ("category", "fees"),
            ("project", "阳光花园"),
            ("district", "chaoyang"),
            ("summary", "拖欠物业费"),
            ("amount_claimed", "1.5万"),
            ("applicant_type", "property_company"),
            ("applicant_name", "某物业公司"),
            ("applicant_phone", "010-62345678"),
            ("respondent_type", "owner"),
            ("respondent_name", "张三"),
            ("respondent_phone", ""),
            ("mediators", "1"),
        ];
        base.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        base.extend_from_slice(extra);
        base.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_complete_form_becomes_a_case() {
        let case = CaseForm::from_pairs(&pairs(&[])).validate(&World).unwrap();
        assert_eq!(case.amount_claimed, Some(Money::from_fen(1_500_000)));
        assert_eq!(case.parties.len(), 2);
        assert_eq!(case.received_on, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let errors = CaseForm::from_pairs(&pairs(&[
            ("received_on", "2027-01-01"),
            ("category", "bribes"),
            ("amount_claimed", "-3"),
            ("respondent_name", ""),
            ("applicant_phone", "12345"),
            ("mediators", "9"),
        ]))
        .validate(&World)
        .unwrap_err();
        assert_eq!(errors.get("received_on"), Some(Problem::DateInFuture));
        assert_eq!(errors.get("category"), Some(Problem::UnknownCode));
        assert_eq!(errors.get("amount_claimed"), Some(Problem::Money(MoneyError::Negative)));
        assert_eq!(errors.get("respondent_name.0"), Some(Problem::NeedRespondent));
        assert_eq!(errors.get("applicant_phone.0"), Some(Problem::BadPhone));
        assert_eq!(errors.get("mediators"), Some(Problem::UnknownMediator));
    }

    #[test]
    fn more_parties_on_a_side_than_allowed_is_one_error_at_the_first_extra_row() {
        let mut extra: Vec<(String, String)> = pairs(&[]);
        for n in 0..4 {
            extra.push(("respondent_type".into(), "owner".into()));
            extra.push(("respondent_name".into(), format!("业主{n}")));
            extra.push(("respondent_phone".into(), String::new()));
        }
        let errors = CaseForm::from_pairs(&extra).validate(&World).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors:?}");
        assert_eq!(errors.get("respondent_name.3"), Some(Problem::TooManyParties(3)));
        // Blank rows do not count.
        let mut blank = pairs(&[]);
        for _ in 0..5 {
            blank.push(("applicant_name".into(), String::new()));
        }
        assert!(CaseForm::from_pairs(&blank).validate(&World).is_ok());
    }

    #[test]
    fn an_add_row_button_adds_one_blank_row_up_to_the_cap() {
        let typed = pairs(&[("add_respondent", "1")]);
        assert_eq!(CaseForm::add_row_pressed(&typed), Some(PartyRole::Respondent));
        let mut form = CaseForm::from_pairs(&typed);
        form.add_party_row(PartyRole::Respondent, 50).unwrap();
        assert_eq!(form.respondents.len(), 2);
        assert_eq!(form.respondents[0].name, "张三");
        form.respondents.resize(50, PartyForm::default());
        let refused = form.add_party_row(PartyRole::Respondent, 50).unwrap_err();
        assert_eq!(refused.field, "respondents");
        assert_eq!(form.respondents.len(), 50);
    }
}
