//! The one way a case row is written, whichever door it comes through:
//! the register form, an import (in bulk, or row by row to name a row the
//! database refuses) and the demo loader (in batches). One record, one
//! column list, one binding.

use chrono::NaiveDate;

use crate::domain::Status;
use crate::domain::case::CaseInput;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::store::Backend;
use crate::store::sql::{Arg, Sql};

/// Everything a new case row holds.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// `None`: the next id. Bulk writers that link parties by id give it.
    pub id: Option<i64>,
    pub committee_id: i64,
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
    /// The official report's fields (issue 16); `None`: the parties count.
    pub people_involved: Option<i64>,
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
    pub created_by: Option<i64>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

impl<'a> NewCase<'a> {
    /// The row of a case just registered: its register fields, and the
    /// workflow's starting values for the rest.
    pub fn registered(
        input: &'a CaseInput,
        committee_id: i64,
        case_no: &'a str,
        year: i32,
        seq: i64,
        created_by: Option<i64>,
        now: &'a str,
    ) -> NewCase<'a> {
        NewCase {
            id: None,
            committee_id,
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
            people_involved: input.figures.people_involved.map(i64::from),
            prevented_crime_people: i64::from(input.figures.prevented_crime),
            prevented_petition_people: i64::from(input.figures.prevented_petition),
            created_by,
            created_at: now,
            updated_at: now,
        }
    }
}

/// The columns after `id`, in the order [`bind`] binds them.
const COLUMNS: &str = "committee_id, case_no, case_year, case_seq, received_on, accepted_on, source,
    category, project, district, summary, amount_claimed, amount_claimed_blank, status, agreement_type, amount_agreed, agreement_on,
    performance_due, agreement_terms, fulfilment, judicial_confirmation, judicial_applied_on, closed_on,
    close_reason, routes_informed, people_involved, prevented_crime_people, prevented_petition_people,
    created_by, created_at, updated_at, uuid";

/// Rows a statement carries: 33 values each, under SQLite's 32,766 (and
/// PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 960;

/// Appends one row's values, in parentheses: its id first when `with_id`
/// (PostgreSQL's identity column refuses an explicit NULL, so a row without
/// an id leaves the column out).
fn bind(q: &mut Sql, c: &NewCase<'_>, with_id: bool) {
    q.push("(");
    if with_id {
        q.push_bind(c.id).push(", ");
    }
    q.push_bind(c.committee_id)
        .push(", ")
        .push_bind(c.case_no)
        .push(", ")
        .push_bind(c.year)
        .push(", ")
        .push_bind(c.seq)
        .push(", ")
        .push_bind(c.received_on)
        .push(", ")
        .push_bind(c.accepted_on)
        .push(", ")
        .push_bind(c.source)
        .push(", ")
        .push_bind(c.category)
        .push(", ")
        .push_bind(c.project)
        .push(", ")
        .push_bind(c.district)
        .push(", ")
        .push_bind(c.summary)
        .push(", ")
        .push_bind(c.amount_claimed)
        .push(", ")
        .push_bind(c.amount_claimed_blank)
        .push(", ")
        .push_bind(c.status.code())
        .push(", ")
        .push_bind(c.agreement_type.map(|v| v.code()))
        .push(", ")
        .push_bind(c.amount_agreed)
        .push(", ")
        .push_bind(c.agreement_on)
        .push(", ")
        .push_bind(c.performance_due)
        .push(", ")
        .push_bind(c.agreement_terms)
        .push(", ")
        .push_bind(c.fulfilment.map(|v| v.code()))
        .push(", ")
        .push_bind(c.judicial_confirmation.code())
        .push(", ")
        .push_bind(c.judicial_applied_on)
        .push(", ")
        .push_bind(c.closed_on)
        .push(", ")
        .push_bind(c.close_reason)
        .push(", ")
        .push_bind(c.routes_informed)
        .push(", ")
        .push_bind(c.people_involved)
        .push(", ")
        .push_bind(c.prevented_crime_people)
        .push(", ")
        .push_bind(c.prevented_petition_people)
        .push(", ")
        .push_bind(c.created_by)
        .push(", ")
        .push_bind(c.created_at)
        .push(", ")
        .push_bind(c.updated_at)
        .push(", ")
        .push_bind(new_uuid())
        .push(")");
}

