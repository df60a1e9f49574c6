//! The PostgreSQL schema (`migrations/postgres`) against SQLite's
//! (`migrations/sqlite`): the same tables with the same columns in the same
//! order and nullability, and triggers that leave the same summary and
//! search rows after the same statements. Runs against the server named by
//! `ACCORD_TEST_POSTGRES`, in a database of its own made for the test.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgPool, Row, SqlitePool};

/// Tables only SQLite has, besides the shadow tables of its FTS5 tables
/// (found by name): sqlx's bookkeeping (PostgreSQL has its own), the
/// AUTOINCREMENT counters, and the positions 1..10000 the view
/// `case_gram_docs` cuts grams with (PostgreSQL uses generate_series).
const SQLITE_ONLY: &[&str] = &["_sqlx_migrations", "sqlite_sequence", "search_positions"];

/// The search tables, whose shape differs: SQLite's FTS5 rowid is the case
/// id, a column of its own on PostgreSQL; SQLite's `case_grams` holds a
/// document of hex tokens per case, PostgreSQL's an array of gram codes;
/// PostgreSQL's `case_search` also holds a copy of the list's filters.
const SEARCH_SHAPES: &[(&str, &[&str], &[&str])] = &[
    (
        "case_search",
        &["case_no", "project", "summary", "parties"],
        &[
            "case_id",
            "case_no",
            "project",
            "summary",
            "parties",
            // The list's filters beside the document (migration 0014).
            "status",
            "category",
            "source",
            "district",
            "received_on",
            "committee_id",
        ],
    ),
    ("case_grams", &["grams"], &["case_id", "grams"]),
];

/// Each table's columns in order, with whether they are NOT NULL.
type Columns = BTreeMap<String, Vec<(String, bool)>>;

/// Runs `check` on pools of a fresh, migrated SQLite file and a fresh,
/// migrated PostgreSQL database, then drops the database, also when
/// `check` panics.
async fn on_both<F, Fut>(check: F)
where
    F: FnOnce(SqlitePool, PgPool) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(url) = std::env::var("ACCORD_TEST_POSTGRES") else {
        println!("skipped: set ACCORD_TEST_POSTGRES=postgres://root@127.0.0.1/test to run it");
        return;
    };
    let server: PgConnectOptions = url.parse().expect("a PostgreSQL URL");
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(server.clone().database("postgres"))
        .await
        .expect("the server's `postgres` database");
    let name = format!("accord_parity_{:08x}", rand::random::<u32>());
    // A name of our own making, never input: it cannot be a parameter.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    let pg = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(server.database(&name))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(dir.path().join("parity.db"))
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .unwrap();
    let migrated = sqlx::migrate!("./migrations/postgres").run(&pg).await;
    sqlx::migrate!("./migrations/sqlite").run(&sqlite).await.unwrap();
    let outcome = match migrated {
        Ok(()) => tokio::spawn(check(sqlite.clone(), pg.clone())).await,
        Err(e) => tokio::spawn(async move { panic!("migrations/postgres: {e}") }).await,
    };
    pg.close().await;
    sqlite.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(&admin)
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn sqlite_columns(pool: &SqlitePool) -> Columns {
    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap();
    let virtual_tables: Vec<&str> = tables
        .iter()
        .filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL TABLE"))
        .map(|(name, _)| name.as_str())
        .collect();
    let shadow = |name: &str| {
        virtual_tables
            .iter()
            .any(|v| name.strip_prefix(v).is_some_and(|rest| rest.starts_with('_')))
    };
    let mut columns = Columns::new();
    for (table, _) in tables
        .iter()
        .filter(|(t, _)| !SQLITE_ONLY.contains(&t.as_str()) && !shadow(t))
    {
        let rows = sqlx::query("SELECT name, \"notnull\" OR pk > 0 FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
        let cols = rows
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1) != 0))
            .collect();
        columns.insert(table.clone(), cols);
    }
    columns
}

