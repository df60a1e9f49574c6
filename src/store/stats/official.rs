//! The official statistics report (issue 16): the national mapping of
//! Accord's categories and sources, and the report's figures, grouped in
//! one query over the cases accepted in the period.
//!
//! The figures are read from `cases`, not from the summary tables: the
//! summary keeps no national type, people or escalation counts, and a
//! report period is at most a year of one committee's (or one subtree's)
//! accepted cases, found through the `accepted_on` index.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::COUNTED;
use crate::domain::Money;
use crate::domain::official::{Cell, Figures, Mapping, NationalType, SourceGroup};
use crate::on_db;
use crate::store::audit::{self, Change};
use crate::store::cases::{Scope, push_scope};
use crate::store::sql::Sql;
use crate::store::{Backend, dialect};

/// The mapping as one flat JSON object for the audit trail
/// (`category.fees`, `source.other` ...), so its diff names each change.
fn to_json(m: &Mapping) -> Value {
    let mut o = Map::new();
    for (code, t) in &m.categories {
        o.insert(format!("category.{code}"), Value::from(t.code()));
    }
    for (code, g) in &m.sources {
        o.insert(format!("source.{code}"), Value::from(g.code()));
    }
    Value::Object(o)
}

/// The mapping as it stands: every category and source of Accord
/// (retired ones too, their old cases still count), each with an admin's
/// choice or the unmapped default.
pub async fn mapping(pool: &crate::store::Db) -> Result<Mapping, sqlx::Error> {
    mapping_in(&mut pool.acquire().await?.conn()).await
}

async fn mapping_in(conn: &mut crate::store::Conn<'_>) -> Result<Mapping, sqlx::Error> {
    let categories: Vec<(String, NationalType)> = Sql::new(format!(
        "SELECT r.code, COALESCE(m.national_type, '{}') FROM categories r
         LEFT JOIN official_category_map m ON m.category = r.code ORDER BY r.sort, r.code",
        NationalType::UNMAPPED.code()
    ))
    .fetch_all_in(conn)
    .await?;
    let sources: Vec<(String, SourceGroup)> = Sql::new(format!(
        "SELECT r.code, COALESCE(m.source_group, '{}') FROM sources r
         LEFT JOIN official_source_map m ON m.source = r.code ORDER BY r.sort, r.code",
        SourceGroup::UNMAPPED.code()
    ))
    .fetch_all_in(conn)
    .await?;
    Ok(Mapping { categories, sources })
}

/// Sets the national line of each code given (codes not given keep
/// theirs), in one transaction with one audit entry naming every change.
pub async fn save_mapping(pool: &crate::store::Db, actor: Option<i64>, change: &Mapping) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let before = mapping_in(&mut tx.conn()).await?;
    // Fixed SQL per list: the table and its two columns, never user input.
    let rows = change
        .categories
        .iter()
        .map(|(code, t)| ("official_category_map", "category", "national_type", code, t.code()))
        .chain(
            (change.sources.iter()).map(|(code, g)| ("official_source_map", "source", "source_group", code, g.code())),
        );
    for (table, key, column, code, value) in rows {
        let sql = format!(
            "INSERT INTO {table} ({key}, {column}) VALUES ($1, $2)
             ON CONFLICT ({key}) DO UPDATE SET {column} = excluded.{column}"
        );
        on_db!(tx, |e| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(code)
            .bind(value)
            .execute(e)
            .await
            .map(|_| ()))?;
    }
    let after = mapping_in(&mut tx.conn()).await?;
    let entry = Change {
        user_id: actor,
        entity: "official_mapping",
        entity_id: None,
        case_id: None,
        action: "update",
        before: Some(to_json(&before)),
        after: Some(to_json(&after)),
    };
    audit::record_diff(&mut tx.conn(), entry).await?;
    tx.commit().await
}

#[derive(sqlx::FromRow)]
struct CellRow {
    committee_id: i64,
    month: String,
    national_type: NationalType,
    source_group: SourceGroup,
    accepted: i64,
    settled: i64,
    in_mediation: i64,
    amount_agreed: i64,
    people: i64,
    fulfilled: i64,
    crime_cases: i64,
    crime_people: i64,
    petition_cases: i64,
    petition_people: i64,
}

impl CellRow {
    fn cell(self) -> (String, Cell) {
        let cell = Cell {
            committee_id: self.committee_id,
            national_type: self.national_type,
            source_group: self.source_group,
            figures: Figures {
                accepted: self.accepted,
                settled: self.settled,
                in_mediation: self.in_mediation,
                amount_agreed: Money::from_fen(self.amount_agreed),
                people: self.people,
                fulfilled: self.fulfilled,
                crime_cases: self.crime_cases,
                crime_people: self.crime_people,
                petition_cases: self.petition_cases,
                petition_people: self.petition_people,
            },
        };
        (self.month, cell)
    }
}

