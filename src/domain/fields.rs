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
    /// Neither a mainland ID number (18 characters, check digit right) nor
    /// a document number of letters and digits.
    BadIdNumber,
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
    /// NUL or another control character; in a one-line field also a tab
    /// or a line break.
    ControlChar,
    /// More parties on one side than the setting allows (the limit).
    TooManyParties(usize),
    /// A correction without its reason.
    NeedReason,
    /// Not a whole number of people in range (issue 16: the official report's counts).
    NotACount,
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

/// Trims a one-line text field and checks it (see [`check_text`]).
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) -> String {
    let (value, problem) = check_text(value, max, required);
    if let Some(p) = problem {
        errors.add(field, p);
    }
    value
}

/// Trims a multi-line text field and checks it (see [`check_multiline_text`]).
pub fn multiline_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) -> String {
    let (value, problem) = check_multiline_text(value, max, required);
    if let Some(p) = problem {
        errors.add(field, p);
    }
    value
}

/// The rule for every one-line text field (names, projects, labels):
/// trimmed, present when required, at most `max` characters, and no
/// control character at all, not even a tab or a line break.
pub fn check_text(raw: &str, max: usize, required: bool) -> (String, Option<Problem>) {
    check(raw, max, required, Lines::One)
}

/// The rule for every multi-line text field (summaries, notes, terms):
/// as [`check_text`], but tabs and line breaks are kept, with line ends
/// normalised to `\n` so stored text is the same from any browser.
pub fn check_multiline_text(raw: &str, max: usize, required: bool) -> (String, Option<Problem>) {
    check(raw, max, required, Lines::Many)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Many,
}

/// The one text rule. Control characters are refused rather than removed:
/// a NUL or an escape in a name is a mistake (or an attack) the person
/// should see, and silently changed text would differ from what they typed.
fn check(raw: &str, max: usize, required: bool, lines: Lines) -> (String, Option<Problem>) {
    let value = raw.trim();
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\t' | '\n' | '\r');
    let problem = if required && value.is_empty() {
        Some(Problem::Required)
    } else if value.chars().any(|c| c.is_control() && !allowed(c)) {
        Some(Problem::ControlChar)
    } else if value.chars().count() > max {
        Some(Problem::TooLong)
    } else {
        None
    };
    (value.replace("\r\n", "\n").replace('\r', "\n"), problem)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_or_another_control_character_is_refused_in_any_text_field() {
        for raw in ["\0", "张\0三", "a\u{1b}[31m", "x\u{7f}", "y\u{85}z"] {
            assert_eq!(check_text(raw, 200, true).1, Some(Problem::ControlChar), "{raw:?}");
            assert_eq!(
                check_multiline_text(raw, 200, true).1,
                Some(Problem::ControlChar),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn tabs_and_line_breaks_are_kept_only_in_multi_line_fields() {
        assert_eq!(check_text("张\t三", 200, true).1, Some(Problem::ControlChar));
        assert_eq!(check_text("张\n三", 200, true).1, Some(Problem::ControlChar));
        assert_eq!(
            check_multiline_text("第一行\r\n\t第二行\r第三行", 200, true),
            ("第一行\n\t第二行\n第三行".to_string(), None)
        );
        // Surrounding whitespace is trimmed, not refused.
        assert_eq!(check_text("  张三\n", 200, true), ("张三".to_string(), None));
    }
}
