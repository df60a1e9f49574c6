//! Issue 9, sign-in and sessions: a long write never takes reads down, a
//! stranger cannot lock anyone out, hashing is bounded, anonymous visitors
//! store nothing, and security events are audited.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tower::ServiceExt;

use crate::common::{PASSWORD, TestApp, accord_cmd, admin_app, today};
use accord::clock::Clock;
use accord::config::Config;
use accord::domain::Role;
use accord::web::{self, AppState};

/// A second connection to the app's database file, holding the write lock
/// until it is dropped (or rolled back).
async fn hold_write_lock(app: &TestApp) -> SqliteConnection {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .unwrap()
        .filename(&app.config.database);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
    sqlx::query("UPDATE users SET active = active")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

fn config_with(f: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config::defaults();
    f(&mut config);
    config
}

fn peer(ip: &str) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), 40000)
}

#[tokio::test]
async fn while_another_connection_holds_the_write_lock_pages_answer_at_once_and_a_post_answers_busy() {
    let config = config_with(|c| c.busy_timeout_seconds = 1);
    let mut app = TestApp::with_config(config, today()).await;
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    let mut due = app.client().with_cookie_of(&app);
    // A second signed-in browser whose expiry is due to be moved forward.
    due.login("boss").await;
    sqlx::query("UPDATE http_sessions SET expiry_date = expiry_date - 600")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut stranger = app.client();

    let mut lock = hold_write_lock(&app).await;
    for (who, path) in [(&mut app, "/cases"), (&mut due, "/users"), (&mut stranger, "/login")] {
        let started = Instant::now();
        let page = who.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{path} took {:?}",
            started.elapsed()
        );
    }
    let started = Instant::now();
    let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(page.text(".error-message").contains("系统正忙,请稍后再试"));
    assert!(started.elapsed() < Duration::from_secs(5));
    let page = stranger
        .post("/login", &[("username", "boss"), ("password", "wrong-password")])
        .await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("系统正忙"));

    sqlx::query("ROLLBACK").execute(&mut lock).await.unwrap();
    let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // The due expiry is moved forward by the next request, now that it can be.
    due.get("/cases").await;
    let soonest = app.count("SELECT MIN(expiry_date) FROM http_sessions").await;
    assert!(soonest > chrono::Utc::now().timestamp() + 480 * 60 - 60);
}

#[tokio::test]
async fn the_busy_page_speaks_the_visitors_language() {
    let config = config_with(|c| c.busy_timeout_seconds = 1);
    let mut app = TestApp::with_config(config, today()).await;
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    app.get("/lang/en?next=/cases").await;
    let _lock = hold_write_lock(&app).await;
    let page = app.post("/mediators", &[("name", "陈静"), ("phone", "")]).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text(".error-message").contains("busy, try again"), "{}", page.body);
}

#[tokio::test]
async fn signed_in_pages_write_no_session_and_extend_its_expiry_at_most_once_a_minute() {
    let mut app = admin_app().await;
    let read = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (String, i64)>("SELECT data, expiry_date FROM http_sessions")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = read(&app).await;
    for path in ["/cases", "/users", "/audit", "/cases"] {
        assert_eq!(app.get(path).await.status, StatusCode::OK);
    }
    assert_eq!(read(&app).await, before, "reading changed the session row");
    sqlx::query("UPDATE http_sessions SET expiry_date = expiry_date - 61")
        .execute(&app.pool)
        .await
        .unwrap();
    app.get("/cases").await;
    let after = read(&app).await;
    assert_eq!(after.0, before.0, "the data is not rewritten");
    assert!(after.1 >= before.1, "the expiry moved forward");
}

