//! Issue 14, part 4: `accord copy` moves a whole installation between the
//! two backends, ids, history, summary and attachments included, and
//! refuses a target that already holds one.

use std::collections::BTreeMap;

use accord::domain::Role;
use accord::on_db;
use accord::store::copy::{self, CopyError, Kind, NOT_COPIED, TABLES};
use accord::store::{self, Backend, Db, Location};

use crate::common::{PgDatabase, TestApp, accord_cmd, backend, postgres_server};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// Each table of the app's schema with its columns and their types.
async fn schema(db: &Db) -> BTreeMap<String, Vec<(String, String)>> {
    let rows: Vec<(String, String, String)> = match db {
        Db::Sqlite(p) => {
            sqlx::query_as(
                "SELECT t.name, c.name, upper(c.type) FROM sqlite_schema t, pragma_table_info(t.name) c
                 WHERE t.type = 'table' AND t.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
                 ORDER BY t.name, c.cid",
            )
            .fetch_all(p.pool())
            .await
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT CAST(c.table_name AS TEXT), CAST(c.column_name AS TEXT),
                        CAST(CASE WHEN c.data_type = 'USER-DEFINED' THEN c.udt_name ELSE c.data_type END AS TEXT)
                 FROM information_schema.columns c
                 JOIN information_schema.tables t USING (table_schema, table_name)
                 WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                 ORDER BY c.table_name, c.ordinal_position",
            )
            .fetch_all(p)
            .await
        }
    }
    .unwrap();
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (t, c, ty) in rows {
        tables.entry(t).or_default().push((c, ty));
    }
    // The FTS5 tables are virtual on SQLite, their shadow tables real.
    let virtuals = ["case_search", "case_grams"];
    tables.retain(|t, _| !virtuals.iter().any(|v| t.starts_with(&format!("{v}_"))));
    tables
}

/// Whether a column's declared type holds a kind of value.
fn holds(b: Backend, ty: &str, kind: Kind) -> bool {
    match (b, kind) {
        (Backend::Sqlite, Kind::Int | Kind::Bool) => ty == "INTEGER",
        (Backend::Sqlite, Kind::Text | Kind::Date) => ty == "TEXT",
        (Backend::Postgres, Kind::Int) => ty == "bigint",
        (Backend::Postgres, Kind::Text) => ty == "text" || ty == "citext",
        (Backend::Postgres, Kind::Date) => ty == "date",
        (Backend::Postgres, Kind::Bool) => ty == "boolean",
    }
}

#[tokio::test]
async fn the_copy_names_every_table_and_column_of_both_schemas_with_its_type() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let mut schema = schema(&app.pool).await;
        for t in TABLES {
            let columns = schema
                .remove(t.name)
                .unwrap_or_else(|| panic!("{} is in the schema", t.name));
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            let listed: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
            assert_eq!(names, listed, "the columns of {}", t.name);
            for ((c, ty), (_, kind)) in columns.iter().zip(t.columns) {
                assert!(
                    holds(backend(), ty, *kind),
                    "{}.{c} is {ty}, listed as {kind:?}",
                    t.name
                );
            }
        }
        let left: Vec<&String> = schema
            .keys()
            .filter(|t| !NOT_COPIED.iter().any(|(n, _)| n == t))
            .collect();
        assert!(
            left.is_empty(),
            "tables neither copied nor left out with a reason: {left:?}"
        );
    })
    .await;
}

/// Every table's rows, as typed values, in key order.
async fn dump(db: &Db) -> BTreeMap<&'static str, Vec<Vec<accord::store::sql::Arg>>> {
    let mut all = BTreeMap::new();
    for t in TABLES {
        all.insert(t.name, copy::rows(db, t).await.unwrap());
    }
    all
}

