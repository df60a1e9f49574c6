//! `accord bench --db FILE`: the speed targets of issue 5, measured.
//!
//! Loads `accord demo --cases 1000000` into a fresh file and times it, then
//! renders the dashboard (every year, one year) and the case list (two
//! filters and a text search) through the real router several times, and
//! prints each median next to the same aggregates run by the `sqlite3`
//! shell on the same file. Before that, on scratch files beside it, the
//! write side (`writes`): case creates per second with each durability
//! setting, and how long a 50,000-row import holds the write lock. Build
//! with `--release`: timings of a debug build mean nothing.

mod writes;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::http::{Request, header};
use clap::Args;
use tower::ServiceExt;

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::demo;
use crate::domain::Role;
use crate::store::{self, users};
use crate::{password, web};

/// The help of `accord bench --help`.
pub const LONG_ABOUT: &str = "Time the speed targets at national scale. Loads `accord demo --cases 1000000` into \
    the fresh file given by --db and times the load (target: under 2 minutes), then renders /dashboard over all \
    years (target: 300 ms) and for one year (100 ms), and /cases with two filters and a text search (100 ms) and sorted by amount (100 ms) \
    through the real router, each several times, and prints the medians next to the same plain aggregate queries \
    run by the `sqlite3` shell on the same file (apt-get install sqlite3), with their ratio. First, on scratch \
    files beside --db, the writes: case creates per second with durability full and normal side by side, and the \
    time a 50,000-row CSV import holds the write lock (target: under 3 s); --writes-only stops there.\n\n\
    Build with --release: `cargo build --release && RUST_LOG=warn target/release/accord bench --db /tmp/bench.db`.";

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Cases to load.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
    /// Times each page is rendered; the median is reported.
    #[arg(long, default_value_t = 9)]
    pub runs: usize,
    /// Use the cases already in the file instead of loading a fresh one.
    #[arg(long)]
    pub reuse: bool,
    /// Case creates timed with each durability setting.
    #[arg(long, default_value_t = 300)]
    pub creates: usize,
    /// Rows of the timed import.
    #[arg(long, default_value_t = 50_000)]
    pub import_rows: usize,
    /// Time only the writes (durability, import), not the load and pages.
    #[arg(long)]
    pub writes_only: bool,
}

/// One measured page: its path, target, and the plain SQL it stands for.
struct Probe {
    name: &'static str,
    path: &'static str,
    target_ms: f64,
    sql: &'static str,
}

const PROBES: [Probe; 4] = [
    Probe {
        name: "/dashboard, all years",
        path: "/dashboard",
        target_ms: 300.0,
        sql: PLAIN_ALL,
    },
    Probe {
        name: "/dashboard, one year (2024)",
        path: "/dashboard?year=2024",
        target_ms: 100.0,
        sql: PLAIN_YEAR,
    },
    Probe {
        name: "/cases, 2 filters + text search",
        path: "/cases?category=fees&district=chaoyang&q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD",
        target_ms: 100.0,
        sql: PLAIN_CASES,
    },
    Probe {
        name: "/cases, every case by amount, page 100 of 200",
        path: "/cases?sort=amount_claimed&dir=asc&per_page=200&page=100",
        target_ms: 100.0,
        sql: PLAIN_SORTED,
    },
];

/// What a plain implementation would run for the dashboard: the totals
/// and each breakdown straight from `cases`.
const PLAIN_ALL: &str = "
SELECT COUNT(*), SUM(amount_claimed), SUM(accepted_on IS NOT NULL), SUM(status = 'settled'),
       SUM(COALESCE(amount_agreed, 0)) FROM cases;
SELECT category, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY category;
SELECT source, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY source;
SELECT district, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY district;
SELECT substr(received_on, 1, 7), COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY 1;
SELECT cm.mediator_id, COUNT(*), SUM(c.amount_claimed) FROM cases c
  JOIN case_mediators cm ON cm.case_id = c.id GROUP BY cm.mediator_id;
";

const PLAIN_YEAR: &str = "
SELECT COUNT(*), SUM(amount_claimed), SUM(accepted_on IS NOT NULL), SUM(status = 'settled'),
       SUM(COALESCE(amount_agreed, 0)) FROM cases WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31';
SELECT category, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY category;
SELECT source, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY source;
SELECT district, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY district;
SELECT substr(received_on, 1, 7), COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY 1;
SELECT cm.mediator_id, COUNT(*), SUM(c.amount_claimed) FROM cases c JOIN case_mediators cm ON cm.case_id = c.id
  WHERE c.received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY cm.mediator_id;
";

const PLAIN_CASES: &str = "
SELECT COUNT(*) FROM cases c WHERE c.category = 'fees' AND c.district = 'chaoyang'
  AND (c.project LIKE '%阳光花园%' OR c.summary LIKE '%阳光花园%' OR c.case_no LIKE '%阳光花园%'
       OR c.id IN (SELECT case_id FROM parties WHERE name LIKE '%阳光花园%'));
