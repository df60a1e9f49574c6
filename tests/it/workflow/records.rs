//! Sessions, the printed agreement, follow-up, and the archive that ends it.

use axum::http::StatusCode;

use super::*;

#[tokio::test]
async fn sessions_are_added_edited_and_shown_in_date_order() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.accept(id, "2026-11-05").await;
        let mid = m.to_string();
        let form = app.get(&format!("/cases/{id}/sessions/new")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.attrs("input[name=mediators][checked]", "value"), vec![mid.clone()]);

        let later = [
            ("held_on", "2026-11-20"),
            ("form", "online"),
            ("mediators", mid.as_str()),
            ("notes", "第二次调解。"),
        ];
        app.post_ok(&format!("/cases/{id}/sessions"), &later).await;
        let earlier = [
            ("held_on", "2026/11/10"),
            ("form", "on_site"),
            ("mediators", mid.as_str()),
            ("notes", "双方到场。\r\n申请人陈述诉求。"),
        ];
        app.post_ok(&format!("/cases/{id}/sessions"), &earlier).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts(".session .held-on"), vec!["2026-11-10", "2026-11-20"]);
        assert_eq!(page.texts(".session .session-form"), vec!["现场", "线上"]);
        assert_eq!(page.text(".session .notes"), "双方到场。\n申请人陈述诉求。");
        assert_eq!(page.text(".session .session-mediators"), "li");

        let sid: i64 = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT id FROM mediation_sessions WHERE held_on = '2026-11-10'"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        let edit = app.get(&format!("/cases/{id}/sessions/{sid}/edit")).await;
        assert_eq!(edit.attrs("input[name=held_on]", "value"), vec!["2026-11-10"]);
        let changed = [
            ("held_on", "2026-11-10"),
            ("form", "phone"),
            ("mediators", mid.as_str()),
            ("notes", "电话沟通。"),
            ("reason", "调解形式记错了"),
        ];
        app.post_ok(&format!("/cases/{id}/sessions/{sid}"), &changed).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts(".session .session-form"), vec!["电话", "线上"]);
        assert_eq!(audits(&app, "session", "create", id).await, 2);
        assert_eq!(audits(&app, "session", "update", id).await, 1);

        // A bad session: nothing written, the form again with its errors.
        let bad = [("held_on", "2026-11-04"), ("form", "on_site"), ("notes", "保留的笔录")];
        let page = app.post(&format!("/cases/{id}/sessions"), &bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#held_on-error"), "不能早于受理日期。");
        assert!(page.has("#mediators-error"));
        assert_eq!(page.text("textarea[name=notes]"), "保留的笔录");
        assert_eq!(app.count("SELECT COUNT(*) FROM mediation_sessions").await, 2);

        // A session belongs to its case.
        let other = new_case(&mut app, m, "2026-11-02").await;
        app.accept(other, "2026-11-05").await;
        let page = app.get(&format!("/cases/{other}/sessions/{sid}/edit")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_printed_agreement_names_every_party_and_the_terms_without_phone_numbers() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let form = case_form(
            m,
            &[
                ("respondent_type", "owner"),
                ("respondent_name", "张三"),
                ("respondent_phone", "13812341234"),
                ("respondent_type", "occupant"),
                ("respondent_name", "李四"),
                ("respondent_phone", "13987654321"),
            ],
        );
        let id = app.create_case(&form).await;
        let page = app.get(&format!("/cases/{id}/agreement")).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "no agreement before settling");
        assert_eq!(page.text("#refusal"), "本案尚未调解成功,没有可打印的调解协议。");
        app.accept(id, "2026-11-05").await;
        app.settle(id, "2026-11-20", "2026-12-31").await;

        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            page.attrs("#print-agreement", "href"),
            vec![format!("/cases/{id}/agreement")]
        );
        let doc = app.get(&format!("/cases/{id}/agreement")).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.text(".doc-title"), "人民调解协议书");
        assert_eq!(doc.text("#association"), "北京物业管理行业协会调解委员会");
        assert_eq!(doc.text("#case-no"), case_no(&app, id).await);
        assert_eq!(
            doc.texts(".doc-party"),
            vec![
                "申请人:北京某物业服务有限公司(物业服务企业)",
                "被申请人:张三(业主)",
                "被申请人:李四(物业使用人)"
            ]
        );
        assert!(doc.text("#facts").contains("业主拖欠物业费两年"));
        assert!(doc.text("#terms").contains("一次性支付物业费8000元"));
        assert_eq!(doc.text("#doc-due"), "2026年12月31日");
        assert!(doc.text("#copies").starts_with("本协议一式四份"));
        assert_eq!(doc.texts(".party-sign").len(), 3);
        assert_eq!(doc.texts(".mediator-sign").len(), 1);
        assert!(doc.has("#seal"));
        for phone in ["13812341234", "13987654321", "62345678", "13800000000", "****"] {
            assert!(!doc.body.contains(phone), "the agreement shows {phone}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_oral_agreement_prints_the_oral_agreement_record() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.accept(id, "2026-11-05").await;
        let pairs = [
            ("on", "2026-11-20"),
            ("agreement_type", "oral"),
            ("amount_agreed", "0"),
            ("agreement_on", "2026-11-20"),
            ("performance_due", "2026-11-30"),
            ("agreement_terms", "物业公司三日内修复漏水。"),
        ];
        app.post_ok(&format!("/cases/{id}/settle"), &pairs).await;
        let doc = app.get(&format!("/cases/{id}/agreement")).await;
        assert!(doc.text(".doc-title").contains("口头协议登记"));
        assert!(doc.text("#terms").contains("修复漏水"));
        assert!(!doc.has("#copies"));
        assert_eq!(doc.texts(".mediator-sign").len(), 1);
        assert!(!doc.body.contains("13812341234"));
    })
    .await;
}

