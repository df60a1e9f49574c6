//! SQLite: how a list narrowed by other conditions than its words weighs
//! them, from the newest cases and from the column's own index (see the
//! parent module's note).

use super::push_probe;
use crate::domain::CaseFilter;
use crate::store::Conn;
use crate::store::sql::Sql;

/// `matches² ≥ WEIGHT_NARROWED × cases` makes a word tested case by case
/// in a count narrowed by other conditions too (see the module's note).
pub(super) const WEIGHT_NARROWED: i64 = 90_000;

/// The newest cases a common word is tested on to estimate its share, for
/// a count narrowed by other conditions (about a millisecond).
pub(super) const SAMPLE: i64 = 1_000;

/// Whether the one column a list is narrowed by (its status, category,
/// source or district, nothing else) holds fewer than a third of a word's
/// estimated `matches`, counted on the column's index alone up to that
/// number. Its cases then lead the plan, each tested
/// against the word's matches collected once ([`push_common`]), instead
/// of the word's matches each looked up: `status=withdrawn&q=王` read
/// 107,000 matches for 3,600 withdrawn ones (300 ms), where the 34,000
/// withdrawn cases are tested in 55.
pub(super) async fn column_rarer(
    conn: &mut sqlx::SqliteConnection,
    filter: &CaseFilter,
    matches: i64,
) -> Result<bool, sqlx::Error> {
    let columns = [
        filter.status.is_some(),
        filter.category.is_some(),
        filter.source.is_some(),
        filter.district.is_some(),
    ];
    let rest = CaseFilter {
        q: None,
        status: None,
        category: None,
        source: None,
        district: None,
        ..filter.clone()
    };
    if columns.into_iter().filter(|&c| c).count() != 1 || !rest.is_empty() {
        return Ok(false);
    }
    // A third: counting all of a surname's 107,000 entries of
    // `cases_category` took 15 ms of a 120 ms page.
    let enough = (matches / 3).max(1);
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM cases c WHERE 1 = 1");
    crate::store::search::push_equal_columns(&mut qb, "c.", filter);
    qb.push(" LIMIT ").push_bind(enough).push(")");
    let (n,): (i64,) = qb.fetch_one_in(&mut Conn::Sqlite(&mut *conn)).await?;
    Ok(n < enough)
}

/// How many of the newest [`SAMPLE`] cases (of `cases`, the highest id)
/// hold a word, and how many were read: about a millisecond, where
/// counting the start of its matches took 8 to 10 ms for `朝阳`.
pub(super) async fn sample(
    conn: &mut sqlx::SqliteConnection,
    word: &str,
    cases: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE c.id > ");
    qb.push_bind(cases - SAMPLE).push(" AND ");
    push_probe(&mut qb, word);
    let (hits,): (i64,) = qb.fetch_one_in(&mut Conn::Sqlite(&mut *conn)).await?;
    Ok((hits, SAMPLE.min(cases).max(1)))
}

/// [`enough_matches`] for a count narrowed by other conditions too.
pub(super) fn enough_matches_narrowed(cases: i64) -> i64 {
    super::ceil_root(WEIGHT_NARROWED.saturating_mul(cases.max(0)))
}
