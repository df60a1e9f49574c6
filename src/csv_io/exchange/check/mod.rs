//! A document's cases checked into the store's values, every problem
//! collected with the case and field it is in. The values are checked by
//! the domain's own rules (money, phones, ID numbers, codes) and, for the
//! reference lists, against this installation's lists.

use chrono::NaiveDate;
use serde_json::Value;

mod records;

use records::{attachment, party, session, visit};

use super::document::DocCase;
use super::problem::{CaseRef, Problem, Refusal};
use crate::domain::case::PartyInput;
use crate::domain::fields::{Problem as FieldProblem, check_multiline_text};
use crate::domain::official::fields::PEOPLE_MAX;
use crate::domain::reference::RefLists;
use crate::domain::{Money, PartyRole, RefList};
use crate::store::exchange::fields::is_route;
use crate::store::exchange::{ExCase, FIELDS, Kind, Val, Values};

/// The problems of one case, each with its field's path.
struct Problems<'a> {
    case: &'a DocCase,
    found: Vec<Refusal>,
}

impl Problems<'_> {
    fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.found.push(Refusal {
            case: Some(case_ref(self.case)),
            field: field.into(),
            problem,
        });
    }

    /// A value of a closed list, or the problem noted.
    fn code<T>(&mut self, field: &str, value: &str, from: fn(&str) -> Option<T>) -> Option<T> {
        let v = from(value);
        if v.is_none() {
            self.add(field, Problem::UnknownCode(value.to_string()));
        }
        v
    }

    /// Text as the forms take it: no NUL or other control character
    /// besides tabs and line breaks (the value itself is kept as sent).
    fn text(&mut self, field: &str, value: &str) {
        if let (_, Some(FieldProblem::ControlChar)) = check_multiline_text(value, usize::MAX, false) {
            self.add(field, Problem::Field(FieldProblem::ControlChar));
        }
    }

    fn date(&mut self, field: &str, value: &str) -> Option<NaiveDate> {
        let d = strict_date(value);
        if d.is_none() {
            self.add(field, Problem::BadDate);
        }
        d
    }

    fn opt_date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        value.and_then(|v| self.date(field, v))
    }

    /// A code of one of this installation's reference lists (retired
    /// codes too: the case may have been registered before).
    fn reference(&mut self, refs: &RefLists, list: RefList, field: &str, value: &str) {
        if !refs.list(list).iter().any(|i| i.code == value) {
            self.add(field, Problem::UnknownCode(value.to_string()));
        }
    }
}

/// The case a refusal names.
pub fn case_ref(c: &DocCase) -> CaseRef {
    CaseRef {
        uuid: c.uuid.clone(),
        case_no: c.case_no.clone(),
    }
}

