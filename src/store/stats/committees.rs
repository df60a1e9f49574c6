//! A supervisor's figures (issue 15): the committees under an association,
//! each from its own rows of the summary, and whether the subtree is the
//! whole installation (then committee 0 answers the totals in one range).

use super::breakdowns::{RowTuple, to_rows};
use super::*;

/// The scope that reads a subtree's added-up figures fastest: the whole
/// installation's rows (committee 0) when every committee is under `org`
/// and none is reported from another installation (committee 0 holds only
/// this installation's own cases), the subtree's committees' rows
/// otherwise. Either way the same figures.
pub async fn rollup_scope(pool: &crate::store::Db, org: i64) -> Result<Scope, sqlx::Error> {
    let mut q = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM organisations o WHERE o.kind = 'committee'
         AND (o.remote_key IS NOT NULL OR NOT EXISTS (
            SELECT 1 FROM organisations top
            WHERE top.id = ",
    );
    q.push_bind(org)
        .push(" AND substr(o.path, 1, length(top.path)) = top.path))");
    let (outside,): (i64,) = q.fetch_one(pool).await?;
    Ok(if outside == 0 { Scope::All } else { Scope::Subtree(org) })
}

/// The committees under `org` (its own id when it is one), in the tree's
/// order, as `(id, name)`.
pub async fn subtree_committees(pool: &crate::store::Db, org: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut q = Sql::new("SELECT o.id, COALESCE(o.name, '') AS name FROM organisations o WHERE o.kind = 'committee'");
    push_subtree_ids(&mut q, org);
    q.push(" ORDER BY o.path, o.id");
    q.fetch_all(pool).await
}

/// ` AND o.id IN (…)`: the organisations under `org`, itself included.
fn push_subtree_ids(q: &mut Sql, org: i64) {
    q.push(
        " AND o.id IN (SELECT s.id FROM organisations s JOIN organisations top
            ON substr(s.path, 1, length(top.path)) = top.path WHERE top.id = ",
    )
    .push_bind(org)
    .push(")");
}

/// The figures of the period for each committee under `org`, in the
/// tree's order, every committee listed (zeros when it has no cases):
/// `key` the committee's id, `name` its name. Read from the summary only.
pub async fn by_committee(pool: &crate::store::Db, period: &Period, org: i64) -> Result<Vec<Row>, sqlx::Error> {
    let summary = Summary::for_subtree(org);
    let mut q = Sql::new(
        "SELECT CAST(o.id AS TEXT), COALESCE(o.name, ''), CAST(COALESCE(x.cases, 0) AS BIGINT), CAST(COALESCE(x.claimed, 0) AS BIGINT),
            CAST(COALESCE(x.accepted, 0) AS BIGINT), CAST(COALESCE(x.settled, 0) AS BIGINT),
            CAST(COALESCE(x.agreed, 0) AS BIGINT), CAST(COALESCE(x.in_mediation, 0) AS BIGINT)
         FROM organisations o LEFT JOIN (
            SELECT committee_id, SUM(received) AS cases, SUM(claimed) AS claimed, SUM(accepted) AS accepted,
                SUM(CASE status WHEN 'settled' THEN accepted ELSE 0 END) AS settled, SUM(agreed) AS agreed,
                SUM(CASE status WHEN 'in_mediation' THEN accepted ELSE 0 END) AS in_mediation
            FROM",
    );
    push_summary_rows(&mut q, &summary, period, Grain::Years);
    q.push(" GROUP BY committee_id) x ON x.committee_id = o.id WHERE o.kind = 'committee'");
    push_subtree_ids(&mut q, org);
    q.push(" ORDER BY o.path, o.id");
    Ok(to_rows(q.fetch_all::<RowTuple>(pool).await?))
}