async fn postgres_columns(pool: &PgPool) -> Columns {
    let rows = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable = 'NO'
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_sqlx_migrations'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut columns = Columns::new();
    for r in rows {
        columns.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    columns
}

#[tokio::test]
async fn the_postgres_schema_has_the_tables_and_columns_of_the_sqlite_schema() {
    on_both(|sqlite, pg| async move {
        let mut expected = sqlite_columns(&sqlite).await;
        for (table, on_sqlite, on_postgres) in SEARCH_SHAPES {
            let cols = expected.get_mut(*table).expect("the search table on SQLite");
            let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(&names, on_sqlite, "{table} on SQLite");
            *cols = on_postgres
                .iter()
                .map(|c| {
                    (
                        c.to_string(),
                        *c == "case_id" || (*table == "case_grams" && *c == "grams"),
                    )
                })
                .collect();
        }
        let actual = postgres_columns(&pg).await;
        let tables = |c: &Columns| c.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(tables(&actual), tables(&expected), "the same tables");
        for (table, cols) in &expected {
            assert_eq!(
                &actual[table], cols,
                "the columns of {table}, in order, NOT NULL or not"
            );
        }
    })
    .await;
}

/// Statements run on both backends, as the store would write them: cases
/// and their links and parties, a change of status, outcome and party type,
/// an unlinked mediator, a deleted case, and a bulk write with the triggers
/// deferred (migration 0014), which must leave the summary untouched.
const WRITES: &[&str] = &[
    "INSERT INTO mediators (id, name, created_at, committee_id) VALUES (1, '王芳', 't', 2), (2, '李强', 't', 2)",
    "INSERT INTO cases (id, case_no, case_year, case_seq, received_on, accepted_on, source, category, project,
         district, summary, amount_claimed, status, amount_agreed, agreement_on, closed_on, fulfilment,
         created_at, updated_at, committee_id)
     VALUES (1, 'A1', 2026, 1, '2026-01-15', NULL, 'other', 'fees', '阳光花园', 'chaoyang', '物业费', 100000,
             'registered', NULL, NULL, NULL, NULL, 't', 't', 2),
            (2, 'A2', 2026, 2, '2026-01-20', '2026-02-01', 'hotline_12345', 'parking', 'Green Court', 'haidian',
             'Parking space', 50000, 'settled', 30000, '2026-02-08', '2026-02-10', 'fulfilled', 't', 't', 2),
            (3, 'A3', 2026, 3, '2026-02-03', '2026-02-05', 'other', 'fees', '阳光花园', 'chaoyang', '漏水 Leak',
             0, 'in_mediation', NULL, NULL, NULL, NULL, 't', 't', 2)",
    "INSERT INTO case_mediators (case_id, mediator_id) VALUES (1, 2), (2, 1), (3, 1), (3, 2)",
    "INSERT INTO parties (id, case_id, role, party_type, name, position) VALUES
         (1, 1, 'applicant', 'owner', '张伟', 1), (2, 1, 'respondent', 'property_company', '物业公司', 1),
         (3, 2, 'applicant', 'owner', 'Li Na', 1), (4, 3, 'applicant', 'occupant', '赵敏', 1),
         (5, 3, 'respondent', 'property_company', '物业公司', 1)",
    "UPDATE cases SET status = 'settled', amount_agreed = 2000, closed_on = '2026-03-01', fulfilment = 'partial'
     WHERE id = 3",
    "UPDATE parties SET party_type = 'owner' WHERE id = 4",
    "DELETE FROM case_mediators WHERE case_id = 3 AND mediator_id = 2",
    "UPDATE mediators SET phone = '110' WHERE id = 2",
    "DELETE FROM cases WHERE id = 1",
    "INSERT INTO stats_deferred (one) VALUES (1)",
    "INSERT INTO cases (id, case_no, case_year, case_seq, received_on, accepted_on, source, category, project,
         district, summary, created_at, updated_at, committee_id)
     VALUES (4, 'A4', 2026, 4, '2026-03-04', '2026-03-04', 'other', 'other', '新城', 'daxing', '噪音', 't', 't', 2)",
    "INSERT INTO case_mediators (case_id, mediator_id) VALUES (4, 2)",
    "INSERT INTO parties (id, case_id, role, party_type, name, position) VALUES (6, 4, 'applicant', 'owner', '周', 1)",
    "DELETE FROM stats_deferred",
];

