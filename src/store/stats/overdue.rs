//! Overdue cases, the years on record, and the summary's self-check.

use crate::store::sql::Sql;

use super::*;

/// Accepted in the period, in mediation, not archived, past the limit.
fn push_overdue(qb: &mut Sql, period: &Period, deadlines: Deadlines) {
    let (from, to) = period.bounds();
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
    let mut qb = Sql::new("SELECT COUNT(*)");
    push_cases(&mut qb, filter, scope);
    qb.push(" WHERE");
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, pool.backend(), filter, scope, deadlines);
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
    let mut qb = Sql::new(
        "SELECT c.id, c.case_no, c.project, c.accepted_on,
            (SELECT group_concat(m.name, '; ' ORDER BY m.name) FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators",
    );
    push_cases(&mut qb, filter, scope);
    qb.push(" WHERE");
    push_overdue(&mut qb, period, deadlines);
    push_filter(&mut qb, pool.backend(), filter, scope, deadlines);
    qb.push(" ORDER BY c.accepted_on, c.id LIMIT ").push_bind(limit);
    qb.fetch_all(pool).await
}

/// Years that have cases (received or accepted), newest first, for the
/// period selector and the report links.
pub async fn years(pool: &crate::store::Db) -> Result<Vec<i32>, sqlx::Error> {
    let sql = format!(
        "SELECT DISTINCT substr(month, 1, 4) FROM stats_monthly
         WHERE dim = 'all' AND {COUNTED} AND (received <> 0 OR accepted <> 0) ORDER BY 1 DESC"
    );
    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool.sqlite()?)
        .await?;
    Ok(rows.into_iter().filter_map(|(y,)| y.parse().ok()).collect())
}

/// Rows of the summary that differ from the cases themselves; 0 when the
/// triggers kept it exact. For tests and for checking a database by hand.
pub async fn summary_drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let mut drift = 0;
    for (table, key, len) in [("stats_monthly", "month", "7"), ("stats_daily", "day", "10")] {
        let sql = SUMMARY_DRIFT
            .replace("{table}", table)
            .replace("{key}", key)
            .replace("{len}", len);
        drift += sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool.sqlite()?)
            .await?;
    }
    drift += sqlx::query_scalar::<_, i64>(PARTY_TYPE_DRIFT)
        .fetch_one(pool.sqlite()?)
        .await?;
    Ok(drift)
}

/// Party types whose count in `party_type_usage` differs from the parties.
const PARTY_TYPE_DRIFT: &str = "
WITH fresh AS (SELECT party_type AS code, COUNT(*) AS n FROM parties GROUP BY party_type),
kept AS (SELECT code, parties AS n FROM party_type_usage WHERE parties <> 0)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))
     + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))";

/// The summary `{table}` (by `{key}`, the first `{len}` characters of a
/// date) recomputed from scratch, compared both ways with the kept one
/// (rows of zeros left by subtraction do not count).
const SUMMARY_DRIFT: &str = "
WITH dims AS (
    SELECT c.id, 'all' AS dim, '' AS code FROM cases c
    UNION ALL SELECT c.id, 'category', c.category FROM cases c
    UNION ALL SELECT c.id, 'source', c.source FROM cases c
    UNION ALL SELECT c.id, 'district', c.district FROM cases c
    UNION ALL SELECT case_id, 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators
), parts AS (
    SELECT d.dim, d.code, substr(c.received_on, 1, {len}) AS {key}, c.status, 1 AS received,
        c.amount_claimed AS claimed, 0 AS accepted, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM dims d JOIN cases c ON c.id = d.id
    UNION ALL
    SELECT d.dim, d.code, substr(c.accepted_on, 1, {len}), c.status, 0, 0, 1, COALESCE(c.amount_agreed, 0),
        c.closed_on IS NOT NULL, COALESCE(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
        c.fulfilment IS 'fulfilled'
    FROM dims d JOIN cases c ON c.id = d.id WHERE c.accepted_on IS NOT NULL
), fresh AS (
    SELECT dim, code, {key}, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
        SUM(close_days), SUM(fulfilled)
    FROM parts GROUP BY dim, code, {key}, status
), kept AS (
    SELECT dim, code, {key}, status, received, claimed, accepted, agreed, closed, close_days, fulfilled
    FROM {table}
    WHERE received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0 OR close_days <> 0
        OR fulfilled <> 0
)
SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))
     + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))";
