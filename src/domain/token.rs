//! API tokens (issue 16): what a token may do, how its secret looks, and
//! the rules of issuing one, shared by the users page and `accord token`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::fields::{FieldErrors, Problem, text};

codes! {
    /// What a token may do: read only, read and write, or nothing but send
    /// statistics packets (`POST /api/v1/rollup`, from a child installation).
    TokenScope {
        Read => "read",
        Write => "write",
        Rollup => "rollup",
    }
}

/// Every token starts so, which tells it apart from a password or a
/// session id in a log or a leaked file.
pub const PREFIX: &str = "acc_";

/// The longest label taken, in characters.
pub const LABEL_MAX: usize = 100;

/// The longest life a token can be given, in days (ten years).
pub const DAYS_MAX: u32 = 3650;

/// A new token: `acc_` and 32 random bytes in base64url (43 characters).
/// The secret is shown once; only [`hash`] of it is stored.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a token, in lowercase hex: what the database keeps. A
/// 256-bit random secret cannot be guessed, so no slow hash is needed.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a text has the shape of a token (so garbage is refused before
/// any database read).
pub fn well_formed(token: &str) -> bool {
    token
        .strip_prefix(PREFIX)
        .is_some_and(|rest| rest.len() == 43 && URL_SAFE_NO_PAD.decode(rest).is_ok_and(|b| b.len() == 32))
}

/// A token to issue, as typed on the users page or the command line.
#[derive(Debug, Clone, Default)]
pub struct IssueForm {
    pub scope: String,
    /// Days until it expires; blank for never.
    pub days: String,
    pub label: String,
}

/// A checked token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub scope: TokenScope,
    /// `None`: never expires.
    pub days: Option<u32>,
    pub label: String,
}

impl IssueForm {
    /// Checks the fields (`scope`, `days`, `label`), collecting every problem.
    pub fn validate(&self) -> Result<Issue, FieldErrors> {
        let mut errors = FieldErrors::default();
        let scope = TokenScope::from_code(self.scope.trim());
        if scope.is_none() {
            errors.add("scope", Problem::UnknownCode);
        }
        let days = match self.days.trim() {
            "" => None,
            d => match d.parse::<u32>() {
                Ok(n) if (1..=DAYS_MAX).contains(&n) => Some(n),
                _ => {
                    errors.add("days", Problem::UnknownCode);
                    None
                }
            },
        };
        let label = text(&mut errors, "label", &self.label, LABEL_MAX, false);
        match scope {
            Some(scope) if errors.is_empty() => Ok(Issue { scope, days, label }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_well_formed_and_its_hash_is_64_hex_digits() {
        let t = new_secret();
        assert!(t.starts_with("acc_") && t.len() == 47, "{t}");
        assert!(well_formed(&t));
        assert_ne!(t, new_secret());
        let h = hash(&t);
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!well_formed("acc_short"));
        assert!(!well_formed(&t.replace("acc_", "xyz_")));
    }

    #[test]
    fn days_are_blank_or_a_number_up_to_ten_years() {
        let form = |days: &str| IssueForm {
            scope: "read".into(),
            days: days.into(),
            label: "法院".into(),
        };
        assert_eq!(form("").validate().unwrap().days, None);
        assert_eq!(form("30").validate().unwrap().days, Some(30));
        for bad in ["0", "-1", "abc", "3651"] {
            assert_eq!(
                form(bad).validate().unwrap_err().get("days"),
                Some(Problem::UnknownCode)
            );
        }
        let bad_scope = IssueForm {
            scope: "admin".into(),
            ..form("")
        };
        assert_eq!(
            bad_scope.validate().unwrap_err().get("scope"),
            Some(Problem::UnknownCode)
        );
    }
}
