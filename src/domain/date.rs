//! Dates as people type them: ISO, `2023/9/21`, `2023年9月21日`.

use chrono::NaiveDate;

/// Why a written date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not a date")]
    NotADate,
    #[error("out of range")]
    OutOfRange,
}

/// Parses `2023-09-21`, `2023-9-21`, `2023/9/21`, `2023.9.21` or `2023年9月21日`.
/// Years before 1990 or after 2100 are refused as typing errors.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let text = input.trim();
    let normalised: String = text
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            _ => c,
        })
        .collect();
    let parts: Vec<&str> = normalised.split('-').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(DateError::NotADate);
    }
    if parts[0].len() != 4 || parts[1].len() > 2 || parts[2].len() > 2 {
        return Err(DateError::NotADate);
    }
    let (y, m, d): (i32, u32, u32) = (
        parts[0].parse().map_err(|_| DateError::NotADate)?,
        parts[1].parse().map_err(|_| DateError::NotADate)?,
        parts[2].parse().map_err(|_| DateError::NotADate)?,
    );
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NotADate)?;
    if !(1990..=2100).contains(&y) {
        return Err(DateError::OutOfRange);
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_slashes_and_chinese() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 21).unwrap();
        assert_eq!(parse_date("2023-09-21"), Ok(d));
        assert_eq!(parse_date("2023/9/21"), Ok(d));
        assert_eq!(parse_date("2023年9月21日"), Ok(d));
        assert_eq!(parse_date(" 2023.09.21 "), Ok(d));
    }

    #[test]
    fn refuses_impossible_and_garbled_dates() {
        assert_eq!(parse_date("2023-02-30"), Err(DateError::NotADate));
        assert_eq!(parse_date("21/9/2023"), Err(DateError::NotADate));
        assert_eq!(parse_date("yesterday"), Err(DateError::NotADate));
        assert_eq!(parse_date(""), Err(DateError::NotADate));
        assert_eq!(parse_date("1899-01-01"), Err(DateError::OutOfRange));
    }
}
