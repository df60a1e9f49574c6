//! Words people see: no raw code in history or the audit log, the same
//! word for the same thing, the style sheet's primary link and print rules.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use scraper::{Html, Selector};

use super::post_ok;
use crate::common::{TestApp, admin_app, case_form};

/// Every code of DOMAIN.md and every entity or field name of the audit
/// trail: none of them may be read on a page.
async fn codes(app: &TestApp) -> BTreeSet<String> {
    let mut codes: BTreeSet<String> = [
        // statuses, agreement, fulfilment, judicial confirmation, session forms, satisfaction
        "registered",
        "in_mediation",
        "settled",
        "failed",
        "withdrawn",
        "declined",
        "voided",
        "written",
        "oral",
        "pending",
        "fulfilled",
        "partial",
        "unfulfilled",
        "none",
        "applied",
        "confirmed",
        "rejected",
        "on_site",
        "phone",
        "online",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "arbitration",
        "administrative",
        "court",
        // entities, actions and fields of the trail
        "case",
        "session",
        "visit",
        "user",
        "mediator",
        "categories",
        "sources",
        "districts",
        "party_types",
        "demo",
        "backup",
        "export",
        "load",
        "import",
        "create",
        "update",
        "accept",
        "settle",
        "fail",
        "archive",
        "fulfilment",
        "judicial",
        "retire",
        "restore",
        "rename",
        // corrections (issue 13)
        "void",
        "reopen",
        "unarchive",
        "correct_agreement",
        "voided_on",
        "void_reason",
        "reason",
        "close_reason",
        "label_en",
        "label_zh",
        "retired",
        "code",
        "routes_informed",
        "agreement_type",
        "judicial_confirmation",
        "amount_claimed",
        "received_on",
        "mediator_id",
        "true",
        "false",
        "null",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    for table in ["categories", "sources", "districts", "party_types"] {
        let sql = format!("SELECT code FROM {table}");
        let rows: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(e)
            .await)
        .unwrap();
        codes.extend(rows);
    }
    codes
}

