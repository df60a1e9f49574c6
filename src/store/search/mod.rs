//! Substring search through two indexes: the `case_search` trigram index
//! (migration 0005) finds words of three characters or more, `case_grams`
//! (migration 0019) words of one or two characters. Both find the cases a
//! LIKE over the columns themselves would find, without reading every case.

use crate::domain::CaseFilter;
use crate::domain::search::{PhoneSearch, phone_digits, words};
use crate::store::Backend;
use crate::store::dialect::like;
use crate::store::sql::Sql;

mod grams;

pub use grams::{DOCUMENTS_PER_STATEMENT, Document, Documents, document, documents_ahead, insert_documents, unstage};

/// (Re)writes a case's search document from the case and its parties,
/// once, after a write path has written them all (migration 0008: no
/// trigger indexes a new case or follows its party rows).
pub async fn index_case(conn: &mut crate::store::Conn<'_>, case_id: i64) -> Result<(), sqlx::Error> {
    if let crate::store::Conn::Postgres(c) = conn {
        return grams::index_postgres(c, case_id, case_id).await;
    }
    let mut batch = Sql::new("");
    push_index_case(&mut batch, case_id);
    batch.execute_in(conn).await.map(|_| ())
}

/// [`index_case`] on SQLite as statements added to `batch`, so a write
/// path sends them with its own in one hand-over to the connection's
/// thread (issue 12: a write waited for its turn on the CPU once per
/// statement under load).
///
/// A document that already reads as the case does is left alone: most
/// edits change an amount or a date, not the words searched. Rewriting
/// it anyway cost most of an edit's time: each write to an FTS5 index
/// adds a segment of its own, which the index then merges with the
/// others. The gram document follows the trigram one (both are made of
/// the same words), so it is rewritten exactly when that one is stale.
pub fn push_index_case(batch: &mut Sql, case_id: i64) {
    batch
        .push("DELETE FROM case_grams WHERE rowid = ")
        .push_bind(case_id)
        .push(" AND NOT ");
    push_current(batch, case_id);
    batch
        .push(";\nINSERT INTO case_grams (rowid, grams) SELECT id, grams FROM case_gram_docs WHERE id = ")
        .push_bind(case_id)
        .push(" AND NOT ");
    push_current(batch, case_id);
    batch
        .push(";\nDELETE FROM case_search WHERE rowid = ")
        .push_bind(case_id)
        .push(" AND NOT ");
    push_current(batch, case_id);
    batch
        .push(
            ";\nINSERT INTO case_search (rowid, case_no, project, summary, parties)
             SELECT c.id, c.case_no, c.project, c.summary, ",
        )
        .push(PARTY_NAMES)
        .push(" FROM cases c WHERE c.id = ")
        .push_bind(case_id)
        .push(" AND NOT EXISTS (SELECT 1 FROM case_search WHERE rowid = ")
        .push_bind(case_id)
        .push(")");
}

/// A case's party names as its trigram document holds them (`c`: the case).
const PARTY_NAMES: &str = "(SELECT group_concat(p.name, char(31)) FROM parties p WHERE p.case_id = c.id)";

/// Whether the case's trigram document reads as the case does now.
fn push_current(batch: &mut Sql, case_id: i64) {
    batch
        .push("EXISTS (SELECT 1 FROM case_search s JOIN cases c ON c.id = s.rowid WHERE s.rowid = ")
        .push_bind(case_id)
        .push(
            " AND s.case_no IS c.case_no AND s.project IS c.project AND s.summary IS c.summary
                 AND s.parties IS ",
        )
        .push(PARTY_NAMES)
        .push(")");
}

/// Writes the search documents of the new cases with ids `first..=last`,
/// none of which is indexed yet (an import or a demo batch): the trigram
/// documents in one statement, the grams a chunk of cases at a time (on
/// PostgreSQL both a chunk at a time, see `grams::index_postgres`).
pub async fn index_new(conn: &mut crate::store::Conn<'_>, first: i64, last: i64) -> Result<(), sqlx::Error> {
    index_new_with(conn, first, last, None).await
}

