//! Cases through the API: the same scope, rules, audit and list as the pages.

use axum::http::StatusCode;
use serde_json::{Value, json as j};

use accord::domain::Role;
use accord::domain::token::TokenScope;

use super::{Call, case_body, json, token};
use crate::common::{TestApp, case_form};

#[tokio::test]
async fn a_referral_created_through_the_api_shows_on_the_web_list_and_in_the_audit() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let mediator = app.add_mediator("林杰").await;
        let t = token(&app, "boss", TokenScope::Write).await;
        let page = Call::send("POST", "/api/v1/cases", &t, case_body(mediator))
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
        let created = json(&page);
        let id = created["id"].as_i64().unwrap();
        assert_eq!(page.location.as_deref(), Some(format!("/api/v1/cases/{id}").as_str()));
        let case_no = created["case_no"].as_str().unwrap().to_string();
        assert!(case_no.starts_with("物调〔2026〕"), "{case_no}");
        let list = app.get("/cases").await;
        assert!(list.body.contains(&case_no), "the web list shows it");
        let shown = app.get(&format!("/cases/{id}")).await;
        assert!(shown.body.contains("法院委托小区"));
        let by_boss = app
            .count("SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.entity = 'case' AND a.action = 'create' AND u.username = 'boss'")
            .await;
        assert_eq!(by_boss, 1, "the audit names the token's user");
        // Money as strings with two decimals, dates ISO, codes as codes.
        let page = Call::get(&format!("/api/v1/cases/{id}"), &t).on(&mut app.client()).await;
        let case = json(&page);
        assert_eq!(case["amount_claimed"], "1361000.00");
        assert_eq!(case["received_on"], "2026-11-20");
        assert_eq!(case["source"], "court_referral");
        assert_eq!(case["status"], "registered");
        assert_eq!(case["respondents"][0]["name"], "王五");
        let page = Call::get("/api/v1/cases", &t).on(&mut app.client()).await;
        assert_eq!(json(&page)["cases"][0]["amount_claimed"], "1361000.00");
        // An edit through PUT goes through the same rules.
        let mut edited = case_body(mediator);
        edited["amount_claimed"] = j!("800");
        edited["project"] = j!("改名小区");
        let page = Call::send("PUT", &format!("/api/v1/cases/{id}"), &t, edited)
            .on(&mut app.client())
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["amount_claimed"], "800.00");
        assert_eq!(json(&page)["project"], "改名小区");
    })
    .await;
}

