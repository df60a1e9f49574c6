//! Issue 10, "the first hour": words people see (no raw code anywhere in
//! history or the audit log), blank amounts, provisional rates, "—" where
//! there is nothing to divide, and the dashboard's links.

mod amounts;
mod stats;
mod words;

use axum::http::StatusCode;

use crate::common::TestApp;

async fn post_ok(app: &mut TestApp, path: &str, pairs: &[(&str, &str)]) {
    let page = app.post(path, pairs).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "POST {path} failed: {}", page.body);
}

/// Uploads a CSV file through the import form, wherever its token travels.
async fn import(app: &mut TestApp, bytes: &[u8]) -> crate::common::Page {
    let form = app.get("/import").await;
    let action = form
        .attrs("form[enctype='multipart/form-data']", "action")
        .pop()
        .expect("an upload form");
    let token = form.attrs("form[enctype='multipart/form-data'] input[name=csrf_token]", "value");
    let mut fields: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some("cases.csv"), bytes)];
    if let Some(t) = token.first() {
        fields.insert(0, ("csrf_token", None, t.as_bytes()));
    }
    app.post_multipart(&action, &fields).await
}
