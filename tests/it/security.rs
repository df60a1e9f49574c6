//! Issue 4: audit trail, users, reference lists and hardening.

use crate::common::{TestApp, admin_app, case_form};
use axum::http::StatusCode;

use accord::domain::Role;
use accord::on_db;
use accord::store::Backend;

#[tokio::test]
async fn every_change_to_a_case_appears_in_its_history_with_who_and_what() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        app.login("li").await;
        let m = app.mediator_of("li").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let form = case_form(m, &[("project", "翠湖苑"), ("amount_claimed", "100")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            app.post(&format!("/cases/{id}"), &pairs).await.status,
            StatusCode::SEE_OTHER
        );

        type Row = (String, Option<i64>, String, Option<String>, Option<String>);
        let rows: Vec<Row> = on_db!(app.pool, |e| {
            sqlx::query_as("SELECT action, user_id, at, before, after FROM audit_log WHERE case_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(e)
                .await
        })
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "create");
        assert!(rows[0].2.ends_with('Z'), "times are UTC: {}", rows[0].2);
        let (before, after): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(rows[1].3.as_deref().unwrap()).unwrap(),
            serde_json::from_str(rows[1].4.as_deref().unwrap()).unwrap(),
        );
        assert_eq!(before["project"], "阳光花园小区");
        assert_eq!(after["project"], "翠湖苑");
        assert_eq!(after["amount_claimed"], 10_000);
        assert!(after.get("summary").is_none(), "only changed fields are kept");

        let page = app.get(&format!("/cases/{id}")).await;
        let history = page.texts("#history ol.timeline > li");
        assert_eq!(history.len(), 2);
        assert!(history[1].contains("li") && history[1].contains("翠湖苑") && history[1].contains("阳光花园小区"));
        assert!(history[1].contains("¥100.00"));
    })
    .await;
}

#[tokio::test]
async fn the_audit_table_refuses_update_and_delete() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        // The sign-in is recorded too.
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM audit_log").await, 2);
        let update = on_db!(app.pool, |e| sqlx::query("UPDATE audit_log SET action = 'x'")
            .execute(e)
            .await
            .map(|_| ()));
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = on_db!(app.pool, |e| sqlx::query("DELETE FROM audit_log")
            .execute(e)
            .await
            .map(|_| ()));
        assert!(delete.unwrap_err().to_string().contains("append-only"));
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'create'")
                .await,
            1
        );
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM audit_log").await, 2);
    })
    .await;
}

#[tokio::test]
async fn the_audit_page_filters_by_user_entity_and_date() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
        app.post(
            "/reference/categories",
            &[("code", "elevator"), ("label_zh", "电梯"), ("label_en", "Lifts")],
        )
        .await;
        let all = app.get("/audit").await;
        // Two changes and boss's sign-in.
        assert_eq!(all.text("#total"), "3");
        let only = app.get("/audit?entity=categories").await;
        assert_eq!(only.texts("td.entity").len(), 1);
        assert!(only.text("td.entity").starts_with("纠纷类型"));
        let boss: i64 = app.sql_i64("SELECT id FROM users WHERE username = 'boss'").await;
        assert_eq!(app.get(&format!("/audit?user={boss}")).await.text("#total"), "3");
        assert_eq!(app.get("/audit?to=2000-01-01").await.text("#total"), "0");
        let today = chrono::Utc::now().date_naive();
        assert_eq!(
            app.get(&format!("/audit?from={today}&to={today}")).await.text("#total"),
            "3"
        );
    })
    .await;
}

#[tokio::test]
async fn two_admins_creating_the_same_username_at_once_get_one_user_and_one_form_error() {
    crate::common::both(async || {
        let app = admin_app().await;
        let form = [
            ("username", "zhao"),
            ("role", "mediator"),
            ("mediator", "new"),
            ("mediator_name", "zhao"),
            ("password", "long-password-1"),
        ];
        let mut a = app.client().with_cookie_of(&app);
        let mut b = app.client().with_cookie_of(&app);
        let (first, second) = tokio::join!(a.post("/users", &form), b.post("/users", &form));
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY]);
        let refused = if first.status == StatusCode::UNPROCESSABLE_ENTITY {
            &first
        } else {
            &second
        };
        assert!(refused.text("#username-error").contains("已存在"), "{}", refused.body);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM users WHERE username = 'zhao'").await,
            1
        );
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM mediators WHERE name = 'zhao'").await,
            1,
            "the refused creation left no mediator record behind"
        );
    })
    .await;
}

