//! Security events on the audit page, with the client's address.

use std::time::Duration;

use axum::http::StatusCode;

use super::peer;
use crate::common::{TestApp, accord_cmd, admin_app};
use accord::domain::Role;

#[tokio::test]
async fn sign_ins_sign_outs_resets_and_role_changes_appear_on_the_audit_page_with_the_client_address() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        app.peer = Some(peer("10.9.8.7"));
        app.post("/login", &[("username", "boss"), ("password", "wrong-password")])
            .await;
        app.login("boss").await;
        app.post(
            "/users",
            &[
                ("username", "wang"),
                ("role", "secretary"),
                ("password", "long-password-1"),
            ],
        )
        .await;
        let wang: i64 = app.sql_i64("SELECT id FROM users WHERE username = 'wang'").await;
        app.post(
            &format!("/users/{wang}"),
            &[("role", "admin"), ("mediator", ""), ("active", "1")],
        )
        .await;
        app.post(&format!("/users/{wang}/password"), &[("password", "another-password")])
            .await;
        // The command line acts as no user.
        let db = app.config.database.clone();
        let run = |args: &[&str]| {
            let out = accord_cmd(app.dir.path())
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        };
        run(&["user", "add", "zhao", "--role", "secretary"]);
        run(&["user", "passwd", "zhao"]);
        run(&["user", "role", "zhao", "admin"]);
        run(&["user", "disable", "zhao"]);

        let page = app.get("/audit").await;
        let actions = page.texts("td.action");
        for wanted in ["登录失败", "登录", "创建", "修改", "重置密码"] {
            assert!(actions.iter().any(|a| a == wanted), "{wanted} missing from {actions:?}");
        }
        let rows = page.texts("table.audit tbody tr");
        let with_client = rows.iter().filter(|r| r.contains("10.9.8.7")).count();
        assert_eq!(with_client, 4, "failed sign-in, sign-in, role change, reset: {rows:?}");
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND after LIKE '%10.9.8.7%'")
                .await,
            1
        );
        // The entries name the user they are about.
        let by_system = rows.iter().filter(|r| r.contains("—用户 zhao"));
        assert_eq!(
            by_system.count(),
            4,
            "add, passwd, role, disable by the command line: {rows:?}"
        );
        assert!(rows.iter().any(|r| r.contains("—用户 zhao停用")), "{rows:?}");

        app.post("/logout", &[]).await;
        app.login("boss").await;
        let page = app.get("/audit").await;
        assert!(page.texts("td.action").iter().any(|a| a == "退出登录"));
    })
    .await;
}

#[tokio::test]
async fn exports_and_backups_appear_on_the_audit_page_with_the_client_address() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.peer = Some(peer("10.9.8.6"));
        assert_eq!(app.get("/export/cases.csv?status=settled").await.status, StatusCode::OK);
        assert_eq!(app.get("/export/stats.csv?year=2026").await.status, StatusCode::OK);
        assert_eq!(app.post("/backup", &[]).await.status, StatusCode::OK);
        // The export's entry is written beside the download, not before it.
        for _ in 0..50 {
            if app
                .sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
                .await
                == 2
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let page = app.get("/audit").await;
        let rows = page.texts("table.audit tbody tr");
        let exports: Vec<&String> = rows.iter().filter(|r| r.contains("导出")).collect();
        assert_eq!(exports.len(), 2, "{rows:?}");
        assert!(exports.iter().all(|r| r.contains("boss") && r.contains("10.9.8.6")));
        assert!(
            exports
                .iter()
                .any(|r| r.contains("cases.csv") && r.contains("状态: 调解成功"))
        );
        assert!(
            rows.iter().any(|r| r.contains("备份") && r.contains("10.9.8.6")),
            "{rows:?}"
        );
    })
    .await;
}
