//! Everything the case page shows, read on one connection (issue 12:
//! `/cases/{id}` at 5,000 requests a second). Seven queries each through
//! the pool cost seven connections taken and given back, each given back
//! checked by sqlx with one more round trip to the connection's thread;
//! on one connection they cost the queries alone.
//!
//! On SQLite the queries go to the connection's thread as one batch of
//! statements. Each query sent is a hand-over to that thread and back, and
//! under load those hand-overs, not the queries, were most of the page's
//! time: the kernel switching threads took about 60 % of the server's CPU
//! time at 1,000,000 cases.

use futures_util::TryStreamExt;
use sqlx::sqlite::SqliteRow;
use sqlx::{Either, FromRow, SqliteConnection};

use super::read::{CaseWithCreator, PARTIES, case_query, mediators_sql};
use super::{CaseDetail, Scope, get_in};
use crate::store::attachments::{self, Attachment};
use crate::store::audit::{self, Entry};
use crate::store::sessions::{self, Session};
use crate::store::sql::{Arg, bind_all};
use crate::store::transfers::{self, Transfer};
use crate::store::visits::{self, Visit};
use crate::store::{Backend, Conn};

/// A case with its parties and mediators, its sessions and visits, its
/// history, its attachments and its transfers.
pub struct CaseShown {
    pub detail: CaseDetail,
    pub sessions: Vec<Session>,
    pub visits: Vec<Visit>,
    pub history: Vec<Entry>,
    pub attachments: Vec<Attachment>,
    pub transfers: Vec<Transfer>,
}

/// The case page's data, if the scope may see the case.
pub async fn for_page(pool: &crate::store::Db, id: i64, scope: Scope) -> Result<Option<CaseShown>, sqlx::Error> {
    let mut held = pool.acquire().await?;
    let conn = &mut held.conn();
    if let Conn::Sqlite(c) = conn {
        return batched(c, id, scope).await;
    }
    let Some(detail) = get_in(conn, id, scope).await? else {
        return Ok(None);
    };
    Ok(Some(CaseShown {
        detail,
        sessions: sessions::for_case_in(conn, id).await?,
        visits: visits::for_case_in(conn, id).await?,
        history: audit::for_case_in(conn, id).await?,
        attachments: attachments::list_for_case_in(conn, id).await?,
        transfers: transfers::for_case_in(conn, id).await?,
    }))
}

/// [`for_page`] on SQLite: the same queries, sent as one batch. The case's
/// query binds the case id first, and every other statement reads it as
/// `$1`; the rows of each statement come before the result that ends it.
async fn batched(conn: &mut SqliteConnection, id: i64, scope: Scope) -> Result<Option<CaseShown>, sqlx::Error> {
    let (case, args) = case_query(id, scope).into_parts(Backend::Sqlite);
    let text = [
        case.as_str(),
        PARTIES,
        mediators_sql(Backend::Sqlite),
        sessions::FOR_CASE,
        visits::FOR_CASE,
        audit::FOR_CASE,
        &attachments::for_case_sql(),
        &transfers::for_case_sql(),
    ]
    .join(";\n");
    let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(text)), &args);
    // sqlx marks a batch of statements in one query as deprecated, since
    // only its SQLite driver runs them; this path is SQLite's alone.
    #[allow(deprecated)]
    let mut steps = query.fetch_many(conn);
    let mut parts: Vec<Vec<SqliteRow>> = vec![Vec::new()];
    while let Some(step) = steps.try_next().await? {
        match step {
            Either::Left(_) => parts.push(Vec::new()),
            Either::Right(row) => {
                if let Some(part) = parts.last_mut() {
                    part.push(row);
                }
            }
        }
    }
    drop(steps);
    let mut parts = parts.into_iter();
    let mut next = || parts.next().unwrap_or_default();
    let Some(CaseWithCreator { case, created_by_name }) = rows(next())?.pop() else {
        return Ok(None);
    };
    let detail = CaseDetail {
        case,
        parties: rows(next())?,
        mediators: rows(next())?,
        created_by_name,
    };
    Ok(Some(CaseShown {
        detail,
        sessions: sessions::assemble(rows(next())?),
        visits: rows(next())?,
        history: rows(next())?,
        attachments: rows(next())?,
        transfers: rows(next())?,
    }))
}

/// A statement's rows, read as `T`.
fn rows<T: for<'r> FromRow<'r, SqliteRow>>(part: Vec<SqliteRow>) -> Result<Vec<T>, sqlx::Error> {
    part.iter().map(T::from_row).collect()
}
