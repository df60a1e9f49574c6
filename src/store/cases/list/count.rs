//! How many cases a filter finds in a scope: exactly, or up to a cap.

use super::filter::{push_filter, push_filter_on};
use crate::domain::{CaseFilter, Deadlines};
use crate::on_db;
use crate::store::Conn;
use crate::store::cases::Scope;
use crate::store::search::{self, Reading};
use crate::store::sql::Sql;

/// The number of cases a filter finds in a scope.
pub async fn count(
    pool: &crate::store::Db,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<i64, sqlx::Error> {
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE 1 = 1");
    push_filter(&mut qb, pool.backend(), filter, scope, deadlines);
    let (n,): (i64,) = qb.fetch_one(pool).await?;
    Ok(n)
}

/// The number of cases a filter finds in a scope, counting no further than
/// `cap + 1` (so a broad filter stops early), on a connection already taken
/// (one for the whole list page: each query through the pool costs a
/// connection taken and given back, given back checked with one more round
/// trip to its thread).
pub async fn count_upto_in(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    let from = search::reading(conn, filter).await?;
    count_upto_on(conn, filter, scope, deadlines, cap, from).await
}

/// [`count_upto_in`] with the filter's search read as `from` says.
pub(super) async fn count_upto_on(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    cap: i64,
    from: Reading,
) -> Result<i64, sqlx::Error> {
    // A committee's whole list is what its summary counts (every case once,
    // in the month it was received, kept by the same transaction as every
    // write): a few hundred summary rows instead of `cap` cases.
    if let Scope::Committee { id, .. } = scope
        && filter.is_empty()
    {
        let n: i64 = on_db!(conn, |e| {
            sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) FROM stats_monthly
                 WHERE committee_id = $1 AND dim = 'all' AND status <> 'voided'",
            )
            .bind(id)
            .fetch_one(e)
            .await
        })?;
        return Ok(n.min(cap + 1));
    }
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM ");
    qb.push(from.table()).push(" WHERE 1 = 1");
    push_filter_on(&mut qb, conn.backend(), filter, scope, deadlines, from);
    qb.push(" LIMIT ").push_bind(cap + 1).push(") matching");
    let (n,): (i64,) = qb.fetch_one_in(conn).await?;
    Ok(n)
}
