//! The workflow through the API: sessions, visits and status actions, with
//! the pages' rules and transition table.

use axum::http::StatusCode;
use serde_json::json as j;

use accord::domain::token::TokenScope;

use super::{Call, json, token};
use crate::common::case_form;

#[tokio::test]
async fn a_session_is_recorded_through_the_api_only_when_the_case_is_in_mediation() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let m = app.add_mediator("林杰").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let t = token(&app, "boss", TokenScope::Write).await;
        let path = format!("/api/v1/cases/{id}/sessions");
        let session = j!({"held_on": "2026-11-10", "form": "on_site", "mediators": [m], "notes": "首次调解"});
        // Registered, not yet accepted: the transition table says no.
        let page = Call::send("POST", &path, &t, session.clone()).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
        app.accept(id, "2026-11-05").await;
        let mut bad = session.clone();
        bad["form"] = j!("by_pigeon");
        let page = Call::send("POST", &path, &t, bad).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(&page)["errors"][0]["field"], "form");
        let page = Call::send("POST", &path, &t, session).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM mediation_sessions").await, 1);
        let shown = app.get(&format!("/cases/{id}")).await;
        assert!(shown.body.contains("首次调解"), "the case page shows it");
        let visit = j!({"visited_on": "2026-11-12", "visitor": "林杰", "performance": "fulfilled", "satisfaction": "satisfied"});
        let page = Call::send("POST", &format!("/api/v1/cases/{id}/visits"), &t, visit)
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::CONFLICT, "a case in mediation takes no visit: {}", page.body);
    })
    .await;
}

#[tokio::test]
async fn a_case_is_accepted_and_settled_through_the_api_with_the_closing_rules() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let m = app.add_mediator("林杰").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let t = token(&app, "boss", TokenScope::Write).await;
        let act = |a: &str| format!("/api/v1/cases/{id}/actions/{a}");
        let page = Call::send("POST", &act("accept"), &t, j!({"on": "2026-11-05"}))
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["status"], "in_mediation");
        assert_eq!(json(&page)["accepted_on"], "2026-11-05");
        let settle = j!({
            "on": "2026-11-20", "agreement_type": "written", "amount_agreed": "12000",
            "agreement_on": "2026-11-20", "performance_due": "2026-12-20", "agreement_terms": "分期支付。"
        });
        let mut early = settle.clone();
        early["on"] = j!("2026-11-01");
        let page = Call::send("POST", &act("settle"), &t, early)
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(
            app.sql_text("SELECT status FROM cases").await.as_deref(),
            Some("in_mediation")
        );
        let page = Call::send("POST", &act("settle"), &t, settle)
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["status"], "settled");
        assert_eq!(json(&page)["amount_agreed"], "12000.00");
        let page = Call::send("POST", &act("accept"), &t, j!({"on": "2026-11-21"}))
            .on(&mut app.client())
            .await;
        assert_eq!(
            page.status,
            StatusCode::CONFLICT,
            "a settled case is not accepted again"
        );
        let page = Call::send("POST", &act("void"), &t, j!({})).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "corrections stay on the case page");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settle'")
                .await,
            1
        );
    })
    .await;
}
