//! Case transfers (migration 0028): a committee sends an open case to
//! another, which accepts it (the case takes a number in the receiver's
//! series) or returns it. Every step is one transaction with its audit entry.

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Target};
use super::cases::{CaseRecord, next_seq, replace_mediators};
use super::{Conn, Db, begin_write, now_utc};
use crate::domain::transfer::{Decision, Receiver, SendRefusal, may_send};
use crate::domain::{CaseNo, Status};
use crate::on_db;
use crate::store::orgs::{self, Committee};

/// One transfer with what both committees see of its case: its number,
/// category, district, amount and dates, never its parties.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Transfer {
    pub id: i64,
    pub case_id: i64,
    pub from_committee: i64,
    pub from_name: String,
    pub to_committee: i64,
    pub to_name: String,
    pub reason: String,
    /// The case's number when it was sent.
    pub old_case_no: String,
    pub sent_at: String,
    pub decision: Option<Decision>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    /// The case's number now (the receiver's, once accepted).
    pub case_no: String,
    pub category: String,
    pub district: String,
    /// Fen; 0 when blank.
    pub amount_claimed: i64,
    pub amount_claimed_blank: bool,
    pub received_on: NaiveDate,
    pub status: Status,
}

impl Transfer {
    pub fn pending(&self) -> bool {
        self.decision.is_none()
    }

    /// The amount claimed in fen, `None` when left blank.
    pub fn claimed(&self) -> Option<i64> {
        (!self.amount_claimed_blank).then_some(self.amount_claimed)
    }
}

/// The columns of [`Transfer`], before the `WHERE`.
const SELECT: &str = "SELECT t.id, t.case_id, t.from_committee, COALESCE(f.name, '') AS from_name, t.to_committee,
        COALESCE(r.name, '') AS to_name, t.reason, t.old_case_no, t.sent_at, t.decision, t.decision_reason,
        t.decided_at, c.case_no, c.category, c.district, c.amount_claimed, c.amount_claimed_blank, c.received_on,
        c.status
    FROM case_transfers t JOIN cases c ON c.id = t.case_id
    JOIN organisations f ON f.id = t.from_committee JOIN organisations r ON r.id = t.to_committee";

/// The most transfers a committee's page lists each way, newest first.
pub const LIST_CAP: i64 = 500;

/// Every transfer of a case, newest first: its page shows the history and
/// the numbers it had.
pub async fn for_case(db: &Db, case_id: i64) -> Result<Vec<Transfer>, sqlx::Error> {
    for_case_in(&mut db.acquire().await?.conn(), case_id).await
}

/// [`for_case`] on a connection already taken (see `cases::for_page`).
pub async fn for_case_in(conn: &mut Conn<'_>, case_id: i64) -> Result<Vec<Transfer>, sqlx::Error> {
    let sql = for_case_sql();
    on_db!(conn, |e| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(case_id)
        .fetch_all(e)
        .await)
}

/// A case's transfers (the case `$1`), newest first.
pub(crate) fn for_case_sql() -> String {
    format!("{SELECT} WHERE t.case_id = $1 ORDER BY t.id DESC")
}

/// The transfer of a case waiting for a decision, if any.
pub async fn pending(db: &Db, case_id: i64) -> Result<Option<Transfer>, sqlx::Error> {
    pending_in(&mut db.acquire().await?.conn(), case_id).await
}

async fn pending_in(conn: &mut Conn<'_>, case_id: i64) -> Result<Option<Transfer>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE t.case_id = $1 AND t.decision IS NULL");
    on_db!(conn, |e| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(case_id)
        .fetch_optional(e)
        .await)
}

/// A committee's transfers: those sent to it and those it sent, each
/// pending first, then newest first, at most [`LIST_CAP`] each way.
pub async fn for_committee(db: &Db, committee_id: i64) -> Result<(Vec<Transfer>, Vec<Transfer>), sqlx::Error> {
    let list = async |column: &str| {
        let sql = format!(
            "{SELECT} WHERE t.{column} = $1 ORDER BY CASE WHEN t.decision IS NULL THEN 0 ELSE 1 END, t.id DESC LIMIT $2"
        );
        on_db!(db, |e| sqlx::query_as::<_, Transfer>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(committee_id)
            .bind(LIST_CAP)
            .fetch_all(e)
            .await)
    };
    Ok((list("to_committee").await?, list("from_committee").await?))
}

/// A transfer to send.
#[derive(Debug, Clone)]
pub struct Send<'a> {
    pub case_id: i64,
    /// The committee the case belongs to (the sender's own).
    pub from: i64,
    pub to: i64,
    pub reason: &'a str,
    pub by: Option<i64>,
}

/// The case's own facts the send rule reads.
#[derive(sqlx::FromRow)]
struct CaseFacts {
    committee_id: i64,
    case_no: String,
    status: Status,
    archived: bool,
}

async fn case_facts(conn: &mut Conn<'_>, case_id: i64) -> Result<Option<CaseFacts>, sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as(
        "SELECT committee_id, case_no, status, archived_on IS NOT NULL AS archived FROM cases WHERE id = $1"
    )
    .bind(case_id)
    .fetch_optional(e)
    .await)
}

