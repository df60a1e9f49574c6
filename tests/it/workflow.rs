//! The mediation workflow: transitions, closing, sessions, the printable
//! agreement, follow-up, deadlines, archive and "my work".

mod deadlines;
mod records;
mod transitions;

use crate::common::{TestApp, case_form, day};

use accord::domain::Role;

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

async fn status(app: &TestApp, id: i64) -> String {
    accord::on_db!(app.pool, |e| sqlx::query_scalar(
        "SELECT status FROM cases WHERE id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await)
    .unwrap()
}

async fn case_no(app: &TestApp, id: i64) -> String {
    accord::on_db!(app.pool, |e| sqlx::query_scalar(
        "SELECT case_no FROM cases WHERE id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await)
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
