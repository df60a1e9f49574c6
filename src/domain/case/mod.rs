//! A case as entered on the form or read from a CSV row, and its rules.

use chrono::NaiveDate;

pub use super::fields::{
    FieldError, FieldErrors, Problem, check_date, check_multiline_text, check_text, multiline_text, text,
};
use super::official::{CaseFigures, FiguresForm};
use super::{IdNumber, Money, PartyRole, Phone, RefList};

/// The longest summary taken, in characters.
pub const SUMMARY_MAX: usize = 10_000;
/// The longest name or project taken, in characters.
pub const NAME_MAX: usize = 200;
/// The longest address taken, in characters.
pub const ADDRESS_MAX: usize = 300;

/// One party row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyForm {
    pub party_type: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub address: String,
    pub representative: String,
}

impl PartyForm {
    /// Whether anything was typed in the row (its type alone does not count:
    /// a blank row keeps the default type).
    pub fn filled(&self) -> bool {
        [
            &self.name,
            &self.phone,
            &self.id_number,
            &self.address,
            &self.representative,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
}

/// What printed documents need of a party beyond its name (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyDetails {
    /// Shown masked except on printed documents and to admins.
    pub id_number: IdNumber,
    pub address: String,
    /// The legal representative or agent of an organisation.
    pub representative: String,
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
    /// The official report's fields (issue 16).
    pub figures: FiguresForm,
}

/// A checked party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyInput {
    pub role: PartyRole,
    pub party_type: String,
    pub name: String,
    pub phone: Phone,
    pub details: PartyDetails,
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
    /// The official report's fields (issue 16).
    pub figures: CaseFigures,
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
        let mut parties: [[Vec<String>; 6]; 2] = Default::default();
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
                    if form.figures.take(other, &value) {
                        continue;
                    }
                    let (side, field) = match other.split_once('_') {
                        Some(("applicant", f)) => (0, f),
                        Some(("respondent", f)) => (1, f),
                        _ => continue,
                    };
                    let column = match field {
                        "type" => 0,
                        "name" => 1,
                        "phone" => 2,
                        "id_number" => 3,
                        "address" => 4,
                        "representative" => 5,
                        _ => continue,
                    };
                    parties[side][column].push(value);
                }
            }
        }
        let rows = |columns: &[Vec<String>; 6]| {
            let n = columns.iter().map(Vec::len).max().unwrap_or(0);
            let cell = |c: usize, i: usize| columns[c].get(i).cloned().unwrap_or_default();
            (0..n)
                .map(|i| PartyForm {
                    party_type: cell(0, i),
                    name: cell(1, i),
                    phone: cell(2, i),
                    id_number: cell(3, i),
                    address: cell(4, i),
                    representative: cell(5, i),
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

    /// The form where an ID number shown masked (`1101**********002X`) and
    /// sent back as it was stands for the stored number it masks, so a user
    /// who may not see whole numbers can save the case without retyping
    /// them. A masked text that masks none of `stored` stays as sent, and is
    /// then refused as not an ID number.
    pub fn with_masked_ids_restored(&self, stored: &[&str]) -> CaseForm {
        let mut form = self.clone();
        for row in form.applicants.iter_mut().chain(form.respondents.iter_mut()) {
            let sent = row.id_number.trim();
            if !sent.contains('*') {
                continue;
            }
            if let Some(full) = stored.iter().find(|s| super::id_number::mask(s) == sent) {
                row.id_number = full.to_string();
            }
        }
        form
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
        let figures = self.figures.check(&mut errors);
        let mut parties = Vec::new();
        for (role, rows, need) in [
            (PartyRole::Applicant, &self.applicants, Problem::NeedApplicant),
            (PartyRole::Respondent, &self.respondents, Problem::NeedRespondent),
        ] {
            let before = parties.len();
            let filled = |row: &&PartyForm| row.filled();
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
                let id_number = IdNumber::parse(&row.id_number).unwrap_or_else(|_| {
                    errors.add(format!("{prefix}_id_number.{i}"), Problem::BadIdNumber);
                    IdNumber::default()
                });
                let address = text(
                    &mut errors,
                    &format!("{prefix}_address.{i}"),
                    &row.address,
                    ADDRESS_MAX,
                    false,
                );
                let representative = text(
                    &mut errors,
                    &format!("{prefix}_representative.{i}"),
                    &row.representative,
                    NAME_MAX,
                    false,
                );
                parties.push(PartyInput {
                    role,
                    party_type,
                    name,
                    phone,
                    details: PartyDetails {
                        id_number,
                        address,
                        representative,
                    },
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
                figures,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
