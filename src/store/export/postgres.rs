//! The export on PostgreSQL: the cases as plain rows through a cursor, a
//! batch at a time, and each batch's parties and mediators in one query
//! apiece.
//!
//! SQLite's shape (a JSON array per day, a correlated subquery per case for
//! its parties and mediators) made 51,000 rows a second here: PostgreSQL
//! starts a fresh index scan for each case's subquery and builds JSON
//! slowly. A batch's parties instead come from one range of the
//! `parties_case` index, which hands them over in the export's order
//! (applicants first, each side by position), and its mediators from one
//! range of their key: cases registered together have neighbouring ids, so
//! the range of a batch's ids holds little else. Where it would hold much
//! else (a filter keeping one case in fifty), the ids are looked up one by
//! one instead.
//!
//! The cursor lives in the export's `REPEATABLE READ` transaction, so the
//! batches and their parties are one snapshot, and the query is planned
//! once, whatever the filter.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, FromRow, PgConnection, Row as _};
use tokio::sync::mpsc;

use super::{ExportCase, Part, ReadError};
use crate::domain::Status;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::store::Backend;
use crate::store::sql::{Arg, Sql, bind_all};

/// A batch's ids are read as one range when the range spans at most this
/// many ids per case in the batch.
const SPREAD: i64 = 4;

/// The export's cursor, less its WHERE conditions and order. (DECLARE
/// takes bound values like the SELECT it wraps.)
pub(super) const SELECT: &str = "DECLARE accord_export NO SCROLL CURSOR FOR
     SELECT c.id, c.received_on, c.case_no, c.accepted_on, c.source, c.category, c.project, c.district, c.summary,
        CASE WHEN c.amount_claimed_blank THEN NULL ELSE c.amount_claimed END AS amount_claimed,
        c.status, c.agreement_type, c.amount_agreed, c.agreement_on, c.performance_due, c.fulfilment,
        c.judicial_confirmation, c.closed_on, c.agreement_terms, c.close_reason,
        c.people_involved, c.prevented_crime_people, c.prevented_petition_people
     FROM cases c WHERE TRUE";

/// By date received, then as registered, as on SQLite.
const ORDER: &str = " ORDER BY c.received_on, c.id";

/// The next batch: 2,000 cases, enough that the three queries' round trips
/// vanish beside the rows, few enough that the channel's batches stay a
/// few MB.
const FETCH: &str = "FETCH 2000 FROM accord_export";

/// A batch's parties: applicants first, each side in position order, as
/// the `parties_case` index holds them.
const PARTIES_RANGE: &str = "SELECT case_id, role = 'applicant', party_type, name FROM parties
     WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, role, position, id";
const PARTIES_ANY: &str = "SELECT case_id, role = 'applicant', party_type, name FROM parties
     WHERE case_id = ANY($1) ORDER BY case_id, role, position, id";
const MEDIATORS_RANGE: &str = "SELECT case_id, mediator_id FROM case_mediators
     WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, mediator_id";
const MEDIATORS_ANY: &str = "SELECT case_id, mediator_id FROM case_mediators
     WHERE case_id = ANY($1) ORDER BY case_id, mediator_id";

/// The next cases in the export's order, with their parties and
/// mediators, as PostgreSQL sent them (read them with [`Batch::cases`]).
/// Decoded by the reader, not the query's task: the task waits on the
/// database in between, and the cases' text is borrowed from the rows
/// instead of copied.
#[derive(Default)]
pub struct Batch {
    rows: Vec<PgRow>,
    /// Ordered by case id, then as [`PARTIES_RANGE`] orders them.
    parties: Vec<PgRow>,
    /// (case id, mediator id), ordered.
    links: Vec<PgRow>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("cases", &self.rows.len()).finish()
    }
}

/// About how many bytes a case takes as CSV (455 in the demo's cases).
pub(super) const ROW_BYTES: usize = 512;

/// A case as the cursor hands it over, its columns in [`SELECT`]'s order.
struct Row<'r> {
    id: i64,
    received_on: NaiveDate,
    case_no: &'r str,
    accepted_on: Option<NaiveDate>,
    source: &'r str,
    category: &'r str,
    project: &'r str,
    district: &'r str,
    summary: &'r str,
    amount_claimed: Option<i64>,
    status: Status,
    agreement_type: Option<AgreementType>,
    amount_agreed: Option<i64>,
    agreement_on: Option<NaiveDate>,
    performance_due: Option<NaiveDate>,
    fulfilment: Option<Fulfilment>,
    judicial_confirmation: Judicial,
    closed_on: Option<NaiveDate>,
    agreement_terms: Option<&'r str>,
    close_reason: Option<&'r str>,
    people_involved: Option<i64>,
    prevented_crime_people: i64,
    prevented_petition_people: i64,
}

