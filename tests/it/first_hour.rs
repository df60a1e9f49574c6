//! Issue 10, "the first hour": words people see (no raw code anywhere in
//! history or the audit log), blank amounts, provisional rates, "—" where
//! there is nothing to divide, and the dashboard's links.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use scraper::{Html, Selector};

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
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT code FROM {table}")))
            .fetch_all(&app.pool)
            .await
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

async fn post_ok(app: &mut TestApp, path: &str, pairs: &[(&str, &str)]) {
    let page = app.post(path, pairs).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "POST {path} failed: {}", page.body);
}

#[tokio::test]
async fn the_history_and_audit_pages_of_the_demo_data_show_no_raw_code() {
    let mut app = admin_app().await;
    accord::demo::load(
        &app.pool,
        &app.config.case_prefix,
        &accord::demo::Options {
            cases: Some(300),
            seed: 1,
            force: false,
        },
    )
    .await
    .unwrap();
    let m: i64 = sqlx::query_scalar("SELECT id FROM mediators ORDER BY id LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
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
    post_ok(&mut app, &format!("/cases/{settled}/archive"), &[]).await;

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
    let entities: Vec<String> = sqlx::query_scalar("SELECT DISTINCT entity FROM audit_log")
        .fetch_all(&app.pool)
        .await
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
}

#[tokio::test]
async fn the_audit_log_names_the_case_by_its_number_with_a_link_and_labels_its_dates() {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解员").await;
    let id = app.create_case(&case_form(m, &[])).await;
    let case_no: String = sqlx::query_scalar("SELECT case_no FROM cases WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let page = app.get("/audit").await;
    assert_eq!(page.text("td.entity a"), case_no);
    assert_eq!(page.attrs("td.entity a", "href"), vec![format!("/cases/{id}")]);
    assert_eq!(page.text("td.entity"), format!("案件 {case_no}"));
    assert_eq!(page.text("label[for=from]"), "日期自");
    assert!(page.texts("#entity option").contains(&"案件".to_string()));
}

/// Uploads a CSV file through the import form, wherever its token travels.
async fn import(app: &mut TestApp, bytes: &[u8]) -> crate::common::Page {
    let form = app.get("/import").await;
    let action = form
        .attrs("form[enctype='multipart/form-data']", "action")
        .pop()
        .expect("an upload form");
    let token = form.attrs("form[enctype='multipart/form-data'] input[name=csrf_token]", "value");
    let mut fields: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some("cases.csv"), bytes)];
    if let Some(t) = token.first() {
        fields.insert(0, ("csrf_token", None, t.as_bytes()));
    }
    app.post_multipart(&action, &fields).await
}

#[tokio::test]
async fn a_blank_amount_claimed_shows_a_dash_and_stays_apart_from_zero_everywhere() {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解员").await;
    let blank = app.create_case(&case_form(m, &[("amount_claimed", "")])).await;
    let zero = app.create_case(&case_form(m, &[("amount_claimed", "0")])).await;
    let some = app.create_case(&case_form(m, &[("amount_claimed", "100")])).await;

    assert_eq!(app.get(&format!("/cases/{blank}")).await.text("#amount-claimed"), "—");
    assert_eq!(
        app.get(&format!("/cases/{zero}")).await.text("#amount-claimed"),
        "¥0.00"
    );
    assert_eq!(
        app.get(&format!("/cases/{some}")).await.text("#amount-claimed"),
        "¥100.00"
    );
    let edit = app.get(&format!("/cases/{blank}/edit")).await;
    assert_eq!(edit.attrs("input[name=amount_claimed]", "value"), vec![String::new()]);
    let list = app.get("/cases").await;
    let mut amounts = list.texts("table td.num");
    amounts.sort();
    assert_eq!(amounts, vec!["¥0.00", "¥100.00", "—"]);

    // Statistics count a blank as zero.
    let dashboard = app.get("/dashboard?year=2026").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let totals = app
        .count("SELECT SUM(claimed) FROM stats_monthly WHERE dim = 'all'")
        .await;
    assert_eq!(totals, 10_000);

    // The export leaves the cell empty, and an import reads it back as blank.
    let exported = app.get("/export/cases.csv?lang=en").await;
    let text = String::from_utf8_lossy(&exported.bytes).to_string();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headings = reader.headers().unwrap().clone();
    let column = headings.iter().position(|h| h == "amount_claimed").unwrap();
    let mut cells: Vec<String> = reader.records().map(|r| r.unwrap()[column].to_string()).collect();
    cells.sort();
    assert_eq!(cells, vec!["", "0.00", "100.00"]);
    let mut other = admin_app().await;
    let page = import(&mut other, &exported.bytes).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        other
            .count("SELECT COUNT(*) FROM cases WHERE amount_claimed_blank")
            .await,
        1
    );
    assert_eq!(
        other.count("SELECT COUNT(*) FROM cases WHERE amount_claimed = 0").await,
        2
    );
    let again = other.get("/export/cases.csv?lang=en").await;
    assert_eq!(again.bytes, exported.bytes);
}

