//! The orders of the case list: each one's ORDER BY and the index that
//! holds the cases in it, and whether a page walks that index.

use std::sync::LazyLock;

use super::LIST_CAP;
use crate::domain::{Listing, SortDir, SortKey, Status};
use crate::on_db;
use crate::store::Conn;

/// The ORDER BY of a listing. Each order ends in the id, in the same
/// direction, so an index on the column (which holds the rowid) serves it
/// without a sort: `cases_received`, `cases_accepted`, `cases_status`
/// (status, received_on) and `cases_amount` (migration 0013). Statuses sort
/// in workflow order ([`Status::workflow_rank`]), through the index on
/// the same expression, `cases_status_workflow` (migration 0022).
pub(super) fn order_by(l: &Listing) -> &'static str {
    match (l.sort, l.dir) {
        (SortKey::Received, SortDir::Desc) => " ORDER BY c.received_on DESC, c.id DESC",
        (SortKey::Received, SortDir::Asc) => " ORDER BY c.received_on ASC, c.id ASC",
        (SortKey::Accepted, SortDir::Desc) => " ORDER BY c.accepted_on DESC, c.id DESC",
        (SortKey::Accepted, SortDir::Asc) => " ORDER BY c.accepted_on ASC, c.id ASC",
        (SortKey::Amount, SortDir::Desc) => " ORDER BY c.amount_claimed DESC, c.id DESC",
        (SortKey::Amount, SortDir::Asc) => " ORDER BY c.amount_claimed ASC, c.id ASC",
        (SortKey::Status, SortDir::Desc) => &BY_STATUS.1,
        (SortKey::Status, SortDir::Asc) => &BY_STATUS.0,
    }
}

/// The index that holds the cases in a listing's order (see [`order_by`]).
pub(super) fn order_index(l: &Listing) -> &'static str {
    match l.sort {
        SortKey::Received => "cases_received",
        SortKey::Accepted => "cases_accepted",
        SortKey::Amount => "cases_amount",
        SortKey::Status => "cases_status_workflow",
    }
}

/// Whether a page is found sooner by walking the order's index and testing
/// each case against the filter than by collecting every match and sorting
/// it, which is SQLite's choice whenever a filter can start from an index
/// (a flag, a search, a status): right for a few hundred matches, but at a
/// million cases a common word or flag matches a hundred thousand. The walk
/// reads about `(offset + page) × cases / matches` entries; collecting
/// reads every match. Past the count's cap the matches are at least one in
/// a hundred cases and the walk (at most [`PAGE_CAP`](super::PAGE_CAP) deep) is taken.
pub(super) async fn walk_the_order(conn: &mut Conn<'_>, counted: i64, l: &Listing) -> Result<bool, sqlx::Error> {
    if counted == 0 {
        return Ok(false);
    }
    if counted > LIST_CAP {
        return Ok(true);
    }
    // The highest id: the number of cases, near enough, without a count.
    let cases: i64 = on_db!(conn, |e| {
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases")
            .fetch_one(e)
            .await
    })?;
    let walk = (l.offset() + l.per_page).saturating_mul(cases) / counted;
    Ok(walk < counted)
}

/// The ORDER BY clauses by status, ascending and descending, built once
/// from the domain's order. The codes are ours, not a visitor's input.
/// The CASE must read as migration 0022's index does, or the list sorts
/// without it (the test below fails).
static BY_STATUS: LazyLock<(String, String)> = LazyLock::new(|| {
    let whens: String = Status::ALL
        .iter()
        .map(|s| format!(" WHEN '{}' THEN {}", s.code(), s.workflow_rank()))
        .collect();
    let rank = format!("CASE c.status{whens} END");
    (
        format!(" ORDER BY {rank} ASC, c.received_on ASC, c.id ASC"),
        format!(" ORDER BY {rank} DESC, c.received_on DESC, c.id DESC"),
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorting stays fast at a million cases only if no order needs a
    /// temporary B-tree: each must walk an index.
    #[tokio::test]
    async fn every_order_of_the_list_walks_an_index_without_sorting() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        for &sort in SortKey::ALL {
            for &dir in SortDir::ALL {
                let listing = Listing {
                    sort,
                    dir,
                    ..Listing::default()
                };
                // As SQLite chooses, and as a walk names the order's index.
                for from in [
                    "cases c".to_string(),
                    format!("cases c INDEXED BY {}", order_index(&listing)),
                ] {
                    let sql = format!(
                        "EXPLAIN QUERY PLAN SELECT c.id FROM {from} WHERE 1 = 1{} LIMIT 50",
                        order_by(&listing)
                    );
                    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(pool.sqlite().unwrap())
                        .await
                        .unwrap();
                    let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
                    let plan = plan.join("\n");
                    assert!(
                        plan.contains("USING") && plan.contains("INDEX"),
                        "{sort:?} {dir:?}: {plan}"
                    );
                    assert!(!plan.contains("TEMP B-TREE"), "{sort:?} {dir:?}: {plan}");
                }
            }
        }
    }
}
