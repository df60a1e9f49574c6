//! Field rules shared by every form and the CSV import: what can be wrong
//! with a field, and the checks for text and dates.

use chrono::NaiveDate;

use super::date::DateError;
use super::money::MoneyError;
use super::parse_date;

/// What is wrong with one field. The web and CSV layers turn it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    Money(MoneyError),
    NotADate,
    DateOutOfRange,
    DateInFuture,
    BadPhone,
    TooLong,
    UnknownCode,
    NeedApplicant,
    NeedRespondent,
    NeedMediator,
    UnknownMediator,
    Duplicate,
    PasswordTooShort,
    BadCode,
}

/// One field's problem, keyed by the form field name; repeated fields
/// carry their row as `name.N` (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// All the problems of one submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    pub fn get(&self, field: &str) -> Option<Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| e.problem)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Trims a text field and checks it is present and not too long.
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) -> String {
    let (value, problem) = check_text(value, max, required);
    if let Some(p) = problem {
        errors.add(field, p);
    }
    value
}

/// The rule for every text field: trimmed, line ends normalised (so stored
/// text is the same from any browser), present when required, at most
/// `max` characters. Returns the text and its problem, if any.
pub fn check_text(raw: &str, max: usize, required: bool) -> (String, Option<Problem>) {
    let value = raw.trim();
    let problem = if required && value.is_empty() {
        Some(Problem::Required)
    } else if value.chars().count() > max {
        Some(Problem::TooLong)
    } else {
        None
    };
    (value.replace("\r\n", "\n"), problem)
}

/// The rule for every date field: blank is `Ok(None)`; otherwise a real
/// date in range and not after today.
pub fn check_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match parse_date(raw) {
        Ok(d) if d > today => Err(Problem::DateInFuture),
        Ok(d) => Ok(Some(d)),
        Err(DateError::OutOfRange) => Err(Problem::DateOutOfRange),
        Err(DateError::NotADate) => Err(Problem::NotADate),
    }
}
