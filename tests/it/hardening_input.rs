//! Issue 9: input and output hardening: redirects, caching, control
//! characters, backups without sessions, durability, party limits.

use crate::common::{TestApp, admin_app, case_form};
use axum::http::StatusCode;

use accord::domain::Role;
use accord::on_db;
use accord::store::Backend;

/// The parties of one case.
async fn parties_of(app: &TestApp, id: i64) -> i64 {
    on_db!(app.pool, |e| {
        sqlx::query_scalar("SELECT COUNT(*) FROM parties WHERE case_id = $1")
            .bind(id)
            .fetch_one(e)
            .await
    })
    .unwrap()
}

// Redirects (item 8)

#[tokio::test]
async fn the_language_switch_never_redirects_off_the_site_and_never_fails() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        for next in [
            "/%09/evil.example",
            "/%0A/x",
            "/%0D%0ASet-Cookie:x=1",
            "//evil.example",
            "/%5C/evil.example",
        ] {
            let page = app.get(&format!("/lang/en?next={next}")).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}: {}", page.body);
            assert_eq!(page.location.as_deref(), Some("/"), "{next}");
        }
        let page = app.get("/lang/en?next=/cases%3Fstatus%3Dsettled").await;
        assert_eq!(page.location.as_deref(), Some("/cases?status=settled"));
    })
    .await;
}

#[tokio::test]
async fn sign_in_sends_a_bad_next_home_and_a_good_one_back() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        let page = app.get("/login?next=/%09/evil.example").await;
        assert_eq!(page.attrs("input[name=next]", "value"), vec!["/"]);
        let page = app
            .post(
                "/login",
                &[
                    ("username", "li"),
                    ("password", crate::common::PASSWORD),
                    ("next", "/\t/evil.example"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/"));
        let page = app.get("/login?next=/%0A/x").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "signed in: straight on");
        assert_eq!(page.location.as_deref(), Some("/"));
        let page = app.get("/login?next=/my").await;
        assert_eq!(page.location.as_deref(), Some("/my"));
    })
    .await;
}

// Caching (item 11)

fn cache_control(page: &crate::common::Page) -> String {
    page.headers
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn signed_in_pages_and_downloads_are_never_stored_by_the_browser() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let accepted = app.post(&format!("/cases/{id}/accept"), &[("on", "2026-11-03")]).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        let settle = [
            ("on", "2026-11-20"),
            ("agreement_type", "written"),
            ("amount_agreed", "8,000"),
            ("agreement_on", "2026-11-20"),
            ("performance_due", "2026-12-31"),
            ("agreement_terms", "被申请人一次性支付物业费8000元。"),
        ];
        let settled = app.post(&format!("/cases/{id}/settle"), &settle).await;
        assert_eq!(settled.status, StatusCode::SEE_OTHER, "{}", settled.body);
        for path in [
            "/cases".to_string(),
            format!("/cases/{id}"),
            format!("/cases/{id}/agreement"),
            "/dashboard".to_string(),
            "/users".to_string(),
            "/export/cases.csv".to_string(),
            "/export/stats.csv?year=2026".to_string(),
        ] {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_eq!(cache_control(&page), "no-store", "{path}");
        }
        let page = app.post("/backup", &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(cache_control(&page), "no-store");
        let page = app.get("/static/app.css").await;
        assert_eq!(
            cache_control(&page),
            "public, max-age=3600",
            "the stylesheet keeps its caching"
        );
    })
    .await;
}

// Control characters (item 7)

/// The form error under a field, by its id as the views write it.
fn field_error(page: &crate::common::Page, field: &str) -> String {
    page.text(&format!("#{}-error", field.replace('.', "-")))
}

