//! What the summary can answer, and the rows it is read from.

use super::*;

/// Whose rows of the summary (migration 0027): one committee's (0 for the
/// whole installation), or those of the committees under an organisation.
#[derive(Debug, Clone, Copy)]
enum Within {
    Committee(i64),
    Subtree(i64),
}

impl Within {
    /// A mediator's own cases are not in the summary.
    fn of(scope: Scope) -> Option<Within> {
        match scope {
            Scope::All => Some(Within::Committee(0)),
            Scope::Committee { id, .. } => Some(Within::Committee(id)),
            Scope::Subtree(org) => Some(Within::Subtree(org)),
            Scope::Mediator { .. } => None,
        }
    }
}

/// ` committee_id IN (…)`: the committees under organisation `org` (its
/// own id when it is one), by their paths.
fn push_subtree_committees(qb: &mut Sql, org: i64) {
    qb.push(
        " committee_id IN (SELECT o.id FROM organisations o JOIN organisations top
            ON substr(o.path, 1, length(top.path)) = top.path WHERE o.kind = 'committee' AND top.id = ",
    )
    .push_bind(org)
    .push(")");
}

/// Summary rows a question is answered from: one dimension, narrowed to
/// one of its codes and to one status when the filter asks.
#[derive(Debug, Clone)]
pub(super) struct Summary {
    within: Within,
    dim: Dim,
    code: Option<String>,
    status: Option<&'static str>,
}

impl Summary {
    /// Every row of the committees under `org`, each kept apart by its
    /// `committee_id` (never the installation's rows, committee 0).
    pub(super) fn for_subtree(org: i64) -> Summary {
        Summary {
            within: Within::Subtree(org),
            dim: Dim::Month,
            code: None,
            status: None,
        }
    }

    /// For the totals (and the months): any filter the summary holds.
    pub(super) fn for_totals(filter: &CaseFilter, scope: Scope, via: Via) -> Option<Summary> {
        Self::for_dim(Dim::Month, filter, scope, via)
    }

    /// For a breakdown by `dim`. A filter on a dimension is held for the
    /// totals, the months and that dimension's own breakdown (but for the
    /// mediators'); a breakdown
    /// by another dimension would need pairs of codes, and is read from
    /// the cases. So are a text search, a deadline flag, a received range
    /// and a mediator's own scope.
    pub(super) fn for_dim(dim: Dim, filter: &CaseFilter, scope: Scope, via: Via) -> Option<Summary> {
        let within = Within::of(scope)?;
        let plain = via == Via::Best
            && filter.q.is_none()
            && filter.flag.is_none()
            && filter.from.is_none()
            && filter.to.is_none();
        if !plain {
            return None;
        }
        let named: Vec<(Dim, String)> = [
            filter.category.clone().map(|c| (Dim::Category, c)),
            filter.source.clone().map(|c| (Dim::Source, c)),
            filter.district.clone().map(|c| (Dim::District, c)),
            filter.mediator.map(|m| (Dim::Mediator, m.to_string())),
        ]
        .into_iter()
        .flatten()
        .collect();
        let status = filter.status.map(|s| s.code());
        match named.as_slice() {
            [] => Some(Summary {
                within,
                dim,
                code: None,
                status,
            }),
            // A case has several mediators: the breakdown by mediator of
            // one mediator's cases names the others too, as the cases do.
            [(by, code)] if dim == Dim::Month || (dim == *by && dim != Dim::Mediator) => Some(Summary {
                within,
                dim: *by,
                code: Some(code.clone()),
                status,
            }),
            _ => None,
        }
    }
}

/// How the summary rows are read: by year where the period holds whole
/// years, or always by month, for the breakdown by month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grain {
    Years,
    Months,
}

/// `(…) s`: the summary rows of the period, as columns `committee_id`,
/// `code`, `month`, `status` and the sums, in the parts of
/// [`Period::split`]: whole years from `stats_yearly` (migration 0038;
/// `month` then holds the year, which only [`Grain::Months`] reads, and it
/// reads those years' months instead), whole months from `stats_monthly`
/// and the days at the edges from `stats_daily`.
pub(super) fn push_summary_rows(qb: &mut Sql, summary: &Summary, period: &Period, grain: Grain) {
    const SUMS: &str = "received, claimed, accepted, agreed, closed, close_days, fulfilled";
    let split = period.split();
    // (table, key column, the key as `month`, first, last)
    let mut parts: Vec<(&str, &str, &str, String, String)> = Vec::new();
    if let Some((first, last)) = split.years {
        parts.push(match grain {
            Grain::Years => ("stats_yearly", "year", "year", first, last),
            Grain::Months => (
                "stats_monthly",
                "month",
                "month",
                format!("{first}-01"),
                format!("{last}-12"),
            ),
        });
    }
    for (first, last) in split.months {
        parts.push(("stats_monthly", "month", "month", first, last));
    }
    for (first, last) in split.days {
        parts.push(("stats_daily", "day", "substr(day, 1, 7)", first, last));
    }
    // An empty period still gives a query: no month matches `BETWEEN 1 AND 0`.
    if parts.is_empty() {
        parts.push(("stats_monthly", "month", "month", "1".into(), "0".into()));
    }
    qb.push(" (");
    for (i, (table, key, as_month, first, last)) in parts.into_iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        // Fixed table and column names, never input.
        qb.push(format!(
            "SELECT committee_id, code, {as_month} AS month, status, {SUMS} FROM {table} WHERE dim = "
        ))
        .push_bind(summary.dim.code())
        .push(format!(" AND {key} BETWEEN "))
        .push_bind(first)
        .push(" AND ")
        .push_bind(last)
        .push(" AND");
        match summary.within {
            Within::Committee(id) => {
                qb.push(" committee_id = ").push_bind(id);
            }
            Within::Subtree(org) => push_subtree_committees(qb, org),
        }
        if let Some(code) = &summary.code {
            qb.push(" AND code = ").push_bind(code.clone());
        }
        if let Some(status) = summary.status {
            qb.push(" AND status = ").push_bind(status);
        }
        qb.push(" AND ").push(COUNTED);
    }
    qb.push(") s");
}

/// ` FROM …cases c`: every case, or, when the scope or the filter names a
/// mediator, only that mediator's cases (a few thousand, found through
/// `case_mediators` and `cases_created_by`), so a query over a mediator's
/// cases never walks the dates of every case. The filter still applies.
pub(super) fn push_cases(qb: &mut Sql, b: Backend, filter: &CaseFilter, scope: Scope) {
    let (mediator, user) = match (filter.mediator, scope) {
        (Some(m), _) => (Some(m), None),
        (
            None,
            Scope::Mediator {
                user_id, mediator_id, ..
            },
        ) => (mediator_id, Some(user_id)),
        (None, Scope::All | Scope::Committee { .. } | Scope::Subtree(_)) => (None, None),
    };
    if mediator.is_none() && user.is_none() {
        qb.push(" FROM cases c");
        return;
    }
    qb.push(" FROM (");
    if let Some(m) = mediator {
        qb.push("SELECT case_id AS id FROM case_mediators WHERE mediator_id = ")
            .push_bind(m);
        if user.is_some() {
            qb.push(" UNION ");
        }
    }
    if let Some(u) = user {
        qb.push("SELECT id FROM cases WHERE created_by = ").push_bind(u);
    }
    qb.push(") s ").push(ids_first(b)).push(" cases c ON c.id = s.id");
}