#[tokio::test]
async fn follow_up_records_fulfilment_judicial_confirmation_and_return_visits() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.accept(id, "2026-11-05").await;
        app.settle(id, "2026-11-20", "2026-12-31").await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#judicial-deadline"), "2026-12-20");

        app.post_ok(&format!("/cases/{id}/fulfilment"), &[("fulfilment", "partial")])
            .await;
        let page = app
            .post(&format!("/cases/{id}/judicial"), &[("judicial", "applied")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#judicial_applied_on-error"), "必填。");
        app.post_ok(
            &format!("/cases/{id}/judicial"),
            &[("judicial", "applied"), ("judicial_applied_on", "2026-11-25")],
        )
        .await;
        let visit = [
            ("visited_on", "2026-11-27"),
            ("visitor", "李调解员"),
            ("performance", "fulfilled"),
            ("satisfaction", "basically_satisfied"),
            ("notes", "款项已付清。"),
        ];
        app.post_ok(&format!("/cases/{id}/visits"), &visit).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            page.text("#current-fulfilment"),
            "已履行",
            "the visit's finding becomes the fulfilment"
        );
        assert_eq!(page.text("#current-judicial"), "已申请 (申请日期 2026-11-25)");
        assert_eq!(
            page.texts("#visits tr.visit td:not(.record-actions)"),
            vec!["2026-11-27", "李调解员", "已履行", "基本满意", "款项已付清。"]
        );
        assert_eq!(audits(&app, "case", "fulfilment", id).await, 2);
        assert_eq!(audits(&app, "case", "judicial", id).await, 1);
        assert_eq!(audits(&app, "visit", "create", id).await, 1);

        let bad = [
            ("visited_on", "2026-11-19"),
            ("visitor", ""),
            ("performance", "fulfilled"),
            ("satisfaction", ""),
        ];
        let page = app.post(&format!("/cases/{id}/visits"), &bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#visited_on-error"), "不能早于协议生效日期。");
        assert!(page.has("#visitor-error") && page.has("#satisfaction-error"));
        assert_eq!(app.count("SELECT COUNT(*) FROM return_visits").await, 1);
    })
    .await;
}

#[tokio::test]
async fn an_archived_case_refuses_every_change_except_return_visits() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = new_case(&mut app, m, "2026-11-02").await;
        app.accept(id, "2026-11-05").await;
        app.post_ok(
            &format!("/cases/{id}/sessions"),
            &[
                ("held_on", "2026-11-06"),
                ("form", "phone"),
                ("mediators", &m.to_string()),
            ],
        )
        .await;
        app.settle(id, "2026-11-20", "2026-12-31").await;
        app.post_ok(&format!("/cases/{id}/archive"), &[]).await;
        let sid: i64 = accord::on_db!(app.pool, |e| sqlx::query_scalar("SELECT id FROM mediation_sessions")
            .fetch_one(e)
            .await)
        .unwrap();

        let page = app.get(&format!("/cases/{id}")).await;
        assert!(!page.has(&format!("a[href='/cases/{id}/edit']")), "no edit button");
        assert!(!page.has(".edit-session") && !page.has("#fulfilment-form") && !page.has("#archive"));
        assert!(page.has("#visit-form"));

        let audit_before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let page = app.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.text("#refusal").contains("已归档"));
        let form = case_form(m, &[("summary", "改过的概要")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let mid = m.to_string();
        for (path, action) in [
            ("fulfilment", "fulfilment"),
            ("judicial", "judicial"),
            ("archive", "archive"),
            ("sessions", "sessions"),
            ("settle", "settle"),
        ] {
            let form = valid_form(action, &mid);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = app.post(&format!("/cases/{id}/{path}"), &pairs).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
            assert!(page.text("#refusal").contains("已归档"), "{path}");
        }
        for path in [
            format!("/cases/{id}/sessions/new"),
            format!("/cases/{id}/sessions/{sid}/edit"),
        ] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let changed = [
            ("held_on", "2026-11-07"),
            ("form", "online"),
            ("mediators", mid.as_str()),
        ];
        let page = app.post(&format!("/cases/{id}/sessions/{sid}"), &changed).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit_before);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM cases WHERE summary = '改过的概要'")
                .await,
            0
        );

        let form = valid_form("visits", &mid);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_ok(&format!("/cases/{id}/visits"), &pairs).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM return_visits").await, 1);
        // The agreement of an archived case can still be printed.
        assert_eq!(app.get(&format!("/cases/{id}/agreement")).await.status, StatusCode::OK);
    })
    .await;
}
