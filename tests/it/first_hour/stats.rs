//! Provisional rates, "—" with nothing to divide, the period's messages
//! and the statistics CSV.

use axum::http::StatusCode;

use super::post_ok;
use crate::common::{TestApp, admin_app, case_form};

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
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn an_empty_database_shows_a_dash_where_there_is_nothing_to_divide() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.text("#card-rate .value"), "—");
        assert_eq!(page.text("#fulfilment-rate"), "—");
        assert!(!page.body.contains("0.0%"));
    })
    .await;
}

#[tokio::test]
async fn a_year_and_a_date_range_together_are_refused_with_a_message_saying_so() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app.get("/dashboard?year=2025&from=2023-01-01").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            page.text("#period-error"),
            "年份和起止日期不能同时使用:请选择年份,或填写起止日期。"
        );
        let page = app.get("/dashboard?from=2023-02-01&to=2023-01-01").await;
        assert!(page.text("#period-error").contains("开始不晚于结束"));
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_and_the_report_link_the_statistics_csv_in_the_tables_column_order() {
    crate::common::both(async || {
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
    })
    .await;
}

#[test]
fn accord_stats_marks_a_provisional_rate_as_the_dashboard_does() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(october_settled_november_open());
    let dir = tempfile::tempdir().unwrap();
    let db = app.config.database.to_str().unwrap().to_string();
    let out = crate::common::accord_cmd(dir.path())
        .args(["--db", &db, "stats", "--year", "2026"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let headline = table
        .lines()
        .find(|l| l.trim_start().starts_with("成功率"))
        .expect("a success rate line");
    assert!(headline.ends_with("50.0%(暂,1件调解中)"), "{table}");
    let november = table
        .lines()
        .find(|l| l.trim_start().starts_with("2026-11"))
        .expect("a November row");
    assert!(
        november.contains(" 0.0 ") && november.ends_with("(暂,1件调解中)"),
        "{table}"
    );
    let october = table
        .lines()
        .find(|l| l.trim_start().starts_with("2026-10"))
        .expect("an October row");
    assert!(october.contains(" 100.0 ") && !october.contains('暂'), "{table}");
}

/// `accord stats` on the app's database file, its standard output.
fn accord_stats(app: &TestApp, args: &[&str]) -> String {
    let db = app.config.database.to_str().unwrap();
    let out = crate::common::accord_cmd(app.dir.path())
        .args(["--db", db, "stats"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn accord_stats_json_marks_a_rate_with_cases_still_in_mediation_provisional_with_how_many() {
    crate::common::both(async || {
        let app = october_settled_november_open().await;
        let json: serde_json::Value = serde_json::from_str(&accord_stats(&app, &["--year", "2026", "--json"])).unwrap();
        assert_eq!(json["success_rate"], "50.0");
        assert_eq!(json["provisional"], true);
        assert_eq!(json["in_mediation"], 1);
        let month = |key: &str| {
            json["by_month"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["month"] == key)
                .cloned()
                .unwrap_or_else(|| panic!("no {key} in {json}"))
        };
        assert_eq!(month("2026-11")["provisional"], true);
        assert_eq!(month("2026-11")["in_mediation"], 1);
        assert_eq!(month("2026-10")["provisional"], false);
        assert_eq!(month("2026-10")["in_mediation"], 0);

        let october = ["--from", "2026-10-01", "--to", "2026-10-31", "--json"];
        let json: serde_json::Value = serde_json::from_str(&accord_stats(&app, &october)).unwrap();
        assert_eq!(json["success_rate"], "100.0");
        assert_eq!(json["provisional"], false);
        assert_eq!(json["in_mediation"], 0);

        // The table says it as the dashboard does.
        let table = accord_stats(&app, &["--year", "2026"]);
        assert!(table.contains("50.0%(暂,1件调解中)"), "{table}");
    })
    .await;
}