/// 2026-10: one case accepted and settled. 2026-11: one accepted, still in mediation.
async fn october_settled_november_open() -> TestApp {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解员").await;
    let settled = app.create_case(&case_form(m, &[("received_on", "2026-10-02")])).await;
    post_ok(&mut app, &format!("/cases/{settled}/accept"), &[("on", "2026-10-05")]).await;
    let settle = [
        ("on", "2026-10-20"),
        ("agreement_type", "oral"),
        ("amount_agreed", "100"),
        ("agreement_on", "2026-10-20"),
        ("performance_due", "2026-12-31"),
        ("agreement_terms", "一次性支付。"),
    ];
    post_ok(&mut app, &format!("/cases/{settled}/settle"), &settle).await;
    let open = app.create_case(&case_form(m, &[("received_on", "2026-11-02")])).await;
    post_ok(&mut app, &format!("/cases/{open}/accept"), &[("on", "2026-11-05")]).await;
    app
}

#[tokio::test]
async fn a_month_whose_cases_are_still_in_mediation_has_a_provisional_rate_never_drawn_as_a_fall() {
    let mut app = october_settled_november_open().await;
    let page = app.get("/dashboard?year=2026").await;
    assert_eq!(page.text("#card-rate .value"), "50.0%(暂,1件调解中)");
    let provisional = page.texts("#chart-trend circle.provisional title");
    assert_eq!(provisional.len(), 1, "{}", page.body);
    assert!(provisional[0].starts_with("2026-11") && provisional[0].contains("暂"));
    assert!(page.text("#chart-trend").contains("暂:尚有案件在调解中"));
    // The line joins only final months: October alone, so no segment falls to November.
    for points in page.attrs("#chart-trend polyline", "points") {
        assert_eq!(points.split(' ').count(), 1, "{points}");
    }

    let report = app.get("/reports/2026").await;
    assert!(report.text("#headline").contains("成功率50.0%(暂,1件调解中)"));
    let months = report.texts("#by-month tbody tr");
    let november = months
        .iter()
        .find(|r| r.starts_with("2026-11"))
        .expect("a November row");
    assert!(november.contains("0.0%(暂,1件调解中)"), "{november}");
    let october = months
        .iter()
        .find(|r| r.starts_with("2026-10"))
        .expect("an October row");
    assert!(october.contains("100.0%") && !october.contains("暂"), "{october}");
}

#[tokio::test]
async fn an_empty_database_shows_a_dash_where_there_is_nothing_to_divide() {
    let mut app = admin_app().await;
    let page = app.get("/dashboard").await;
    assert_eq!(page.text("#card-rate .value"), "—");
    assert_eq!(page.text("#fulfilment-rate"), "—");
    assert!(!page.body.contains("0.0%"));
}

#[tokio::test]
async fn a_year_and_a_date_range_together_are_refused_with_a_message_saying_so() {
    let mut app = admin_app().await;
    let page = app.get("/dashboard?year=2025&from=2023-01-01").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.text("#period-error"),
        "年份和起止日期不能同时使用:请选择年份,或填写起止日期。"
    );
    let page = app.get("/dashboard?from=2023-02-01&to=2023-01-01").await;
    assert!(page.text("#period-error").contains("开始不晚于结束"));
}

#[tokio::test]
async fn the_dashboard_and_the_report_link_the_statistics_csv_in_the_tables_column_order() {
    let mut app = october_settled_november_open().await;
    let page = app.get("/dashboard?year=2026").await;
    assert_eq!(
        page.attrs("#stats-csv", "href"),
        vec!["/export/stats.csv?year=2026".to_string()]
    );
    let page = app.get("/dashboard").await;
    assert_eq!(page.attrs("#stats-csv", "href"), vec!["/export/stats.csv".to_string()]);
    let report = app.get("/reports/2026").await;
    assert_eq!(
        report.attrs("#stats-csv", "href"),
        vec!["/export/stats.csv?year=2026".to_string()]
    );

    let on_screen = report.texts("#by-category thead th");
    let csv = app.get("/export/stats.csv?year=2026").await;
    let text = String::from_utf8_lossy(&csv.bytes).to_string();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headings: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headings.len(), on_screen.len() + 1, "the CSV adds the breakdown's name");
    // Same order: the group, counts, rate, then the two amounts.
    let words = |h: &str| h.replace("(%)", "").replace("(元)", "");
    assert_eq!(words(&headings[5]), on_screen[4]);
    assert!(on_screen[5].starts_with(&words(&headings[6])) && on_screen[6].starts_with(&words(&headings[7])));
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let breakdowns: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let first = |name: &str| breakdowns.iter().position(|b| *b == name).unwrap();
    assert!(
        first("纠纷类型") < first("案件来源") && first("区县") < first("调解员") && first("调解员") < first("月份")
    );
}

#[tokio::test]
async fn the_words_people_read_are_the_same_on_every_page_and_in_their_language() {
    let mut app = TestApp::new().await;
    app.add_user("boss", accord::domain::Role::Admin).await;
    app.add_user("linjie", accord::domain::Role::Mediator).await;
    sqlx::query("UPDATE mediators SET name = '林杰' WHERE name = 'linjie'")
        .execute(&app.pool)
        .await
        .unwrap();
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
}

#[tokio::test]
async fn the_style_sheet_styles_the_primary_link_and_prints_pages_without_buttons_or_forms() {
    let mut app = admin_app().await;
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("a.button.primary {"));
    let print = css.body.rfind("@media print").expect("a print style sheet");
    let rules = &css.body[print..];
    assert!(rules.contains("form, button, a.button, .workflow-actions"), "{rules}");
    assert!(css.body.contains(".chart .axis, .chart .value { font-size: 13px; }"));
}
