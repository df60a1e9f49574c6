//! The workflow's writes to a case (accept, close, archive, follow-up) and
//! the "my work" list. Each write re-checks the transition table inside its
//! transaction, so two people acting at once cannot both pass.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::audit::{self, Target};
use super::cases::{self, CaseRecord, Scope};
use super::sql::Sql;
use super::{Backend, begin_write, now_utc};
use crate::domain::deadlines::FlagFacts;
use crate::domain::workflow::closing::Change;
use crate::domain::workflow::{self, Action, Fulfilment, Judicial, Refusal};
use crate::domain::{CaseFilter, Deadlines, Status};
use crate::on_db;

/// Why a workflow write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The transition table refused it; nothing was written.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Reads the case's status inside the transaction and checks `action`
/// against the table. A case that vanished is a `RowNotFound`.
pub async fn guard(conn: &mut crate::store::Conn<'_>, case_id: i64, action: Action) -> Result<Status, Error> {
    let row: Option<(Status, bool)> = on_db!(conn, |e| {
        sqlx::query_as("SELECT status, archived_on IS NOT NULL FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(e)
            .await
    })?;
    let (status, archived) = row.ok_or(sqlx::Error::RowNotFound)?;
    workflow::check(status, archived, action).map_err(Error::Refused)
}

/// Applies one checked action to a case, with its audit entry, in one
/// transaction.
#[tracing::instrument(skip(pool))]
pub async fn apply(pool: &crate::store::Db, case_id: i64, change: &Change, actor: Option<i64>) -> Result<(), Error> {
    let mut tx = begin_write(pool).await?;
    let action = change.action();
    let to = guard(&mut tx.conn(), case_id, action).await?;
    let mut qb = Sql::new("UPDATE cases SET updated_at = ");
    qb.push_bind(now_utc()).push(", status = ").push_bind(to.code());
    match change {
        Change::Accept { on } => {
            qb.push(", accepted_on = ").push_bind(*on);
        }
        Change::Decline { on, reason } | Change::Withdraw { on, reason } => {
            qb.push(", closed_on = ")
                .push_bind(*on)
                .push(", close_reason = ")
                .push_bind(reason.clone());
        }
        Change::Fail { on, routes, reason } => {
            let routes: Vec<&str> = routes.iter().map(|r| r.code()).collect();
            qb.push(", closed_on = ")
                .push_bind(*on)
                .push(", routes_informed = ")
                .push_bind(routes.join(","))
                .push(", close_reason = ")
                .push_bind((!reason.is_empty()).then(|| reason.clone()));
        }
        Change::Settle { on, agreement: a } => {
            qb.push(", closed_on = ").push_bind(*on);
            qb.push(", agreement_type = ").push_bind(a.kind.code());
            qb.push(", amount_agreed = ").push_bind(a.amount.fen());
            qb.push(", agreement_on = ").push_bind(a.on);
            qb.push(", performance_due = ").push_bind(a.due);
            qb.push(", agreement_terms = ").push_bind(a.terms.clone());
            qb.push(", fulfilment = 'pending'");
        }
        Change::Archive { on, .. } => {
            qb.push(", archived_on = ").push_bind(*on);
        }
        Change::Fulfilment(f) => {
            qb.push(", fulfilment = ").push_bind(f.code());
        }
        Change::Judicial { status, applied_on } => {
            qb.push(", judicial_confirmation = ")
                .push_bind(status.code())
                .push(", judicial_applied_on = ")
                .push_bind(*applied_on);
        }
        Change::CorrectAgreement { agreement: a, .. } => {
            qb.push(", agreement_type = ").push_bind(a.kind.code());
            qb.push(", amount_agreed = ").push_bind(a.amount.fen());
            qb.push(", agreement_on = ").push_bind(a.on);
            qb.push(", performance_due = ").push_bind(a.due);
            qb.push(", agreement_terms = ").push_bind(a.terms.clone());
        }
        // The closing fields go; the history entry keeps their old values.
        Change::Reopen { .. } => {
            qb.push(
                ", closed_on = NULL, close_reason = NULL, routes_informed = NULL, agreement_type = NULL,
                   amount_agreed = NULL, agreement_on = NULL, performance_due = NULL, agreement_terms = NULL,
                   fulfilment = NULL, judicial_confirmation = 'none', judicial_applied_on = NULL",
            );
        }
        Change::Unarchive { .. } => {
            qb.push(", archived_on = NULL");
        }
        Change::Void { on, reason } => {
            qb.push(", voided_on = ")
                .push_bind(*on)
                .push(", void_reason = ")
                .push_bind(reason.clone());
        }
    }
    qb.push(" WHERE id = ").push_bind(case_id);
    // A workflow action is history even when it changed no field.
    let target = Target {
        always: true,
        reason: change.correction_reason(),
        ..CaseRecord::target(case_id, actor, action.code())
    };
    audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), target, async |conn| {
        qb.execute_in(conn).await.map(|_| ())
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A line of "my work".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkRow {
    pub id: i64,
    pub case_no: String,
    pub project: String,
    pub status: Status,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub applicants: Option<String>,
    pub respondents: Option<String>,
}

impl WorkRow {
    /// What the deadline flags read; "my work" lists no archived case.
    pub fn flag_facts(&self) -> FlagFacts {
        FlagFacts {
            status: self.status,
            archived: false,
            accepted_on: self.accepted_on,
            agreement_on: self.agreement_on,
            performance_due: self.performance_due,
            fulfilment: self.fulfilment,
            judicial_confirmation: self.judicial_confirmation,
        }
    }
}

/// The open work in a scope: cases registered or in mediation, and settled
/// cases with a deadline flag. Not archived. Oldest first; the caller
/// puts flagged cases on top.
#[tracing::instrument(skip(pool))]
pub async fn my_work(pool: &crate::store::Db, scope: Scope, d: Deadlines) -> Result<Vec<WorkRow>, sqlx::Error> {
    let (from, to) = d.judicial_window();
    let b = pool.backend();
    let mut qb = Sql::new(my_work_select(b));
    qb.push_bind(d.today)
        .push(" AND COALESCE(c.fulfilment, '') <> 'fulfilled')")
        .push(" OR (c.judicial_confirmation = 'none' AND c.agreement_on BETWEEN ")
        .push_bind(from)
        .push(" AND ")
        .push_bind(to)
        .push("))))");
    cases::push_filter(&mut qb, b, &CaseFilter::default(), scope, d);
    qb.push(" ORDER BY c.received_on, c.id");
    qb.fetch_all(pool).await
}

/// The start of [`my_work`]'s query, up to the first bound date. On SQLite
/// the statuses carry a unary `+` so SQLite does not read every open and
/// settled case through `cases_status_accepted`: the user's own cases (the
/// scope, two index lookups) are the few to start from. PostgreSQL has no
/// `+` for text and plans from its statistics.
fn my_work_select(b: Backend) -> &'static str {
    static TEXTS: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    TEXTS[b as usize].get_or_init(|| {
        let (names, status) = match b {
            Backend::Sqlite => ("group_concat(name, '; ' ORDER BY position)", "+c.status"),
            Backend::Postgres => ("string_agg(name, '; ' ORDER BY position)", "c.status"),
        };
        format!(
            "SELECT c.id, c.case_no, c.project, c.status, c.received_on, c.accepted_on, c.agreement_on,
                c.performance_due, c.fulfilment, c.judicial_confirmation,
                (SELECT {names} FROM parties p
                  WHERE p.case_id = c.id AND p.role = 'applicant') AS applicants,
                (SELECT {names} FROM parties p
                  WHERE p.case_id = c.id AND p.role = 'respondent') AS respondents
             FROM cases c
             WHERE c.archived_on IS NULL
               AND ({status} IN ('registered', 'in_mediation')
                    OR ({status} = 'settled'
                        AND ((c.performance_due < "
        )
    })
}
