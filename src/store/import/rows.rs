//! The import's rows as written: every case, party and link of the file
//! in a few statements, or one case at a time to name a row the database
//! refuses.

use crate::store::Conn;

use super::{ImportedCase, Stamp, WriteError};
use crate::domain::{CaseNo, Money};
use crate::store::cases::{NewCase, insert, insert_many};
use crate::store::{is_constraint_violation, is_unique_violation};

impl ImportedCase {
    /// The case's row, numbered `number` (`text` is its written form).
    pub(super) fn row<'a>(&'a self, id: Option<i64>, number: &CaseNo, text: &'a str, stamp: Stamp<'a>) -> NewCase<'a> {
        NewCase {
            id,
            accepted_on: self.accepted_on,
            status: self.status,
            agreement_type: self.agreement_type,
            amount_agreed: self.amount_agreed.map(Money::fen),
            agreement_on: self.agreement_on,
            performance_due: self.performance_due,
            fulfilment: self.fulfilment,
            judicial_confirmation: self.judicial_confirmation,
            closed_on: self.closed_on,
            agreement_terms: self.agreement_terms.as_deref(),
            close_reason: self.close_reason.as_deref(),
            ..NewCase::registered(
                &self.case,
                stamp.committee_id,
                text,
                number.year,
                number.seq,
                stamp.actor,
                stamp.now,
            )
        }
    }
}

/// Inserts every case with the id from `first` on (a thousand rows to a
/// statement, through the one case insert), then every party and every
/// mediator link, each in one statement of fixed text over a JSON array
/// (SQLite's `json_each`): a few statements for the file, not three per case.
pub(super) async fn insert_all(
    conn: &mut crate::store::Conn<'_>,
    cases: &[ImportedCase],
    numbers: &[CaseNo],
    created: &[i64],
    stamp: Stamp<'_>,
    first: i64,
) -> Result<(), sqlx::Error> {
    let texts: Vec<String> = numbers.iter().map(CaseNo::to_string).collect();
    let mut rows = Vec::with_capacity(cases.len());
    let mut parties = Parties::default();
    let mut links = (Vec::new(), Vec::new());
    for (((id, c), number), text) in (first..).zip(cases).zip(numbers).zip(&texts) {
        let input = &c.case;
        rows.push(c.row(Some(id), number, text, stamp));
        for (position, p) in input.parties.iter().enumerate() {
            parties.case_id.push(id);
            parties.role.push(p.role.code());
            parties.party_type.push(p.party_type.as_str());
            parties.name.push(p.name.as_str());
            parties.phone.push(p.phone.as_str());
            parties.position.push(position as i64);
        }
        for &m in &input.mediator_ids {
            links.0.push(id);
            links.1.push(mediator_id(m, created));
        }
    }
    let started = std::time::Instant::now();
    insert_many(&mut *conn, &rows).await?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "import case rows");
    let started = std::time::Instant::now();
    parties.insert(conn).await?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "import party rows");
    insert_links(conn, &links.0, &links.1).await
}

/// The parties of many cases, column by column.
#[derive(Default)]
struct Parties<'a> {
    case_id: Vec<i64>,
    role: Vec<&'a str>,
    party_type: Vec<&'a str>,
    name: Vec<&'a str>,
    phone: Vec<&'a str>,
    position: Vec<i64>,
}

impl Parties<'_> {
    /// One statement of fixed text for all: over a JSON array on SQLite
    /// (`json_each`), over the bound columns on PostgreSQL (`UNNEST`).
    async fn insert(&self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        match conn {
            Conn::Sqlite(c) => {
                let rows: Vec<serde_json::Value> = (0..self.case_id.len())
                    .map(|i| {
                        serde_json::json!([
                            self.case_id[i],
                            self.role[i],
                            self.party_type[i],
                            self.name[i],
                            self.phone[i],
                            self.position[i]
                        ])
                    })
                    .collect();
                sqlx::query(
                    "INSERT INTO parties (case_id, role, party_type, name, phone, position)
                     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each($1)",
                )
                .bind(serde_json::Value::Array(rows).to_string())
                .execute(&mut **c)
                .await?;
            }
            Conn::Postgres(c) => {
                sqlx::query(
                    "INSERT INTO parties (case_id, role, party_type, name, phone, position)
                     SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS TEXT[]), CAST($3 AS TEXT[]),
                                          CAST($4 AS TEXT[]), CAST($5 AS TEXT[]), CAST($6 AS BIGINT[]))",
                )
                .bind(&self.case_id)
                .bind(&self.role)
                .bind(&self.party_type)
                .bind(&self.name)
                .bind(&self.phone)
                .bind(&self.position)
                .execute(&mut **c)
                .await?;
            }
        }
        Ok(())
    }
}

/// Links each case of `cases` to the mediator at the same place of
/// `mediators`, in one statement.
async fn insert_links(conn: &mut Conn<'_>, cases: &[i64], mediators: &[i64]) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => {
            let rows: Vec<serde_json::Value> = cases
                .iter()
                .zip(mediators)
                .map(|(c, m)| serde_json::json!([c, m]))
                .collect();
            sqlx::query(
                "INSERT INTO case_mediators (case_id, mediator_id) SELECT value ->> 0, value ->> 1 FROM json_each($1)",
            )
            .bind(serde_json::Value::Array(rows).to_string())
            .execute(&mut **c)
            .await?;
        }
        Conn::Postgres(c) => {
            sqlx::query(
                "INSERT INTO case_mediators (case_id, mediator_id)
                 SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]))",
            )
            .bind(cases)
            .bind(mediators)
            .execute(&mut **c)
            .await?;
        }
    }
    Ok(())
}

/// A mediator id of a row: a negative `-n` stands for the n-th created.
pub(super) fn mediator_id(m: i64, created: &[i64]) -> i64 {
    if m < 0 { created[(-m - 1) as usize] } else { m }
}

/// Inserts one case, then its parties and mediators, each in one
/// statement of fixed text, naming the row when the database refuses it.
pub(super) async fn insert_case(
    tx: &mut Conn<'_>,
    c: &ImportedCase,
    number: &CaseNo,
    created: &[i64],
    stamp: Stamp<'_>,
) -> Result<(), WriteError> {
    let input = &c.case;
    let refused = |e: sqlx::Error| match e {
        e if is_unique_violation(&e) => WriteError::NumberTaken(c.row),
        e if is_constraint_violation(&e) => WriteError::Refused(c.row),
        e => WriteError::Sqlx(e),
    };
    let text = number.to_string();
    let id = insert(tx, &c.row(None, number, &text, stamp)).await.map_err(refused)?;
    let mut parties = Parties::default();
    for (position, p) in input.parties.iter().enumerate() {
        parties.case_id.push(id);
        parties.role.push(p.role.code());
        parties.party_type.push(p.party_type.as_str());
        parties.name.push(p.name.as_str());
        parties.phone.push(p.phone.as_str());
        parties.position.push(position as i64);
    }
    parties.insert(tx).await.map_err(refused)?;
    let mediators: Vec<i64> = input.mediator_ids.iter().map(|&m| mediator_id(m, created)).collect();
    insert_links(tx, &vec![id; mediators.len()], &mediators)
        .await
        .map_err(refused)?;
    Ok(())
}
