//! Issue 15: many committees in one installation. Each numbers its own
//! cases, assigns its own mediators and issues its documents in its own
//! name; a database of the last release becomes committee 2 unchanged.

use axum::http::StatusCode;

use accord::domain::Role;

use crate::common::{TestApp, case_form};

mod upgrade;

const CHAOYANG: &str = "朝阳区物业纠纷人民调解委员会";

/// An app with committee 3 (朝阳, prefix 朝调) beside committee 2, and a
/// mediator in each: `own` in 2, `med_b` in 3.
async fn two_committees() -> TestApp {
    let app = TestApp::new().await;
    app.add_user("own", Role::Mediator).await;
    app.add_committee(3, CHAOYANG, "朝调").await;
    app.add_user_in(3, "med_b", Role::Mediator).await;
    app
}

#[tokio::test]
async fn two_committees_each_number_their_cases_from_one_with_their_own_prefix_at_once() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (m_a, m_b) = (app.mediator_of("own").await, app.mediator_of("med_b").await);
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let mut b = app.client();
        b.login("med_b").await;
        b.csrf().await;
        // Both committees register five cases each, their writes interleaved.
        let register = async |c: &mut TestApp, m: i64| {
            let mut ids = Vec::new();
            for _ in 0..5 {
                ids.push(c.create_case(&case_form(m, &[])).await);
            }
            ids
        };
        let (ids_a, ids_b) = tokio::join!(register(&mut a, m_a), register(&mut b, m_b));
        for (client, ids, prefix) in [(&mut a, ids_a, "物调"), (&mut b, ids_b, "朝调")] {
            let mut numbers = Vec::new();
            for id in ids {
                let page = client.get(&format!("/cases/{id}")).await;
                assert_eq!(page.status, StatusCode::OK);
                numbers.push(page.text("#case-no"));
            }
            numbers.sort();
            let expected: Vec<String> = (1..=5).map(|n| format!("{prefix}〔2026〕第{n:04}号")).collect();
            assert_eq!(numbers, expected);
        }
        let counters = app
            .count("SELECT COUNT(*) FROM case_counters WHERE year = 2026 AND last_seq = 5 AND committee_id IN (2, 3)")
            .await;
        assert_eq!(counters, 2, "one counter per committee and year");
    })
    .await;
}