/// The figures of the cases accepted from `from` to `to` (both included)
/// in a scope, by committee, national type and source group (definitions
/// in `domain::official::report`). Voided cases count in none. Committees
/// reported by another installation's packets (`store::rollup`) add their
/// lines of the period's months, unless the scope is a mediator's.
#[tracing::instrument(skip(pool))]
pub async fn cells(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    scope: Scope,
) -> Result<Vec<Cell>, sqlx::Error> {
    let own: Vec<CellRow> = cases_query(pool.backend(), from, to, scope, false)
        .fetch_all(pool)
        .await?;
    let mut reported = Sql::new(format!(
        "SELECT c.committee_id, '' AS month, c.national_type, c.source_group, {SUMS} FROM official_reported c
         WHERE c.month BETWEEN "
    ));
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    reported.push_bind(month(from)).push(" AND ").push_bind(month(to));
    let reported: Vec<CellRow> = match scope {
        Scope::Mediator { .. } => Vec::new(),
        _ => {
            push_scope(&mut reported, scope);
            reported.push(" GROUP BY c.committee_id, c.national_type, c.source_group");
            reported.fetch_all(pool).await?
        }
    };
    Ok(own.into_iter().chain(reported).map(|r| r.cell().1).collect())
}

/// One committee's figures of the cases accepted from `from` to `to`, by
/// month of acceptance (`2026-07`) besides: the lines a statistics packet
/// carries up.
pub async fn monthly_cells(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    committee: i64,
) -> Result<Vec<(String, Cell)>, sqlx::Error> {
    let scope = Scope::Committee {
        id: committee,
        narrow: true,
    };
    let rows: Vec<CellRow> = cases_query(pool.backend(), from, to, scope, true)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(CellRow::cell).collect())
}

/// The sums of a line, named as [`CellRow`] reads them.
const SUMS: &str = "CAST(SUM(accepted) AS BIGINT) AS accepted, CAST(SUM(settled) AS BIGINT) AS settled,
    CAST(SUM(in_mediation) AS BIGINT) AS in_mediation, CAST(SUM(amount_agreed) AS BIGINT) AS amount_agreed,
    CAST(SUM(people) AS BIGINT) AS people, CAST(SUM(fulfilled) AS BIGINT) AS fulfilled,
    CAST(SUM(crime_cases) AS BIGINT) AS crime_cases, CAST(SUM(crime_people) AS BIGINT) AS crime_people,
    CAST(SUM(petition_cases) AS BIGINT) AS petition_cases, CAST(SUM(petition_people) AS BIGINT) AS petition_people";

/// The one grouped query over the cases, by committee, national type,
/// source group and, `by_month`, the month of acceptance (else `''`).
fn cases_query(b: Backend, from: NaiveDate, to: NaiveDate, scope: Scope, by_month: bool) -> Sql {
    let month = if by_month {
        dialect::month_key(b, "c.accepted_on")
    } else {
        "''".to_string()
    };
    let mut q = Sql::new(format!(
        "SELECT t.committee_id, t.month, t.national_type, t.source_group,
            CAST(COUNT(*) AS BIGINT) AS accepted,
            CAST(SUM(CASE WHEN t.status = 'settled' THEN 1 ELSE 0 END) AS BIGINT) AS settled,
            CAST(SUM(CASE WHEN t.status = 'in_mediation' THEN 1 ELSE 0 END) AS BIGINT) AS in_mediation,
            CAST(SUM(t.agreed) AS BIGINT) AS amount_agreed,
            CAST(SUM(t.people) AS BIGINT) AS people,
            CAST(SUM(CASE WHEN t.status = 'settled' AND t.fulfilment = 'fulfilled' THEN 1 ELSE 0 END) AS BIGINT) AS fulfilled,
            CAST(SUM(CASE WHEN t.crime > 0 THEN 1 ELSE 0 END) AS BIGINT) AS crime_cases,
            CAST(SUM(t.crime) AS BIGINT) AS crime_people,
            CAST(SUM(CASE WHEN t.petition > 0 THEN 1 ELSE 0 END) AS BIGINT) AS petition_cases,
            CAST(SUM(t.petition) AS BIGINT) AS petition_people
         FROM (SELECT c.committee_id, {month} AS month, c.status, c.fulfilment,
                COALESCE(cm.national_type, '{unmapped_type}') AS national_type,
                COALESCE(sm.source_group, '{unmapped_group}') AS source_group,
                CASE WHEN c.status = 'settled' THEN COALESCE(c.amount_agreed, 0) ELSE 0 END AS agreed,
                COALESCE(c.people_involved, (SELECT COUNT(*) FROM parties p WHERE p.case_id = c.id)) AS people,
                c.prevented_crime_people AS crime, c.prevented_petition_people AS petition
             FROM cases c
             LEFT JOIN official_category_map cm ON cm.category = c.category
             LEFT JOIN official_source_map sm ON sm.source = c.source
             WHERE c.{COUNTED} AND c.accepted_on BETWEEN ",
        unmapped_type = NationalType::UNMAPPED.code(),
        unmapped_group = SourceGroup::UNMAPPED.code(),
    ));
    q.push_bind(from).push(" AND ").push_bind(to);
    push_scope(&mut q, scope);
    q.push(") t GROUP BY t.committee_id, t.month, t.national_type, t.source_group");
    q
}
