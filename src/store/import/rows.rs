//! The import's rows as written: every case, party and link of the file
//! in a few statements, or one case at a time to name a row the database
//! refuses.

use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::store::{Backend, Conn};

use super::{ImportedCase, Stamp, WriteError};
use crate::domain::case::PartyInput;
use crate::domain::{CaseNo, Money};
use crate::store::cases::{NewCase, Statements, copy_staged, insert};
use crate::store::stats::CaseFigures;
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

    /// What the summary counts of it (see [`crate::store::stats::Tally`]),
    /// as [`ImportedCase::row`] stores it.
    pub(super) fn figures(&self, committee_id: i64) -> CaseFigures<'_> {
        let input = &self.case;
        CaseFigures {
            committee_id,
            category: &input.category,
            source: &input.source,
            district: &input.district,
            status: self.status,
            received_on: input.received_on,
            accepted_on: self.accepted_on,
            closed_on: self.closed_on,
            amount_claimed: input.amount_claimed.map_or(0, Money::fen),
            amount_agreed: self.amount_agreed.map(Money::fen),
            fulfilment: self.fulfilment,
            people_involved: input.figures.people_involved.map(i64::from),
            prevented_crime_people: i64::from(input.figures.prevented_crime),
            prevented_petition_people: i64::from(input.figures.prevented_petition),
        }
    }
}

/// The rows of an import as they are written, made before the write
/// takes the lock (see `ahead`): the case rows as their statements (a
/// thousand rows to a statement, through the one case insert), and every
/// party, for one statement of fixed text. On SQLite they are written
/// before the lock too, into staging tables ([`Rows::stage`]).
pub(super) struct Rows<'a> {
    cases: Statements,
    parties: Parties<'a>,
    /// The mediator links, with the ids the import's new mediators are
    /// expected to take (`created`): staged, and used when they take them.
    links: Vec<(i64, i64)>,
    created: Vec<i64>,
    /// Written into the staging tables already.
    staged: bool,
}

/// The staging tables, TEMP: the connection's own, which no other
/// connection sees and whose writing takes no lock of the database's.
const CASES: &str = "temp.import_cases";
const PARTIES: &str = "temp.import_parties";
const LINKS: &str = "temp.import_links";

impl<'a> Rows<'a> {
    /// The rows of `cases`, numbered `numbers`, with the ids from `first` on.
    pub(super) fn new(
        b: Backend,
        cases: &'a [ImportedCase],
        numbers: &[CaseNo],
        stamp: Stamp<'_>,
        first: i64,
        created: Vec<i64>,
    ) -> Rows<'a> {
        let texts: Vec<String> = numbers.iter().map(CaseNo::to_string).collect();
        let mut rows = Vec::with_capacity(cases.len());
        let mut parties = Parties::default();
        for (((id, c), number), text) in (first..).zip(cases).zip(numbers).zip(&texts) {
            rows.push(c.row(Some(id), number, text, stamp));
            parties.add(id, &c.case.parties);
        }
        parties.encode(b);
        let table = match b {
            Backend::Sqlite => CASES,
            Backend::Postgres => "cases",
        };
        Rows {
            cases: Statements::into_table(b, table, &rows),
            parties,
            links: links(cases, &created, first),
            created,
            staged: false,
        }
    }

    /// On SQLite, writes the rows into the staging tables, emptied first,
    /// whence [`insert_all`] copies them under the lock: the binding of
    /// every value and the reading of the parties' JSON happen here.
    pub(super) async fn stage(&mut self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        let Conn::Sqlite(c) = conn else {
            return Ok(());
        };
        let c: &mut SqliteConnection = c;
        for sql in [
            "DROP TABLE IF EXISTS temp.import_cases",
            "CREATE TEMP TABLE import_cases AS SELECT * FROM main.cases WHERE false",
            "DROP TABLE IF EXISTS temp.import_parties",
            "CREATE TEMP TABLE import_parties (case_id INTEGER, role TEXT, party_type TEXT, name TEXT, phone TEXT,
                 position INTEGER)",
            "DROP TABLE IF EXISTS temp.import_links",
            "CREATE TEMP TABLE import_links (case_id INTEGER, mediator_id INTEGER)",
        ] {
            sqlx::query(sql).execute(&mut *c).await?;
        }
        let started = std::time::Instant::now();
        std::mem::take(&mut self.cases).run(&mut Conn::Sqlite(&mut *c)).await?;
        self.parties.insert_into(&mut Conn::Sqlite(&mut *c), PARTIES).await?;
        self.parties.json = None;
        let (cases, mediators): (Vec<i64>, Vec<i64>) = self.links.iter().copied().unzip();
        insert_links(&mut Conn::Sqlite(&mut *c), LINKS, &cases, &mediators).await?;
        self.staged = true;
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import rows staged");
        Ok(())
    }
}

