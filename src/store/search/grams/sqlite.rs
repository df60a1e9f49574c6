//! SQLite's `case_grams` documents written: those of new cases read back
//! a chunk at a time, those made ahead (staged in a temporary table), and
//! those the demo makes as it draws.

use sqlx::SqliteConnection;

use super::{Document, Fields, documents_of};

/// Cases whose documents go to SQLite in one statement: two values
/// each, a few megabytes.
const CHUNK: i64 = 5_000;

/// Writes the `case_grams` rows of the new cases `first..=last`, a chunk
/// of cases to a statement. A chunk's documents are computed on another
/// thread while SQLite writes the chunk before.
pub(in crate::store::search) async fn insert_new(
    conn: &mut SqliteConnection,
    first: i64,
    last: i64,
) -> Result<(), sqlx::Error> {
    let mut writing: Option<Vec<Document>> = None;
    let mut from = first;
    while from <= last {
        let to = last.min(from.saturating_add(CHUNK - 1));
        let fields = read(&mut *conn, from, to).await?;
        let computing = tokio::task::spawn_blocking(move || documents_of(fields));
        if let Some(rows) = writing.take() {
            insert(&mut *conn, INDEX, rows).await?;
        }
        writing = Some(computing.await.map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?);
        from = to + 1;
    }
    if let Some(rows) = writing {
        insert(conn, INDEX, rows).await?;
    }
    Ok(())
}

/// The `case_grams` documents of new cases, computed from their fields
/// before their rows are written (an import makes them before it takes
/// the write lock), a chunk of cases to a statement; or once staged, none.
#[derive(Debug, Default)]
pub struct Documents {
    chunks: Vec<Vec<Document>>,
    /// Written into `temp.import_grams` already ([`Documents::stage`]).
    staged: bool,
}

/// The documents of new cases from their fields: each case's id, number,
/// project and summary in order of id, and its parties' names (case id,
/// name) in the order the view reads them (by case, role, position).
pub fn documents_ahead(cases: Vec<(i64, String, String, String)>, parties: Vec<(i64, String)>) -> Documents {
    let docs = documents_of((cases, parties));
    Documents {
        chunks: docs.chunks(CHUNK as usize).map(<[Document]>::to_vec).collect(),
        staged: false,
    }
}

impl Documents {
    /// Writes them into `temp.import_grams`, emptied first: the
    /// connection's own table, whose writing takes no lock of the
    /// database's, copied into the index under the lock.
    pub async fn stage(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        sqlx::query("DROP TABLE IF EXISTS temp.import_grams")
            .execute(&mut *conn)
            .await?;
        sqlx::query("CREATE TEMP TABLE import_grams (id INTEGER, grams TEXT)")
            .execute(&mut *conn)
            .await?;
        for rows in std::mem::take(&mut self.chunks) {
            insert(&mut *conn, "temp.import_grams (id, grams)", rows).await?;
        }
        self.staged = true;
        Ok(())
    }
}

/// Drops `temp.import_grams` (see [`Documents::stage`]).
pub async fn unstage(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS temp.import_grams")
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes documents made by [`documents_ahead`]: copied from the staging
/// table when staged, else a chunk to a statement.
pub(in crate::store::search) async fn insert_ahead(
    conn: &mut SqliteConnection,
    documents: Documents,
) -> Result<(), sqlx::Error> {
    if documents.staged {
        sqlx::query("INSERT INTO case_grams (rowid, grams) SELECT id, grams FROM temp.import_grams")
            .execute(&mut *conn)
            .await?;
    }
    for rows in documents.chunks {
        insert(&mut *conn, INDEX, rows).await?;
    }
    Ok(())
}

/// The index's table and columns, for [`insert`].
const INDEX: &str = "case_grams (rowid, grams)";

/// Cases whose documents [`insert_documents`] writes in one statement:
/// as many as SQLite binds values to one (32,766), since each statement
/// ends the index's segment (see `search::bulk_pending`).
pub const DOCUMENTS_PER_STATEMENT: usize = 16_000;

/// Writes documents into the index, [`DOCUMENTS_PER_STATEMENT`] cases to a
/// statement (the demo, which makes them as it draws its cases).
pub async fn insert_documents(conn: &mut SqliteConnection, docs: Vec<Document>) -> Result<(), sqlx::Error> {
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        insert(&mut *conn, INDEX, docs.by_ref().take(DOCUMENTS_PER_STATEMENT).collect()).await?;
    }
    Ok(())
}

/// One chunk's documents into `into` (a table of ours and its two
/// columns), as bound values: no text to parse on the way in.
async fn insert(conn: &mut SqliteConnection, into: &str, rows: Vec<Document>) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = format!("INSERT INTO {into} VALUES ");
    for i in 0..rows.len() {
        sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
    }
    // Fixed SQL: names of ours, then placeholders only.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (id, grams) in rows {
        query = query.bind(id).bind(grams);
    }
    query.execute(conn).await?;
    Ok(())
}

/// The fields of the cases `first..=last` a gram document is made of.
async fn read(conn: &mut SqliteConnection, first: i64, last: i64) -> Result<Fields, sqlx::Error> {
    let cases = sqlx::query_as("SELECT id, case_no, project, summary FROM cases WHERE id BETWEEN ? AND ? ORDER BY id")
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
    // The view reads a case's parties through `parties_case`, so in this order.
    let parties = sqlx::query_as(
        "SELECT case_id, name FROM parties WHERE case_id BETWEEN ? AND ? ORDER BY case_id, role, position",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?;
    Ok((cases, parties))
}

/// The gram documents of the cases `first..=last`, by id: what
/// `SELECT id, grams FROM case_gram_docs` answers for them.
#[cfg(test)]
pub(in crate::store::search) async fn documents(
    conn: &mut SqliteConnection,
    first: i64,
    last: i64,
) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    Ok(documents_of(read(conn, first, last).await?))
}