#[tokio::test]
async fn admins_create_users_reset_passwords_change_roles_and_disable_them() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let short = app
            .post(
                "/users",
                &[("username", "wang"), ("role", "secretary"), ("password", "short")],
            )
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.text("#password-error").contains("10"));
        let ok = app
            .post(
                "/users",
                &[
                    ("username", "wang"),
                    ("role", "mediator"),
                    ("mediator", "new"),
                    ("mediator_name", "wang"),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let dup = app
            .post(
                "/users",
                &[
                    ("username", "WANG"),
                    ("role", "secretary"),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        let id: i64 = app.sql_i64("SELECT id FROM users WHERE username = 'wang'").await;
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM mediators WHERE name = 'wang'").await,
            1,
            "linked to a new mediator"
        );

        // wang signs in in another browser.
        let mut wang = app.client();
        let page = wang
            .post("/login", &[("username", "wang"), ("password", "long-password-1")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(wang.get("/cases").await.status, StatusCode::OK);

        // Promote to secretary.
        let page = app
            .post(
                &format!("/users/{id}"),
                &[("role", "secretary"), ("mediator", ""), ("active", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(app.get("/users").await.texts("td.role").contains(&"秘书".to_string()));
        assert_eq!(wang.get("/cases/new").await.status, StatusCode::FORBIDDEN);

        // Reset the password, then disable: the open session ends on the server.
        let page = app
            .post(&format!("/users/{id}/password"), &[("password", "another-password")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            wang.get("/cases").await.status,
            StatusCode::SEE_OTHER,
            "signed out by the reset"
        );
        wang.logout_locally();
        let page = wang
            .post("/login", &[("username", "wang"), ("password", "another-password")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = app
            .post(&format!("/users/{id}"), &[("role", "secretary"), ("mediator", "")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            on_db!(app.pool, |e| sqlx::query_scalar::<_, i64>(
                match crate::common::backend() {
                    Backend::Sqlite =>
                        "SELECT COUNT(*) FROM http_sessions WHERE json_extract(data, '$.data.user_id') = $1",
                    Backend::Postgres => {
                        "SELECT COUNT(*) FROM http_sessions
                     WHERE CAST(data AS jsonb) -> 'data' -> 'user_id' = to_jsonb(CAST($1 AS BIGINT))"
                    }
                }
            )
            .bind(id)
            .fetch_one(e)
            .await)
            .unwrap(),
            0
        );
        assert_eq!(wang.get("/cases").await.status, StatusCode::SEE_OTHER);
        wang.logout_locally();
        let page = wang
            .post("/login", &[("username", "wang"), ("password", "another-password")])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "a disabled user cannot sign in");
        // Never deleted: the user and their history stay.
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM users WHERE username = 'wang'").await,
            1
        );
        assert!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND action = 'disable'")
                .await
                == 1
        );
    })
    .await;
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_disabled_or_demoted() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let boss: i64 = app.sql_i64("SELECT id FROM users WHERE username = 'boss'").await;
        let page = app
            .post(&format!("/users/{boss}"), &[("role", "admin"), ("mediator", "")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text(".error-message").contains("最后一位"));
        let page = app
            .post(
                &format!("/users/{boss}"),
                &[("role", "secretary"), ("mediator", ""), ("active", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active")
                .await,
            1
        );
        // With a second admin, the first may step down.
        app.post(
            "/users",
            &[
                ("username", "deputy"),
                ("role", "admin"),
                ("password", "long-password-1"),
            ],
        )
        .await;
        let page = app
            .post(
                &format!("/users/{boss}"),
                &[("role", "secretary"), ("mediator", ""), ("active", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn reference_codes_are_added_renamed_retired_and_deleted_only_when_unused() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("陈静").await;
        let bad = app
            .post(
                "/reference/categories",
                &[("code", "Bad Code"), ("label_zh", "x"), ("label_en", "x")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = app
            .post(
                "/reference/categories",
                &[("code", "elevator"), ("label_zh", "电梯"), ("label_en", "Lifts")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let dup = app
            .post(
                "/reference/categories",
                &[("code", "elevator"), ("label_zh", "电梯"), ("label_en", "Lifts")],
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        let id = app.create_case(&case_form(m, &[("category", "elevator")])).await;
        app.post(
            "/reference/categories/elevator",
            &[("label_zh", "电梯维保"), ("label_en", "Lift maintenance")],
        )
        .await;
        assert_eq!(app.get(&format!("/cases/{id}")).await.text("#category"), "电梯维保");

        // In use: delete refused, retire allowed.
        let refused = app.post("/reference/categories/elevator/delete", &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text(".error-message").contains("只能停用"));
        app.post("/reference/categories/elevator/retire", &[("retired", "1")])
            .await;
        let form = app.get("/cases/new").await;
        assert!(
            !form
                .attrs("select[name=category] option", "value")
                .contains(&"elevator".to_string())
        );
        let old = app.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(
            old.attrs("select[name=category] option[selected]", "value"),
            vec!["elevator"]
        );
        assert_eq!(
            app.post_case(&case_form(m, &[("category", "elevator")])).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // The old case can still be saved with its retired code.
        let form = case_form(m, &[("category", "elevator")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            app.post(&format!("/cases/{id}"), &pairs).await.status,
            StatusCode::SEE_OTHER
        );

        // Unused: deleted.
        app.post(
            "/reference/districts",
            &[("code", "xiongan"), ("label_zh", "雄安"), ("label_en", "Xiong'an")],
        )
        .await;
        assert_eq!(
            app.post("/reference/districts/xiongan/delete", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM districts WHERE code = 'xiongan'")
                .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn sign_in_from_one_address_waits_after_five_failures_of_one_name() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        for _ in 0..5 {
            let page = app
                .post("/login", &[("username", "li"), ("password", "wrong-password")])
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let page = app
            .post("/login", &[("username", "li"), ("password", crate::common::PASSWORD)])
            .await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.text(".error-message").contains("1分钟后再试"), "{}", page.body);
        // Other names are not held up.
        app.add_user("wang", Role::Mediator).await;
        app.login("wang").await;
        // Fifteen minutes later li may try again.
        app.sql_exec("UPDATE login_attempts SET at = at - 901").await;
        app.login("li").await;
    })
    .await;
}

#[tokio::test]
async fn sessions_get_a_new_id_at_sign_in_and_expire_after_the_idle_time() {
    crate::common::both(async || {
        let mut config = accord::config::Config::defaults();
        config.session_idle_minutes = 30;
        let mut app = TestApp::with_config(config, crate::common::today()).await;
        app.add_user("li", Role::Mediator).await;
        app.login("li").await;
        let first = app.cookie("accord_session").unwrap().to_string();
        // The server keeps the idle time: the row expires 30 minutes from now.
        let now = chrono::Utc::now().timestamp();
        let expiry = app.sql_i64("SELECT expiry_date FROM http_sessions").await;
        assert!((now + 1790..=now + 1810).contains(&expiry), "{expiry} vs {now}");
        app.login("li").await;
        assert_ne!(
            app.cookie("accord_session").unwrap(),
            first,
            "a new session id at sign-in"
        );
        // An expired session no longer signs anyone in.
        app.sql_exec("UPDATE http_sessions SET expiry_date = 0").await;
        assert_eq!(app.get("/cases").await.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn responses_carry_security_headers_and_large_bodies_are_refused() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app.get("/cases").await;
        let h = |k: &str| {
            page.headers
                .get(k)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        assert!(h("content-security-policy").contains("script-src 'self'"));
        assert!(!h("content-security-policy").contains("unsafe-inline"));
        assert_eq!(h("x-frame-options"), "DENY");
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("referrer-policy"), "same-origin");
        let big = "x".repeat(3 * 1024 * 1024);
        let page = app.post("/mediators", &[("name", big.as_str())]).await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM mediators").await, 0);
    })
    .await;
}

#[tokio::test]
async fn secretaries_see_masked_phones_and_admins_and_mediators_see_them_whole() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        app.add_user("sec", Role::Secretary).await;
        app.add_user("boss", Role::Admin).await;
        app.login("li").await;
        let m = app.mediator_of("li").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let path = format!("/cases/{id}");
        assert_eq!(app.get(&path).await.texts("#respondents td.phone"), vec!["13812341234"]);
        app.login("sec").await;
        assert_eq!(app.get(&path).await.texts("#respondents td.phone"), vec!["138****1234"]);
        app.login("boss").await;
        assert_eq!(app.get(&path).await.texts("#respondents td.phone"), vec!["13812341234"]);
    })
    .await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_only_when_configured() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        let cookie = app
            .get("/login")
            .await
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(!cookie.contains("Secure"), "{cookie}");
        let mut config = accord::config::Config::defaults();
        config.secure_cookies = true;
        let mut app = TestApp::with_config(config, crate::common::today()).await;
        let cookie = app
            .get("/login")
            .await
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_names_the_user_a_change_was_about() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let form = [
            ("username", "zhaomin"),
            ("role", "secretary"),
            ("password", "long-password-1"),
        ];
        app.post_ok("/users", &form).await;
        let page = app.get("/audit").await;
        let entities = page.texts("td.entity");
        assert!(entities.iter().any(|e| e.contains("zhaomin")), "{entities:?}");
        assert!(page.has("td.entity span.subject"));
    })
    .await;
}
