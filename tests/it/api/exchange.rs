//! Issue 16: Accord Exchange v1 through the API: an admin's token exports
//! its committee's cases and imports a document, as `accord exchange` does.

use axum::http::StatusCode;
use serde_json::Value;

use super::{Call, case_body, json, token};
use crate::common::{TestApp, admin_app};
use accord::domain::Role;
use accord::domain::token::TokenScope;

/// Two cases registered through the API by `boss`'s write token.
async fn with_cases(app: &mut TestApp) -> String {
    app.add_user("own", Role::Mediator).await;
    let mediator = app.mediator_of("own").await;
    let write = token(app, "boss", TokenScope::Write).await;
    for _ in 0..2 {
        let made = Call::send("POST", "/api/v1/cases", &write, case_body(mediator))
            .on(app)
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    write
}

#[tokio::test]
async fn a_document_exported_through_the_api_imports_into_another_installation_once() {
    crate::common::both(async || {
        let mut a = admin_app().await;
        let read_a = {
            with_cases(&mut a).await;
            token(&a, "boss", TokenScope::Read).await
        };
        let out = Call::get("/api/v1/exchange", &read_a).on(&mut a).await;
        assert_eq!(out.status, StatusCode::OK, "{}", out.body);
        let doc = json(&out);
        assert_eq!(doc["format"], "accord-exchange");
        assert_eq!(doc["cases"].as_array().map(Vec::len), Some(2));
        assert_eq!(doc["cases"][0]["fields"]["amount_claimed"], "1361000.00");

        // Only an admin's token: a document holds whole cases.
        let own = token(&a, "own", TokenScope::Write).await;
        let refused = Call::get("/api/v1/exchange", &own).on(&mut a).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let mut b = admin_app().await;
        let write_b = token(&b, "boss", TokenScope::Write).await;
        let dry = Call::send("POST", "/api/v1/exchange?dry_run=true", &write_b, doc.clone())
            .on(&mut b)
            .await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        assert_eq!(json(&dry)["created"], 2);
        assert_eq!(
            b.count("SELECT COUNT(*) FROM cases").await,
            0,
            "a dry run writes nothing"
        );

        let first = Call::send("POST", "/api/v1/exchange", &write_b, doc.clone())
            .on(&mut b)
            .await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(json(&first)["created"], 2);
        let again = Call::send("POST", "/api/v1/exchange", &write_b, doc.clone())
            .on(&mut b)
            .await;
        assert_eq!(
            (json(&again)["created"].clone(), json(&again)["unchanged"].clone()),
            (Value::from(0), Value::from(2))
        );
        assert_eq!(b.count("SELECT COUNT(*) FROM cases").await, 2);

        // A read token imports nothing; a bad amount is a 422 naming the case and field.
        let read_b = token(&b, "boss", TokenScope::Read).await;
        let ro = Call::send("POST", "/api/v1/exchange", &read_b, doc.clone())
            .on(&mut b)
            .await;
        assert_eq!(ro.status, StatusCode::FORBIDDEN);
        let mut bad = doc.clone();
        bad["cases"][0]["fields"]["amount_claimed"] = Value::from("1,361,000");
        let mut en = Call::send("POST", "/api/v1/exchange", &write_b, bad);
        en.lang = Some("en");
        let refused = en.on(&mut b).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let problem = json(&refused);
        let errors = problem["errors"].as_array().cloned().unwrap_or_default();
        assert!(
            errors.iter().any(|e| e["field"] == "fields.amount_claimed"
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(doc["cases"][0]["uuid"].as_str().unwrap_or("?")))),
            "{problem}"
        );
        assert_eq!(b.count("SELECT COUNT(*) FROM cases").await, 2, "nothing written");
    })
    .await;
}