#[tokio::test]
async fn a_name_of_one_nul_byte_is_a_form_error_on_case_create_and_edit() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let page = app.post_case(&case_form(m, &[("respondent_name", "\0")])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(field_error(&page, "respondent_name.0").contains("控制字符"));
        let page = app.post_case(&case_form(m, &[("project", "阳光\u{1b}花园")])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_error(&page, "project").contains("控制字符"));
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0);

        // A summary keeps its tabs and line breaks.
        let summary = "第一点:欠费。\r\n\t第二点:漏水。";
        let id = app.create_case(&case_form(m, &[("summary", summary)])).await;
        let stored: String = on_db!(app.pool, |e| {
            sqlx::query_scalar("SELECT summary FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(e)
                .await
        })
        .unwrap();
        assert_eq!(stored, "第一点:欠费。\n\t第二点:漏水。");

        let form = case_form(m, &[("applicant_name", "\0")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(field_error(&page, "applicant_name.0").contains("控制字符"));
        // PostgreSQL's text cannot hold a NUL at all: no control character.
        let with_nul = match crate::common::backend() {
            Backend::Sqlite => app.sql_i64("SELECT COUNT(*) FROM parties WHERE instr(name, char(0)) > 0"),
            Backend::Postgres => app.sql_i64("SELECT COUNT(*) FROM parties WHERE name ~ '[[:cntrl:]]'"),
        };
        assert_eq!(with_nul.await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_name_of_one_nul_byte_is_a_form_error_for_mediators_and_users() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app.post("/mediators", &[("name", "\0"), ("phone", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(field_error(&page, "name").contains("控制字符"));
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM mediators").await, 0);

        let page = app
            .post(
                "/users",
                &[
                    ("username", "\0"),
                    ("role", "secretary"),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(field_error(&page, "username").contains("控制字符"));
        let page = app
            .post(
                "/users",
                &[
                    ("username", "wang\tli"),
                    ("role", "secretary"),
                    ("password", "long-password-1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM users").await, 1, "only the admin");
    })
    .await;
}

#[tokio::test]
async fn workflow_notes_refuse_a_nul_but_keep_line_breaks() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let page = app
            .post(
                &format!("/cases/{id}/decline"),
                &[("on", "2026-11-03"), ("reason", "一方\0拒绝")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains("控制字符"));
        let page = app
            .post(
                &format!("/cases/{id}/decline"),
                &[("on", "2026-11-03"), ("reason", "一方拒绝。\n另一方同意。")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    })
    .await;
}

// Durability (item 12)

/// `PRAGMA synchronous` on every connection of the pool at once.
async fn synchronous_of_every_connection(pool: &sqlx::SqlitePool) -> Vec<i64> {
    let mut conns = Vec::new();
    for _ in 0..3 {
        conns.push(pool.acquire().await.unwrap());
    }
    let mut seen = Vec::new();
    for conn in &mut conns {
        seen.push(
            sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut **conn)
                .await
                .unwrap(),
        );
    }
    seen
}

#[tokio::test]
async fn the_durability_setting_reaches_every_connection() {
    // SQLite by nature: `PRAGMA synchronous` of the file's connections
    // (a PostgreSQL server keeps its own durability settings).
    {
        let app = TestApp::new().await;
        assert_eq!(
            app.config.durability,
            accord::domain::Durability::Full,
            "full by default"
        );
        assert_eq!(
            synchronous_of_every_connection(app.pool.sqlite().unwrap()).await,
            [2, 2, 2]
        );

        let mut config = accord::config::Config::defaults();
        config.set("durability", "normal").unwrap();
        let app = TestApp::with_config(config, crate::common::today()).await;
        assert_eq!(
            synchronous_of_every_connection(app.pool.sqlite().unwrap()).await,
            [1, 1, 1]
        );
    }
}

// Parties per side (item 2)

/// A case form with `n` respondents.
fn form_with_respondents(mediator: i64, n: usize) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = case_form(mediator, &[])
        .into_iter()
        .filter(|(k, _)| !k.starts_with("respondent_"))
        .collect();
    for i in 0..n {
        form.push(("respondent_type".into(), "owner".into()));
        form.push(("respondent_name".into(), format!("业主{i:03}号")));
        form.push(("respondent_phone".into(), String::new()));
    }
    form
}

#[tokio::test]
async fn more_parties_on_a_side_than_the_setting_allows_are_refused_with_a_message() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let page = app.post_case(&form_with_respondents(m, 51)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(
            field_error(&page, "respondent_name.50"),
            "这一方的当事人过多:每方最多 50 名。"
        );
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM parties").await, 0);

        let id = app.create_case(&form_with_respondents(m, 50)).await;
        assert_eq!(parties_of(&app, id).await, 51);
        let form = form_with_respondents(m, 60);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(parties_of(&app, id).await, 51, "nothing changed");
    })
    .await;
}

#[tokio::test]
async fn the_import_refuses_a_row_with_too_many_parties_naming_row_and_column() {
    crate::common::both(async || {
    let mut config = accord::config::Config::defaults();
    config.max_parties_per_side = 3;
    let mut app = TestApp::with_config(config, crate::common::today()).await;
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    app.add_mediator("王调解").await;
    app.get("/lang/en").await;
    let headings = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators";
    let file = format!(
        "{headings}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,\"甲；乙；丙\",owner,某物业,property_company,王调解\n\
         ,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,\"甲；乙；丙；丁\",owner,王调解\n"
    );
    let token = app.csrf().await;
    let page = app
        .post_multipart(
            &format!("/import?csrf_token={token}"),
            &[("file", Some("x.csv"), file.as_bytes())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert_eq!(
        page.texts("ol.import-errors li"),
        ["row 3, column T (respondents): Too many parties on this side: at most 3 per side."]
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0);
}).await;
}

/// Cases whose search row does not hold exactly their party names.
async fn search_drift(app: &TestApp) -> i64 {
    match crate::common::backend() {
        Backend::Sqlite => {
            app.sql_i64(
                "SELECT COUNT(*) FROM cases c JOIN case_search s ON s.rowid = c.id
                 WHERE s.parties IS NOT (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = c.id)",
            )
            .await
        }
        Backend::Postgres => {
            app.sql_i64(
                "SELECT COUNT(*) FROM cases c JOIN case_search s ON s.case_id = c.id
                 WHERE s.parties IS DISTINCT FROM (SELECT string_agg(p.name, chr(31) ORDER BY p.role, p.position, p.id)
                                                   FROM parties p WHERE p.case_id = c.id)",
            )
            .await
        }
    }
}

#[tokio::test]
async fn the_search_finds_a_case_by_a_party_name_after_it_is_registered_edited_and_imported() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解").await;
    let id = app.create_case(&case_form(m, &[("respondent_name", "欧阳明珠")])).await;
    let found = |page: &crate::common::Page| page.texts("table.cases tbody tr").len();
    assert_eq!(found(&app.get("/cases?q=欧阳明珠").await), 1);

    let form = case_form(m, &[("respondent_name", "司马青云")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        app.post(&format!("/cases/{id}"), &pairs).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(found(&app.get("/cases?q=司马青云").await), 1);
    assert_eq!(found(&app.get("/cases?q=欧阳明珠").await), 0, "the old name is gone");

    let headings = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators";
    let file = format!(
        "{headings}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,\"诸葛春花；东方秋月\",owner,某物业,property_company,王调解\n"
    );
    let token = app.csrf().await;
    let page = app
        .post_multipart(
            &format!("/import?csrf_token={token}"),
            &[("file", Some("x.csv"), file.as_bytes())],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(found(&app.get("/cases?q=东方秋月").await), 1);
    assert_eq!(search_drift(&app).await, 0);
    assert_eq!(accord::store::stats::summary_drift(&app.pool).await.unwrap(), 0);
}).await;
}
