//! Issue 4: the permission matrix. Every route of the real router, times
//! every role and an anonymous visitor. A route missing from `expectation`
//! fails the test, so no route ships without a decision.

use crate::common::{TestApp, case_form};
use axum::http::StatusCode;

use accord::domain::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    Secretary,
    /// A mediator assigned to the fixture case.
    OwnMediator,
    /// A mediator with no link to the fixture case.
    OtherMediator,
    /// Issue 15: the admin, secretary and a mediator of committee B (3);
    /// every id in the paths belongs to committee A (2).
    AdminB,
    SecretaryB,
    MediatorB,
}

impl Who {
    /// Someone of the other committee, who must not learn that committee
    /// A's cases, attachments, sessions or mediators exist.
    fn of_committee_b(self) -> bool {
        matches!(self, Who::AdminB | Who::SecretaryB | Who::MediatorB)
    }

    /// The same role in committee A: what committee B's people may do
    /// where no id of committee A is in the path.
    fn twin(self) -> Who {
        match self {
            Who::AdminB => Who::Admin,
            Who::SecretaryB => Who::Secretary,
            Who::MediatorB => Who::OtherMediator,
            w => w,
        }
    }
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Admin,
    Who::Secretary,
    Who::OwnMediator,
    Who::OtherMediator,
    Who::AdminB,
    Who::SecretaryB,
    Who::MediatorB,
];

#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Open to anonymous visitors.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Only these roles; others get 403.
    Only(&'static [Who]),
    /// A case page: read by all who may see the case; another mediator's case is 404.
    CaseRead,
    /// A change to a case: admin and its mediator; secretary 403; other mediator 404.
    CaseWrite,
    /// An admin's correction of a case: admin only; its own mediator and the
    /// secretary 403; another mediator 404 (the case is not theirs to see).
    CaseAdmin,
    /// A mediator record of committee A: its staff only (others 403);
    /// committee B's staff 404. A mediator of any committee is refused
    /// (403) before the id is read: the answer tells them nothing.
    MediatorRecord,
    /// The JSON API (issue 16): a bearer token only; every cookie session,
    /// any role's, and no cookie at all get 401 (tests/it/api has the tokens').
    Token,
}

const ADMIN: &[Who] = &[Who::Admin];
const STAFF: &[Who] = &[Who::Admin, Who::Secretary];
const CASE_WORKERS: &[Who] = &[Who::Admin, Who::OwnMediator, Who::OtherMediator];

