//! Statistics as mediation reports define them (see DOMAIN.md):
//!
//! - cases (`cases_total`): received in the period; 涉及金额 sums their
//!   amount_claimed, so the cumulative line and the yearly figures add up;
//! - 受理 (`accepted`): accepted in the period; the settled, failed,
//!   withdrawn and in-mediation counts, 协议金额, days to close and
//!   fulfilment are over these cases, by their current status;
//! - 成功率 = settled ÷ accepted;
//! - declined and still-registered cases are counted among those received.
//!
//! Rates are kept as two integers and printed with integer arithmetic, so
//! `842 / 869` always prints `96.9`, never a float's neighbour.

use super::{Money, Period};

/// A fraction, printed as a percent with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
}

impl Rate {
    pub fn new(num: i64, den: i64) -> Rate {
        Rate { num, den }
    }

    /// `96.9` for 842 of 869, rounded half up; `0.0` when there is nothing to divide.
    pub fn percent(self) -> String {
        tenths(self.num * 100, self.den)
    }

    /// The percent, or `None` when there is nothing to divide (shown "—").
    pub fn shown(self) -> Option<String> {
        (self.den > 0).then(|| self.percent())
    }

    /// The percent in tenths (969 for 96.9%), for drawing.
    pub fn tenths(self) -> i64 {
        if self.den <= 0 {
            0
        } else {
            (self.num * 2000 + self.den) / (2 * self.den)
        }
    }
}

/// `num / den` with one decimal, rounded half up, by integer arithmetic.
pub fn tenths(num: i64, den: i64) -> String {
    if den <= 0 || num < 0 {
        return "0.0".into();
    }
    let t = (num * 20 + den) / (2 * den);
    format!("{}.{}", t / 10, t % 10)
}

/// A headline amount in millions of yuan with three decimals: the same
/// rounding as `Money::wan` (136.1万元 = 1.361 million yuan), for English.
pub fn millions(m: Money) -> String {
    let tenths_of_wan = (m.fen() + 50_000) / 100_000;
    format!("{}.{:03}", tenths_of_wan / 1000, tenths_of_wan % 1000)
}

/// The headline figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Cases received in the period.
    pub cases_total: i64,
    /// Their amount_claimed (涉及金额).
    pub amount_claimed: Money,
    /// Received in the period and still only registered.
    pub registered: i64,
    /// Received in the period and declined (不予受理).
    pub declined: i64,
    /// Cases accepted in the period (受理).
    pub accepted: i64,
    pub in_mediation: i64,
    pub settled: i64,
    pub failed: i64,
    pub withdrawn: i64,
    /// amount_agreed of the cases accepted in the period (协议金额).
    pub amount_agreed: Money,
    /// Accepted in the period and closed: how many, and their days from
    /// acceptance to closing added up.
    pub closed: i64,
    pub close_days: i64,
    /// Accepted in the period, settled, and their agreement fulfilled.
    pub fulfilled: i64,
    /// Accepted in the period, still in mediation, past the limit today.
    pub overdue: i64,
}

impl Totals {
    /// 成功率: settled ÷ accepted.
    pub fn success_rate(&self) -> Rate {
        Rate::new(self.settled, self.accepted)
    }

    /// Fulfilled agreements ÷ settled cases.
    pub fn fulfilment_rate(&self) -> Rate {
        Rate::new(self.fulfilled, self.settled)
    }

    /// Average days from acceptance to closing, one decimal; `None` when
    /// nothing closed.
    pub fn average_days_to_close(&self) -> Option<String> {
        (self.closed > 0).then(|| tenths(self.close_days, self.closed))
    }
}

/// One line of a breakdown (by category, source, district, mediator or month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The code (`fees`, `chaoyang` ...), the mediator's id, or `YYYY-MM`.
    pub key: String,
    /// The mediator's name; `None` for the other breakdowns.
    pub name: Option<String>,
    /// Received in the period.
    pub cases: i64,
    pub amount_claimed: Money,
    /// Accepted in the period.
    pub accepted: i64,
    pub settled: i64,
    /// Accepted in the period and still in mediation: while any are, the
    /// success rate is provisional (暂).
    pub in_mediation: i64,
    pub amount_agreed: Money,
}

impl Row {
    pub fn success_rate(&self) -> Rate {
        Rate::new(self.settled, self.accepted)
    }
}

