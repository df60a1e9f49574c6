//! Substring search through the `case_search` trigram index (migration
//! 0005). A trigram index finds substrings of three characters or more;
//! shorter queries are answered by LIKE over the columns themselves, which
//! finds the same cases, only slower.

/// (Re)writes a case's search document from the case and its parties,
/// once, after a write path has written them all (migration 0008: no
/// trigger indexes a new case or follows its party rows).
pub async fn index_case(conn: &mut sqlx::SqliteConnection, case_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM case_search WHERE rowid = ?")
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO case_search (rowid, case_no, project, summary, parties)
         SELECT c.id, c.case_no, c.project, c.summary,
                (SELECT group_concat(p.name, char(31)) FROM parties p WHERE p.case_id = c.id)
         FROM cases c WHERE c.id = ?",
    )
    .bind(case_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the search documents of the new cases with ids `first..=last`,
/// none of which is indexed yet (an import or a demo batch), in one statement.
pub async fn index_new(conn: &mut sqlx::SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_search (rowid, case_no, project, summary, parties)
         SELECT c.id, c.case_no, c.project, c.summary,
                (SELECT group_concat(p.name, char(31)) FROM parties p WHERE p.case_id = c.id)
         FROM cases c WHERE c.id BETWEEN ? AND ?",
    )
    .bind(first)
    .bind(last)
    .execute(conn)
    .await?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_becomes_one_quoted_phrase() {
        assert_eq!(phrase("阳光花园"), "\"阳光花园\"");
        assert_eq!(phrase("a\"b OR c"), "\"a\"\"b OR c\"");
        assert!(indexable("阳光花"));
        assert!(!indexable("张三"));
    }
}
