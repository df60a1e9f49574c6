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
    /// More parties on one side than a case takes.
    TooManyParties,
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
    /// Notes a field's problem; the first problem of a field is the one
    /// worth telling, so later ones are dropped.
    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push(FieldError { field, problem });
        }
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

/// A date field: present when `required`, a real date, not after today.
pub fn date_field(
    flaws: &mut FieldErrors,
    field: &str,
    raw: &str,
    today: NaiveDate,
    required: bool,
) -> Option<NaiveDate> {
    match check_date(raw, today) {
        Ok(None) if required => {
            flaws.add(field, Problem::Required);
            None
        }
        Ok(d) => d,
        Err(p) => {
            flaws.add(field, p);
            None
        }
    }
}

/// A choice from a closed list of codes.
pub fn code_field<T>(flaws: &mut FieldErrors, field: &str, raw: &str, from_code: fn(&str) -> Option<T>) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        flaws.add(field, Problem::Required);
        return None;
    }
    let value = from_code(raw);
    if value.is_none() {
        flaws.add(field, Problem::UnknownCode);
    }
    value
}

/// Refuses `date` before `floor`, with `flaw`.
pub fn not_before(
    flaws: &mut FieldErrors,
    field: &str,
    date: Option<NaiveDate>,
    floor: Option<NaiveDate>,
    flaw: Problem,
) {
    if let (Some(d), Some(f)) = (date, floor)
        && d < f
    {
        flaws.add(field, flaw);
    }
}