/// Drops the staging tables (see [`Rows::stage`]), when the write is over.
pub(super) async fn unstage(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    for sql in [
        "DROP TABLE IF EXISTS temp.import_cases",
        "DROP TABLE IF EXISTS temp.import_parties",
        "DROP TABLE IF EXISTS temp.import_links",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Each case's mediator links (case id, mediator id), with the ids from
/// `first` on and the import's new mediators as `created`.
fn links(cases: &[ImportedCase], created: &[i64], first: i64) -> Vec<(i64, i64)> {
    let mut links = Vec::new();
    for (id, c) in (first..).zip(cases) {
        for &m in &c.case.mediator_ids {
            links.push((id, mediator_id(m, created)));
        }
    }
    links
}

impl Rows<'_> {
    /// True when the staged links hold the mediators `created` (the
    /// import's new ones took the ids expected).
    pub(super) fn staged_for(&self, created: &[i64]) -> bool {
        self.staged && self.created == created
    }
}

/// Inserts every case, then every party and every mediator link: on
/// SQLite copied from the staging tables, on PostgreSQL each in one
/// statement of fixed text over the bound columns: a few statements for
/// the file, not three per case.
pub(super) async fn insert_all(
    conn: &mut crate::store::Conn<'_>,
    mut rows: Rows<'_>,
    cases: &[ImportedCase],
    created: &[i64],
    first: i64,
) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let links_staged = rows.staged_for(created);
    if conn.backend() == Backend::Sqlite {
        if !rows.staged {
            rows.stage(conn).await?;
        }
        let c = conn.sqlite()?;
        copy_staged(&mut *c, CASES).await?;
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import case rows");
        let started = std::time::Instant::now();
        sqlx::query(
            "INSERT INTO parties (case_id, role, party_type, name, phone, position)
             SELECT case_id, role, party_type, name, phone, position FROM temp.import_parties",
        )
        .execute(&mut *c)
        .await?;
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import party rows");
    } else {
        rows.cases.run(&mut *conn).await?;
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import case rows");
        rows.parties.insert(conn).await?;
    }
    if links_staged {
        sqlx::query(
            "INSERT INTO case_mediators (case_id, mediator_id) SELECT case_id, mediator_id FROM temp.import_links",
        )
        .execute(conn.sqlite()?)
        .await?;
        return Ok(());
    }
    let (cases, mediators): (Vec<i64>, Vec<i64>) = links(cases, created, first).into_iter().unzip();
    insert_links(conn, "case_mediators", &cases, &mediators).await
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
    /// The rows as the JSON array SQLite's statement reads, when made
    /// ahead ([`Parties::encode`]).
    json: Option<String>,
}

impl<'a> Parties<'a> {
    /// Adds one case's parties, in form order.
    fn add(&mut self, case_id: i64, parties: &'a [PartyInput]) {
        for (position, p) in parties.iter().enumerate() {
            self.case_id.push(case_id);
            self.role.push(p.role.code());
            self.party_type.push(p.party_type.as_str());
            self.name.push(p.name.as_str());
            self.phone.push(p.phone.as_str());
            self.position.push(position as i64);
        }
    }

    /// Makes SQLite's JSON array now rather than when the rows are written.
    fn encode(&mut self, b: Backend) {
        if b == Backend::Sqlite {
            self.json = Some(self.to_json());
        }
    }

    /// `[[case_id, role, party_type, name, phone, position], ...]`.
    fn to_json(&self) -> String {
        let rows: Vec<(i64, &str, &str, &str, &str, i64)> = (0..self.case_id.len())
            .map(|i| {
                (
                    self.case_id[i],
                    self.role[i],
                    self.party_type[i],
                    self.name[i],
                    self.phone[i],
                    self.position[i],
                )
            })
            .collect();
        serde_json::to_string(&rows).unwrap_or_default()
    }

    /// One statement of fixed text for all: over a JSON array on SQLite
    /// (`json_each`), over the bound columns on PostgreSQL (`UNNEST`).
    async fn insert(&self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        self.insert_into(conn, "parties").await
    }

    /// [`Parties::insert`] into `table`: `parties` or a staging table of
    /// its columns (a name of ours, never input).
    async fn insert_into(&self, conn: &mut Conn<'_>, table: &str) -> Result<(), sqlx::Error> {
        match conn {
            Conn::Sqlite(c) => {
                let made;
                let json = match &self.json {
                    Some(json) => json.as_str(),
                    None => {
                        made = self.to_json();
                        made.as_str()
                    }
                };
                let sql = format!(
                    "INSERT INTO {table} (case_id, role, party_type, name, phone, position)
                     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each($1)"
                );
                sqlx::query(AssertSqlSafe(sql)).bind(json).execute(&mut **c).await?;
            }
            Conn::Postgres(c) => {
                let sql = format!(
                    "INSERT INTO {table} (case_id, role, party_type, name, phone, position)
                     SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS TEXT[]), CAST($3 AS TEXT[]),
                                          CAST($4 AS TEXT[]), CAST($5 AS TEXT[]), CAST($6 AS BIGINT[]))"
                );
                sqlx::query(AssertSqlSafe(sql))
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
/// `mediators`, in one statement, into `table` (`case_mediators`, or a
/// staging table of its columns: a name of ours, never input).
async fn insert_links(conn: &mut Conn<'_>, table: &str, cases: &[i64], mediators: &[i64]) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => {
            let rows: Vec<(i64, i64)> = cases.iter().copied().zip(mediators.iter().copied()).collect();
            let sql = format!(
                "INSERT INTO {table} (case_id, mediator_id) SELECT value ->> 0, value ->> 1 FROM json_each($1)"
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(serde_json::to_string(&rows).unwrap_or_default())
                .execute(&mut **c)
                .await?;
        }
        Conn::Postgres(c) => {
            let sql = format!(
                "INSERT INTO {table} (case_id, mediator_id) SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]))"
            );
            sqlx::query(AssertSqlSafe(sql))
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
    parties.add(id, &input.parties);
    parties.insert(tx).await.map_err(refused)?;
    let mediators: Vec<i64> = input.mediator_ids.iter().map(|&m| mediator_id(m, created)).collect();
    insert_links(tx, "case_mediators", &vec![id; mediators.len()], &mediators)
        .await
        .map_err(refused)?;
    Ok(())
}
