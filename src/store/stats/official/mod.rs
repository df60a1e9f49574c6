//! The official statistics report (issue 16): the national mapping of
//! Accord's categories and sources, and the report's figures.
//!
//! The figures are read from the report's own summary, `official_monthly`
//! (migration 0034, kept by triggers: see [`summary`]), a few rows per
//! committee and month, mapped onto the national lists as they are read;
//! a grouped query over the cases accepted in the period (1 s for a year
//! at a million cases) is left for a mediator's own cases, which the
//! summary does not follow, and for the tests, which check that both
//! agree.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Map, Value};

use super::{COUNTED, Via};
use crate::domain::Money;
use crate::domain::official::{Cell, Figures, Mapping, NationalType, SourceGroup};
use crate::on_db;
use crate::store::audit::{self, Change};
use crate::store::cases::{Scope, push_scope};
use crate::store::sql::Sql;
use crate::store::{Backend, dialect};

pub(super) mod summary;

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
pub async fn cells(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    scope: Scope,
) -> Result<Vec<Cell>, sqlx::Error> {
    cells_via(pool, from, to, scope, Via::Best).await
}

/// [`cells`], the installation's own figures read the way asked: the
/// summary when it can answer (whole months, a scope of committees), or
/// always the cases (the tests' check).
#[tracing::instrument(skip(pool))]
pub async fn cells_via(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    scope: Scope,
    via: Via,
) -> Result<Vec<Cell>, sqlx::Error> {
    let own: Vec<CellRow> = own_query(pool.backend(), from, to, scope, false, via)
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
    monthly_cells_via(pool, from, to, committee, Via::Best).await
}

/// [`monthly_cells`] read the way asked (see [`cells_via`]).
pub async fn monthly_cells_via(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    committee: i64,
    via: Via,
) -> Result<Vec<(String, Cell)>, sqlx::Error> {
    let scope = Scope::Committee {
        id: committee,
        narrow: true,
    };
    let rows: Vec<CellRow> = own_query(pool.backend(), from, to, scope, true, via)
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

/// The query of the installation's own figures: [`summary_query`] when it
/// can answer, else [`cases_query`].
fn own_query(b: Backend, from: NaiveDate, to: NaiveDate, scope: Scope, by_month: bool, via: Via) -> Sql {
    let whole_months = from.day() == 1 && to.checked_add_days(Days::new(1)).is_some_and(|d| d.day() == 1);
    let mediator = matches!(scope, Scope::Mediator { .. });
    if via == Via::Best && whole_months && !mediator {
        summary_query(from, to, scope, by_month)
    } else {
        cases_query(b, from, to, scope, by_month)
    }
}

/// The figures from `official_monthly` (migration 0034): the rows of the
/// period's months in the scope's committees, each mapped onto its
/// national type and source group, then grouped as [`cases_query`] groups
/// the cases. Rows of zeros (their cases gone elsewhere) are left out, as
/// no case would give them. A committee's scope reads its range of the key
/// (`c.committee_id =`, whatever share of the cases it holds).
fn summary_query(from: NaiveDate, to: NaiveDate, scope: Scope, by_month: bool) -> Sql {
    let month = if by_month { "c.month" } else { "''" };
    let mut q = Sql::new(format!(
        "SELECT t.committee_id, t.month, t.national_type, t.source_group, {SUMS}
         FROM (SELECT c.committee_id, {month} AS month,
                COALESCE(cm.national_type, '{unmapped_type}') AS national_type,
                COALESCE(sm.source_group, '{unmapped_group}') AS source_group,
                c.accepted, c.settled, c.in_mediation, c.amount_agreed, c.people, c.fulfilled, c.crime_cases,
                c.crime_people, c.petition_cases, c.petition_people
             FROM official_monthly c
             LEFT JOIN official_category_map cm ON cm.category = c.category
             LEFT JOIN official_source_map sm ON sm.source = c.source
             WHERE c.accepted <> 0 AND c.month BETWEEN ",
        unmapped_type = NationalType::UNMAPPED.code(),
        unmapped_group = SourceGroup::UNMAPPED.code(),
    ));
    let key = |d: NaiveDate| d.format("%Y-%m").to_string();
    q.push_bind(key(from)).push(" AND ").push_bind(key(to));
    let scope = match scope {
        Scope::Committee { id, .. } => Scope::Committee { id, narrow: true },
        other => other,
    };
    push_scope(&mut q, scope);
    q.push(") t GROUP BY t.committee_id, t.month, t.national_type, t.source_group");
    q
}

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