/// The words of a page's `main` (its text, not its attributes) that are codes.
fn raw_codes(body: &str, codes: &BTreeSet<String>) -> Vec<String> {
    let doc = Html::parse_document(body);
    let main = Selector::parse("main").unwrap();
    let text: String = doc.select(&main).flat_map(|m| m.text()).collect::<Vec<_>>().join(" ");
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| codes.contains(*w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[tokio::test]
async fn the_history_and_audit_pages_of_the_demo_data_show_no_raw_code() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        accord::demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &accord::demo::Options {
                cases: Some(300),
                seed: 1,
                force: false,
                durability: accord::domain::Durability::Full,
            },
        )
        .await
        .unwrap();
        let m: i64 = app.sql_i64("SELECT id FROM mediators ORDER BY id LIMIT 1").await;
        let ms = m.to_string();

        // A case through its whole life, edited on the way.
        let settled = app.create_case(&case_form(m, &[])).await;
        let edit = case_form(
            m,
            &[
                ("category", "parking"),
                ("source", "hotline_12345"),
                ("district", "haidian"),
                ("respondent_type", "occupant"),
                ("amount_claimed", "100"),
            ],
        );
        let pairs: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        post_ok(&mut app, &format!("/cases/{settled}"), &pairs).await;
        post_ok(&mut app, &format!("/cases/{settled}/accept"), &[("on", "2026-11-05")]).await;
        let session = [
            ("held_on", "2026-11-10"),
            ("form", "on_site"),
            ("mediators", ms.as_str()),
            ("notes", "双方到场。"),
        ];
        post_ok(&mut app, &format!("/cases/{settled}/sessions"), &session).await;
        let settle = [
            ("on", "2026-11-20"),
            ("agreement_type", "written"),
            ("amount_agreed", "8,000"),
            ("agreement_on", "2026-11-20"),
            ("performance_due", "2026-12-31"),
            ("agreement_terms", "一次性支付。"),
        ];
        post_ok(&mut app, &format!("/cases/{settled}/settle"), &settle).await;
        post_ok(
            &mut app,
            &format!("/cases/{settled}/fulfilment"),
            &[("fulfilment", "partial")],
        )
        .await;
        let judicial = [("judicial", "applied"), ("judicial_applied_on", "2026-11-25")];
        post_ok(&mut app, &format!("/cases/{settled}/judicial"), &judicial).await;
        let visit = [
            ("visited_on", "2026-11-27"),
            ("visitor", "李调解员"),
            ("performance", "fulfilled"),
            ("satisfaction", "basically_satisfied"),
            ("notes", "已付清。"),
        ];
        post_ok(&mut app, &format!("/cases/{settled}/visits"), &visit).await;
        let correct = [
            ("agreement_type", "oral"),
            ("amount_agreed", "7,000"),
            ("agreement_on", "2026-11-20"),
            ("performance_due", "2026-12-31"),
            ("agreement_terms", "一次性支付。"),
            ("reason", "金额记错"),
            // Above the 100 claimed: confirmed on the page that asks.
            ("confirmed_amount", "700000"),
        ];
        post_ok(&mut app, &format!("/cases/{settled}/agreement/correct"), &correct).await;
        post_ok(&mut app, &format!("/cases/{settled}/archive"), &[]).await;
        post_ok(
            &mut app,
            &format!("/cases/{settled}/unarchive"),
            &[("reason", "归档过早")],
        )
        .await;
        post_ok(
            &mut app,
            &format!("/cases/{settled}/archive"),
            &[("reason", "履行完毕")],
        )
        .await;

        let failed = app.create_case(&case_form(m, &[])).await;
        post_ok(&mut app, &format!("/cases/{failed}/accept"), &[("on", "2026-11-05")]).await;
        let fail = [
            ("on", "2026-11-20"),
            ("routes", "court"),
            ("routes", "arbitration"),
            ("reason", "无法达成一致"),
        ];
        post_ok(&mut app, &format!("/cases/{failed}/fail"), &fail).await;
        let declined = app.create_case(&case_form(m, &[])).await;
        post_ok(
            &mut app,
            &format!("/cases/{declined}/decline"),
            &[("on", "2026-11-03"), ("reason", "拒绝调解")],
        )
        .await;
        let withdrawn = app.create_case(&case_form(m, &[])).await;
        post_ok(&mut app, &format!("/cases/{withdrawn}/accept"), &[("on", "2026-11-02")]).await;
        post_ok(
            &mut app,
            &format!("/cases/{withdrawn}/withdraw"),
            &[("on", "2026-11-03"), ("reason", "已和解")],
        )
        .await;
        post_ok(
            &mut app,
            &format!("/cases/{withdrawn}/reopen"),
            &[("reason", "撤回有误")],
        )
        .await;
        post_ok(&mut app, &format!("/cases/{withdrawn}/void"), &[("reason", "重复登记")]).await;

        // The admin's pages: a reference list, a user, an export.
        post_ok(
            &mut app,
            "/reference/categories",
            &[("code", "lifts"), ("label_zh", "电梯"), ("label_en", "Lifts")],
        )
        .await;
        post_ok(
            &mut app,
            "/reference/categories/lifts",
            &[("label_zh", "电梯故障"), ("label_en", "Lift failures")],
        )
        .await;
        post_ok(&mut app, "/reference/categories/lifts/retire", &[("retired", "1")]).await;
        post_ok(&mut app, "/reference/districts/haidian/retire", &[("retired", "1")]).await;
        let user = [
            ("username", "zhao"),
            ("role", "mediator"),
            ("mediator", "new"),
            ("mediator_name", "赵敏"),
            ("password", "long-password-1"),
        ];
        post_ok(&mut app, "/users", &user).await;
        assert_eq!(app.get("/export/cases.csv?status=settled").await.status, StatusCode::OK);

        let codes = codes(&app).await;
        let mut seen = Vec::new();
        for id in [settled, failed, declined, withdrawn] {
            let page = app.get(&format!("/cases/{id}")).await;
            assert!(page.has("#history li"), "case {id} has a history");
            seen.push((format!("/cases/{id}"), raw_codes(&page.body, &codes)));
        }
        let entities: Vec<String> = accord::on_db!(app.pool, |e| {
            sqlx::query_scalar("SELECT DISTINCT entity FROM audit_log")
                .fetch_all(e)
                .await
        })
        .unwrap();
        let mut paths = vec!["/audit".to_string()];
        paths.extend(entities.iter().map(|e| format!("/audit?entity={e}")));
        for path in paths {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK);
            seen.push((path, raw_codes(&page.body, &codes)));
        }
        // In English a label may be the same word as its code ("Settled"), so
        // only the codes no English sentence contains are looked for there.
        app.get("/lang/en?next=/").await;
        let snake: BTreeSet<String> = codes.iter().filter(|c| c.contains('_')).cloned().collect();
        let mut paths: Vec<String> = [settled, failed].iter().map(|id| format!("/cases/{id}")).collect();
        paths.push("/audit".into());
        for path in paths {
            let page = app.get(&path).await;
            seen.push((format!("{path} (en)"), raw_codes(&page.body, &snake)));
        }
        let bad: Vec<_> = seen.into_iter().filter(|(_, found)| !found.is_empty()).collect();
        assert!(bad.is_empty(), "raw codes on pages: {bad:?}");
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_names_the_case_by_its_number_with_a_link_and_labels_its_dates() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解员").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let case_no: String = accord::on_db!(app.pool, |e| {
            sqlx::query_scalar("SELECT case_no FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(e)
                .await
        })
        .unwrap();
        let page = app.get("/audit").await;
        assert_eq!(page.text("td.entity a"), case_no);
        assert_eq!(page.attrs("td.entity a", "href"), vec![format!("/cases/{id}")]);
        assert_eq!(page.text("td.entity"), format!("案件 {case_no}"));
        assert_eq!(page.text("label[for=from]"), "日期自");
        assert!(page.texts("#entity option").contains(&"案件".to_string()));
    })
    .await;
}

