//! Sign-in throttles per (username, address) and per address, from real
//! client addresses; the bounded hashing pool.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use super::{config_with, peer};
use crate::common::{PASSWORD, TestApp, accord_cmd, today};
use accord::clock::Clock;
use accord::domain::Role;
use accord::web::{self, AppState};

#[tokio::test]
async fn ten_failures_from_one_address_hold_up_that_address_for_any_name_but_not_others() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        app.peer = Some(peer("10.1.1.1"));
        for i in 0..10 {
            let name = format!("guess{i}");
            let page = app
                .post("/login", &[("username", name.as_str()), ("password", "wrong-password")])
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED, "try {i}");
        }
        let page = app.post("/login", &[("username", "li"), ("password", PASSWORD)]).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM login_attempts WHERE refused").await,
            1,
            "the refused try is recorded"
        );
        let mut elsewhere = app.client();
        elsewhere.peer = Some(peer("10.1.1.2"));
        elsewhere.login("li").await;
    })
    .await;
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
    crate::common::both(async || {
        let failures_as = |app: &mut TestApp, forwarded: &'static str| {
            let mut b = app.client();
            b.peer = app.peer;
            async move {
                let token = {
                    let page = b.get("/login").await;
                    page.attrs("input[name=csrf_token]", "value").pop().unwrap()
                };
                let body = serde_urlencoded::to_string([
                    ("csrf_token", token.as_str()),
                    ("username", "li"),
                    ("password", "wrong-password"),
                ])
                .unwrap();
                let req = Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("x-forwarded-for", forwarded)
                    .header(
                        header::COOKIE,
                        format!("accord_csrf={}", b.cookie("accord_csrf").unwrap()),
                    )
                    .body(Body::from(body))
                    .unwrap();
                b.request(req).await.status
            }
        };
        // Behind a trusted proxy, five failures hold up only the forwarded address.
        let config = config_with(|c| c.trusted_proxies = vec!["10.0.0.1".parse().unwrap()]);
        let mut app = TestApp::with_config(config, today()).await;
        app.add_user("li", Role::Mediator).await;
        app.peer = Some(peer("10.0.0.1"));
        for _ in 0..5 {
            assert_eq!(failures_as(&mut app, "203.0.113.5").await, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            failures_as(&mut app, "203.0.113.5").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(failures_as(&mut app, "203.0.113.6").await, StatusCode::UNAUTHORIZED);
        // From a peer that is no trusted proxy, the header is ignored.
        app.peer = Some(peer("10.0.0.9"));
        for i in 0..5 {
            let forwarded = [
                "198.51.100.1",
                "198.51.100.2",
                "198.51.100.3",
                "198.51.100.4",
                "198.51.100.5",
            ][i];
            assert_eq!(failures_as(&mut app, forwarded).await, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            failures_as(&mut app, "198.51.100.6").await,
            StatusCode::TOO_MANY_REQUESTS
        );
    })
    .await;
}

/// A hash of [`PASSWORD`] at argon2's production cost, so that each check
/// takes a while (the harness makes cheap ones).
fn production_cost_hash() -> String {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .unwrap()
        .to_string()
}

/// One HTTP/1.1 exchange over a socket bound to `from`: status, cookies set, body.
async fn http(server: SocketAddr, from: &str, request: &str) -> (u16, Vec<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from.parse().unwrap(), 0)).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let cookies = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect();
    (status, cookies, body.to_string())
}

/// A browser at a client address, talking to a real server.
struct Remote {
    server: SocketAddr,
    from: &'static str,
    cookies: Vec<String>,
}

impl Remote {
    async fn send(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let body = serde_urlencoded::to_string(form).unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.server,
            self.cookies.join("; "),
            body.len()
        );
        let (status, set, body) = http(self.server, self.from, &request).await;
        for c in set {
            let name = c.split('=').next().unwrap_or("").to_string();
            self.cookies.retain(|old| !old.starts_with(&format!("{name}=")));
            self.cookies.push(c);
        }
        (status, body)
    }

    /// The CSRF token of the form on `path`.
    async fn token(&mut self, path: &str) -> String {
        let (_, body) = self.send("GET", path, &[]).await;
        let doc = scraper::Html::parse_document(&body);
        let sel = scraper::Selector::parse("input[name=csrf_token]").unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_string()
    }

    async fn sign_in(&mut self, username: &str, password: &str) -> u16 {
        let token = self.token("/login").await;
        let form = [
            ("csrf_token", token.as_str()),
            ("username", username),
            ("password", password),
        ];
        self.send("POST", "/login", &form).await.0
    }
}

