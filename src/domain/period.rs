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

/// A period cut for the summary: whole years (`YYYY`, first and last),
/// the whole months outside them (`YYYY-MM`, first and last) and the days
/// of the partial months at the edges (`YYYY-MM-DD`, first and last), all
/// inclusive. Every day of the period is in exactly one part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub years: Option<(String, String)>,
    pub months: Vec<(String, String)>,
    pub days: Vec<(String, String)>,
}

fn split_range(from: NaiveDate, to: NaiveDate) -> Split {
    let day = |d: NaiveDate| d.to_string();
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
                days,
                ..split_months(start, end)
            }
        }
        _ if from <= to => Split {
            days: vec![(day(from), day(to))],
            ..Split::default()
        },
        _ => Split::default(),
    }
}

/// Whole months from `start` (a first of a month) to `end` (a last one) cut
/// into whole years and the months before and after them.
fn split_months(start: NaiveDate, end: NaiveDate) -> Split {
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let first_year = if start.month() == 1 {
        start.year()
    } else {
        start.year() + 1
    };
    let last_year = if end.month() == 12 { end.year() } else { end.year() - 1 };
    if first_year > last_year {
        return Split {
            months: vec![(month(start), month(end))],
            ..Split::default()
        };
    }
    let mut months = Vec::new();
    if first_year > start.year() {
        months.push((month(start), format!("{:04}-12", start.year())));
    }
    if last_year < end.year() {
        months.push((format!("{:04}-01", end.year()), month(end)));
    }
    Split {
        years: Some((format!("{first_year:04}"), format!("{last_year:04}"))),
        months,
        days: Vec::new(),
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

    /// The period as the summary reads it: its whole years, its other
    /// whole months, and the days of the partial months at its edges.
    /// Every day of the period is in exactly one part.
    pub fn split(&self) -> Split {
        let years = |a: String, b: String| Split {
            years: Some((a, b)),
            ..Split::default()
        };
        match *self {
            Period::All => years("0000".into(), "9999".into()),
            Period::Year(y) => years(format!("{y:04}"), format!("{y:04}")),
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

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn range(a: NaiveDate, b: NaiveDate) -> Split {
        Period::Range { from: a, to: b }.split()
    }

    #[test]
    fn a_range_is_read_as_whole_months_and_the_days_at_its_edges() {
        let split = range;
        let days = pairs;
        assert_eq!(
            split(d(2024, 1, 1), d(2024, 2, 29)),
            Split {
                years: None,
                months: days(&[("2024-01", "2024-02")]),
                days: vec![]
            }
        );
        assert_eq!(
            split(d(2023, 3, 15), d(2023, 9, 20)),
            Split {
                years: None,
                months: days(&[("2023-04", "2023-08")]),
                days: days(&[("2023-03-15", "2023-03-31"), ("2023-09-01", "2023-09-20")])
            }
        );
        // Within one month, or across two without a whole one: days only.
        assert_eq!(
            split(d(2024, 1, 2), d(2024, 1, 31)),
            Split {
                years: None,
                months: vec![],
                days: days(&[("2024-01-02", "2024-01-31")])
            }
        );
        assert_eq!(
            split(d(2024, 1, 20), d(2024, 2, 10)),
            Split {
                years: None,
                months: vec![],
                days: days(&[("2024-01-20", "2024-02-10")])
            }
        );
        assert_eq!(
            split(d(2023, 12, 1), d(2024, 1, 5)),
            Split {
                years: None,
                months: days(&[("2023-12", "2023-12")]),
                days: days(&[("2024-01-01", "2024-01-05")])
            }
        );
    }

    #[test]
    fn a_year_and_all_years_are_read_as_whole_years_only() {
        assert_eq!(
            Period::Year(2023).split(),
            Split {
                years: Some(("2023".into(), "2023".into())),
                months: vec![],
                days: vec![]
            }
        );
        assert_eq!(
            Period::All.split(),
            Split {
                years: Some(("0000".into(), "9999".into())),
                months: vec![],
                days: vec![]
            }
        );
        // A range that is a calendar year reads as the year does.
        assert_eq!(range(d(2023, 1, 1), d(2023, 12, 31)), Period::Year(2023).split());
    }

    #[test]
    fn a_quarter_is_read_as_its_months() {
        assert_eq!(
            range(d(2025, 4, 1), d(2025, 6, 30)),
            Split {
                years: None,
                months: pairs(&[("2025-04", "2025-06")]),
                days: vec![]
            }
        );
    }

    #[test]
    fn a_range_across_years_is_read_as_its_whole_years_then_months_then_days() {
        assert_eq!(
            range(d(2024, 6, 15), d(2026, 7, 10)),
            Split {
                years: Some(("2025".into(), "2025".into())),
                months: pairs(&[("2024-07", "2024-12"), ("2026-01", "2026-06")]),
                days: pairs(&[("2024-06-15", "2024-06-30"), ("2026-07-01", "2026-07-10")])
            }
        );
        // Whole years with whole months on one side only.
        assert_eq!(
            range(d(2023, 1, 1), d(2025, 2, 28)),
            Split {
                years: Some(("2023".into(), "2024".into())),
                months: pairs(&[("2025-01", "2025-02")]),
                days: vec![]
            }
        );
        // Across new year without a whole year: months on both sides.
        assert_eq!(
            range(d(2024, 11, 1), d(2025, 1, 31)),
            Split {
                years: None,
                months: pairs(&[("2024-11", "2025-01")]),
                days: vec![]
            }
        );
    }

    #[test]
    fn a_single_day_is_read_as_that_day() {
        assert_eq!(
            range(d(2024, 2, 29), d(2024, 2, 29)),
            Split {
                years: None,
                months: vec![],
                days: pairs(&[("2024-02-29", "2024-02-29")])
            }
        );
    }
}
