//! The `case_grams` documents of new cases, computed here instead of by
//! the view `case_gram_docs` (migration 0019): the view cuts each field
//! with hex(substr()) over a table of positions, which took most of a big
//! import's search phase. The document is the view's, token for token;
//! the view stays for the trigger and `index_case` (one case at a time).
//! On PostgreSQL the rows of `case_gram_rows` are cut here the same way,
//! for every write path ([`index_postgres`]); the schema's trigger keeps
//! its own SQL.

use std::fmt::Write;

use sqlx::{PgConnection, SqliteConnection};

/// Cases whose documents go to SQLite in one statement: two values
/// each, a few megabytes.
const CHUNK: i64 = 5_000;

/// Each case's gram document (id, grams), `None` when it has no gram.
pub type Document = (i64, Option<String>);

/// A chunk's cases (id, case number, project, summary) and their parties'
/// names (case id, name), as the view reads them.
type Fields = (Vec<(i64, String, String, String)>, Vec<(i64, String)>);

/// Writes the `case_grams` rows of the new cases `first..=last`, a chunk
/// of cases to a statement. A chunk's documents are computed on another
/// thread while SQLite writes the chunk before.
pub(super) async fn insert_new(conn: &mut SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
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
pub(super) async fn insert_ahead(conn: &mut SqliteConnection, documents: Documents) -> Result<(), sqlx::Error> {
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
pub(super) async fn documents(
    conn: &mut SqliteConnection,
    first: i64,
    last: i64,
) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    Ok(documents_of(read(conn, first, last).await?))
}

/// Each case's document, by id.
fn documents_of((cases, parties): Fields) -> Vec<Document> {
    let mut parties = parties.iter().peekable();
    let mut docs = Vec::with_capacity(cases.len());
    for (id, case_no, project, summary) in &cases {
        let names = std::iter::from_fn(|| {
            parties
                .next_if(|(case_id, _)| case_id <= id)
                .map(|(_, name)| name.as_str())
        });
        let fields = [case_no, project, summary].into_iter().map(String::as_str).chain(names);
        docs.push((*id, document(fields)));
    }
    docs
}

/// A case's document from its fields in the view's order: number,
/// project, summary, then its parties' names by role and position.
pub fn document<'a>(fields: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut doc = String::new();
    for field in fields {
        push_field(&mut doc, field);
    }
    // group_concat over no gram at all is NULL.
    (!doc.is_empty()).then_some(doc)
}

/// Adds one field's grams to a document, as the view writes them: for
/// each character, the token of it and the token of it with the next
/// one (itself alone at the end), space-separated. Like SQLite's
/// lower(), only ASCII is lowercased.
fn push_field(doc: &mut String, field: &str) {
    each_gram(field, |one, two| {
        if !doc.is_empty() {
            doc.push(' ');
        }
        push_token(doc, one);
        doc.push(' ');
        push_token(doc, two);
    });
}

/// Calls `f` for each character of a field with the character and the
/// character with the next one (itself alone at the end), as SQLite's
/// view and PostgreSQL's `case_gram_rows` cut a field with substr().
/// Like SQLite's length(), the text ends at its first NUL (PostgreSQL's
/// text holds none).
fn each_gram<'a>(field: &'a str, mut f: impl FnMut(&'a str, &'a str)) {
    let field = field.split('\0').next().unwrap_or_default();
    let mut chars = field.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = at + c.len_utf8();
        let end2 = chars.peek().map_or(end, |(next, d)| next + d.len_utf8());
        f(&field[at..end], &field[at..end2]);
    }
}

/// Appends the token of a gram: the hex of its ASCII-lowercased bytes.
pub(super) fn push_token(out: &mut String, gram: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in gram.bytes().map(|b| b.to_ascii_lowercase()) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xF)] as char);
    }
}

/// Cases indexed a chunk at a time on PostgreSQL: a megabyte or so of
/// gram codes.
const PG_CHUNK: i64 = 5_000;

/// (Re)writes the `case_search` and `case_grams` rows of the cases
/// `first..=last` on PostgreSQL (with the copy of the list's filtered
/// columns, PostgreSQL migration 0012), a chunk of cases at a time: the rows the
/// schema's `case_search_index` writes, with the grams cut here rather
/// than by `case_gram_rows` (`generate_series` over every character took
/// most of a big load), and sent by `COPY`, the server's bulk path.
pub(super) async fn index_postgres(conn: &mut PgConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    let mut from = first;
    while from <= last {
        let to = last.min(from.saturating_add(PG_CHUNK - 1));
        sqlx::query("DELETE FROM case_search WHERE case_id BETWEEN $1 AND $2")
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO case_search (case_id, case_no, project, summary, parties,
                                      status, category, source, district, received_on, committee_id)
             SELECT c.id, c.case_no, c.project, c.summary,
                    (SELECT string_agg(p.name, chr(31) ORDER BY p.role, p.position, p.id)
                     FROM parties p WHERE p.case_id = c.id),
                    c.status, c.category, c.source, c.district, c.received_on, c.committee_id
             FROM cases c WHERE c.id BETWEEN $1 AND $2",
        )
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM case_grams WHERE case_id BETWEEN $1 AND $2")
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await?;
        let rows = copy_rows(&gram_codes(read_postgres(&mut *conn, from, to).await?));
        if !rows.is_empty() {
            let mut copy = conn.copy_in_raw("COPY case_grams (case_id, grams) FROM STDIN").await?;
            copy.send(rows.into_bytes()).await?;
            copy.finish().await?;
        }
        from = to + 1;
    }
    Ok(())
}

