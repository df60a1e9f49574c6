//! The case export's query, streamed so memory stays flat whatever the
//! number of cases.
//!
//! Speed comes from handing over many cases at a time: SQLite groups the
//! cases by the day they were received (the export's order, which the
//! `cases_received` index already gives, so nothing is sorted or held) and
//! packs each day into one JSON array. Row by row, sqlx's hand-over between
//! its SQLite thread and the reader costs more than SQLite's own work; a
//! day at a time, it vanishes. A day is small (hundreds of cases at
//! national scale), so a reader never holds much.

use std::borrow::Cow;
use std::collections::HashMap;

use futures_util::TryStreamExt;
use serde::Deserialize;
use sqlx::{AssertSqlSafe, Connection, SqliteConnection};
use tokio::sync::mpsc;

use super::cases::{Scope, push_filter};
use super::sql::{Arg, Sql, bind_all};
use super::{Backend, Conn, Db};
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::domain::{CaseFilter, Deadlines, Status};
use crate::on_db;

/// Days the channel holds before the query waits for the reader.
pub const CHANNEL: usize = 8;

/// Page cache of the export's own connection. A sequential read gains
/// nothing from the pool's large cache, and a million rows would fill it.
const EXPORT_CACHE_KIB: &str = "-2048";

/// The cases received on one day, in the order registered, as SQLite
/// packed them (read them with [`Day::cases`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Day {
    pub received_on: String,
    cases: String,
}

/// One case of a [`Day`], borrowing its text: codes, ISO dates, fen.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportCase<'a> {
    #[serde(borrow)]
    pub case_no: Cow<'a, str>,
    #[serde(borrow)]
    pub accepted_on: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub source: Cow<'a, str>,
    #[serde(borrow)]
    pub category: Cow<'a, str>,
    #[serde(borrow)]
    pub project: Cow<'a, str>,
    #[serde(borrow)]
    pub district: Cow<'a, str>,
    #[serde(borrow)]
    pub summary: Cow<'a, str>,
    /// `None` when left blank.
    pub amount_claimed: Option<i64>,
    pub status: Status,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<i64>,
    #[serde(borrow)]
    pub agreement_on: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub performance_due: Option<Cow<'a, str>>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    #[serde(borrow)]
    pub closed_on: Option<Cow<'a, str>>,
    /// The parties: how many applicants, then every party's type and name,
    /// applicants first, each side in its order.
    #[serde(borrow)]
    pub parties: (usize, Vec<Cow<'a, str>>, Vec<Cow<'a, str>>),
    /// Mediator ids, comma-separated.
    #[serde(borrow)]
    pub mediator_ids: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub agreement_terms: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub close_reason: Option<Cow<'a, str>>,
}

impl Day {
    /// The day's cases, in the order they were registered.
    pub fn cases(&self) -> Result<Vec<ExportCase<'_>>, serde_json::Error> {
        serde_json::from_str(&self.cases)
    }
}

impl ExportCase<'_> {
    /// (applicant?, type, name) of every party, applicants first.
    pub fn parties(&self) -> impl Iterator<Item = (bool, &str, &str)> {
        let (applicants, types, names) = &self.parties;
        types
            .iter()
            .zip(names)
            .enumerate()
            .map(move |(i, (t, n))| (i < *applicants, t.as_ref(), n.as_ref()))
    }
}

/// The export's query, less its WHERE conditions and grouping: one JSON
/// array per day, each case an array in [`ExportCase`]'s field order. JSON
/// keeps any text intact. A case's parties come from one range of the
/// `parties_case` index (case_id, role, position), which hands them over
/// applicants first, each side in position order; `INDEXED BY` makes that
/// order certain (the query fails loudly if the index ever goes). An
/// `ORDER BY` inside their aggregates would instead sort every case's
/// parties and halve the export's speed.
const SELECT: &str = "SELECT c.received_on, json_group_array(json_array(
        c.case_no, c.accepted_on, c.source, c.category, c.project, c.district, c.summary, iif(c.amount_claimed_blank, NULL, c.amount_claimed),
        c.status, c.agreement_type, c.amount_agreed, c.agreement_on, c.performance_due, c.fulfilment,
        c.judicial_confirmation, c.closed_on,
        (SELECT json_array(COALESCE(SUM(p.role = 'applicant'), 0),
                           json_group_array(p.party_type),
                           json_group_array(p.name))
           FROM parties p INDEXED BY parties_case WHERE p.case_id = c.id),
        (SELECT group_concat(cm.mediator_id) FROM case_mediators cm WHERE cm.case_id = c.id),
        c.agreement_terms, c.close_reason
     ) ORDER BY c.id) AS cases
     FROM cases c WHERE 1 = 1";

/// [`SELECT`] on PostgreSQL: the same arrays (dates as `YYYY-MM-DD`, no
/// parties as `[0, [], []]`, mediator ids in ascending order as SQLite's
/// primary key gives them), the parties ordered as the `parties_case`
/// index holds them.
const SELECT_POSTGRES: &str =
    "SELECT to_char(c.received_on, 'YYYY-MM-DD') AS received_on, CAST(json_agg(json_build_array(
        c.case_no, c.accepted_on, c.source, c.category, c.project, c.district, c.summary,
        CASE WHEN c.amount_claimed_blank THEN NULL ELSE c.amount_claimed END,
        c.status, c.agreement_type, c.amount_agreed, c.agreement_on, c.performance_due, c.fulfilment,
        c.judicial_confirmation, c.closed_on,
        (SELECT json_build_array(COUNT(*) FILTER (WHERE p.role = 'applicant'),
                                 COALESCE(json_agg(p.party_type ORDER BY p.role, p.position, p.id), CAST('[]' AS json)),
                                 COALESCE(json_agg(p.name ORDER BY p.role, p.position, p.id), CAST('[]' AS json)))
           FROM parties p WHERE p.case_id = c.id),
        (SELECT string_agg(CAST(cm.mediator_id AS TEXT), ',' ORDER BY cm.mediator_id)
           FROM case_mediators cm WHERE cm.case_id = c.id),
        c.agreement_terms, c.close_reason
     ) ORDER BY c.id) AS TEXT) AS cases
     FROM cases c WHERE TRUE";

