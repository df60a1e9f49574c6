//! The one way a case row is written, whichever door it comes through:
//! the register form, an import (in bulk, or row by row to name a row the
//! database refuses) and the demo loader (in batches). One record, one
//! column list, one binding.

use chrono::NaiveDate;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite};

use crate::domain::Status;
use crate::domain::case::CaseInput;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};

/// Everything a new case row holds.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// `None`: the next id. Bulk writers that link parties by id give it.
    pub id: Option<i64>,
    pub case_no: &'a str,
    pub year: i32,
    pub seq: i64,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub source: &'a str,
    pub category: &'a str,
    pub project: &'a str,
    pub district: &'a str,
    pub summary: &'a str,
    /// Fen; 0 when left blank.
    pub amount_claimed: i64,
    /// True when the amount was left blank (statistics count it as 0).
    pub amount_claimed_blank: bool,
    pub status: Status,
    pub agreement_type: Option<AgreementType>,
    /// Fen.
    pub amount_agreed: Option<i64>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub agreement_terms: Option<&'a str>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub judicial_applied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<&'a str>,
    pub routes_informed: Option<&'a str>,
    pub created_by: Option<i64>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

impl<'a> NewCase<'a> {
    /// The row of a case just registered: its register fields, and the
    /// workflow's starting values for the rest.
    pub fn registered(
        input: &'a CaseInput,
        case_no: &'a str,
        year: i32,
        seq: i64,
        created_by: Option<i64>,
        now: &'a str,
    ) -> NewCase<'a> {
        NewCase {
            id: None,
            case_no,
            year,
            seq,
            received_on: input.received_on,
            accepted_on: None,
            source: &input.source,
            category: &input.category,
            project: &input.project,
            district: &input.district,
            summary: &input.summary,
            amount_claimed: input.amount_claimed.map_or(0, |m| m.fen()),
            amount_claimed_blank: input.amount_claimed.is_none(),
            status: Status::Registered,
            agreement_type: None,
            amount_agreed: None,
            agreement_on: None,
            performance_due: None,
            agreement_terms: None,
            fulfilment: None,
            judicial_confirmation: Judicial::None,
            judicial_applied_on: None,
            closed_on: None,
            close_reason: None,
            routes_informed: None,
            created_by,
            created_at: now,
            updated_at: now,
        }
    }
}

/// The columns, in the order [`bind`] binds them.
const INSERT: &str = "INSERT INTO cases (id, case_no, case_year, case_seq, received_on, accepted_on, source,
    category, project, district, summary, amount_claimed, amount_claimed_blank, status, agreement_type, amount_agreed, agreement_on,
    performance_due, agreement_terms, fulfilment, judicial_confirmation, judicial_applied_on, closed_on,
    close_reason, routes_informed, created_by, created_at, updated_at) ";

/// Rows a statement carries: 28 values each, under SQLite's 32,766.
const ROWS_PER_STATEMENT: usize = 1000;

fn bind(b: &mut Separated<'_, Sqlite, &'static str>, c: &NewCase<'_>) {
    b.push_bind(c.id)
        .push_bind(c.case_no)
        .push_bind(c.year)
        .push_bind(c.seq)
        .push_bind(c.received_on)
        .push_bind(c.accepted_on)
        .push_bind(c.source)
        .push_bind(c.category)
        .push_bind(c.project)
        .push_bind(c.district)
        .push_bind(c.summary)
        .push_bind(c.amount_claimed)
        .push_bind(c.amount_claimed_blank)
        .push_bind(c.status)
        .push_bind(c.agreement_type)
        .push_bind(c.amount_agreed)
        .push_bind(c.agreement_on)
        .push_bind(c.performance_due)
        .push_bind(c.agreement_terms)
        .push_bind(c.fulfilment)
        .push_bind(c.judicial_confirmation)
        .push_bind(c.judicial_applied_on)
        .push_bind(c.closed_on)
        .push_bind(c.close_reason)
        .push_bind(c.routes_informed)
        .push_bind(c.created_by)
        .push_bind(c.created_at)
        .push_bind(c.updated_at);
}

/// Writes one case row; returns its id.
pub async fn insert(conn: &mut crate::store::Conn<'_>, case: &NewCase<'_>) -> Result<i64, sqlx::Error> {
    let mut qb = QueryBuilder::<Sqlite>::new(INSERT);
    qb.push_values(std::iter::once(case), |mut b, c| bind(&mut b, c));
    Ok(qb.build().execute(conn.sqlite()?).await?.last_insert_rowid())
}

/// Writes many case rows, a thousand to a statement.
pub async fn insert_many(conn: &mut crate::store::Conn<'_>, cases: &[NewCase<'_>]) -> Result<(), sqlx::Error> {
    for chunk in cases.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Sqlite>::new(INSERT);
        qb.push_values(chunk, |mut b, c| bind(&mut b, c));
        qb.build().execute(conn.sqlite()?).await?;
    }
    Ok(())
}
