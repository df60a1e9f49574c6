//! Statistics, aggregated in SQL (definitions in `domain::stats`).
//!
//! Two ways to the same numbers. The summary (`stats_monthly`, migration
//! 0005, `stats_daily`, migration 0018, and `stats_yearly`, migration 0038,
//! kept exact by triggers) answers any period: whole years from the yearly
//! rows, the other whole months from the monthly ones, the days of the
//! partial months at its edges from the daily ones (`Period::split`). It
//! also answers a filter on the status and on one of category, source,
//! district or mediator, for the totals, the months and that filter's own
//! breakdown. Everything else is
//! aggregated from `cases`, starting from a mediator's own cases when the
//! scope or a filter names one. Tests check both ways agree.
//!
//! The summary is kept per committee (migration 0027): a committee's scope
//! reads its own rows, a supervisor's subtree those of its committees
//! (`committees`), and the whole installation committee 0's.

use chrono::NaiveDate;

mod arrays;
mod breakdowns;
mod bulk;
mod committees;
pub mod official;
mod overdue;
mod oversight;
mod summary;
mod tally;

pub use breakdowns::breakdowns;
use breakdowns::breakdowns_via;
pub use bulk::{add_tallied, defer};
pub use committees::{by_committee, rollup_scope, subtree_committees};
use overdue::overdue_count;
pub use overdue::{OverdueRow, overdue, summary_drift, years};
pub use oversight::{Committees, OVERSIGHT_PAGE, OVERSIGHT_PAGES, OversightCase, oversight_cases};
use summary::{Grain, Summary, push_cases, push_summary_rows};
pub use tally::{CaseFigures, Tally, TallyRows};

/// Which cases count in the statistics, as a condition on the `status` of
/// a case (`cases c`) or of a summary row: every status but `voided` (a
/// case registered by mistake is in no statistic, DOMAIN.md). The summary
/// tables keep a row per status, voided too, so they stay exact through a
/// void; every reader of them, and of `cases`, narrows with this.
const COUNTED: &str = "status <> 'voided'";

use super::cases::{Scope, push_filter};
use super::sql::Sql;
use super::{Backend, dialect};
use crate::domain::stats::{Breakdown, Breakdowns, Row, Stats, Totals, UNCOUNTED_ABOVE};
use crate::domain::{CaseFilter, Deadlines, Money, Period};

/// The number every change to what the statistics read moves forward
/// (migration 0025): equal numbers, equal figures.
pub async fn data_version(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    crate::on_db!(pool, |e| sqlx::query_scalar("SELECT n FROM data_version")
        .fetch_one(e)
        .await)
}

/// [`data_version`] on a connection already taken.
pub async fn data_version_in(conn: &mut crate::store::Conn<'_>) -> Result<i64, sqlx::Error> {
    crate::on_db!(conn, |e| sqlx::query_scalar("SELECT n FROM data_version")
        .fetch_one(e)
        .await)
}

/// Which way the numbers are read; tests ask for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The summary when it can answer, the cases otherwise.
    Best,
    /// Always the cases themselves.
    Cases,
}

/// A breakdown's dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dim {
    Category,
    Source,
    District,
    Mediator,
    Month,
}

impl Dim {
    fn breakdown(self) -> Breakdown {
        match self {
            Dim::Category => Breakdown::Category,
            Dim::Source => Breakdown::Source,
            Dim::District => Breakdown::District,
            Dim::Mediator => Breakdown::Mediator,
            Dim::Month => Breakdown::Month,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Dim::Category => "category",
            Dim::Source => "source",
            Dim::District => "district",
            Dim::Mediator => "mediator",
            Dim::Month => "all",
        }
    }