/// By date received, then as registered. An import inserts in file order,
/// so a re-export keeps the order.
const GROUP: &str = " GROUP BY c.received_on ORDER BY c.received_on";

/// What the export's query task sends: first the mediators' names, then
/// the days, all read in one transaction so names and cases agree.
#[derive(Debug)]
pub enum Part {
    /// Every mediator's name, by id.
    Mediators(HashMap<i64, String>),
    Day(Day),
}

/// Sends the mediators and then the days of every case the filter and
/// scope select, until done or until the receiver hangs up (the client
/// went away). A failure is sent as the last item so the reader can cut
/// the file short visibly. Returns the number of days sent.
#[tracing::instrument(skip(pool, tx))]
pub async fn send_days(
    pool: crate::store::Db,
    filter: CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    tx: mpsc::Sender<Result<Part, sqlx::Error>>,
) -> u64 {
    // A connection of its own, outside the pool: a long export neither
    // holds one of the pool's few connections nor grows their caches.
    // Temporary storage on disk: should a filter's plan need SQLite to sort
    // (most follow an index in date order and sort nothing), a large sort
    // spills to a file instead of memory.
    let sent = match &pool {
        Db::Sqlite(p) => {
            let options = (*p.connect_options())
                .clone()
                .pragma("cache_size", EXPORT_CACHE_KIB)
                .pragma("temp_store", "file");
            match SqliteConnection::connect_with(&options).await {
                Ok(mut conn) => {
                    // One read transaction: the names and the cases are one snapshot.
                    let sent = match Conn::Sqlite(&mut conn).begin().await {
                        Ok(mut read) => {
                            let sent = stream_days(&mut read.conn(), &filter, scope, deadlines, &tx).await;
                            let _ = read.rollback().await;
                            sent
                        }
                        Err(e) => Err(e),
                    };
                    let _ = conn.close().await;
                    sent
                }
                Err(e) => Err(e),
            }
        }
        // A server keeps its caches to itself: one of the pool's
        // connections, in a transaction of one snapshot.
        Db::Postgres(_) => match pool.begin_read().await {
            Ok(mut read) => {
                let sent = stream_days(&mut read.conn(), &filter, scope, deadlines, &tx).await;
                let _ = read.rollback().await;
                sent
            }
            Err(e) => Err(e),
        },
    };
    match sent {
        Ok(sent) => sent,
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            let _ = tx.send(Err(e)).await;
            0
        }
    }
}

/// Sends the names, then the days, read on `read` (a transaction, so that
/// they are one snapshot; the caller ends it).
async fn stream_days(
    read: &mut crate::store::Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    tx: &mpsc::Sender<Result<Part, sqlx::Error>>,
) -> Result<u64, sqlx::Error> {
    let names: Vec<(i64, String)> = on_db!(read, |e| {
        sqlx::query_as("SELECT id, name FROM mediators").fetch_all(e).await
    })?;
    if tx.send(Ok(Part::Mediators(names.into_iter().collect()))).await.is_err() {
        return Ok(0);
    }
    let b = read.backend();
    let mut q = Sql::new(match b {
        Backend::Sqlite => SELECT,
        Backend::Postgres => SELECT_POSTGRES,
    });
    push_filter(&mut q, b, filter, scope, deadlines);
    // No export holds a voided case, whatever the filter asked for.
    q.push(" AND c.status <> 'voided'");
    q.push(GROUP);
    on_db!(read, |e| {
        let mut days = bind_all!(sqlx::query_as::<_, Day>(AssertSqlSafe(q.text_for(b))), q.args()).fetch(e);
        let mut sent = 0u64;
        while let Some(day) = days.try_next().await? {
            if tx.send(Ok(Part::Day(day))).await.is_err() {
                tracing::info!(sent, "export abandoned by its reader");
                break;
            }
            sent += 1;
        }
        Ok(sent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_unpacks_into_cases_and_their_parties_in_order() {
        let day = Day {
            received_on: "2026-11-02".into(),
            cases: r#"[["物调〔2026〕第0001号",null,"s","c","p\n\"q\"","d","x",1250,"settled","oral",100,
                "2026-11-03",null,null,"none",null,[2,["owner","occupant","property_company"],["张三","李\u001f四","某公司"]],"3,1","一次付清",null]]"#
                .into(),
        };
        let cases = day.cases().unwrap();
        assert_eq!(cases.len(), 1);
        let c = &cases[0];
        assert_eq!(c.project, "p\n\"q\"");
        assert_eq!(c.amount_agreed, Some(100));
        assert_eq!(
            c.parties().collect::<Vec<_>>(),
            vec![
                (true, "owner", "张三"),
                (true, "occupant", "李\u{1f}四"),
                (false, "property_company", "某公司")
            ]
        );
        assert_eq!(c.mediator_ids.as_deref(), Some("3,1"));
        assert_eq!(c.agreement_terms.as_deref(), Some("一次付清"));
        assert_eq!(c.close_reason, None);
    }
}
