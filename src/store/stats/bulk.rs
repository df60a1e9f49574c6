//! The summary for bulk writes: the per-row triggers stand aside (migration
//! 0014) and the new cases are added once, grouped, in the same transaction:
//! to `stats_monthly`, `stats_daily` and `party_type_usage` (migration 0018),
//! and `official_monthly` (0034, `official::summary`).

use std::sync::OnceLock;
use std::time::Instant;

use super::tally::Tally;
use crate::on_db;
use crate::store::{Backend, Conn, dialect};

/// From now until [`add_deferred`], in the caller's transaction, new cases,
/// mediator links and parties are not added to the summary by the triggers.
pub async fn defer(conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query("INSERT INTO stats_deferred (one) VALUES (1)")
            .execute(e)
            .await
            .map(|_| ())
    })
}

/// Adds the cases with ids `first..=last` (and their mediator links and
/// parties) to the summary exactly as the insert triggers would have, one
/// grouped upsert per summary table, and hands the summary back to the
/// triggers.
pub async fn add_deferred(conn: &mut Conn<'_>, first: i64, last: i64) -> Result<(), sqlx::Error> {
    static SQL: [OnceLock<String>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let b = conn.backend();
    for grain in [Grain::Month, Grain::Day] {
        let started = Instant::now();
        let sql = SQL[grain as usize * 2 + b as usize].get_or_init(|| add_cases(b, grain));
        // Fixed SQL: table and column names from `Grain`, never input.
        on_db!(conn, |e| {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(first)
                .bind(last)
                .execute(e)
                .await
                .map(|_| ())
        })?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            table = grain.table(),
            "summary added"
        );
    }
    let started = Instant::now();
    super::official::summary::add(conn, first, last).await?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        table = "official_monthly",
        "summary added"
    );
    let started = Instant::now();
    add_rest(conn, first, last).await?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        table = "party_type_usage",
        "summary added"
    );
    Ok(())
}

/// [`add_deferred`] for cases counted in memory as they were written
/// ([`Tally`]): adds its rows, and hands the summary back to the triggers.
pub async fn add_tallied(conn: &mut Conn<'_>, tally: Tally) -> Result<(), sqlx::Error> {
    tally.write(&mut *conn).await?;
    hand_back(conn).await
}

/// What [`add_deferred`] and [`add_staged`] add after the cases: the
/// parties of the cases `first..=last`, and the data version; then the
/// triggers have the summary back.
async fn add_rest(conn: &mut Conn<'_>, first: i64, last: i64) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query(ADD_PARTIES)
            .bind(first)
            .bind(last)
            .execute(e)
            .await
            .map(|_| ())
    })?;
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

/// The staging tables of an import's summary (see [`stage_deferred`]).
const STAGED: [&str; 2] = ["temp.import_stats_monthly", "temp.import_stats_daily"];

