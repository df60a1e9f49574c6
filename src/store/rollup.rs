//! Statistics packets (issue 16, `domain::packet`): a committee's summary
//! rows of a period, to send up the hierarchy; and, at the parent, a
//! packet's rows kept under the committee it reports (migration 0033),
//! replacing that committee's rows of the same period, in one transaction.

use chrono::Datelike;
use serde_json::json;

use super::audit::{self, Change};
use super::orgs::{self, Organisation};
use super::sql::Sql;
use super::users::User;
use super::{Conn, Db};
use crate::domain::official::OfficialPeriod;
use crate::domain::org::OrgKind;
use crate::domain::packet::{Contents, OfficialLine, SummaryRow};
use crate::on_db;

/// The sums of a summary row, in the tables' order.
const SUMS: &str = "received, claimed, accepted, agreed, closed, close_days, fulfilled";

/// The summary's two grains: table, key column, and the period's bounds in
/// that key (`2026-07`, `2026-07-01`).
fn grains(period: OfficialPeriod) -> [(&'static str, &'static str, String, String); 2] {
    let (from, to) = period.bounds();
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    [
        ("stats_monthly", "month", month(from), month(to)),
        ("stats_daily", "day", day(from), day(to)),
    ]
}

/// A committee's rows of the period, months then days: every dimension
/// but the mediators', every status but voided, no row of zeros.
pub async fn rows(db: &Db, committee: i64, period: OfficialPeriod) -> Result<[Vec<SummaryRow>; 2], sqlx::Error> {
    let mut out = [Vec::new(), Vec::new()];
    for (slot, (table, key, first, last)) in out.iter_mut().zip(grains(period)) {
        // Fixed table and column names, never input.
        let mut q = Sql::new(format!(
            "SELECT dim, code, {key} AS at, status, {SUMS} FROM {table}
             WHERE committee_id = "
        ));
        q.push_bind(committee)
            .push(format!(
                " AND dim IN ('all', 'category', 'source', 'district') AND status <> 'voided' AND {key} BETWEEN "
            ))
            .push_bind(first)
            .push(" AND ")
            .push_bind(last)
            .push(
                " AND (received <> 0 OR claimed <> 0 OR accepted <> 0 OR agreed <> 0 OR closed <> 0
                    OR close_days <> 0 OR fulfilled <> 0)",
            )
            .push(format!(" ORDER BY dim, code, {key}, status"));
        *slot = q.fetch_all(db).await?;
    }
    Ok(out)
}

/// What a received packet did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The reported committee's id here.
    pub committee_id: i64,
    pub committee_name: String,
    /// Whether the committee was new here (its first packet).
    pub created: bool,
    /// Whether rows of the same period were there before and are replaced.
    pub replaced: bool,
}

/// Why a checked packet was not kept.
#[derive(Debug, thiserror::Error)]
pub enum NotKept {
    /// A packet of the same committee made later has written one of the
    /// period's months (its time of making given): older figures never
    /// go back over newer ones, whatever order the packets come in.
    #[error("a packet made later ({0}) was received already")]
    Older(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Keeps a checked packet sent with `user`'s token: the committee it
/// reports is found by `user` and the committee's id at the sender, or
/// made under `user`'s association (their own organisation, or the one
/// their committee sits in); its rows of the packet's months and days are
/// replaced by the packet's, and so are its lines of the official report,
/// unless a packet of the committee made later wrote one of those months
/// ([`NotKept::Older`]; the same packet again is taken).
/// Audited; the statistics' data version moves.
pub async fn receive(db: &Db, user: &User, packet: &Contents) -> Result<Received, NotKept> {
    let mut tx = db.begin_write().await?;
    let key = format!("{}:{}", user.id, packet.committee.id);
    let found: Option<i64> = on_db!(tx, |e| sqlx::query_scalar(
        "SELECT id FROM organisations WHERE remote_key = $1"
    )
    .bind(&key)
    .fetch_optional(e)
    .await)?;
    let (committee_id, created) = match found {
        Some(id) => (id, false),
        None => (add_committee(&mut tx.conn(), user, packet, &key).await?, true),
    };
    let months = months_of(packet.period);
    if let Some(kept) = newer_than(&mut tx.conn(), committee_id, &months, &packet.created_at).await? {
        return Err(NotKept::Older(kept));
    }
    let mut replaced = false;
    for (table, column, first, last) in grains(packet.period) {
        let mut q = Sql::new(format!("DELETE FROM {table} WHERE committee_id = "));
        q.push_bind(committee_id)
            .push(format!(" AND {column} BETWEEN "))
            .push_bind(first)
            .push(" AND ")
            .push_bind(last);
        replaced |= q.execute_in(&mut tx.conn()).await? > 0;
    }
    for ((table, column, _, _), rows) in grains(packet.period).into_iter().zip([&packet.months, &packet.days]) {
        for chunk in rows.chunks(500) {
            let mut q = Sql::new(format!(
                "INSERT INTO {table} (committee_id, dim, code, {column}, status, {SUMS}) VALUES "
            ));
            for (i, r) in chunk.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ", (" });
                q.push_list([committee_id]).push(", ");
                q.push_list([r.dim.clone(), r.code.clone(), r.at.clone(), r.status.clone()])
                    .push(", ");
                q.push_list([
                    r.received,
                    r.claimed,
                    r.accepted,
                    r.agreed,
                    r.closed,
                    r.close_days,
                    r.fulfilled,
                ])
                .push(")");
            }
            q.execute_in(&mut tx.conn()).await?;
        }
    }
    replace_official(&mut tx.conn(), committee_id, packet).await?;
    for month in &months {
        on_db!(tx, |e| sqlx::query(
            "INSERT INTO packet_months (committee_id, month, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (committee_id, month) DO UPDATE SET created_at = excluded.created_at"
        )
        .bind(committee_id)
        .bind(month)
        .bind(&packet.created_at)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    on_db!(tx, |e| sqlx::query("UPDATE data_version SET n = n + 1")
        .execute(e)
        .await
        .map(|_| ()))?;
    let name = orgs::get_in(&mut tx.conn(), committee_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let entry = Change {
        user_id: Some(user.id),
        entity: "statistics_packet",
        entity_id: Some(committee_id),
        case_id: None,
        action: if replaced { "replace" } else { "receive" },
        before: None,
        after: Some(json!({
            "period": packet.period.code(),
            "committee": name,
            "rows": packet.months.len() + packet.days.len() + packet.official.len(),
        })),
    };
    audit::record(&mut tx.conn(), entry).await?;
    tx.commit().await?;
    Ok(Received {
        committee_id,
        committee_name: name,
        created,
        replaced,
    })
}

/// The months of a period (`2026-07` ...).
fn months_of(period: OfficialPeriod) -> Vec<String> {
    let (from, to) = period.bounds();
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| d.day() == 1)
        .map(|d| d.format("%Y-%m").to_string())
        .collect()
}

/// The latest time of making of the packets that wrote `months` of the
/// committee, when it is after `created_at` (both UTC in one spelling).
async fn newer_than(
    conn: &mut Conn<'_>,
    committee_id: i64,
    months: &[String],
    created_at: &str,
) -> Result<Option<String>, sqlx::Error> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(None);
    };
    let kept: Option<String> = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT MAX(created_at) FROM packet_months WHERE committee_id = $1 AND month BETWEEN $2 AND $3"
    )
    .bind(committee_id)
    .bind(first)
    .bind(last)
    .fetch_one(e)
    .await)?;
    Ok(kept.filter(|k| k.as_str() > created_at))
}

