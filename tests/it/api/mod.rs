//! Issue 16: the JSON API under `/api/v1`, its tokens, its problems and its
//! OpenAPI document, through the real router (and the real binary for
//! `accord token`).

mod cases;
mod docs;
mod exchange;
mod limits;
mod rollup;
mod tokens;
mod workflow;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;

use accord::domain::token::{Issue, TokenScope};
use accord::store::{tokens as store_tokens, users};

use crate::common::{Page, TestApp};

/// Issues a token to `username` through the store (as the users page does).
pub async fn token(app: &TestApp, username: &str, scope: TokenScope) -> String {
    let (user, _) = users::by_username(&app.pool, username).await.unwrap().unwrap();
    let request = Issue {
        scope,
        days: None,
        label: format!("{username} test"),
    };
    store_tokens::issue(&app.pool, None, None, user.id, &request)
        .await
        .unwrap()
        .1
}

/// One API request: a method, a path, maybe a token, a JSON body and a language.
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub body: Option<Value>,
    pub lang: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn get(path: &'a str, token: &'a str) -> Call<'a> {
        Call {
            method: "GET",
            path,
            token: Some(token),
            body: None,
            lang: None,
        }
    }

    pub fn send(method: &'a str, path: &'a str, token: &'a str, body: Value) -> Call<'a> {
        Call {
            method,
            path,
            token: Some(token),
            body: Some(body),
            lang: None,
        }
    }

    /// Sends it through `client` (whose session cookie, if any, goes along).
    pub async fn on(self, client: &mut TestApp) -> Page {
        let mut b = Request::builder().method(self.method).uri(self.path);
        if let Some(t) = self.token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(l) = self.lang {
            b = b.header(header::ACCEPT_LANGUAGE, l);
        }
        if let Some(session) = client.cookie("accord_session") {
            b = b.header(header::COOKIE, format!("accord_session={session}"));
        }
        let body = match self.body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        client.request(b.body(body).unwrap()).await
    }
}

/// The JSON of an answer.
pub fn json(page: &Page) -> Value {
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", page.body))
}

/// A valid case body for the given mediator.
pub fn case_body(mediator: i64) -> Value {
    serde_json::json!({
        "received_on": "2026-11-20",
        "source": "court_referral",
        "category": "fees",
        "project": "法院委托小区",
        "district": "chaoyang",
        "summary": "法院诉前委托调解:物业费纠纷。",
        "amount_claimed": "1361000.00",
        "applicants": [{"party_type": "property_company", "name": "某物业公司", "phone": "010-62345678"}],
        "respondents": [{"party_type": "owner", "name": "王五", "phone": "13912345678"}],
        "mediators": [mediator],
    })
}
