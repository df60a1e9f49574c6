//! The case list: its filters, the scope of who may see what, and paging;
//! and the finders of the case file (a number, the cases archived in a period).

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::Scope;
use crate::domain::{CaseFilter, CaseNo, Deadlines, Flag, Listing, SortDir, SortKey, Status};
use crate::on_db;
use crate::store::sql::Sql;
use crate::store::{Backend, Conn, search};

/// A line of the case list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseListRow {
    pub id: i64,
    pub case_no: String,
    pub received_on: NaiveDate,
    pub category: String,
    pub project: String,
    pub district: String,
    pub status: Status,
    /// In fen; `None` when left blank.
    pub amount_claimed: Option<i64>,
    pub applicants: Option<String>,
    pub respondents: Option<String>,
    pub mediators: Option<String>,
    /// Read by the deadline flags.
    pub accepted_on: Option<NaiveDate>,
}

/// The most cases a list counts. Past it the count is shown as "10,000+":
/// at a million cases an exact count reads every matching case.
pub const LIST_CAP: i64 = 10_000;

/// The most cases a list pages through when more than [`LIST_CAP`] match
/// (40 pages of 50). A deeper OFFSET reads every case before it; no one
/// pages that far rather than narrowing the filter or reversing the order,
/// which the page past it suggests. Fewer matches are paged to the end.
pub const PAGE_CAP: i64 = 2_000;

/// One page of the case list.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub rows: Vec<CaseListRow>,
    /// Cases matching the filter, on every page, at most [`LIST_CAP`].
    pub total: i64,
    /// More than [`LIST_CAP`] cases match (`total` is then the cap).
    pub more: bool,
    /// The listing asked for, on a page that exists (a page past the end
    /// is the last page; past the count's cap, a page past [`PAGE_CAP`] the
    /// last within it).
    pub listing: Listing,
    /// The page asked for was past [`PAGE_CAP`].
    pub past_cap: bool,
}

/// Adds the WHERE conditions of a filter and a scope (the caller has
/// already written `WHERE <something>`). `deadlines` (today and the
/// mediation limit) is read only by the deadline flags; `b`, the backend
/// the query runs on, by the search.
pub fn push_filter(qb: &mut Sql, b: Backend, filter: &CaseFilter, scope: Scope, deadlines: Deadlines) {
    push_filter_on(qb, b, filter, scope, deadlines, Source::Cases);
}

/// What a list's query reads as `c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `cases c`.
    Cases,
    /// The search rows ([`search::ROWS`]), when they answer the filter.
    SearchRows,
}

impl Source {
    /// Whether the search rows answer this filter (PostgreSQL, see
    /// [`search::rows_answer`]).
    async fn for_filter(conn: &mut Conn<'_>, filter: &CaseFilter) -> Result<Source, sqlx::Error> {
        Ok(if search::rows_answer(conn, filter).await? {
            Source::SearchRows
        } else {
            Source::Cases
        })
    }

    fn table(self) -> &'static str {
        match self {
            Source::Cases => "cases c",
            Source::SearchRows => search::ROWS,
        }
    }
}

/// [`push_filter`] on what the query reads as `c`.
fn push_filter_on(qb: &mut Sql, b: Backend, filter: &CaseFilter, scope: Scope, deadlines: Deadlines, from: Source) {
    match filter.status {
        Some(s) => {
            qb.push(" AND c.status = ").push_bind(s.code());
        }
        // A voided case shows only when asked for by its status.
        None => {
            qb.push(" AND c.status <> 'voided'");
        }
    }
    if let Some(v) = &filter.category {
        qb.push(" AND c.category = ").push_bind(v.clone());
    }
    if let Some(v) = &filter.source {
        qb.push(" AND c.source = ").push_bind(v.clone());
    }
    if let Some(v) = &filter.district {
        qb.push(" AND c.district = ").push_bind(v.clone());
    }
    if let Some(m) = filter.mediator {
        qb.push(" AND c.id IN (SELECT case_id FROM case_mediators WHERE mediator_id = ")
            .push_bind(m)
            .push(")");
    }
    if let Some(d) = filter.from {
        qb.push(" AND c.received_on >= ").push_bind(d);
    }
    if let Some(d) = filter.to {
        qb.push(" AND c.received_on <= ").push_bind(d);
    }
    if let Some(q) = &filter.q {
        match from {
            Source::Cases => search::push_search(qb, b, q, filter),
            Source::SearchRows => search::push_on_rows(qb, q),
        }
    }
    if let Some(flag) = filter.flag {
        push_flag(qb, flag, deadlines);
    }
    push_scope(qb, scope);
}

