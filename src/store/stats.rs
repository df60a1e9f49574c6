//! Statistics, aggregated in SQL (definitions in `domain::stats`).
//!
//! Two ways to the same numbers: the `stats_monthly` summary (migration
//! 0005, kept exact by triggers) answers whole-month periods with no filter
//! for users who see every case, which is the dashboard at a million cases;
//! everything else is aggregated from `cases` directly, narrowed by the
//! indexes on the dates and the filters. Tests check both agree.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::cases::{Scope, push_filter};
use crate::domain::stats::{Breakdowns, Row, Stats, Totals};
use crate::domain::{CaseFilter, Deadlines, Money, Period, RefList};

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
            sqlx::query_as(
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
                 FROM stats_monthly WHERE dim = 'all' AND code = '' AND month BETWEEN ? AND ?",
            )
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

/// The breakdowns by category, source, district, mediator and month. The
/// CSV export of statistics reads these too.
pub async fn breakdowns(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Breakdowns, sqlx::Error> {
    breakdowns_via(pool, period, filter, scope, deadlines, Via::Best).await
}

async fn breakdowns_via(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Breakdowns, sqlx::Error> {
    let months = summary_months(period, filter, scope, via);
    let mut out = Breakdowns::default();
    for dim in [Dim::Category, Dim::Source, Dim::District, Dim::Mediator, Dim::Month] {
        let rows = match &months {
            Some((from, to)) => from_summary(pool, dim, from, to).await?,
            None => from_cases(pool, dim, period, filter, scope, deadlines).await?,
        };
        match dim {
            Dim::Category => out.by_category = rows,
            Dim::Source => out.by_source = rows,
            Dim::District => out.by_district = rows,
            Dim::Mediator => out.by_mediator = rows,
            Dim::Month => out.by_month = rows,
        }
    }
    Ok(out)
}

type RowTuple = (String, Option<String>, i64, i64, i64, i64, i64);

fn to_rows(tuples: Vec<RowTuple>) -> Vec<Row> {
    tuples
        .into_iter()
        .map(|(key, name, cases, claimed, accepted, settled, agreed)| Row {
            key,
            name,
            cases,
            amount_claimed: Money::from_fen(claimed),
            accepted,
            settled,
            amount_agreed: Money::from_fen(agreed),
        })
        .collect()
}

/// The outer query every breakdown shares: name, totals per key, order.
fn push_outer(qb: &mut QueryBuilder<Sqlite>, dim: Dim) {
    let (name, _) = dim.order();
    qb.push(format!(
        "SELECT x.key, {name}, x.cases, x.claimed, x.accepted, x.settled, x.agreed FROM ("
    ));
}

async fn from_summary(pool: &SqlitePool, dim: Dim, from: &str, to: &str) -> Result<Vec<Row>, sqlx::Error> {
    let key = if dim == Dim::Month { "month" } else { "code" };
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_outer(&mut qb, dim);
    qb.push(format!(
        "SELECT {key} AS key, SUM(received) AS cases, SUM(claimed) AS claimed, SUM(accepted) AS accepted,
            SUM(CASE status WHEN 'settled' THEN accepted ELSE 0 END) AS settled, SUM(agreed) AS agreed
         FROM stats_monthly WHERE dim = "
    ));
    qb.push_bind(dim.code())
        .push(" AND month BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(format!(
            " GROUP BY {key} HAVING SUM(received) <> 0 OR SUM(accepted) <> 0) x {}",
            dim.order().1
        ));
    Ok(to_rows(qb.build_query_as().fetch_all(pool).await?))
}

async fn from_cases(
    pool: &SqlitePool,
    dim: Dim,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Vec<Row>, sqlx::Error> {
    let (from, to) = period.bounds();
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_outer(&mut qb, dim);
    if dim == Dim::Month {
        // A case counts in the month it was received and in the month it
        // was accepted: two parts, added up per month.
        qb.push(
            "SELECT key, SUM(r) AS cases, SUM(claimed) AS claimed, SUM(a) AS accepted, SUM(settled) AS settled,
                SUM(agreed) AS agreed FROM (
             SELECT substr(c.received_on, 1, 7) AS key, 1 AS r, c.amount_claimed AS claimed, 0 AS a,
                0 AS settled, 0 AS agreed FROM cases c WHERE c.received_on BETWEEN ",
        );
        qb.push_bind(from.clone()).push(" AND ").push_bind(to.clone());
        push_filter(&mut qb, filter, scope, deadlines);
        qb.push(
            " UNION ALL SELECT substr(c.accepted_on, 1, 7), 0, 0, 1, c.status = 'settled',
                COALESCE(c.amount_agreed, 0) FROM cases c WHERE c.accepted_on BETWEEN ",
        );
        qb.push_bind(from).push(" AND ").push_bind(to);
        push_filter(&mut qb, filter, scope, deadlines);
        qb.push(") GROUP BY key");
    } else {
        let (key, join) = match dim {
            Dim::Category => ("c.category", ""),
            Dim::Source => ("c.source", ""),
            Dim::District => ("c.district", ""),
            _ => (
                "CAST(cm.mediator_id AS TEXT)",
                " JOIN case_mediators cm ON cm.case_id = c.id",
            ),
        };
        qb.push(
            "SELECT key, SUM(r) AS cases, SUM(r * amount_claimed) AS claimed, SUM(a) AS accepted,
                SUM(a * (status = 'settled')) AS settled, SUM(a * COALESCE(amount_agreed, 0)) AS agreed
             FROM (SELECT ",
        );
        qb.push(key)
            .push(" AS key, c.status, c.amount_claimed, c.amount_agreed,");
        push_part_flags(&mut qb, &from, &to);
        qb.push(" FROM cases c").push(join).push(" WHERE ");
        push_in_period(&mut qb, &from, &to);
        push_filter(&mut qb, filter, scope, deadlines);
        qb.push(") GROUP BY key");
    }
    qb.push(format!(") x {}", dim.order().1));
    Ok(to_rows(qb.build_query_as().fetch_all(pool).await?))
}

/// Accepted in the period, in mediation, not archived, past the limit.
fn push_overdue(qb: &mut QueryBuilder<Sqlite>, period: &Period, deadlines: Deadlines) {
    let (from, to) = period.bounds();
    qb.push(" c.status = 'in_mediation' AND c.archived_on IS NULL AND c.accepted_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(" AND c.accepted_on < ")
        .push_bind(deadlines.overdue_if_accepted_before());
}

async fn overdue_count(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<i64, sqlx::Error> {
    let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM cases c WHERE");
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, filter, scope, deadlines);
    qb.build_query_scalar().fetch_one(pool).await
}

/// A line of the overdue list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverdueRow {
    pub id: i64,
    pub case_no: String,
    pub project: String,
    pub accepted_on: chrono::NaiveDate,
    pub mediators: Option<String>,
}

/// The overdue cases of a period, longest waiting first, at most `limit`.
pub async fn overdue(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    limit: i64,
) -> Result<Vec<OverdueRow>, sqlx::Error> {
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT c.id, c.case_no, c.project, c.accepted_on,
            (SELECT group_concat(m.name, '; ' ORDER BY m.name) FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators
         FROM cases c WHERE",
    );
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, filter, scope, deadlines);
    qb.push(" ORDER BY c.accepted_on, c.id LIMIT ").push_bind(limit);
    qb.build_query_as().fetch_all(pool).await
}

/// Years that have cases (received or accepted), newest first, for the
/// period selector and the report links.
pub async fn years(pool: &SqlitePool) -> Result<Vec<i32>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT substr(month, 1, 4) FROM stats_monthly
         WHERE dim = 'all' AND (received <> 0 OR accepted <> 0) ORDER BY 1 DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(|(y,)| y.parse().ok()).collect())
}

/// Rows of the summary that differ from the cases themselves; 0 when the
/// triggers kept it exact. For tests and for checking a database by hand.
pub async fn summary_drift(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(SUMMARY_DRIFT).fetch_one(pool).await
}

/// The summary recomputed from scratch, compared both ways with the kept
/// one (rows of zeros left by subtraction do not count).
const SUMMARY_DRIFT: &str = "
WITH dims AS (
    SELECT c.id, 'all' AS dim, '' AS code FROM cases c
    UNION ALL SELECT c.id, 'category', c.category FROM cases c
    UNION ALL SELECT c.id, 'source', c.source FROM cases c
    UNION ALL SELECT c.id, 'district', c.district FROM cases c
    UNION ALL SELECT case_id, 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators
), parts AS (
    SELECT d.dim, d.code, substr(c.received_on, 1, 7) AS month, c.status, 1 AS received,
        c.amount_claimed AS claimed, 0 AS accepted, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM dims d JOIN cases c ON c.id = d.id
    UNION ALL
    SELECT d.dim, d.code, substr(c.accepted_on, 1, 7), c.status, 0, 0, 1, COALESCE(c.amount_agreed, 0),
        c.closed_on IS NOT NULL, COALESCE(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
        c.fulfilment IS 'fulfilled'
    FROM dims d JOIN cases c ON c.id = d.id WHERE c.accepted_on IS NOT NULL
), fresh AS (
    SELECT dim, code, month, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
        SUM(close_days), SUM(fulfilled)
    FROM parts GROUP BY dim, code, month, status
), kept AS (
    SELECT dim, code, month, status, received, claimed, accepted, agreed, closed, close_days, fulfilled
    FROM stats_monthly
    WHERE received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0 OR close_days <> 0
        OR fulfilled <> 0
)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))
     + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))";