/// Sends a case of `from` to another committee: the transfer's id, or why
/// not (the rule of `domain::transfer::may_send`, read in the same
/// transaction as the write). `None` when `from` has no such case.
pub async fn send(db: &Db, s: &Send<'_>) -> Result<Option<Result<i64, SendRefusal>>, sqlx::Error> {
    let mut tx = begin_write(db).await?;
    let Some(case) = case_facts(&mut tx.conn(), s.case_id)
        .await?
        .filter(|c| c.committee_id == s.from)
    else {
        return Ok(None);
    };
    let pending = pending_in(&mut tx.conn(), s.case_id).await?.is_some();
    let receiver = orgs::get_in(&mut tx.conn(), s.to).await?.map(|o| Receiver {
        id: o.id,
        active_committee: o.is_committee() && !o.retired,
    });
    if let Err(refusal) = may_send(case.status, case.archived, pending, s.from, receiver) {
        return Ok(Some(Err(refusal)));
    }
    let target = Target {
        always: true,
        reason: Some(s.reason),
        ..CaseRecord::target(s.case_id, s.by, "transfer_send")
    };
    let id = audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), target, async |conn| {
        on_db!(conn, |e| sqlx::query_scalar(
            "INSERT INTO case_transfers (case_id, from_committee, to_committee, reason, old_case_no, sent_by, sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(s.case_id)
        .bind(s.from)
        .bind(s.to)
        .bind(s.reason)
        .bind(&case.case_no)
        .bind(s.by)
        .bind(now_utc())
        .fetch_one(e)
        .await)
    })
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(id)))
}

/// The receiver's decision on the transfer of a case.
#[derive(Debug, Clone)]
pub struct Decide<'a> {
    pub case_id: i64,
    /// The committee deciding: only the transfer's receiver may.
    pub receiver: &'a Committee,
    pub decision: Decision,
    /// Required to return; optional to accept.
    pub reason: Option<&'a str>,
    pub by: Option<i64>,
    /// The day of the decision: an accepted case is numbered in this
    /// year's series of the receiver, the year it reached that committee.
    pub today: NaiveDate,
}

/// Decides the pending transfer of a case to `receiver`: accepted, the
/// case moves to the receiver with a new number (returned), its mediators
/// of the old committee unlinked; returned, it stays as it was. `None`
/// when no transfer of the case waits for that committee.
pub async fn decide(db: &Db, d: &Decide<'_>) -> Result<Option<String>, sqlx::Error> {
    let mut tx = begin_write(db).await?;
    let Some(t) = pending_in(&mut tx.conn(), d.case_id)
        .await?
        .filter(|t| t.to_committee == d.receiver.id)
    else {
        return Ok(None);
    };
    let action = match d.decision {
        Decision::Accepted => "transfer_accept",
        Decision::Returned => "transfer_return",
    };
    let target = Target {
        always: true,
        reason: d.reason,
        ..CaseRecord::target(d.case_id, d.by, action)
    };
    let case_no = audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), target, async |conn| {
        let case_no = match d.decision {
            Decision::Accepted => move_case(conn, d).await?,
            Decision::Returned => t.case_no.clone(),
        };
        on_db!(conn, |e| sqlx::query(
            "UPDATE case_transfers SET decision = $1, decision_reason = $2, decided_by = $3, decided_at = $4
             WHERE id = $5"
        )
        .bind(d.decision.code())
        .bind(d.reason)
        .bind(d.by)
        .bind(now_utc())
        .bind(t.id)
        .execute(e)
        .await
        .map(|_| ()))?;
        Ok(case_no)
    })
    .await?;
    tx.commit().await?;
    Ok(Some(case_no))
}

/// Moves an accepted case to its receiver: a number from the receiver's
/// counter, no mediators of the old committee (the receiver assigns its
/// own), the search document rewritten with the new number.
async fn move_case(conn: &mut Conn<'_>, d: &Decide<'_>) -> Result<String, sqlx::Error> {
    let year = d.today.year();
    let seq = next_seq(conn, d.receiver.id, year).await?;
    let case_no = CaseNo::new(&d.receiver.prefix, year, seq).to_string();
    on_db!(conn, |e| sqlx::query(
        "UPDATE cases SET committee_id = $1, case_no = $2, case_year = $3, case_seq = $4, updated_at = $5
         WHERE id = $6"
    )
    .bind(d.receiver.id)
    .bind(&case_no)
    .bind(i64::from(year))
    .bind(seq)
    .bind(now_utc())
    .bind(d.case_id)
    .execute(e)
    .await
    .map(|_| ()))?;
    replace_mediators(conn, d.case_id, &[]).await?;
    super::search::index_case(conn, d.case_id).await?;
    Ok(case_no)
}

/// Whether a case waits on a transfer: its committee may not change it
/// meanwhile.
pub async fn is_pending(db: &Db, case_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |e| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM case_transfers WHERE case_id = $1 AND decision IS NULL"
    )
    .bind(case_id)
    .fetch_one(e)
    .await)
    .map(|n| n > 0)
}
