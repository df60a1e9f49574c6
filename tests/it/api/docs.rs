//! The OpenAPI document and its page: generated, complete, public.

use axum::http::StatusCode;

use crate::common::TestApp;

#[tokio::test]
async fn openapi_json_parses_and_lists_every_api_route_the_router_has() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let page = app.client().get("/api/openapi.json").await;
        assert_eq!(page.status, StatusCode::OK);
        let doc = super::json(&page);
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        let api_routes: Vec<_> = accord::web::route_list()
            .into_iter()
            .filter(|(_, p)| p.starts_with("/api/v1/"))
            .collect();
        assert!(api_routes.len() >= 6, "{api_routes:?}");
        for (method, path) in &api_routes {
            let op = &doc["paths"][*path][method.to_lowercase()];
            assert!(op.is_object(), "{method} {path} is not in openapi.json");
            assert!(op["responses"].is_object(), "{method} {path} has no responses");
        }
        let mut documented = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented += 1;
                let route = (method.to_uppercase(), path.clone());
                assert!(
                    api_routes.iter().any(|(m, p)| (m.to_string(), p.to_string()) == route),
                    "{route:?} is documented but not routed"
                );
            }
        }
        assert_eq!(documented, api_routes.len());
        for schema in ["CaseBody", "CaseOut", "CasesPage", "Problem", "StatsOut", "Reference"] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
        }
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    })
    .await;
}

#[tokio::test]
async fn the_docs_page_renders_the_document_without_any_script_or_cdn() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        let page = app.client().get("/api/docs").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.has("section#post-\\/api\\/v1\\/cases") || page.body.contains("POST /api/v1/cases"));
        assert!(page.has("#schema-CaseBody"));
        assert!(page.has("#problem-validation"));
        assert!(!page.has("script"));
        assert!(!page.body.contains("https://"), "no asset from elsewhere");
        assert!(page.body.contains("received_on"));
    })
    .await;
}
