//! The pieces every workflow form is checked with: flaws, the case's
//! dates, and readers for date, text and code fields.

use chrono::NaiveDate;

use crate::domain::fields::{Problem, check_date, check_multiline_text, check_text};

/// What is wrong with one field of a workflow form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// One of the problems the case form knows too.
    Field(Problem),
    /// A date before the case was received.
    BeforeReceived,
    /// A date before the case was accepted.
    BeforeAccepted,
    /// A date before the agreement.
    BeforeAgreement,
    /// An agreement after the closing date.
    AfterClosing,
    /// A failed mediation names at least one route the parties were told of.
    NeedRoute,
}

/// All the flaws of one submission, keyed by form field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flaws(pub Vec<(String, Flaw)>);

impl Flaws {
    pub fn add(&mut self, field: &str, flaw: Flaw) {
        // The first flaw of a field is the one worth telling.
        if self.get(field).is_none() {
            self.0.push((field.to_string(), flaw));
        }
    }

    pub fn get(&self, field: &str) -> Option<Flaw> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, flaw)| *flaw)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The dates of the case an action is checked against.
#[derive(Debug, Clone, Copy)]
pub struct CaseDates {
    pub today: NaiveDate,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_on: Option<NaiveDate>,
}

/// A date field: present when `required`, a real date, not after today.
pub fn date_field(flaws: &mut Flaws, field: &str, raw: &str, today: NaiveDate, required: bool) -> Option<NaiveDate> {
    match check_date(raw, today) {
        Ok(None) if required => {
            flaws.add(field, Flaw::Field(Problem::Required));
            None
        }
        Ok(d) => d,
        Err(p) => {
            flaws.add(field, Flaw::Field(p));
            None
        }
    }
}

/// A one-line text field, trimmed, without control characters.
pub fn text_field(flaws: &mut Flaws, field: &str, raw: &str, max: usize, required: bool) -> String {
    let (value, problem) = check_text(raw, max, required);
    if let Some(p) = problem {
        flaws.add(field, Flaw::Field(p));
    }
    value
}

/// A multi-line text field, trimmed, with line ends normalised; tabs and
/// line breaks are its only control characters.
pub fn multiline_field(flaws: &mut Flaws, field: &str, raw: &str, max: usize, required: bool) -> String {
    let (value, problem) = check_multiline_text(raw, max, required);
    if let Some(p) = problem {
        flaws.add(field, Flaw::Field(p));
    }
    value
}

/// A choice from a closed list of codes.
pub fn code_field<T>(flaws: &mut Flaws, field: &str, raw: &str, from_code: fn(&str) -> Option<T>) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        flaws.add(field, Flaw::Field(Problem::Required));
        return None;
    }
    let value = from_code(raw);
    if value.is_none() {
        flaws.add(field, Flaw::Field(Problem::UnknownCode));
    }
    value
}

/// Refuses `date` before `floor`, with `flaw`.
pub fn not_before(flaws: &mut Flaws, field: &str, date: Option<NaiveDate>, floor: Option<NaiveDate>, flaw: Flaw) {
    if let (Some(d), Some(f)) = (date, floor)
        && d < f
    {
        flaws.add(field, flaw);
    }
}
