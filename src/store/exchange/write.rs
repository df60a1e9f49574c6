//! Writing whole cases from an exchange file, in the caller's transaction:
//! a new case numbered in the importing committee's series, or a known one
//! whose fields, parties, mediators, sessions and visits are replaced.
//! Attachments and history entries are only ever added (nothing is
//! deleted), each once.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::{ExAttachment, ExCase, ExEntry, ExSession, ExVisit, FIELDS, Kind, MARK, Val, Values};
use crate::domain::CaseNo;
use crate::on_db;
use crate::store::audit::{self, Change};
use crate::store::cases::{next_seq, replace_mediators, replace_parties, snapshot};
use crate::store::links::{self, MediatorLinks};
use crate::store::orgs::Committee;
use crate::store::sql::{Arg, Sql};
use crate::store::{Conn, mediators, now_utc};

/// A case written: its id and number here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: i64,
    pub case_no: String,
}

/// Each field's columns and values, in [`FIELDS`] order.
fn columns(values: &Values) -> Vec<(String, Arg)> {
    let mut out = Vec::with_capacity(FIELDS.len() + 1);
    for (f, v) in FIELDS.iter().zip(&values.0) {
        match (f.kind, v) {
            (Kind::Claimed, Val::Fen(fen)) => {
                out.push((f.name.to_string(), Arg::Int(Some(fen.unwrap_or(0)))));
                out.push((format!("{}_blank", f.name), Arg::Bool(Some(fen.is_none()))));
            }
            (_, Val::Fen(fen)) => out.push((f.name.to_string(), Arg::Int(*fen))),
            (Kind::Prevented, Val::Count(n)) => out.push((f.name.to_string(), Arg::Int(Some(n.unwrap_or(0))))),
            (_, Val::Count(n)) => out.push((f.name.to_string(), Arg::Int(*n))),
            (_, Val::Date(d)) => out.push((f.name.to_string(), Arg::Date(*d))),
            (_, Val::Text(t)) => out.push((f.name.to_string(), Arg::Text(t.clone()))),
        }
    }
    out
}

/// Creates a case that this installation does not have: the next number
/// of `committee`'s series in the year of `today` (as a transferred case
/// takes one), the case's own UUID, everything it holds, and one history
/// entry saying it was imported, with the number it had (`mark` tells
/// from where).
pub async fn create(
    conn: &mut Conn<'_>,
    case: &ExCase,
    committee: &Committee,
    today: NaiveDate,
    mark: &Value,
) -> Result<Written, sqlx::Error> {
    let year = today.year();
    let seq = next_seq(conn, committee.id, year).await?;
    let case_no = CaseNo::new(&committee.prefix, year, seq).to_string();
    let now = now_utc();
    let cols = columns(&case.fields);
    let mut q = Sql::new("INSERT INTO cases (committee_id, case_no, case_year, case_seq, uuid, created_at, updated_at");
    for (name, _) in &cols {
        q.push(", ").push(name);
    }
    q.push(") VALUES (")
        .push_bind(committee.id)
        .push(", ")
        .push_bind(&case_no)
        .push(", ")
        .push_bind(year)
        .push(", ")
        .push_bind(seq)
        .push(", ")
        .push_bind(&case.uuid)
        .push(", ")
        .push_bind(&now)
        .push(", ")
        .push_bind(&now);
    for (_, arg) in cols {
        q.push(", ").push_bind(arg);
    }
    q.push(") RETURNING id");
    let (id,): (i64,) = q.fetch_one_in(conn).await?;
    write_children(conn, id, committee.id, case).await?;
    add_history(conn, id, &case.history, &[]).await?;
    add_attachments(conn, id, &case.attachments, &[]).await?;
    let after = with_mark(snapshot(conn, id).await?, mark);
    let change = Change {
        user_id: None,
        entity: "case",
        entity_id: Some(id),
        case_id: Some(id),
        action: "import",
        before: Some(serde_json::json!({ "case_no": case.case_no })),
        after: Some(after),
    };
    audit::record(conn, change).await?;
    Ok(Written { id, case_no })
}

/// Replaces a known case's content with the file's: `existing` is the case
/// as read here (see [`super::read`]), so only what it lacks of
/// attachments and history is added. Its number stays.
pub async fn update(
    conn: &mut Conn<'_>,
    id: i64,
    committee_id: i64,
    existing: &ExCase,
    case: &ExCase,
    mark: &Value,
) -> Result<(), sqlx::Error> {
    let before = snapshot(conn, id).await?;
    let mut q = Sql::new("UPDATE cases SET updated_at = ");
    q.push_bind(now_utc());
    for (name, arg) in columns(&case.fields) {
        q.push(", ").push(name).push(" = ").push_bind(arg);
    }
    q.push(" WHERE id = ").push_bind(id);
    q.execute_in(conn).await?;
    write_children(conn, id, committee_id, case).await?;
    add_history(conn, id, &case.history, &existing.history).await?;
    add_attachments(conn, id, &case.attachments, &existing.attachments).await?;
    let after = snapshot(conn, id).await?;
    let (before, after) = audit::diff(&before, &after);
    let change = Change {
        user_id: None,
        entity: "case",
        entity_id: Some(id),
        case_id: Some(id),
        action: "update",
        before: Some(before),
        after: Some(with_mark(after, mark)),
    };
    audit::record(conn, change).await
}