/// The SQL of `Deadlines::flags`, bound by the same dates.
fn push_flag(qb: &mut Sql, flag: Flag, d: Deadlines) {
    qb.push(" AND c.archived_on IS NULL");
    match flag {
        Flag::Overdue => {
            qb.push(" AND c.status = 'in_mediation' AND c.accepted_on < ")
                .push_bind(d.overdue_if_accepted_before());
        }
        Flag::FollowUp => {
            // The terms of the partial index `cases_follow_up_due` (migration
            // 0019), which SQLite then prefers to every settled case.
            qb.push(
                " AND c.status = 'settled' AND COALESCE(c.fulfilment, '') <> 'fulfilled'
                  AND c.performance_due < ",
            )
            .push_bind(d.today);
        }
        Flag::JudicialDue => {
            let (from, to) = d.judicial_window();
            qb.push(" AND c.status = 'settled' AND c.judicial_confirmation = 'none' AND c.agreement_on BETWEEN ")
                .push_bind(from)
                .push(" AND ")
                .push_bind(to);
        }
    }
}

/// The cases a user registered or mediates, as one list of ids from two
/// indexes (`cases_created_by`, `case_mediators_mediator`): an OR of the
/// two conditions made SQLite read every case.
pub(crate) fn push_scope(qb: &mut Sql, scope: Scope) {
    if let Some(committee) = scope.committee() {
        // A unary `+` keeps both planners from using the column's index.
        let term = if scope.committee_leads() {
            " AND c.committee_id = "
        } else {
            " AND +c.committee_id = "
        };
        qb.push(term).push_bind(committee);
    }
    if let Scope::Subtree(org) = scope {
        qb.push(
            " AND c.committee_id IN (SELECT o.id FROM organisations o JOIN organisations top
                ON substr(o.path, 1, length(top.path)) = top.path WHERE top.id = ",
        )
        .push_bind(org)
        .push(")");
    }
    if let Scope::Mediator {
        user_id, mediator_id, ..
    } = scope
    {
        qb.push(" AND c.id IN (SELECT id FROM cases WHERE created_by = ")
            .push_bind(user_id);
        if let Some(m) = mediator_id {
            qb.push(" UNION ALL SELECT case_id FROM case_mediators WHERE mediator_id = ")
                .push_bind(m);
        }
        qb.push(")");
    }
}

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
    let from = Source::for_filter(conn, filter).await?;
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM ");
    qb.push(from.table()).push(" WHERE 1 = 1");
    push_filter_on(&mut qb, conn.backend(), filter, scope, deadlines, from);
    qb.push(" LIMIT ").push_bind(cap + 1).push(") matching");
    let (n,): (i64,) = qb.fetch_one_in(conn).await?;
    Ok(n)
}

/// The ORDER BY of a listing. Each order ends in the id, in the same
/// direction, so an index on the column (which holds the rowid) serves it
/// without a sort: `cases_received`, `cases_accepted`, `cases_status`
/// (status, received_on) and `cases_amount` (migration 0013). Statuses sort
/// in workflow order ([`Status::workflow_rank`]), through the index on
/// the same expression, `cases_status_workflow` (migration 0022).
fn order_by(l: &Listing) -> &'static str {
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
fn order_index(l: &Listing) -> &'static str {
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
/// a hundred cases and the walk (at most [`PAGE_CAP`] deep) is taken.
async fn walk_the_order(conn: &mut Conn<'_>, counted: i64, l: &Listing) -> Result<bool, sqlx::Error> {
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
    if listing.sort == SortKey::Received
        && Source::for_filter(conn, filter).await? == Source::SearchRows
        && let Some(page) = search_rows_page(conn, filter, scope, deadlines, listing).await?
    {
        return Ok(page);
    }
    let counted = count_upto_in(conn, filter, scope, deadlines, LIST_CAP).await?;
    list_counted_in(conn, filter, scope, deadlines, listing, counted).await
}

/// A line of the case list with the number of cases matching.
#[derive(sqlx::FromRow)]
struct Counted {
    #[sqlx(flatten)]
    row: CaseListRow,
    matching: i64,
}