    /// A row's name, the join that gives it, and the order of the rows:
    /// reference lists by their own order, mediators by name, months by
    /// date. Fixed SQL over the grouped rows `x`, never user input.
    fn order(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Dim::Category => ("NULL", "LEFT JOIN categories r ON r.code = x.key", "r.sort, x.key"),
            Dim::Source => ("NULL", "LEFT JOIN sources r ON r.code = x.key", "r.sort, x.key"),
            Dim::District => ("NULL", "LEFT JOIN districts r ON r.code = x.key", "r.sort, x.key"),
            Dim::Mediator => (
                "m.name",
                "LEFT JOIN mediators m ON m.id = CAST(x.key AS BIGINT)",
                "m.name, CAST(x.key AS BIGINT)",
            ),
            Dim::Month => ("NULL", "", "x.key"),
        }
    }
}

/// Everything for a period: totals and breakdowns.
#[tracing::instrument(skip(pool))]
pub async fn stats(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Stats, sqlx::Error> {
    stats_via(pool, period, filter, scope, deadlines, Via::Best).await
}

/// [`stats`], read the way asked.
pub async fn stats_via(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Stats, sqlx::Error> {
    Ok(Stats {
        period: *period,
        totals: totals_via(pool, period, filter, scope, deadlines, via).await?,
        breakdowns: breakdowns_via(pool, period, filter, scope, deadlines, via).await?,
    })
}

#[derive(sqlx::FromRow)]
struct TotalsRow {
    cases_total: i64,
    amount_claimed: i64,
    registered: i64,
    declined: i64,
    accepted: i64,
    in_mediation: i64,
    settled: i64,
    failed: i64,
    withdrawn: i64,
    amount_agreed: i64,
    closed: i64,
    close_days: i64,
    fulfilled: i64,
}

/// The headline figures of a period.
pub async fn totals(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Totals, sqlx::Error> {
    totals_via(pool, period, filter, scope, deadlines, Via::Best).await
}

async fn totals_via(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Totals, sqlx::Error> {
    let b = pool.backend();
    let row: TotalsRow = match Summary::for_totals(filter, scope, via) {
        Some(summary) => {
            let mut q = Sql::new(
                "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS cases_total,
                    CAST(COALESCE(SUM(claimed), 0) AS BIGINT) AS amount_claimed,
                    CAST(COALESCE(SUM(CASE status WHEN 'registered' THEN received END), 0) AS BIGINT) AS registered,
                    CAST(COALESCE(SUM(CASE status WHEN 'declined' THEN received END), 0) AS BIGINT) AS declined,
                    CAST(COALESCE(SUM(accepted), 0) AS BIGINT) AS accepted,
                    CAST(COALESCE(SUM(CASE status WHEN 'in_mediation' THEN accepted END), 0) AS BIGINT) AS in_mediation,
                    CAST(COALESCE(SUM(CASE status WHEN 'settled' THEN accepted END), 0) AS BIGINT) AS settled,
                    CAST(COALESCE(SUM(CASE status WHEN 'failed' THEN accepted END), 0) AS BIGINT) AS failed,
                    CAST(COALESCE(SUM(CASE status WHEN 'withdrawn' THEN accepted END), 0) AS BIGINT) AS withdrawn,
                    CAST(COALESCE(SUM(agreed), 0) AS BIGINT) AS amount_agreed,
                    CAST(COALESCE(SUM(closed), 0) AS BIGINT) AS closed,
                    CAST(COALESCE(SUM(close_days), 0) AS BIGINT) AS close_days,
                    CAST(COALESCE(SUM(CASE status WHEN 'settled' THEN fulfilled END), 0) AS BIGINT) AS fulfilled
                 FROM",
            );
            push_summary_rows(&mut q, &summary, period, Grain::Years);
            q.fetch_one(pool).await?
        }
        None => {
            let (from, to) = date_bounds(period);
            let mut q = Sql::new(format!(
                "SELECT CAST(COALESCE(SUM(r), 0) AS BIGINT) AS cases_total,
                    CAST(COALESCE(SUM(r * amount_claimed), 0) AS BIGINT) AS amount_claimed,
                    CAST(COALESCE(SUM(CASE status WHEN 'registered' THEN r ELSE 0 END), 0) AS BIGINT) AS registered,
                    CAST(COALESCE(SUM(CASE status WHEN 'declined' THEN r ELSE 0 END), 0) AS BIGINT) AS declined,
                    CAST(COALESCE(SUM(a), 0) AS BIGINT) AS accepted,
                    CAST(COALESCE(SUM(CASE status WHEN 'in_mediation' THEN a ELSE 0 END), 0) AS BIGINT) AS in_mediation,
                    CAST(COALESCE(SUM(CASE status WHEN 'settled' THEN a ELSE 0 END), 0) AS BIGINT) AS settled,
                    CAST(COALESCE(SUM(CASE status WHEN 'failed' THEN a ELSE 0 END), 0) AS BIGINT) AS failed,
                    CAST(COALESCE(SUM(CASE status WHEN 'withdrawn' THEN a ELSE 0 END), 0) AS BIGINT) AS withdrawn,
                    CAST(COALESCE(SUM(a * COALESCE(amount_agreed, 0)), 0) AS BIGINT) AS amount_agreed,
                    CAST(COALESCE(SUM(CASE WHEN closed_on IS NOT NULL THEN a ELSE 0 END), 0) AS BIGINT) AS closed,
                    CAST(COALESCE(SUM(a * COALESCE({close_days}, 0)), 0) AS BIGINT) AS close_days,
                    CAST(COALESCE(SUM(CASE WHEN status = 'settled' AND fulfilment IS NOT DISTINCT FROM 'fulfilled'
                        THEN a ELSE 0 END), 0) AS BIGINT) AS fulfilled
                 FROM (SELECT c.status, c.amount_claimed, c.amount_agreed, c.closed_on, c.accepted_on, c.fulfilment,",
                close_days = dialect::days_between(b, "closed_on", "accepted_on"),
            ));
            push_part_flags(&mut q, from, to);
            push_cases(&mut q, b, filter, scope);
            q.push(" WHERE ");
            push_in_period(&mut q, from, to);
            push_filter(&mut q, b, filter, scope, deadlines);
            q.push(") t");
            q.fetch_one(pool).await?
        }
    };
    Ok(Totals {
        cases_total: row.cases_total,
        amount_claimed: Money::from_fen(row.amount_claimed),
        registered: row.registered,
        declined: row.declined,
        accepted: row.accepted,
        in_mediation: row.in_mediation,
        settled: row.settled,
        failed: row.failed,
        withdrawn: row.withdrawn,
        amount_agreed: Money::from_fen(row.amount_agreed),
        closed: row.closed,
        close_days: row.close_days,
        fulfilled: row.fulfilled,
        overdue: overdue_count(pool, period, filter, scope, deadlines).await?,
    })
}

/// A date's month or day key as the summary tables hold it
/// ([`dialect::month_key`], [`dialect::day_key`]).
type DateKey = fn(Backend, &str) -> String;

/// The first and last day of a period, as dates to bind (`Period::bounds`
/// writes them as text). The open ends of "all" are year 0 and 9999,
/// which both backends hold.
fn date_bounds(period: &Period) -> (NaiveDate, NaiveDate) {
    let (from, to) = period.bounds();
    let parse = |d: &str, or: NaiveDate| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or(or);
    (parse(&from, NaiveDate::MIN), parse(&to, NaiveDate::MAX))
}

/// The join that reads its left side first: SQLite's `CROSS JOIN`, which
/// its planner never reorders; PostgreSQL plans a plain join by the sizes
/// it knows (and reads no `ON` after `CROSS JOIN`).
fn ids_first(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "CROSS JOIN",
        Backend::Postgres => "JOIN",
    }
}

/// `r` (received in the period) and `a` (accepted in it), as 0 or 1.
fn push_part_flags(q: &mut Sql, from: NaiveDate, to: NaiveDate) {
    q.push(" CASE WHEN c.received_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(" THEN 1 ELSE 0 END AS r, CASE WHEN c.accepted_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(" THEN 1 ELSE 0 END AS a");
}

/// Received or accepted in the period (two ranges the indexes can serve),
/// and counted.
fn push_in_period(q: &mut Sql, from: NaiveDate, to: NaiveDate) {
    q.push(COUNTED)
        .push(" AND (c.received_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(" OR c.accepted_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(")");
}
