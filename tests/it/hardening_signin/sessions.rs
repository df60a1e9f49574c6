//! Sessions: reads never write, a held write lock gives 503 only to
//! changes, anonymous visitors have no row, old rows are purged.

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use super::{config_with, hold_write_lock};
use crate::common::{TestApp, admin_app, today};
use accord::domain::Role;

#[tokio::test]
async fn while_another_connection_holds_the_write_lock_pages_answer_at_once_and_a_post_answers_busy() {
    crate::common::both(async || {
        let config = config_with(|c| c.busy_timeout_seconds = 1);
        let mut app = TestApp::with_config(config, today()).await;
        app.add_user("boss", Role::Admin).await;
        app.login("boss").await;
        let mut due = app.client().with_cookie_of(&app);
        // A second signed-in browser whose expiry is due to be moved forward.
        due.login("boss").await;
        app.sql_exec("UPDATE http_sessions SET expiry_date = expiry_date - 600")
            .await;
        let mut stranger = app.client();

        let mut lock = hold_write_lock(&app).await;
        for (who, path) in [(&mut app, "/cases"), (&mut due, "/users"), (&mut stranger, "/login")] {
            let started = Instant::now();
            let page = who.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{path} took {:?}",
                started.elapsed()
            );
        }
        let started = Instant::now();
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
        assert!(page.text(".error-message").contains("系统正忙,请稍后再试"));
        assert!(started.elapsed() < Duration::from_secs(5));
        let page = stranger
            .post("/login", &[("username", "boss"), ("password", "wrong-password")])
            .await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.body.contains("系统正忙"));

        lock.release().await;
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        // The due expiry is moved forward by the next request, now that it can be.
        due.get("/cases").await;
        let soonest = app.sql_i64("SELECT MIN(expiry_date) FROM http_sessions").await;
        assert!(soonest > chrono::Utc::now().timestamp() + 480 * 60 - 60);
    })
    .await;
}

#[tokio::test]
async fn the_busy_page_speaks_the_visitors_language() {
    crate::common::both(async || {
        let config = config_with(|c| c.busy_timeout_seconds = 1);
        let mut app = TestApp::with_config(config, today()).await;
        app.add_user("boss", Role::Admin).await;
        app.login("boss").await;
        app.get("/lang/en?next=/cases").await;
        let _lock = hold_write_lock(&app).await;
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.text(".error-message").contains("busy, try again"), "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn signed_in_pages_write_no_session_and_extend_its_expiry_at_most_once_a_minute() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let read = |app: &TestApp| {
            let pool = app.pool.clone();
            async move {
                accord::on_db!(pool, |e| {
                    sqlx::query_as::<_, (String, i64)>("SELECT data, expiry_date FROM http_sessions")
                        .fetch_one(e)
                        .await
                })
                .unwrap()
            }
        };
        let before = read(&app).await;
        for path in ["/cases", "/users", "/audit", "/cases"] {
            assert_eq!(app.get(path).await.status, StatusCode::OK);
        }
        assert_eq!(read(&app).await, before, "reading changed the session row");
        app.sql_exec("UPDATE http_sessions SET expiry_date = expiry_date - 61")
            .await;
        app.get("/cases").await;
        let after = read(&app).await;
        assert_eq!(after.0, before.0, "the data is not rewritten");
        assert!(after.1 >= before.1, "the expiry moved forward");
    })
    .await;
}

#[tokio::test]
async fn anonymous_visits_and_failed_sign_ins_create_no_session_rows() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        for path in ["/login", "/cases", "/lang/en?next=/login", "/login", "/nowhere"] {
            app.get(path).await;
        }
        for _ in 0..3 {
            let page = app
                .post("/login", &[("username", "li"), ("password", "wrong-password")])
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        assert!(app.get("/login").await.body.contains("Sign in"), "the language is kept");
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, 0);
        // A form without the token cookie's value is refused.
        let page = app
            .post_without_token("/login", &[("csrf_token", "0".repeat(64).as_str())])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        app.login("li").await;
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, 1);
        let page = app.post("/logout", &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_hundred_kilobyte_username_is_stored_cut_to_sixty_four_characters() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        let huge = "名".repeat(100 * 1024 / 3);
        let page = app
            .post("/login", &[("username", huge.as_str()), ("password", "wrong-password")])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.sql_i64("SELECT CAST(MAX(LENGTH(username)) AS BIGINT) FROM login_attempts")
                .await,
            64
        );
        assert!(
            app.sql_i64("SELECT CAST(MAX(LENGTH(after)) AS BIGINT) FROM audit_log")
                .await
                < 400
        );
        assert!(page.body.len() < 20_000, "the form echoes only the cut name");
    })
    .await;
}

#[tokio::test]
async fn purging_removes_expired_sessions_and_old_sign_in_attempts_only() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let mut other = app.client();
        other.login("boss").await;
        // The first browser's session expires.
        let first = app.cookie("accord_session").unwrap().to_string();
        accord::on_db!(app.pool, |e| {
            sqlx::query("UPDATE http_sessions SET expiry_date = 10 WHERE id = $1")
                .bind(&first)
                .execute(e)
                .await
                .map(|d| d.rows_affected())
        })
        .unwrap();
        app.post("/logout", &[]).await;
        app.sql_exec("UPDATE login_attempts SET at = at - 40 * 86400 WHERE id = (SELECT MIN(id) FROM login_attempts)")
            .await;
        let attempts = app.sql_i64("SELECT COUNT(*) FROM login_attempts").await;
        let now = chrono::Utc::now().timestamp();
        let (sessions, old) = accord::store::purge(&app.pool, now, 30 * 86400).await.unwrap();
        assert_eq!((sessions, old), (1, 1));
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM login_attempts").await, attempts - 1);
        assert_eq!(other.get("/cases").await.status, StatusCode::OK);
    })
    .await;
}
