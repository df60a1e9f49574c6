//! The dashboard and the annual report render the numbers, in both
//! languages, for the roles that may see them.

use crate::common::{TestApp, case_form, day};
use accord::domain::Money;
use accord::domain::Role;
use accord::domain::workflow::AgreementType;
use accord::domain::workflow::closing::{Agreement, Change};
use axum::http::StatusCode;

/// 2026: three cases claiming 1,361,000.00 in all; two accepted, one
/// settled for 1,000,000.00; one in mediation since 2026-09-01 (overdue).
/// 2025: one case of 12,345,678.90, never accepted.
async fn app() -> (TestApp, i64) {
    let mut app = TestApp::new().await;
    app.add_user("admin", Role::Admin).await;
    app.add_user("secretary", Role::Secretary).await;
    app.add_user("med", Role::Mediator).await;
    let mine = app.mediator_of("med").await;
    let other = app.add_mediator("王调解员").await;
    app.login("admin").await;
    let mut ids = Vec::new();
    for (received, amount, m) in [
        ("2026-03-02", "1,000,000.00", other),
        ("2026-08-30", "300,000.00", mine),
        ("2026-11-01", "61,000.00", other),
        ("2025-05-05", "12,345,678.90", other),
    ] {
        let form = case_form(m, &[("received_on", received), ("amount_claimed", amount)]);
        ids.push(app.create_case(&form).await);
    }
    app.apply(ids[0], Change::Accept { on: day("2026-03-03") }).await;
    let agreement = Agreement {
        kind: AgreementType::Written,
        amount: Money::from_fen(100_000_000),
        on: day("2026-03-20"),
        due: day("2026-04-20"),
        terms: "分期支付".into(),
    };
    app.apply(
        ids[0],
        Change::Settle {
            on: day("2026-03-20"),
            agreement,
        },
    )
    .await;
    app.apply(ids[1], Change::Accept { on: day("2026-09-01") }).await;
    (app, ids[1])
}

#[tokio::test]
async fn the_secretary_sees_cards_charts_tables_and_the_cumulative_line() {
    crate::common::both(async || {
        let (mut app, overdue_id) = app().await;
        app.login("secretary").await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#cumulative"), "累计协调物业纠纷4件,涉及金额1370.7万元");
        assert_eq!(page.text("#card-cases .value"), "4");
        assert_eq!(page.text("#card-settled .value"), "1");
        assert_eq!(
            page.text("#card-rate .value"),
            "50.0%(暂,1件调解中)",
            "one accepted case is still open"
        );
        assert_eq!(page.text("#card-claimed .value"), "1370.7万元");
        assert_eq!(page.text("#card-agreed .value"), "100.0万元");
        let titles = page.texts("figure.chart svg > title");
        assert_eq!(titles.len(), 3, "{titles:?}");
        assert!(titles.contains(&"调解成功率走势(%)".to_string()));
        assert!(page.has("#by-district tbody tr"));
        assert_eq!(page.texts("#by-mediator tbody tr").len(), 2);
        assert_eq!(
            page.attrs("#overdue tbody a", "href"),
            vec![format!("/cases/{overdue_id}")]
        );
        assert_eq!(page.text("#overdue-count"), "1");
        assert!(page.attrs("nav.main a", "href").contains(&"/dashboard".to_string()));
    })
    .await;
}

#[tokio::test]
async fn one_year_shows_that_years_figures_and_links_its_report() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("secretary").await;
        let page = app.get("/dashboard?year=2026").await;
        assert_eq!(page.text("#card-cases .value"), "3");
        assert_eq!(page.text("#card-accepted .value"), "2");
        assert_eq!(page.text("#card-claimed .value"), "136.1万元");
        assert_eq!(page.attrs("#report-link", "href"), vec!["/reports/2026".to_string()]);
        let page = app.get("/dashboard?year=2025").await;
        assert_eq!(page.text("#card-claimed .value"), "1234.6万元");
        assert_eq!(page.text("#card-rate .value"), "—", "nothing accepted in 2025");
        let page = app.get("/dashboard?from=2026-08-30&to=2026-09-01").await;
        assert_eq!(page.text("#card-cases .value"), "1");
    })
    .await;
}

#[tokio::test]
async fn a_backwards_range_is_refused_at_the_field_with_the_input_kept() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("secretary").await;
        let page = app.get("/dashboard?from=2026-09-01&to=2026-01-01").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("form.period .field-error").contains("期间无效"));
        assert_eq!(page.attrs("#from", "value"), vec!["2026-09-01".to_string()]);
    })
    .await;
}

