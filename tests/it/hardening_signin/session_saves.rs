//! Issue 9 leftovers: a session changed while another write holds the
//! database never answers 500. A change that must be stored (sign-in,
//! sign-out) answers the busy page and leaves nothing half-done; a change
//! that can wait (a disabled user let go) waits. A notice is kept in a
//! cookie, and writes nothing.

use axum::http::StatusCode;

use super::{config_with, hold_write_lock};
use crate::common::{TestApp, today};
use accord::domain::Role;
use accord::store::Backend;

const SAVED: &str = "调解员已保存。";

async fn busy_app() -> TestApp {
    let config = config_with(|c| c.busy_timeout_seconds = 1);
    let mut app = TestApp::with_config(config, today()).await;
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    app
}

#[tokio::test]
async fn a_notice_waiting_to_be_shown_is_shown_once_while_the_database_is_busy() {
    crate::common::both(async || {
        let mut app = busy_app().await;
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

        let mut lock = hold_write_lock(&app).await;
        let page = app.get("/mediators").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(SAVED), "the notice is shown");
        // The notice is the browser's, not the session's: taking it away
        // writes nothing, so it is gone at once, busy or not.
        let page = app.get("/mediators").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(SAVED), "the notice is gone");
        lock.release().await;
    })
    .await;
}

#[tokio::test]
async fn a_change_and_the_notice_that_says_so_write_no_session() {
    crate::common::both(async || {
        let mut app = busy_app().await;
        const NOTICE_KEPT: &str = "SELECT COUNT(*) FROM http_sessions WHERE data LIKE '%flash%'";
        let before = app.sql_i64("SELECT COUNT(*) FROM http_sessions").await;
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(app.sql_i64(NOTICE_KEPT).await, 0, "the notice is not in the session");
        assert!(app.get("/mediators").await.body.contains(SAVED));
        assert!(!app.get("/mediators").await.body.contains(SAVED), "shown once");
        assert_eq!(app.sql_i64(NOTICE_KEPT).await, 0);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, before);
    })
    .await;
}

#[tokio::test]
async fn a_disabled_user_is_sent_to_sign_in_while_the_database_is_busy() {
    crate::common::both(async || {
        let app = busy_app().await;
        app.add_user("li", Role::Mediator).await;
        let mut li = app.client();
        li.login("li").await;
        app.sql_exec("UPDATE users SET active = FALSE WHERE username = 'li'")
            .await;

        let mut lock = hold_write_lock(&app).await;
        let page = li.get("/cases").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(page.location.unwrap().starts_with("/login"));
        lock.release().await;

        let page = li.get("/cases").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let signed_in = match crate::common::backend() {
            Backend::Sqlite => {
                app.sql_i64("SELECT COUNT(*) FROM http_sessions WHERE json_extract(data, '$.data.user_id') IS NOT NULL")
                    .await
            }
            Backend::Postgres => {
                app.sql_i64(
                    "SELECT COUNT(*) FROM http_sessions WHERE CAST(data AS jsonb) #> '{data,user_id}' IS NOT NULL",
                )
                .await
            }
        };
        assert_eq!(signed_in, 1, "only boss is still signed in on the server");
    })
    .await;
}

#[tokio::test]
async fn signing_in_while_the_database_is_busy_answers_the_busy_page_and_stores_no_session() {
    crate::common::both(async || {
        let app = busy_app().await;
        let mut stranger = app.client();
        let sessions = app.sql_i64("SELECT COUNT(*) FROM http_sessions").await;

        let mut lock = hold_write_lock(&app).await;
        let page = stranger
            .post("/login", &[("username", "boss"), ("password", crate::common::PASSWORD)])
            .await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
        assert!(page.body.contains("系统正忙"));
        assert!(stranger.cookie("accord_session").is_none());
        lock.release().await;

        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, sessions);
        assert_eq!(stranger.get("/cases").await.status, StatusCode::SEE_OTHER);
        stranger.login("boss").await;
        assert_eq!(stranger.get("/cases").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn signing_out_while_the_database_is_busy_answers_the_busy_page_and_stays_signed_in() {
    crate::common::both(async || {
        let mut app = busy_app().await;

        let mut lock = hold_write_lock(&app).await;
        let page = app.post("/logout", &[]).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
        assert!(page.body.contains("系统正忙"));
        lock.release().await;

        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, 1);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_out'")
                .await,
            0
        );
        assert_eq!(app.get("/cases").await.status, StatusCode::OK, "still signed in");
        assert_eq!(app.post("/logout", &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM http_sessions").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_session_missing_its_token_gets_one_later_and_switching_language_works_while_busy() {
    crate::common::both(async || {
        let mut app = busy_app().await;
        match crate::common::backend() {
            Backend::Sqlite => app.sql_exec("UPDATE http_sessions SET data = json_remove(data, '$.data.csrf')"),
            Backend::Postgres => {
                app.sql_exec("UPDATE http_sessions SET data = CAST(CAST(data AS jsonb) #- '{data,csrf}' AS TEXT)")
            }
        }
        .await;

        let mut lock = hold_write_lock(&app).await;
        let page = app.get("/cases").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page = app.get("/lang/en?next=/cases").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/cases"));
        lock.release().await;

        let page = app.get("/cases").await;
        assert!(page.body.contains("Cases"), "the language is switched");
        let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "the stored token is accepted");
    })
    .await;
}

#[tokio::test]
async fn a_reference_list_change_while_the_database_is_busy_answers_the_busy_page() {
    crate::common::both(async || {
        let mut app = busy_app().await;
        let _lock = hold_write_lock(&app).await;
        let page = app
            .post(
                "/reference/districts",
                &[("code", "xiongan"), ("label_zh", "雄安"), ("label_en", "Xiong'an")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
        assert!(page.body.contains("系统正忙"));
    })
    .await;
}