/// `2026-11-29`, exactly.
fn strict_date(s: &str) -> Option<NaiveDate> {
    (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// `1234.50`: digits, a point, two decimals, as the format writes money;
/// then the domain's rules (no more than the largest amount).
fn strict_money(s: &str) -> Option<i64> {
    let (int, dec) = s.split_once('.')?;
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || dec.len() != 2 || !digits(dec) {
        return None;
    }
    Money::parse(s).ok().map(Money::fen)
}

/// A lowercase UUID, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Sixty-four lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks one case; its values, or every problem found in it.
pub fn case(c: &DocCase, refs: &RefLists) -> Result<ExCase, Vec<Refusal>> {
    let mut p = Problems {
        case: c,
        found: Vec::new(),
    };
    if !is_uuid(&c.uuid) {
        p.add("uuid", Problem::BadUuid);
    }
    for (i, m) in c.mediators.iter().enumerate() {
        p.text(&format!("mediators[{i}]"), m);
    }
    for (i, h) in c.history.iter().enumerate() {
        let by = h.by.as_deref().unwrap_or("");
        for (f, v) in [
            ("at", h.at.as_str()),
            ("by", by),
            ("entity", &h.entity),
            ("action", &h.action),
        ] {
            p.text(&format!("history[{i}].{f}"), v);
        }
    }
    for key in c.fields.keys() {
        if !FIELDS.iter().any(|f| f.name == key) {
            p.add(format!("fields.{key}"), Problem::UnknownField);
        }
    }
    let fields = Values(
        FIELDS
            .iter()
            .map(|f| {
                field(
                    &mut p,
                    refs,
                    f.name,
                    f.kind,
                    c.fields.get(f.name).unwrap_or(&Value::Null),
                )
            })
            .collect(),
    );
    let mut parties: Vec<PartyInput> = c
        .parties
        .iter()
        .enumerate()
        .filter_map(|(i, d)| party(&mut p, refs, i, d))
        .collect();
    // Applicants first, each side in the file's order, as they are read.
    parties.sort_by_key(|x| x.role != PartyRole::Applicant);
    let sessions = c
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| session(&mut p, i, s))
        .collect();
    let visits = c
        .visits
        .iter()
        .enumerate()
        .filter_map(|(i, v)| visit(&mut p, i, v))
        .collect();
    let attachments = c
        .attachments
        .iter()
        .enumerate()
        .filter_map(|(i, a)| attachment(&mut p, i, a))
        .collect();
    if !p.found.is_empty() {
        return Err(p.found);
    }
    Ok(ExCase {
        uuid: c.uuid.clone(),
        case_no: c.case_no.clone(),
        committee_prefix: c.committee_prefix.clone(),
        fields,
        parties,
        mediators: names(&c.mediators),
        sessions,
        visits,
        attachments,
        history: c.history.clone(),
    })
}

/// Names in byte order without repeats, as they are read back.
fn names(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn field(p: &mut Problems<'_>, refs: &RefLists, name: &str, kind: Kind, v: &Value) -> Val {
    let path = format!("fields.{name}");
    let text = v.as_str();
    let counted = matches!(kind, Kind::People | Kind::Prevented);
    let wrong_type = if counted {
        !(v.is_null() || v.is_i64())
    } else {
        !(v.is_null() || v.is_string() || (kind == Kind::Routes && v.is_array()))
    };
    if wrong_type {
        p.add(&path, Problem::Shape(format!("{v}")));
        return Val::Text(None);
    }
    let required = matches!(kind, Kind::Date | Kind::Text | Kind::Code(_) | Kind::Ref(_));
    if required && v.is_null() {
        p.add(&path, Problem::Field(FieldProblem::Required));
    }
    match kind {
        Kind::Date | Kind::OptDate => Val::Date(text.and_then(|t| p.date(&path, t))),
        Kind::Claimed | Kind::OptMoney => Val::Fen(text.and_then(|t| {
            let fen = strict_money(t);
            if fen.is_none() {
                p.add(&path, Problem::BadMoney);
            }
            fen
        })),
        Kind::Code(list) | Kind::OptCode(list) => {
            if let Some(t) = text.filter(|t| !list.knows(t)) {
                p.add(&path, Problem::UnknownCode(t.to_string()));
            }
            Val::Text(text.map(str::to_string))
        }
        Kind::Ref(list) => {
            if let Some(t) = text {
                p.reference(refs, list, &path, t);
            }
            Val::Text(text.map(str::to_string))
        }
        Kind::Text | Kind::OptText => {
            if let Some(t) = text {
                p.text(&path, t);
            }
            Val::Text(text.map(str::to_string))
        }
        Kind::People | Kind::Prevented => {
            let least = if kind == Kind::People { 1 } else { 0 };
            let n = v.as_i64();
            if n.is_some_and(|n| n < least || n > i64::from(PEOPLE_MAX)) {
                p.add(&path, Problem::Field(FieldProblem::NotACount));
            }
            Val::Count(n.filter(|n| *n > 0))
        }
        Kind::Routes => {
            let mut routes = Vec::new();
            for (i, r) in v.as_array().into_iter().flatten().enumerate() {
                match r.as_str() {
                    Some(code) if is_route(code) => routes.push(code),
                    _ => p.add(format!("{path}[{i}]"), Problem::UnknownCode(r.to_string())),
                }
            }
            Val::Text((!routes.is_empty()).then(|| routes.join(",")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_taken_only_as_digits_with_two_decimals() {
        assert_eq!(strict_money("1361000.00"), Some(136_100_000));
        assert_eq!(strict_money("0.50"), Some(50));
        for bad in ["12", "12.5", "1,234.50", "¥8.00", "-1.00", "1.5万", ".50", "12.500"] {
            assert_eq!(strict_money(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_uuid_is_lowercase_hex_in_five_groups() {
        assert!(is_uuid("0f3c2a10-8b4e-4d2a-9c1e-5a6b7c8d9e0f"));
        assert!(!is_uuid("0F3C2A10-8B4E-4D2A-9C1E-5A6B7C8D9E0F"));
        assert!(!is_uuid("0f3c2a10-8b4e-4d2a-9c1e"));
        let fresh = crate::store::cases::new_uuid();
        assert!(is_uuid(&fresh), "{fresh}");
        assert_eq!(&fresh[14..15], "4", "version 4");
        assert!("89ab".contains(&fresh[19..20]), "the RFC 4122 variant");
    }
}
