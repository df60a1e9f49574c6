//! The official statistics (issue 16): the Ministry of Justice's
//! people's-mediation statistics as committees file them monthly,
//! quarterly and yearly (DOMAIN.md, "The national statistics").
//!
//! - [`NationalType`] and [`SourceGroup`]: the national lists Accord's own
//!   categories and sources are mapped onto (an admin edits the mapping);
//! - [`OfficialPeriod`]: `2026-07`, `2026-Q3` or `2026`;
//! - [`CaseFigures`]: the three case fields the report needs;
//! - [`report`]: the figures and how they add up.

use chrono::{Datelike, NaiveDate};

pub mod fields;
pub mod mapping;
pub mod report;

pub use fields::{CaseFigures, FiguresForm};
pub use mapping::Mapping;
pub use report::{Cell, Figures, OfficialReport};

codes! {
    /// 纠纷类型 in the national list, in its order.
    NationalType {
        MarriageFamily => "marriage_family",
        Neighbourhood => "neighbourhood",
        HousingLand => "housing_land",
        Contract => "contract",
        Business => "business",
        Damages => "damages",
        ForestLand => "forest_land",
        LandRequisition => "land_requisition",
        Environment => "environment",
        Labour => "labour",
        Consumer => "consumer",
        Medical => "medical",
        Traffic => "traffic",
        Property => "property",
        Other => "other",
    }
}

impl NationalType {
    /// What a category no admin has mapped counts as: a property-management
    /// committee's disputes are 物业 unless said otherwise.
    pub const UNMAPPED: NationalType = NationalType::Property;

    /// DOMAIN.md's default for one of Accord's category codes.
    pub fn default_for(category: &str) -> NationalType {
        match category {
            "neighbour" => NationalType::Neighbourhood,
            "safety_loss" => NationalType::Damages,
            _ => NationalType::Property,
        }
    }
}

codes! {
    /// 案件来源 in the three national groups.
    SourceGroup {
        // 主动调解
        Initiative => "initiative",
        // 申请调解
        Application => "application",
        // 接受委托移送调解
        Referral => "referral",
    }
}

impl SourceGroup {
    /// What a source no admin has mapped counts as.
    pub const UNMAPPED: SourceGroup = SourceGroup::Application;

    /// DOMAIN.md's default for one of Accord's source codes.
    pub fn default_for(source: &str) -> SourceGroup {
        match source {
            "committee_initiative" => SourceGroup::Initiative,
            "party_application" | "hotline_12345" => SourceGroup::Application,
            _ => SourceGroup::Referral,
        }
    }
}

/// The periods the report is filed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficialPeriod {
    /// `2026-07`
    Month(i32, u32),
    /// `2026-Q3`
    Quarter(i32, u32),
    /// `2026`
    Year(i32),
}

/// Why a period could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfficialPeriodError {
    #[error("write a month (2026-07), a quarter (2026-Q3) or a year (2026)")]
    Unreadable,
    #[error("the year must be from 1990 to 2100")]
    YearOutOfRange,
    #[error("the month must be from 01 to 12")]
    BadMonth,
    #[error("the quarter must be Q1 to Q4")]
    BadQuarter,
}

