//! Status actions: every transition, legal and illegal, and what closing requires.

use axum::http::StatusCode;

use super::*;

#[tokio::test]
async fn a_mediator_takes_a_case_from_registered_to_archived_and_every_step_is_audited() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert!(page.has("#workflow-actions form[action$='/accept']"));
        assert!(!page.has("#settle"));

        app.accept(id, "2026-11-05").await;
        assert_eq!(status(&app, id).await, "in_mediation");
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("h1 .badge"), "调解中");
        assert!(page.has("#settle") && page.has("#fail") && page.has("#withdraw"));
        let (before, after): (String, String) = accord::on_db!(app.pool, |e| sqlx::query_as(
            "SELECT before, after FROM audit_log WHERE entity = 'case' AND action = 'accept'"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert!(before.contains(r#""status":"registered""#), "{before}");
        assert!(after.contains(r#""accepted_on":"2026-11-05""#) && after.contains(r#""status":"in_mediation""#));

        app.settle(id, "2026-11-20", "2026-12-31").await;
        assert_eq!(status(&app, id).await, "settled");
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("h1 .badge"), "调解成功");
        assert_eq!(page.text("#amount-agreed"), "¥8,000.00");
        assert!(page.text("#agreement-terms").contains("申请人减免滞纳金"));
        assert_eq!(page.text("#current-fulfilment"), "待履行");
        assert!(page.has("#archive"));
        assert_eq!(audits(&app, "case", "settle", id).await, 1);

        app.post_ok(&format!("/cases/{id}/archive"), &[]).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert!(page.text("#archived").contains("2026-11-28"));
        assert_eq!(audits(&app, "case", "archive", id).await, 1);
    })
    .await;
}

#[tokio::test]
async fn decline_fail_and_withdraw_close_the_case_with_what_they_require() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let declined = new_case(&mut app, m, "2026-11-02").await;
        app.post_ok(
            &format!("/cases/{declined}/decline"),
            &[("on", "2026-11-03"), ("reason", "被申请人拒绝调解")],
        )
        .await;
        assert_eq!(status(&app, declined).await, "declined");
        let page = app.get(&format!("/cases/{declined}")).await;
        assert_eq!(page.text("#close-reason"), "被申请人拒绝调解");
        assert_eq!(audits(&app, "case", "decline", declined).await, 1);

        let failed = new_case(&mut app, m, "2026-11-02").await;
        app.accept(failed, "2026-11-03").await;
        let routes = [("on", "2026-11-25"), ("routes", "court"), ("routes", "arbitration")];
        app.post_ok(&format!("/cases/{failed}/fail"), &routes).await;
        let (st, routes, closed): (String, String, chrono::NaiveDate) = accord::on_db!(app.pool, |e| sqlx::query_as(
            "SELECT status, routes_informed, closed_on FROM cases WHERE id = $1"
        )
        .bind(failed)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(
            (st.as_str(), routes.as_str(), closed.to_string().as_str()),
            ("failed", "arbitration,court", "2026-11-25")
        );
        let page = app.get(&format!("/cases/{failed}")).await;
        assert_eq!(page.text("#routes"), "申请仲裁、向人民法院起诉");
        assert_eq!(audits(&app, "case", "fail", failed).await, 1);

        let withdrawn = new_case(&mut app, m, "2026-11-02").await;
        app.accept(withdrawn, "2026-11-03").await;
        app.post_ok(
            &format!("/cases/{withdrawn}/withdraw"),
            &[("on", "2026-11-04"), ("reason", "双方自行和解")],
        )
        .await;
        assert_eq!(status(&app, withdrawn).await, "withdrawn");
        assert_eq!(audits(&app, "case", "withdraw", withdrawn).await, 1);
    })
    .await;
}