#[tokio::test]
async fn the_words_people_read_are_the_same_on_every_page_and_in_their_language() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", accord::domain::Role::Admin).await;
        app.add_user("linjie", accord::domain::Role::Mediator).await;
        app.sql_exec("UPDATE mediators SET name = '林杰' WHERE name = 'linjie'")
            .await;
        let lin = app.mediator_of("linjie").await;
        let wang = app.add_mediator("王调解员").await;
        app.login("linjie").await;
        let mut form = case_form(lin, &[]);
        form.push(("mediators".into(), wang.to_string()));
        let id = app.create_case(&form).await;
        post_ok(&mut app, &format!("/cases/{id}/accept"), &[("on", "2026-11-05")]).await;
        let settle = [
            ("on", "2026-11-20"),
            ("agreement_type", "written"),
            ("amount_agreed", "8,000"),
            ("agreement_on", "2026-11-20"),
            ("performance_due", "2026-12-31"),
            ("agreement_terms", "一次性支付。"),
        ];
        post_ok(&mut app, &format!("/cases/{id}/settle"), &settle).await;

        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#created-by"), "林杰", "the person, not the login name");
        assert_eq!(page.text("#mediators"), "林杰、王调解员");
        let agreement = app.get(&format!("/cases/{id}/agreement")).await;
        assert_eq!(agreement.text("#seal-name"), "北京物业管理行业协会调解委员会(印章)");
        assert!(!agreement.text("#seal").contains("人民调解委员会(印章)"));

        app.get("/lang/en?next=/").await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#mediators"), "林杰, 王调解员");
        let actions = page.texts("#history .action");
        assert!(
            actions.contains(&"Accepted".to_string()) && actions.contains(&"Closed as settled".to_string()),
            "{actions:?}"
        );

        app.login("boss").await;
        app.get("/lang/zh?next=/").await;
        let users = app.get("/users").await;
        assert!(users.texts("th").contains(&"启用".to_string()));
        assert!(!users.body.contains("在任"));
        let mediators = app.get("/mediators").await;
        assert!(mediators.texts("th").contains(&"姓名".to_string()));
        assert!(!mediators.body.contains("姓名/名称"));
    })
    .await;
}

#[tokio::test]
async fn the_style_sheet_styles_the_primary_link_and_prints_pages_without_buttons_or_forms() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let css = app.get("/static/app.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.body.contains("a.button.primary {"));
        let print = css.body.rfind("@media print").expect("a print style sheet");
        let rules = &css.body[print..];
        assert!(rules.contains("form, button, a.button, .workflow-actions"), "{rules}");
        assert!(css.body.contains(".chart .axis, .chart .value { font-size: 13px; }"));
    })
    .await;
}
