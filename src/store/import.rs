//! Writing an imported file: every case in one transaction, or none.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::audit::{self, Change};
use super::cases::{next_seq, raise_counter, replace_mediators, replace_parties, snapshot};
use super::{begin_write, is_unique_violation, mediators, now_utc};
use crate::domain::case::CaseInput;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::domain::{CaseNo, Money, Status};

/// One checked row of an import, ready to store.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// The row in the file, as a spreadsheet numbers it (heading = 1).
    pub row: usize,
    /// The number from the file, kept; `None` to assign the next one.
    pub case_no: Option<CaseNo>,
    /// The register fields. A negative mediator id `-n` stands for the
    /// n-th (from 1) name of `new_mediators`, created by the import.
    pub case: CaseInput,
    pub status: Status,
    pub accepted_on: Option<NaiveDate>,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<Money>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub closed_on: Option<NaiveDate>,
}

/// Which of the given numbers are already taken, by the same text or by
/// the same year and sequence (the table's two unique keys). Answers the
/// indexes into `numbers`.
pub async fn taken_numbers(pool: &SqlitePool, numbers: &[CaseNo]) -> Result<Vec<usize>, sqlx::Error> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<serde_json::Value> = numbers
        .iter()
        .map(|n| serde_json::json!([n.to_string(), n.year, n.seq]))
        .collect();
    // One query for the whole file instead of one per row.
    let found: Vec<i64> = sqlx::query_scalar(
        "SELECT CAST(j.key AS INTEGER) FROM json_each(?) j
         WHERE EXISTS (SELECT 1 FROM cases c WHERE c.case_no = j.value ->> 0)
            OR EXISTS (SELECT 1 FROM cases c WHERE c.case_year = j.value ->> 1 AND c.case_seq = j.value ->> 2)
         ORDER BY 1",
    )
    .bind(serde_json::Value::Array(list).to_string())
    .fetch_all(pool)
    .await?;
    Ok(found.into_iter().map(|i| i as usize).collect())
}

/// Why a write stopped without writing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another writer took this row's case number after the check.
    #[error("case number of row {0} taken meanwhile")]
    NumberTaken(usize),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Writes the mediators and cases in one transaction, with their audit
/// entries. Returns the ids of the created mediators.
#[tracing::instrument(skip_all, fields(cases = cases.len(), new_mediators = new_mediators.len()))]
pub async fn write(
    pool: &SqlitePool,
    cases: &[ImportedCase],
    new_mediators: &[String],
    prefix: &str,
    actor: Option<i64>,
) -> Result<Vec<i64>, WriteError> {
    let mut tx = begin_write(pool).await?;
    let mut created = Vec::with_capacity(new_mediators.len());
    for name in new_mediators {
        let id = mediators::insert(&mut *tx, name, "", true).await?;
        let change = Change {
            user_id: actor,
            entity: "mediator",
            entity_id: Some(id),
            case_id: None,
            action: "import",
            before: None,
            after: Some(serde_json::json!({ "name": name, "phone": "", "active": true })),
        };
        audit::record(&mut tx, change).await?;
        created.push(id);
    }
    // Numbers kept from the file come first: each year's counter is raised
    // past them, so numbers assigned now or later never collide.
    let mut highest: BTreeMap<i32, i64> = BTreeMap::new();
    for no in cases.iter().filter_map(|c| c.case_no.as_ref()) {
        let seq = highest.entry(no.year).or_default();
        *seq = (*seq).max(no.seq);
    }
    for (year, seq) in highest {
        raise_counter(&mut tx, year, seq).await?;
    }
    for case in cases {
        insert_case(&mut tx, case, &created, prefix, actor).await?;
    }
    tx.commit().await?;
    Ok(created)
}

async fn insert_case(
    tx: &mut Transaction<'static, Sqlite>,
    c: &ImportedCase,
    created: &[i64],
    prefix: &str,
    actor: Option<i64>,
) -> Result<(), WriteError> {
    let number = match &c.case_no {
        Some(no) => no.clone(),
        None => {
            let year = c.case.received_on.year();
            CaseNo::new(prefix, year, next_seq(tx, year).await?)
        }
    };
    let input = &c.case;
    let now = now_utc();
    let inserted = sqlx::query(
        "INSERT INTO cases (case_no, case_year, case_seq, received_on, accepted_on, source, category, project,
             district, summary, amount_claimed, amount_claimed_blank, status, agreement_type, amount_agreed, agreement_on,
             performance_due, fulfilment, judicial_confirmation, closed_on, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(number.to_string())
    .bind(number.year)
    .bind(number.seq)
    .bind(input.received_on)
    .bind(c.accepted_on)
    .bind(&input.source)
    .bind(&input.category)
    .bind(&input.project)
    .bind(&input.district)
    .bind(&input.summary)
    .bind(input.amount_claimed.map_or(0, |m| m.fen()))
    .bind(input.amount_claimed.is_none())
    .bind(c.status.code())
    .bind(c.agreement_type)
    .bind(c.amount_agreed.map(Money::fen))
    .bind(c.agreement_on)
    .bind(c.performance_due)
    .bind(c.fulfilment)
    .bind(c.judicial_confirmation)
    .bind(c.closed_on)
    .bind(actor)
    .bind(&now)
    .bind(&now)
    .execute(&mut **tx)
    .await;
    let id = match inserted {
        Ok(done) => done.last_insert_rowid(),
        Err(e) if is_unique_violation(&e) => return Err(WriteError::NumberTaken(c.row)),
        Err(e) => return Err(e.into()),
    };
    let mediators: Vec<i64> = input
        .mediator_ids
        .iter()
        .map(|&m| if m < 0 { created[(-m - 1) as usize] } else { m })
        .collect();
    replace_parties(tx, id, &input.parties).await?;
    replace_mediators(tx, id, &mediators).await?;
    let after = snapshot(tx, id).await?;
    let change = Change {
        user_id: actor,
        entity: "case",
        entity_id: Some(id),
        case_id: Some(id),
        action: "import",
        before: None,
        after: Some(after),
    };
    audit::record(tx, change).await?;
    Ok(())
}