/// Every route and who may use it, written out one by one: this table is
/// the test's own, independent of the application's permission code.
const MATRIX: &[(&str, &str, Rule)] = {
    use Rule::*;
    &[
        ("GET", "/healthz", Public),
        ("GET", "/static/app.css", Public),
        ("GET", "/login", Public),
        ("POST", "/login", Public),
        ("POST", "/logout", Public),
        ("GET", "/lang/{code}", Public),
        ("GET", "/", SignedIn),
        ("GET", "/cases", SignedIn),
        ("GET", "/cases/new", Only(CASE_WORKERS)),
        ("POST", "/cases", Only(CASE_WORKERS)),
        ("GET", "/cases/{id}", CaseRead),
        ("POST", "/cases/{id}", CaseWrite),
        ("GET", "/cases/{id}/edit", CaseWrite),
        ("GET", "/cases/{id}/agreement", CaseRead),
        ("GET", "/cases/{id}/close", CaseWrite),
        ("POST", "/cases/{id}/accept", CaseWrite),
        ("POST", "/cases/{id}/decline", CaseWrite),
        ("POST", "/cases/{id}/settle", CaseWrite),
        ("POST", "/cases/{id}/fail", CaseWrite),
        ("POST", "/cases/{id}/withdraw", CaseWrite),
        ("POST", "/cases/{id}/archive", CaseWrite),
        ("POST", "/cases/{id}/fulfilment", CaseWrite),
        ("POST", "/cases/{id}/judicial", CaseWrite),
        ("GET", "/cases/{id}/sessions/new", CaseWrite),
        ("POST", "/cases/{id}/sessions", CaseWrite),
        ("GET", "/cases/{id}/sessions/{sid}/edit", CaseWrite),
        ("POST", "/cases/{id}/sessions/{sid}", CaseWrite),
        ("POST", "/cases/{id}/visits", CaseWrite),
        // Corrections (issue 13 part 1)
        ("GET", "/cases/{id}/archive", CaseWrite),
        ("GET", "/cases/{id}/agreement/correct", CaseWrite),
        ("POST", "/cases/{id}/agreement/correct", CaseWrite),
        ("GET", "/cases/{id}/reopen", CaseWrite),
        ("POST", "/cases/{id}/reopen", CaseWrite),
        ("GET", "/cases/{id}/unarchive", CaseAdmin),
        ("POST", "/cases/{id}/unarchive", CaseAdmin),
        ("GET", "/cases/{id}/void", CaseAdmin),
        ("POST", "/cases/{id}/void", CaseAdmin),
        ("GET", "/cases/{id}/sessions/{sid}/void", CaseWrite),
        ("POST", "/cases/{id}/sessions/{sid}/void", CaseWrite),
        ("GET", "/cases/{id}/visits/{vid}/edit", CaseWrite),
        ("POST", "/cases/{id}/visits/{vid}", CaseWrite),
        ("GET", "/cases/{id}/visits/{vid}/void", CaseWrite),
        ("POST", "/cases/{id}/visits/{vid}/void", CaseWrite),
        // case file: attachments
        ("POST", "/cases/{id}/attachments", CaseWrite),
        ("GET", "/cases/{id}/attachments/{aid}", CaseRead),
        ("GET", "/cases/{id}/attachments/{aid}/inline", CaseRead),
        ("GET", "/cases/{id}/attachments/{aid}/thumb", CaseRead),
        ("GET", "/cases/{id}/attachments/{aid}/void", CaseWrite),
        ("POST", "/cases/{id}/attachments/{aid}/void", CaseWrite),
        // case file: documents and dossiers (issue 13); whoever may see the case may print.
        ("GET", "/cases/{id}/documents/acceptance", CaseRead),
        ("GET", "/cases/{id}/documents/rights", CaseRead),
        ("GET", "/cases/{id}/documents/sessions/{sid}", CaseRead),
        ("GET", "/cases/{id}/documents/termination", CaseRead),
        ("GET", "/cases/{id}/documents/visits", CaseRead),
        ("GET", "/cases/{id}/documents/judicial", CaseRead),
        ("GET", "/cases/{id}/documents/closing", CaseRead),
        ("GET", "/cases/{id}/dossier", CaseRead),
        ("GET", "/dossiers", SignedIn),
        ("GET", "/my", SignedIn),
        ("GET", "/mediators", SignedIn),
        ("POST", "/mediators", Only(STAFF)),
        ("GET", "/mediators/{id}/edit", MediatorRecord),
        ("POST", "/mediators/{id}", MediatorRecord),
        // Mediators see the dashboard of their own cases; the annual report is the association's.
        ("GET", "/dashboard", SignedIn),
        ("GET", "/reports", Only(STAFF)),
        ("GET", "/reports/{year}", Only(STAFF)),
        ("GET", "/export/cases.csv", SignedIn),
        ("GET", "/export/stats.csv", SignedIn),
        ("GET", "/import", Only(ADMIN)),
        ("POST", "/import", Only(ADMIN)),
        ("GET", "/backup", Only(ADMIN)),
        ("POST", "/backup", Only(ADMIN)),
        ("GET", "/users", Only(ADMIN)),
        ("POST", "/users", Only(ADMIN)),
        ("GET", "/users/{id}/edit", Only(ADMIN)),
        ("POST", "/users/{id}", Only(ADMIN)),
        ("POST", "/users/{id}/password", Only(ADMIN)),
        ("POST", "/users/throttles/clear", Only(ADMIN)),
        ("GET", "/orgs", Only(ADMIN)),
        ("POST", "/orgs", Only(ADMIN)),
        ("GET", "/orgs/{id}/edit", Only(ADMIN)),
        ("POST", "/orgs/{id}", Only(ADMIN)),
        ("POST", "/orgs/{id}/retire", Only(ADMIN)),
        ("POST", "/orgs/{id}/restore", Only(ADMIN)),
        ("GET", "/reference", Only(ADMIN)),
        ("POST", "/reference/{list}", Only(ADMIN)),
        ("POST", "/reference/{list}/{code}", Only(ADMIN)),
        ("GET", "/reference/{list}/{code}/retire", Only(ADMIN)),
        ("POST", "/reference/{list}/{code}/retire", Only(ADMIN)),
        ("GET", "/reference/{list}/{code}/delete", Only(ADMIN)),
        ("POST", "/reference/{list}/{code}/delete", Only(ADMIN)),
        ("GET", "/audit", Only(ADMIN)),
        // A supervisor's pages (issue 15): none of these roles; tests/it/oversight.rs has the supervisor's.
        ("GET", "/oversight", Only(&[])),
        ("GET", "/oversight/cases", Only(&[])),
        // Case transfer (issue 15): the case's changers send; the receiving
        // committee's admin or secretary decide (409 here: nothing waits).
        ("GET", "/transfers", Only(STAFF)),
        ("GET", "/cases/{id}/transfer", CaseWrite),
        ("POST", "/cases/{id}/transfer", CaseWrite),
        ("POST", "/cases/{id}/transfer/accept", Only(STAFF)),
        ("POST", "/cases/{id}/transfer/return", Only(STAFF)),
        // Official statistics report (issue 16): the committee's filing, as
        // the annual report; the national mapping is a reference list's.
        ("GET", "/reports/official", Only(STAFF)),
        ("GET", "/reference/official", Only(ADMIN)),
        ("POST", "/reference/official", Only(ADMIN)),
        // The JSON API (issue 16): tokens are issued and revoked on the
        // users page, by admins; the document and its page are public; every
        // /api/v1 route refuses a cookie session (tokens: tests/it/api).
        ("POST", "/users/tokens", Only(ADMIN)),
        ("POST", "/users/tokens/revoke", Only(ADMIN)),
        ("GET", "/api/openapi.json", Public),
        ("GET", "/api/docs", Public),
        ("GET", "/api/v1/cases", Token),
        ("POST", "/api/v1/cases", Token),
        ("GET", "/api/v1/cases/{id}", Token),
        ("PUT", "/api/v1/cases/{id}", Token),
        ("POST", "/api/v1/cases/{id}/sessions", Token),
        ("POST", "/api/v1/cases/{id}/visits", Token),
        ("POST", "/api/v1/cases/{id}/actions/{action}", Token),
        ("GET", "/api/v1/reference", Token),
        ("GET", "/api/v1/stats", Token),
        ("GET", "/api/v1/exchange", Token),
        ("POST", "/api/v1/exchange", Token),
        // Statistics packets: a rollup token's only route (tests/it/api/rollup.rs).
        ("POST", "/api/v1/rollup", Token),
        // The official report as CSV, for the page's readers.
        ("GET", "/reports/official.csv", Only(STAFF)),
    ]
};

