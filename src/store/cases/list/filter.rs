//! The WHERE conditions of the case list: a filter (its fields, the
//! search, the deadline flags) and the scope of who may see what.

use crate::domain::{CaseFilter, Deadlines, Flag};
use crate::store::Backend;
use crate::store::cases::Scope;
use crate::store::search::{self, Reading};
use crate::store::sql::Sql;

/// Adds the WHERE conditions of a filter and a scope (the caller has
/// already written `WHERE <something>`). `deadlines` (today and the
/// mediation limit) is read only by the deadline flags; `b`, the backend
/// the query runs on, by the search.
pub fn push_filter(qb: &mut Sql, b: Backend, filter: &CaseFilter, scope: Scope, deadlines: Deadlines) {
    push_filter_on(qb, b, filter, scope, deadlines, Reading::Cases);
}

/// [`push_filter`] on what the query reads as `c`.
pub(super) fn push_filter_on(
    qb: &mut Sql,
    b: Backend,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    from: Reading,
) {
    // A voided case shows only when asked for by its status.
    if filter.status.is_none() {
        qb.push(" AND c.status <> 'voided'");
    }
    search::push_equal_columns(qb, column_prefix(b, filter, from), filter);
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
            Reading::Rows => search::push_on_rows(qb, q),
            reading => search::push_search(qb, b, q, filter, reading),
        }
    }
    if let Some(flag) = filter.flag {
        push_flag(qb, flag, deadlines);
    }
    push_scope(qb, scope);
}

/// How the filter's status, category, source and district are written:
/// `c.`, or on SQLite with a search `+c.`, which keeps SQLite from starting
/// at those columns' indexes. Without statistics SQLite takes any of them
/// for narrow and walks every case of the category (a third of a million at
/// 1,000,000 cases) testing each against the search's ids; the search's
/// ids are usually far fewer, and looked up by rowid (`category=fees` with
/// a project's name: 108 ms of CPU before, 26 ms after). When every word
/// is tested case by case ([`Reading::CasesProbing`]) there are no ids to
/// lead, and the columns' indexes may; nor when every word looked up is in
/// many cases (a narrowed count's, see [`Reading::counted`]), whose ids
/// are better tested from the column's index than read one by one.
/// PostgreSQL weighs both from its statistics.
fn column_prefix(b: Backend, filter: &CaseFilter, from: Reading) -> &'static str {
    let rare = filter.q.as_deref().is_some_and(|q| search::some_rare(from, q));
    if b == Backend::Sqlite && rare { "+c." } else { "c." }
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{Listing, Status};
    use crate::store::cases::list::order::order_by;

    /// The plan of a page's ids in a scope, as SQLite chooses it.
    async fn plan(pool: &crate::store::Db, filter: &CaseFilter, scope: Scope) -> String {
        let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        push_filter(&mut qb, pool.backend(), filter, scope, Deadlines::new(today, 30));
        qb.push(order_by(&Listing::default())).push(" LIMIT 50");
        let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(pool).await.unwrap();
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
    }

    /// With a search, the word's matches lead the plan, not the index of a
    /// filtered column: with no statistics SQLite took any category for
    /// narrow and tested all of its cases against the matches (a third of a
    /// million at 1,000,000 cases, for a word matching 22,000).
    #[tokio::test]
    async fn a_search_leads_the_plan_over_the_filtered_columns() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        let searched = |q: &str| CaseFilter {
            q: Some(q.into()),
            category: Some("fees".into()),
            ..CaseFilter::default()
        };
        for filter in [
            searched("阳光花园"),
            searched("张伟"),
            CaseFilter {
                status: Some(Status::Settled),
                ..searched("阳光花园")
            },
            CaseFilter {
                district: Some("chaoyang".into()),
                source: Some("walk_in".into()),
                ..searched("阳光花园")
            },
        ] {
            let plan = plan(&pool, &filter, Scope::Committee { id: 2, narrow: false }).await;
            assert!(
                plan.contains("SEARCH c USING INTEGER PRIMARY KEY"),
                "{filter:?}: {plan}"
            );
            assert!(!plan.contains("SEARCH c USING INDEX"), "{filter:?}: {plan}");
        }
    }

    /// A common word looked up in a narrowed count ([`Reading::counted`])
    /// leaves the filtered column's index to lead: its matches are too many
    /// to read one by one (`category=parking&q=朝阳`: 135 ms tested case by
    /// case, 70 ms so), and its district is tested on the row.
    #[tokio::test]
    async fn a_common_word_looked_up_lets_the_filtered_column_lead() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        let filter = CaseFilter {
            q: Some("朝阳".into()),
            category: Some("parking".into()),
            ..CaseFilter::default()
        };
        let weights = search::Weights {
            probed: 0,
            common: 1,
            most: 0,
        };
        let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let deadlines = Deadlines::new(today, 30);
        push_filter_on(
            &mut qb,
            Backend::Sqlite,
            &filter,
            Scope::All,
            deadlines,
            Reading::CasesProbing(weights),
        );
        let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(&pool).await.unwrap();
        let plan = rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n");
        assert!(plan.contains("SEARCH c USING INDEX cases_category"), "{plan}");
        assert!(!plan.contains("cases_district"), "{plan}");
        assert!(plan.contains("case_grams"), "{plan}");
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
}
