//! Reading whole cases for an export, and for the import's comparison.

use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};

use super::{ExAttachment, ExCase, ExEntry, ExSession, ExVisit, FIELDS, Kind, MARK, Selection, Val, Values};
use crate::domain::PartyRole;
use crate::domain::case::{PartyDetails, PartyInput};
use crate::domain::{IdNumber, Phone};
use crate::on_db;
use crate::store::sql::Sql;
use crate::store::{Conn, attachments, sessions, visits};

/// The ids of the cases an export takes, in the order they were written.
pub async fn select(conn: &mut Conn<'_>, s: &Selection) -> Result<Vec<i64>, sqlx::Error> {
    let mut q = Sql::new("SELECT c.id FROM cases c WHERE TRUE");
    if let Some(c) = s.committee {
        q.push(" AND c.committee_id = ").push_bind(c);
    }
    if let Some(st) = s.status {
        q.push(" AND c.status = ").push_bind(st.code());
    }
    if let Some(d) = s.from {
        q.push(" AND c.received_on >= ").push_bind(d);
    }
    if let Some(d) = s.to {
        q.push(" AND c.received_on <= ").push_bind(d);
    }
    if !s.case_nos.is_empty() {
        q.push(" AND c.case_no IN (").push_list(s.case_nos.iter()).push(")");
    }
    q.push(" ORDER BY c.id");
    let rows: Vec<(i64,)> = q.fetch_all_in(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The case of a UUID, if this installation has it.
pub async fn find(conn: &mut Conn<'_>, uuid: &str) -> Result<Option<i64>, sqlx::Error> {
    on_db!(conn, |e| sqlx::query_scalar("SELECT id FROM cases WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(e)
        .await)
}

/// The case's own columns: [`FIELDS`] (an amount claimed with its blank
/// flag), its UUID, number and committee's prefix.
fn case_sql() -> String {
    let mut cols = String::new();
    for f in FIELDS {
        cols.push_str(&format!("c.{}, ", f.name));
        if f.kind == Kind::Claimed {
            cols.push_str(&format!("c.{}_blank, ", f.name));
        }
    }
    format!(
        "SELECT {cols}c.uuid, c.case_no, COALESCE(o.case_prefix, $2) AS prefix
         FROM cases c LEFT JOIN organisations o ON o.id = c.committee_id WHERE c.id = $1"
    )
}

/// The number, the prefix and the values of the fields, read by kind.
type CaseCols = (String, String, String, Values);

/// A whole case, or `None` when there is no such case. `default_prefix`
/// is the configured prefix, the first committee's when it has none.
pub async fn read(conn: &mut Conn<'_>, id: i64, default_prefix: &str) -> Result<Option<ExCase>, sqlx::Error> {
    let sql = case_sql();
    let cols: Option<CaseCols> = on_db!(conn, |e| {
        match sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(id)
            .bind(default_prefix)
            .fetch_optional(e)
            .await?
        {
            None => None,
            Some(row) => {
                let mut vals = Vec::with_capacity(FIELDS.len());
                for f in FIELDS {
                    vals.push(match f.kind {
                        Kind::Date | Kind::OptDate => Val::Date(row.try_get(f.name)?),
                        Kind::Claimed => {
                            let fen: i64 = row.try_get(f.name)?;
                            let blank: bool = row.try_get(format!("{}_blank", f.name).as_str())?;
                            Val::Fen((!blank).then_some(fen))
                        }
                        Kind::OptMoney => Val::Fen(row.try_get(f.name)?),
                        Kind::People => Val::Count(row.try_get(f.name)?),
                        // None is 0: a document says "none" one way.
                        Kind::Prevented => Val::Count(row.try_get::<Option<i64>, _>(f.name)?.filter(|n| *n > 0)),
                        Kind::Routes => Val::Text(row.try_get::<Option<String>, _>(f.name)?.filter(|s| !s.is_empty())),
                        _ => Val::Text(row.try_get(f.name)?),
                    });
                }
                let uuid: Option<String> = row.try_get("uuid")?;
                Some((
                    uuid.unwrap_or_default(),
                    row.try_get("case_no")?,
                    row.try_get("prefix")?,
                    Values(vals),
                ))
            }
        }
    });
    let Some((uuid, case_no, committee_prefix, fields)) = cols else {
        return Ok(None);
    };
    Ok(Some(ExCase {
        uuid,
        case_no,
        committee_prefix,
        fields,
        parties: parties(conn, id).await?,
        mediators: mediators(conn, id).await?,
        sessions: sessions_of(conn, id).await?,
        visits: visits_of(conn, id).await?,
        attachments: attachments_of(conn, id).await?,
        history: history(conn, id).await?,
    }))
}

type PartyCols = (PartyRole, String, String, String, String, String, String);

async fn parties(conn: &mut Conn<'_>, id: i64) -> Result<Vec<PartyInput>, sqlx::Error> {
    let rows: Vec<PartyCols> = on_db!(conn, |e| sqlx::query_as(
        "SELECT role, party_type, name, phone, id_number, address, representative
         FROM parties WHERE case_id = $1 ORDER BY role, position"
    )
    .bind(id)
    .fetch_all(e)
    .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(role, party_type, name, phone, id_number, address, representative)| PartyInput {
                role,
                party_type,
                name,
                phone: Phone::from_stored(phone),
                details: PartyDetails {
                    id_number: IdNumber::from_stored(id_number),
                    address,
                    representative,
                },
            },
        )
        .collect())
}

/// Names in byte order, whatever the database's collation.
fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

async fn mediators(conn: &mut Conn<'_>, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let names: Vec<String> = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = $1"
    )
    .bind(id)
    .fetch_all(e)
    .await)?;
    Ok(sorted(names))
}

