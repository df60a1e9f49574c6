//! Issue 15: a database of the last release, opened by this one, becomes
//! committee 2 under association 1 with every number and total kept.

use accord::on_db;
use accord::store::{Backend, Db, Location};

/// What a database of the last release holds, written with its columns:
/// two mediators' accounts, three cases over two years (a gap in 2025's
/// numbers, as deleted drafts of old left), and the counters.
const OLD_ROWS: &[&str] = &[
    "INSERT INTO mediators (name, phone, created_at) VALUES ('王调解', '13800000001', 'x')",
    "INSERT INTO users (username, password_hash, role, mediator_id, created_at)
     VALUES ('boss', 'h', 'admin', NULL, 'x'),
            ('wang', 'h', 'mediator', (SELECT id FROM mediators WHERE name = '王调解'), 'x')",
    "INSERT INTO cases (case_no, case_year, case_seq, received_on, source, category, project, district, summary,
                        amount_claimed, created_at, updated_at)
     VALUES ('物调〔2025〕第0001号', 2025, 1, '2025-03-02', 'other', 'other', '阳光花园', 'chaoyang', '概要', 100000, 'x', 'x'),
            ('物调〔2025〕第0007号', 2025, 7, '2025-12-30', 'other', 'fees', '阳光花园', 'chaoyang', '概要', 250050, 'x', 'x'),
            ('物调〔2026〕第0001号', 2026, 1, '2026-01-05', 'other', 'parking', '明月小区', 'chaoyang', '概要', 0, 'x', 'x')",
    "INSERT INTO case_counters (year, last_seq) VALUES (2025, 7), (2026, 1)",
];

/// A database made by the last release's migrations (SQLite 0025,
/// PostgreSQL 0003) holding [`OLD_ROWS`], then opened by this release.
async fn upgraded_database(dir: &std::path::Path) -> (Db, Option<crate::common::PgDatabase>) {
    match crate::common::backend() {
        Backend::Sqlite => {
            use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
            let path = dir.join("old.db");
            let options = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new().connect_with(options).await.unwrap();
            sqlx::migrate!("./migrations/sqlite").run_to(25, &pool).await.unwrap();
            for sql in OLD_ROWS {
                sqlx::query(*sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
            (accord::store::open(&path).await.unwrap(), None)
        }
        Backend::Postgres => {
            let db = crate::common::PgDatabase::create().await;
            let pool = sqlx::PgPool::connect(&db.url()).await.unwrap();
            sqlx::migrate!("./migrations/postgres").run_to(3, &pool).await.unwrap();
            for sql in OLD_ROWS {
                sqlx::query(*sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
            let location = Location::Server(db.url());
            let opened = accord::store::connect(
                &location,
                std::time::Duration::from_secs(5),
                accord::domain::Durability::Full,
            )
            .await
            .unwrap();
            (opened, Some(db))
        }
    }
}

#[tokio::test]
async fn a_database_of_the_last_release_becomes_committee_2_with_every_number_and_total() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        let (db, _pg) = upgraded_database(dir.path()).await;
        let cases: Vec<(String, i64, i64, i64)> = on_db!(db, |e| sqlx::query_as(
            "SELECT case_no, committee_id, case_year, case_seq FROM cases ORDER BY case_year, case_seq"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        let expected = [
            ("物调〔2025〕第0001号", 2, 2025, 1),
            ("物调〔2025〕第0007号", 2, 2025, 7),
            ("物调〔2026〕第0001号", 2, 2026, 1),
        ]
        .map(|(n, c, y, s)| (n.to_string(), c, y, s));
        assert_eq!(cases, expected);
        let counters: Vec<(i64, i64, i64)> = on_db!(db, |e| sqlx::query_as(
            "SELECT committee_id, year, last_seq FROM case_counters ORDER BY year"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(counters, [(2, 2025, 7), (2, 2026, 1)]);
        let users: Vec<(String, i64)> = on_db!(db, |e| sqlx::query_as(
            "SELECT CAST(username AS TEXT), org_id FROM users ORDER BY id"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(users, [("boss".to_string(), 2), ("wang".to_string(), 2)]);
        let mediators: Vec<(String, i64)> = on_db!(db, |e| sqlx::query_as("SELECT name, committee_id FROM mediators")
            .fetch_all(e)
            .await)
        .unwrap();
        assert_eq!(mediators, [("王调解".to_string(), 2)]);
        let total: i64 = on_db!(db, |e| sqlx::query_scalar(
            "SELECT CAST(SUM(amount_claimed) AS BIGINT) FROM cases WHERE committee_id = 2"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(total, 350050, "every yuan claimed is still there, in committee 2");
        let committee: (i64, Option<i64>, String, String) = on_db!(db, |e| sqlx::query_as(
            "SELECT id, parent_id, kind, path FROM organisations WHERE id = 2"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(committee, (2, Some(1), "committee".to_string(), "/1/2/".to_string()));
        let root: (Option<i64>, String) = on_db!(db, |e| sqlx::query_as(
            "SELECT parent_id, kind FROM organisations WHERE id = 1"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(root, (None, "association".to_string()));
        if let Db::Sqlite(pool) = &db {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(pool.pool())
                .await
                .unwrap();
            assert_eq!(check, "ok");
        }
        // (committee, year, seq) is unique within a committee, not across.
        on_db!(db, |e| sqlx::query(
            "INSERT INTO organisations (id, parent_id, kind, name, case_prefix, path, created_at)
             VALUES (3, 1, 'committee', '朝阳', '朝调', '/1/3/', 'x')"
        )
        .execute(e)
        .await
        .map(|_| ()))
        .unwrap();
        let insert = |committee: i64, case_no: &'static str| {
            let db = db.clone();
            async move {
                on_db!(db, |e| sqlx::query(
                    "INSERT INTO cases (committee_id, case_no, case_year, case_seq, received_on, source, category,
                                        project, district, summary, created_at, updated_at)
                     VALUES ($1, $2, 2026, 1, '2026-02-01', 'other', 'other', '项目', 'chaoyang', '概要', 'x', 'x')"
                )
                .bind(committee)
                .bind(case_no)
                .execute(e)
                .await
                .map(|_| ()))
            }
        };
        assert!(
            insert(2, "物调〔2026〕第0001号(重)").await.is_err(),
            "a second 0001 of 2026 in committee 2"
        );
        insert(3, "朝调〔2026〕第0001号").await.unwrap();
        db.close().await;
    })
    .await;
}
