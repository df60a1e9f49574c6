//! Organisations (issue 15): the admin's tree of associations and
//! committees, and users placed in them.

use accord::domain::Role;
use axum::http::StatusCode;

use crate::common::{PASSWORD, TestApp, admin_app, case_form};

/// The form that adds a committee named `name` with `prefix` under `parent`.
fn committee<'a>(parent: &'a str, name: &'a str, prefix: &'a str, region: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "committee"),
        ("parent", parent),
        ("name", name),
        ("region", region),
        ("prefix", prefix),
    ]
}

async fn organisations(app: &TestApp) -> i64 {
    app.sql_i64("SELECT COUNT(*) FROM organisations").await
}

#[tokio::test]
async fn an_admin_adds_an_association_and_a_committee_under_it_and_sees_both_in_the_tree() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app
            .post(
                "/orgs",
                &[
                    ("kind", "association"),
                    ("parent", "1"),
                    ("level", "city"),
                    ("name", "朝阳区物业管理协会"),
                    ("region", "110105"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let page = app
            .post("/orgs", &committee("3", "朝阳区物业纠纷调解委员会", "朝调", "110105"))
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

        let page = app.get("/orgs").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("#org-3 .name").ends_with("朝阳区物业管理协会"));
        assert!(page.text("#org-3 .kind").contains("Association") || page.text("#org-3 .kind").contains("协会"));
        let row = "#org-4";
        assert!(page.text(&format!("{row} .name")).ends_with("朝阳区物业纠纷调解委员会"));
        assert_eq!(page.text(&format!("{row} .region")), "110105");
        assert_eq!(page.text(&format!("{row} .prefix")), "朝调");
        assert_eq!(page.text(&format!("{row} .cases")), "0");
        // The committee sits one deeper than the association it is under.
        assert_eq!(page.attrs("#org-3", "data-depth"), ["1"]);
        assert_eq!(page.attrs("#org-4", "data-depth"), ["2"]);
        assert_eq!(
            app.sql_text("SELECT path FROM organisations WHERE id = 4")
                .await
                .as_deref(),
            Some("/1/3/4/")
        );
        let audited = app
            .sql_i64("SELECT COUNT(*) FROM audit_log WHERE entity = 'organisation' AND action = 'create'")
            .await;
        assert_eq!(audited, 2);

        // The audit log names an organisation's changes in words.
        let renamed = app
            .post(
                "/orgs/4",
                &[("name", "朝阳区物业纠纷人民调解委员会"), ("region", "110105")],
            )
            .await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        let audit = app.get("/audit").await;
        let entities = audit.texts("td.entity");
        assert!(entities[0].starts_with("组织机构"), "{entities:?}");
        let changes = audit.texts(".changes .key");
        assert!(changes.iter().any(|k| k == "名称"), "{changes:?}");
        assert!(!audit.body.contains(">organisation"), "{}", audit.body);
    })
    .await;
}

