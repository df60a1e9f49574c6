//! Reading the trail: a case's history and the audit page's filtered,
//! capped pages.

use crate::on_db;
use crate::store::sql::Sql;

/// One line of a case's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub username: Option<String>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub case_id: Option<i64>,
    /// The number of the case it belongs to, to name and link it.
    pub case_no: Option<String>,
    /// The user's or mediator's name, for an entry about one of them.
    pub subject: Option<String>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The columns of an [`Entry`], with who made it, its case's number and
/// the name of the user or mediator it is about.
macro_rules! entry_select {
    () => {
        "SELECT a.id, a.at, CAST(u.username AS TEXT) AS username, a.entity, a.entity_id, a.case_id, c.case_no, a.action, a.before, a.after,
            CASE a.entity WHEN 'user' THEN (SELECT CAST(username AS TEXT) FROM users WHERE id = a.entity_id)
                          WHEN 'mediator' THEN (SELECT name FROM mediators WHERE id = a.entity_id) END AS subject
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN cases c ON c.id = a.case_id"
    };
}

/// A case's history (the case `$1`), oldest first.
pub(crate) const FOR_CASE: &str = concat!(entry_select!(), " WHERE a.case_id = $1 ORDER BY a.id");

/// A case's history, oldest first.
pub async fn for_case(pool: &crate::store::Db, case_id: i64) -> Result<Vec<Entry>, sqlx::Error> {
    for_case_in(&mut pool.acquire().await?.conn(), case_id).await
}

/// [`for_case`] on a connection already taken (see `cases::for_page`).
pub async fn for_case_in(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<Vec<Entry>, sqlx::Error> {
    on_db!(conn, |e| { sqlx::query_as(FOR_CASE).bind(case_id).fetch_all(e).await })
}

/// The filters of the audit page.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub entity: Option<String>,
    /// Inclusive dates, in UTC as stored.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Issue 15: only the cases and mediators of this committee (an
    /// admin's); accounts and reference lists are the installation's.
    pub committee: Option<i64>,
}

/// Audit entries on a page, and how many match.
#[derive(Debug)]
pub struct AuditPage {
    pub entries: Vec<Entry>,
    /// Entries matching, at most [`AUDIT_CAP`].
    pub total: i64,
    /// More than [`AUDIT_CAP`] entries match.
    pub more: bool,
    /// The page shown (from 1): the one asked for, or the last within the cap.
    pub page: i64,
    /// The page asked for lay past the cap.
    pub past_cap: bool,
}

/// Entries on a page of the audit log.
pub const AUDIT_PAGE: i64 = 100;
/// The most entries the log counts and pages through: with millions of
/// entries an exact count reads them all; the dates narrow it instead.
pub const AUDIT_CAP: i64 = 10_000;

/// Audit entries, newest first, 100 a page (from 1), and how many match
/// (up to the cap).
pub async fn search(pool: &crate::store::Db, filter: &AuditFilter, page: i64) -> Result<AuditPage, sqlx::Error> {
    fn push_where(qb: &mut Sql, f: &AuditFilter) {
        if let Some(u) = f.user_id {
            qb.push(" AND a.user_id = ").push_bind(u);
        }
        if let Some(e) = &f.entity {
            qb.push(" AND a.entity = ").push_bind(e.clone());
        }
        if let Some(d) = f.from {
            qb.push(" AND a.at >= ").push_bind(d.to_string());
        }
        if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
            qb.push(" AND a.at < ").push_bind(d.to_string());
        }
        if let Some(c) = f.committee {
            // Looked up by primary key per entry: an IN list would gather
            // every case of the committee first.
            qb.push(" AND (a.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id AND c.committee_id = ")
                .push_bind(c)
                .push("))")
                .push(" AND (a.entity <> 'mediator' OR EXISTS (SELECT 1 FROM mediators m WHERE m.id = a.entity_id AND m.committee_id = ")
                .push_bind(c)
                .push("))");
        }
    }
    let mut count = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM audit_log a WHERE 1 = 1");
    push_where(&mut count, filter);
    count.push(" LIMIT ").push_bind(AUDIT_CAP + 1).push(") matching");
    let (counted,): (i64,) = count.fetch_one(pool).await?;
    let last_in_cap = AUDIT_CAP / AUDIT_PAGE;
    let past_cap = counted > AUDIT_CAP && page > last_in_cap;
    let page = page.clamp(1, last_in_cap);
    // The page's ids first, from the filter's index alone (migration 0019
    // holds each filter's entries by time), then the entries and names of
    // that page only: a deep page skips index entries, not joined rows.
    // Newest first by time, then by id (the order they were written).
    let mut qb = Sql::new("WITH page AS (SELECT a.id FROM audit_log a WHERE 1 = 1");
    push_where(&mut qb, filter);
    qb.push(" ORDER BY a.at DESC, a.id DESC LIMIT ")
        .push_bind(AUDIT_PAGE)
        .push(" OFFSET ")
        .push_bind((page - 1) * AUDIT_PAGE)
        .push(concat!(
            ") ",
            entry_select!(),
            " WHERE a.id IN (SELECT id FROM page) ORDER BY a.at DESC, a.id DESC"
        ));
    let entries = qb.fetch_all(pool).await?;
    Ok(AuditPage {
        entries,
        total: counted.min(AUDIT_CAP),
        more: counted > AUDIT_CAP,
        page,
        past_cap,
    })
}

/// The kinds of entity the log holds, for the page's filter.
pub async fn entities(pool: &crate::store::Db) -> Result<Vec<String>, sqlx::Error> {
    // One index seek per kind (`audit_entity`), where DISTINCT would read
    // every entry of a log millions long.
    on_db!(pool, |e| {
        sqlx::query_scalar(
            "WITH RECURSIVE kinds(entity) AS (
                 SELECT MIN(entity) FROM audit_log
                 UNION ALL
                 SELECT (SELECT MIN(entity) FROM audit_log WHERE entity > kinds.entity) FROM kinds
                 WHERE kinds.entity IS NOT NULL)
             SELECT entity FROM kinds WHERE entity IS NOT NULL",
        )
        .fetch_all(e)
        .await
    })
}