/// The breakdowns people ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdowns {
    pub by_category: Vec<Row>,
    pub by_source: Vec<Row>,
    pub by_district: Vec<Row>,
    pub by_mediator: Vec<Row>,
    /// Months in order, `YYYY-MM`.
    pub by_month: Vec<Row>,
    /// For a supervisor (issue 15): each committee under their association,
    /// `key` its id and `name` its name; empty for everyone else.
    pub by_committee: Vec<Row>,
    /// Breakdowns left empty because more than [`UNCOUNTED_ABOVE`] cases
    /// match a filter the summary cannot answer for them (issue 12: shown
    /// as "10,000+", never counted by a walk over the cases).
    pub uncounted: Vec<Breakdown>,
}

/// Above this many matching cases a breakdown the summary cannot answer is
/// not counted.
pub const UNCOUNTED_ABOVE: i64 = 10_000;

/// A breakdown's dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Category,
    Source,
    District,
    Mediator,
    Month,
}

/// Everything the dashboard, the report and `accord stats` show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub period: Period,
    pub totals: Totals,
    pub breakdowns: Breakdowns,
}

/// Rolls months (`YYYY-MM`) up into years, for charts over long periods.
pub fn by_year(months: &[Row]) -> Vec<Row> {
    let mut years: Vec<Row> = Vec::new();
    for m in months {
        let year = m.key.get(..4).unwrap_or(&m.key);
        match years.last_mut() {
            Some(y) if y.key == year => {
                y.cases += m.cases;
                y.amount_claimed = Money::from_fen(y.amount_claimed.fen() + m.amount_claimed.fen());
                y.accepted += m.accepted;
                y.settled += m.settled;
                y.in_mediation += m.in_mediation;
                y.amount_agreed = Money::from_fen(y.amount_agreed.fen() + m.amount_agreed.fen());
            }
            _ => years.push(Row {
                key: year.to_string(),
                ..m.clone()
            }),
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_print_one_decimal_rounded_half_up() {
        assert_eq!(Rate::new(842, 869).percent(), "96.9");
        assert_eq!(Rate::new(1, 3).percent(), "33.3");
        assert_eq!(Rate::new(2, 3).percent(), "66.7");
        assert_eq!(Rate::new(1, 8).percent(), "12.5");
        assert_eq!(Rate::new(1, 16).percent(), "6.3");
        assert_eq!(Rate::new(5, 5).percent(), "100.0");
        assert_eq!(Rate::new(0, 0).percent(), "0.0");
        assert_eq!(Rate::new(842, 869).tenths(), 969);
        assert_eq!(Rate::new(0, 0).shown(), None);
        assert_eq!(Rate::new(0, 2).shown().as_deref(), Some("0.0"));
    }

    #[test]
    fn millions_carry_the_same_rounding_as_wan() {
        assert_eq!(millions(Money::from_fen(136_100_000)), "1.361");
        assert_eq!(Money::from_fen(1_234_567_890).wan(), "1234.6");
        assert_eq!(millions(Money::from_fen(1_234_567_890)), "12.346");
        assert_eq!(millions(Money::ZERO), "0.000");
    }

    #[test]
    fn average_days_to_close_needs_a_closed_case() {
        let t = Totals {
            closed: 3,
            close_days: 10,
            ..Totals::default()
        };
        assert_eq!(t.average_days_to_close().as_deref(), Some("3.3"));
        assert_eq!(Totals::default().average_days_to_close(), None);
    }

    #[test]
    fn months_roll_up_into_years() {
        let row = |key: &str, cases| Row {
            key: key.into(),
            name: None,
            cases,
            amount_claimed: Money::from_fen(100),
            accepted: cases,
            settled: 1,
            in_mediation: 0,
            amount_agreed: Money::ZERO,
        };
        let years = by_year(&[row("2023-11", 2), row("2023-12", 3), row("2024-01", 4)]);
        assert_eq!(years.len(), 2);
        assert_eq!(
            (years[0].key.as_str(), years[0].cases, years[0].settled),
            ("2023", 5, 2)
        );
        assert_eq!(years[0].amount_claimed, Money::from_fen(200));
        assert_eq!((years[1].key.as_str(), years[1].cases), ("2024", 4));
    }
}
