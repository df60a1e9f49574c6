//! Statistics, aggregated in SQL (definitions in `domain::stats`).
//!
//! Two ways to the same numbers: the `stats_monthly` summary (migration
//! 0005, kept exact by triggers) answers whole-month periods with no filter
//! for users who see every case, which is the dashboard at a million cases;
//! everything else is aggregated from `cases` directly, narrowed by the
//! indexes on the dates and the filters. Tests check both agree.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

mod breakdowns;
mod bulk;
mod overdue;

pub use breakdowns::breakdowns;
use breakdowns::breakdowns_via;
pub use bulk::{add_deferred, defer};
use overdue::overdue_count;
pub use overdue::{OverdueRow, overdue, summary_drift, years};

use super::cases::{Scope, push_filter};
use crate::domain::stats::{Breakdowns, Row, Stats, Totals};
use crate::domain::{CaseFilter, Deadlines, Money, Period, RefList};

/// Which cases count in statistics, as SQL on a `status` column: every
/// status but `voided` (a case registered by mistake is in no statistic,
/// DOMAIN.md). The one place the rule is written. `stats_monthly` keeps a
/// row per status, voided too, so it stays exact through a void; every
/// reader of it, and of `cases`, filters with this.
macro_rules! counted {
    () => {
        "status <> 'voided'"
    };
}
pub(crate) use counted;

/// [`counted!`] as a constant, for queries built at run time.
pub const COUNTED: &str = counted!();

/// Narrows a query over `cases c` to the cases that count.
fn push_counted(qb: &mut QueryBuilder<Sqlite>) {
    qb.push(" AND c.").push(COUNTED);
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
    fn code(self) -> &'static str {
        match self {
            Dim::Category => "category",
            Dim::Source => "source",
            Dim::District => "district",
            Dim::Mediator => "mediator",
            Dim::Month => "all",
        }
    }

    /// How the rows are put in order: reference lists by their own order,
    /// mediators by name, months by date. Fixed SQL, never user input.
    fn order(self) -> (&'static str, &'static str) {
        let list = |l: RefList| match l {
            RefList::Category => "LEFT JOIN categories r ON r.code = x.key ORDER BY r.sort, x.key",
            RefList::Source => "LEFT JOIN sources r ON r.code = x.key ORDER BY r.sort, x.key",
            RefList::District => "LEFT JOIN districts r ON r.code = x.key ORDER BY r.sort, x.key",
            RefList::PartyType => "ORDER BY x.key",
        };
        match self {
            Dim::Category => ("NULL", list(RefList::Category)),
            Dim::Source => ("NULL", list(RefList::Source)),
            Dim::District => ("NULL", list(RefList::District)),
            Dim::Mediator => (
                "m.name",
                "LEFT JOIN mediators m ON m.id = CAST(x.key AS INTEGER) ORDER BY m.name, CAST(x.key AS INTEGER)",
            ),
            Dim::Month => ("NULL", "ORDER BY x.key"),
        }
    }
}

/// Everything for a period: totals and breakdowns.
#[tracing::instrument(skip(pool))]
pub async fn stats(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Stats, sqlx::Error> {
    stats_via(pool, period, filter, scope, deadlines, Via::Best).await
}

/// [`stats`], read the way asked.
pub async fn stats_via(
    pool: &SqlitePool,
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

/// The summary answers whole months with no filter for a user who sees all.
fn summary_months(period: &Period, filter: &CaseFilter, scope: Scope, via: Via) -> Option<(String, String)> {
    if via == Via::Cases || !filter.is_empty() || scope != Scope::All {
        return None;
    }
    period.whole_months()
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
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Totals, sqlx::Error> {
    totals_via(pool, period, filter, scope, deadlines, Via::Best).await
}

async fn totals_via(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Totals, sqlx::Error> {
    let row: TotalsRow = match summary_months(period, filter, scope, via) {
        Some((from, to)) => {
            sqlx::query_as(concat!(
                "SELECT COALESCE(SUM(received), 0) AS cases_total, COALESCE(SUM(claimed), 0) AS amount_claimed,
                    COALESCE(SUM(CASE status WHEN 'registered' THEN received END), 0) AS registered,
                    COALESCE(SUM(CASE status WHEN 'declined' THEN received END), 0) AS declined,
                    COALESCE(SUM(accepted), 0) AS accepted,
                    COALESCE(SUM(CASE status WHEN 'in_mediation' THEN accepted END), 0) AS in_mediation,
                    COALESCE(SUM(CASE status WHEN 'settled' THEN accepted END), 0) AS settled,
                    COALESCE(SUM(CASE status WHEN 'failed' THEN accepted END), 0) AS failed,
                    COALESCE(SUM(CASE status WHEN 'withdrawn' THEN accepted END), 0) AS withdrawn,
                    COALESCE(SUM(agreed), 0) AS amount_agreed, COALESCE(SUM(closed), 0) AS closed,
                    COALESCE(SUM(close_days), 0) AS close_days,
                    COALESCE(SUM(CASE status WHEN 'settled' THEN fulfilled END), 0) AS fulfilled
                 FROM stats_monthly WHERE dim = 'all' AND code = '' AND month BETWEEN ? AND ? AND ",
                counted!()
            ))
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?
        }
        None => {
            let (from, to) = period.bounds();
            let mut qb = QueryBuilder::<Sqlite>::new(
                "SELECT COALESCE(SUM(r), 0) AS cases_total, COALESCE(SUM(r * amount_claimed), 0) AS amount_claimed,
                    COALESCE(SUM(r * (status = 'registered')), 0) AS registered,
                    COALESCE(SUM(r * (status = 'declined')), 0) AS declined,
                    COALESCE(SUM(a), 0) AS accepted,
                    COALESCE(SUM(a * (status = 'in_mediation')), 0) AS in_mediation,
                    COALESCE(SUM(a * (status = 'settled')), 0) AS settled,
                    COALESCE(SUM(a * (status = 'failed')), 0) AS failed,
                    COALESCE(SUM(a * (status = 'withdrawn')), 0) AS withdrawn,
                    COALESCE(SUM(a * COALESCE(amount_agreed, 0)), 0) AS amount_agreed,
                    COALESCE(SUM(a * (closed_on IS NOT NULL)), 0) AS closed,
                    COALESCE(SUM(a * COALESCE(CAST(julianday(closed_on) - julianday(accepted_on) AS INTEGER), 0)), 0)
                        AS close_days,
                    COALESCE(SUM(a * (status = 'settled') * (fulfilment IS 'fulfilled')), 0) AS fulfilled
                 FROM (SELECT c.status, c.amount_claimed, c.amount_agreed, c.closed_on, c.accepted_on, c.fulfilment,",
            );
            push_part_flags(&mut qb, &from, &to);
            qb.push(" FROM cases c WHERE ");
            push_in_period(&mut qb, &from, &to);
            push_filter(&mut qb, filter, scope, deadlines);
            push_counted(&mut qb);
            qb.push(")");
            qb.build_query_as().fetch_one(pool).await?
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

/// `r` (received in the period) and `a` (accepted in it), as 0 or 1.
fn push_part_flags(qb: &mut QueryBuilder<Sqlite>, from: &str, to: &str) {
    qb.push(" COALESCE(c.received_on BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(", 0) AS r, COALESCE(c.accepted_on BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(", 0) AS a");
}

/// Received or accepted in the period: two ranges the indexes can serve.
fn push_in_period(qb: &mut QueryBuilder<Sqlite>, from: &str, to: &str) {
    qb.push("(c.received_on BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(" OR c.accepted_on BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(")");
}