/// The fields of the cases `first..=last` their grams are cut from, on
/// PostgreSQL (the order of parties does not matter: a set of grams).
async fn read_postgres(conn: &mut PgConnection, first: i64, last: i64) -> Result<Fields, sqlx::Error> {
    let cases =
        sqlx::query_as("SELECT id, case_no, project, summary FROM cases WHERE id BETWEEN $1 AND $2 ORDER BY id")
            .bind(first)
            .bind(last)
            .fetch_all(&mut *conn)
            .await?;
    let parties = sqlx::query_as("SELECT case_id, name FROM parties WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id")
        .bind(first)
        .bind(last)
        .fetch_all(conn)
        .await?;
    Ok((cases, parties))
}

/// A gram's code in PostgreSQL's `case_grams` (migration 0003's
/// `gram_code`): its character's code point, or for two characters the
/// first's shifted past the 21 bits of any code point, plus the second's.
pub(super) fn gram_code(gram: &str) -> i64 {
    let mut chars = gram.chars().map(|c| i64::from(u32::from(c)));
    match (chars.next(), chars.next()) {
        (Some(one), Some(two)) => (one << 21) | two,
        (Some(one), None) => one,
        (None, _) => 0,
    }
}

/// Each case's `case_grams` row, as `case_grams_write` makes it from
/// `case_gram_rows`: the codes of its distinct grams of one and two
/// characters, ASCII-lowercased as `ascii_lower` does, in order. A case
/// with no gram has no row.
fn gram_codes((cases, parties): Fields) -> Vec<(i64, Vec<i64>)> {
    let mut rows = Vec::with_capacity(cases.len());
    let mut parties = parties.into_iter().peekable();
    for (id, case_no, project, summary) in cases {
        let mut fields = vec![case_no, project, summary];
        while let Some((_, name)) = parties.next_if(|(case_id, _)| *case_id <= id) {
            fields.push(name);
        }
        let mut codes = Vec::new();
        for field in &mut fields {
            field.make_ascii_lowercase();
            each_gram(field, |one, two| {
                codes.push(gram_code(one));
                codes.push(gram_code(two));
            });
        }
        codes.sort_unstable();
        codes.dedup();
        if !codes.is_empty() {
            rows.push((id, codes));
        }
    }
    rows
}

/// The rows in `COPY`'s text format: the id, a tab, the codes as an
/// array literal (digits and commas only: nothing to escape).
fn copy_rows(rows: &[(i64, Vec<i64>)]) -> String {
    let mut out = String::new();
    for (id, codes) in rows {
        // Writing to a String cannot fail.
        let _ = write!(out, "{id}\t{{");
        for (i, code) in codes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{code}");
        }
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(fields: &[&str]) -> String {
        let mut doc = String::new();
        for f in fields {
            push_field(&mut doc, f);
        }
        doc
    }

    #[test]
    fn each_character_gives_its_gram_and_the_pair_it_starts() {
        assert_eq!(document(&["Ab"]), "61 6162 62 62");
        assert_eq!(document(&["张", "x"]), "E5BCA0 E5BCA0 78 78");
        assert_eq!(document(&["", "a\0b"]), "61 61");
        assert_eq!(document(&[""]), "");
    }

    #[test]
    fn postgres_rows_are_each_case_s_distinct_lowercase_gram_codes() {
        let cases = vec![
            (1, "Aa".to_string(), "".to_string(), "张\n".to_string()),
            (2, "".to_string(), "".to_string(), "".to_string()),
            (3, "b".to_string(), "".to_string(), "".to_string()),
        ];
        let parties = vec![(1, "AÉ".to_string()), (3, "B".to_string())];
        let mut first = ["\n", "a", "aa", "aÉ", "É", "张", "张\n"].map(gram_code).to_vec();
        first.sort_unstable();
        assert_eq!(gram_codes((cases, parties)), [(1, first), (3, vec![gram_code("b")])]);
        assert_eq!(gram_code("a"), 97);
        assert_eq!(gram_code("ab"), (97 << 21) | 98);
        assert_eq!(gram_code("🏠"), 0x1F3E0);
        assert_eq!(copy_rows(&[(7, vec![1, 2]), (8, vec![3])]), "7\t{1,2}\n8\t{3}\n");
    }
}
