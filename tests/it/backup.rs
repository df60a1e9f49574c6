//! Issue 6: backups from the command line and the web, taken while the
//! database is being written.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{TestApp, case_form};
use axum::http::StatusCode;
use chrono::NaiveDate;

use accord::domain::case::{CaseInput, PartyInput};
use accord::domain::{Money, PartyRole, Phone, Role};
use accord::store::{self, backup};

fn input(mediator: i64, n: usize) -> CaseInput {
    let party = |role, party_type: &str, name: String| PartyInput {
        role,
        party_type: party_type.to_string(),
        name,
        phone: Phone::default(),
        details: Default::default(),
    };
    CaseInput {
        received_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        source: "party_application".into(),
        category: "fees".into(),
        project: format!("第{n}号楼"),
        district: "chaoyang".into(),
        summary: "欠费".repeat(50),
        amount_claimed: Some(Money::from_fen(12_345)),
        parties: vec![
            party(PartyRole::Applicant, "property_company", format!("物业{n}")),
            party(PartyRole::Respondent, "owner", format!("业主{n}")),
        ],
        mediator_ids: vec![mediator],
        figures: Default::default(),
    }
}

/// Counts that must agree in any consistent copy.
async fn consistency(pool: &sqlx::SqlitePool) -> (i64, i64, i64, i64, i64) {
    let q = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap() };
    (
        q("SELECT COUNT(*) FROM cases").await,
        q("SELECT COUNT(*) FROM parties").await / 2,
        q("SELECT COUNT(*) FROM case_mediators").await,
        q("SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND action = 'create'").await,
        q("SELECT COALESCE(MAX(last_seq), 0) FROM case_counters WHERE year = 2026").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_run_is_complete_and_intact() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let m = app.add_mediator("王调解").await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..2 {
            let (pool, stop) = (app.pool.clone(), stop.clone());
            writers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    store::cases::create(
                        &pool,
                        &input(m, w * 100_000 + n),
                        &accord::store::orgs::Committee::first("物调"),
                        None,
                    )
                    .await
                    .unwrap();
                    n += 1;
                }
                n
            }));
        }
        while app.sql_i64("SELECT COUNT(*) FROM cases").await < 50 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let dest = app.dir.path().join("copy.db");
        backup::backup(&app.pool, &dest).await.unwrap();
        let during = app.sql_i64("SELECT COUNT(*) FROM cases").await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        stop.store(true, Ordering::Relaxed);
        let mut written = 0;
        for w in writers {
            written += w.await.unwrap();
        }
        assert!(written as i64 > during, "writes went on after the backup");

        assert_eq!(backup::integrity_check(&dest).await.unwrap(), "ok");
        let copy = store::open(&dest).await.unwrap();
        let (cases, party_pairs, links, audits, last_seq) = consistency(copy.sqlite().unwrap()).await;
        assert!(cases >= 50, "the copy has what was there when it began: {cases}");
        assert!(cases < written as i64, "and not what came after");
        assert_eq!(
            (party_pairs, links, audits, last_seq),
            (cases, cases, cases, cases),
            "no half-written case"
        );
        // The copy is a working database: its next number follows on.
        let (_, no) = store::cases::create(
            &copy,
            &input(m, 0),
            &accord::store::orgs::Committee::first("物调"),
            None,
        )
        .await
        .unwrap();
        assert_eq!(no, format!("物调〔2026〕第{:04}号", cases + 1));
    })
    .await;
}

