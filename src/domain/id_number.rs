//! Identity document numbers of parties (身份证号码 and others).
//!
//! The choice: a number of digits (with a final X) is a mainland resident
//! identity card and must be one (18 characters, the GB 11643 check digit
//! right), so a slip of one digit is caught when typed. Anything else made
//! of letters, digits, brackets and hyphens (a passport, a Hong Kong, Macau
//! or Taiwan card, a 港澳居民来往内地通行证) is taken as written, 5 to 30
//! characters: the committee cannot check those, and refusing them would
//! leave such a party without a number on the documents.

/// A checked ID number; may be empty (the field is optional).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a mainland ID number or a document number")]
pub struct IdNumberError;

impl IdNumber {
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Ok(IdNumber(text));
        }
        let mainland_like = text
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || (i + 1 == text.len() && matches!(c, 'x' | 'X')));
        if mainland_like {
            let text = text.to_ascii_uppercase();
            return if mainland_valid(&text) {
                Ok(IdNumber(text))
            } else {
                Err(IdNumberError)
            };
        }
        let other_ok = (5..=30).contains(&text.chars().count())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || "()-（）".contains(c));
        if other_ok {
            Ok(IdNumber(text.to_ascii_uppercase()))
        } else {
            Err(IdNumberError)
        }
    }

    /// Wraps a number already checked, as read from the database.
    pub fn from_stored(s: String) -> IdNumber {
        IdNumber(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// 18 characters, 17 digits and a check character by ISO 7064 MOD 11-2.
fn mainland_valid(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let mut sum = 0;
    for (c, w) in chars[..17].iter().zip(WEIGHTS) {
        match c.to_digit(10) {
            Some(d) => sum += d * w,
            None => return false,
        }
    }
    CHECK[(sum % 11) as usize] == chars[17]
}

/// Masks stored ID text for screens and exports: the first four and last
/// four characters stay (`1101**********123X`); a short number is all stars
/// but its last character.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() >= 10 {
        let mut out: String = chars[..4].iter().collect();
        out.push_str(&"*".repeat(chars.len() - 8));
        out.extend(&chars[chars.len() - 4..]);
        out
    } else if chars.is_empty() {
        String::new()
    } else {
        let mut out = "*".repeat(chars.len() - 1);
        out.push(chars[chars.len() - 1]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_numbers_need_their_check_character() {
        assert_eq!(
            IdNumber::parse("11010519491231002X").unwrap().as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            IdNumber::parse(" 11010519491231002x ").unwrap().as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            IdNumber::parse("110101199003071233").unwrap().as_str(),
            "110101199003071233"
        );
        // One digit wrong, too short, the old 15-digit card.
        for bad in ["11010519491231003X", "11010519491231002", "110105491231002"] {
            assert!(IdNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn other_documents_are_taken_as_written() {
        assert_eq!(IdNumber::parse("A123456(7)").unwrap().as_str(), "A123456(7)");
        assert_eq!(IdNumber::parse("e12345678").unwrap().as_str(), "E12345678");
        assert!(IdNumber::parse("").unwrap().is_empty());
        for bad in ["AB1", "abc!defg", "身份证123456"] {
            assert!(IdNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masks_all_but_the_ends() {
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
        assert_eq!(mask("E12345678"), "********8");
        assert_eq!(mask(""), "");
    }
}