/// A page and its count in one query on the search rows (PostgreSQL, see
/// [`search::rows_answer`]): the page's order reads every match anyway
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
    push_filter_on(&mut qb, b, filter, scope, deadlines, Source::SearchRows);
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
    let from = match listing.sort {
        SortKey::Received => Source::for_filter(conn, filter).await?,
        _ => Source::Cases,
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
pub(super) fn select_page(b: Backend) -> String {
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

/// The cases archived from `from` to `to` (inclusive) that the scope may
/// see, oldest archive first, at most `limit`; and how many there are in all.
pub async fn archived_between(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    scope: Scope,
    limit: i64,
) -> Result<(Vec<i64>, i64), sqlx::Error> {
    let mut qb = Sql::new("SELECT c.id FROM cases c WHERE c.archived_on BETWEEN ");
    qb.push_bind(from).push(" AND ").push_bind(to);
    push_scope(&mut qb, scope);
    qb.push(" ORDER BY c.archived_on, c.case_no, c.id LIMIT ")
        .push_bind(limit);
    let ids: Vec<(i64,)> = qb.fetch_all(pool).await?;
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE c.archived_on BETWEEN ");
    qb.push_bind(from).push(" AND ").push_bind(to);
    push_scope(&mut qb, scope);
    let (total,): (i64,) = qb.fetch_one(pool).await?;
    Ok((ids.into_iter().map(|(id,)| id).collect(), total))
}

/// The id of the case with this number, as written or in the standard
/// form (`物调〔2026〕第0001号` for `物调[2026]第1号`).
pub async fn id_by_number(pool: &crate::store::Db, case_no: &str) -> Result<Option<i64>, sqlx::Error> {
    let standard = CaseNo::parse(case_no).map(|n| n.to_string());
    on_db!(pool, |e| {
        sqlx::query_scalar("SELECT id FROM cases WHERE case_no = $1 OR case_no = $2 ORDER BY id LIMIT 1")
            .bind(case_no.trim())
            .bind(standard.clone().unwrap_or_default())
            .fetch_optional(e)
            .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of a page's ids in a scope, as SQLite chooses it.
    async fn plan(pool: &crate::store::Db, filter: &CaseFilter, scope: Scope) -> String {
        let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        push_filter(&mut qb, pool.backend(), filter, scope, Deadlines::new(today, 30));
        qb.push(order_by(&Listing::default())).push(" LIMIT 50");
        let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(pool).await.unwrap();
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
    }

    /// A committee holding most cases never leads the plan (with every case
    /// in one committee, a search for a rare name walked the committee's
    /// index through a million cases: issue 15), nor does a mediator's; a
    /// committee holding few cases does, when nothing narrower is asked.
    #[tokio::test]
    async fn only_a_committee_of_few_cases_leads_the_plan() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        let search = CaseFilter {
            q: Some("张伟".into()),
            ..CaseFilter::default()
        };
        let status = CaseFilter {
            status: Some(Status::Withdrawn),
            ..CaseFilter::default()
        };
        let broad = Scope::Committee { id: 2, narrow: false };
        let mediator = Scope::Mediator {
            committee_id: 2,
            user_id: 3,
            mediator_id: Some(4),
        };
        for (filter, scope) in [
            (&search, broad),
            (&status, broad),
            (&search, mediator),
            (&status, mediator),
        ] {
            let plan = plan(&pool, filter, scope).await;
            assert!(!plan.contains("cases_committee"), "{filter:?} {scope:?}: {plan}");
        }
        let narrow = Scope::Committee { id: 2, narrow: true };
        let all = plan(&pool, &CaseFilter::default(), narrow).await;
        assert!(all.contains("cases_committee"), "{all}");
        assert!(!all.contains("TEMP B-TREE"), "{all}");
        // The follow-up flag reads the committee's own follow-ups (migration
        // 0032), or, for a committee holding most cases, everyone's (0019).
        let follow_up = CaseFilter {
            flag: Some(Flag::FollowUp),
            ..CaseFilter::default()
        };
        let own = plan(&pool, &follow_up, narrow).await;
        assert!(own.contains("cases_follow_up_committee"), "{own}");
        let every = plan(&pool, &follow_up, broad).await;
        assert!(every.contains("cases_follow_up_due"), "{every}");
    }

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
