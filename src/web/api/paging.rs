//! The case list's cursor: the last case of a page (received date and id),
//! opaque to clients (base64url), and the `next` link that carries it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;

use crate::domain::case::{FieldErrors, Problem};
use crate::store::cases::After;

/// Cases a page holds unless `limit` says otherwise.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most cases a page holds.
pub const MAX_LIMIT: i64 = 200;

/// A page asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAsked {
    pub limit: i64,
    pub after: Option<After>,
}

/// Reads `limit` and `cursor`; a value that cannot be read is a field problem.
pub fn read(pairs: &[(String, String)], errors: &mut FieldErrors) -> PageAsked {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim());
    let limit = match get("limit").filter(|v| !v.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.add("limit", Problem::UnknownCode);
                DEFAULT_LIMIT
            }
        },
    };
    let after = match get("cursor").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            let decoded = decode(v);
            if decoded.is_none() {
                errors.add("cursor", Problem::UnknownCode);
            }
            decoded
        }
    };
    PageAsked { limit, after }
}

/// The cursor after a case.
pub fn encode(after: After) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", after.received_on, after.id))
}

fn decode(cursor: &str) -> Option<After> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (day, id) = text.split_once('|')?;
    Some(After {
        received_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
        id: id.parse().ok()?,
    })
}

/// The next page's URL: the same query with `cursor` (and `limit`) set.
pub fn next_link(pairs: &[(String, String)], limit: i64, cursor: &str) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != "cursor" && k != "limit")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let limit = limit.to_string();
    kept.push(("limit", &limit));
    kept.push(("cursor", cursor));
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    format!("/api/v1/cases?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_case_it_follows_and_garbage_is_a_problem() {
        let after = After {
            received_on: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            id: 42,
        };
        let pairs = vec![("cursor".to_string(), encode(after)), ("limit".into(), "10".into())];
        let mut errors = FieldErrors::default();
        assert_eq!(
            read(&pairs, &mut errors),
            PageAsked {
                limit: 10,
                after: Some(after)
            }
        );
        assert!(errors.is_empty());
        let bad = vec![("cursor".to_string(), "!!".to_string()), ("limit".into(), "0".into())];
        read(&bad, &mut errors);
        assert!(errors.get("cursor").is_some() && errors.get("limit").is_some());
    }
}
