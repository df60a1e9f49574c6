//! The case list: its filters, the scope of who may see what, and paging.

use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::Scope;
use crate::domain::{CaseFilter, Deadlines, Flag, Status};

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

/// Page size of the case list.
pub const PAGE_SIZE: i64 = 50;

/// Adds the WHERE conditions of a filter and a scope (the caller has
/// already written `WHERE <something>`). `deadlines` (today and the
/// mediation limit) is read only by the deadline flags.
pub fn push_filter(qb: &mut QueryBuilder<Sqlite>, filter: &CaseFilter, scope: Scope, deadlines: Deadlines) {
    if let Some(s) = filter.status {
        qb.push(" AND c.status = ").push_bind(s.code());
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
    if let Some(q) = filter.q.as_deref().filter(|q| crate::store::search::indexable(q)) {
        // Same cases as the LIKE below, found through the trigram index.
        qb.push(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
            .push_bind(crate::store::search::phrase(q))
            .push(")");
    } else if let Some(q) = &filter.q {
        let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        qb.push(" AND (c.case_no LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\'");
        qb.push(" OR c.project LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\'");
        qb.push(" OR c.summary LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\'");
        qb.push(" OR c.id IN (SELECT case_id FROM parties WHERE name LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\'))");
    }
    if let Some(flag) = filter.flag {
        push_flag(qb, flag, deadlines);
    }
    push_scope(qb, scope);
}

/// The SQL of `Deadlines::flags`, bound by the same dates.
fn push_flag(qb: &mut QueryBuilder<Sqlite>, flag: Flag, d: Deadlines) {
    qb.push(" AND c.archived_on IS NULL");
    match flag {
        Flag::Overdue => {
            qb.push(" AND c.status = 'in_mediation' AND c.accepted_on < ")
                .push_bind(d.overdue_if_accepted_before());
        }
        Flag::FollowUp => {
            // Through the partial index of migration 0007, named because
            // without planner statistics SQLite would walk every settled case.
            qb.push(
                " AND c.id IN (SELECT id FROM cases INDEXED BY cases_follow_up
                   WHERE status = 'settled' AND archived_on IS NULL
                     AND COALESCE(fulfilment, '') <> 'fulfilled' AND performance_due < ",
            )
            .push_bind(d.today)
            .push(")");
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

pub(super) fn push_scope(qb: &mut QueryBuilder<Sqlite>, scope: Scope) {
    if let Scope::Mediator { user_id, mediator_id } = scope {
        qb.push(" AND (c.created_by = ").push_bind(user_id);
        if let Some(m) = mediator_id {
            qb.push(" OR c.id IN (SELECT case_id FROM case_mediators WHERE mediator_id = ")
                .push_bind(m)
                .push(")");
        }
        qb.push(")");
    }
}

/// One page of the case list (pages count from 1), newest first, and the
/// number of cases matching.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &SqlitePool,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    page: i64,
) -> Result<(Vec<CaseListRow>, i64), sqlx::Error> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM cases c WHERE 1 = 1");
    push_filter(&mut count, filter, scope, deadlines);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    // The page's ids first, then the names for those 50 rows only: when a
    // filter makes SQLite sort, it sorts bare ids, not joined names.
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT c.id, c.case_no, c.received_on, c.category, c.project, c.district, c.status,
            iif(c.amount_claimed_blank, NULL, c.amount_claimed) AS amount_claimed, c.accepted_on,
            (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'applicant') AS applicants,
            (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
              WHERE p.case_id = c.id AND p.role = 'respondent') AS respondents,
            (SELECT group_concat(m.name, '; ' ORDER BY m.name) FROM case_mediators cm
              JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators
         FROM (SELECT c.id FROM cases c WHERE 1 = 1",
    );
    push_filter(&mut qb, filter, scope, deadlines);
    qb.push(" ORDER BY c.received_on DESC, c.id DESC LIMIT ")
        .push_bind(PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .push(") page JOIN cases c ON c.id = page.id ORDER BY c.received_on DESC, c.id DESC");
    let rows = qb.build_query_as().fetch_all(pool).await?;
    Ok((rows, total))
}