fn expectation(method: &str, path: &str) -> Rule {
    MATRIX
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, rule)| *rule)
        .unwrap_or_else(|| panic!("no permission decision for {method} {path}: add one to tests/it/permissions.rs"))
}

#[test]
fn the_matrix_lists_no_route_the_application_does_not_have() {
    let routes = accord::web::route_list();
    for (method, path, _) in MATRIX {
        assert!(
            routes.contains(&(*method, *path)),
            "{method} {path} is in the matrix but not in the router"
        );
    }
}

struct Fixture {
    app: TestApp,
    clients: Vec<(Who, TestApp)>,
    case_id: i64,
    mediator_id: i64,
    user_id: i64,
    session_id: i64,
    attachment_id: i64,
}

async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    app.add_user("boss", Role::Admin).await;
    let user_id = app.add_user("sec", Role::Secretary).await;
    app.add_user("own", Role::Mediator).await;
    app.add_user("other", Role::Mediator).await;
    app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
    app.add_user_in(3, "boss_b", Role::Admin).await;
    app.add_user_in(3, "sec_b", Role::Secretary).await;
    app.add_user_in(3, "med_b", Role::Mediator).await;
    let mut clients = Vec::new();
    for (who, name) in [
        (Who::Anonymous, None),
        (Who::Admin, Some("boss")),
        (Who::Secretary, Some("sec")),
        (Who::OwnMediator, Some("own")),
        (Who::OtherMediator, Some("other")),
        (Who::AdminB, Some("boss_b")),
        (Who::SecretaryB, Some("sec_b")),
        (Who::MediatorB, Some("med_b")),
    ] {
        let mut c = app.client();
        if let Some(name) = name {
            c.login(name).await;
        }
        c.csrf().await;
        clients.push((who, c));
    }
    let mediator_id = app.mediator_of("own").await;
    let own = &mut clients[3].1;
    let case_id = own
        .create_case(&case_form(mediator_id, &[("received_on", "2026-11-01")]))
        .await;
    // Accepted, with one session, so the session routes have something to show.
    let page = own
        .post(&format!("/cases/{case_id}/accept"), &[("on", "2026-11-02")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let m = mediator_id.to_string();
    let session = [
        ("held_on", "2026-11-03"),
        ("form", "on_site"),
        ("mediators", m.as_str()),
        ("notes", "首次调解"),
    ];
    let page = own.post(&format!("/cases/{case_id}/sessions"), &session).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let session_id = app.sql_i64("SELECT MAX(id) FROM mediation_sessions").await;
    // One image attachment, so the download, inline and void routes have one.
    let token = own.csrf().await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let fields: [(&str, Option<&str>, &[u8]); 3] = [
        ("csrf_token", None, token.as_bytes()),
        ("kind_1", None, b"photo"),
        ("file_1", Some("photo.png"), png),
    ];
    let page = own
        .post_multipart(&format!("/cases/{case_id}/attachments"), &fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let attachment_id = app.sql_i64("SELECT MAX(id) FROM attachments").await;
    Fixture {
        app,
        clients,
        case_id,
        mediator_id,
        user_id,
        session_id,
        attachment_id,
    }
}

fn concrete(path: &str, f: &Fixture) -> String {
    path.replace("/cases/{id}", &format!("/cases/{}", f.case_id))
        .replace("/mediators/{id}", &format!("/mediators/{}", f.mediator_id))
        .replace("/users/{id}", &format!("/users/{}", f.user_id))
        .replace("/orgs/{id}", "/orgs/2")
        .replace("/lang/{code}", "/lang/en")
        .replace("{list}", "categories")
        .replace("{code}", "other")
        .replace("{year}", "2026")
        .replace("{sid}", &f.session_id.to_string())
        .replace("{vid}", "1")
        .replace("{aid}", &f.attachment_id.to_string())
}

fn allowed(rule: Rule, who: Who) -> Option<StatusCode> {
    // None: allowed (anything but 403, 404, 5xx or a sign-in redirect).
    if who.of_committee_b() {
        return match rule {
            Rule::MediatorRecord if who == Who::MediatorB => Some(StatusCode::FORBIDDEN),
            Rule::CaseRead | Rule::CaseWrite | Rule::CaseAdmin | Rule::MediatorRecord => Some(StatusCode::NOT_FOUND),
            rule => allowed(rule, who.twin()),
        };
    }
    match (rule, who) {
        (Rule::Public, _) => None,
        (Rule::Token, _) => Some(StatusCode::UNAUTHORIZED),
        (_, Who::Anonymous) => Some(StatusCode::SEE_OTHER),
        (Rule::SignedIn, _) => None,
        (Rule::Only(roles), w) => (!roles.contains(&w)).then_some(StatusCode::FORBIDDEN),
        (Rule::CaseRead | Rule::CaseWrite | Rule::CaseAdmin, Who::OtherMediator) => Some(StatusCode::NOT_FOUND),
        (Rule::CaseAdmin, Who::Admin) => None,
        (Rule::CaseAdmin, _) => Some(StatusCode::FORBIDDEN),
        (Rule::CaseRead, _) => None,
        (Rule::CaseWrite, Who::Secretary) => Some(StatusCode::FORBIDDEN),
        (Rule::CaseWrite, _) => None,
        (Rule::MediatorRecord, w) => (!STAFF.contains(&w)).then_some(StatusCode::FORBIDDEN),
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    crate::common::both(async || {
        let f = fixture().await;
        let routes = accord::web::route_list();
        assert!(routes.len() > 10, "the route list is the router's own");
        let mut failures = Vec::new();
        for (method, pattern) in &routes {
            let rule = expectation(method, pattern);
            let path = concrete(pattern, &f);
            for who in EVERYONE {
                let client = &f.clients.iter().find(|(w, _)| *w == who).unwrap().1;
                let page = if *method == "GET" {
                    f.app.client().with_cookie_of(client).get(&path).await
                } else {
                    // A write runs on its own copy of the database, so one
                    // role's change cannot colour the next role's answer.
                    let fork = f.app.fork().await;
                    fork.client().with_cookie_of(client).post(&path, &[]).await
                };
                let to_login = page.status == StatusCode::SEE_OTHER
                    && page.location.as_deref().is_some_and(|l| l.starts_with("/login"));
                let ok = match allowed(rule, who) {
                    None => {
                        !matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                            && !page.status.is_server_error()
                            && (!to_login || *pattern == "/logout")
                    }
                    Some(StatusCode::SEE_OTHER) => to_login,
                    Some(expected) => page.status == expected,
                };
                if !ok {
                    failures.push(format!(
                        "{method} {path} as {who:?}: got {} ({:?})",
                        page.status, page.location
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "permission matrix failures:\n{}",
            failures.join("\n")
        );
    })
    .await;
}

#[tokio::test]
async fn every_post_route_refuses_a_request_without_a_valid_csrf_token() {
    crate::common::both(async || {
        let f = fixture().await;
        for (method, pattern) in accord::web::route_list() {
            // The API takes no cookie session at all (401, see the matrix).
            if method != "POST" || pattern.starts_with("/api/") {
                continue;
            }
            let path = concrete(pattern, &f);
            let mut admin = f.app.fork().await.client().with_cookie_of(&f.clients[1].1);
            let page = admin.post_without_token(&path, &[("csrf_token", "forged")]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path} without a valid token");
            let page = admin.post_without_token(&path, &[]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path} without a token");
        }
    })
    .await;
}

#[tokio::test]
async fn a_mediator_cannot_find_another_mediators_case_in_lists_or_search() {
    crate::common::both(async || {
        let f = fixture().await;
        let mut other = f.clients[4].1.client().with_cookie_of(&f.clients[4].1);
        let list = other.get("/cases").await;
        assert_eq!(list.text("#total"), "0");
        let list = other.get("/cases?q=%E9%98%B3%E5%85%89").await;
        assert_eq!(list.text("#total"), "0");
        let mut own = f.clients[3].1.client().with_cookie_of(&f.clients[3].1);
        assert_eq!(own.get("/cases").await.text("#total"), "1");
        let mut sec = f.clients[2].1.client().with_cookie_of(&f.clients[2].1);
        assert_eq!(sec.get("/cases").await.text("#total"), "1");
    })
    .await;
}

/// Issue 15: the lists and exports of committee B's people show none of
/// committee A's cases, whatever filter or search they type.
#[tokio::test]
async fn committee_b_finds_none_of_committee_as_cases_in_lists_searches_or_exports() {
    crate::common::both(async || {
        let f = fixture().await;
        let case_no = f
            .app
            .sql_text("SELECT case_no FROM cases WHERE committee_id = 2")
            .await
            .unwrap();
        let escaped = urlencode(&case_no);
        // A case of committee B's own, so its lists are not empty by accident.
        let med_b = f.app.mediator_of("med_b").await;
        let mut b_med = f.app.client().with_cookie_of(&f.clients[7].1);
        let b_case = [
            ("project", "朝阳小区"),
            ("respondent_name", "李四"),
            ("respondent_phone", "13900000000"),
        ];
        b_med.create_case(&case_form(med_b, &b_case)).await;
        for i in 5..8 {
            let mut b = f.app.client().with_cookie_of(&f.clients[i].1);
            let who = f.clients[i].0;
            // Searches for what only committee A's case holds: the search box
            // shows the words typed, so the count is what tells.
            for q in [
                escaped.as_str(),
                "%E9%98%B3%E5%85%89",
                "13812341234",
                "1234",
                "%E5%BC%A0%E4%B8%89",
            ] {
                let list = b.get(&format!("/cases?q={q}")).await;
                assert_eq!(list.status, StatusCode::OK, "{who:?} searches {q}");
                assert_eq!(list.text("#total"), "0", "{who:?} finds committee A's case by {q}");
                assert!(!list.body.contains("阳光花园"), "{who:?} sees committee A's project");
            }
            for path in [
                "/cases",
                "/cases/new",
                "/cases?status=in_mediation",
                "/cases?category=fees&district=chaoyang",
                "/cases?flag=overdue",
                "/my",
                "/dossiers",
                "/export/cases.csv",
                "/export/cases.csv?q=13812341234",
                "/export/cases.csv?status=in_mediation",
                "/mediators",
                "/dashboard",
                "/reports/2026",
                "/audit",
                "/export/stats.csv",
                "/reports/official.csv?period=2026",
            ] {
                let page = b.get(path).await;
                // A page the role may not open at all shows nothing either.
                if page.status == StatusCode::FORBIDDEN {
                    continue;
                }
                assert_eq!(page.status, StatusCode::OK, "{who:?} GET {path}");
                assert!(!page.body.contains(&case_no), "{who:?} sees {case_no} on {path}");
                assert!(
                    !page.body.contains("张三"),
                    "{who:?} sees committee A's party on {path}"
                );
                assert!(
                    !page.body.contains("阳光花园"),
                    "{who:?} sees committee A's project on {path}"
                );
            }
            // The new case form offers only committee B's mediators.
            let form = b.get("/cases/new").await;
            if form.status == StatusCode::OK {
                let offered = form.attrs("input[name=mediators]", "value");
                assert_eq!(
                    offered,
                    [med_b.to_string()],
                    "{who:?} is offered another committee's mediators"
                );
            }
            let page = b.get("/mediators").await;
            assert!(
                !page.texts("td").iter().any(|t| t == "own" || t == "other"),
                "{who:?} sees committee A's mediators"
            );
            assert!(
                page.texts("td").iter().any(|t| t == "med_b"),
                "{who:?} sees their committee's"
            );
            let list = b.get("/cases").await;
            assert_eq!(list.text("#total"), "1", "{who:?} sees committee B's own case");
        }
    })
    .await;
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