SELECT c.id, c.case_no FROM cases c WHERE c.category = 'fees' AND c.district = 'chaoyang'
  AND (c.project LIKE '%阳光花园%' OR c.summary LIKE '%阳光花园%' OR c.case_no LIKE '%阳光花园%'
       OR c.id IN (SELECT case_id FROM parties WHERE name LIKE '%阳光花园%'))
  ORDER BY c.received_on DESC, c.id DESC LIMIT 50;
";

const PLAIN_SORTED: &str = "
SELECT COUNT(*) FROM cases;
SELECT id, case_no FROM cases ORDER BY amount_claimed, id LIMIT 200 OFFSET 19800;
";

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

pub async fn run(config: Config, args: BenchArgs) -> Result {
    let path: PathBuf = config.database.clone();
    writes::durability(&path, args.creates).await?;
    writes::import(&path, args.import_rows, config.durability).await?;
    if args.writes_only {
        return Ok(());
    }
    if path.exists() && !args.reuse {
        return Err(format!(
            "{} exists; remove it for a fresh load, or pass --reuse to time only the pages",
            path.display()
        )
        .into());
    }
    let pool = store::open_with(&path, store::BUSY_TIMEOUT, config.durability).await?;
    if !args.reuse {
        let options = demo::Options {
            cases: Some(args.cases),
            seed: 2023,
            force: false,
            durability: config.durability,
        };
        let loaded = demo::load(&pool, &config.case_prefix, &options).await?;
        println!(
            "{:<36} {:>10.1} s   target < 120 s   {}",
            format!("demo load, {} cases", loaded.cases),
            loaded.seconds,
            verdict(loaded.seconds < 120.0)
        );
    }
    let user = format!("bench-{}", std::process::id());
    let pw = password::generate();
    users::insert(&pool, &user, &password::hash_async(pw.clone()).await, Role::Admin, None).await?;
    let router = web::router(web::AppState::new(pool.clone(), config.clone(), Clock::System));
    let cookie = sign_in(&router, &user, &pw).await?;
    println!(
        "{:<36} {:>10} {:>12} {:>8} {:>8}",
        "page (median)", "accord", "sqlite3", "ratio", "target"
    );
    for probe in &PROBES {
        let mut times = Vec::new();
        for i in 0..=args.runs {
            let started = Instant::now();
            let status = get(&router, probe.path, &cookie).await?;
            if status != 200 {
                return Err(format!("{} answered {status}", probe.path).into());
            }
            // The first run warms the caches and is not counted.
            if i > 0 {
                times.push(started.elapsed());
            }
        }
        let ours = median(times);
        let theirs = sqlite3_ms(&path, probe.sql);
        let (plain, ratio) = match theirs {
            Some(ms) => (format!("{ms:.1} ms"), format!("{:.2}", ours / ms)),
            None => ("n/a".into(), "n/a".into()),
        };
        println!(
            "{:<36} {:>7.1} ms {:>12} {:>8} {:>5.0} ms {}",
            probe.name,
            ours,
            plain,
            ratio,
            probe.target_ms,
            verdict(ours < probe.target_ms)
        );
    }
    println!("ratio = accord's page / the plain aggregate queries in the sqlite3 shell (below 1: faster)");
    pool.close().await;
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "SLOW" }
}

async fn sign_in(router: &axum::Router, user: &str, pw: &str) -> Result<String> {
    let page = router
        .clone()
        .oneshot(Request::get("/login").body(Body::empty())?)
        .await?;
    let cookie = page
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_string();
    let body = String::from_utf8_lossy(&to_bytes(page.into_body(), 1 << 20).await?).into_owned();
    let token = body
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no CSRF token on the sign-in page")?;
    let form = serde_urlencoded::to_string([("csrf_token", token), ("username", user), ("password", pw)])?;
    let response = router
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))?,
        )
        .await?;
    // Signing in gives the session a new id.
    Ok(response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .unwrap_or(cookie))
}

async fn get(router: &axum::Router, path: &str, cookie: &str) -> Result<u16> {
    let response = router
        .clone()
        .oneshot(Request::get(path).header(header::COOKIE, cookie).body(Body::empty())?)
        .await?;
    let status = response.status().as_u16();
    to_bytes(response.into_body(), 64 << 20).await?;
    Ok(status)
}

/// The median of three runs of `sql` in the sqlite3 shell, from its own
/// `.timer` (so the shell's start-up is not counted); `None` without it.
fn sqlite3_ms(path: &std::path::Path, sql: &str) -> Option<f64> {
    let mut runs = Vec::new();
    for _ in 0..3 {
        let mut child = Command::new("sqlite3")
            .arg(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        child
            .stdin
            .take()?
            .write_all(format!(".timer on\n{sql}").as_bytes())
            .ok()?;
        let out = child.wait_with_output().ok()?;
        if !out.status.success() {
            eprintln!("sqlite3: {}", String::from_utf8_lossy(&out.stderr));
            return None;
        }
        let total: f64 = String::from_utf8_lossy(&out.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&out.stderr).lines())
            .filter_map(|l| l.strip_prefix("Run Time: real "))
            .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
            .sum();
        runs.push(Duration::from_secs_f64(total));
    }
    Some(median(runs))
}