/// For an import on SQLite, before it takes the write lock: groups the
/// new cases `first..=last` staged in `temp.import_cases` and their links
/// in `temp.import_links` as [`add_deferred`] groups them, into staging
/// tables of the summary's columns (TEMP: the connection's own, whose
/// writing takes no lock of the database's). Under the lock,
/// [`add_staged`] then adds the groups alone.
pub async fn stage_deferred(conn: &mut sqlx::SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    for grain in [Grain::Month, Grain::Day] {
        let (table, staged) = (grain.table(), STAGED[grain as usize]);
        // Fixed SQL: table names of ours, never input.
        for sql in [
            format!("DROP TABLE IF EXISTS {staged}"),
            format!("CREATE TABLE {staged} AS SELECT * FROM main.{table} WHERE false"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
        let sql = grouped(Backend::Sqlite, grain, staged, "temp.import_cases", "temp.import_links");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(first)
            .bind(last)
            .execute(&mut *conn)
            .await?;
    }
    super::official::summary::stage(conn, first, last).await
}

/// [`add_deferred`] for cases grouped ahead by [`stage_deferred`]: adds
/// the staged groups to the summary, then as `add_deferred` the parties
/// of the cases `first..=last`, and hands the summary back to the triggers.
pub async fn add_staged(conn: &mut sqlx::SqliteConnection, first: i64, last: i64) -> Result<(), sqlx::Error> {
    for grain in [Grain::Month, Grain::Day] {
        let (table, key, staged) = (grain.table(), grain.key(), STAGED[grain as usize]);
        let columns = format!(
            "committee_id, dim, code, {key}, status, received, claimed, accepted, agreed, closed, close_days, fulfilled"
        );
        // Fixed SQL: table and column names of ours, never input.
        let sql = format!(
            "INSERT INTO {table} ({columns}) SELECT {columns} FROM {staged} WHERE true {}",
            upsert(grain)
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    super::official::summary::add_staged(conn).await?;
    let mut conn = Conn::Sqlite(conn);
    add_rest(&mut conn, first, last).await
}

/// Drops the staging tables of [`stage_deferred`].
pub async fn unstage_deferred(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    for staged in STAGED {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {staged}")))
            .execute(&mut *conn)
            .await?;
    }
    super::official::summary::unstage(conn).await
}

/// The two summary tables: by month and by day.
#[derive(Debug, Clone, Copy)]
enum Grain {
    Month,
    Day,
}

impl Grain {
    fn table(self) -> &'static str {
        match self {
            Grain::Month => "stats_monthly",
            Grain::Day => "stats_daily",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Day => "day",
        }
    }
}

/// The parties of the new cases, per party type.
const ADD_PARTIES: &str = "
INSERT INTO party_type_usage (code, parties)
SELECT party_type, COUNT(*) FROM parties WHERE case_id BETWEEN $1 AND $2 GROUP BY party_type
ON CONFLICT (code) DO UPDATE SET parties = party_type_usage.parties + excluded.parties";

/// [`ADD_CASES`] for one summary table, in the backend's spelling.
fn add_cases(b: Backend, grain: Grain) -> String {
    format!(
        "{} {}",
        grouped(b, grain, grain.table(), "cases", "case_mediators"),
        upsert(grain)
    )
}

/// [`ADD_CASES`] into `into` (the summary table, or a staging table of its
/// columns), from the cases in `cases` and their links in `links`.
fn grouped(b: Backend, grain: Grain, into: &str, cases: &str, links: &str) -> String {
    let (key, part): (_, super::DateKey) = match grain {
        Grain::Month => ("month", dialect::month_key),
        Grain::Day => ("day", dialect::day_key),
    };
    ADD_CASES
        .replace("{into}", into)
        .replace("{cases}", cases)
        .replace("{links}", links)
        .replace("{key}", key)
        .replace("{received}", &part(b, "received_on"))
        .replace("{accepted}", &part(b, "accepted_on"))
        .replace("{close_days}", &dialect::days_between(b, "closed_on", "accepted_on"))
}

/// How [`ADD_CASES`]' groups are added to the summary table's rows.
fn upsert(grain: Grain) -> String {
    upsert_for(grain.table(), grain.key())
}

/// How rows are added to those of the same key of the summary table
/// `table`, whose date column is `key` (also for `tally`'s rows).
pub(super) fn upsert_for(table: &str, key: &str) -> String {
    UPSERT.replace("{table}", table).replace("{key}", key)
}

/// The two parts of each case the triggers of migrations 0005 and 0018
/// add (the month or day received; the one accepted), over its
/// dimensions, for its committee and for 0 (the installation, migration
/// 0027), summed per key, into `{into}` by `{key}` (`{received}`
/// and `{accepted}`: the month or day of the two dates). The new cases are read once and grouped
/// by every dimension at once (`h`), so the expansion to dimensions works
/// on groups, not on every case four times; the final `GROUP BY` adds up
/// what falls on the same key. `WHERE true` keeps SQLite's parser from
/// reading the upsert's `ON` as a join's.
const ADD_CASES: &str = "
WITH c AS NOT MATERIALIZED (
    SELECT id, committee_id AS k, category, source, district, status,
        {received} AS rm, {accepted} AS am, amount_claimed AS claimed,
        coalesce(amount_agreed, 0) AS agreed, CASE WHEN closed_on IS NOT NULL THEN 1 ELSE 0 END AS closed,
        coalesce({close_days}, 0) AS close_days,
        CASE WHEN fulfilment IS NOT DISTINCT FROM 'fulfilled' THEN 1 ELSE 0 END AS fulfilled
    FROM {cases} WHERE id BETWEEN $1 AND $2
), h AS MATERIALIZED (
    SELECT k, category, source, district, rm, am, status, COUNT(*) AS n, SUM(claimed) AS claimed,
        SUM(agreed) AS agreed, SUM(closed) AS closed, SUM(close_days) AS close_days, SUM(fulfilled) AS fulfilled
    FROM c GROUP BY k, category, source, district, rm, am, status
), g1 AS (
    SELECT k, 'all' AS dim, '' AS code, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM h
    UNION ALL SELECT k, 'category', category, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM h
    UNION ALL SELECT k, 'source', source, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM h
    UNION ALL SELECT k, 'district', district, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM h
    UNION ALL
    SELECT c.k, 'mediator', CAST(m.mediator_id AS TEXT), c.rm, c.am, c.status, COUNT(*), SUM(c.claimed),
        SUM(c.agreed), SUM(c.closed), SUM(c.close_days), SUM(c.fulfilled)
    FROM {links} m JOIN c ON c.id = m.case_id
    WHERE m.case_id BETWEEN $1 AND $2
    GROUP BY c.k, m.mediator_id, c.rm, c.am, c.status
), g AS (
    SELECT k, dim, code, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM g1
    UNION ALL
    SELECT 0, dim, code, rm, am, status, n, claimed, agreed, closed, close_days, fulfilled FROM g1
)
INSERT INTO {into} (committee_id, dim, code, {key}, status, received, claimed, accepted, agreed, closed, close_days,
    fulfilled)
SELECT k, dim, code, {key}, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
    SUM(close_days), SUM(fulfilled)
FROM (
    SELECT k, dim, code, rm AS {key}, status, n AS received, claimed,
        0 AS accepted, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM g
    UNION ALL
    SELECT k, dim, code, am, status, 0, 0, n, agreed, closed, close_days, fulfilled FROM g WHERE am IS NOT NULL
) AS parts
WHERE true GROUP BY k, dim, code, {key}, status";

/// Adds rows of `{table}` to those of the same key (see [`ADD_CASES`]).
const UPSERT: &str = "
ON CONFLICT (committee_id, dim, code, {key}, status) DO UPDATE SET
    received = {table}.received + excluded.received, claimed = {table}.claimed + excluded.claimed,
    accepted = {table}.accepted + excluded.accepted, agreed = {table}.agreed + excluded.agreed,
    closed = {table}.closed + excluded.closed, close_days = {table}.close_days + excluded.close_days,
    fulfilled = {table}.fulfilled + excluded.fulfilled";