#[tokio::test]
async fn every_illegal_transition_is_refused_with_a_clear_message_and_nothing_written() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let mid = m.to_string();
        let registered = new_case(&mut app, m, "2026-11-02").await;
        let in_mediation = new_case(&mut app, m, "2026-11-02").await;
        app.accept(in_mediation, "2026-11-03").await;
        let settled = new_case(&mut app, m, "2026-11-02").await;
        app.accept(settled, "2026-11-03").await;
        app.settle(settled, "2026-11-20", "2026-12-31").await;
        let failed = new_case(&mut app, m, "2026-11-02").await;
        app.accept(failed, "2026-11-03").await;
        app.post_ok(
            &format!("/cases/{failed}/fail"),
            &[("on", "2026-11-20"), ("routes", "court")],
        )
        .await;
        let withdrawn = new_case(&mut app, m, "2026-11-02").await;
        app.accept(withdrawn, "2026-11-03").await;
        app.post_ok(
            &format!("/cases/{withdrawn}/withdraw"),
            &[("on", "2026-11-20"), ("reason", "撤回")],
        )
        .await;
        let declined = new_case(&mut app, m, "2026-11-02").await;
        app.post_ok(
            &format!("/cases/{declined}/decline"),
            &[("on", "2026-11-20"), ("reason", "拒绝")],
        )
        .await;

        let illegal: [(i64, &str, &[&str]); 6] = [
            (
                registered,
                "已登记",
                &[
                    "settle",
                    "fail",
                    "withdraw",
                    "archive",
                    "fulfilment",
                    "judicial",
                    "visits",
                    "sessions",
                ],
            ),
            (
                in_mediation,
                "调解中",
                &["accept", "decline", "archive", "fulfilment", "judicial", "visits"],
            ),
            (
                settled,
                "调解成功",
                &["accept", "decline", "settle", "fail", "withdraw"],
            ),
            (
                failed,
                "调解不成",
                &[
                    "accept",
                    "decline",
                    "settle",
                    "fail",
                    "withdraw",
                    "fulfilment",
                    "judicial",
                    "visits",
                ],
            ),
            (
                withdrawn,
                "撤回",
                &[
                    "accept",
                    "decline",
                    "settle",
                    "fail",
                    "withdraw",
                    "fulfilment",
                    "judicial",
                    "visits",
                ],
            ),
            (
                declined,
                "不予受理",
                &[
                    "accept",
                    "decline",
                    "settle",
                    "fail",
                    "withdraw",
                    "fulfilment",
                    "judicial",
                    "visits",
                    "sessions",
                ],
            ),
        ];
        for (id, label, actions) in illegal {
            let before_status = status(&app, id).await;
            let before_audit = app
                .count(&format!("SELECT COUNT(*) FROM audit_log WHERE case_id = {id}"))
                .await;
            for action in actions {
                let form = valid_form(action, &mid);
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let page = app.post(&format!("/cases/{id}/{action}"), &pairs).await;
                assert_eq!(page.status, StatusCode::CONFLICT, "{action} on {label}: {}", page.body);
                assert_eq!(
                    page.text("#refusal"),
                    "当前状态的案件不能执行此操作。",
                    "{action} on {label}"
                );
                assert_eq!(page.text("#current-status"), label);
            }
            assert_eq!(status(&app, id).await, before_status);
            let after_audit = app
                .count(&format!("SELECT COUNT(*) FROM audit_log WHERE case_id = {id}"))
                .await;
            assert_eq!(after_audit, before_audit, "nothing written for {label}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM mediation_sessions").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM return_visits").await, 0);

        // The closing forms themselves are refused the same way.
        let page = app.get(&format!("/cases/{registered}/close?outcome=settled")).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        let page = app.get(&format!("/cases/{in_mediation}/close?outcome=declined")).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        let page = app
            .get(&format!("/cases/{in_mediation}/close?outcome=registered"))
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn closing_requirements_are_checked_and_a_refused_form_keeps_its_input_with_422() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.accept(id, "2026-11-05").await;
        let audit_before = app.count("SELECT COUNT(*) FROM audit_log").await;

        let form = app.get(&format!("/cases/{id}/close?outcome=settled")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.attrs("input[name=on]", "value"), vec!["2026-11-28"]);

        let page = app
            .post(
                &format!("/cases/{id}/settle"),
                &[
                    ("on", "2026-11-20"),
                    ("amount_agreed", "八千"),
                    ("agreement_terms", "  "),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has(".error-message"));
        for field in [
            "agreement_type",
            "amount_agreed",
            "agreement_on",
            "performance_due",
            "agreement_terms",
        ] {
            assert!(page.has(&format!("#{field}-error")), "no error at {field}");
        }
        assert_eq!(page.attrs("input[name=amount_agreed]", "value"), vec!["八千"]);
        assert_eq!(page.attrs("input[name=on]", "value"), vec!["2026-11-20"]);

        let page = app
            .post(
                &format!("/cases/{id}/settle"),
                &[
                    ("on", "2026-11-20"),
                    ("agreement_type", "written"),
                    ("amount_agreed", "100"),
                    ("agreement_on", "2026-11-21"),
                    ("performance_due", "2026-11-19"),
                    ("agreement_terms", "条款"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#agreement_on-error"), "不能晚于结案日期。");
        assert_eq!(page.text("#performance_due-error"), "不能早于协议生效日期。");

        let page = app.post(&format!("/cases/{id}/fail"), &[("on", "2026-11-20")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#routes-error"), "请至少选择一种已告知当事人的途径。");

        let page = app
            .post(
                &format!("/cases/{id}/withdraw"),
                &[("on", "2026-11-20"), ("reason", " ")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#reason-error"), "必填。");

        let page = app
            .post(
                &format!("/cases/{id}/withdraw"),
                &[("on", "2026-11-04"), ("reason", "撤回")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#on-error"), "不能早于受理日期。");

        assert_eq!(status(&app, id).await, "in_mediation");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit_before);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM cases WHERE id = {id} AND closed_on IS NULL"
            ))
            .await,
            1
        );

        let other = new_case(&mut app, m, "2026-11-10").await;
        let page = app
            .post(&format!("/cases/{other}/accept"), &[("on", "2026-11-09")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#on-error"), "不能早于登记日期。");
        let page = app
            .post(&format!("/cases/{other}/decline"), &[("on", "2026-11-20")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#reason-error"), "必填。");
        assert_eq!(status(&app, other).await, "registered");
    })
    .await;
}

#[tokio::test]
async fn secretaries_cannot_act_and_other_mediators_cannot_see() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.add_user("sec", Role::Secretary).await;
        app.add_user("wang", Role::Mediator).await;
        app.login("sec").await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert!(!page.has("#workflow-actions form"));
        let page = app.post(&format!("/cases/{id}/accept"), &[("on", "2026-11-05")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        app.login("wang").await;
        let page = app.post(&format!("/cases/{id}/accept"), &[("on", "2026-11-05")]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(status(&app, id).await, "registered");
    })
    .await;
}
