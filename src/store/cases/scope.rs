//! Who is asking, and so which cases a query may read.

use crate::on_db;

/// Who is asking: a committee's people see only its cases, a mediator only
/// their own among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every case of every committee: the command line.
    All,
    /// Every case of one committee: its admins and secretaries. `narrow`
    /// when the committee holds few of the installation's cases
    /// ([`committee_is_narrow`]): only then may a query start from them.
    Committee { id: i64, narrow: bool },
    /// Every case of the committees under an organisation (its id): a
    /// supervisor's added-up figures. Never a way to personal data: the
    /// pages that take it show none.
    Subtree(i64),
    /// A mediator sees the cases of their committee they are assigned to
    /// or registered.
    Mediator {
        committee_id: i64,
        user_id: i64,
        mediator_id: Option<i64>,
    },
}

impl Scope {
    /// The one committee the scope keeps to, if it keeps to one.
    pub fn committee(self) -> Option<i64> {
        match self {
            Scope::All | Scope::Subtree(_) => None,
            Scope::Committee { id, .. } | Scope::Mediator { committee_id: id, .. } => Some(id),
        }
    }

    /// Whether a query may start from the committee's cases (index
    /// `cases_committee`) rather than from its other conditions. Not when
    /// the committee holds most cases (one committee holding every case
    /// made a search for a rare name read all of them: issue 15), nor for
    /// a mediator, whose own cases are always fewer.
    pub fn committee_leads(self) -> bool {
        matches!(self, Scope::Committee { narrow: true, .. })
    }
}

/// Whether committee `id` holds at most a tenth of the installation's
/// cases, by the summary (migration 0027; committee 0 is the whole
/// installation): then its cases are few enough to start a query from.
pub async fn committee_is_narrow(pool: &crate::store::Db, id: i64) -> Result<bool, sqlx::Error> {
    let (own, all): (i64, i64) = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN committee_id = $1 THEN received END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN committee_id = 0 THEN received END), 0) AS BIGINT)
             FROM stats_yearly WHERE committee_id IN (0, $1) AND dim = 'all'",
        )
        .bind(id)
        .fetch_one(e)
        .await
    })?;
    Ok(own.saturating_mul(10) <= all)
}
