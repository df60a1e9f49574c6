//! Issue 14, part 3: two `accord serve` processes on one PostgreSQL
//! database behave as one committee: a session signed in on one is good on
//! the other, case numbers stay gap-free under creates from both at once,
//! the statistics summary stays exact and the audit trail has one entry a
//! change.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use scraper::{Html, Selector};

use accord::on_db;
use accord::store::{self, Location};

use crate::common::{PgDatabase, accord_cmd, case_form, postgres_server};

/// Cases each server creates, two browsers at a time.
const PER_SERVER: usize = 12;

/// A running `accord serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts the binary on a port of its choosing and waits until it says
    /// where it listens; the first start also prints the admin's password.
    fn start(dir: &std::path::Path, url: &str) -> (Server, Option<String>) {
        let mut child = accord_cmd(dir)
            .args(["--db", url, "serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut password = None;
        let mut base = None;
        for line in BufReader::new(child.stdout.take().unwrap()).lines().take(20) {
            let line = line.unwrap();
            if let Some(p) = line.strip_prefix("Created the first user: admin / ") {
                password = Some(p.trim().to_string());
            }
            if let Some(a) = line.strip_prefix("Accord is serving at ") {
                base = Some(a.trim_end_matches('/').to_string());
                break;
            }
        }
        let base = base.expect("the server says where it listens");
        (Server { child, base }, password)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser over real HTTP: its cookies and the last CSRF token it read.
#[derive(Clone)]
struct Browser {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    cookies: Vec<(String, String)>,
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Browser {
    fn new(base: &str) -> Browser {
        Browser {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: base.to_string(),
            cookies: Vec::new(),
        }
    }

    async fn send(&mut self, method: &str, path: &str, form: Option<String>) -> Answer {
        let mut req = Request::builder().method(method).uri(format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.header(header::COOKIE, jar.join("; "));
        }
        let body = match form {
            Some(f) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Full::new(Bytes::from(f))
            }
            None => Full::new(Bytes::new()),
        };
        let response = self.client.request(req.body(body).unwrap()).await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let value = set.to_str().unwrap();
            let (name, val) = value.split(';').next().unwrap().split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.contains("Max-Age=0") {
                self.cookies.push((name.to_string(), val.to_string()));
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }

    /// Posts a form with the CSRF token of the page `token_from`.
    async fn post(&mut self, token_from: &str, path: &str, pairs: &[(String, String)]) -> Answer {
        let page = self.get(token_from).await;
        let token = csrf_token(&page.body).unwrap_or_else(|| panic!("a CSRF token on {token_from}: {}", page.status));
        let mut all = vec![("csrf_token".to_string(), token)];
        all.extend_from_slice(pairs);
        self.send("POST", path, Some(serde_urlencoded::to_string(&all).unwrap()))
            .await
    }

    async fn login(&mut self, user: &str, password: &str) {
        let pairs = [
            ("username".to_string(), user.to_string()),
            ("password".to_string(), password.to_string()),
        ];
        let answer = self.post("/login", "/login", &pairs).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "sign-in: {}", answer.body);
    }
}

/// The last CSRF token of a page's forms.
fn csrf_token(body: &str) -> Option<String> {
    let doc = Html::parse_document(body);
    let sel = Selector::parse("input[name=csrf_token]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("value"))
        .next_back()
        .map(str::to_string)
}

/// Creates `n` cases through one browser, then accepts each; answers their ids.
async fn create_and_accept(mut b: Browser, mediator: i64, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let answer = b.post("/cases/new", "/cases", &case_form(mediator, &[])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "create: {}", answer.body);
        let id = answer.location.unwrap().trim_start_matches("/cases/").parse().unwrap();
        ids.push(id);
    }
    for id in &ids {
        let on = [("on".to_string(), "2026-11-03".to_string())];
        let answer = b
            .post(&format!("/cases/{id}"), &format!("/cases/{id}/accept"), &on)
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "accept {id}: {}", answer.body);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_database_serve_one_consistent_committee() {
    if postgres_server().is_none() {
        println!("skipped: two servers need PostgreSQL; set ACCORD_TEST_POSTGRES=postgres://root@127.0.0.1/test");
        return;
    }
    let pg = PgDatabase::create().await;
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let (one, password) = Server::start(dir.path(), &url);
    let password = password.expect("the first start creates the admin");
    let (two, again) = Server::start(dir.path(), &url);
    assert!(again.is_none(), "the second server finds the admin there");

    let db = store::connect(&Location::Server(url.clone()), store::BUSY_TIMEOUT, Default::default())
        .await
        .unwrap();
    let mediator: i64 = on_db!(db, |e| sqlx::query_scalar(
        "INSERT INTO mediators (name, phone, active, created_at, committee_id)
         VALUES ('王调解', '13800000000', TRUE, '2026-11-01T00:00:00Z', 2) RETURNING id"
    )
    .fetch_one(e)
    .await)
    .unwrap();

    // Signed in on one server, the session is good on the other.
    let mut browsers = Vec::new();
    for server in [&one, &two, &one, &two] {
        let mut b = Browser::new(&server.base);
        b.login("admin", &password).await;
        browsers.push(b);
    }
    let mut crossing = browsers[0].clone();
    crossing.base = two.base.clone();
    assert_eq!(
        crossing.get("/cases").await.status,
        StatusCode::OK,
        "server 1's cookie on server 2"
    );
    let mut signed_out = Browser::new(&two.base);
    assert_eq!(signed_out.get("/cases").await.status, StatusCode::SEE_OTHER);

    // Four browsers, two on each server, create and accept at once.
    let tasks: Vec<_> = browsers
        .into_iter()
        .map(|b| tokio::spawn(create_and_accept(b, mediator, PER_SERVER / 2)))
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.unwrap());
    }
    let n = ids.len() as i64;
    assert_eq!(n, 2 * PER_SERVER as i64);

    let q = |sql: &'static str| {
        let db = db.clone();
        async move { on_db!(db, |e| sqlx::query_scalar::<_, i64>(sql).fetch_one(e).await).unwrap() }
    };
    // Case numbers: 1..n, each once, and the counter at n.
    let seqs: Vec<i64> = on_db!(db, |e| sqlx::query_scalar(
        "SELECT case_seq FROM cases ORDER BY case_seq"
    )
    .fetch_all(e)
    .await)
    .unwrap();
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>(), "gap-free and unique");
    assert_eq!(q("SELECT CAST(COUNT(DISTINCT case_no) AS BIGINT) FROM cases").await, n);
    assert_eq!(q("SELECT MAX(last_seq) FROM case_counters").await, n);

    // The summary is exact: the same as counting the cases themselves.
    let claimed = q("SELECT CAST(SUM(amount_claimed) AS BIGINT) FROM cases").await;
    assert_eq!(
        q("SELECT CAST(SUM(received) AS BIGINT) FROM stats_monthly WHERE committee_id = 0 AND dim = 'all'").await,
        n
    );
    assert_eq!(
        q("SELECT CAST(SUM(accepted) AS BIGINT) FROM stats_monthly WHERE committee_id = 0 AND dim = 'all'").await,
        n
    );
    assert_eq!(
        q("SELECT CAST(SUM(claimed) AS BIGINT) FROM stats_monthly WHERE committee_id = 0 AND dim = 'all'").await,
        claimed
    );
    assert_eq!(
        q("SELECT CAST(SUM(received) AS BIGINT) FROM stats_daily WHERE committee_id = 0 AND dim = 'mediator'").await,
        n
    );
    // One audit entry per action: a create and an accept per case.
    assert_eq!(
        q("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE entity = 'case' AND action = 'create'").await,
        n
    );
    let per_case: Vec<(i64, i64)> = on_db!(db, |e| sqlx::query_as(
        "SELECT case_id, CAST(COUNT(*) AS BIGINT) FROM audit_log
         WHERE case_id IS NOT NULL GROUP BY case_id ORDER BY case_id"
    )
    .fetch_all(e)
    .await)
    .unwrap();
    ids.sort();
    assert_eq!(per_case, ids.iter().map(|id| (*id, 2)).collect::<Vec<_>>());
    // `accord stats` reads the same totals.
    let out = accord_cmd(dir.path())
        .args(["--db", &url, "stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["cases_total"], n, "{stats}");
    assert_eq!(stats["accepted"], n);
    assert_eq!(
        stats["amount_claimed_total"].as_str().unwrap(),
        format!("{}.{:02}", claimed / 100, claimed % 100)
    );

    db.close().await;
    drop((one, two));
}