#[tokio::test]
async fn a_case_is_refused_another_committees_mediator_with_a_field_error() {
    crate::common::both(async || {
        let app = two_committees().await;
        app.add_user("boss", Role::Admin).await;
        let (m_a, m_b) = (app.mediator_of("own").await, app.mediator_of("med_b").await);
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let page = a.post_case(&case_form(m_b, &[])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("#mediators-error").contains("调解员"), "{}", page.text("#mediators-error"));
        assert!(
            !page.attrs("input[name=mediators]", "value").contains(&m_b.to_string()),
            "another committee's mediator is not offered"
        );
        // Nor on editing a case of the committee, by its admin.
        let id = a.create_case(&case_form(m_a, &[])).await;
        let mut boss = app.client();
        boss.login("boss").await;
        boss.csrf().await;
        let form = case_form(m_b, &[]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = boss.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#mediators-error"));
        assert_eq!(app.count("SELECT COUNT(*) FROM case_mediators WHERE mediator_id = (SELECT mediator_id FROM users WHERE username = 'med_b')").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_committees_documents_and_file_are_issued_in_its_own_name() {
    crate::common::both(async || {
        let app = two_committees().await;
        let m_b = app.mediator_of("med_b").await;
        let mut b = app.client();
        b.login("med_b").await;
        b.csrf().await;
        let id = b.create_case(&case_form(m_b, &[])).await;
        b.accept(id, "2026-11-03").await;
        b.settle(id, "2026-11-10", "2026-12-10").await;
        let configured = app.config.association_name.clone();
        for path in ["documents/acceptance", "documents/rights", "agreement", "dossier"] {
            let page = b.get(&format!("/cases/{id}/{path}")).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(page.body.contains(CHAOYANG), "{path} names the committee");
            assert!(!page.body.contains(&configured), "{path} names another committee");
        }
        // Committee 2's cases go on in the name the configuration gave it.
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let id = a.create_case(&case_form(app.mediator_of("own").await, &[])).await;
        a.accept(id, "2026-11-03").await;
        let page = a.get(&format!("/cases/{id}/documents/acceptance")).await;
        assert!(page.body.contains(&configured) && !page.body.contains(CHAOYANG));
    })
    .await;
}

/// Complete, valid forms posted by committee B's admin to committee A's
/// case are refused as if the case did not exist, and change nothing.
#[tokio::test]
async fn another_committees_admin_changes_nothing_with_valid_forms() {
    crate::common::both(async || {
        let app = two_committees().await;
        app.add_user_in(3, "boss_b", Role::Admin).await;
        let m_a = app.mediator_of("own").await;
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        let id = a.create_case(&case_form(m_a, &[])).await;
        a.accept(id, "2026-11-03").await;
        let mut b = app.client();
        b.login("boss_b").await;
        b.csrf().await;
        // After the sign-in, which the log records.
        let before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let m = m_a.to_string();
        let session = [
            ("held_on", "2026-11-04"),
            ("form", "on_site"),
            ("mediators", m.as_str()),
            ("notes", "笔录"),
        ];
        let visit = [("visited_on", "2026-11-05"), ("notes", "回访")];
        let form = case_form(m_a, &[("project", "改过的小区")]);
        let edit: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let writes: [(String, &[(&str, &str)]); 6] = [
            (format!("/cases/{id}"), &edit),
            (format!("/cases/{id}/sessions"), &session),
            (format!("/cases/{id}/visits"), &visit),
            (format!("/cases/{id}/withdraw"), &[("on", "2026-11-06")]),
            (format!("/cases/{id}/void"), &[("reason", "登记错误")]),
            (format!("/cases/{id}/accept"), &[("on", "2026-11-03")]),
        ];
        for (path, pairs) in &writes {
            let page = b.post(path, pairs).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            before,
            "nothing was written"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM mediation_sessions").await, 0);
        let page = a.get(&format!("/cases/{id}")).await;
        assert!(page.body.contains("阳光花园小区") && !page.body.contains("改过的小区"));
    })
    .await;
}

/// An attachment is read against the scope in its own query, not only
/// through its case's page: another committee's scope finds nothing.
#[tokio::test]
async fn an_attachment_is_found_only_in_its_own_committees_scope() {
    crate::common::both(async || {
        let app = two_committees().await;
        let m_a = app.mediator_of("own").await;
        let mut a = app.client();
        a.login("own").await;
        let id = a.create_case(&case_form(m_a, &[])).await;
        let token = a.csrf().await;
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let fields: [(&str, Option<&str>, &[u8]); 3] = [
            ("csrf_token", None, token.as_bytes()),
            ("kind_1", None, b"photo"),
            ("file_1", Some("photo.png"), png),
        ];
        let page = a.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let aid = app.sql_i64("SELECT MAX(id) FROM attachments").await;
        use accord::store::attachments;
        use accord::store::cases::Scope;
        let found = attachments::get(&app.pool, Scope::Committee { id: 2, narrow: true }, id, aid)
            .await
            .unwrap();
        assert!(found.is_some(), "its own committee finds it");
        let found = attachments::get(&app.pool, Scope::Committee { id: 3, narrow: true }, id, aid)
            .await
            .unwrap();
        assert!(found.is_none(), "another committee does not");
    })
    .await;
}

/// How the case list is planned depends on whether a committee holds few
/// of the installation's cases (issue 15: with every case in one committee,
/// starting from the committee's index made a rare name's search read a
/// million cases). Counted from the summary, so it follows every case added.
#[tokio::test]
async fn a_committee_holding_most_cases_is_not_narrow_and_a_small_one_is() {
    crate::common::both(async || {
        let app = two_committees().await;
        let m_a = app.mediator_of("own").await;
        let mut a = app.client();
        a.login("own").await;
        a.csrf().await;
        for _ in 0..3 {
            a.create_case(&case_form(m_a, &[])).await;
        }
        let narrow = async |id| accord::store::cases::committee_is_narrow(&app.pool, id).await.unwrap();
        assert!(!narrow(2).await, "committee 2 holds every case");
        assert!(narrow(3).await, "committee 3 holds none");
        // Committee 3 registers more than nine in ten of the cases.
        let m_b = app.mediator_of("med_b").await;
        let mut b = app.client();
        b.login("med_b").await;
        b.csrf().await;
        for _ in 0..30 {
            b.create_case(&case_form(m_b, &[])).await;
        }
        assert!(narrow(2).await, "3 of 33 cases");
        assert!(!narrow(3).await, "30 of 33 cases");
    })
    .await;
}