#[tokio::test]
async fn an_invalid_body_is_a_422_problem_with_field_errors_in_each_language_and_nothing_is_written() {
    crate::common::both(async || {
        let app = crate::common::admin_app().await;
        let mediator = app.add_mediator("林杰").await;
        let t = token(&app, "boss", TokenScope::Write).await;
        let mut bad = case_body(mediator);
        bad["received_on"] = j!("2099-01-01");
        bad["amount_claimed"] = j!("十块");
        bad["respondents"][0]["phone"] = j!("123");
        bad["category"] = j!("nope");
        let mut messages = Vec::new();
        for lang in ["zh-CN,zh;q=0.9", "en-US,en;q=0.8"] {
            let mut call = Call::send("POST", "/api/v1/cases", &t, bad.clone());
            call.lang = Some(lang);
            let page = call.on(&mut app.client()).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
            assert_eq!(page.content_type.as_deref(), Some("application/problem+json"));
            let problem = json(&page);
            assert_eq!(problem["status"], 422);
            let errors = problem["errors"].as_array().unwrap();
            let field = |name: &str| {
                errors
                    .iter()
                    .find(|e| e["field"] == name)
                    .unwrap_or_else(|| panic!("no error on {name}: {errors:?}"))["message"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            messages.push((
                field("received_on"),
                field("amount_claimed"),
                field("respondents[0].phone"),
                field("category"),
            ));
        }
        assert_eq!(messages[0].0, "日期不能晚于今天。");
        assert_eq!(messages[1].0, "The date cannot be after today.");
        assert_eq!(messages[1].2, "Not a mainland mobile or landline number.");
        assert!(messages[0].1.contains("不是有效金额"));
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM parties").await, 0);
        // Not JSON, or an amount as a number: a 400 problem, not a 500.
        for body in ["{not json", r#"{"amount_claimed": 12.5}"#] {
            let mut req = axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/cases")
                .header("authorization", format!("Bearer {t}"))
                .header("accept-language", "en");
            req = req.header("content-type", "application/json");
            let page = app
                .client()
                .request(req.body(axum::body::Body::from(body)).unwrap())
                .await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(json(&page)["title"], "Bad request");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
    })
    .await;
}

/// Two mediators and committee B, each with one case of their own.
async fn three_worlds() -> (TestApp, i64, i64) {
    let app = TestApp::new().await;
    app.add_user("own", Role::Mediator).await;
    app.add_user("other", Role::Mediator).await;
    app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
    app.add_user_in(3, "boss_b", Role::Admin).await;
    let mut own = app.client();
    own.login("own").await;
    let m = app.mediator_of("own").await;
    let own_case = own.create_case(&case_form(m, &[])).await;
    let mut other = app.client();
    other.login("other").await;
    let m = app.mediator_of("other").await;
    let other_case = other.create_case(&case_form(m, &[("project", "别人的小区")])).await;
    (app, own_case, other_case)
}

#[tokio::test]
async fn a_mediators_token_sees_only_their_cases_and_committee_b_sees_none_of_as() {
    crate::common::both(async || {
        let (app, own_case, other_case) = three_worlds().await;
        let t = token(&app, "own", TokenScope::Write).await;
        let mut c = app.client();
        let page = Call::get("/api/v1/cases", &t).on(&mut c).await;
        let ids: Vec<i64> = json(&page)["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [own_case]);
        assert_eq!(
            Call::get(&format!("/api/v1/cases/{own_case}"), &t)
                .on(&mut c)
                .await
                .status,
            StatusCode::OK
        );
        let page = Call::get(&format!("/api/v1/cases/{other_case}"), &t).on(&mut c).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(json(&page)["type"], "/api/docs#problem-not-found");
        let m = app.mediator_of("own").await;
        let path = format!("/api/v1/cases/{other_case}");
        let put = Call::send("PUT", &path, &t, case_body(m));
        assert_eq!(put.on(&mut c).await.status, StatusCode::NOT_FOUND);
        assert!(
            app.sql_text("SELECT project FROM cases WHERE project = '别人的小区'")
                .await
                .is_some()
        );
        let b = token(&app, "boss_b", TokenScope::Write).await;
        for id in [own_case, other_case] {
            let page = Call::get(&format!("/api/v1/cases/{id}"), &b).on(&mut c).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "committee B reads case {id}");
        }
        let page = Call::get("/api/v1/cases?q=%E5%BC%A0%E4%B8%89", &b).on(&mut c).await;
        assert_eq!(json(&page)["cases"], Value::Array(vec![]));
        let page = Call::get("/api/v1/reference", &b).on(&mut c).await;
        assert_eq!(
            json(&page)["mediators"],
            Value::Array(vec![]),
            "committee B has no mediator"
        );
    })
    .await;
}

#[tokio::test]
async fn cursor_paging_returns_every_case_once_even_with_inserts_between_pages() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let m = app.add_mediator("林杰").await;
        for day in 1..=7 {
            let on = format!("2026-11-{day:02}");
            app.create_case(&case_form(m, &[("received_on", on.as_str())])).await;
        }
        // Two on the same day: the id breaks the tie.
        app.create_case(&case_form(m, &[("received_on", "2026-11-04")])).await;
        let t = token(&app, "boss", TokenScope::Read).await;
        let mut seen: Vec<i64> = Vec::new();
        let mut path = "/api/v1/cases?limit=3".to_string();
        let mut pages = 0;
        loop {
            let page = Call::get(&path, &t).on(&mut app.client()).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let body = json(&page);
            seen.extend(
                body["cases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_i64().unwrap()),
            );
            pages += 1;
            // Cases registered between pages: newer ones, and one older than any seen.
            let newer = format!("2026-11-{:02}", 20 + pages);
            app.create_case(&case_form(m, &[("received_on", newer.as_str())])).await;
            match body["next"].as_str() {
                Some(next) => path = next.to_string(),
                None => break,
            }
            if pages == 1 {
                app.create_case(&case_form(m, &[("received_on", "2026-10-01")])).await;
            }
        }
        let original = app
            .count("SELECT COUNT(*) FROM cases WHERE received_on BETWEEN '2026-11-01' AND '2026-11-07'")
            .await;
        assert_eq!(original, 8);
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "no case twice: {seen:?}");
        // Every case that was there at the start, and the older one added, once.
        assert_eq!(seen.len(), 9, "{seen:?}");
        let bad = Call::get("/api/v1/cases?cursor=%21%21&limit=1000", &t)
            .on(&mut app.client())
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json(&bad);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["limit", "cursor"]);
    })
    .await;
}

#[tokio::test]
async fn stats_give_the_dashboards_figures_with_money_as_strings() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let m = app.add_mediator("林杰").await;
        app.create_case(&case_form(m, &[("amount_claimed", "1,361,000")])).await;
        let t = token(&app, "boss", TokenScope::Read).await;
        let page = Call::get("/api/v1/stats?year=2026", &t).on(&mut app.client()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let s = json(&page);
        assert_eq!(s["totals"]["cases_total"], 1);
        assert_eq!(s["totals"]["amount_claimed"], "1361000.00");
        assert_eq!(s["totals"]["success_rate"], Value::Null);
        assert_eq!(s["from"], "2026-01-01");
        assert_eq!(s["by_category"][0]["key"], "fees");
        let bad = Call::get("/api/v1/stats?year=abc", &t).on(&mut app.client()).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let refs = json(&Call::get("/api/v1/reference", &t).on(&mut app.client()).await);
        assert!(
            refs["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == "fees")
        );
        assert_eq!(refs["mediators"][0]["id"], m);
    })
    .await;
}