#[tokio::test]
async fn a_stranger_failing_from_one_address_cannot_lock_the_admin_out_at_another() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        app.add_user("admin", Role::Admin).await;
        let state = AppState::new(app.pool.clone(), app.config.clone(), Clock::Fixed(today()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = listener.local_addr().unwrap();
        let service = web::router(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });

        let mut stranger = Remote {
            server,
            from: "127.0.0.2",
            cookies: Vec::new(),
        };
        for _ in 0..5 {
            assert_eq!(stranger.sign_in("admin", "wrong-password").await, 401);
        }
        assert_eq!(stranger.sign_in("admin", "wrong-password").await, 429);
        assert_eq!(
            stranger.sign_in("admin", PASSWORD).await,
            429,
            "held up, even with the password"
        );

        let mut admin = Remote {
            server,
            from: "127.0.0.3",
            cookies: Vec::new(),
        };
        assert_eq!(
            admin.sign_in("admin", PASSWORD).await,
            303,
            "the admin signs in at once"
        );
        let (status, users) = admin.send("GET", "/users", &[]).await;
        assert_eq!(status, 200);
        let doc = scraper::Html::parse_document(&users);
        let sel = scraper::Selector::parse("#throttles td.client").unwrap();
        let clients: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
        assert_eq!(clients, vec!["127.0.0.2"]);
        let token = admin.token("/users").await;
        let form = [
            ("csrf_token", token.as_str()),
            ("username", "admin"),
            ("client", "127.0.0.2"),
        ];
        assert_eq!(admin.send("POST", "/users/throttles/clear", &form).await.0, 303);
        assert_eq!(stranger.sign_in("admin", PASSWORD).await, 303, "cleared by the admin");
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' AND after LIKE '%127.0.0.2%'")
                .await,
            5
        );
    })
    .await;
}

#[tokio::test]
async fn accord_user_unlock_lifts_the_throttles_on_a_name() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        for _ in 0..5 {
            app.post("/login", &[("username", "li"), ("password", "wrong-password")])
                .await;
        }
        let page = app.post("/login", &[("username", "li"), ("password", PASSWORD)]).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        let out = accord_cmd(app.dir.path())
            .arg("--db")
            .arg(&app.config.database)
            .args(["user", "unlock", "li"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        app.login("li").await;
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'unlock' AND user_id IS NULL")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn concurrent_bad_sign_ins_never_hash_more_than_the_workers_at_once_and_the_overflow_is_told_to_wait() {
    crate::common::both(async || {
        let config = config_with(|c| {
            c.hash_workers = 1;
            c.hash_queue = 2;
        });
        let mut app = TestApp::with_config(config, today()).await;
        let slow = production_cost_hash();
        accord::store::users::insert(
            &app.pool,
            "slow",
            &slow,
            Role::Admin,
            None,
            accord::store::orgs::FIRST_COMMITTEE,
        )
        .await
        .unwrap();
        let state = AppState::new(app.pool.clone(), app.config.clone(), Clock::Fixed(today()));
        let hashing = state.hashing.clone();
        let router = web::router(state);
        let token = app.csrf().await;
        let cookie = format!("accord_csrf={}", app.cookie("accord_csrf").unwrap());
        let requests = (0..20).map(|i| {
            let body = serde_urlencoded::to_string([
                ("csrf_token", token.as_str()),
                ("username", if i % 4 == 0 { "nobody" } else { "slow" }),
                ("password", "wrong-password"),
            ])
            .unwrap();
            let req = Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie.as_str())
                .extension(ConnectInfo(peer(&format!("10.2.0.{i}"))))
                .body(Body::from(body))
                .unwrap();
            tokio::spawn(router.clone().oneshot(req))
        });
        let mut statuses = Vec::new();
        for handle in requests.collect::<Vec<_>>() {
            statuses.push(handle.await.unwrap().unwrap().status());
        }
        assert!(hashing.peak() <= 1, "{} hashes at once", hashing.peak());
        assert!(statuses.contains(&StatusCode::UNAUTHORIZED), "{statuses:?}");
        assert!(statuses.contains(&StatusCode::SERVICE_UNAVAILABLE), "{statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
            "{statuses:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn many_tries_sent_at_once_from_one_address_get_no_more_than_the_free_failures() {
    crate::common::both(async || {
        let config = config_with(|c| c.hash_queue = 100);
        let mut app = TestApp::with_config(config, today()).await;
        let slow = production_cost_hash();
        accord::store::users::insert(
            &app.pool,
            "slow",
            &slow,
            Role::Admin,
            None,
            accord::store::orgs::FIRST_COMMITTEE,
        )
        .await
        .unwrap();
        let token = app.csrf().await;
        let cookie = format!("accord_csrf={}", app.cookie("accord_csrf").unwrap());
        let handles: Vec<_> = (0..12)
            .map(|_| {
                let body = serde_urlencoded::to_string([
                    ("csrf_token", token.as_str()),
                    ("username", "slow"),
                    ("password", "wrong-password"),
                ])
                .unwrap();
                let req = Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, cookie.as_str())
                    .extension(ConnectInfo(peer("10.3.0.1")))
                    .body(Body::from(body))
                    .unwrap();
                tokio::spawn(app.router.clone().oneshot(req))
            })
            .collect();
        let mut statuses = Vec::new();
        for handle in handles {
            statuses.push(handle.await.unwrap().unwrap().status());
        }
        let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!((checked, refused), (5, 7), "{statuses:?}");
    })
    .await;
}
