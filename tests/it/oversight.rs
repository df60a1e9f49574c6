//! Issue 15: statistics by committee, and a supervisor's pages. Two
//! committees, 2 (under association 1) and 4 (under association 3, itself
//! under 1), with cases whose parties' names and phones are known; a
//! supervisor at 1 sees both added up, one at 3 only committee 4, and
//! neither sees a party, a phone, a summary or an agreement's terms.

use crate::common::{PASSWORD, TestApp, case_form, day};
use accord::domain::stats::Stats;
use accord::domain::workflow::AgreementType;
use accord::domain::workflow::closing::{Agreement, Change};
use accord::domain::{CaseFilter, Deadlines, Money, Period, Role};
use accord::store::cases::Scope;
use accord::store::stats::{self, Via};
use accord::store::{mediators, users};
use axum::http::StatusCode;

/// What the parties of the cases are called and reached at: none of it
/// may appear on a supervisor's page or in their CSV.
const PERSONAL: &[&str] = &[
    "甲业主张三丰",
    "13900001111",
    "乙业主李四海",
    "13900002222",
    "某甲物业公司",
    "某乙物业公司",
    "甲小区漏水纠纷概要",
    "乙小区停车纠纷概要",
    "分期支付约定条款",
    // case_form's project and the applicant's phone
    "阳光花园小区",
    "010-62345678",
];

/// Form fields to override.
type Fields<'a> = &'a [(&'a str, &'a str)];

async fn user_in(app: &TestApp, name: &str, role: Role, org: i64) {
    let mediator = match role {
        Role::Mediator => Some(
            mediators::insert(&app.pool, org, name, "13800000000", true)
                .await
                .unwrap(),
        ),
        _ => None,
    };
    let hash = accord::password::hash(PASSWORD);
    users::insert(&app.pool, name, &hash, role, mediator, org)
        .await
        .unwrap();
}

fn settle(on: &str, fen: i64) -> Change {
    Change::Settle {
        on: day(on),
        agreement: Agreement {
            kind: AgreementType::Written,
            amount: Money::from_fen(fen),
            on: day(on),
            due: day("2026-12-31"),
            terms: "分期支付约定条款".into(),
        },
    }
}

/// Committee 2: three cases in 2026 (10,000 + 20,000 + 30,000 claimed), two
/// accepted, one settled for 8,000. Committee 4: two cases (1,000 + 2,000),
/// both accepted and settled, for 500 and 700. Supervisors `national` (at
/// 1) and `city` (at 3).
async fn two_committees() -> TestApp {
    let mut app = TestApp::new().await;
    app.sql_exec(
        "INSERT INTO organisations (id, parent_id, kind, level, name, case_prefix, path, created_at)
         VALUES (3, 1, 'association', 'city', '乙市协会', NULL, '/1/3/', 't'),
                (4, 3, 'committee', NULL, '乙调委会', '乙调', '/1/3/4/', 't')",
    )
    .await;
    app.sql_exec("UPDATE organisations SET name = '全国协会' WHERE id = 1")
        .await;
    app.sql_exec("UPDATE organisations SET name = '甲调委会' WHERE id = 2")
        .await;
    user_in(&app, "admin2", Role::Admin, 2).await;
    user_in(&app, "med2", Role::Mediator, 2).await;
    user_in(&app, "sec2", Role::Secretary, 2).await;
    user_in(&app, "admin4", Role::Admin, 4).await;
    user_in(&app, "med4", Role::Mediator, 4).await;
    user_in(&app, "sec4", Role::Secretary, 4).await;
    user_in(&app, "national", Role::Supervisor, 1).await;
    user_in(&app, "city", Role::Supervisor, 3).await;
    let plan: [(&str, &str, i64, Fields, Fields); 2] = [
        (
            "admin2",
            "med2",
            2,
            &[("respondent_name", "甲业主张三丰"), ("respondent_phone", "13900001111")],
            &[("applicant_name", "某甲物业公司"), ("summary", "甲小区漏水纠纷概要")],
        ),
        (
            "admin4",
            "med4",
            4,
            &[("respondent_name", "乙业主李四海"), ("respondent_phone", "13900002222")],
            &[("applicant_name", "某乙物业公司"), ("summary", "乙小区停车纠纷概要")],
        ),
    ];
    for (admin, med, committee, who, what) in plan {
        app.login(admin).await;
        let mediator = app.mediator_of(med).await;
        let amounts: &[&str] = if committee == 2 {
            &["10,000", "20,000", "30,000"]
        } else {
            &["1,000", "2,000"]
        };
        let mut ids = Vec::new();
        for (i, amount) in amounts.iter().enumerate() {
            let received = format!("2026-0{}-01", i + 3);
            let mut extra = vec![("received_on", received.as_str()), ("amount_claimed", *amount)];
            extra.extend_from_slice(who);
            extra.extend_from_slice(what);
            ids.push(app.create_case(&case_form(mediator, &extra)).await);
        }
        if committee == 2 {
            app.apply(ids[0], Change::Accept { on: day("2026-03-02") }).await;
            app.apply(ids[0], settle("2026-03-20", 800_000)).await;
            app.apply(ids[1], Change::Accept { on: day("2026-04-02") }).await;
        } else {
            for (id, fen) in ids.iter().zip([50_000, 70_000]) {
                app.apply(*id, Change::Accept { on: day("2026-03-05") }).await;
                app.apply(*id, settle("2026-03-25", fen)).await;
            }
        }
    }
    app
}