/// By position, not name: a million rows would look every name up; and
/// unchecked, as [`SELECT`] fixes each column's type: a check per value
/// compared type descriptions 23 times a row.
impl<'r> FromRow<'r, PgRow> for Row<'r> {
    fn from_row(r: &'r PgRow) -> Result<Row<'r>, sqlx::Error> {
        Ok(Row {
            id: r.try_get_unchecked(0)?,
            received_on: r.try_get_unchecked(1)?,
            case_no: r.try_get_unchecked(2)?,
            accepted_on: r.try_get_unchecked(3)?,
            source: r.try_get_unchecked(4)?,
            category: r.try_get_unchecked(5)?,
            project: r.try_get_unchecked(6)?,
            district: r.try_get_unchecked(7)?,
            summary: r.try_get_unchecked(8)?,
            amount_claimed: r.try_get_unchecked(9)?,
            status: r.try_get_unchecked(10)?,
            agreement_type: r.try_get_unchecked(11)?,
            amount_agreed: r.try_get_unchecked(12)?,
            agreement_on: r.try_get_unchecked(13)?,
            performance_due: r.try_get_unchecked(14)?,
            fulfilment: r.try_get_unchecked(15)?,
            judicial_confirmation: r.try_get_unchecked(16)?,
            closed_on: r.try_get_unchecked(17)?,
            agreement_terms: r.try_get_unchecked(18)?,
            close_reason: r.try_get_unchecked(19)?,
            people_involved: r.try_get_unchecked(20)?,
            prevented_crime_people: r.try_get_unchecked(21)?,
            prevented_petition_people: r.try_get_unchecked(22)?,
        })
    }
}

/// Sends the batches of the cases `q` (the cursor's declaration with its
/// conditions) selects, until done or until the receiver hangs up. Runs
/// inside the export's transaction, where the cursor lives and dies.
pub(super) async fn send(
    conn: &mut PgConnection,
    mut q: Sql,
    tx: &mpsc::Sender<Result<Part, sqlx::Error>>,
) -> Result<u64, sqlx::Error> {
    // The planner would compile the cursor's query for its whole estimated
    // cost, which a batch never pays back.
    sqlx::query("SET LOCAL jit = off").execute(&mut *conn).await?;
    q.push(ORDER);
    let text = q.text_for(Backend::Postgres);
    bind_all!(sqlx::query(AssertSqlSafe(text)), q.args())
        .persistent(false)
        .execute(&mut *conn)
        .await?;
    let mut sent = 0u64;
    loop {
        // Not prepared for later: the cursor it names is gone then.
        let rows = sqlx::query(FETCH).persistent(false).fetch_all(&mut *conn).await?;
        if rows.is_empty() {
            break;
        }
        let batch = with_parties(conn, rows).await?;
        if tx.send(Ok(Part::Batch(batch))).await.is_err() {
            tracing::info!(sent, "export abandoned by its reader");
            break;
        }
        sent += 1;
    }
    Ok(sent)
}

/// The rows with their parties and mediators.
async fn with_parties(conn: &mut PgConnection, rows: Vec<PgRow>) -> Result<Batch, sqlx::Error> {
    let mut ids = Vec::with_capacity(rows.len());
    for r in &rows {
        ids.push(r.try_get::<i64, _>(0)?);
    }
    let lo = ids.iter().copied().min().unwrap_or(0);
    let hi = ids.iter().copied().max().unwrap_or(0);
    let dense = hi.saturating_sub(lo) < SPREAD.saturating_mul(ids.len() as i64);
    let (parties, links) = if dense {
        let parties = sqlx::query(PARTIES_RANGE)
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *conn)
            .await?;
        let links = sqlx::query(MEDIATORS_RANGE)
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *conn)
            .await?;
        (parties, links)
    } else {
        let parties = sqlx::query(PARTIES_ANY).bind(&ids).fetch_all(&mut *conn).await?;
        let links = sqlx::query(MEDIATORS_ANY).bind(&ids).fetch_all(&mut *conn).await?;
        (parties, links)
    };
    Ok(Batch { rows, parties, links })
}

/// (case id, applicant?, type, name)
type Party<'r> = (i64, bool, &'r str, &'r str);

