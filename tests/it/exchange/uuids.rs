//! Every case has a UUID of its own, whichever way it was written, and
//! `accord copy` keeps it.

use crate::common::{TestApp, case_form, today};
use accord::csv_io::import::{self, Options};
use accord::domain::Role;
use accord::store::orgs::Committee;

const CSV: &str = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators\r\n\
,2026-10-01,,party_application,parking,丙小区,haidian,车位纠纷,1234.50,registered,,,,,,none,,张三,owner,某物业,property_company,王调解\r\n";

#[tokio::test]
async fn cases_from_the_demo_the_form_and_a_csv_import_each_get_a_distinct_uuid() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        let first = Committee::first(&app.config.case_prefix);
        let demo = accord::demo::Options {
            cases: Some(5),
            seed: 7,
            force: false,
            durability: accord::domain::Durability::Full,
        };
        accord::demo::load(&app.pool, &first, &demo).await.unwrap();
        app.add_user("own", Role::Mediator).await;
        app.login("own").await;
        let m = app.mediator_of("own").await;
        app.create_case(&case_form(m, &[])).await;
        let options = Options {
            today: today(),
            committee: first,
            actor: None,
            dry_run: false,
            max_parties_per_side: app.config.max_parties_per_side,
        };
        import::run(&app.pool, CSV.as_bytes(), &options).await.unwrap();

        let cases = app.count("SELECT COUNT(*) FROM cases").await;
        assert_eq!(cases, 7);
        assert_eq!(app.count("SELECT COUNT(DISTINCT uuid) FROM cases").await, cases);
        let uuids: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar("SELECT uuid FROM cases")
            .fetch_all(e)
            .await)
        .unwrap();
        for u in &uuids {
            assert!(accord::csv_io::exchange::check::is_uuid(u), "{u} is a lowercase UUID");
        }
    })
    .await;
}

#[tokio::test]
async fn a_case_written_by_plain_sql_without_a_uuid_is_given_one() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        app.sql_exec(
            "INSERT INTO cases (committee_id, case_no, case_year, case_seq, received_on, source, category, project,
                 district, summary, created_at, updated_at)
             VALUES (2, '物调〔2026〕第0001号', 2026, 1, '2026-11-02', 'other', 'other', '阳光花园', 'chaoyang', '概要',
                 'x', 'x')",
        )
        .await;
        let uuid = app.sql_text("SELECT uuid FROM cases").await;
        assert!(uuid.is_some_and(|u| accord::csv_io::exchange::check::is_uuid(&u)));
    })
    .await;
}

#[tokio::test]
async fn a_cases_uuid_cannot_be_emptied() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("own", Role::Mediator).await;
        app.login("own").await;
        let m = app.mediator_of("own").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let emptied = accord::on_db!(app.pool, |e| sqlx::query("UPDATE cases SET uuid = NULL WHERE id = $1")
            .bind(id)
            .execute(e)
            .await
            .map(|_| ()));
        assert!(emptied.is_err(), "the database refuses to empty it");
        let uuid: Option<String> =
            accord::on_db!(app.pool, |e| sqlx::query_scalar("SELECT uuid FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(e)
                .await)
            .unwrap();
        assert!(uuid.is_some_and(|u| accord::csv_io::exchange::check::is_uuid(&u)));
    })
    .await;
}

#[tokio::test]
async fn a_transferred_case_keeps_its_uuid_under_its_new_number() {
    use accord::domain::transfer::Decision;
    use accord::store::transfers::{self, Decide, Send};
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user("own", Role::Mediator).await;
        app.login("own").await;
        let m = app.mediator_of("own").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let before = app.sql_text("SELECT uuid FROM cases").await;
        let send = Send {
            case_id: id,
            from: 2,
            to: 3,
            reason: "不属本会辖区",
            by: None,
        };
        transfers::send(&app.pool, &send).await.unwrap().unwrap().unwrap();
        let receiver = Committee {
            id: 3,
            prefix: "朝调".into(),
        };
        let decide = Decide {
            case_id: id,
            receiver: &receiver,
            decision: Decision::Accepted,
            reason: None,
            by: None,
            today: today(),
        };
        let new_no = transfers::decide(&app.pool, &decide).await.unwrap().unwrap();
        assert!(new_no.starts_with("朝调"));
        assert!(before.is_some());
        assert_eq!(app.sql_text("SELECT uuid FROM cases").await, before);
    })
    .await;
}