/// A fresh random (version 4) UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`:
/// every case gets one when its row is written, whichever door it comes
/// through (issue 16). The exchange import then puts the case's own back.
pub fn new_uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    // Written digit by digit: the demo load draws a million of them.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(x >> 4)]));
        out.push(char::from(HEX[usize::from(x & 15)]));
    }
    out
}

/// The INSERT of `rows` into `table` (`cases`, or a staging table of its
/// columns), all with an id or all without.
fn statement(table: &str, rows: &[NewCase<'_>], with_id: bool) -> Sql {
    let mut q = Sql::new(format!("INSERT INTO {table} ("));
    if with_id {
        q.push("id, ");
    }
    q.push(COLUMNS).push(") VALUES ");
    for (i, c) in rows.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        bind(&mut q, c, with_id);
    }
    q
}

/// After rows written with their ids, moves PostgreSQL's identity sequence
/// past the highest, as SQLite's next rowid follows the highest by itself.
async fn follow_ids(conn: &mut crate::store::Conn<'_>) -> Result<(), sqlx::Error> {
    if conn.backend() == Backend::Postgres {
        Sql::new("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))")
            .execute_in(conn)
            .await?;
    }
    Ok(())
}

/// Writes one case row; returns its id.
pub async fn insert(conn: &mut crate::store::Conn<'_>, case: &NewCase<'_>) -> Result<i64, sqlx::Error> {
    let with_id = case.id.is_some();
    let mut q = statement("cases", std::slice::from_ref(case), with_id);
    q.push(" RETURNING id");
    let (id,): (i64,) = q.fetch_one_in(conn).await?;
    if with_id {
        follow_ids(conn).await?;
    }
    Ok(id)
}

/// Writes many case rows, a thousand to a statement.
pub async fn insert_many(conn: &mut crate::store::Conn<'_>, cases: &[NewCase<'_>]) -> Result<(), sqlx::Error> {
    let statements = Statements::new(conn.backend(), cases);
    statements.run(conn).await
}

/// Many case rows as the statements that write them, a thousand rows to
/// a statement, made ahead of running them: an import makes them before
/// it takes the write lock, so only the running is inside it.
#[derive(Debug, Default)]
pub struct Statements {
    /// Each statement's text and values (see [`Sql::into_parts`]).
    list: Vec<(String, Vec<Arg>)>,
    /// Some rows carry their id (see [`follow_ids`]).
    with_ids: bool,
}

impl Statements {
    /// The statements writing `cases`, for a backend.
    pub fn new(b: Backend, cases: &[NewCase<'_>]) -> Statements {
        Statements::into_table(b, "cases", cases)
    }

    /// The statements writing `cases` into `table` instead: a table of the
    /// same columns (see [`copy_staged`]), named by us, never by input.
    pub fn into_table(b: Backend, table: &str, cases: &[NewCase<'_>]) -> Statements {
        let mut list = Vec::new();
        let mut with_ids = false;
        for chunk in cases.chunks(ROWS_PER_STATEMENT) {
            // Runs of rows with an id and without, each a statement of its own.
            for run in chunk.chunk_by(|a, b| a.id.is_some() == b.id.is_some()) {
                let with_id = run[0].id.is_some();
                with_ids |= with_id;
                list.push(statement(table, run, with_id).into_parts(b));
            }
        }
        Statements { list, with_ids }
    }

    /// Runs them, in order.
    pub async fn run(self, conn: &mut crate::store::Conn<'_>) -> Result<(), sqlx::Error> {
        for (text, args) in self.list {
            crate::store::sql::execute_parts(conn, text, args).await?;
        }
        if self.with_ids {
            follow_ids(conn).await?;
        }
        Ok(())
    }
}

/// Copies the case rows staged in `table` (written there by
/// [`Statements::into_table`], every row with its id) into `cases`, in one
/// statement: SQLite copies them from table to table with nothing to bind
/// or parse, which takes a big import's cases a fraction of the time
/// their statements take.
pub async fn copy_staged(conn: &mut sqlx::SqliteConnection, table: &str) -> Result<(), sqlx::Error> {
    // Names of ours only: `table` is a constant of the caller's.
    let sql = format!("INSERT INTO cases (id, {COLUMNS}) SELECT id, {COLUMNS} FROM {table}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(conn).await?;
    Ok(())
}