/// After indexing: a changed project and summary follow through the trigger.
const SEARCH_WRITES: &[&str] = &["UPDATE cases SET project = 'AB花园', summary = 'x' WHERE id = 2"];

type StatsRow = (i64, String, String, String, String, i64, i64, i64, i64, i64, i64, i64);

const MONTHLY: &str = "SELECT committee_id, dim, code, month, status, received, claimed, accepted, agreed, closed,
    close_days, fulfilled FROM stats_monthly ORDER BY committee_id, dim, code, month, status";
const YEARLY: &str = "SELECT committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
    close_days, fulfilled FROM stats_yearly ORDER BY committee_id, dim, code, year, status";
const DAILY: &str = "SELECT committee_id, dim, day, code, status, received, claimed, accepted, agreed, closed,
    close_days, fulfilled FROM stats_daily ORDER BY committee_id, dim, day, code, status";
const USAGE: &str = "SELECT code, parties FROM party_type_usage ORDER BY code";
#[derive(Debug, PartialEq, sqlx::FromRow)]
struct OfficialRow {
    committee_id: i64,
    month: String,
    category: String,
    source: String,
    accepted: i64,
    settled: i64,
    in_mediation: i64,
    amount_agreed: i64,
    people: i64,
    fulfilled: i64,
    crime_cases: i64,
    crime_people: i64,
    petition_cases: i64,
    petition_people: i64,
}
const OFFICIAL: &str = "SELECT committee_id, month, category, source, accepted, settled, in_mediation, amount_agreed,
    people, fulfilled, crime_cases, crime_people, petition_cases, petition_people FROM official_monthly
    ORDER BY committee_id, month, category, source";
const VERSION: &str = "SELECT n FROM data_version";

/// A gram as SQLite's `case_grams` tokens write it: the hex of its bytes.
fn hex(gram: &str) -> String {
    gram.bytes().map(|b| format!("{b:02X}")).collect()
}

/// The gram a code of PostgreSQL's `case_grams` stands for (migration
/// 0003's `gram_code`): one code point, or two, the first shifted 21 bits.
fn gram_of(code: i64) -> String {
    let char_of = |c: i64| char::from_u32(c as u32).expect("a code point");
    match code >> 21 {
        0 => char_of(code).to_string(),
        first => [char_of(first), char_of(code & 0x1F_FFFF)].into_iter().collect(),
    }
}

