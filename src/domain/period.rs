//! The period a statistic covers: every year, one year, or a date range.

use chrono::{Datelike, NaiveDate};

use super::parse_date;

/// The days statistics count. Bounds are inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Since the first case.
    All,
    /// One calendar year.
    Year(i32),
    /// From one day to another, both included.
    Range { from: NaiveDate, to: NaiveDate },
}

/// A period cut for the summary: whole months (`YYYY-MM`, first and last)
/// and ranges of days (`YYYY-MM-DD`, first and last), all inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub months: Option<(String, String)>,
    pub days: Vec<(String, String)>,
}

fn split_range(from: NaiveDate, to: NaiveDate) -> Split {
    let day = |d: NaiveDate| d.to_string();
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let is_last_of_month = |d: NaiveDate| d.succ_opt().is_none_or(|next| next.month() != d.month());
    // The first day of the first whole month, the last of the last one.
    let start = if from.day() == 1 {
        Some(from)
    } else {
        from.with_day(1)
            .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
    };
    let end = if is_last_of_month(to) {
        Some(to)
    } else {
        to.with_day(1).and_then(|first| first.pred_opt())
    };
    match (start, end) {
        (Some(start), Some(end)) if start <= end => {
            let mut days = Vec::new();
            if let Some(before) = start.pred_opt().filter(|_| from < start) {
                days.push((day(from), day(before)));
            }
            if let Some(after) = end.succ_opt().filter(|_| end < to) {
                days.push((day(after), day(to)));
            }
            Split {
                months: Some((month(start), month(end))),
                days,
            }
        }
        _ if from <= to => Split {
            months: None,
            days: vec![(day(from), day(to))],
        },
        _ => Split::default(),
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("not a year from 1990 to 2100")]
    BadYear,
    #[error("not a date")]
    BadDate,
    #[error("the range needs both a start and an end")]
    HalfRange,
    #[error("the range ends before it starts")]
    Backwards,
    #[error("a year and a date range cannot be combined; give one or the other")]
    YearAndRange,
}

impl Period {
    /// Reads `year`, or `from` and `to`, as typed in the period selector or
    /// on the command line. Nothing at all means every year.
    pub fn parse(year: Option<&str>, from: Option<&str>, to: Option<&str>) -> Result<Period, PeriodError> {
        fn blank(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        match (blank(year), blank(from), blank(to)) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(PeriodError::YearAndRange),
            (None, Some(from), Some(to)) => {
                let from = parse_date(from).map_err(|_| PeriodError::BadDate)?;
                let to = parse_date(to).map_err(|_| PeriodError::BadDate)?;
                if to < from {
                    return Err(PeriodError::Backwards);
                }
                Ok(Period::Range { from, to })
            }
            (None, Some(_), None) | (None, None, Some(_)) => Err(PeriodError::HalfRange),
            (Some(year), None, None) => Period::year(year),
            (None, None, None) => Ok(Period::All),
        }
    }

    /// Reads a year such as `2023`.
    pub fn year(text: &str) -> Result<Period, PeriodError> {
        text.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .map(Period::Year)
            .ok_or(PeriodError::BadYear)
    }

    /// First and last day, inclusive, as ISO text (dates are stored so).
    /// Every year runs from `0000-01-01` to `9999-12-31`.
    pub fn bounds(&self) -> (String, String) {
        match *self {
            Period::All => ("0000-01-01".into(), "9999-12-31".into()),
            Period::Year(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
            Period::Range { from, to } => (from.to_string(), to.to_string()),
        }
    }

    /// The period as the summary reads it: its whole months, and the days
    /// of the partial months at its edges. Every day of the period is in
    /// exactly one part.
    pub fn split(&self) -> Split {
        let months = |a: String, b: String| Split {
            months: Some((a, b)),
            days: Vec::new(),
        };
        match *self {
            Period::All => months("0000-01".into(), "9999-12".into()),
            Period::Year(y) => months(format!("{y:04}-01"), format!("{y:04}-12")),
            Period::Range { from, to } => split_range(from, to),
        }
    }

    /// The query pairs of the period selector, for links that keep it.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        match *self {
            Period::All => vec![],
            Period::Year(y) => vec![("year", y.to_string())],
            Period::Range { from, to } => vec![("from", from.to_string()), ("to", to.to_string())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_a_year_a_range_or_nothing() {
        assert_eq!(Period::parse(Some("2023"), None, None), Ok(Period::Year(2023)));
        assert_eq!(Period::parse(None, None, None), Ok(Period::All));
        assert_eq!(Period::parse(Some(" "), Some(""), None), Ok(Period::All));
        assert_eq!(
            Period::parse(None, Some("2024/1/1"), Some("2024-03-31")),
            Ok(Period::Range {
                from: d(2024, 1, 1),
                to: d(2024, 3, 31)
            })
        );
        assert_eq!(
            Period::parse(Some("2025"), Some("2023-01-01"), None),
            Err(PeriodError::YearAndRange)
        );
        assert_eq!(Period::parse(Some("23"), None, None), Err(PeriodError::BadYear));
        assert_eq!(
            Period::parse(None, Some("2024-01-01"), None),
            Err(PeriodError::HalfRange)
        );
        assert_eq!(
            Period::parse(None, Some("2024-02-01"), Some("2024-01-31")),
            Err(PeriodError::Backwards)
        );
    }

    #[test]
    fn a_year_runs_from_new_year_to_new_years_eve() {
        assert_eq!(Period::Year(2023).bounds(), ("2023-01-01".into(), "2023-12-31".into()));
    }

    #[test]
    fn a_range_is_read_as_whole_months_and_the_days_at_its_edges() {
        let split = |a, b| Period::Range { from: a, to: b }.split();
        let days = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            split(d(2024, 1, 1), d(2024, 2, 29)),
            Split {
                months: Some(("2024-01".into(), "2024-02".into())),
                days: vec![]
            }
        );
        assert_eq!(
            split(d(2023, 3, 15), d(2023, 9, 20)),
            Split {
                months: Some(("2023-04".into(), "2023-08".into())),
                days: days(&[("2023-03-15", "2023-03-31"), ("2023-09-01", "2023-09-20")])
            }
        );
        // Within one month, or across two without a whole one: days only.
        assert_eq!(
            split(d(2024, 1, 2), d(2024, 1, 31)),
            Split {
                months: None,
                days: days(&[("2024-01-02", "2024-01-31")])
            }
        );
        assert_eq!(
            split(d(2024, 1, 20), d(2024, 2, 10)),
            Split {
                months: None,
                days: days(&[("2024-01-20", "2024-02-10")])
            }
        );
        assert_eq!(
            split(d(2023, 12, 1), d(2024, 1, 5)),
            Split {
                months: Some(("2023-12".into(), "2023-12".into())),
                days: days(&[("2024-01-01", "2024-01-05")])
            }
        );
        assert_eq!(
            Period::Year(2023).split().months,
            Some(("2023-01".into(), "2023-12".into()))
        );
    }
}
