//! The official report's summary, `official_monthly` (migration 0034):
//! the report's figures of the counted cases by committee, month of
//! acceptance, category and source, kept exact by triggers. Here: its
//! bulk writes (the cases of an import or a demo load, added once, grouped,
//! as `stats::add_deferred` adds them to `stats_monthly`) and its check
//! against the cases.

use std::sync::OnceLock;

use crate::on_db;
use crate::store::{Backend, Conn, dialect};

/// The figures of the counted cases in `{cases}` (those whose ids are
/// in `{range}`), by committee, month of acceptance (`{month}`), category
/// and source, in the summary's columns. A case without `people_involved`
/// counts its parties in `{parties}`.
const GROUPED: &str = "
SELECT c.committee_id, {month}, c.category, c.source, CAST(COUNT(*) AS BIGINT),
    CAST(SUM(CASE WHEN c.status = 'settled' THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN c.status = 'in_mediation' THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN c.status = 'settled' THEN COALESCE(c.amount_agreed, 0) ELSE 0 END) AS BIGINT),
    CAST(SUM(COALESCE(c.people_involved, p.n, 0)) AS BIGINT),
    CAST(SUM(CASE WHEN c.status = 'settled' AND c.fulfilment = 'fulfilled' THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN c.prevented_crime_people > 0 THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(c.prevented_crime_people) AS BIGINT),
    CAST(SUM(CASE WHEN c.prevented_petition_people > 0 THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(c.prevented_petition_people) AS BIGINT)
FROM {cases} c
LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM {parties} WHERE case_id {range} GROUP BY case_id) p
    ON p.case_id = c.id
WHERE c.id {range} AND c.status <> 'voided' AND c.accepted_on IS NOT NULL
GROUP BY c.committee_id, {month}, c.category, c.source";

/// How [`GROUPED`]'s rows are added to those of the same key.
pub(in crate::store::stats) const UPSERT: &str = "
ON CONFLICT (committee_id, month, category, source) DO UPDATE SET
    accepted = official_monthly.accepted + excluded.accepted, settled = official_monthly.settled + excluded.settled,
    in_mediation = official_monthly.in_mediation + excluded.in_mediation,
    amount_agreed = official_monthly.amount_agreed + excluded.amount_agreed,
    people = official_monthly.people + excluded.people, fulfilled = official_monthly.fulfilled + excluded.fulfilled,
    crime_cases = official_monthly.crime_cases + excluded.crime_cases,
    crime_people = official_monthly.crime_people + excluded.crime_people,
    petition_cases = official_monthly.petition_cases + excluded.petition_cases,
    petition_people = official_monthly.petition_people + excluded.petition_people";

/// The summary's columns, in its order.
pub(in crate::store::stats) const COLUMNS: &str =
    "committee_id, month, category, source, accepted, settled, in_mediation, amount_agreed, people,
    fulfilled, crime_cases, crime_people, petition_cases, petition_people";

/// The staging table of an import's summary (see [`stage`]).
const STAGED: &str = "temp.import_official_monthly";

/// [`GROUPED`] over `cases` and `parties`, the cases with ids in `range`.
fn grouped(b: Backend, cases: &str, parties: &str, range: &str) -> String {
    GROUPED
        .replace("{cases}", cases)
        .replace("{parties}", parties)
        .replace("{range}", range)
        .replace("{month}", &dialect::month_key(b, "c.accepted_on"))
}

/// [`GROUPED`] of the cases `$1..=$2` into `into`.
fn insert(b: Backend, into: &str, cases: &str, parties: &str) -> String {
    format!(
        "INSERT INTO {into} ({COLUMNS}) {}",
        grouped(b, cases, parties, "BETWEEN $1 AND $2")
    )
}

/// Adds the cases `first..=last` (and their parties), written while the
/// triggers stood aside, to the summary in one grouped upsert.
pub async fn add(conn: &mut Conn<'_>, first: i64, last: i64) -> Result<(), sqlx::Error> {
    static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    let b = conn.backend();
    // GROUPED has a WHERE, so SQLite reads the upsert's `ON` as no join's.
    let sql = SQL[b as usize].get_or_init(|| format!("{} {UPSERT}", insert(b, "official_monthly", "cases", "parties")));
    // Fixed SQL: table and column names of ours, never input.
    on_db!(conn, |e| {
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(first)
            .bind(last)
            .execute(e)
            .await
            .map(|_| ())
    })
}

/// For an import on SQLite, before it takes the write lock: groups the new
/// cases staged in `temp.import_cases` and their parties in
/// `temp.import_parties` into a staging table of the summary's columns,
/// which [`add_staged`] adds under the lock.
pub async fn stage(conn: &mut sqlx::SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    // Fixed SQL: table names of ours, never input.
    for sql in [
        format!("DROP TABLE IF EXISTS {STAGED}"),
        format!("CREATE TABLE {STAGED} AS SELECT * FROM main.official_monthly WHERE false"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    let sql = insert(Backend::Sqlite, STAGED, "temp.import_cases", "temp.import_parties");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds the groups [`stage`] made to the summary.
pub async fn add_staged(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO official_monthly ({COLUMNS}) SELECT {COLUMNS} FROM {STAGED} WHERE true {UPSERT}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    Ok(())
}

/// Drops the staging table of [`stage`].
pub async fn unstage(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {STAGED}")))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Rows of `official_monthly` that differ from the cases themselves, both
/// ways (rows of zeros left by subtraction do not count); 0 when the
/// triggers kept it exact. Part of `stats::summary_drift`.
pub async fn drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let fresh = grouped(pool.backend(), "cases", "parties", "IS NOT NULL");
    let sql = format!(
        "WITH fresh AS ({fresh}),
         kept AS (SELECT {COLUMNS} FROM official_monthly WHERE accepted <> 0 OR people <> 0 OR amount_agreed <> 0
            OR settled <> 0 OR in_mediation <> 0 OR fulfilled <> 0 OR crime_cases <> 0 OR crime_people <> 0
            OR petition_cases <> 0 OR petition_people <> 0)
         SELECT (SELECT COUNT(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) AS x)
              + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) AS y)"
    );
    on_db!(pool, |e| sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_one(e)
        .await)
}
