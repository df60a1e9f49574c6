//! `accord demo`: the published headline, determinism, refusal and
//! replacement, and statistics that stay exact over synthetic data.

use crate::common::{TestApp, today};
use accord::cli::stats::json_of;
use accord::demo::{self, Options};
use accord::domain::{CaseFilter, Deadlines, Money, Period, Role};
use accord::store::cases::Scope;
use accord::store::stats::{self, Via};

fn args(cases: Option<usize>, seed: u64, force: bool) -> Options {
    Options {
        cases,
        seed,
        force,
        durability: accord::domain::Durability::Full,
    }
}

async fn case_numbers(app: &TestApp) -> Vec<(String, String, i64)> {
    accord::on_db!(app.pool, |e| sqlx::query_as(
        "SELECT case_no, project, amount_claimed FROM cases ORDER BY id"
    )
    .fetch_all(e)
    .await)
    .unwrap()
}

#[tokio::test]
async fn the_default_demo_reproduces_the_published_headline() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &args(None, 2023, false),
        )
        .await
        .unwrap();
        let deadlines = Deadlines::new(today(), 30);
        let s = stats::stats(&app.pool, &Period::All, &CaseFilter::default(), Scope::All, deadlines)
            .await
            .unwrap();
        let json = json_of(&s);
        assert_eq!(json["cases_total"], 200);
        assert_eq!(json["amount_claimed_total"], "1361000.00");
        assert!(
            json["by_category"][0]["category"] == "fees",
            "property fees come first and are the most common"
        );
        let fees = json["by_category"][0]["cases"].as_i64().unwrap();
        for row in json["by_category"].as_array().unwrap() {
            assert!(row["cases"].as_i64().unwrap() <= fees, "{row}");
        }
        assert!(
            json["by_month"].as_array().unwrap().len() > 24,
            "spread over several years"
        );
        assert!(json["settled"].as_i64().unwrap() > 100);
        // And the secretary's dashboard says so.
        app.add_user("secretary", Role::Secretary).await;
        app.login("secretary").await;
        let page = app.get("/dashboard").await;
        assert_eq!(page.text("#cumulative"), "累计协调物业纠纷200件,涉及金额136.1万元");
    })
    .await;
}

#[tokio::test]
async fn wan_yuan_are_printed_with_one_decimal() {
    crate::common::both(async || {
        assert_eq!(format!("{}万元", Money::parse("1,361,000").unwrap().wan()), "136.1万元");
        assert_eq!(
            format!("{}万元", Money::parse("12,345,678.90").unwrap().wan()),
            "1234.6万元"
        );
    })
    .await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_cases_and_another_seed_others() {
    crate::common::both(async || {
        let a = TestApp::new().await;
        let b = TestApp::new().await;
        let c = TestApp::new().await;
        demo::load(
            &a.pool,
            &accord::store::orgs::Committee::first(&a.config.case_prefix),
            &args(Some(300), 7, false),
        )
        .await
        .unwrap();
        demo::load(
            &b.pool,
            &accord::store::orgs::Committee::first(&b.config.case_prefix),
            &args(Some(300), 7, false),
        )
        .await
        .unwrap();
        demo::load(
            &c.pool,
            &accord::store::orgs::Committee::first(&c.config.case_prefix),
            &args(Some(300), 8, false),
        )
        .await
        .unwrap();
        assert_eq!(case_numbers(&a).await, case_numbers(&b).await);
        assert_ne!(case_numbers(&a).await, case_numbers(&c).await);
        let parties: i64 = a.count("SELECT COUNT(*) FROM parties").await;
        assert!(parties >= 600, "every case has an applicant and a respondent");
        assert!(a.count("SELECT COUNT(*) FROM mediation_sessions").await > 300);
        assert!(a.count("SELECT COUNT(*) FROM return_visits").await > 50);
        assert!(
            a.count("SELECT COUNT(DISTINCT district) FROM cases").await >= 12,
            "Beijing's districts"
        );
    })
    .await;
}

#[tokio::test]
async fn a_database_with_cases_is_refused_unless_forced_and_numbers_are_never_reused() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &args(Some(50), 1, false),
        )
        .await
        .unwrap();
        let first = case_numbers(&app).await;
        let err = demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &args(None, 1, false),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 50, "nothing changed");
        demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &args(None, 1, true),
        )
        .await
        .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 200);
        assert_eq!(
            stats::summary_drift(&app.pool).await.unwrap(),
            0,
            "the replaced cases' summary"
        );
        let second = case_numbers(&app).await;
        assert!(
            second
                .iter()
                .all(|(no, _, _)| first.iter().all(|(old, _, _)| old != no)),
            "a replaced demo continues each year's numbering"
        );
        // The counters are in step with the highest number of each year.
        let behind = app
            .count(
                "SELECT COUNT(*) FROM (SELECT case_year, MAX(case_seq) AS m FROM cases GROUP BY case_year) c
             JOIN case_counters k ON k.year = c.case_year WHERE k.last_seq <> c.m",
            )
            .await;
        assert_eq!(behind, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'demo'").await,
            2
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'case'").await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn statistics_over_demo_data_agree_both_ways_and_the_summary_is_exact() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        demo::load(
            &app.pool,
            &accord::store::orgs::Committee::first(&app.config.case_prefix),
            &args(Some(3000), 42, false),
        )
        .await
        .unwrap();
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        let deadlines = Deadlines::new(today(), 30);
        for period in [Period::All, Period::Year(2024), Period::Year(2019)] {
            let f = CaseFilter::default();
            let best = stats::stats_via(&app.pool, &period, &f, Scope::All, deadlines, Via::Best)
                .await
                .unwrap();
            let direct = stats::stats_via(&app.pool, &period, &f, Scope::All, deadlines, Via::Cases)
                .await
                .unwrap();
            assert_eq!(best, direct, "{period:?}");
        }
        let all = stats::totals(&app.pool, &Period::All, &CaseFilter::default(), Scope::All, deadlines)
            .await
            .unwrap();
        assert_eq!(all.cases_total, 3000);
        assert!(all.overdue > 0, "the last cases are still in mediation");
    })
    .await;
}