fn with_mark(mut after: Value, mark: &Value) -> Value {
    if let Some(map) = after.as_object_mut() {
        map.insert(MARK.into(), mark.clone());
    }
    after
}

/// Parties, mediators, sessions and visits, as the file has them.
async fn write_children(conn: &mut Conn<'_>, id: i64, committee_id: i64, case: &ExCase) -> Result<(), sqlx::Error> {
    replace_parties(conn, id, &case.parties).await?;
    let ids = mediator_ids(conn, committee_id, &case.mediators).await?;
    replace_mediators(conn, id, &ids).await?;
    replace_sessions(conn, id, committee_id, &case.sessions).await?;
    replace_visits(conn, id, &case.visits).await
}

/// The committee's mediators of these names, each added when it has none
/// of that name yet.
pub async fn mediator_ids(conn: &mut Conn<'_>, committee_id: i64, names: &[String]) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let found: Option<i64> = on_db!(conn, |e| sqlx::query_scalar(
            "SELECT id FROM mediators WHERE committee_id = $1 AND name = $2 ORDER BY id LIMIT 1"
        )
        .bind(committee_id)
        .bind(name)
        .fetch_optional(e)
        .await)?;
        let id = match found {
            Some(id) => id,
            None => mediators::insert_in(conn, committee_id, name, "", true).await?,
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn replace_sessions(
    conn: &mut Conn<'_>,
    id: i64,
    committee_id: i64,
    sessions: &[ExSession],
) -> Result<(), sqlx::Error> {
    Sql::new("DELETE FROM mediation_sessions WHERE case_id = ")
        .push_bind(id)
        .execute_in(conn)
        .await?;
    for s in sessions {
        let session: i64 = on_db!(conn, |e| sqlx::query_scalar(
            "INSERT INTO mediation_sessions (case_id, held_on, form, notes, created_at, voided_on, void_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(id)
        .bind(s.held_on)
        .bind(s.form)
        .bind(&s.notes)
        .bind(now_utc())
        .bind(s.voided_on)
        .bind(&s.void_reason)
        .fetch_one(e)
        .await)?;
        let ids = mediator_ids(conn, committee_id, &s.mediators).await?;
        links::replace(conn, MediatorLinks::Session, session, &ids).await?;
    }
    Ok(())
}

async fn replace_visits(conn: &mut Conn<'_>, id: i64, visits: &[ExVisit]) -> Result<(), sqlx::Error> {
    Sql::new("DELETE FROM return_visits WHERE case_id = ")
        .push_bind(id)
        .execute_in(conn)
        .await?;
    for v in visits {
        on_db!(conn, |e| sqlx::query(
            "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, notes, created_at,
                 voided_on, void_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(id)
        .bind(v.visited_on)
        .bind(&v.visitor)
        .bind(v.performance)
        .bind(v.satisfaction)
        .bind(&v.notes)
        .bind(now_utc())
        .bind(v.voided_on)
        .bind(&v.void_reason)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Appends the entries of `entries` that `kept` does not have, as they
/// were written where they came from (who made them kept by name).
async fn add_history(conn: &mut Conn<'_>, id: i64, entries: &[ExEntry], kept: &[ExEntry]) -> Result<(), sqlx::Error> {
    for h in entries.iter().filter(|h| !kept.contains(h)) {
        let text = |v: &Option<Value>| v.as_ref().map(Value::to_string);
        on_db!(conn, |e| sqlx::query(
            "INSERT INTO audit_log (at, entity, case_id, action, before, after, actor_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(&h.at)
        .bind(&h.entity)
        .bind(id)
        .bind(&h.action)
        .bind(text(&h.before))
        .bind(text(&h.after))
        .bind(&h.by)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Adds the attachment rows `kept` does not have. Their files are in the
/// file store already (the caller puts them there first).
async fn add_attachments(
    conn: &mut Conn<'_>,
    id: i64,
    list: &[ExAttachment],
    kept: &[ExAttachment],
) -> Result<(), sqlx::Error> {
    for a in list.iter().filter(|a| !kept.contains(a)) {
        on_db!(conn, |e| sqlx::query(
            "INSERT INTO attachments (case_id, kind, note, original_name, size, sha256, detected_type, uploaded_at,
                 voided_at, voided_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(id)
        .bind(a.kind)
        .bind(&a.note)
        .bind(&a.name)
        .bind(a.size)
        .bind(&a.sha256)
        .bind(a.file_type)
        .bind(&a.uploaded_at)
        .bind(&a.voided_at)
        .bind(&a.voided_reason)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}
