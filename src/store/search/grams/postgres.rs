//! PostgreSQL's search rows of new or changed cases: `case_search` copied
//! from the cases, `case_grams` cut here and sent by `COPY`.

use std::fmt::Write;

use sqlx::PgConnection;

use super::{Fields, each_gram};

/// Cases indexed a chunk at a time on PostgreSQL: a megabyte or so of
/// gram codes.
const PG_CHUNK: i64 = 5_000;

/// (Re)writes the `case_search` and `case_grams` rows of the cases
/// `first..=last` on PostgreSQL (with the copy of the list's filtered
/// columns, PostgreSQL migration 0012), a chunk of cases at a time: the rows the
/// schema's `case_search_index` writes, with the grams cut here rather
/// than by `case_gram_rows` (`generate_series` over every character took
/// most of a big load), and sent by `COPY`, the server's bulk path.
pub(in crate::store::search) async fn index_postgres(
    conn: &mut PgConnection,
    first: i64,
    last: i64,
) -> Result<(), sqlx::Error> {
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
pub(in crate::store::search) fn gram_code(gram: &str) -> i64 {
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
