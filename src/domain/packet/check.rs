//! The checks a packet passes on opening: its time of making, and each
//! summary row and official-report line within the period, of known codes
//! and exact amounts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{OfficialLine, OfficialRow, PacketError, PacketRow, RowProblem, SummaryRow, TEXT_MAX};
use crate::domain::official::{Figures, NationalType, SourceGroup};
use crate::domain::{Money, Status};

/// A packet's time of making in one spelling, UTC to the microsecond
/// (`2026-10-05T08:00:00.000000Z`), so that times compare as text.
pub(super) fn created_utc(text: &str) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(at.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// A month `2026-07` from `from` to `to`.
pub(super) fn month_within(at: &str, (from, to): (NaiveDate, NaiveDate)) -> bool {
    NaiveDate::parse_from_str(&format!("{at}-01"), "%Y-%m-%d")
        .is_ok_and(|day| at.len() == 7 && day >= from && day <= to)
}

pub(super) fn check_official(
    rows: &[OfficialRow],
    period: (NaiveDate, NaiveDate),
) -> Result<Vec<OfficialLine>, PacketError> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let bad = |problem| PacketError::BadRow {
                grain: "official",
                row: i + 1,
                problem,
            };
            let national_type = NationalType::from_code(&r.national_type).ok_or_else(|| bad(RowProblem::Code))?;
            let source_group = SourceGroup::from_code(&r.source_group).ok_or_else(|| bad(RowProblem::Code))?;
            if !month_within(&r.month, period) {
                return Err(bad(RowProblem::OutsidePeriod));
            }
            let counts = [
                r.accepted,
                r.settled,
                r.in_mediation,
                r.people,
                r.fulfilled,
                r.crime_cases,
                r.crime_people,
                r.petition_cases,
                r.petition_people,
            ];
            if counts.iter().any(|n| *n < 0) {
                return Err(bad(RowProblem::Negative));
            }
            let agreed = fen_of(&r.amount_agreed).ok_or_else(|| bad(RowProblem::Amount))?;
            if !seen.insert((r.month.clone(), national_type.code(), source_group.code())) {
                return Err(bad(RowProblem::Twice));
            }
            Ok(OfficialLine {
                month: r.month.clone(),
                national_type,
                source_group,
                figures: Figures {
                    accepted: r.accepted,
                    settled: r.settled,
                    in_mediation: r.in_mediation,
                    amount_agreed: Money::from_fen(agreed),
                    people: r.people,
                    fulfilled: r.fulfilled,
                    crime_cases: r.crime_cases,
                    crime_people: r.crime_people,
                    petition_cases: r.petition_cases,
                    petition_people: r.petition_people,
                },
            })
        })
        .collect()
}

/// Yuan with exactly two decimals, not negative, as fen.
pub(super) fn fen_of(text: &str) -> Option<i64> {
    let (_, decimals) = text.split_once('.')?;
    if decimals.len() != 2 || text.starts_with(['-', '+']) {
        return None;
    }
    let d: Decimal = text.parse().ok()?;
    (d * Decimal::from(100)).to_i64()
}

pub(super) fn check_rows(
    rows: &[PacketRow],
    grain: &'static str,
    within: impl Fn(&str) -> Option<()>,
) -> Result<Vec<SummaryRow>, PacketError> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let bad = |problem| PacketError::BadRow {
                grain,
                row: i + 1,
                problem,
            };
            if !matches!(r.dim.as_str(), "all" | "category" | "source" | "district") {
                return Err(bad(RowProblem::Dimension));
            }
            let code_ok = if r.dim == "all" {
                r.code.is_empty()
            } else {
                !r.code.is_empty() && r.code.chars().count() <= TEXT_MAX && !r.code.chars().any(char::is_control)
            };
            if !code_ok {
                return Err(bad(RowProblem::Code));
            }
            if Status::from_code(&r.status).is_none_or(|s| s == Status::Voided) {
                return Err(bad(RowProblem::Status));
            }
            if within(&r.at).is_none() {
                return Err(bad(RowProblem::OutsidePeriod));
            }
            let counts = [r.received, r.accepted, r.closed, r.close_days, r.fulfilled];
            if counts.iter().any(|n| *n < 0) {
                return Err(bad(RowProblem::Negative));
            }
            let claimed = fen_of(&r.claimed).ok_or_else(|| bad(RowProblem::Amount))?;
            let agreed = fen_of(&r.agreed).ok_or_else(|| bad(RowProblem::Amount))?;
            if !seen.insert((r.dim.clone(), r.code.clone(), r.at.clone(), r.status.clone())) {
                return Err(bad(RowProblem::Twice));
            }
            Ok(SummaryRow {
                dim: r.dim.clone(),
                code: r.code.clone(),
                at: r.at.clone(),
                status: r.status.clone(),
                received: r.received,
                claimed,
                accepted: r.accepted,
                agreed,
                closed: r.closed,
                close_days: r.close_days,
                fulfilled: r.fulfilled,
            })
        })
        .collect()
}
