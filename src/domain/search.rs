//! How the case list's search box reads its text: words, each of which
//! must match (so "赵平 海淀" finds 赵平's case in 海淀), and which words
//! may also be a party's phone number.

/// Whose parties' phone numbers a search may match. Never read from the
/// URL: set from who is asking (admins: every case; a mediator: the cases
/// they mediate; a secretary, who may not see phones: none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PhoneSearch {
    #[default]
    Off,
    AllCases,
    /// The cases of this mediator record.
    CasesOf(i64),
}

/// The most words a search takes; more are ignored.
pub const MAX_WORDS: usize = 8;

/// The words of a search, split at spaces (also the ideographic space).
pub fn words(q: &str) -> Vec<&str> {
    q.split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect()
}

/// The digits of a word that can be (the end of) a phone number: at least
/// four digits and nothing but digits, `-`, `+` and brackets. `+86` or
/// `0086` in front is dropped, as numbers are compared by their ends.
pub fn phone_digits(word: &str) -> Option<String> {
    if !word.chars().all(|c| c.is_ascii_digit() || "-+()（）".contains(c)) {
        return None;
    }
    let body = word
        .strip_prefix("+86")
        .or_else(|| word.strip_prefix("0086"))
        .unwrap_or(word);
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 4).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_split_into_words_and_digits_may_be_a_phone() {
        assert_eq!(words(" 赵平  海淀\u{3000}阳光 "), ["赵平", "海淀", "阳光"]);
        assert_eq!(words(&"a ".repeat(20)).len(), MAX_WORDS);
        assert_eq!(phone_digits("1234").as_deref(), Some("1234"));
        assert_eq!(phone_digits("+86 138").as_deref(), None);
        assert_eq!(phone_digits("+8613812341234").as_deref(), Some("13812341234"));
        assert_eq!(phone_digits("010-62345678").as_deref(), Some("01062345678"));
        assert_eq!(phone_digits("123"), None);
        assert_eq!(phone_digits("2023第7号"), None);
    }
}