#[tokio::test]
async fn a_demo_of_three_committees_numbers_each_from_one_and_prints_sign_ins_that_work() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let db = app.config.database.to_str().unwrap().to_string();
        let out = crate::common::accord_cmd(app.dir.path())
            .args(["--db", &db, "demo", "--committees", "3", "--cases", "300"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        let committees = app
            .count("SELECT COUNT(*) FROM organisations WHERE kind = 'committee' AND retired_on IS NULL")
            .await;
        assert_eq!(committees, 3);
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        let names: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT name FROM organisations WHERE case_prefix IS NOT NULL ORDER BY id"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(names, ["东城区物业纠纷人民调解委员会", "西城区物业纠纷人民调解委员会"]);
        // Each committee has its share, numbered from 1 in each year, with
        // mediators of its own.
        let shares = app
            .count(
                "SELECT COUNT(*) FROM (SELECT committee_id FROM cases GROUP BY committee_id HAVING COUNT(*) = 100) c",
            )
            .await;
        assert_eq!(shares, 3);
        let not_from_one = app
            .count(
                "SELECT COUNT(*) FROM (SELECT committee_id, case_year, MIN(case_seq) AS m, MAX(case_seq) AS x,
                 COUNT(*) AS n FROM cases GROUP BY committee_id, case_year) y WHERE m <> 1 OR x <> n",
            )
            .await;
        assert_eq!(not_from_one, 0);
        let foreign = app
            .count(
                "SELECT COUNT(*) FROM case_mediators cm JOIN cases c ON c.id = cm.case_id
                 JOIN mediators m ON m.id = cm.mediator_id WHERE m.committee_id <> c.committee_id",
            )
            .await;
        assert_eq!(foreign, 0);

        // Every sign-in printed, one a line: role, user name, password.
        let sign_ins: Vec<(String, String, String)> = stdout
            .lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                let (role, name, pw) = (w.next()?, w.next()?, w.next()?);
                Role::from_code(role).map(|_| (role.to_string(), name.to_string(), pw.to_string()))
            })
            .collect();
        let who: Vec<(&str, &str)> = sign_ins.iter().map(|(r, n, _)| (r.as_str(), n.as_str())).collect();
        assert_eq!(
            who,
            [
                ("admin", "admin"),
                ("secretary", "secretary"),
                ("mediator", "mediator"),
                ("secretary", "secretary-3"),
                ("mediator", "mediator-3"),
                ("secretary", "secretary-4"),
                ("mediator", "mediator-4"),
                ("supervisor", "supervisor"),
            ],
            "{stdout}"
        );
        for (_, name, pw) in &sign_ins {
            let mut c = app.client();
            let page = c.post("/login", &[("username", name), ("password", pw)]).await;
            assert_eq!(page.status, axum::http::StatusCode::SEE_OTHER, "{name}");
            assert!(!page.location.as_deref().unwrap_or("").starts_with("/login"), "{name}");
        }
        let (_, _, pw) = &sign_ins[3];
        let mut sec3 = app.client();
        sec3.post("/login", &[("username", "secretary-3"), ("password", pw)])
            .await;
        let list = sec3.get("/cases").await;
        assert_eq!(list.text("#total"), "100");
        assert!(list.body.contains("东城物调〔"), "its own committee's numbers");
        assert!(!list.body.contains("西城物调〔"), "no other committee's");
    })
    .await;
}
