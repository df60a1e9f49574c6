//! Overdue cases, the years on record, and the summary's self-check.

use super::*;
use crate::on_db;

/// Accepted in the period, in mediation, not archived, past the limit.
fn push_overdue(qb: &mut Sql, period: &Period, deadlines: Deadlines) {
    let (from, to) = date_bounds(period);
    qb.push(" ")
        .push(COUNTED)
        .push(" AND c.status = 'in_mediation' AND c.archived_on IS NULL AND c.accepted_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push(" AND c.accepted_on < ")
        .push_bind(deadlines.overdue_if_accepted_before());
}

pub(super) async fn overdue_count(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<i64, sqlx::Error> {
    let b = pool.backend();
    let mut qb = Sql::new("SELECT COUNT(*)");
    push_cases(&mut qb, b, filter, scope);
    qb.push(" WHERE");
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, b, filter, scope, deadlines);
    let (n,): (i64,) = qb.fetch_one(pool).await?;
    Ok(n)
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
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    limit: i64,
) -> Result<Vec<OverdueRow>, sqlx::Error> {
    let b = pool.backend();
    let mut qb = Sql::new(format!(
        "SELECT c.id, c.case_no, c.project, c.accepted_on,
            (SELECT {} FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators",
        dialect::string_agg(b, "m.name", "'; ' ORDER BY m.name"),
    ));
    push_cases(&mut qb, b, filter, scope);
    qb.push(" WHERE");
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, b, filter, scope, deadlines);
    qb.push(" ORDER BY c.accepted_on, c.id LIMIT ").push_bind(limit);
    qb.fetch_all(pool).await
}

/// Years that have cases (received or accepted), here or in the packets
/// of reported committees, newest first, for the period selector and the
/// report links.
pub async fn years(pool: &crate::store::Db) -> Result<Vec<i32>, sqlx::Error> {
    let sql = format!(
        "SELECT DISTINCT year FROM stats_yearly
         WHERE (committee_id = 0 OR committee_id IN (SELECT id FROM organisations WHERE remote_key IS NOT NULL))
            AND dim = 'all' AND {COUNTED} AND (received <> 0 OR accepted <> 0) ORDER BY 1 DESC"
    );
    let rows: Vec<(String,)> = on_db!(pool, |e| sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(e).await)?;
    Ok(rows.into_iter().filter_map(|(y,)| y.parse().ok()).collect())
}

/// Rows of the summary (the official report's too, migration 0034) that
/// differ from the cases themselves, and yearly rows that differ from the
/// monthly ones (migration 0038); 0 when the triggers kept it exact. For
/// tests and for checking a database by hand.
pub async fn summary_drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let b = pool.backend();
    let mut drift = 0;
    let grains: [(_, _, DateKey); 2] = [
        ("stats_monthly", "month", dialect::month_key),
        ("stats_daily", "day", dialect::day_key),
    ];
    for (table, key, part) in grains {
        let sql = SUMMARY_DRIFT
            .replace("{table}", table)
            .replace("{key}", key)
            .replace("{received}", &part(b, "c.received_on"))
            .replace("{accepted}", &part(b, "c.accepted_on"))
            .replace(
                "{close_days}",
                &dialect::days_between(b, "c.closed_on", "c.accepted_on"),
            );
        drift += on_db!(pool, |e| {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_one(e)
                .await
        })?;
    }
    drift += on_db!(pool, |e| sqlx::query_scalar::<_, i64>(YEARLY_DRIFT).fetch_one(e).await)?;
    drift += on_db!(pool, |e| sqlx::query_scalar::<_, i64>(PARTY_TYPE_DRIFT)
        .fetch_one(e)
        .await)?;
    drift += super::official::summary::drift(pool).await?;
    Ok(drift)
}

