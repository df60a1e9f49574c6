//! A body over the limit sent to the API: 413 as a problem, in the
//! client's language, whether its length is declared or only found out
//! while reading it; nothing written.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use accord::domain::token::TokenScope;

use super::{json, token};

/// A JSON body a little over the 2 MiB limit.
fn big_body() -> String {
    let summary = "长".repeat(800_000);
    serde_json::json!({ "summary": summary }).to_string()
}

#[tokio::test]
async fn a_body_over_the_limit_answers_413_as_a_problem_and_writes_nothing() {
    crate::common::both(async || {
        let app = crate::common::admin_app().await;
        let t = token(&app, "boss", TokenScope::Write).await;
        let body = big_body();
        assert!(body.len() > accord::web::BODY_LIMIT);
        for (declared, lang) in [(true, "en"), (false, "zh-CN")] {
            let mut b = Request::builder()
                .method("POST")
                .uri("/api/v1/cases")
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, lang);
            let body = if declared {
                b = b.header(header::CONTENT_LENGTH, body.len());
                Body::from(body.clone())
            } else {
                // No length declared: the limit is met while reading.
                let chunks = body
                    .as_bytes()
                    .chunks(64 * 1024)
                    .map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(c)))
                    .collect::<Vec<_>>();
                Body::from_stream(futures_util::stream::iter(chunks))
            };
            let page = app.client().request(b.body(body).unwrap()).await;
            assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "declared: {declared}");
            assert_eq!(
                page.content_type.as_deref(),
                Some("application/problem+json"),
                "declared: {declared}"
            );
            let problem = json(&page);
            assert_eq!(problem["type"], "/api/docs#problem-too-large");
            assert_eq!(problem["status"], 413);
            let detail = problem["detail"].as_str().unwrap();
            assert!(detail.contains("2097152"), "{detail}");
            if lang == "en" {
                assert_eq!(problem["title"], "Request body too large");
            } else {
                assert_eq!(problem["title"], "请求体过大");
            }
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
        // The pages keep their plain answer; the documentation lists the problem.
        let docs = app.client().get("/api/docs").await;
        assert!(docs.has("#problem-too-large"));
    })
    .await;
}