impl OfficialPeriod {
    /// Reads `2026-07` (also `2026-7`), `2026-Q3` (also `2026-q3`) or `2026`,
    /// surrounding blanks ignored.
    pub fn parse(text: &str) -> Result<OfficialPeriod, OfficialPeriodError> {
        use OfficialPeriodError as E;
        let text = text.trim();
        let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
        let (year, rest) = match text.split_once('-') {
            Some((y, rest)) => (y, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 || !digits(year) {
            return Err(E::Unreadable);
        }
        let year: i32 = year.parse().map_err(|_| E::Unreadable)?;
        if !(1990..=2100).contains(&year) {
            return Err(E::YearOutOfRange);
        }
        let Some(rest) = rest else {
            return Ok(OfficialPeriod::Year(year));
        };
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            if !digits(q) {
                return Err(E::Unreadable);
            }
            return match q.parse::<u32>() {
                Ok(q @ 1..=4) => Ok(OfficialPeriod::Quarter(year, q)),
                _ => Err(E::BadQuarter),
            };
        }
        if !digits(rest) || rest.len() > 2 {
            return Err(E::Unreadable);
        }
        match rest.parse::<u32>() {
            Ok(m @ 1..=12) => Ok(OfficialPeriod::Month(year, m)),
            _ => Err(E::BadMonth),
        }
    }

    /// The period containing `day`, quarterly: the report's usual default.
    pub fn quarter_of(day: NaiveDate) -> OfficialPeriod {
        OfficialPeriod::Quarter(day.year(), day.month0() / 3 + 1)
    }

    /// First and last day, both included.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
        let (from, months) = match self {
            OfficialPeriod::Month(y, m) => (first(y, m), 1),
            OfficialPeriod::Quarter(y, q) => (first(y, (q - 1) * 3 + 1), 3),
            OfficialPeriod::Year(y) => (first(y, 1), 12),
        };
        let to = from
            .checked_add_months(chrono::Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(from);
        (from, to)
    }

    /// The period as typed back: `2026-07`, `2026-Q3`, `2026`.
    pub fn code(self) -> String {
        match self {
            OfficialPeriod::Month(y, m) => format!("{y:04}-{m:02}"),
            OfficialPeriod::Quarter(y, q) => format!("{y:04}-Q{q}"),
            OfficialPeriod::Year(y) => format!("{y:04}"),
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
    fn a_month_a_quarter_and_a_year_are_inclusive_date_ranges() {
        let p = |t| OfficialPeriod::parse(t).unwrap();
        assert_eq!(p("2026-07").bounds(), (d(2026, 7, 1), d(2026, 7, 31)));
        assert_eq!(p("2024-2").bounds(), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(p("2026-Q3").bounds(), (d(2026, 7, 1), d(2026, 9, 30)));
        assert_eq!(p(" 2026-q4 ").bounds(), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(p("2026-Q1").bounds(), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(p("2026").bounds(), (d(2026, 1, 1), d(2026, 12, 31)));
        assert_eq!(p("2026-12").bounds(), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(p("2026-Q3").code(), "2026-Q3");
        assert_eq!(p("2026-7").code(), "2026-07");
    }

    #[test]
    fn a_bad_period_is_a_clear_problem_never_a_panic() {
        use OfficialPeriodError as E;
        for (text, problem) in [
            ("", E::Unreadable),
            ("Q3", E::Unreadable),
            ("26-Q3", E::Unreadable),
            ("2026-", E::Unreadable),
            ("2026-Q", E::Unreadable),
            ("2026-Qx", E::Unreadable),
            ("2026-07-01", E::Unreadable),
            ("二〇二六", E::Unreadable),
            ("2026-+7", E::Unreadable),
            ("99999999999999999999", E::Unreadable),
            ("1989", E::YearOutOfRange),
            ("2101-Q1", E::YearOutOfRange),
            ("2026-13", E::BadMonth),
            ("2026-00", E::BadMonth),
            ("2026-Q5", E::BadQuarter),
            ("2026-Q0", E::BadQuarter),
        ] {
            assert_eq!(OfficialPeriod::parse(text), Err(problem), "{text:?}");
        }
    }

    #[test]
    fn the_default_quarter_is_the_one_of_the_day() {
        assert_eq!(
            OfficialPeriod::quarter_of(d(2026, 11, 28)),
            OfficialPeriod::Quarter(2026, 4)
        );
        assert_eq!(
            OfficialPeriod::quarter_of(d(2026, 3, 31)),
            OfficialPeriod::Quarter(2026, 1)
        );
    }

    #[test]
    fn accord_codes_map_by_default_as_domain_md_says() {
        assert_eq!(NationalType::default_for("neighbour"), NationalType::Neighbourhood);
        assert_eq!(NationalType::default_for("safety_loss"), NationalType::Damages);
        assert_eq!(NationalType::default_for("fees"), NationalType::Property);
        assert_eq!(
            SourceGroup::default_for("committee_initiative"),
            SourceGroup::Initiative
        );
        assert_eq!(SourceGroup::default_for("hotline_12345"), SourceGroup::Application);
        assert_eq!(SourceGroup::default_for("court_referral"), SourceGroup::Referral);
        assert_eq!(NationalType::ALL.len(), 15);
    }
}