async fn sessions_of(conn: &mut Conn<'_>, id: i64) -> Result<Vec<ExSession>, sqlx::Error> {
    Ok(sessions::for_case_in(conn, id)
        .await?
        .into_iter()
        .map(|s| ExSession {
            held_on: s.held_on,
            form: s.form,
            mediators: sorted(s.mediators.into_iter().map(|(_, n)| n).collect()),
            notes: s.notes,
            voided_on: s.voided_on,
            void_reason: s.void_reason,
        })
        .collect())
}

async fn visits_of(conn: &mut Conn<'_>, id: i64) -> Result<Vec<ExVisit>, sqlx::Error> {
    Ok(visits::for_case_in(conn, id)
        .await?
        .into_iter()
        .map(|v| ExVisit {
            visited_on: v.visited_on,
            visitor: v.visitor,
            performance: v.performance,
            satisfaction: v.satisfaction,
            notes: v.notes,
            voided_on: v.voided_on,
            void_reason: v.void_reason,
        })
        .collect())
}

/// The attachments whose files are still kept (a purged file cannot go).
async fn attachments_of(conn: &mut Conn<'_>, id: i64) -> Result<Vec<ExAttachment>, sqlx::Error> {
    Ok(attachments::list_for_case_in(conn, id)
        .await?
        .into_iter()
        .filter(|a| a.purged_at.is_none())
        .map(|a| ExAttachment {
            name: a.original_name,
            kind: a.kind,
            file_type: a.detected_type,
            size: a.size,
            sha256: a.sha256,
            note: a.note,
            uploaded_at: a.uploaded_at,
            voided_at: a.voided_at,
            voided_reason: a.voided_reason,
        })
        .collect())
}

type EntryCols = (String, Option<String>, String, String, Option<String>, Option<String>);

/// The case's history, oldest first, less the entries an import wrote
/// about itself (see [`MARK`]).
async fn history(conn: &mut Conn<'_>, id: i64) -> Result<Vec<ExEntry>, sqlx::Error> {
    let rows: Vec<EntryCols> = on_db!(conn, |e| sqlx::query_as(
        "SELECT a.at, COALESCE(CAST(u.username AS TEXT), a.actor_name), a.entity, a.action, a.before, a.after
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.case_id = $1 ORDER BY a.id"
    )
    .bind(id)
    .fetch_all(e)
    .await)?;
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
    Ok(rows
        .into_iter()
        .map(|(at, by, entity, action, before, after)| ExEntry {
            at,
            by,
            entity,
            action,
            before: json(before),
            after: json(after),
        })
        .filter(|e| e.after.as_ref().and_then(|a| a.get(MARK)).is_none())
        .collect())
}