#[tokio::test]
async fn anonymous_visits_and_failed_sign_ins_create_no_session_rows() {
    let mut app = TestApp::new().await;
    app.add_user("li", Role::Mediator).await;
    for path in ["/login", "/cases", "/lang/en?next=/login", "/login", "/nowhere"] {
        app.get(path).await;
    }
    for _ in 0..3 {
        let page = app
            .post("/login", &[("username", "li"), ("password", "wrong-password")])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    assert!(app.get("/login").await.body.contains("Sign in"), "the language is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM http_sessions").await, 0);
    // A form without the token cookie's value is refused.
    let page = app
        .post_without_token("/login", &[("csrf_token", "0".repeat(64).as_str())])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    app.login("li").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM http_sessions").await, 1);
    let page = app.post("/logout", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM http_sessions").await, 0);
}

#[tokio::test]
async fn a_hundred_kilobyte_username_is_stored_cut_to_sixty_four_characters() {
    let mut app = TestApp::new().await;
    let huge = "名".repeat(100 * 1024 / 3);
    let page = app
        .post("/login", &[("username", huge.as_str()), ("password", "wrong-password")])
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT MAX(LENGTH(username)) FROM login_attempts").await, 64);
    assert!(app.count("SELECT MAX(LENGTH(after)) FROM audit_log").await < 400);
    assert!(page.body.len() < 20_000, "the form echoes only the cut name");
}

#[tokio::test]
async fn purging_removes_expired_sessions_and_old_sign_in_attempts_only() {
    let mut app = admin_app().await;
    let mut other = app.client();
    other.login("boss").await;
    sqlx::query("UPDATE http_sessions SET expiry_date = 10 WHERE rowid = (SELECT MIN(rowid) FROM http_sessions)")
        .execute(&app.pool)
        .await
        .unwrap();
    app.post("/logout", &[]).await;
    sqlx::query("UPDATE login_attempts SET at = at - 40 * 86400 WHERE rowid = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    let attempts = app.count("SELECT COUNT(*) FROM login_attempts").await;
    let now = chrono::Utc::now().timestamp();
    let (sessions, old) = accord::store::purge(&app.pool, now, 30 * 86400).await.unwrap();
    assert_eq!((sessions, old), (1, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, attempts - 1);
    assert_eq!(other.get("/cases").await.status, StatusCode::OK);
}

#[tokio::test]
async fn ten_failures_from_one_address_hold_up_that_address_for_any_name_but_not_others() {
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
        app.count("SELECT COUNT(*) FROM login_attempts WHERE refused = 1").await,
        1,
        "the refused try is recorded"
    );
    let mut elsewhere = app.client();
    elsewhere.peer = Some(peer("10.1.1.2"));
    elsewhere.login("li").await;
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
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
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' AND after LIKE '%127.0.0.2%'")
            .await,
        5
    );
}

#[tokio::test]
async fn accord_user_unlock_lifts_the_throttles_on_a_name() {
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
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'unlock' AND user_id IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn concurrent_bad_sign_ins_never_hash_more_than_the_workers_at_once_and_the_overflow_is_told_to_wait() {
    let config = config_with(|c| {
        c.hash_workers = 1;
        c.hash_queue = 2;
    });
    let mut app = TestApp::with_config(config, today()).await;
    // A hash at argon2's production cost, so that each check takes a while.
    let slow = {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes(), &salt)
            .unwrap()
            .to_string()
    };
    accord::store::users::insert(&app.pool, "slow", &slow, Role::Admin, None)
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
}

#[tokio::test]
async fn sign_ins_sign_outs_resets_and_role_changes_appear_on_the_audit_page_with_the_client_address() {
    let mut app = TestApp::new().await;
    app.add_user("boss", Role::Admin).await;
    app.peer = Some(peer("10.9.8.7"));
    app.post("/login", &[("username", "boss"), ("password", "wrong-password")])
        .await;
    app.login("boss").await;
    app.post(
        "/users",
        &[
            ("username", "wang"),
            ("role", "secretary"),
            ("password", "long-password-1"),
        ],
    )
    .await;
    let wang: i64 = app.count("SELECT id FROM users WHERE username = 'wang'").await;
    app.post(
        &format!("/users/{wang}"),
        &[("role", "admin"), ("mediator", ""), ("active", "1")],
    )
    .await;
    app.post(&format!("/users/{wang}/password"), &[("password", "another-password")])
        .await;
    // The command line acts as no user.
    let db = app.config.database.clone();
    let run = |args: &[&str]| {
        let out = accord_cmd(app.dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["user", "add", "zhao", "--role", "secretary"]);
    run(&["user", "passwd", "zhao"]);

    let page = app.get("/audit").await;
    let actions = page.texts("td.action");
    for wanted in ["登录失败", "登录", "创建", "修改", "重置密码"] {
        assert!(actions.iter().any(|a| a == wanted), "{wanted} missing from {actions:?}");
    }
    let rows = page.texts("table.audit tbody tr");
    let with_client = rows.iter().filter(|r| r.contains("10.9.8.7")).count();
    assert_eq!(with_client, 4, "failed sign-in, sign-in, role change, reset: {rows:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND after LIKE '%10.9.8.7%'")
            .await,
        1
    );
    let zhao: i64 = app.count("SELECT id FROM users WHERE username = 'zhao'").await;
    let by_system = rows.iter().filter(|r| r.contains(&format!("—user #{zhao}")));
    assert_eq!(by_system.count(), 2, "add and passwd by the command line: {rows:?}");

    app.post("/logout", &[]).await;
    app.login("boss").await;
    let page = app.get("/audit").await;
    assert!(page.texts("td.action").iter().any(|a| a == "退出登录"));
}

#[tokio::test]
async fn exports_and_backups_appear_on_the_audit_page_with_the_client_address() {
    let mut app = admin_app().await;
    app.peer = Some(peer("10.9.8.6"));
    assert_eq!(app.get("/export/cases.csv?status=settled").await.status, StatusCode::OK);
    assert_eq!(app.get("/export/stats.csv?year=2026").await.status, StatusCode::OK);
    assert_eq!(app.post("/backup", &[]).await.status, StatusCode::OK);
    // The export's entry is written beside the download, not before it.
    for _ in 0..50 {
        if app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
            .await
            == 2
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let page = app.get("/audit").await;
    let rows = page.texts("table.audit tbody tr");
    let exports: Vec<&String> = rows.iter().filter(|r| r.contains("导出")).collect();
    assert_eq!(exports.len(), 2, "{rows:?}");
    assert!(exports.iter().all(|r| r.contains("boss") && r.contains("10.9.8.6")));
    assert!(exports.iter().any(|r| r.contains("cases.csv") && r.contains("settled")));
    assert!(
        rows.iter().any(|r| r.contains("备份") && r.contains("10.9.8.6")),
        "{rows:?}"
    );
}