fn deadlines() -> Deadlines {
    Deadlines::new(crate::common::today(), 30)
}

/// The statistics of a scope from the summary and from the cases; they must agree.
async fn agreed(app: &TestApp, period: Period, scope: Scope) -> Stats {
    let f = CaseFilter::default();
    let best = stats::stats_via(&app.pool, &period, &f, scope, deadlines(), Via::Best)
        .await
        .unwrap();
    let direct = stats::stats_via(&app.pool, &period, &f, scope, deadlines(), Via::Cases)
        .await
        .unwrap();
    assert_eq!(best, direct, "summary and cases disagree for {scope:?} {period:?}");
    best
}

#[tokio::test]
async fn each_committee_has_its_own_summary_and_the_installation_is_their_sum() {
    crate::common::both(async || {
        let app = two_committees().await;
        for period in [Period::All, Period::Year(2026)] {
            let two = agreed(&app, period, Scope::Committee { id: 2, narrow: true })
                .await
                .totals;
            let four = agreed(&app, period, Scope::Committee { id: 4, narrow: true })
                .await
                .totals;
            let all = agreed(&app, period, Scope::All).await.totals;
            let under_1 = agreed(&app, period, Scope::Subtree(1)).await.totals;
            let under_3 = agreed(&app, period, Scope::Subtree(3)).await.totals;
            assert_eq!((two.cases_total, two.accepted, two.settled), (3, 2, 1));
            assert_eq!(two.amount_claimed, Money::from_fen(6_000_000));
            assert_eq!((four.cases_total, four.accepted, four.settled), (2, 2, 2));
            assert_eq!(four.amount_agreed, Money::from_fen(120_000));
            assert_eq!(all.cases_total, two.cases_total + four.cases_total);
            assert_eq!(all.settled, two.settled + four.settled);
            assert_eq!(
                all.amount_claimed.fen(),
                two.amount_claimed.fen() + four.amount_claimed.fen()
            );
            assert_eq!(under_1, all);
            assert_eq!(under_3, four);
        }
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_case_moved_to_another_committee_is_counted_once_where_it_ends_up() {
    crate::common::both(async || {
        let app = two_committees().await;
        // The transfer's own code is another helper's; the summary follows
        // the column whoever writes it.
        app.sql_exec("UPDATE cases SET committee_id = 4, case_seq = 99 WHERE id = (SELECT MIN(id) FROM cases)")
            .await;
        let two = agreed(&app, Period::All, Scope::Committee { id: 2, narrow: true })
            .await
            .totals;
        let four = agreed(&app, Period::All, Scope::Committee { id: 4, narrow: true })
            .await
            .totals;
        let all = agreed(&app, Period::All, Scope::All).await.totals;
        assert_eq!((two.cases_total, two.settled), (2, 0));
        assert_eq!((four.cases_total, four.settled), (3, 3));
        assert_eq!(all.cases_total, 5);
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_secretarys_dashboard_shows_only_their_committees_figures() {
    crate::common::both(async || {
        let mut app = two_committees().await;
        app.login("sec2").await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#card-cases .value"), "3");
        app.login("sec4").await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.text("#card-cases .value"), "2");
        let report = app.get("/reports/2026").await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(report.text("#card-cases .value"), "2");
    })
    .await;
}

#[tokio::test]
async fn the_supervisors_committee_lines_add_up_to_the_total() {
    crate::common::both(async || {
        let mut app = two_committees().await;
        app.login("national").await;
        let home = app.get("/").await;
        assert_eq!(home.location.as_deref(), Some("/oversight"));
        let page = app.get("/oversight?year=2026").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let names = page.texts("#by-committee tbody td:first-child");
        assert_eq!(names, ["甲调委会", "乙调委会"]);
        let cases: Vec<i64> = page
            .texts("#by-committee tbody td:nth-child(2)")
            .iter()
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!(cases, [3, 2]);
        assert_eq!(page.text("#committee-total td:nth-child(2)"), "5");
        assert_eq!(page.text("#card-cases .value"), "5");
        assert_eq!(page.text("#committee-total td:nth-child(4)"), "3");
        // One committee of the subtree; another organisation's id is 404.
        let one = app.get("/oversight?year=2026&committee=4").await;
        assert_eq!(one.text("#card-cases .value"), "2");
        assert_eq!(one.texts("#by-committee tbody td:first-child"), ["乙调委会"]);
        assert_eq!(app.get("/oversight?committee=3").await.status, StatusCode::NOT_FOUND);
        let report = app.get("/reports/2026").await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(report.text("#committee-total td:nth-child(2)"), "5");
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_of_a_sub_association_sees_only_its_subtree() {
    crate::common::both(async || {
        let mut app = two_committees().await;
        app.login("city").await;
        let page = app.get("/oversight").await;
        assert_eq!(page.texts("#by-committee tbody td:first-child"), ["乙调委会"]);
        assert_eq!(page.text("#card-cases .value"), "2");
        assert_eq!(app.get("/oversight?committee=2").await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get("/oversight/cases?committee=2").await.status,
            StatusCode::NOT_FOUND
        );
        let list = app.get("/oversight/cases").await;
        let numbers = list.texts("#oversight-cases tbody td:first-child");
        assert_eq!(numbers.len(), 2);
        assert!(numbers.iter().all(|n| n.contains("乙调")), "{numbers:?}");
        let csv = app.get("/export/stats.csv?year=2026").await;
        assert!(csv.body.contains("乙调委会"), "{}", csv.body);
        assert!(!csv.body.contains("甲调委会"), "{}", csv.body);
    })
    .await;
}

#[tokio::test]
async fn supervisor_pages_and_csv_carry_no_personal_data() {
    crate::common::both(async || {
        let mut app = two_committees().await;
        // The secretary's own case list does show them: the scan can fail.
        app.login("sec2").await;
        let first = app.sql_i64("SELECT MIN(id) FROM cases").await;
        let theirs = app.get(&format!("/cases/{first}")).await;
        assert!(
            theirs.body.contains("甲业主张三丰"),
            "the fixture's parties are on record"
        );
        app.login("national").await;
        for path in [
            "/oversight",
            "/oversight?year=2026",
            "/oversight?committee=2",
            "/oversight/cases",
            "/oversight/cases?committee=4",
            "/reports/2026",
            "/export/stats.csv",
            "/export/stats.csv?year=2026&committee=2",
            "/export/stats.csv?q=%E5%BC%A0%E4%B8%89%E4%B8%B0",
        ] {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            for personal in PERSONAL {
                assert!(!page.body.contains(personal), "{path} shows {personal}");
            }
        }
        let list = app.get("/oversight/cases").await;
        assert_eq!(list.texts("#oversight-cases tbody tr").len(), 5);
        // A name searched for does not narrow a supervisor's figures.
        let searched = app.get("/export/stats.csv?q=%E5%BC%A0%E4%B8%89%E4%B8%B0").await;
        let plain = app.get("/export/stats.csv").await;
        assert_eq!(searched.body, plain.body);
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_is_refused_every_page_of_a_committee() {
    crate::common::both(async || {
        let mut app = two_committees().await;
        let case = app.sql_i64("SELECT MIN(id) FROM cases").await;
        app.login("national").await;
        let open = [
            "/oversight",
            "/oversight/cases",
            "/reports",
            "/reports/{year}",
            "/export/stats.csv",
            // The official statistics report (issue 16): added up, as the annual report.
            "/reports/official",
            "/reports/official.csv",
        ];
        let mut failures = Vec::new();
        for (method, pattern) in accord::web::route_list() {
            if method != "GET" || open.contains(&pattern) || !is_signed_in_route(pattern) {
                continue;
            }
            let path = pattern
                .replace("{id}", &case.to_string())
                .replace("{year}", "2026")
                .replace("{list}", "categories")
                .replace("{code}", "other")
                .replace("{sid}", "1")
                .replace("{vid}", "1")
                .replace("{aid}", "1");
            let page = app.get(&path).await;
            let refused = matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                || (pattern == "/" || pattern == "/dashboard") && page.location.as_deref() == Some("/oversight");
            if !refused {
                failures.push(format!("GET {path}: {}", page.status));
            }
        }
        assert!(failures.is_empty(), "a supervisor reached:\n{}", failures.join("\n"));
    })
    .await;
}

/// Routes outside the sign-in gate: the public ones, sign-in and language,
/// and the JSON API (issue 16), which takes no session at all (401 to every
/// cookie; tests/it/api has a supervisor token's answers).
fn is_signed_in_route(pattern: &str) -> bool {
    !matches!(
        pattern,
        "/healthz" | "/static/app.css" | "/login" | "/logout" | "/lang/{code}"
    ) && !pattern.starts_with("/api/")
}