/// [`index_new`], with the gram documents made ahead ([`documents_ahead`])
/// when given (SQLite; PostgreSQL cuts its own); an empty [`Documents`]
/// when they are in the index already ([`insert_documents`]).
pub async fn index_new_with(
    conn: &mut crate::store::Conn<'_>,
    first: i64,
    last: i64,
    grams: Option<Documents>,
) -> Result<(), sqlx::Error> {
    if let crate::store::Conn::Postgres(c) = conn {
        let started = std::time::Instant::now();
        grams::index_postgres(c, first, last).await?;
        tracing::debug!(first, last, ms = started.elapsed().as_millis(), "search index written");
        return Ok(());
    }
    let started = std::time::Instant::now();
    sqlx::query(
        "INSERT INTO case_search (rowid, case_no, project, summary, parties)
         SELECT c.id, c.case_no, c.project, c.summary,
                (SELECT group_concat(p.name, char(31)) FROM parties p WHERE p.case_id = c.id)
         FROM cases c WHERE c.id BETWEEN ? AND ?",
    )
    .bind(first)
    .bind(last)
    .execute(conn.sqlite()?)
    .await?;
    tracing::debug!(first, last, ms = started.elapsed().as_millis(), "trigram index written");
    match grams {
        Some(documents) => grams::insert_ahead(conn.sqlite()?, documents).await,
        // The view `case_gram_docs` writes the same grams, slowly (see `grams`).
        None => grams::insert_new(conn.sqlite()?, first, last).await,
    }
}

/// The two FTS5 indexes of SQLite.
const FTS_TABLES: [&str; 2] = ["case_search", "case_grams"];

/// FTS5's own limit on the new rows an index holds in memory before it
/// writes them out as a segment of its own: a megabyte.
const PENDING_DEFAULT: i64 = 1 << 20;

/// The limit during a bulk load: a million cases' documents written a
/// megabyte at a time made segments that FTS5 merged again and again;
/// a statement's rows now make one segment (FTS5 also writes its rows out
/// at the start of each later statement of the transaction).
const PENDING_BULK: i64 = 256 << 20;

