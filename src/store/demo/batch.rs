//! A batch of drawn cases made ready on the drawing thread, then written:
//! its rows, and on SQLite its gram documents.

use super::{DemoCase, children};
use crate::store::Backend;
use crate::store::Conn;
use crate::store::cases::{NewCase, Statements};
use crate::store::search;
use crate::store::sql::Sql;

/// A batch of drawn cases made ready to write: on SQLite its statements,
/// made on the drawing thread while the batch before is written, so the
/// writing connection waits for no one; on PostgreSQL the cases.
pub struct Ready {
    /// How many cases.
    pub cases: usize,
    /// What they claim in all, in fen.
    pub claimed: i64,
    /// Their gram documents on SQLite (see [`insert_grams`]), else none.
    pub grams: Vec<search::Document>,
    rows: Rows,
}

enum Rows {
    Sqlite(Statements, Vec<Sql>),
    Postgres(Vec<DemoCase>),
}

impl Ready {
    /// A batch for backend `b`.
    pub fn new(b: Backend, batch: Vec<DemoCase>) -> Ready {
        let cases = batch.len();
        let claimed = batch.iter().map(|c| c.amount_claimed).sum();
        let (rows, grams) = match b {
            Backend::Sqlite => {
                let stamps = stamps(&batch);
                let rows: Vec<NewCase> = batch.iter().zip(&stamps).map(|(c, stamp)| c.row(stamp)).collect();
                let statements = Rows::Sqlite(Statements::new(b, &rows), children::sqlite(&batch));
                (statements, batch.iter().map(DemoCase::gram_document).collect())
            }
            Backend::Postgres => (Rows::Postgres(batch), Vec::new()),
        };
        Ready {
            cases,
            claimed,
            grams,
            rows,
        }
    }
}

/// Demo cases were "entered" on the day they arrived.
fn stamps(batch: &[DemoCase]) -> Vec<String> {
    batch.iter().map(|c| format!("{}T01:00:00Z", c.received_on)).collect()
}

/// Writes one batch: the cases, then what hangs on them (parents first:
/// with the indexes set aside, a child row's foreign key is checked
/// against its parent's primary key, never by a scan).
pub async fn insert_batch(conn: &mut crate::store::Conn<'_>, ready: Ready) -> Result<(), sqlx::Error> {
    match ready.rows {
        Rows::Sqlite(cases, children) => {
            cases.run(&mut *conn).await?;
            for q in children {
                q.run_in(&mut *conn).await?;
            }
            Ok(())
        }
        Rows::Postgres(batch) if !batch.is_empty() => {
            let stamps = stamps(&batch);
            let rows: Vec<NewCase> = batch.iter().zip(&stamps).map(|(c, stamp)| c.row(stamp)).collect();
            crate::store::cases::insert_many(&mut *conn, &rows).await?;
            match conn {
                Conn::Postgres(c) => children::postgres(c, &batch).await,
                Conn::Sqlite(_) => Err(sqlx::Error::Protocol("a PostgreSQL batch on SQLite".into())),
            }
        }
        Rows::Postgres(_) => Ok(()),
    }
}

/// Writes gram documents of cases written already ([`DemoCase::gram_document`])
/// into SQLite's index, on the way; [`end_bulk`](super::end_bulk) writes the rest of the
/// search rows. PostgreSQL's are all written by `end_bulk`.
pub async fn insert_grams(conn: &mut crate::store::Conn<'_>, docs: Vec<search::Document>) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => search::insert_documents(c, docs).await,
        Conn::Postgres(_) => Ok(()),
    }
}
