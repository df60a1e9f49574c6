//! The summary for bulk writes: the per-row triggers stand aside (migration
//! 0014) and the new cases are added once, grouped, in the same transaction.

use sqlx::SqliteConnection;

/// From now until [`add_deferred`], in the caller's transaction, new cases
/// and mediator links are not added to `stats_monthly` by the triggers.
pub async fn defer(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO stats_deferred (one) VALUES (1)")
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds the cases with ids `first..=last` (and their mediator links) to
/// the summary exactly as the insert triggers would have, one grouped
/// upsert for all of them, and hands the summary back to the triggers.
pub async fn add_deferred(conn: &mut SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    sqlx::query(ADD_CASES)
        .bind(first)
        .bind(last)
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM stats_deferred").execute(conn).await?;
    Ok(())
}

/// The two parts of each case the triggers of migration 0005 add (the
/// month received; the month accepted), over its dimensions, summed per
/// key. `WHERE true` keeps SQLite's parser from reading `ON` as a join's.
const ADD_CASES: &str = "
WITH new AS (
    SELECT * FROM cases WHERE id BETWEEN ? AND ?
), dims AS (
    SELECT id, 'all' AS dim, '' AS code FROM new
    UNION ALL SELECT id, 'category', category FROM new
    UNION ALL SELECT id, 'source', source FROM new
    UNION ALL SELECT id, 'district', district FROM new
    UNION ALL SELECT case_id, 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators
        WHERE case_id BETWEEN ? AND ?
), parts AS (
    SELECT d.dim, d.code, substr(c.received_on, 1, 7) AS month, c.status, 1 AS received,
        c.amount_claimed AS claimed, 0 AS accepted, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM dims d JOIN new c ON c.id = d.id
    UNION ALL
    SELECT d.dim, d.code, substr(c.accepted_on, 1, 7), c.status, 0, 0, 1, coalesce(c.amount_agreed, 0),
        c.closed_on IS NOT NULL, coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
        c.fulfilment IS 'fulfilled'
    FROM dims d JOIN new c ON c.id = d.id WHERE c.accepted_on IS NOT NULL
)
INSERT INTO stats_monthly (dim, code, month, status, received, claimed, accepted, agreed, closed, close_days, fulfilled)
SELECT dim, code, month, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
    SUM(close_days), SUM(fulfilled)
FROM parts WHERE true GROUP BY dim, code, month, status
ON CONFLICT (dim, code, month, status) DO UPDATE SET
    received = received + excluded.received, claimed = claimed + excluded.claimed,
    accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
    closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
    fulfilled = fulfilled + excluded.fulfilled";
