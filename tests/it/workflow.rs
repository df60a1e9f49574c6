//! The mediation workflow: transitions, closing, sessions, the printable
//! agreement, follow-up, deadlines, archive and "my work".

mod deadlines;
mod records;
mod transitions;

use crate::common::{TestApp, case_form};
use axum::http::StatusCode;
use chrono::NaiveDate;

use accord::domain::Role;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// An app on 2026-11-28 with mediator `li` signed in; returns li's mediator id.
async fn setup() -> (TestApp, i64) {
    let mut app = TestApp::new().await;
    app.add_user("li", Role::Mediator).await;
    app.login("li").await;
    let m = app.mediator_of("li").await;
    (app, m)
}

async fn new_case(app: &mut TestApp, m: i64, received_on: &str) -> i64 {
    app.create_case(&case_form(m, &[("received_on", received_on)])).await
}

/// Posts and expects the redirect of a success.
async fn post_ok(app: &mut TestApp, path: &str, pairs: &[(&str, &str)]) {
    let page = app.post(path, pairs).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "POST {path} failed: {}", page.body);
}

async fn accept(app: &mut TestApp, id: i64, on: &str) {
    post_ok(app, &format!("/cases/{id}/accept"), &[("on", on)]).await;
}

/// A complete written settlement closed and agreed on `on`, to perform by `due`.
async fn settle(app: &mut TestApp, id: i64, on: &str, due: &str) {
    let pairs = [
        ("on", on),
        ("agreement_type", "written"),
        ("amount_agreed", "8,000"),
        ("agreement_on", on),
        ("performance_due", due),
        (
            "agreement_terms",
            "被申请人于履行期限前一次性支付物业费8000元。\n申请人减免滞纳金。",
        ),
    ];
    post_ok(app, &format!("/cases/{id}/settle"), &pairs).await;
}

async fn status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM cases WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn case_no(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT case_no FROM cases WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn audits(app: &TestApp, entity: &str, action: &str, case_id: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE entity = '{entity}' AND action = '{action}' AND case_id = {case_id}"
    ))
    .await
}

/// A complete, valid form for every action, so that only the transition
/// table can refuse it.
fn valid_form(action: &str, m: &str) -> Vec<(&'static str, String)> {
    let s = |v: &str| v.to_string();
    match action {
        "accept" => vec![("on", s("2026-11-28"))],
        "decline" | "withdraw" => vec![("on", s("2026-11-28")), ("reason", s("理由"))],
        "fail" => vec![("on", s("2026-11-28")), ("routes", s("court"))],
        "settle" => vec![
            ("on", s("2026-11-28")),
            ("agreement_type", s("written")),
            ("amount_agreed", s("100")),
            ("agreement_on", s("2026-11-28")),
            ("performance_due", s("2026-12-31")),
            ("agreement_terms", s("条款")),
        ],
        "archive" => vec![],
        "fulfilment" => vec![("fulfilment", s("fulfilled"))],
        "judicial" => vec![("judicial", s("applied")), ("judicial_applied_on", s("2026-11-28"))],
        "visits" => vec![
            ("visited_on", s("2026-11-28")),
            ("visitor", s("李")),
            ("performance", s("fulfilled")),
            ("satisfaction", s("satisfied")),
        ],
        "sessions" => vec![
            ("held_on", s("2026-11-28")),
            ("form", s("on_site")),
            ("mediators", s(m)),
        ],
        _ => unreachable!(),
    }
}
