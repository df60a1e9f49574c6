//! Keeping the search indexes: a case's documents rewritten after a
//! write, new cases' documents written in bulk, and FTS5's memory during
//! a bulk load.

use super::grams::{self, Documents};
use crate::store::sql::Sql;

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

/// [`index_new`], with the gram documents made ahead ([`documents_ahead`](super::documents_ahead))
/// when given (SQLite; PostgreSQL cuts its own); an empty [`Documents`]
/// when they are in the index already ([`insert_documents`](super::insert_documents)).
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
    let mut insert = Sql::new(
        "INSERT INTO case_search (rowid, case_no, project, summary, parties)
         SELECT c.id, c.case_no, c.project, c.summary, ",
    );
    insert
        .push(PARTY_NAMES)
        .push(" FROM cases c WHERE c.id BETWEEN ")
        .push_bind(first)
        .push(" AND ")
        .push_bind(last);
    insert.execute_in(conn).await?;
    tracing::debug!(first, last, ms = started.elapsed().as_millis(), "trigram index written");
    match grams {
        Some(documents) => grams::insert_ahead(conn.sqlite()?, documents).await,
        // The view `case_gram_docs` writes the same grams, slowly (see `grams`).
        None => grams::insert_new(conn.sqlite()?, first, last).await,
    }
}

/// The two FTS5 indexes of SQLite.
pub(super) const FTS_TABLES: [&str; 2] = ["case_search", "case_grams"];

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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::case::{CaseInput, PartyInput};
    use crate::domain::{PartyRole, Phone};

    pub(crate) fn case(project: &str, summary: &str, parties: &[(PartyRole, &str)], mediator: i64) -> CaseInput {
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