/// Rows of `stats_yearly` that differ from `stats_monthly` grouped by year
/// (rows of zeros left by subtraction do not count).
const YEARLY_DRIFT: &str = "
WITH fresh AS (
    SELECT committee_id, dim, code, substr(month, 1, 4) AS year, status, CAST(SUM(received) AS BIGINT) AS received,
        CAST(SUM(claimed) AS BIGINT) AS claimed, CAST(SUM(accepted) AS BIGINT) AS accepted,
        CAST(SUM(agreed) AS BIGINT) AS agreed, CAST(SUM(closed) AS BIGINT) AS closed,
        CAST(SUM(close_days) AS BIGINT) AS close_days, CAST(SUM(fulfilled) AS BIGINT) AS fulfilled
    FROM stats_monthly GROUP BY committee_id, dim, code, substr(month, 1, 4), status
), kept AS (
    SELECT committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed, close_days, fulfilled
    FROM stats_yearly
), nonzero_fresh AS (
    SELECT * FROM fresh WHERE received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0
        OR close_days <> 0 OR fulfilled <> 0
), nonzero_kept AS (
    SELECT * FROM kept WHERE received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0
        OR close_days <> 0 OR fulfilled <> 0
)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM nonzero_fresh EXCEPT SELECT * FROM nonzero_kept) AS x)
     + (SELECT COUNT(*) FROM (SELECT * FROM nonzero_kept EXCEPT SELECT * FROM nonzero_fresh) AS y)";

/// Party types whose count in `party_type_usage` differs from the parties.
const PARTY_TYPE_DRIFT: &str = "
WITH fresh AS (SELECT party_type AS code, COUNT(*) AS n FROM parties GROUP BY party_type),
kept AS (SELECT code, parties AS n FROM party_type_usage WHERE parties <> 0)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) AS x)
     + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) AS y)";

/// The summary `{table}` (by committee, 0 for all, and `{key}`, the month or day of a date:
/// `{received}`, `{accepted}`) recomputed from scratch, compared both ways with the kept one
/// (rows of zeros left by subtraction do not count, nor the rows of committees reported
/// from another installation, which have no cases here).
const SUMMARY_DRIFT: &str = "
WITH dims1 AS (
    SELECT c.id, c.committee_id AS k, 'all' AS dim, '' AS code FROM cases c
    UNION ALL SELECT c.id, c.committee_id, 'category', c.category FROM cases c
    UNION ALL SELECT c.id, c.committee_id, 'source', c.source FROM cases c
    UNION ALL SELECT c.id, c.committee_id, 'district', c.district FROM cases c
    UNION ALL SELECT m.case_id, c.committee_id, 'mediator', CAST(m.mediator_id AS TEXT)
        FROM case_mediators m JOIN cases c ON c.id = m.case_id
), dims AS (
    SELECT id, k, dim, code FROM dims1 UNION ALL SELECT id, 0, dim, code FROM dims1
), parts AS (
    SELECT d.k, d.dim, d.code, {received} AS {key}, c.status, 1 AS received,
        c.amount_claimed AS claimed, 0 AS accepted, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM dims d JOIN cases c ON c.id = d.id
    UNION ALL
    SELECT d.k, d.dim, d.code, {accepted}, c.status, 0, 0, 1, COALESCE(c.amount_agreed, 0),
        CASE WHEN c.closed_on IS NOT NULL THEN 1 ELSE 0 END, COALESCE({close_days}, 0),
        CASE WHEN c.fulfilment IS NOT DISTINCT FROM 'fulfilled' THEN 1 ELSE 0 END
    FROM dims d JOIN cases c ON c.id = d.id WHERE c.accepted_on IS NOT NULL
), fresh AS (
    SELECT k, dim, code, {key}, status, CAST(SUM(received) AS BIGINT), CAST(SUM(claimed) AS BIGINT),
        CAST(SUM(accepted) AS BIGINT), CAST(SUM(agreed) AS BIGINT), CAST(SUM(closed) AS BIGINT),
        CAST(SUM(close_days) AS BIGINT), CAST(SUM(fulfilled) AS BIGINT)
    FROM parts GROUP BY k, dim, code, {key}, status
), kept AS (
    SELECT committee_id, dim, code, {key}, status, received, claimed, accepted, agreed, closed, close_days,
        fulfilled
    FROM {table}
    WHERE committee_id NOT IN (SELECT id FROM organisations WHERE remote_key IS NOT NULL)
        AND (received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0 OR close_days <> 0
        OR fulfilled <> 0)
)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) AS x)
     + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) AS y)";
