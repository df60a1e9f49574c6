//! Adding a user links a mediator by choice, or a new one by real name (item 10).

use axum::http::StatusCode;

use crate::common::admin_app;

#[tokio::test]
async fn the_add_user_form_starts_with_a_prompt_to_choose_a_mediator() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("林杰").await;
        let page = app.get("/users").await;
        let options = page.texts("form[action='/users'] select#mediator option");
        assert_eq!(options.first().map(String::as_str), Some("请选择调解员"));
        assert!(options.contains(&"林杰".to_string()));
        assert_eq!(options.last().map(String::as_str), Some("新建调解员(在下方填写姓名)"));
        assert!(
            page.attrs("form[action='/users'] select#mediator option[selected]", "value")
                .is_empty()
        );
        assert!(page.has("input#mediator_name"));
    })
    .await;
}

#[tokio::test]
async fn a_mediator_account_without_a_chosen_mediator_is_refused_with_its_input_kept() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app
            .post(
                "/users",
                &[
                    ("username", "linjie"),
                    ("role", "mediator"),
                    ("mediator", ""),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("#mediator-error").contains("至少选择一名调解员"));
        assert_eq!(page.attrs("input#username", "value"), ["linjie"]);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM users WHERE username = 'linjie'")
                .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn an_existing_mediator_is_linked_and_no_new_record_is_made() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let lin = app.add_mediator("林杰").await;
        let page = app
            .post(
                "/users",
                &[
                    ("username", "linjie"),
                    ("role", "mediator"),
                    ("mediator", &lin.to_string()),
                    ("mediator_name", ""),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(app.mediator_of("linjie").await, lin);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM mediators").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_new_mediator_needs_the_persons_real_name_and_is_recorded_under_it() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let form = |name: &'static str| {
            [
                ("username", "linjie"),
                ("role", "mediator"),
                ("mediator", "new"),
                ("mediator_name", name),
                ("password", "long-password-1"),
            ]
        };
        let refused = app.post("/users", &form("  ")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text("#mediator_name-error").contains("必填"));
        assert_eq!(refused.attrs("select#mediator option[selected]", "value"), ["new"]);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM mediators").await, 0);

        let ok = app.post("/users", &form("林杰")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let names: Vec<String> = accord::on_db!(app.pool, |e| {
            sqlx::query_scalar("SELECT name FROM mediators").fetch_all(e).await
        })
        .unwrap();
        assert_eq!(names, ["林杰"], "no stray mediator named after the login");
        assert!(
            app.get("/users")
                .await
                .texts("table.users td")
                .contains(&"林杰".to_string())
        );
    })
    .await;
}

#[tokio::test]
async fn the_user_add_command_names_a_new_mediator_by_the_real_name_given() {
    crate::common::both(async || {
        let app = admin_app().await;
        let db = app.config.database.to_str().unwrap().to_string();
        let out = crate::common::accord_cmd(app.dir.path())
            .args([
                "--db",
                &db,
                "user",
                "add",
                "linjie",
                "--role",
                "mediator",
                "--mediator-name",
                "林杰",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let names: Vec<String> = accord::on_db!(app.pool, |e| {
            sqlx::query_scalar("SELECT name FROM mediators").fetch_all(e).await
        })
        .unwrap();
        assert_eq!(names, ["林杰"]);
        assert_eq!(
            app.mediator_of("linjie").await,
            app.sql_i64("SELECT id FROM mediators").await
        );
    })
    .await;
}