impl Batch {
    /// How many cases.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// See [`Part::each`](super::Part::each): the cases with their parties
    /// and mediators, found by binary search in their lists. A case's dates
    /// and mediator ids are written into buffers reused for every case.
    pub(super) fn each<E: From<ReadError>>(
        &self,
        mut f: impl FnMut(&str, &ExportCase<'_>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let read = |e: sqlx::Error| E::from(ReadError::from(e));
        let parties: Vec<Party<'_>> = self
            .parties
            .iter()
            .map(|p| {
                Ok((
                    p.try_get_unchecked(0)?,
                    p.try_get_unchecked(1)?,
                    p.try_get_unchecked(2)?,
                    p.try_get_unchecked(3)?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(read)?;
        let links: Vec<(i64, i64)> = self
            .links
            .iter()
            .map(|l| Ok((l.try_get_unchecked(0)?, l.try_get_unchecked(1)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(read)?;
        let mut types: Vec<Cow<'_, str>> = Vec::new();
        let mut names: Vec<Cow<'_, str>> = Vec::new();
        let mut mediator_ids = String::new();
        let mut dates = [[0u8; 10]; 5];
        for r in &self.rows {
            let r = Row::from_row(r).map_err(read)?;
            let from = parties.partition_point(|p| p.0 < r.id);
            let own = &parties[from..];
            let own = &own[..own.partition_point(|p| p.0 == r.id)];
            let applicants = own.iter().filter(|p| p.1).count();
            types.extend(own.iter().map(|p| Cow::Borrowed(p.2)));
            names.extend(own.iter().map(|p| Cow::Borrowed(p.3)));
            let from = links.partition_point(|l| l.0 < r.id);
            mediator_ids.clear();
            for l in links[from..].iter().take_while(|l| l.0 == r.id) {
                if !mediator_ids.is_empty() {
                    mediator_ids.push(',');
                }
                // Writing into a String cannot fail.
                let _ = write!(mediator_ids, "{}", l.1);
            }
            let [received_on, accepted_on, agreement_on, performance_due, closed_on] = &mut dates;
            let case = ExportCase {
                case_no: Cow::Borrowed(r.case_no),
                accepted_on: r.accepted_on.map(|d| iso(d, accepted_on)),
                source: Cow::Borrowed(r.source),
                category: Cow::Borrowed(r.category),
                project: Cow::Borrowed(r.project),
                district: Cow::Borrowed(r.district),
                summary: Cow::Borrowed(r.summary),
                amount_claimed: r.amount_claimed,
                status: r.status,
                agreement_type: r.agreement_type,
                amount_agreed: r.amount_agreed,
                agreement_on: r.agreement_on.map(|d| iso(d, agreement_on)),
                performance_due: r.performance_due.map(|d| iso(d, performance_due)),
                fulfilment: r.fulfilment,
                judicial_confirmation: r.judicial_confirmation,
                closed_on: r.closed_on.map(|d| iso(d, closed_on)),
                parties: (applicants, types, names),
                mediator_ids: (!mediator_ids.is_empty()).then_some(Cow::Borrowed(mediator_ids.as_str())),
                agreement_terms: r.agreement_terms.map(Cow::Borrowed),
                close_reason: r.close_reason.map(Cow::Borrowed),
                people_involved: r.people_involved,
                prevented_crime_people: r.prevented_crime_people,
                prevented_petition_people: r.prevented_petition_people,
            };
            f(&iso(r.received_on, received_on), &case)?;
            let (_, t, n) = case.parties;
            types = recycle(t);
            names = recycle(n);
        }
        Ok(self.rows.len() as u64)
    }
}

/// The emptied vector, its allocation kept for texts of another lifetime
/// (collecting a vector's own `into_iter` reuses its buffer).
fn recycle<'b>(mut v: Vec<Cow<'_, str>>) -> Vec<Cow<'b, str>> {
    v.clear();
    v.into_iter().map(|_| Cow::Borrowed("")).collect()
}

/// A date as SQLite stores it, `YYYY-MM-DD`, written into `buf`; by hand,
/// as a million rows hold five dates each.
fn iso(d: NaiveDate, buf: &mut [u8; 10]) -> Cow<'_, str> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return Cow::Owned(d.format("%Y-%m-%d").to_string());
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let y = y as u32;
    *buf = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    // Only ASCII digits and dashes were written.
    Cow::Borrowed(std::str::from_utf8(buf).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_sqlite_stores_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut buf = [0; 10];
        assert_eq!(iso(d(2026, 11, 2), &mut buf), "2026-11-02");
        assert_eq!(iso(d(987, 1, 31), &mut buf), "0987-01-31");
        assert_eq!(iso(d(2026, 12, 9), &mut buf), d(2026, 12, 9).to_string());
        assert_eq!(iso(d(10_000, 1, 2), &mut buf), "+10000-01-02");
    }
}