fn run_copy(dir: &std::path::Path, from: &str, to: &str, from_files: &str, to_files: &str) -> String {
    let out = accord_cmd(dir)
        .args(["copy", "--from", from, "--to", to])
        .args(["--from-files", from_files, "--to-files", to_files])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "copy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_installation_goes_to_postgres_and_back_row_for_row_with_its_files() {
    let Some(_) = postgres_server() else {
        println!("skipped: set ACCORD_TEST_POSTGRES=postgres://root@127.0.0.1/test to run it");
        return;
    };
    // The source: a SQLite installation with the demo's cases, sessions
    // and visits, an attachment and a signed-in session.
    let mut app = TestApp::new().await;
    let dir = app.dir.path().to_path_buf();
    let a = app.config.database.to_str().unwrap().to_string();
    let demo = accord_cmd(&dir)
        .args(["--db", &a, "demo", "--cases", "300"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    let token = app.csrf().await;
    let page = app
        .post_multipart(
            "/cases/7/attachments",
            &[
                ("csrf_token", None, token.as_bytes()),
                ("link", None, b""),
                ("kind_1", None, b"evidence"),
                ("note_1", None, "协议".as_bytes()),
                ("file_1", Some("协议.pdf"), PDF),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "upload: {}", page.body);
    let source = dump(&app.pool).await;
    assert!(source["cases"].len() == 300 && !source["mediation_sessions"].is_empty());
    assert!(!source["return_visits"].is_empty() && source["attachments"].len() == 1);
    assert!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await > 0);

    // SQLite → PostgreSQL.
    let pg = PgDatabase::create().await;
    let files_a = app.config.files_dir.to_str().unwrap().to_string();
    let files_b = dir.join("files_b").to_str().unwrap().to_string();
    let out = run_copy(&dir, &a, &pg.url(), &files_a, &files_b);
    let cases_line = out
        .lines()
        .find(|l| l.starts_with("cases ") && l.contains("amount_claimed"));
    assert!(cases_line.is_some(), "the sums are printed: {out}");
    assert!(out.contains("1 attachment files copied"), "{out}");
    let server = store::connect(&Location::Server(pg.url()), store::BUSY_TIMEOUT, Default::default())
        .await
        .unwrap();
    assert_eq!(dump(&server).await, source, "PostgreSQL holds the same rows");

    // PostgreSQL → SQLite.
    let c = dir.join("c.db").to_str().unwrap().to_string();
    let files_c = dir.join("files_c").to_str().unwrap().to_string();
    run_copy(&dir, &pg.url(), &c, &files_b, &files_c);
    let back = store::open(std::path::Path::new(&c)).await.unwrap();
    assert_eq!(dump(&back).await, source, "and the SQLite copy of it too");

    for db in [&server, &back] {
        let (sessions, indexed): (i64, i64) = on_db!(db, |e| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM http_sessions), (SELECT COUNT(*) FROM case_search)"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!((sessions, indexed), (0, 300), "no session; every case searchable");
    }
    let sha = accord::store::attachments::files::hash_file(&std::path::PathBuf::from(&files_c).join({
        let s: String = on_db!(back, |e| sqlx::query_scalar("SELECT sha256 FROM attachments")
            .fetch_one(e)
            .await)
        .unwrap();
        format!("{}/{}", &s[..2], &s[2..])
    }))
    .unwrap();
    assert_eq!(sha.1, PDF.len() as u64, "the file came along");
    // The server hands out the next ids after the copied ones.
    let next: i64 = on_db!(server, |e| sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('cases', 'id'))"
    )
    .fetch_one(e)
    .await)
    .unwrap();
    assert_eq!(next, 301);
    server.close().await;
    back.close().await;
}

#[tokio::test]
async fn a_copy_into_an_installation_that_holds_data_is_refused_and_changes_nothing() {
    crate::common::both(async || {
        let target = TestApp::new().await;
        target
            .sql_exec(
                "INSERT INTO users (username, password_hash, role, created_at, org_id)
                 VALUES ('boss', 'x', 'admin', '2026-11-28T00:00:00Z', 2)",
            )
            .await;
        let dir = tempfile::tempdir().unwrap();
        let source = store::open(&dir.path().join("src.db")).await.unwrap();
        accord::store::mediators::insert(
            &source,
            accord::store::orgs::FIRST_COMMITTEE,
            "王调解",
            "13800000000",
            true,
        )
        .await
        .unwrap();
        let before = dump(&target.pool).await;
        let refused = copy::copy(&source, &target.pool, None).await;
        assert!(matches!(refused, Err(CopyError::NotEmpty(1))), "{refused:?}");
        assert!(refused.unwrap_err().to_string().contains("already holds data"));
        assert_eq!(dump(&target.pool).await, before);

        // Through the command, too.
        let out = accord_cmd(dir.path())
            .args([
                "copy",
                "--from",
                "src.db",
                "--to",
                target.config.database.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("already holds data"));
        source.close().await;
    })
    .await;
}
