//! Issue 15, case transfer (移交): a committee sends an open case to
//! another, which accepts it (a number in its own series, the old one kept
//! and shown) or returns it; the case is counted once, where it ends up.

use axum::http::StatusCode;

use crate::common::{PASSWORD, TestApp, case_form, today};
use accord::domain::{CaseFilter, Deadlines, Period, Role};
use accord::store::cases::Scope;
use accord::store::{stats, users};

/// The receiving committee of these tests.
const RECEIVER: i64 = 3;

/// Committee 2 (the installation's own) with an admin, a secretary and a
/// mediator; committee 3 (朝阳, prefix 朝调) with an admin and a
/// secretary; committee 4, retired.
async fn two_committees() -> TestApp {
    let app = TestApp::new().await;
    app.sql_exec(
        "INSERT INTO organisations (id, parent_id, kind, name, region_code, case_prefix, path, created_at)
         VALUES (3, 1, 'committee', '朝阳区物业纠纷人民调解委员会', '110105', '朝调', '/1/3/', '2026-01-01T00:00:00Z')",
    )
    .await;
    app.sql_exec(
        "INSERT INTO organisations (id, parent_id, kind, name, region_code, case_prefix, path, retired_on, created_at)
         VALUES (4, 1, 'committee', '已撤销调解委员会', '110101', '撤调', '/1/4/', '2026-06-01', '2026-01-01T00:00:00Z')",
    )
    .await;
    app.add_user("boss", Role::Admin).await;
    app.add_user("sec", Role::Secretary).await;
    app.add_user("own", Role::Mediator).await;
    let hash = accord::password::hash(PASSWORD);
    for (name, role) in [("boss3", Role::Admin), ("sec3", Role::Secretary)] {
        users::insert(&app.pool, name, &hash, role, None, RECEIVER)
            .await
            .unwrap();
    }
    app
}

async fn signed_in(app: &TestApp, name: &str) -> TestApp {
    let mut c = app.client();
    c.login(name).await;
    c
}

/// A case of committee 2 in mediation, registered by its mediator `own`.
async fn open_case(app: &TestApp) -> (TestApp, i64) {
    let mut own = signed_in(app, "own").await;
    let mediator = app.mediator_of("own").await;
    let id = own.create_case(&case_form(mediator, &[])).await;
    own.accept(id, "2026-11-03").await;
    (own, id)
}

async fn cases_counted(app: &TestApp, committee: i64) -> i64 {
    let deadlines = Deadlines::new(today(), 30);
    stats::totals(
        &app.pool,
        &Period::All,
        &CaseFilter::default(),
        Scope::Committee {
            id: committee,
            narrow: true,
        },
        deadlines,
    )
    .await
    .unwrap()
    .cases_total
}

#[tokio::test]
async fn an_accepted_transfer_numbers_the_case_in_the_receivers_series_and_shows_the_old_number() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (mut own, id) = open_case(&app).await;
        let old_no = own.get(&format!("/cases/{id}")).await.text("#case-no");

        let sent = own
            .post(
                &format!("/cases/{id}/transfer"),
                &[("to", "3"), ("reason", "纠纷发生地属朝阳区")],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = own.get(&format!("/cases/{id}")).await;
        assert!(page.text("#transfer-pending").contains("朝阳区物业纠纷人民调解委员会"));
        assert!(
            !page.has("#workflow-actions a, #workflow-actions form"),
            "no action while on its way"
        );

        // The sender may not work on it meanwhile, and is told why.
        let refused = own.post(&format!("/cases/{id}/withdraw"), &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("正在移交"), "{}", refused.body);
        assert_eq!(own.get(&format!("/cases/{id}/edit")).await.status, StatusCode::CONFLICT);
        // Nor may they edit it or add to its file: no button, no form, 409.
        assert!(
            !page.has(&format!("a[href='/cases/{id}/edit']")),
            "no edit button while on its way"
        );
        assert!(
            !page.has("form[enctype='multipart/form-data']"),
            "no upload form while on its way"
        );
        let token = own.csrf().await;
        let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("csrf_token", None, token.as_bytes()),
            ("link", None, b""),
            ("kind_1", None, b"evidence"),
            ("file_1", Some("a.pdf"), b"%PDF-1.4 x"),
        ];
        let upload = own.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(upload.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);

        // The receiver sees what it needs to decide, on its transfers page only.
        let mut sec3 = signed_in(&app, "sec3").await;
        assert_eq!(sec3.get(&format!("/cases/{id}")).await.status, StatusCode::NOT_FOUND);
        let list = sec3.get("/transfers").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.text("#incoming .case-no"), old_no);
        assert!(list.text("#incoming .reason").contains("朝阳区"));
        for personal in ["张三", "13812341234", "北京某物业服务有限公司", "业主拖欠物业费"] {
            assert!(!list.body.contains(personal), "{personal} shown to the receiver");
        }

        let accepted = sec3.post(&format!("/cases/{id}/transfer/accept"), &[]).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        let page = sec3.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#case-no"), "朝调〔2026〕第0001号");
        assert_eq!(page.text(".old-no"), old_no);
        assert_eq!(sec3.get("/cases").await.text("#total"), "1");
        let mut sec = signed_in(&app, "sec").await;
        assert_eq!(sec.get("/cases").await.text("#total"), "0");
        assert_eq!(own.get(&format!("/cases/{id}")).await.status, StatusCode::NOT_FOUND);
        // The receiver assigns its own mediators.
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM case_mediators WHERE case_id = {id}"))
                .await,
            0
        );
        // Both histories: the case's trail and each committee's page.
        let trail = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE case_id = {id} AND action IN ('transfer_send', 'transfer_accept')"
            ))
            .await;
        assert_eq!(trail, 2);
        let mut boss = signed_in(&app, "boss").await;
        assert!(
            boss.get("/transfers")
                .await
                .text("#outgoing .decision")
                .starts_with("已接收")
        );

        // Counted once, where it ended up.
        assert_eq!(cases_counted(&app, RECEIVER).await, 1);
        assert_eq!(cases_counted(&app, 2).await, 0);
        assert!(sec3.get("/dashboard").await.text("#cumulative").contains("1件"));
    })
    .await;
}

