//! The case export's query, streamed: rows go out in small batches through
//! a bounded channel as SQLite reads them, so memory stays flat whatever
//! the number of cases.

use futures_util::TryStreamExt;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::mpsc;

use super::cases::{Scope, push_filter};
use crate::domain::{CaseFilter, Deadlines};

/// Rows per batch sent down the channel.
pub const BATCH: usize = 256;
/// Batches the channel holds before the query waits for the reader.
pub const CHANNEL: usize = 4;

/// One case as the store holds it: codes, dates as ISO text, fen. Its
/// parties and mediators come packed in one column each (see [`SELECT`]),
/// which is what keeps the export fast: one index range per case for the
/// parties instead of four, and mediator names joined in memory.
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
    /// Every party, applicants first, each in its position:
    /// `{a|r}{type}\x1F{name}`, separated by `\x1E`. See [`parties`].
    pub parties: Option<String>,
    /// Mediator ids, comma-separated.
    pub mediator_ids: Option<String>,
}

/// One party of a packed [`ExportRow::parties`]: (applicant?, type, name).
pub fn parties(packed: &str) -> impl Iterator<Item = (bool, &str, &str)> {
    packed.split('\x1E').filter(|p| !p.is_empty()).map(|p| {
        let applicant = p.starts_with('a');
        let rest = p.get(1..).unwrap_or("");
        let (party_type, name) = rest.split_once('\x1F').unwrap_or((rest, ""));
        (applicant, party_type, name)
    })
}

/// The export's SELECT, without its WHERE conditions.
pub const SELECT: &str = "SELECT c.case_no, c.received_on, c.accepted_on, c.source, c.category, c.project,
        c.district, c.summary, c.amount_claimed, c.status, c.agreement_type, c.amount_agreed,
        c.agreement_on, c.performance_due, c.fulfilment, c.judicial_confirmation, c.closed_on,
        (SELECT group_concat(substr(p.role, 1, 1) || p.party_type || char(31) || p.name, char(30)
                ORDER BY p.role, p.position)
           FROM parties p WHERE p.case_id = c.id) AS parties,
        (SELECT group_concat(cm.mediator_id) FROM case_mediators cm WHERE cm.case_id = c.id) AS mediator_ids
     FROM cases c WHERE 1 = 1";

/// The order of the export: by date received, then as registered. An
/// import inserts in file order, so a re-export keeps the order.
pub const ORDER: &str = " ORDER BY c.received_on, c.id";

/// Rows SQLite's thread may read ahead of the encoder. sqlx's default (50)
/// makes the two threads wake each other every few rows, which costs more
/// than reading the rows.
const ROW_BUFFER: usize = 2048;

/// Page cache of the export's own connection. A sequential read gains
/// nothing from the pool's large cache, and a million rows would fill it.
const EXPORT_CACHE_KIB: &str = "-2048";

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
    // A connection of its own, outside the pool: a long export neither
    // holds one of the pool's few connections nor grows their caches.
    let options = (*pool.connect_options())
        .clone()
        .pragma("cache_size", EXPORT_CACHE_KIB)
        .row_buffer_size(ROW_BUFFER);
    let mut conn = match SqliteConnection::connect_with(&options).await {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "export could not connect");
            let _ = tx.send(Err(e)).await;
            return 0;
        }
    };
    let sent = stream_rows(&mut conn, &filter, scope, deadlines, &tx).await;
    let _ = conn.close().await;
    sent
}

async fn stream_rows(
    conn: &mut SqliteConnection,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    tx: &mpsc::Sender<Result<Vec<ExportRow>, sqlx::Error>>,
) -> u64 {
    let mut qb = QueryBuilder::<Sqlite>::new(SELECT);
    push_filter(&mut qb, filter, scope, deadlines);
    qb.push(ORDER);
    let mut rows = qb.build_query_as::<ExportRow>().fetch(&mut *conn);
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
