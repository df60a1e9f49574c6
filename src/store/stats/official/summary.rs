//! The official report's summary, `official_monthly` (migration 0034):
//! the report's figures of the counted cases by committee, month of
//! acceptance, category and source, kept exact by triggers. Here: how
//! bulk writes add to it (the cases of an import or a demo load, counted
//! in memory by `stats::Tally`) and its check against the cases.

use crate::on_db;
use crate::store::dialect;

/// The figures of the counted cases, by committee, month of acceptance
/// (`{month}`), category and source, in the summary's columns, as the
/// triggers keep them. A case without `people_involved` counts its parties.
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
FROM cases c
LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM parties GROUP BY case_id) p ON p.case_id = c.id
WHERE c.status <> 'voided' AND c.accepted_on IS NOT NULL
GROUP BY c.committee_id, {month}, c.category, c.source";

/// How rows of the summary's columns are added to those of the same key.
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

/// Rows of `official_monthly` that differ from the cases themselves, both
/// ways (rows of zeros left by subtraction do not count); 0 when the
/// triggers kept it exact. Part of `stats::summary_drift`.
pub async fn drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let fresh = GROUPED.replace("{month}", &dialect::month_key(pool.backend(), "c.accepted_on"));
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
