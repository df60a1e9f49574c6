//! The case export's query, streamed so memory stays flat whatever the
//! number of cases, in the way each backend hands over many cases fastest:
//! SQLite a day at a time as one JSON array ([`sqlite`]), PostgreSQL in
//! batches of plain rows read through a cursor ([`postgres`]). Both give
//! the same [`ExportCase`]s in the same order, so the same data makes the
//! same file on either.

mod postgres;
mod sqlite;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::mpsc;

use super::cases::{Scope, push_filter};
use super::sql::Sql;
use super::{Backend, Conn, Db};
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
use crate::domain::{CaseFilter, Deadlines, Status};
use crate::on_db;

pub use postgres::Batch;
pub use sqlite::Day;

/// Parts (days or batches) the channel holds before the query waits for
/// the reader.
pub const CHANNEL: usize = 8;

/// Page cache of the export's own connection. A sequential read gains
/// nothing from the pool's large cache, and a million rows would fill it.
const EXPORT_CACHE_KIB: &str = "-2048";

/// One case of the export: codes, ISO dates (`YYYY-MM-DD`), fen. From
/// SQLite it borrows its text from a [`Day`]; from PostgreSQL it owns it.
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
    /// The official report's fields (issue 16): `None` counts the parties.
    pub people_involved: Option<i64>,
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
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

/// What the export's query task sends: first the mediators' names, then
/// the cases, all read in one transaction so names and cases agree.
#[derive(Debug)]
pub enum Part {
    /// Every mediator's name, by id.
    Mediators(HashMap<i64, String>),
    /// SQLite's cases of one day.
    Day(Day),
    /// PostgreSQL's next cases.
    Batch(Batch),
}

/// A part whose cases could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("a day of cases from SQLite: {0}")]
    Day(#[from] serde_json::Error),
    #[error("a batch of cases from PostgreSQL: {0}")]
    Batch(#[from] sqlx::Error),
}

impl Part {
    /// About how many bytes the part's cases take as CSV, to size the
    /// buffer they are written into at once instead of growing it.
    pub fn size_hint(&self) -> usize {
        match self {
            Part::Mediators(_) => 0,
            // A day's JSON is about as long as its CSV.
            Part::Day(day) => day.cases.len(),
            Part::Batch(batch) => batch.len() * postgres::ROW_BYTES,
        }
    }

    /// Calls `f` with each case of the part in the export's order, and the
    /// day it was received (`YYYY-MM-DD`); returns how many. The cases are
    /// lent, not returned, so that they can borrow buffers reused from one
    /// case to the next.
    pub fn each<E: From<ReadError>>(&self, f: impl FnMut(&str, &ExportCase<'_>) -> Result<(), E>) -> Result<u64, E> {
        match self {
            Part::Mediators(_) => Ok(0),
            Part::Day(day) => day.each(f),
            Part::Batch(batch) => batch.each(f),
        }
    }
}

/// Sends the mediators and then the cases (days or batches) the filter and
/// scope select, until done or until the receiver hangs up (the client
/// went away). A failure is sent as the last item so the reader can cut
/// the file short visibly. Returns the number of parts sent after the
/// names.
// At debug level: an enabled span is entered at every poll, thousands of
// times a second here.
#[tracing::instrument(level = "debug", skip(pool, tx))]
pub async fn send_cases(
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
            let options = (*p.pool().connect_options())
                .clone()
                .pragma("cache_size", EXPORT_CACHE_KIB)
                .pragma("temp_store", "file");
            match SqliteConnection::connect_with(&options).await {
                Ok(mut conn) => {
                    // One read transaction: the names and the cases are one snapshot.
                    let sent = match Conn::Sqlite(&mut conn).begin().await {
                        Ok(mut read) => {
                            let sent = stream(&mut read.conn(), &filter, scope, deadlines, &tx).await;
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
                let sent = stream(&mut read.conn(), &filter, scope, deadlines, &tx).await;
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

/// Sends the names, then the cases, read on `read` (a transaction, so that
/// they are one snapshot; the caller ends it).
async fn stream(
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
        Backend::Sqlite if sqlite::in_date_order(filter, scope) => sqlite::SELECT_IN_DATE_ORDER,
        Backend::Sqlite => sqlite::SELECT,
        Backend::Postgres => postgres::SELECT,
    });
    push_filter(&mut q, b, filter, scope, deadlines);
    // No export holds a voided case, whatever the filter asked for.
    q.push(" AND c.status <> 'voided'");
    match read {
        Conn::Sqlite(conn) => sqlite::send(conn, q, tx).await,
        Conn::Postgres(conn) => postgres::send(conn, q, tx).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_lends_its_cases_one_by_one_and_stops_at_the_first_refusal() {
        let case = |no: &str| {
            format!(
                r#"["{no}",null,"s","c","p","d","x",null,"registered",null,null,null,null,null,"none",null,[0,[],[]],null,null,null,null,0,0]"#
            )
        };
        let day = Day {
            received_on: "2026-11-02".into(),
            cases: format!("[{},{},{}]", case("1"), case("2"), case("3")),
        };
        let mut seen = Vec::new();
        let n = Part::Day(day.clone()).each(|on, c| {
            seen.push(format!("{on} {}", c.case_no));
            Ok::<_, ReadError>(())
        });
        assert_eq!(n.unwrap(), 3);
        assert_eq!(seen, ["2026-11-02 1", "2026-11-02 2", "2026-11-02 3"]);

        #[derive(Debug, PartialEq)]
        enum Stop {
            Refused,
            Unread,
        }
        impl From<ReadError> for Stop {
            fn from(_: ReadError) -> Stop {
                Stop::Unread
            }
        }
        let mut seen = 0;
        let stopped = Part::Day(day).each(|_, c| {
            seen += 1;
            if c.case_no == "2" { Err(Stop::Refused) } else { Ok(()) }
        });
        assert_eq!((stopped, seen), (Err(Stop::Refused), 2));

        let broken = Day {
            received_on: "2026-11-02".into(),
            cases: format!("[{},", case("1")),
        };
        assert!(matches!(
            Part::Day(broken).each(|_, _| Ok::<_, ReadError>(())),
            Err(ReadError::Day(_))
        ));
    }

    #[test]
    fn a_day_unpacks_into_cases_and_their_parties_in_order() {
        let day = Day {
            received_on: "2026-11-02".into(),
            cases: r#"[["物调〔2026〕第0001号",null,"s","c","p\n\"q\"","d","x",1250,"settled","oral",100,
                "2026-11-03",null,null,"none",null,[2,["owner","occupant","property_company"],["张三","李\u001f四","某公司"]],"3,1","一次付清",null,
                12,3,0]]"#
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
        assert_eq!(
            (c.people_involved, c.prevented_crime_people, c.prevented_petition_people),
            (Some(12), 3, 0)
        );
    }
}
