//! The case export's query, streamed: rows go out in small batches through
//! a bounded channel as SQLite reads them, so memory stays flat whatever
//! the number of cases.

use futures_util::TryStreamExt;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tokio::sync::mpsc;

use super::cases::{Scope, push_filter};
use crate::domain::{CaseFilter, Deadlines};

/// Rows per batch sent down the channel.
pub const BATCH: usize = 256;
/// Batches the channel holds before the query waits for the reader.
pub const CHANNEL: usize = 4;

/// One case as the CSV shows it: stored codes, dates as ISO text, fen.
/// Several names are joined with `; ` in SQL, in their stored order
/// (parties by position, mediators by name).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub case_no: String,
    pub received_on: String,
    pub accepted_on: Option<String>,
    pub source: String,
    pub category: String,
    pub project: String,
    pub district: String,
    pub summary: String,
    pub amount_claimed: i64,
    pub status: String,
    pub agreement_type: Option<String>,
    pub amount_agreed: Option<i64>,
    pub agreement_on: Option<String>,
    pub performance_due: Option<String>,
    pub fulfilment: Option<String>,
    pub judicial_confirmation: String,
    pub closed_on: Option<String>,
    pub applicants: Option<String>,
    pub applicant_types: Option<String>,
    pub respondents: Option<String>,
    pub respondent_types: Option<String>,
    pub mediators: Option<String>,
}

/// The export's SELECT, without its WHERE conditions. Public so the
/// benchmark can hand the same columns to the `sqlite3` shell.
pub const SELECT: &str = "SELECT c.case_no, c.received_on, c.accepted_on, c.source, c.category, c.project,
        c.district, c.summary, c.amount_claimed, c.status, c.agreement_type, c.amount_agreed,
        c.agreement_on, c.performance_due, c.fulfilment, c.judicial_confirmation, c.closed_on,
        (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
          WHERE p.case_id = c.id AND p.role = 'applicant') AS applicants,
        (SELECT group_concat(party_type, '; ' ORDER BY position) FROM parties p
          WHERE p.case_id = c.id AND p.role = 'applicant') AS applicant_types,
        (SELECT group_concat(name, '; ' ORDER BY position) FROM parties p
          WHERE p.case_id = c.id AND p.role = 'respondent') AS respondents,
        (SELECT group_concat(party_type, '; ' ORDER BY position) FROM parties p
          WHERE p.case_id = c.id AND p.role = 'respondent') AS respondent_types,
        (SELECT group_concat(m.name, '; ' ORDER BY m.name, m.id) FROM case_mediators cm
          JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id) AS mediators
     FROM cases c WHERE 1 = 1";

/// The order of the export: by date received, then as registered. An
/// import inserts in file order, so a re-export keeps the order.
pub const ORDER: &str = " ORDER BY c.received_on, c.id";

/// Sends every case the filter and scope select, in batches, until done
/// or until the receiver hangs up (the client went away). A failure is
/// sent as the last item so the reader can cut the file short visibly.
/// Returns the number of rows sent.
#[tracing::instrument(skip(pool, tx))]
pub async fn send_cases(
    pool: SqlitePool,
    filter: CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    tx: mpsc::Sender<Result<Vec<ExportRow>, sqlx::Error>>,
) -> u64 {
    let mut qb = QueryBuilder::<Sqlite>::new(SELECT);
    push_filter(&mut qb, &filter, scope, deadlines);
    qb.push(ORDER);
    let mut rows = qb.build_query_as::<ExportRow>().fetch(&pool);
    let mut batch = Vec::with_capacity(BATCH);
    let mut sent = 0u64;
    loop {
        match rows.try_next().await {
            Ok(Some(row)) => {
                batch.push(row);
                if batch.len() == BATCH {
                    sent += BATCH as u64;
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if tx.send(Ok(full)).await.is_err() {
                        tracing::info!(sent, "export abandoned by its reader");
                        return sent;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                tracing::error!(error = %e, sent, "export query failed");
                let _ = tx.send(Err(e)).await;
                return sent;
            }
        }
    }
    sent += batch.len() as u64;
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch)).await;
    }
    sent
}
