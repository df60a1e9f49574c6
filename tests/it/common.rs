//! Test harness: the real router over a fresh, migrated database, a cookie
//! jar, and forms that carry the session's CSRF token.
//!
//! A test wrapped in [`both`] runs twice: on a SQLite file, then on a
//! PostgreSQL database of its own (created and dropped here) when
//! `ACCORD_TEST_POSTGRES` names a server, e.g.
//! `ACCORD_TEST_POSTGRES=postgres://root@127.0.0.1/test cargo test`.
//! Without it the PostgreSQL run is reported as skipped.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tempfile::TempDir;
use tower::ServiceExt;

use accord::clock::Clock;
use accord::config::Config;
use accord::domain::Role;
use accord::on_db;
use accord::store::{Backend, Location, mediators, users};
use accord::web::{self, AppState};

tokio::task_local! {
    static BACKEND: Backend;
}

/// The backend the apps of the running test are made on.
pub fn backend() -> Backend {
    BACKEND.try_with(|b| *b).unwrap_or(Backend::Sqlite)
}

/// The PostgreSQL server the tests may use, from `ACCORD_TEST_POSTGRES`.
pub fn postgres_server() -> Option<String> {
    std::env::var("ACCORD_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Runs a test on SQLite, then on PostgreSQL when a server is given
/// (`ACCORD_TEST_POSTGRES`); otherwise says the second run was skipped.
/// `ACCORD_TEST_ONLY_POSTGRES=1` leaves out the SQLite run (for working on
/// the PostgreSQL side).
pub async fn both(test: impl AsyncFn()) {
    if std::env::var("ACCORD_TEST_ONLY_POSTGRES").is_err() {
        BACKEND.scope(Backend::Sqlite, test()).await;
    }
    if postgres_server().is_some() {
        BACKEND.scope(Backend::Postgres, test()).await;
    } else {
        println!("PostgreSQL run skipped: set ACCORD_TEST_POSTGRES=postgres://root@127.0.0.1/test to run it");
    }
}

/// A PostgreSQL database made for one test, dropped when the last app on
/// it goes.
pub struct PgDatabase {
    server: String,
    pub name: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        use sqlx::Connection;
        let server = postgres_server().expect("ACCORD_TEST_POSTGRES names a server");
        let name = format!("accord_t_{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff);
        let mut admin = sqlx::PgConnection::connect(&server)
            .await
            .expect("the test server answers");
        // A name of our own making, never input: it cannot be a parameter.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let _ = admin.close().await;
        PgDatabase { server, name }
    }

    /// The URL of this database on the server.
    pub fn url(&self) -> String {
        let base = self.server.split('?').next().unwrap_or(&self.server);
        let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
        format!("{root}/{}", self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Async work cannot run in `drop`: a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                let mut admin = sqlx::PgConnection::connect(&server).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}

/// The password every test user gets.
pub const PASSWORD: &str = "password-123";

/// The day tests run on, unless they set another.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub struct TestApp {
    pub router: Router,
    /// The day the app takes as today.
    pub today: NaiveDate,
    pub pool: accord::store::Db,
    pub config: Config,
    pub dir: std::sync::Arc<TempDir>,
    /// The test's PostgreSQL database, when it runs on one.
    pub pg: Option<std::sync::Arc<PgDatabase>>,
    /// The socket peer the app sees (as `ConnectInfo`); unset, the app
    /// takes 127.0.0.1.
    pub peer: Option<std::net::SocketAddr>,
    /// This browser's cookies, name and value.
    cookies: Vec<(String, String)>,
    csrf: Option<String>,
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Page {
    /// The trimmed text of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let doc = Html::parse_document(&self.body);
        let sel = Selector::parse(selector).expect("a valid selector");
        doc.select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    /// The value of an attribute on every element matching a selector.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let doc = Html::parse_document(&self.body);
        let sel = Selector::parse(selector).expect("a valid selector");
        doc.select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn has(&self, selector: &str) -> bool {
        !self.texts(selector).is_empty()
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(Config::defaults(), today()).await
    }

    pub async fn on(day: NaiveDate) -> TestApp {
        TestApp::with_config(Config::defaults(), day).await
    }

    pub async fn with_config(mut config: Config, day: NaiveDate) -> TestApp {
        accord::password::use_test_cost();
        let dir = tempfile::tempdir().unwrap();
        let pg = match backend() {
            Backend::Sqlite => {
                config.database = Location::File(dir.path().join("accord.db"));
                None
            }
            Backend::Postgres => {
                let db = PgDatabase::create().await;
                config.database = Location::Server(db.url());
                Some(std::sync::Arc::new(db))
            }
        };
        config.files_dir = dir.path().join("files");
        let pool = accord::cli::open_database(&config).await.unwrap();
        let router = web::router(AppState::new(pool.clone(), config.clone(), Clock::Fixed(day)));
        TestApp {
            router,
            today: day,
            pool,
            config,
            dir: std::sync::Arc::new(dir),
            pg,
            peer: None,
            cookies: Vec::new(),
            csrf: None,
        }
    }

    /// A new app on the same database with another "today".
    pub fn set_today(&mut self, day: NaiveDate) {
        self.today = day;
        self.router = web::router(AppState::new(self.pool.clone(), self.config.clone(), Clock::Fixed(day)));
    }

    pub async fn add_mediator(&self, name: &str) -> i64 {
        mediators::insert(
            &self.pool,
            accord::store::orgs::FIRST_COMMITTEE,
            name,
            "13800000000",
            true,
        )
        .await
        .unwrap()
    }

    /// Adds a user; a mediator user gets a mediator record of the same name.
    pub async fn add_user(&self, name: &str, role: Role) -> i64 {
        let mediator = match role {
            Role::Mediator => Some(self.add_mediator(name).await),
            _ => None,
        };
        users::insert(
            &self.pool,
            name,
            &accord::password::hash(PASSWORD),
            role,
            mediator,
            accord::store::orgs::FIRST_COMMITTEE,
        )
        .await
        .unwrap()
    }

    /// The mediator record linked to a user.
    pub async fn mediator_of(&self, username: &str) -> i64 {
        on_db!(self.pool, |e| {
            sqlx::query_scalar("SELECT mediator_id FROM users WHERE username = $1")
                .bind(username)
                .fetch_one(e)
                .await
        })
        .unwrap()
    }

    /// The one integer a query without parameters selects (written so
    /// that both backends read it, e.g. `SELECT COUNT(*) FROM cases`).
    pub async fn sql_i64(&self, sql: &'static str) -> i64 {
        on_db!(self.pool, |e| sqlx::query_scalar::<_, i64>(sql).fetch_one(e).await)
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    /// The one text value (or NULL) a query without parameters selects.
    pub async fn sql_text(&self, sql: &'static str) -> Option<String> {
        on_db!(self.pool, |e| sqlx::query_scalar::<_, Option<String>>(sql)
            .fetch_one(e)
            .await)
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    /// Runs a statement without parameters; answers the rows it changed.
    pub async fn sql_exec(&self, sql: &'static str) -> u64 {
        on_db!(self.pool, |e| sqlx::query(sql)
            .execute(e)
            .await
            .map(|d| d.rows_affected()))
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    /// Signs in through the real form.
    pub async fn login(&mut self, username: &str) {
        self.logout_locally();
        let page = self
            .post("/login", &[("username", username), ("password", PASSWORD)])
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in of {username} failed: {}",
            page.body
        );
        self.csrf = None;
    }

    /// Forgets the cookie, as a new browser would.
    pub fn logout_locally(&mut self) {
        self.cookies.clear();
        self.csrf = None;
    }

    /// The value of one of this browser's cookies.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub async fn request(&mut self, mut req: Request<Body>) -> Page {
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        }
        let response = self.router.clone().oneshot(req).await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let value = set.to_str().unwrap();
            let (name, val) = value.split(';').next().unwrap().split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.contains("Max-Age=0") {
                self.cookies.push((name.to_string(), val.to_string()));
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Page {
            status,
            location,
            content_type,
            headers,
            body,
            bytes,
        }
    }

    fn builder(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            b = b.header(header::COOKIE, jar.join("; "));
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.builder("GET", path).body(Body::empty()).unwrap();
        self.request(req).await
    }

    /// The session's CSRF token, read from a page's form as a browser would.
    pub async fn csrf(&mut self) -> String {
        if let Some(t) = &self.csrf {
            return t.clone();
        }
        let page = self.get("/login").await;
        let mut tokens = page.attrs("input[name=csrf_token]", "value");
        if tokens.is_empty() {
            let page = self.get("/cases").await;
            tokens = page.attrs("input[name=csrf_token]", "value");
        }
        let token = tokens.pop().expect("a page with a CSRF token");
        self.csrf = Some(token.clone());
        token
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(pairs);
        self.post_without_token(path, &all).await
    }

    /// Posts a form exactly as given.
    pub async fn post_without_token(&mut self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let req = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(req).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        on_db!(self.pool, |e| {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(e)
                .await
        })
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }
}

/// A valid case form for the given mediator; override fields with `extra`.
pub fn case_form(mediator: i64, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let m = mediator.to_string();
    let mut base: Vec<(String, String)> = [
        ("received_on", "2026-11-02"),
        ("source", "party_application"),
        ("category", "fees"),
        ("project", "阳光花园小区"),
        ("district", "chaoyang"),
        ("summary", "业主拖欠物业费两年,物业公司申请调解。"),
        ("amount_claimed", "12,345.60"),
        ("applicant_type", "property_company"),
        ("applicant_name", "北京某物业服务有限公司"),
        ("applicant_phone", "010-62345678"),
        ("respondent_type", "owner"),
        ("respondent_name", "张三"),
        ("respondent_phone", "13812341234"),
        ("mediators", m.as_str()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let keys: Vec<&str> = extra.iter().map(|(k, _)| *k).collect();
    base.retain(|(k, _)| !keys.contains(&k.as_str()));
    base.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    base
}

impl TestApp {
    /// Posts a case form; returns the response.
    pub async fn post_case(&mut self, form: &[(String, String)]) -> Page {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post("/cases", &pairs).await
    }

    /// Creates a case through the form and returns its id.
    pub async fn create_case(&mut self, form: &[(String, String)]) -> i64 {
        let page = self.post_case(form).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "case not created: {}", page.body);
        page.location.unwrap().trim_start_matches("/cases/").parse().unwrap()
    }
}

impl TestApp {
    /// Another browser on the same application and database.
    pub fn client(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            today: self.today,
            pool: self.pool.clone(),
            config: self.config.clone(),
            dir: self.dir.clone(),
            pg: self.pg.clone(),
            peer: None,
            cookies: Vec::new(),
            csrf: None,
        }
    }

    /// An independent copy of the whole database (sessions included, so
    /// this browser stays signed in), served by a new router on the same day.
    pub async fn fork(&self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = self.config.clone();
        let pg = match backend() {
            Backend::Sqlite => {
                let path = dir.path().join("accord.db");
                sqlx::query("VACUUM INTO ?")
                    .bind(path.to_str().unwrap())
                    .execute(self.pool.sqlite().unwrap())
                    .await
                    .unwrap();
                config.database = Location::File(path);
                None
            }
            Backend::Postgres => {
                let db = PgDatabase::create().await;
                config.database = Location::Server(db.url());
                Some(std::sync::Arc::new(db))
            }
        };
        let pool = accord::cli::open_database(&config).await.unwrap();
        if pg.is_some() {
            // `accord copy` moves everything but sessions; they follow here.
            accord::store::copy::copy(&self.pool, &pool, None).await.unwrap();
            let sessions: Vec<(String, String, i64)> = on_db!(self.pool, |e| {
                sqlx::query_as("SELECT id, data, expiry_date FROM http_sessions")
                    .fetch_all(e)
                    .await
            })
            .unwrap();
            for (id, data, expiry) in sessions {
                on_db!(pool, |e| {
                    sqlx::query("INSERT INTO http_sessions (id, data, expiry_date) VALUES ($1, $2, $3)")
                        .bind(&id)
                        .bind(&data)
                        .bind(expiry)
                        .execute(e)
                        .await
                        .map(|_| ())
                })
                .unwrap();
            }
        }
        let router = web::router(AppState::new(pool.clone(), config.clone(), Clock::Fixed(self.today)));
        TestApp {
            router,
            today: self.today,
            pool,
            config,
            dir: std::sync::Arc::new(dir),
            pg,
            peer: self.peer,
            cookies: self.cookies.clone(),
            csrf: self.csrf.clone(),
        }
    }

    /// This browser's cookie, to hand to a fork.
    pub fn with_cookie_of(mut self, other: &TestApp) -> TestApp {
        self.cookies = other.cookies.clone();
        self.csrf = other.csrf.clone();
        self
    }
}

impl TestApp {
    /// Posts `multipart/form-data` exactly to `uri`, the fields in the order
    /// given (the upload form's CSRF token is a body field that must come
    /// first; scripts may put it in the query string instead). Each field is
    /// (name, file name for a file part, content).
    pub async fn post_multipart(&mut self, uri: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Page {
        self.post_multipart_sized(uri, fields, true).await
    }

    /// [`TestApp::post_multipart`], with or without a Content-Length header
    /// (without, the server learns the size only as the body arrives).
    pub async fn post_multipart_sized(
        &mut self,
        uri: &str,
        fields: &[(&str, Option<&str>, &[u8])],
        declare_length: bool,
    ) -> Page {
        let boundary = "accord-test-boundary-7d1f0c";
        let mut body = Vec::new();
        for (name, filename, data) in fields {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match filename {
                Some(f) => format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                ),
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = self.builder("POST", uri).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        let body = if declare_length {
            req = req.header(header::CONTENT_LENGTH, body.len());
            Body::from(body)
        } else {
            // In pieces, as from a network.
            let pieces: Vec<Result<Vec<u8>, std::io::Error>> = body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            Body::from_stream(futures_util::stream::iter(pieces))
        };
        let req = req.body(body).unwrap();
        self.request(req).await
    }
}

/// An app with the admin `boss` signed in.
pub async fn admin_app() -> TestApp {
    let mut app = TestApp::new().await;
    app.add_user("boss", Role::Admin).await;
    app.login("boss").await;
    app
}

/// The `accord` binary, run in `dir`, quiet unless something goes wrong.
pub fn accord_cmd(dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.current_dir(dir)
        .env_remove("ACCORD_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn");
    cmd
}

/// A date written `YYYY-MM-DD`.
pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl TestApp {
    /// Applies a checked workflow change straight through the store, as the
    /// command line would.
    pub async fn apply(&self, id: i64, change: accord::domain::workflow::closing::Change) {
        accord::store::workflow::apply(&self.pool, id, &change, None)
            .await
            .unwrap();
    }

    /// Posts and expects the redirect of a success.
    pub async fn post_ok(&mut self, path: &str, pairs: &[(&str, &str)]) {
        let page = self.post(path, pairs).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "POST {path} failed: {}", page.body);
    }

    /// Accepts a case on `on` through its form.
    pub async fn accept(&mut self, id: i64, on: &str) {
        self.post_ok(&format!("/cases/{id}/accept"), &[("on", on)]).await;
    }

    /// A complete written settlement for 8,000.00, closed and agreed on
    /// `on`, to perform by `due`, through the settle form.
    pub async fn settle(&mut self, id: i64, on: &str, due: &str) {
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
        self.post_ok(&format!("/cases/{id}/settle"), &pairs).await;
    }
}

// issue 15 (helper 3): a second committee and people in it.
impl TestApp {
    /// Adds committee `id` under association 1, named `name`, numbering
    /// with `prefix` (straight into the table: the tests need no admin page).
    pub async fn add_committee(&self, id: i64, name: &str, prefix: &str) {
        let path = format!("/1/{id}/");
        on_db!(self.pool, |e| {
            sqlx::query(
                "INSERT INTO organisations (id, parent_id, kind, name, case_prefix, path, created_at)
                 VALUES ($1, 1, 'committee', $2, $3, $4, '2026-01-01T00:00:00Z')",
            )
            .bind(id)
            .bind(name)
            .bind(prefix)
            .bind(&path)
            .execute(e)
            .await
            .map(|_| ())
        })
        .unwrap();
    }

    /// Adds a user of committee `committee`; a mediator user gets a
    /// mediator record of the same name in that committee.
    pub async fn add_user_in(&self, committee: i64, name: &str, role: Role) -> i64 {
        let mediator = match role {
            Role::Mediator => Some(
                mediators::insert(&self.pool, committee, name, "13800000000", true)
                    .await
                    .unwrap(),
            ),
            _ => None,
        };
        users::insert(
            &self.pool,
            name,
            &accord::password::hash(PASSWORD),
            role,
            mediator,
            committee,
        )
        .await
        .unwrap()
    }
}
