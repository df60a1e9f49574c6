//! The summary for bulk writes: the per-row triggers stand aside (migration
//! 0014) and the new cases, counted in memory beforehand ([`super::Tally`]), are
//! added once, grouped, in the same transaction: to `stats_monthly`,
//! `stats_daily` and `party_type_usage` (migration 0018), and
//! `official_monthly` (0034).

use super::tally::TallyRows;
use crate::on_db;
use crate::store::Conn;

/// From now until [`add_tallied`], in the caller's transaction, new cases,
/// mediator links and parties are not added to the summary by the triggers.
pub async fn defer(conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query("INSERT INTO stats_deferred (one) VALUES (1)")
            .execute(e)
            .await
            .map(|_| ())
    })
}

/// Adds the cases written since [`defer`] to the summary, as counted in
/// memory ([`TallyRows`]) with each mediator's id as `mediator` maps it,
/// and hands the summary back to the triggers.
pub async fn add_tallied(
    conn: &mut Conn<'_>,
    rows: TallyRows<'_>,
    mediator: impl Fn(i64) -> i64,
) -> Result<(), sqlx::Error> {
    rows.write(&mut *conn, mediator).await?;
    hand_back(conn).await
}

/// Moves the data version forward and gives the summary back to the
/// triggers.
async fn hand_back(conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query("UPDATE data_version SET n = n + 1")
            .execute(e)
            .await
            .map(|_| ())
    })?;
    on_db!(conn, |e| sqlx::query("DELETE FROM stats_deferred")
        .execute(e)
        .await
        .map(|_| ()))
}

/// How rows are added to those of the same key of the summary table
/// `table`, whose date column is `key` (`tally`'s rows).
pub(super) fn upsert_for(table: &str, key: &str) -> String {
    UPSERT.replace("{table}", table).replace("{key}", key)
}

/// Adds rows of `{table}` to those of the same key.
const UPSERT: &str = "
ON CONFLICT (committee_id, dim, code, {key}, status) DO UPDATE SET
    received = {table}.received + excluded.received, claimed = {table}.claimed + excluded.claimed,
    accepted = {table}.accepted + excluded.accepted, agreed = {table}.agreed + excluded.agreed,
    closed = {table}.closed + excluded.closed, close_days = {table}.close_days + excluded.close_days,
    fulfilled = {table}.fulfilled + excluded.fulfilled";