#[tokio::test]
async fn the_postgres_triggers_keep_the_summary_and_search_as_sqlite_does() {
    on_both(|sqlite, pg| async move {
        for sql in WRITES {
            sqlx::query(*sql).execute(&sqlite).await.unwrap();
            sqlx::query(*sql)
                .execute(&pg)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        for sql in [MONTHLY, YEARLY, DAILY] {
            let lite: Vec<StatsRow> = sqlx::query_as(sql).fetch_all(&sqlite).await.unwrap();
            let post: Vec<StatsRow> = sqlx::query_as(sql).fetch_all(&pg).await.unwrap();
            assert!(
                lite.iter().any(|r| r.1 == "mediator"),
                "the test reaches the mediator rows"
            );
            assert_eq!(post, lite, "{sql}");
        }
        let lite: Vec<(String, i64)> = sqlx::query_as(USAGE).fetch_all(&sqlite).await.unwrap();
        let post: Vec<(String, i64)> = sqlx::query_as(USAGE).fetch_all(&pg).await.unwrap();
        assert_eq!(post, lite, "party_type_usage");
        let lite: Vec<OfficialRow> = sqlx::query_as(OFFICIAL).fetch_all(&sqlite).await.unwrap();
        let post: Vec<OfficialRow> = sqlx::query_as(OFFICIAL).fetch_all(&pg).await.unwrap();
        assert!(
            lite.iter().any(|r| r.people > 0),
            "the test reaches the people counted from parties"
        );
        assert_eq!(post, lite, "official_monthly");
        let lite: i64 = sqlx::query_scalar(VERSION).fetch_one(&sqlite).await.unwrap();
        let post: i64 = sqlx::query_scalar(VERSION).fetch_one(&pg).await.unwrap();
        assert_eq!(post, lite, "data_version");
        // A step per case and link written or deleted (the cascade's too)
        // and per mediator written; none while deferred.
        assert_eq!(lite, 14, "data_version on SQLite");

        // The search rows: the store indexes cases once written (0008).
        let mut conn = sqlite.acquire().await.unwrap();
        for id in 2..=4 {
            accord::store::search::index_case(&mut accord::store::Conn::Sqlite(&mut conn), id)
                .await
                .unwrap();
        }
        drop(conn);
        sqlx::query("SELECT case_search_index(2, 4)")
            .execute(&pg)
            .await
            .unwrap();
        for sql in SEARCH_WRITES {
            sqlx::query(*sql).execute(&sqlite).await.unwrap();
            sqlx::query(*sql).execute(&pg).await.unwrap();
        }
        type Doc = (i64, String, String, String, String);
        let lite: Vec<Doc> =
            sqlx::query_as("SELECT rowid, case_no, project, summary, parties FROM case_search ORDER BY rowid")
                .fetch_all(&sqlite)
                .await
                .unwrap();
        let post: Vec<Doc> =
            sqlx::query_as("SELECT case_id, case_no, project, summary, parties FROM case_search ORDER BY case_id")
                .fetch_all(&pg)
                .await
                .unwrap();
        assert_eq!(post, lite, "case_search");
        let hits: Vec<i64> = sqlx::query_scalar(
            "SELECT case_id FROM case_search
             WHERE case_search_doc(case_no, project, summary, parties) ILIKE '%ab花%' ORDER BY case_id",
        )
        .fetch_all(&pg)
        .await
        .unwrap();
        assert_eq!(hits, [2], "the trigram document, case-insensitive");

        let docs: Vec<(i64, String)> = sqlx::query_as("SELECT id, grams FROM case_gram_docs ORDER BY id")
            .fetch_all(&sqlite)
            .await
            .unwrap();
        let grams: Vec<(i64, String)> = sqlx::query_as("SELECT case_id, unnest(grams) FROM case_grams")
            .fetch_all(&pg)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, code)| (id, gram_of(code)))
            .collect();
        let mut lite: BTreeSet<(i64, String)> = BTreeSet::new();
        for (id, doc) in &docs {
            lite.extend(doc.split(' ').map(|t| (*id, t.to_string())));
        }
        let post: BTreeSet<(i64, String)> = grams.iter().map(|(id, g)| (*id, hex(g))).collect();
        assert!(post.contains(&(2, hex("ab"))), "the new project's grams");
        assert_eq!(post, lite, "case_grams");

        // The audit trail refuses changes with a constraint error.
        sqlx::query("INSERT INTO audit_log (at, entity, action) VALUES ('t', 'case', 'create')")
            .execute(&pg)
            .await
            .unwrap();
        for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
            let err = sqlx::query(sql).execute(&pg).await.unwrap_err();
            let db = err.as_database_error().expect("a database error");
            assert_eq!(
                (db.code().as_deref(), db.message()),
                (Some("23000"), "audit_log is append-only")
            );
        }
    })
    .await;
}
