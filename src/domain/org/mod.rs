//! Organisations (issue 15): associations, national, provincial or city,
//! and under them the mediation committees (调委会) that number and keep
//! cases. One installation holds one tree of them.

codes! {
    /// An association oversees; a committee mediates and numbers cases.
    OrgKind { Association => "association", Committee => "committee", }
}

codes! {
    /// The level of an association (全国 / 省级 / 市级).
    OrgLevel { National => "national", Provincial => "provincial", City => "city", }
}

/// A region's code of GB/T 2260: six digits, e.g. `110105` (朝阳区).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a region code is six digits (GB/T 2260), e.g. 110105")]
pub struct RegionCodeError;

impl RegionCode {
    /// Six ASCII digits whose first two name a province (11 to 82), as
    /// typed less surrounding spaces.
    pub fn parse(input: &str) -> Result<RegionCode, RegionCodeError> {
        let text = input.trim();
        let digits = text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return Err(RegionCodeError);
        }
        let province: u32 = text[..2].parse().map_err(|_| RegionCodeError)?;
        if !(11..=82).contains(&province) {
            return Err(RegionCodeError);
        }
        Ok(RegionCode(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A committee's case-number prefix (e.g. `物调`, `朝调`): what stands
/// before `〔2026〕第0001号`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePrefix(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a case-number prefix is 1 to 10 characters, without spaces, brackets or digits")]
pub struct CasePrefixError;

impl CasePrefix {
    pub fn parse(input: &str) -> Result<CasePrefix, CasePrefixError> {
        let text = input.trim();
        let n = text.chars().count();
        let clean = text
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !c.is_ascii_digit() && !"〔〕[]()（）".contains(c));
        if (1..=10).contains(&n) && clean {
            Ok(CasePrefix(text.to_string()))
        } else {
            Err(CasePrefixError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

mod rules;
pub use rules::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_code_is_six_digits_of_a_province() {
        assert_eq!(RegionCode::parse(" 110105 ").unwrap().as_str(), "110105");
        assert_eq!(RegionCode::parse("820000").unwrap().as_str(), "820000");
        for bad in ["", "11010", "1101050", "11010x", "000000", "990000", "１１０１０５"] {
            assert_eq!(RegionCode::parse(bad), Err(RegionCodeError), "{bad:?}");
        }
    }

    #[test]
    fn a_case_prefix_is_a_short_word_without_digits_or_brackets() {
        assert_eq!(CasePrefix::parse(" 朝调 ").unwrap().as_str(), "朝调");
        for bad in ["", "朝 调", "调1", "调〔", "一二三四五六七八九十一"] {
            assert_eq!(CasePrefix::parse(bad), Err(CasePrefixError), "{bad:?}");
        }
    }
}
