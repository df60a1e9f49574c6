//! The deadline flags on fixed dates, and "my work".

use axum::http::StatusCode;

use super::*;

/// `#total` of the case list filtered on one flag.
async fn flagged(app: &mut TestApp, flag: &str) -> String {
    app.get(&format!("/cases?flag={flag}")).await.text("#total")
}

#[tokio::test]
async fn a_case_in_mediation_is_overdue_from_the_day_after_the_limit_and_shows_the_days_in_red() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-09-20").await;
        app.accept(id, "2026-10-01").await;

        app.set_today(day("2026-10-31"));
        assert_eq!(flagged(&mut app, "overdue").await, "0");
        assert!(!app.get(&format!("/cases/{id}")).await.has(".overdue"));

        app.set_today(day("2026-11-01"));
        assert_eq!(flagged(&mut app, "overdue").await, "1");
        let list = app.get("/cases?flag=overdue").await;
        assert_eq!(list.text("table.cases .overdue"), "超期 1 天");

        app.set_today(day("2026-11-05"));
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#mediation-deadline"), "2026-10-31 超期 5 天");
        assert_eq!(page.text("#mediation-deadline .overdue"), "超期 5 天");
        assert_eq!(flagged(&mut app, "follow_up").await, "0");

        // Closing ends it.
        app.post_ok(
            &format!("/cases/{id}/withdraw"),
            &[("on", "2026-11-05"), ("reason", "撤回")],
        )
        .await;
        assert_eq!(flagged(&mut app, "overdue").await, "0");
    })
    .await;
}

#[tokio::test]
async fn a_settled_case_past_its_performance_deadline_needs_follow_up_until_fulfilled() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-10-01").await;
        app.accept(id, "2026-10-02").await;
        app.settle(id, "2026-10-20", "2026-11-10").await;

        app.set_today(day("2026-11-10"));
        assert_eq!(flagged(&mut app, "follow_up").await, "0");
        app.set_today(day("2026-11-11"));
        assert_eq!(flagged(&mut app, "follow_up").await, "1");
        let page = app.get(&format!("/cases/{id}")).await;
        assert!(page.text("#performance-due .follow-up").contains("逾期履行 1 天"));

        app.post_ok(&format!("/cases/{id}/fulfilment"), &[("fulfilment", "partial")])
            .await;
        assert_eq!(flagged(&mut app, "follow_up").await, "1");
        app.post_ok(&format!("/cases/{id}/fulfilment"), &[("fulfilment", "fulfilled")])
            .await;
        assert_eq!(flagged(&mut app, "follow_up").await, "0");
    })
    .await;
}

#[tokio::test]
async fn judicial_confirmation_is_due_soon_in_the_last_seven_days_unless_applied_for() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-10-20").await;
        app.accept(id, "2026-10-21").await;
        // Agreement 1 November: apply by 1 December; flagged 24 November to 1 December.
        app.settle(id, "2026-11-01", "2027-03-01").await;

        for (today, expected) in [
            ("2026-11-23", "0"),
            ("2026-11-24", "1"),
            ("2026-12-01", "1"),
            ("2026-12-02", "0"),
        ] {
            app.set_today(day(today));
            assert_eq!(flagged(&mut app, "judicial_due").await, expected, "on {today}");
        }
        app.set_today(day("2026-11-28"));
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            page.text("#judicial-deadline .judicial-due"),
            "司法确认即将到期 · 剩余天数 3"
        );
        app.post_ok(
            &format!("/cases/{id}/judicial"),
            &[("judicial", "applied"), ("judicial_applied_on", "2026-11-28")],
        )
        .await;
        assert_eq!(flagged(&mut app, "judicial_due").await, "0");
    })
    .await;
}

#[tokio::test]
async fn my_work_lists_the_mediators_open_cases_with_flagged_ones_first() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let waiting = new_case(&mut app, m, "2026-09-01").await;
        let overdue = new_case(&mut app, m, "2026-09-25").await;
        app.accept(overdue, "2026-10-01").await;
        let follow_up = new_case(&mut app, m, "2026-10-05").await;
        app.accept(follow_up, "2026-10-06").await;
        app.settle(follow_up, "2026-10-20", "2026-11-10").await;
        let done = new_case(&mut app, m, "2026-10-05").await;
        app.accept(done, "2026-10-06").await;
        app.settle(done, "2026-10-20", "2026-11-10").await;
        app.post_ok(&format!("/cases/{done}/fulfilment"), &[("fulfilment", "fulfilled")])
            .await;

        app.add_user("wang", Role::Mediator).await;
        let wang = app.mediator_of("wang").await;
        app.login("wang").await;
        let theirs = new_case(&mut app, wang, "2026-09-02").await;
        app.accept(theirs, "2026-09-03").await;

        app.login("li").await;
        let page = app.get("/my").await;
        assert_eq!(page.status, StatusCode::OK);
        let expected = vec![
            case_no(&app, overdue).await,
            case_no(&app, follow_up).await,
            case_no(&app, waiting).await,
        ];
        assert_eq!(page.texts("tr.work-item .case-link"), expected);
        assert_eq!(page.texts("tr.work-item.flagged").len(), 2);
        assert_eq!(page.text("tr.work-item .overdue"), "超期 28 天");
        assert!(page.text("tr.work-item .follow-up").contains("需回访"));
        assert!(page.has("nav.main a[href='/my']"));
    })
    .await;
}