#[tokio::test]
async fn a_bad_region_a_prefix_in_use_or_a_committee_under_a_committee_is_refused_naming_the_field() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let ok = app
            .post("/orgs", &committee("1", "海淀区调委会", "海调", "110108"))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let before = organisations(&app).await;

        let page = app
            .post("/orgs", &committee("1", "朝阳区调委会", "朝调", "11010"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#committee-region-error"));
        // What was typed stays.
        assert_eq!(page.attrs("#committee-name", "value"), ["朝阳区调委会"]);

        let page = app
            .post("/orgs", &committee("1", "朝阳区调委会", "海调", "110105"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#committee-prefix-error"));

        // The configured prefix is the first committee's.
        let configured = app.config.case_prefix.clone();
        let page = app
            .post("/orgs", &committee("1", "朝阳区调委会", &configured, "110105"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#committee-prefix-error"));

        let page = app
            .post("/orgs", &committee("2", "朝阳区调委会", "朝调", "110105"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#committee-parent-error"));

        let page = app
            .post("/orgs", &committee("1", "海淀区调委会", "朝调", "110105"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#committee-name-error"));

        assert_eq!(organisations(&app).await, before, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn a_retired_committee_is_marked_and_takes_no_new_users_and_the_root_stays() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.post("/orgs", &committee("1", "海淀区调委会", "海调", "110108"))
            .await;
        let page = app.post("/orgs/3/retire", &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(app.get("/orgs").await.has("tr#org-3.inactive"), "shown as retired");

        let user = [
            ("username", "wang"),
            ("role", "secretary"),
            ("org", "3"),
            ("password", "a-long-password"),
        ];
        let page = app.post("/users", &user).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#org-error"));
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM users WHERE username = 'wang'").await,
            0
        );

        let page = app.post("/orgs/1/retire", &[]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM organisations WHERE retired_on IS NOT NULL")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_is_placed_at_an_association_and_a_secretary_in_a_committee() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let user = |name: &'static str, role: &'static str, org: &'static str| {
            vec![
                ("username", name),
                ("role", role),
                ("org", org),
                ("password", "a-long-password"),
            ]
        };
        let page = app.post("/users", &user("zhou", "supervisor", "2")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#org-error"));
        let page = app.post("/users", &user("li", "secretary", "1")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#org-error"));
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM users").await, 1, "nothing written");

        let page = app.post("/users", &user("zhou", "supervisor", "1")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let page = app.get("/users").await;
        let orgs = page.texts("table.users td.org");
        let names = page.texts("table.users td.username");
        let zhou = names.iter().position(|n| n == "zhou").unwrap();
        let association = app
            .sql_text("SELECT name FROM organisations WHERE id = 1")
            .await
            .unwrap();
        assert_eq!(orgs[zhou], association);
    })
    .await;
}

#[tokio::test]
async fn a_secretary_created_in_another_committee_sees_none_of_the_first_committees_cases() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let mediator = app.add_mediator("林杰").await;
        app.create_case(&case_form(mediator, &[])).await;
        let case_no = app.sql_text("SELECT case_no FROM cases").await.unwrap();
        assert!(
            app.get("/cases").await.body.contains(&case_no),
            "the admin of committee A sees it"
        );

        app.post("/orgs", &committee("1", "海淀区调委会", "海调", "110108"))
            .await;
        let form = [
            ("username", "li"),
            ("role", "secretary"),
            ("org", "3"),
            ("password", PASSWORD),
        ];
        assert_eq!(app.post("/users", &form).await.status, StatusCode::SEE_OTHER);

        let mut li = app.client();
        li.login("li").await;
        let page = li.get("/cases").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains(&case_no),
            "committee B's secretary sees committee A's case"
        );
    })
    .await;
}

#[tokio::test]
async fn moving_a_user_to_another_committee_ends_their_sessions() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let wang = app.add_user("wang", Role::Secretary).await;
        let mut browser = app.client();
        browser.login("wang").await;
        assert_eq!(browser.get("/cases").await.status, StatusCode::OK);

        app.post("/orgs", &committee("1", "海淀区调委会", "海调", "110108"))
            .await;
        let page = app
            .post(
                &format!("/users/{wang}"),
                &[("role", "secretary"), ("org", "3"), ("mediator", ""), ("active", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(app.sql_i64("SELECT org_id FROM users WHERE username = 'wang'").await, 3);
        let page = browser.get("/cases").await;
        assert!(
            page.location.as_deref().is_some_and(|l| l.starts_with("/login")),
            "still signed in"
        );
    })
    .await;
}

#[tokio::test]
async fn a_retired_committee_registers_no_new_case_but_its_admin_still_reads_the_old_ones() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let mediator = app.add_mediator("林杰").await;
        app.create_case(&case_form(mediator, &[])).await;
        let case_no = app.sql_text("SELECT case_no FROM cases").await.unwrap();
        assert_eq!(app.post("/orgs/2/retire", &[]).await.status, StatusCode::SEE_OTHER);

        let page = app.post_case(&case_form(mediator, &[])).await;
        assert_ne!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 1);
        assert!(app.get("/cases").await.body.contains(&case_no));
    })
    .await;
}

#[tokio::test]
async fn a_mediator_account_takes_a_mediator_record_of_its_own_committee() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let first = app.add_mediator("林杰").await.to_string();
        app.post("/orgs", &committee("1", "海淀区调委会", "海调", "110108"))
            .await;
        let form = |mediator: &'static str, name: &'static str| {
            vec![
                ("username", "lin"),
                ("role", "mediator"),
                ("org", "3"),
                ("mediator", mediator),
                ("mediator_name", name),
                ("password", PASSWORD),
            ]
        };
        let mut other = form("", "");
        other[3].1 = &first;
        let page = app.post("/users", &other).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#mediator-error"));

        let page = app.post("/users", &form("new", "林杰")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let committee = app
            .sql_i64(
                "SELECT m.committee_id FROM users u JOIN mediators m ON m.id = u.mediator_id WHERE u.username = 'lin'",
            )
            .await;
        assert_eq!(committee, 3, "the new mediator record is made in the chosen committee");
    })
    .await;
}
