//! Issue 15: many committees in one installation. Each numbers its own
//! cases, assigns its own mediators and issues its documents in its own
//! name; a database of the last release becomes committee 2 unchanged.

use axum::http::StatusCode;

use accord::domain::Role;
use accord::on_db;
use accord::store::{Backend, Db, Location};

use crate::common::{TestApp, case_form};

const CHAOYANG: &str = "朝阳区物业纠纷人民调解委员会";

/// An app with committee 3 (朝阳, prefix 朝调) beside committee 2, and a
/// mediator in each: `own` in 2, `med_b` in 3.
async fn two_committees() -> TestApp {
    let app = TestApp::new().await;
    app.add_user("own", Role::Mediator).await;
    app.add_committee(3, CHAOYANG, "朝调").await;
    app.add_user_in(3, "med_b", Role::Mediator).await;
    app
}

#[tokio::test]
async fn two_committees_each_number_their_cases_from_one_with_their_own_prefix_at_once() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (m_a, m_b) = (app.mediator_of("own").await, app.mediator_of("med_b").await);
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let mut b = app.client();
        b.login("med_b").await;
        b.csrf().await;
        // Both committees register five cases each, their writes interleaved.
        let register = async |c: &mut TestApp, m: i64| {
            let mut ids = Vec::new();
            for _ in 0..5 {
                ids.push(c.create_case(&case_form(m, &[])).await);
            }
            ids
        };
        let (ids_a, ids_b) = tokio::join!(register(&mut a, m_a), register(&mut b, m_b));
        for (client, ids, prefix) in [(&mut a, ids_a, "物调"), (&mut b, ids_b, "朝调")] {
            let mut numbers = Vec::new();
            for id in ids {
                let page = client.get(&format!("/cases/{id}")).await;
                assert_eq!(page.status, StatusCode::OK);
                numbers.push(page.text("#case-no"));
            }
            numbers.sort();
            let expected: Vec<String> = (1..=5).map(|n| format!("{prefix}〔2026〕第{n:04}号")).collect();
            assert_eq!(numbers, expected);
        }
        let counters = app
            .count("SELECT COUNT(*) FROM case_counters WHERE year = 2026 AND last_seq = 5 AND committee_id IN (2, 3)")
            .await;
        assert_eq!(counters, 2, "one counter per committee and year");
    })
    .await;
}

#[tokio::test]
async fn a_case_is_refused_another_committees_mediator_with_a_field_error() {
    crate::common::both(async || {
        let app = two_committees().await;
        app.add_user("boss", Role::Admin).await;
        let (m_a, m_b) = (app.mediator_of("own").await, app.mediator_of("med_b").await);
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let page = a.post_case(&case_form(m_b, &[])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("#mediators-error").contains("调解员"), "{}", page.text("#mediators-error"));
        assert!(
            !page.attrs("input[name=mediators]", "value").contains(&m_b.to_string()),
            "another committee's mediator is not offered"
        );
        // Nor on editing a case of the committee, by its admin.
        let id = a.create_case(&case_form(m_a, &[])).await;
        let mut boss = app.client();
        boss.login("boss").await;
        boss.csrf().await;
        let form = case_form(m_b, &[]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = boss.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#mediators-error"));
        assert_eq!(app.count("SELECT COUNT(*) FROM case_mediators WHERE mediator_id = (SELECT mediator_id FROM users WHERE username = 'med_b')").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_committees_documents_and_file_are_issued_in_its_own_name() {
    crate::common::both(async || {
        let app = two_committees().await;
        let m_b = app.mediator_of("med_b").await;
        let mut b = app.client();
        b.login("med_b").await;
        b.csrf().await;
        let id = b.create_case(&case_form(m_b, &[])).await;
        b.accept(id, "2026-11-03").await;
        b.settle(id, "2026-11-10", "2026-12-10").await;
        let configured = app.config.association_name.clone();
        for path in ["documents/acceptance", "documents/rights", "agreement", "dossier"] {
            let page = b.get(&format!("/cases/{id}/{path}")).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(page.body.contains(CHAOYANG), "{path} names the committee");
            assert!(!page.body.contains(&configured), "{path} names another committee");
        }
        // Committee 2's cases go on in the name the configuration gave it.
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let id = a.create_case(&case_form(app.mediator_of("own").await, &[])).await;
        a.accept(id, "2026-11-03").await;
        let page = a.get(&format!("/cases/{id}/documents/acceptance")).await;
        assert!(page.body.contains(&configured) && !page.body.contains(CHAOYANG));
    })
    .await;
}

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
                .fetch_one(pool)
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

/// Complete, valid forms posted by committee B's admin to committee A's
/// case are refused as if the case did not exist, and change nothing.
#[tokio::test]
async fn another_committees_admin_changes_nothing_with_valid_forms() {
    crate::common::both(async || {
        let app = two_committees().await;
        app.add_user_in(3, "boss_b", Role::Admin).await;
        let m_a = app.mediator_of("own").await;
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let id = a.create_case(&case_form(m_a, &[])).await;
        a.accept(id, "2026-11-03").await;
        let mut b = app.client();
        b.login("boss_b").await;
        b.csrf().await;
        // After the sign-in, which the log records.
        let before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let m = m_a.to_string();
        let session = [
            ("held_on", "2026-11-04"),
            ("form", "on_site"),
            ("mediators", m.as_str()),
            ("notes", "笔录"),
        ];
        let visit = [("visited_on", "2026-11-05"), ("notes", "回访")];
        let form = case_form(m_a, &[("project", "改过的小区")]);
        let edit: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let writes: [(String, &[(&str, &str)]); 6] = [
            (format!("/cases/{id}"), &edit),
            (format!("/cases/{id}/sessions"), &session),
            (format!("/cases/{id}/visits"), &visit),
            (format!("/cases/{id}/withdraw"), &[("on", "2026-11-06")]),
            (format!("/cases/{id}/void"), &[("reason", "登记错误")]),
            (format!("/cases/{id}/accept"), &[("on", "2026-11-03")]),
        ];
        for (path, pairs) in &writes {
            let page = b.post(path, pairs).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            before,
            "nothing was written"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM mediation_sessions").await, 0);
        let page = a.get(&format!("/cases/{id}")).await;
        assert!(page.body.contains("阳光花园小区") && !page.body.contains("改过的小区"));
    })
    .await;
}

/// An attachment is read against the scope in its own query, not only
/// through its case's page: another committee's scope finds nothing.
#[tokio::test]
async fn an_attachment_is_found_only_in_its_own_committees_scope() {
    crate::common::both(async || {
        let app = two_committees().await;
        let m_a = app.mediator_of("own").await;
        let mut a = app.client();
        a.login("own").await;
        let id = a.create_case(&case_form(m_a, &[])).await;
        let token = a.csrf().await;
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let fields: [(&str, Option<&str>, &[u8]); 3] = [
            ("csrf_token", None, token.as_bytes()),
            ("kind_1", None, b"photo"),
            ("file_1", Some("photo.png"), png),
        ];
        let page = a.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let aid = app.sql_i64("SELECT MAX(id) FROM attachments").await;
        use accord::store::attachments;
        use accord::store::cases::Scope;
        let found = attachments::get(&app.pool, Scope::Committee(2), id, aid).await.unwrap();
        assert!(found.is_some(), "its own committee finds it");
        let found = attachments::get(&app.pool, Scope::Committee(3), id, aid).await.unwrap();
        assert!(found.is_none(), "another committee does not");
    })
    .await;
}