/// Makes the organisation of a reported committee under `user`'s
/// association, named as the sender names it (with the account's name
/// after it when a sibling has that name already).
async fn add_committee(conn: &mut Conn<'_>, user: &User, packet: &Contents, key: &str) -> Result<i64, sqlx::Error> {
    let own: Option<Organisation> = orgs::get_in(conn, user.org_id).await?;
    let parent = match own {
        Some(o) if o.kind == OrgKind::Association => Some(o),
        Some(o) => match o.parent_id {
            Some(p) => orgs::get_in(conn, p).await?,
            None => None,
        },
        None => None,
    }
    .ok_or(sqlx::Error::RowNotFound)?;
    let sender = &packet.committee;
    let taken: i64 = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations WHERE parent_id = $1 AND name = $2"
    )
    .bind(parent.id)
    .bind(&sender.name)
    .fetch_one(e)
    .await)?;
    let name = if taken > 0 {
        format!("{} ({})", sender.name, user.username)
    } else {
        sender.name.clone()
    };
    let row = orgs::Row {
        kind: OrgKind::Committee.code(),
        level: None,
        name: &name,
        region: sender.region_code.as_deref(),
        prefix: None,
        remote_key: Some(key),
    };
    orgs::insert_under(conn, &parent, &row).await
}

/// The committee's official-report lines of the packet's months, replaced
/// by the packet's.
async fn replace_official(conn: &mut Conn<'_>, committee_id: i64, packet: &Contents) -> Result<(), sqlx::Error> {
    let (from, to) = packet.period.bounds();
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let mut q = Sql::new("DELETE FROM official_reported WHERE committee_id = ");
    q.push_bind(committee_id)
        .push(" AND month BETWEEN ")
        .push_bind(month(from))
        .push(" AND ")
        .push_bind(month(to));
    q.execute_in(conn).await?;
    for chunk in packet.official.chunks(500) {
        let mut q = Sql::new(
            "INSERT INTO official_reported (committee_id, month, national_type, source_group, accepted, settled,
                in_mediation, amount_agreed, people, fulfilled, crime_cases, crime_people, petition_cases,
                petition_people) VALUES ",
        );
        for (
            i,
            OfficialLine {
                month,
                national_type,
                source_group,
                figures: f,
            },
        ) in chunk.iter().enumerate()
        {
            q.push(if i == 0 { "(" } else { ", (" });
            q.push_bind(committee_id).push(", ");
            q.push_list([month.as_str(), national_type.code(), source_group.code()])
                .push(", ");
            q.push_list([
                f.accepted,
                f.settled,
                f.in_mediation,
                f.amount_agreed.fen(),
                f.people,
                f.fulfilled,
                f.crime_cases,
                f.crime_people,
                f.petition_cases,
                f.petition_people,
            ])
            .push(")");
        }
        q.execute_in(conn).await?;
    }
    Ok(())
}
