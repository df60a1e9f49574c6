//! PostgreSQL's search rows read as the cases themselves, when they
//! answer a filter alone, and the check that their copy of the filtered
//! columns is exact.

use super::query::{anywhere, indexable, like_for};
use crate::domain::CaseFilter;
use crate::domain::search::{PhoneSearch, phone_digits, words};
use crate::store::sql::Sql;

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