#[tokio::test]
async fn a_returned_case_stays_with_its_committee_unchanged() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (mut own, id) = open_case(&app).await;
        let before = own.get(&format!("/cases/{id}")).await.text("#case-no");
        own.post_ok(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "需要回避")])
            .await;

        let mut boss3 = signed_in(&app, "boss3").await;
        let blank = boss3
            .post(&format!("/cases/{id}/transfer/return"), &[("reason", " ")])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank.has("#reason-error"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM case_transfers WHERE decision IS NULL")
                .await,
            1
        );

        boss3
            .post_ok(
                &format!("/cases/{id}/transfer/return"),
                &[("reason", "不属本会受理范围")],
            )
            .await;
        let page = own.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#case-no"), before);
        assert!(!page.has("#transfer-pending"));
        assert!(!page.has(".old-no"));
        assert_eq!(own.get(&format!("/cases/{id}/edit")).await.status, StatusCode::OK);
        let mut sec = signed_in(&app, "sec").await;
        let list = sec.get("/transfers").await;
        assert!(list.text("#outgoing .decision").contains("不属本会受理范围"));
        assert_eq!(cases_counted(&app, 2).await, 1);
        assert_eq!(cases_counted(&app, RECEIVER).await, 0);
        // Returned, it may be sent again.
        own.post_ok(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "再次移交")])
            .await;
    })
    .await;
}

#[tokio::test]
async fn closed_cases_and_cases_to_their_own_retired_or_no_committee_are_refused() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (mut own, id) = open_case(&app).await;
        for to in ["2", "4", "1", "99", ""] {
            let page = own
                .post(&format!("/cases/{id}/transfer"), &[("to", to), ("reason", "辖区")])
                .await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "to {to:?}");
            assert!(page.has("#to-error"), "to {to:?}");
        }
        let form = own.get(&format!("/cases/{id}/transfer")).await;
        let offered = form.attrs("#to option", "value");
        assert_eq!(offered, ["", "3"], "only the other active committee is offered");

        own.settle(id, "2026-11-10", "2026-12-10").await;
        let closed = own
            .post(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "辖区")])
            .await;
        assert_eq!(closed.status, StatusCode::CONFLICT);
        assert!(closed.text("#refusal").contains("已登记或调解中"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM case_transfers").await,
            0,
            "nothing written"
        );
    })
    .await;
}

#[tokio::test]
async fn only_the_receivers_admin_or_secretary_decide_and_only_the_cases_changers_send() {
    crate::common::both(async || {
        let app = two_committees().await;
        let (mut own, id) = open_case(&app).await;
        let mut sec = signed_in(&app, "sec").await;
        let page = sec
            .post(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "辖区")])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "a secretary changes no case");
        let mut sec3 = signed_in(&app, "sec3").await;
        let page = sec3
            .post(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "辖区")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "another committee's case");

        own.post_ok(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "辖区")])
            .await;
        // The sender cannot decide for the receiver, nor a mediator at all.
        let mut boss = signed_in(&app, "boss").await;
        let page = boss.post(&format!("/cases/{id}/transfer/accept"), &[]).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        let page = own.post(&format!("/cases/{id}/transfer/accept"), &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(own.get("/transfers").await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM case_transfers WHERE decision IS NULL")
                .await,
            1
        );
        // A second transfer waits for the first.
        let again = own
            .post(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "辖区")])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
    })
    .await;
}