#[tokio::test]
async fn the_backup_command_writes_a_checked_copy_and_refuses_an_existing_file() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        app.login("boss").await;
        let m = app.add_mediator("王调解").await;
        app.create_case(&case_form(m, &[])).await;
        let db = app.config.database.to_str().unwrap().to_string();
        let dest = app.dir.path().join("backup");
        let run = |dest: &std::path::Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
                .env("RUST_LOG", "warn")
                .env("ACCORD_FILES_DIR", &app.config.files_dir)
                .args(["--db", &db, "backup", dest.to_str().unwrap()])
                .output()
                .unwrap()
        };
        let out = run(&dest);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("integrity check: ok"));
        let copy = store::open(&dest.join("accord.db")).await.unwrap();
        assert_eq!(consistency(copy.sqlite().unwrap()).await.0, 1);
        copy.close().await;
        let size = std::fs::metadata(dest.join("accord.db")).unwrap().len();
        let again = run(&dest);
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
        assert_eq!(
            std::fs::metadata(dest.join("accord.db")).unwrap().len(),
            size,
            "the old backup is untouched"
        );
    })
    .await;
}

#[tokio::test]
async fn an_admin_downloads_a_fresh_backup_from_the_web() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        app.add_user("sec", Role::Secretary).await;
        app.login("boss").await;
        let m = app.add_mediator("王调解").await;
        app.create_case(&case_form(m, &[])).await;
        let page = app.get("/backup").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("form[action='/backup'] button"), "下载备份");
        assert!(page.text("p.restore").contains("停止 Accord"));
        let file = app.post("/backup", &[]).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers["content-disposition"],
            "attachment; filename=\"accord-backup-2026-11-28.db\""
        );
        assert!(file.bytes.starts_with(b"SQLite format 3\0"));
        assert_eq!(file.headers["content-length"], file.bytes.len().to_string().as_str());
        let saved = tempfile::tempdir().unwrap();
        let path = saved.path().join("accord-backup-2026-11-28.db");
        std::fs::write(&path, &file.bytes).unwrap();
        assert_eq!(backup::integrity_check(&path).await.unwrap(), "ok");
        let copy = store::open(&path).await.unwrap();
        assert_eq!(consistency(copy.sqlite().unwrap()).await.0, 1);
        let leftovers: Vec<_> = std::fs::read_dir(app.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("backup"))
            .collect();
        assert!(leftovers.is_empty(), "the scratch copy is gone: {leftovers:?}");

        let mut sec = app.client();
        sec.login("sec").await;
        assert_eq!(sec.get("/backup").await.status, StatusCode::FORBIDDEN);
        assert_eq!(sec.post("/backup", &[]).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_backup_taken_while_signed_in_holds_no_session_or_sign_in_attempt_and_restores() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        let failed = app
            .post("/login", &[("username", "boss"), ("password", "wrong-password")])
            .await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        app.login("boss").await;
        let m = app.add_mediator("王调解").await;
        app.create_case(&case_form(m, &[])).await;
        let live: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar("SELECT id FROM http_sessions")
            .fetch_all(e)
            .await)
        .unwrap();
        assert!(!live.is_empty());
        assert!(app.sql_i64("SELECT COUNT(*) FROM login_attempts").await >= 2);

        let file = app.post("/backup", &[]).await;
        assert_eq!(file.status, StatusCode::OK);
        for id in &live {
            assert!(
                !file.bytes.windows(id.len()).any(|w| w == id.as_bytes()),
                "a session id is nowhere in the file, not even in free pages"
            );
        }
        let saved = tempfile::tempdir().unwrap();
        let path = saved.path().join("accord.db");
        std::fs::write(&path, &file.bytes).unwrap();
        assert_eq!(backup::integrity_check(&path).await.unwrap(), "ok");
        let copy = store::open(&path).await.unwrap();
        let count = |sql: &'static str| {
            let copy = copy.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(copy.sqlite().unwrap())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(count("SELECT COUNT(*) FROM http_sessions").await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM login_attempts").await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM cases").await, 1);
        // The restored database serves: the admin signs in again and sees the case.
        let mut config = app.config.clone();
        config.database = accord::store::Location::File(path.clone());
        let state = accord::web::AppState::new(copy.clone(), config, accord::clock::Clock::Fixed(app.today));
        let mut restored = app.client();
        restored.router = accord::web::router(state);
        restored.pool = copy.clone();
        restored.login("boss").await;
        assert_eq!(restored.get("/cases").await.texts("table.cases tbody tr").len(), 1);
    })
    .await;
}