/// Raises (for a bulk load, `true`) or puts back the memory each FTS5
/// index of SQLite fills with new rows before writing them out (its
/// `hashsize`, kept in its `_config` table: a rollback puts it back too).
/// Nothing to do on PostgreSQL.
pub async fn bulk_pending(conn: &mut crate::store::Conn<'_>, bulk: bool) -> Result<(), sqlx::Error> {
    let crate::store::Conn::Sqlite(c) = conn else {
        return Ok(());
    };
    let bytes = if bulk { PENDING_BULK } else { PENDING_DEFAULT };
    for table in FTS_TABLES {
        // Fixed SQL: the names of our own tables.
        let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(bytes)
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

/// The shadow tables of `case_grams`: the index itself, but for its
/// structure record (row 10), which also counts changes of its settings.
#[cfg(test)]
pub(crate) async fn gram_index(conn: &mut sqlx::SqliteConnection) -> (Vec<(i64, Vec<u8>)>, Vec<(i64, Vec<u8>, i64)>) {
    let data = sqlx::query_as("SELECT id, block FROM case_grams_data WHERE id <> 10 ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let sizes = sqlx::query_as("SELECT id, sz, origin FROM case_grams_docsize ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    (data, sizes)
}

/// The shortest query the index can answer.
pub const MIN_CHARS: usize = 3;

/// True when the index can answer this query.
pub fn indexable(q: &str) -> bool {
    q.chars().count() >= MIN_CHARS
}

/// The query as one FTS5 phrase: the whole text as a substring, with no
/// operators (quotes doubled, as FTS5 string literals want).
pub fn phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// A word of one or two characters as the token `case_grams` holds for it
/// (migration 0019): the hex of its UTF-8 bytes, lowercased as SQLite's
/// lower() does (ASCII only).
pub fn gram_token(word: &str) -> String {
    let mut token = String::with_capacity(word.len() * 2);
    grams::push_token(&mut token, word);
    token
}

/// A LIKE pattern finding `text` anywhere (with `ESCAPE '\\'`).
fn anywhere(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
    )
}

/// Adds the search's conditions: every word must match the case number,
/// project, summary or a party's name, or the label of the case's
/// district, or (when `phones` allows) the end of a party's phone number.
///
/// A word is one `IN` over the union of the ways' case ids, on both
/// backends: an OR between `IN`s makes the planner test every case against
/// each (on PostgreSQL a word found nowhere read all of them, 250 ms at
/// 200,000 cases), where the union hands it the few matching ids. On
/// SQLite the union is tested from the rowid alone, where the OR read each
/// case's row for its district: a count of the most common category with
/// a project's name took 224 ms at 1,000,000 cases, 62 ms now.
///
/// On PostgreSQL a word of three characters or more also carries the
/// filter's own conditions into its subquery, where the search rows' copy of
/// the filtered columns (PostgreSQL migration 0012) meets the word in one index scan.
/// The list tests the same conditions on `cases`: the same cases either way.
pub fn push_search(qb: &mut Sql, b: Backend, q: &str, filter: &CaseFilter) {
    let phones = filter.phones;
    let (open, or, close) = (" AND c.id IN (", " UNION ALL ", ")");
    for word in words(q) {
        let pattern = anywhere(word);
        qb.push(open);
        if b == Backend::Postgres {
            push_postgres_word(qb, word, filter);
        } else if indexable(word) {
            // Same cases as a LIKE over the columns, found through the trigram index.
            qb.push("SELECT rowid FROM case_search WHERE case_search MATCH ")
                .push_bind(phrase(word));
        } else {
            // Shorter words through the gram index.
            qb.push("SELECT rowid FROM case_grams WHERE case_grams MATCH ")
                .push_bind(phrase(&gram_token(word)));
        }
        qb.push(or);
        push_district(qb, b, &pattern);
        if let Some(digits) = phone_digits(word).filter(|_| phones != PhoneSearch::Off) {
            qb.push(or);
            push_phone(qb, b, &digits, phones);
        }
        qb.push(close);
    }
}

/// The cases in a district whose name holds the word (none, read from
/// an index, when no district's name holds it: the usual case).
fn push_district(qb: &mut Sql, b: Backend, pattern: &str) {
    let like = like(b);
    qb.push(format!(
        "SELECT id FROM cases WHERE district IN (SELECT code FROM districts WHERE label_zh {like} "
    ))
    .push_bind(pattern.to_string())
    .push(format!(" ESCAPE '\\' OR label_en {like} "))
    .push_bind(pattern.to_string())
    .push(" ESCAPE '\\')");
}

/// The cases with a party whose phone number ends in these digits (the
/// mediator's own cases only, with [`PhoneSearch::CasesOf`]).
fn push_phone(qb: &mut Sql, b: Backend, digits: &str, phones: PhoneSearch) {
    // Stored numbers keep their dashes, brackets and +86: compare
    // digits, by the end. The last four go through the expression
    // index `parties_phone_tail` (migration 0013), so no scan.
    // PostgreSQL's index is on `right(phone, 4)` (see its schema).
    let tail = digits[digits.len() - 4..].to_string();
    let tail_of_phone = match b {
        Backend::Sqlite => "SELECT p.case_id FROM parties p WHERE substr(p.phone, -4)",
        Backend::Postgres => "SELECT p.case_id FROM parties p WHERE right(p.phone, 4)",
    };
    qb.push(format!("{tail_of_phone} = "))
        .push_bind(tail)
        .push(
            " AND replace(replace(replace(replace(replace(p.phone, '-', ''), '(', ''), ')', ''), '（', ''), '）', '')
              LIKE ",
        )
        .push_bind(format!("%{digits}"));
    if let PhoneSearch::CasesOf(m) = phones {
        qb.push(" AND p.case_id IN (SELECT case_id FROM case_mediators WHERE mediator_id = ")
            .push_bind(m)
            .push(")");
    }
}

/// A word's case ids on PostgreSQL: three characters or more through the
/// trigram index on `case_search_doc(...)` (case ignored, as FTS5's trigram
/// tokenizer does); shorter words through the GIN index of `case_grams`,
/// which holds each case's grams lowercased as SQLite's lower() does (ASCII
/// only), as codes (migration 0003).
fn push_postgres_word(qb: &mut Sql, word: &str, filter: &CaseFilter) {
    if indexable(word) {
        qb.push(format!(
            "SELECT case_id FROM case_search
             WHERE case_search_doc(case_no, project, summary, parties) {} ",
            like_for(word)
        ))
        .push_bind(anywhere(word))
        .push(" ESCAPE '\\'");
        push_copied_filters(qb, filter);
    } else {
        qb.push("SELECT case_id FROM case_grams WHERE grams @> ARRAY[CAST(")
            .push_bind(grams::gram_code(&word.to_ascii_lowercase()))
            .push(" AS BIGINT)]");
    }
}

/// The filter's conditions on the columns `case_search` holds a copy of
/// on PostgreSQL (migration 0012), as `store::cases::push_filter` writes
/// them on `cases`. A list without a status asks for every status but
/// `voided`, which no index answers: left to `cases`.
fn push_copied_filters(qb: &mut Sql, filter: &CaseFilter) {
    if let Some(s) = filter.status {
        qb.push(" AND status = ").push_bind(s.code());
    }
    for (column, value) in [
        ("category", &filter.category),
        ("source", &filter.source),
        ("district", &filter.district),
    ] {
        if let Some(v) = value {
            qb.push(format!(" AND {column} = ")).push_bind(v.clone());
        }
    }
    if let Some(d) = filter.from {
        qb.push(" AND received_on >= ").push_bind(d);
    }
    if let Some(d) = filter.to {
        qb.push(" AND received_on <= ").push_bind(d);
    }
}

/// The search rows on PostgreSQL as the case list reads them when they
/// answer a filter alone ([`rows_answer`]): named and shaped as `cases c`
/// for the columns they hold a copy of (PostgreSQL migration 0012), so
/// `store::cases::push_filter` writes the same conditions on them. The
/// planner sees through the subquery: the filters and the words meet in
/// the one GIN index, and a page's order (date received, id) is read from
/// the same rows, so neither the count nor the page looks up a case.
pub const ROWS: &str = "(SELECT case_id AS id, status, category, source, district, received_on, committee_id,
        case_search_doc(case_no, project, summary, parties) AS doc FROM case_search) c";

/// Whether [`ROWS`] alone answer this filter on PostgreSQL: every word
/// long enough for the trigram index, no word that could be a phone
/// number searched, none found in a district's name (each of which
/// matches cases whose document lacks the word), and no deadline flag
/// (which reads columns the search rows hold no copy of).
pub async fn rows_answer(conn: &mut crate::store::Conn<'_>, filter: &CaseFilter) -> Result<bool, sqlx::Error> {
    let (crate::store::Conn::Postgres(pg), Some(q)) = (conn, &filter.q) else {
        return Ok(false);
    };
    let words = words(q);
    let phones = filter.phones != PhoneSearch::Off && words.iter().any(|w| phone_digits(w).is_some());
    if filter.flag.is_some() || words.is_empty() || !words.iter().all(|w| indexable(w)) || phones {
        return Ok(false);
    }
    let patterns: Vec<String> = words.iter().map(|w| anywhere(w)).collect();
    // LIKE's default escape character is the backslash, as `anywhere` writes.
    let in_a_district: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM districts WHERE label_zh ILIKE ANY($1) OR label_en ILIKE ANY($1))",
    )
    .bind(&patterns)
    .fetch_one(&mut **pg)
    .await?;
    Ok(!in_a_district)
}