#[tokio::test]
async fn a_mediator_sees_only_their_own_cases_and_no_report() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("med").await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.has("#mine-only"));
        assert_eq!(page.text("#card-cases .value"), "1");
        assert_eq!(page.text("#cumulative"), "累计协调物业纠纷1件,涉及金额30.0万元");
        assert!(!page.has("#report-link"));
        assert!(!page.attrs("nav.main a", "href").contains(&"/reports".to_string()));
        assert_eq!(app.get("/reports/2026").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/reports").await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_annual_report_prints_the_headline_sentence_and_cumulative_line() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("secretary").await;
        let page = app.get("/reports/2026").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("h1"), "2026年度物业纠纷调解工作报告");
        assert_eq!(
            page.text("#headline"),
            "全年受理物业纠纷2件,调解成功1件,成功率50.0%(暂,1件调解中),涉及金额136.1万元"
        );
        assert_eq!(page.text("#cumulative"), "累计协调物业纠纷4件,涉及金额1370.7万元");
        for table in [
            "#by-category",
            "#by-source",
            "#by-district",
            "#by-mediator",
            "#by-month",
        ] {
            assert!(page.has(&format!("{table} tbody tr")), "{table}");
        }
        assert_eq!(page.text("#by-category tfoot td.num"), "3");
        // The 2025 report's cumulative line stops at the end of 2025.
        let page = app.get("/reports/2025").await;
        assert_eq!(page.text("#cumulative"), "累计协调物业纠纷1件,涉及金额1234.6万元");
        assert_eq!(app.get("/reports/1850").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/reports/abc").await.status, StatusCode::NOT_FOUND);
        let page = app.get("/reports").await;
        assert_eq!(page.location.as_deref(), Some("/reports/2026"));
    })
    .await;
}

#[tokio::test]
async fn in_english_the_report_reads_in_millions_of_yuan() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("admin").await;
        app.get("/lang/en?next=/").await;
        let page = app.get("/reports/2026").await;
        assert_eq!(
            page.text("#headline"),
            "In the year the committee accepted 2 property disputes and settled 1, a success rate of 50.0% \
         (provisional: 1 still in mediation), involving 1.361 million yuan"
        );
        assert_eq!(
            page.text("#cumulative"),
            "In total since the first case: 4 property disputes mediated, involving 13.707 million yuan"
        );
        let page = app.get("/dashboard").await;
        assert!(
            page.texts("figure.chart svg > title")
                .contains(&"Success rate over time (%)".to_string())
        );
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_kept_in_memory_shows_every_change_at_once_whoever_writes_it() {
    crate::common::both(async || {
        let (mut app, _) = app().await;
        app.login("secretary").await;
        let first = app.get("/dashboard").await;
        assert_eq!(first.text("#card-cases .value"), "4");
        assert_eq!(app.get("/dashboard").await.text("#card-cases .value"), "4");

        // A write from another connection (as `accord import` in another
        // process would): the next dashboard shows it.
        accord::on_db!(app.pool, |e| {
            sqlx::query("UPDATE cases SET amount_claimed = amount_claimed + 100000000 WHERE received_on = $1")
                .bind(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
                .execute(e)
                .await
                .map(|_| ())
        })
        .unwrap();
        assert_eq!(
            app.get("/dashboard").await.text("#cumulative"),
            "累计协调物业纠纷4件,涉及金额1470.7万元"
        );

        // A case registered through the pages, a mediator renamed: both at once.
        app.login("admin").await;
        let m = app.add_mediator("赵调解员").await;
        app.create_case(&case_form(m, &[("received_on", "2026-11-02")])).await;
        app.login("secretary").await;
        assert_eq!(app.get("/dashboard").await.text("#card-cases .value"), "5");
        let before = app.get("/dashboard?year=2026").await;
        assert!(before.body.contains("赵调解员"));
        accord::on_db!(app.pool, |e| {
            sqlx::query("UPDATE mediators SET name = '赵明' WHERE id = $1")
                .bind(m)
                .execute(e)
                .await
                .map(|_| ())
        })
        .unwrap();
        let after = app.get("/dashboard?year=2026").await;
        assert!(after.body.contains("赵明") && !after.body.contains("赵调解员"));
    })
    .await;
}
