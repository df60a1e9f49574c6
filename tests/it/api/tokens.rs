//! Tokens: issued on the command line and the users page, refused when
//! revoked or expired, read-only when so scoped, and the only key to `/api`.

use axum::http::StatusCode;

use accord::domain::Role;
use accord::domain::token::TokenScope;

use super::{Call, case_body, json, token};
use crate::common::{TestApp, accord_cmd, admin_app};

#[tokio::test]
async fn a_token_issued_on_the_command_line_is_printed_alone_on_the_last_line_and_opens_the_api() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        app.add_user("linjie", Role::Mediator).await;
        let out = accord_cmd(app.dir.path())
            .arg("--db")
            .arg(app.config.database.as_ref())
            .args([
                "token", "issue", "linjie", "--scope", "read", "--days", "30", "--label", "法院",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let secret = stdout.lines().last().unwrap().to_string();
        assert!(secret.starts_with("acc_") && !secret.contains(' '), "{stdout}");
        // Only its hash is kept.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM api_tokens WHERE expires_at IS NOT NULL")
                .await,
            1
        );
        assert!(
            !app.sql_text("SELECT token_hash FROM api_tokens")
                .await
                .unwrap()
                .contains(&secret)
        );
        let page = Call::get("/api/v1/cases", &secret).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["cases"].as_array().unwrap().len(), 0);
        // The use is recorded; the list names it; revoking it shuts the door.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
                .await,
            1
        );
        let run = |args: &[&str]| {
            accord_cmd(app.dir.path())
                .arg("--db")
                .arg(app.config.database.as_ref())
                .args(args)
                .output()
                .unwrap()
        };
        let listed = String::from_utf8(run(&["token", "list", "linjie"]).stdout).unwrap();
        assert!(listed.contains("linjie\tread\t法院"), "{listed}");
        let id = app.sql_i64("SELECT MAX(id) FROM api_tokens").await.to_string();
        assert!(run(&["token", "revoke", &id]).status.success());
        let page = Call::get("/api/v1/cases", &secret).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(
            !run(&["token", "revoke", &id]).status.success(),
            "a revoked token is revoked once"
        );
        let audit = app
            .count("SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token' AND action IN ('create', 'revoke')")
            .await;
        assert_eq!(audit, 2);
    })
    .await;
}

#[tokio::test]
async fn revoked_expired_unknown_and_missing_tokens_are_refused_with_a_problem() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        app.add_user("sec", Role::Secretary).await;
        let good = token(&app, "sec", TokenScope::Read).await;
        let mut client = app.client();
        assert_eq!(
            Call::get("/api/v1/reference", &good).on(&mut client).await.status,
            StatusCode::OK
        );
        app.sql_exec("UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00Z'")
            .await;
        let expired = Call::get("/api/v1/reference", &good).on(&mut client).await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
        assert_eq!(expired.content_type.as_deref(), Some("application/problem+json"));
        let problem = json(&expired);
        assert_eq!(problem["status"], 401);
        assert_eq!(problem["type"], "/api/docs#problem-unauthorized");
        app.sql_exec("UPDATE api_tokens SET expires_at = NULL, revoked_at = '2026-11-01T00:00:00Z'")
            .await;
        let revoked = Call::get("/api/v1/reference", &good).on(&mut client).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        let forged = format!("acc_{}", "A".repeat(43));
        for bad in [forged.as_str(), "nonsense", ""] {
            let page = Call::get("/api/v1/cases", bad).on(&mut client).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{bad}");
        }
        let mut anonymous = Call::get("/api/v1/cases", "");
        anonymous.token = None;
        assert_eq!(anonymous.on(&mut client).await.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn a_read_token_cannot_write_and_a_signed_in_session_opens_nothing() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let mediator = app.add_mediator("林杰").await;
        let read = token(&app, "boss", TokenScope::Read).await;
        let page = Call::send("POST", "/api/v1/cases", &read, case_body(mediator))
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
        assert_eq!(json(&page)["type"], "/api/docs#problem-read-only");
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
        // The admin's own browser session, with its CSRF token, is no key.
        let csrf = app.csrf().await;
        let mut with_cookie = Call::get("/api/v1/cases", "");
        with_cookie.token = None;
        let page = with_cookie.on(&mut app).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        let path = format!("/api/v1/cases?csrf_token={csrf}");
        let mut post = Call::send("POST", &path, "", case_body(mediator));
        post.token = None;
        assert_eq!(post.on(&mut app).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_token_past_its_rate_gets_429_with_retry_after() {
    crate::common::both(async || {
        let mut config = accord::config::Config::defaults();
        config.api_rate_per_minute = 3;
        let app = TestApp::with_config(config, crate::common::today()).await;
        app.add_user("sec", Role::Secretary).await;
        let t = token(&app, "sec", TokenScope::Read).await;
        let mut client = app.client();
        for _ in 0..3 {
            assert_eq!(
                Call::get("/api/v1/reference", &t).on(&mut client).await.status,
                StatusCode::OK
            );
        }
        let page = Call::get("/api/v1/reference", &t).on(&mut client).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = page.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait));
        assert!(json(&page)["detail"].as_str().unwrap().contains('3'));
    })
    .await;
}

#[tokio::test]
async fn an_admin_issues_a_token_on_the_users_page_sees_it_once_and_revokes_it() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let sec = app.add_user("sec", Role::Secretary).await.to_string();
        let page = app
            .post(
                "/users/tokens",
                &[
                    ("user", sec.as_str()),
                    ("scope", "read"),
                    ("days", "30"),
                    ("label", "街道系统"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let secret = page.text("#new-token");
        assert!(secret.starts_with("acc_"), "{secret}");
        assert_eq!(page.texts("table.tokens td.label"), ["街道系统"]);
        assert_eq!(page.texts("table.tokens td.user"), ["sec"]);
        // Shown once: the page read again does not show it.
        let again = app.get("/users").await;
        assert!(!again.body.contains(&secret));
        assert!(!again.has("#new-token"));
        let mut api = app.client();
        assert_eq!(
            Call::get("/api/v1/stats", &secret).on(&mut api).await.status,
            StatusCode::OK
        );
        let bad = app
            .post(
                "/users/tokens",
                &[("user", sec.as_str()), ("scope", "root"), ("days", "0")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.has("#token_scope.invalid") && bad.has("#token_days.invalid"));
        let id = app.sql_i64("SELECT MAX(id) FROM api_tokens").await;
        let page = app
            .post("/users/tokens/revoke", &[("token", id.to_string().as_str())])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            Call::get("/api/v1/stats", &secret).on(&mut api).await.status,
            StatusCode::UNAUTHORIZED
        );
        let audit = app.get("/audit").await;
        assert!(audit.body.contains("API 令牌"), "the audit names the token");
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_supervisors_token_reads_the_added_up_figures_and_no_case() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let hash = accord::password::hash(crate::common::PASSWORD);
        accord::store::users::insert(&app.pool, "national", &hash, Role::Supervisor, None, 1)
            .await
            .unwrap();
        let t = token(&app, "national", TokenScope::Read).await;
        let mut c = app.client();
        assert_eq!(Call::get("/api/v1/stats", &t).on(&mut c).await.status, StatusCode::OK);
        let page = Call::get("/api/v1/cases", &t).on(&mut c).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
        assert_eq!(
            Call::get("/api/v1/cases/1", &t).on(&mut c).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}