/// The search's conditions on [`ROWS`]: every word in the document.
pub fn push_on_rows(qb: &mut Sql, q: &str) {
    for word in words(q) {
        qb.push(format!(" AND c.doc {} ", like_for(word)))
            .push_bind(anywhere(word))
            .push(" ESCAPE '\\'");
    }
}

/// How PostgreSQL compares a word with a document, ignoring ASCII case
/// as SQLite does: `ILIKE`, which lowercases the whole document first; or,
/// for a word of Chinese characters and digits alone, `LIKE`, which finds
/// the same documents (no character lowercases to one of those) and
/// rechecks the trigram index's candidates in 40 % less time.
fn like_for(word: &str) -> &'static str {
    let caseless = |c: char| {
        c.is_ascii_digit()
            || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
    };
    if word.chars().all(caseless) { "LIKE" } else { "ILIKE" }
}

/// The search rows on PostgreSQL whose copy of the case's filtered columns
/// (PostgreSQL migration 0012) differs from the case; 0 when every write kept them
/// exact, and always on SQLite, which keeps no copy. For tests and for
/// checking a database by hand, as `store::stats::summary_drift`.
pub async fn filter_drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let crate::store::Db::Postgres(pg) = pool else {
        return Ok(0);
    };
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM case_search s JOIN cases c ON c.id = s.case_id
         WHERE (s.status, s.category, s.source, s.district, s.received_on, s.committee_id)
               IS DISTINCT FROM (c.status, c.category, c.source, c.district, c.received_on, c.committee_id)",
    )
    .fetch_one(pg)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{CaseInput, PartyInput};
    use crate::domain::{PartyRole, Phone};

    #[test]
    fn a_query_becomes_one_quoted_phrase() {
        assert_eq!(phrase("阳光花园"), "\"阳光花园\"");
        assert_eq!(phrase("a\"b OR c"), "\"a\"\"b OR c\"");
        assert!(indexable("阳光花"));
        assert!(!indexable("张三"));
        assert_eq!(gram_token("张"), "E5BCA0");
        assert_eq!(gram_token("Zz"), "7A7A");
    }

    #[test]
    fn only_a_word_no_letter_case_touches_is_compared_by_like() {
        assert_eq!(like_for("阳光花园"), "LIKE");
        assert_eq!(like_for("2026年"), "LIKE");
        for word in ["阳光B座", "Zhang", "ÉTÉ", "i\u{307}x", "（物业）"] {
            assert_eq!(like_for(word), "ILIKE", "{word}");
        }
    }

    /// At a million cases a phone search must not read every party.
    #[tokio::test]
    async fn a_phone_search_looks_up_the_last_four_digits_in_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
        let filter = CaseFilter {
            phones: PhoneSearch::AllCases,
            ..CaseFilter::default()
        };
        push_search(&mut qb, Backend::Sqlite, "13812341234", &filter);
        let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(&pool).await.unwrap();
        let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
        assert!(plan.iter().any(|l| l.contains("parties_phone_tail")), "{plan:#?}");
    }

    fn case(project: &str, summary: &str, parties: &[(PartyRole, &str)], mediator: i64) -> CaseInput {
        CaseInput {
            received_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            source: "party_application".into(),
            category: "fees".into(),
            project: project.into(),
            district: "chaoyang".into(),
            summary: summary.into(),
            amount_claimed: None,
            parties: parties
                .iter()
                .map(|&(role, name)| PartyInput {
                    role,
                    party_type: "owner".into(),
                    name: name.into(),
                    phone: Phone::default(),
                    details: Default::default(),
                })
                .collect(),
            mediator_ids: vec![mediator],
            figures: Default::default(),
        }
    }

    /// An import writes the grams computed here, an edit those of the view
    /// `case_gram_docs`: the same documents, so the same index.
    #[tokio::test]
    async fn the_grams_computed_for_an_import_are_those_of_the_view() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("grams.db")).await.unwrap();
        let mediator = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "王调解", "", true)
            .await
            .unwrap();
        let cases = [
            case(
                "阳光花园 B座",
                "业主Zhang Wei拖欠物业费,申请调解。\n第二行 «ÉTÉ» 🏠",
                &[
                    (PartyRole::Respondent, "某物业公司"),
                    (PartyRole::Applicant, "张伟"),
                    (PartyRole::Applicant, "O'Brien"),
                ],
                mediator,
            ),
            case("翠湖苑", "漏水", &[(PartyRole::Applicant, "李")], mediator),
        ];
        for input in &cases {
            crate::store::cases::create(&pool, input, &crate::store::orgs::Committee::first("物调"), None)
                .await
                .unwrap();
        }
        let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
        let view: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT id, grams FROM case_gram_docs ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        assert_eq!(grams::documents(&mut conn, 1, 2).await.unwrap(), view);

        // Each path on an emptied index, then the two indexes compared.
        let empty = "INSERT INTO case_grams (case_grams) VALUES ('delete-all')";
        sqlx::query(empty).execute(&mut *conn).await.unwrap();
        sqlx::query("INSERT INTO case_grams (rowid, grams) SELECT id, grams FROM case_gram_docs")
            .execute(&mut *conn)
            .await
            .unwrap();
        let by_view = gram_index(&mut conn).await;
        assert_eq!(by_view.1.len(), 2);
        sqlx::query(empty).execute(&mut *conn).await.unwrap();
        grams::insert_new(&mut conn, 1, 2).await.unwrap();
        assert_eq!(gram_index(&mut conn).await, by_view);
    }
}
