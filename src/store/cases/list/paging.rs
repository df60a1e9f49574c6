//! One page of the case list: its ids in the listing's order, from the
//! cases or the search rows, and the names joined to that page's rows.

use super::count::count_upto_on;
use super::filter::push_filter_on;
use super::order::{order_by, order_index, walk_the_order};
use super::{CaseListRow, CasePage, LIST_CAP, PAGE_CAP};
use crate::domain::{CaseFilter, Deadlines, Listing, SortKey};
use crate::store::cases::Scope;
use crate::store::search::{self, Reading};
use crate::store::sql::Sql;
use crate::store::{Backend, Conn};

/// One page of the case list in the listing's order, and the number of
/// cases matching up to [`LIST_CAP`]. A page past the end is the last page;
/// past the count's cap, a page past [`PAGE_CAP`] the last one within it.
pub async fn list_in(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    listing: Listing,
) -> Result<CasePage, sqlx::Error> {
    // Read once for the page and its count: on SQLite the reading weighs
    // each short word with a query of its own.
    let from = search::reading(conn, filter).await?;
    if listing.sort == SortKey::Received
        && from == Reading::Rows
        && let Some(page) = search_rows_page(conn, filter, scope, deadlines, listing).await?
    {
        return Ok(page);
    }
    let counted = count_upto_on(conn, filter, scope, deadlines, LIST_CAP, from).await?;
    list_counted_on(conn, filter, scope, deadlines, listing, counted, from).await
}

/// A line of the case list with the number of cases matching.
#[derive(sqlx::FromRow)]
struct Counted {
    #[sqlx(flatten)]
    row: CaseListRow,
    matching: i64,
}

/// A page and its count in one query on the search rows (PostgreSQL, see
/// [`search::reading`]): the page's order reads every match anyway
/// (the search rows hold no index in date order), and counts them on the
/// way, where a count of its own would read them all again. `None` when
/// the page asked for is past the last, or past [`PAGE_CAP`] (no row
/// comes back, or it must not be shown): the caller counts, then pages.
async fn search_rows_page(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    listing: Listing,
) -> Result<Option<CasePage>, sqlx::Error> {
    let b = conn.backend();
    let mut qb = Sql::new(format!(
        "{}, page.matching FROM (SELECT c.id, CAST(COUNT(*) OVER () AS BIGINT) AS matching FROM {} WHERE 1 = 1",
        page_columns(b),
        search::ROWS
    ));
    push_filter_on(&mut qb, b, filter, scope, deadlines, Reading::Rows);
    push_page(&mut qb, &listing);
    let rows: Vec<Counted> = qb.fetch_all_in(conn).await?;
    let Some(counted) = rows.first().map(|r| r.matching) else {
        return Ok(None);
    };
    let (total, more) = (counted.min(LIST_CAP), counted > LIST_CAP);
    if more && listing.offset() >= PAGE_CAP {
        return Ok(None);
    }
    Ok(Some(CasePage {
        rows: rows.into_iter().map(|r| r.row).collect(),
        total,
        more,
        listing,
        past_cap: false,
    }))
}

/// The end of a page's query: the order, the page of ids, and the names
/// joined to that page's rows in the same order.
fn push_page(qb: &mut Sql, listing: &Listing) {
    qb.push(order_by(listing))
        .push(" LIMIT ")
        .push_bind(listing.per_page)
        .push(" OFFSET ")
        .push_bind(listing.offset())
        .push(") page JOIN cases c ON c.id = page.id")
        .push(order_by(listing));
}

/// [`list_in`] when the filter's count up to [`LIST_CAP`] + 1 is known
/// already (the web keeps counts while the data stands).
pub async fn list_counted_in(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    listing: Listing,
    counted: i64,
) -> Result<CasePage, sqlx::Error> {
    let from = search::reading(conn, filter).await?;
    list_counted_on(conn, filter, scope, deadlines, listing, counted, from).await
}

/// [`list_counted_in`] with the filter's search read as `from` says.
async fn list_counted_on(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    listing: Listing,
    counted: i64,
    from: Reading,
) -> Result<CasePage, sqlx::Error> {
    let b = conn.backend();
    let (total, more) = (counted.min(LIST_CAP), counted > LIST_CAP);
    // Every page of an exact count (collecting at most LIST_CAP cases);
    // past the count's cap, the first PAGE_CAP cases.
    let pageable = if more { PAGE_CAP } else { total };
    let past_cap = more && listing.offset() >= PAGE_CAP;
    let listing = listing.within(pageable);
    // `INDEXED BY` is SQLite's; PostgreSQL's planner weighs the two ways
    // from its statistics itself.
    let walk = b == Backend::Sqlite && walk_the_order(conn, counted, &listing).await?;
    // The page's ids first, then the names for that page's rows only: when
    // a filter makes SQLite sort, it sorts bare ids, not joined names.
    // The search rows hold the date received, the default order; the
    // other orders read `cases`.
    let from = match from {
        Reading::Rows if listing.sort != SortKey::Received => Reading::CasesByWord,
        from => from,
    };
    let mut qb = Sql::new(select_page(b));
    qb.push(from.table());
    if walk {
        qb.push(" INDEXED BY ").push(order_index(&listing));
    }
    qb.push(" WHERE 1 = 1");
    push_filter_on(&mut qb, b, filter, scope, deadlines, from);
    push_page(&mut qb, &listing);
    let rows = qb.fetch_all_in(conn).await?;
    Ok(CasePage {
        rows,
        total,
        more,
        listing,
        past_cap,
    })
}

/// The start of a page's query, up to the table of the subquery of its
/// ids (`cases c`, or the search rows).
pub(in crate::store::cases) fn select_page(b: Backend) -> String {
    format!("{} FROM (SELECT c.id FROM ", page_columns(b))
}

/// The columns of a [`CaseListRow`] with the names joined, in the
/// backend's spelling, read from `c` (the case) joined to `page`.
fn page_columns(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => {
            "SELECT c.id, c.case_no, c.received_on, c.category, c.project, c.district, c.status,
            iif(c.amount_claimed_blank, NULL, c.amount_claimed) AS amount_claimed, c.accepted_on,
            (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'applicant') AS applicants,
            (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'respondent') AS respondents,
            (SELECT group_concat(m.name, '; ' ORDER BY m.name) FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators"
        }
        Backend::Postgres => {
            "SELECT c.id, c.case_no, c.received_on, c.category, c.project, c.district, c.status,
            CASE WHEN c.amount_claimed_blank THEN NULL ELSE c.amount_claimed END AS amount_claimed, c.accepted_on,
            (SELECT string_agg(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'applicant') AS applicants,
            (SELECT string_agg(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'respondent') AS respondents,
            (SELECT string_agg(m.name, '; ' ORDER BY m.name COLLATE \"C\") FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators"
        }
    }
}
