//! A case registered or changed: its row, its number, its parties and
//! its mediators, in one transaction with its audit entry.

use chrono::Datelike;

use super::{CaseRecord, NewCase, insert};
use crate::domain::CaseNo;
use crate::domain::case::{CaseInput, PartyInput};
use crate::on_db;
use crate::store::audit;
use crate::store::orgs::Committee;
use crate::store::sql::Sql;
use crate::store::{Backend, begin_write, now_utc};

/// Registers a case. The number is drawn in the same transaction as the
/// insert, so a failed write rolls the counter back and leaves no gap.
#[tracing::instrument(skip(pool, input))]
pub async fn create(
    pool: &crate::store::Db,
    input: &CaseInput,
    committee: &Committee,
    created_by: Option<i64>,
) -> Result<(i64, String), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let year = input.received_on.year();
    let seq = next_seq(&mut tx.conn(), committee.id, year).await?;
    let case_no = CaseNo::new(&committee.prefix, year, seq).to_string();
    let now = now_utc();
    let id = insert(
        &mut tx.conn(),
        &NewCase::registered(input, committee.id, &case_no, year, seq, created_by, &now),
    )
    .await?;
    replace_people(&mut tx.conn(), id, &input.parties, &input.mediator_ids).await?;
    audit::created::<CaseRecord>(&mut tx.conn(), CaseRecord::target(id, created_by, "create")).await?;
    tx.commit().await?;
    Ok((id, case_no))
}

/// A committee's next sequence number of a year, taken inside the
/// caller's transaction.
pub async fn next_seq(tx: &mut crate::store::Conn<'_>, committee_id: i64, year: i32) -> Result<i64, sqlx::Error> {
    on_db!(tx, |e| {
        sqlx::query_scalar(
            "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, 1)
             ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = case_counters.last_seq + 1
             RETURNING last_seq",
        )
        .bind(committee_id)
        .bind(i64::from(year))
        .fetch_one(e)
        .await
    })
}

/// Raises a committee's counter of a year to at least `seq`, for numbers
/// that arrive already assigned (import, demo data): later numbers never
/// collide.
pub async fn raise_counter(
    conn: &mut crate::store::Conn<'_>,
    committee_id: i64,
    year: i32,
    seq: i64,
) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query(
            "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, $3)
             ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = CASE WHEN excluded.last_seq > case_counters.last_seq
                 THEN excluded.last_seq ELSE case_counters.last_seq END",
        )
        .bind(committee_id)
        .bind(i64::from(year))
        .bind(seq)
        .execute(e)
        .await
        .map(|_| ())
    })
}

/// Changes a case's register fields, parties and mediators.
/// The case number stays as assigned. False when there is no such case.
#[tracing::instrument(skip(pool, input))]
pub async fn update(
    pool: &crate::store::Db,
    id: i64,
    input: &CaseInput,
    actor: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let target = CaseRecord::target(id, actor, "update");
    let found = audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), target, async |conn| {
        let done = on_db!(conn, |e| {
            sqlx::query(
                "UPDATE cases SET received_on = $1, source = $2, category = $3, project = $4, district = $5,
                     summary = $6, amount_claimed = $7, amount_claimed_blank = $8, updated_at = $9,
                     people_involved = $10, prevented_crime_people = $11, prevented_petition_people = $12
                 WHERE id = $13",
            )
            .bind(input.received_on)
            .bind(&input.source)
            .bind(&input.category)
            .bind(&input.project)
            .bind(&input.district)
            .bind(&input.summary)
            .bind(input.amount_claimed.map_or(0, |m| m.fen()))
            .bind(input.amount_claimed.is_none())
            .bind(now_utc())
            .bind(input.figures.people_involved.map(i64::from))
            .bind(i64::from(input.figures.prevented_crime))
            .bind(i64::from(input.figures.prevented_petition))
            .bind(id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
        })?;
        if done == 0 {
            return Ok(false);
        }
        replace_people(conn, id, &input.parties, &input.mediator_ids).await?;
        Ok(true)
    })
    .await?;
    tx.commit().await?;
    Ok(found)
}

/// Writes a case's parties in form order, replacing any it had, then
/// writes the case's search document once.
pub(crate) async fn replace_parties(
    tx: &mut crate::store::Conn<'_>,
    case_id: i64,
    parties: &[PartyInput],
) -> Result<(), sqlx::Error> {
    if tx.backend() == Backend::Sqlite {
        // The parties and the search documents, as one batch.
        return sqlite_batch(case_id, parties, None).execute_in(tx).await.map(|_| ());
    }
    let (delete, insert) = parties_statements(case_id, parties);
    delete.execute_in(tx).await?;
    if let Some(insert) = insert {
        insert.execute_in(tx).await?;
    }
    crate::store::search::index_case(tx, case_id).await
}

/// The delete of a case's parties, and the insert of the new ones in form
/// order (none without parties).
fn parties_statements(case_id: i64, parties: &[PartyInput]) -> (Sql, Option<Sql>) {
    let mut delete = Sql::new("DELETE FROM parties WHERE case_id = ");
    delete.push_bind(case_id);
    let head = "INSERT INTO parties (case_id, role, party_type, name, phone, position, id_number, address,
                representative) VALUES ";
    let insert = crate::store::sql::values(
        head,
        "",
        parties.len(),
        &mut parties.iter().enumerate(),
        |q, (at, p)| {
            q.push_bind(case_id).push(", ").push_bind(p.role.code()).push(", ");
            q.push_bind(&p.party_type).push(", ").push_bind(&p.name).push(", ");
            q.push_bind(p.phone.as_str()).push(", ").push_bind(at as i64).push(", ");
            q.push_bind(p.details.id_number.as_str()).push(", ");
            q.push_bind(&p.details.address)
                .push(", ")
                .push_bind(&p.details.representative);
        },
    );
    (delete, insert)
}

/// [`replace_parties`] and [`replace_mediators`]: on SQLite one batch
/// ([`sqlite_batch`]), one hand-over while the write holds the lock.
pub(crate) async fn replace_people(
    tx: &mut crate::store::Conn<'_>,
    case_id: i64,
    parties: &[PartyInput],
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    if tx.backend() == Backend::Sqlite {
        return sqlite_batch(case_id, parties, Some(mediator_ids))
            .execute_in(tx)
            .await
            .map(|_| ());
    }
    replace_parties(tx, case_id, parties).await?;
    replace_mediators(tx, case_id, mediator_ids).await
}

/// On SQLite, a case's parties, its mediator links when given, and its
/// search documents as one batch (one hand-over to the connection's thread).
fn sqlite_batch(case_id: i64, parties: &[PartyInput], mediator_ids: Option<&[i64]>) -> Sql {
    let (mut batch, insert) = parties_statements(case_id, parties);
    if let Some(insert) = insert {
        batch.then(insert);
    }
    if let Some(ids) = mediator_ids {
        crate::store::links::push_replace(&mut batch, crate::store::links::MediatorLinks::Case, case_id, ids);
    }
    batch.push(";\n");
    crate::store::search::push_index_case(&mut batch, case_id);
    batch
}

/// Links a case to its mediators, replacing any links it had.
pub(crate) async fn replace_mediators(
    conn: &mut crate::store::Conn<'_>,
    case_id: i64,
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    crate::store::links::replace(conn, crate::store::links::MediatorLinks::Case, case_id, mediator_ids).await
}
