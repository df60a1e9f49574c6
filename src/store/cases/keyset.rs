//! The case list by keyset for the JSON API (issue 16): newest received
//! first, each page starting after the last case of the one before, so a
//! case registered between two pages never shifts the rest (as an OFFSET
//! would) and no case is served twice.

use chrono::NaiveDate;

use super::list::select_page;
use super::{CaseListRow, Scope};
use crate::domain::{CaseFilter, Deadlines};
use crate::store::sql::Sql;

/// The last case of a page: where the next one starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct After {
    pub received_on: NaiveDate,
    pub id: i64,
}

/// Up to `limit` cases the filter finds in the scope, by received date
/// and id, both descending, after `after` when given.
pub async fn list_after(
    pool: &crate::store::Db,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    after: Option<After>,
    limit: i64,
) -> Result<Vec<CaseListRow>, sqlx::Error> {
    const ORDER: &str = " ORDER BY c.received_on DESC, c.id DESC";
    let b = pool.backend();
    let mut qb = Sql::new(select_page(b));
    qb.push("cases c WHERE 1 = 1");
    crate::store::cases::push_filter(&mut qb, b, filter, scope, deadlines);
    if let Some(a) = after {
        qb.push(" AND (c.received_on < ")
            .push_bind(a.received_on)
            .push(" OR (c.received_on = ")
            .push_bind(a.received_on)
            .push(" AND c.id < ")
            .push_bind(a.id)
            .push("))");
    }
    qb.push(ORDER)
        .push(" LIMIT ")
        .push_bind(limit)
        .push(") page JOIN cases c ON c.id = page.id")
        .push(ORDER);
    qb.fetch_all(pool).await
}
