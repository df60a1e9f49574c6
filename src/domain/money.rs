//! Money: integer fen inside, `rust_decimal` at the edges.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// An amount of yuan, held as integer fen. It cannot be negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a written amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a number")]
    NotANumber,
    #[error("negative")]
    Negative,
    #[error("more than two decimals")]
    TooManyDecimals,
    #[error("too large")]
    TooLarge,
}

/// The largest amount taken: one billion yuan.
pub const MAX_YUAN: i64 = 1_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    /// Wraps fen read from the database.
    pub fn from_fen(fen: i64) -> Money {
        Money(fen.max(0))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Parses what people type: `1234.5`, `1,234.50`, `¥800`, `1.5万`, `１２３` .
    /// An empty string is not an amount; callers decide whether blank means zero.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let mut text: String = input
            .trim()
            .chars()
            .map(|c| match c {
                // Full-width digits and punctuation from Chinese input methods.
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '，' => ',',
                '－' => '-',
                _ => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        for prefix in ["¥", "￥", "RMB", "CNY"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.to_string();
            }
        }
        let mut multiplier = Decimal::ONE;
        for (suffix, factor) in [("万元", 10_000), ("万", 10_000), ("元", 1)] {
            if let Some(rest) = text.strip_suffix(suffix) {
                text = rest.to_string();
                multiplier = Decimal::from(factor);
                break;
            }
        }
        if let Some(rest) = text.strip_prefix('-') {
            return match Decimal::from_str(&rest.replace(',', "")) {
                Ok(d) if !d.is_zero() => Err(MoneyError::Negative),
                Ok(_) => Ok(Money::ZERO),
                Err(_) => Err(MoneyError::NotANumber),
            };
        }
        if !valid_grouping(&text) {
            return Err(MoneyError::NotANumber);
        }
        let plain = text.replace(',', "");
        if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(MoneyError::NotANumber);
        }
        let value = Decimal::from_str(&plain).map_err(|_| MoneyError::NotANumber)?;
        let yuan = value.checked_mul(multiplier).ok_or(MoneyError::TooLarge)?.normalize();
        if yuan.scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if yuan > Decimal::from(MAX_YUAN) {
            return Err(MoneyError::TooLarge);
        }
        let fen = (yuan * Decimal::from(100)).trunc();
        Ok(Money(
            i64::try_from(fen.mantissa() / 10i128.pow(fen.scale())).map_err(|_| MoneyError::TooLarge)?,
        ))
    }

    /// `1234.50`: no separators, two decimals; for CSV and form inputs.
    pub fn plain(self) -> String {
        let mut out = String::new();
        self.push_plain(&mut out);
        out
    }

    /// [`Money::plain`] appended to `out`: a large export writes millions
    /// of amounts into one reused buffer instead of a String each.
    pub fn push_plain(self, out: &mut String) {
        use fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = write!(out, "{}.{:02}", self.0 / 100, self.0 % 100);
    }

    /// `136.1`: in 万元 with one decimal, rounded half up, for headlines.
    pub fn wan(self) -> String {
        // fen / 1_000_000 = 万元; keep one decimal.
        let tenths = (self.0 + 50_000) / 100_000;
        format!("{}.{}", tenths / 10, tenths % 10)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

/// Thousands separators, when present, must sit every three digits.
fn valid_grouping(text: &str) -> bool {
    if !text.contains(',') {
        return true;
    }
    let int = text.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3)
}

impl fmt::Display for Money {
    /// `¥1,234.50`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yuan = (self.0 / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "¥{}.{:02}", grouped, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(s: &str) -> i64 {
        Money::parse(s).unwrap().fen()
    }

    #[test]
    fn accepts_the_ways_people_write_amounts() {
        assert_eq!(fen("1234.5"), 123_450);
        assert_eq!(fen("1,234.50"), 123_450);
        assert_eq!(fen("¥800"), 80_000);
        assert_eq!(fen("￥800元"), 80_000);
        assert_eq!(fen("1.5万"), 1_500_000);
        assert_eq!(fen("136.1万元"), 136_100_000);
        assert_eq!(fen(" 0 "), 0);
        assert_eq!(fen("１２３．４"), 12_340);
        assert_eq!(fen("1000000000"), 100_000_000_000);
    }

    #[test]
    fn refuses_negative_fractional_fen_words_and_absurd_sums() {
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1.2345678万"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1.2345万"), Ok(Money::from_fen(1_234_500)));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("12,34"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("200000万"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn displays_with_separators_and_in_wan() {
        assert_eq!(Money::from_fen(123_450).to_string(), "¥1,234.50");
        assert_eq!(Money::from_fen(5).to_string(), "¥0.05");
        assert_eq!(Money::from_fen(136_100_000).to_string(), "¥1,361,000.00");
        assert_eq!(Money::from_fen(136_100_000).plain(), "1361000.00");
        assert_eq!(Money::from_fen(136_100_000).wan(), "136.1");
        assert_eq!(Money::from_fen(1_234_567_890).wan(), "1234.6");
        assert_eq!(Money::from_fen(0).wan(), "0.0");
    }
}
