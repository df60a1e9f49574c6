//! Telephone numbers: mainland mobiles and landlines.

/// A checked phone number, kept as typed less spaces; may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a mainland mobile or landline number")]
pub struct PhoneError;

impl Phone {
    /// Accepts `13812341234`, `+86 138 1234 1234`, `010-62345678`,
    /// `(010)62345678`, `62345678`, `010-62345678-123`, or blank.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Ok(Phone(text));
        }
        let body = text
            .strip_prefix("+86")
            .or_else(|| text.strip_prefix("0086"))
            .unwrap_or(&text);
        let body = body.strip_prefix('-').unwrap_or(body);
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        if !body.chars().all(|c| c.is_ascii_digit() || "-()（）".contains(c)) {
            return Err(PhoneError);
        }
        let mobile = digits.len() == 11
            && digits.starts_with('1')
            && !body.contains(['(', '（'])
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        let landline = {
            // Optional area code 0xx or 0xxx, 7 or 8 digit number, optional extension.
            let mut parts = body.split(['-', '(', ')', '（', '）']).filter(|p| !p.is_empty());
            let first = parts.next().unwrap_or("");
            let (area, number) = if first.starts_with('0') {
                (Some(first), parts.next().unwrap_or(""))
            } else {
                (None, first)
            };
            let ext = parts.next();
            let area_ok = area.is_none_or(|a| (3..=4).contains(&a.len()));
            let number_ok = (7..=8).contains(&number.len()) && !number.starts_with(['0', '1']);
            let ext_ok = ext.is_none_or(|e| (1..=6).contains(&e.len()));
            area_ok
                && number_ok
                && ext_ok
                && parts.next().is_none()
                && !(area.is_none() && digits.len() > 8 && ext.is_none())
        };
        if mobile || landline {
            Ok(Phone(if mobile { digits } else { body.to_string() }))
        } else {
            Err(PhoneError)
        }
    }

    /// Wraps a number already checked, as read from the database.
    pub fn from_stored(s: String) -> Phone {
        Phone(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `138****1234`: the first three and last four digits.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any stored phone text: keeps the first three and last four characters.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str("****");
    out.extend(&chars[chars.len() - 4..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobiles_landlines_and_blank() {
        assert_eq!(Phone::parse("13812341234").unwrap().as_str(), "13812341234");
        assert_eq!(Phone::parse("+86 138 1234 1234").unwrap().as_str(), "13812341234");
        assert!(Phone::parse("010-62345678").is_ok());
        assert!(Phone::parse("(010)62345678").is_ok());
        assert!(Phone::parse("0755-8234567").is_ok());
        assert!(Phone::parse("62345678").is_ok());
        assert!(Phone::parse("010-62345678-123").is_ok());
        assert!(Phone::parse("  ").unwrap().is_empty());
    }

    #[test]
    fn refuses_what_cannot_be_dialled() {
        for bad in [
            "12345",
            "1381234123",
            "23812341234",
            "abc",
            "138-1234-12345",
            "12812341234",
            "555-CALL",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn masks_the_middle_digits() {
        assert_eq!(Phone::parse("13812341234").unwrap().masked(), "138****1234");
    }
}
