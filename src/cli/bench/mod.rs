//! `accord bench --db FILE`: the speed targets of issues 5, 6 and 12,
//! measured.
//!
//! Phases (all by default; `--writes`, `--pages`, `--throughput` and
//! `--soak SECONDS` pick some):
//! - `writes`, on scratch files beside `--db`: case creates per second with
//!   each durability setting, and how long a 50,000-row import holds the
//!   write lock;
//! - the load: `accord demo --cases N` into the fresh file (skipped with
//!   `--reuse`);
//! - `pages`: every GET route of the router (the table in `routes`, which
//!   must cover `web::route_list()`), median of 5 requests to a real
//!   listening server, beside the same SQL in the `sqlite3` shell and in
//!   Datasette on a copy of the file;
//! - `throughput`: wrk, 2 threads, 16 connections, 20 s on `/cases/{id}`,
//!   `/cases` and `/dashboard`, beside the same in sqlite3 and Datasette;
//! - `soak`: wrk with 200 connections and a mixed script of reads and
//!   writes (10 minutes by default).
//!
//! The server's resident memory is printed at idle and after each phase.
//! Build with `--release`: timings of a debug build mean nothing.

mod compare;
mod load;
mod routes;
mod server;
mod setup;
mod sql;
mod writes;

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::demo;
use crate::store;
use crate::web;
use compare::{Copy, Datasette, sqlite3_ms};
use load::{SoakPlan, WrkRun, wrk};
use routes::{PAGES, Who};
use server::{RssWatch, Server};
use setup::Setup;

/// The help of `accord bench --help`.
pub const LONG_ABOUT: &str = "Time the speed targets at national scale (issues 5, 6, 12).\n\n\
    Phases, all unless some are picked: --writes (on scratch files beside --db: case creates per second with \
    durability full and normal; the time a 50,000-row import holds the write lock, target 3 s); the load of \
    `accord demo --cases N` into the fresh file --db (target 120 s; skipped with --reuse, which uses the file as \
    it is); --pages (every GET route of the router, median of 5 requests to a real listening server, target \
    100 ms); --throughput (wrk, 2 threads, 16 connections, 20 s each: /cases/{id} 5,000 req/s, /cases 1,000, \
    /dashboard 500); --soak SECONDS (wrk, 200 connections, list, case page, dashboard, register, edit, add \
    session; no error, p99 under 200 ms; 600 s when no phase is picked). Each figure is printed beside its \
    target and beside the same SQL run by the sqlite3 shell and, where installed, Datasette (pip install \
    datasette) on a copy of the file, as a ratio; the server's resident memory (target 150 MB) at idle and \
    after each phase. Needs curl and wrk (apt-get install wrk sqlite3).\n\n\
    Build with --release: `cargo build --release && target/release/accord bench --db /tmp/bench.db --reuse`.";

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Cases to load.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
    /// Requests per page; the median is reported (after one not counted).
    #[arg(long, default_value_t = 5)]
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
    /// Time the writes (durability, import).
    #[arg(long)]
    pub writes: bool,
    /// Time every GET route.
    #[arg(long)]
    pub pages: bool,
    /// Run the throughput phase.
    #[arg(long)]
    pub throughput: bool,
    /// Run the soak phase for this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub soak: Option<u64>,
    /// Seconds of each throughput run.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Serve with this accord binary instead of this one (e.g. an older
    /// build, for a "before" column).
    #[arg(long, value_name = "PATH")]
    pub server_bin: Option<PathBuf>,
    /// The port Datasette listens on, when installed.
    #[arg(long, default_value_t = 8871)]
    pub datasette_port: u16,
}

/// How long the soak runs when no phase is picked.
const SOAK_DEFAULT_SECS: u64 = 600;
/// Resident memory the server must stay under (issue 12).
const RSS_TARGET_MB: f64 = 150.0;

fn median_ms(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v.get(v.len() / 2).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

/// `a / b` to two places, or `n/a`.
fn ratio(a: f64, b: Option<f64>) -> String {
    match b {
        Some(b) if b > 0.0 && a.is_finite() => format!("{:.2}", a / b),
        _ => "n/a".into(),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.1} ms"))
}

pub async fn run(config: Config, args: BenchArgs) -> Result {
    let missing = routes::missing(&web::route_list());
    if !missing.is_empty() {
        return Err(format!(
            "no benchmark entry for the GET route(s) {}: add them to src/cli/bench/routes.rs",
            missing.join(", ")
        )
        .into());
    }
    let stale = routes::stale(&web::route_list());
    if !stale.is_empty() {
        return Err(format!(
            "benchmark entries for GET routes the router does not have: {}",
            stale.join(", ")
        )
        .into());
    }
    let all = !args.writes && !args.pages && !args.throughput && args.soak.is_none();
    let soak = args.soak.or(all.then_some(SOAK_DEFAULT_SECS));
    let location = config.database.clone();
    // The write and import phases time a scratch SQLite file beside the
    // given one, and the generic tools read a copy of that file: on a
    // server, the pages, throughput and soak run alone.
    let file: Option<PathBuf> = location.file().map(std::path::Path::to_path_buf);
    if let Some(path) = &file
        && (all || args.writes)
    {
        writes::durability(path, args.creates).await?;
        writes::import(path, args.import_rows, config.durability).await?;
    } else if args.writes {
        println!("the write and import phases time SQLite files: not run on {location}");
    }
    if !(all || args.pages || args.throughput || soak.is_some()) {
        return Ok(());
    }
    if file.as_ref().is_some_and(|p| p.exists()) && !args.reuse {
        return Err(
            format!("{location} exists; remove it for a fresh load, or pass --reuse to use the cases in it").into(),
        );
    }
    let busy = std::time::Duration::from_secs(u64::from(config.busy_timeout_seconds));
    let pool = store::connect(&location, busy, config.durability).await?;
    if !args.reuse {
        let options = demo::Options {
            cases: Some(args.cases),
            seed: 2023,
            force: false,
            durability: config.durability,
        };
        let loaded = demo::load(&pool, &config.case_prefix, &options).await?;
        println!(
            "{:<44} {:>10.1} s   target < 120 s   {}",
            format!("demo load, {} cases ({:?})", loaded.cases, pool.backend()),
            loaded.seconds,
            verdict(loaded.seconds < 120.0)
        );
    }
    // The attachments' folder beside the file (or the configured one for a
    // server), shared with the server.
    let files_dir = file
        .as_ref()
        .map_or_else(|| config.files_dir.clone(), |p| p.with_extension("files"));
    let setup = Setup::prepare(&pool, &files_dir).await?;
    pool.close().await;

    let tools = match &file {
        Some(path) => Tools::start(path, args.datasette_port),
        None => Tools {
            copy: None,
            datasette: None,
        },
    };
    let server = Server::start(location.as_ref(), &files_dir, args.server_bin.as_deref())?;
    let admin = server::sign_in(&server, &setup.admin.0, &setup.admin.1)?;
    let mediator = server::sign_in(&server, &setup.mediator.0, &setup.mediator.1)?;
    // The server hands freed memory back every 2 s: idle is after that.
    std::thread::sleep(Duration::from_secs(3));
    println!(
        "server pid {} at {}; resident memory at idle: {:.0} MB (target < {RSS_TARGET_MB:.0} MB)",
        server.pid(),
        server.addr,
        server.rss_mb()
    );
    if all || args.pages {
        pages(&server, &setup, &admin, &mediator, &tools, args.runs)?;
        memory_line("after the pages", server.rss_mb(), None);
    }
    if all || args.throughput {
        throughput(&server, &setup, &admin, &tools, args.seconds)?;
    }
    if let Some(seconds) = soak {
        soak_phase(&server, &setup, &admin, seconds)?;
    }
    Ok(())
}

fn memory_line(when: &str, now: f64, peak: Option<f64>) {
    let peak_text = peak.map_or(String::new(), |p| format!(", peak under the load {p:.0} MB"));
    let worst = peak.unwrap_or(now).max(now);
    println!(
        "server resident memory {when}: {now:.0} MB{peak_text} (target < {RSS_TARGET_MB:.0} MB) {}",
        verdict(worst < RSS_TARGET_MB)
    );
}

/// The generic tools beside accord, on a copy of the file.
struct Tools {
    copy: Option<Copy>,
    datasette: Option<Datasette>,
}

impl Tools {
    fn start(db: &std::path::Path, port: u16) -> Tools {
        let sqlite3 = server::installed("sqlite3");
        let datasette_installed = server::installed("datasette");
        if !sqlite3 {
            println!("sqlite3 is not installed (apt-get install sqlite3): no side-by-side figures");
        }
        if !datasette_installed {
            println!("Datasette is not installed (pip install datasette): no Datasette column");
        }
        let copy = if sqlite3 || datasette_installed {
            match Copy::make(db) {
                Ok(c) => Some(c),
                Err(e) => {
                    println!("could not copy the file for the other tools: {e}");
                    None
                }
            }
        } else {
            None
        };
        let datasette = match (&copy, datasette_installed) {
            (Some(c), true) => {
                let d = Datasette::start(&c.0, port);
                if d.is_none() {
                    println!("Datasette did not start on port {port}: no Datasette column");
                }
                d
            }
            _ => None,
        };
        Tools { copy, datasette }
    }

    fn sqlite3_ms(&self, sql: &str) -> Option<f64> {
        sqlite3_ms(&self.copy.as_ref()?.0, sql)
    }
}

fn pages(server: &Server, setup: &Setup, admin: &str, mediator: &str, tools: &Tools, runs: usize) -> Result {
    println!();
    println!(
        "{:<44} {:>10} {:>9} {:>12} {:>7} {:>12} {:>7}",
        "page (median of 5)", "accord", "target", "sqlite3", "ratio", "datasette", "ratio"
    );
    let mut slow = 0;
    for page in PAGES {
        let cookie = match page.who {
            Who::Admin => Some(admin),
            Who::Mediator => Some(mediator),
            Who::Anonymous => None,
        };
        let url = server.url(&setup.fill(page.path));
        let mut times = Vec::new();
        let mut refused = None;
        for i in 0..=runs {
            let (status, secs) = server::time_get(&url, cookie)?;
            if !(200..400).contains(&status) {
                refused = Some(status);
                break;
            }
            // The first request warms the caches and is not counted.
            if i > 0 {
                times.push(Duration::from_secs_f64(secs));
            }
        }
        if let Some(status) = refused {
            slow += 1;
            println!("{:<44} answered HTTP {status}: MISSED", page.name);
            continue;
        }
        let ours = median_ms(times);
        let sql = page.sql.map(|s| setup.fill(s));
        let plain = sql.as_deref().and_then(|s| tools.sqlite3_ms(s));
        let ds = sql
            .as_deref()
            .and_then(|s| tools.datasette.as_ref().and_then(|d| d.sql_ms(s)));
        let ok = ours < page.target_ms;
        slow += usize::from(!ok);
        println!(
            "{:<44} {:>7.1} ms {:>6.0} ms {:>12} {:>7} {:>12} {:>7} {}",
            page.name,
            ours,
            page.target_ms,
            ms(plain),
            ratio(ours, plain),
            ms(ds),
            ratio(ours, ds),
            verdict(ok)
        );
    }
    println!(
        "{} of {} pages within target; ratio = accord's page / the same SQL in the other tool (below 1: accord faster)",
        PAGES.len() - slow,
        PAGES.len()
    );
    Ok(())
}

/// One throughput target: accord's URL, its plain SQL, Datasette's URL.
struct Run {
    name: &'static str,
    path: String,
    target: f64,
    sql: &'static str,
    datasette: Option<String>,
}

fn throughput(server: &Server, setup: &Setup, cookie: &str, tools: &Tools, seconds: u64) -> Result {
    if !server::installed("wrk") {
        println!("wrk is not installed (apt-get install wrk): no throughput phase");
        return Ok(());
    }
    let ds = tools.datasette.as_ref();
    let runs = [
        Run {
            name: "/cases/{id}",
            path: format!("/cases/{}", setup.case),
            target: 5000.0,
            sql: sql::CASE_PAGE,
            datasette: ds.map(|d| d.row_url("cases", setup.case)),
        },
        Run {
            name: "/cases, first page",
            path: "/cases".into(),
            target: 1000.0,
            sql: sql::CASES_FIRST,
            datasette: ds.map(|d| d.table_url("cases", "received_on")),
        },
        Run {
            name: "/dashboard",
            path: "/dashboard".into(),
            target: 500.0,
            sql: sql::DASHBOARD_ALL,
            datasette: ds.map(|d| d.sql_url(sql::DASHBOARD_ALL.split(";\n").next().unwrap_or_default())),
        },
    ];
    println!();
    println!("throughput: wrk, 2 threads, 16 connections, {seconds} s, signed in");
    println!(
        "{:<24} {:>10} {:>8} {:>9} {:>7} {:>10} {:>12} {:>7} {:>11} {:>7}",
        "URL", "req/s", "p99", "errors", "target", "", "sqlite3 1×", "ratio", "datasette", "ratio"
    );
    for run in &runs {
        let watch = RssWatch::start(server.pid());
        let ours = wrk(&server.url(&run.path), Some(cookie), 16, seconds, None)?;
        let peak = watch.finish();
        // The shell's timer counts whole milliseconds: below one, no figure.
        let plain = tools
            .sqlite3_ms(&setup.fill(run.sql))
            .filter(|ms| *ms >= 1.0)
            .map(|ms| 1000.0 / ms);
        let theirs = match &run.datasette {
            Some(url) => {
                let theirs = wrk(url, None, 16, seconds, None)?;
                if theirs.errors > 0 {
                    println!("(Datasette answered {} errors to {url})", theirs.errors);
                }
                (theirs.errors == 0).then_some(theirs.requests_per_sec)
            }
            None => None,
        };
        print_rate(run.name, &ours, run.target, plain, theirs);
        memory_line(&format!("after {}", run.name), server.rss_mb(), Some(peak));
    }
    println!("sqlite3 1× = the same SQL in the shell, one connection, as requests per second; ratio = accord / it");
    Ok(())
}

fn print_rate(name: &str, run: &WrkRun, target: f64, plain: Option<f64>, theirs: Option<f64>) {
    let rate = |v: Option<f64>| v.map_or("n/a".into(), |v| format!("{v:.0}"));
    println!(
        "{:<24} {:>10.0} {:>5.0} ms {:>9} {:>7.0} {:>10} {:>12} {:>7} {:>11} {:>7}",
        name,
        run.requests_per_sec,
        run.p99_ms,
        run.errors,
        target,
        verdict(run.requests_per_sec >= target && run.errors == 0),
        rate(plain),
        ratio(run.requests_per_sec, plain),
        rate(theirs),
        ratio(run.requests_per_sec, theirs),
    );
}

fn soak_phase(server: &Server, setup: &Setup, cookie: &str, seconds: u64) -> Result {
    if !server::installed("wrk") {
        println!("wrk is not installed (apt-get install wrk): no soak phase");
        return Ok(());
    }
    let token = server::csrf_token(&server::get_body(&server.url("/cases/new"), cookie)?)
        .ok_or("no CSRF token on /cases/new")?;
    let today = chrono::Utc::now().date_naive().to_string();
    let case_form = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("received_on", today.as_str()),
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
        ("mediators", &setup.case_mediator.to_string()),
    ])?;
    let session_form = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("held_on", today.as_str()),
        ("form", "on_site"),
        ("mediators", &setup.session_mediator.to_string()),
    ])?;
    // One of each write first, so a refused form stops here with its status.
    let (status, location) = server::post_form(&server.url("/cases"), cookie, &case_form)?;
    let edit_case: i64 = location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .filter(|_| status == 303)
        .ok_or(format!("registering a case answered {status}"))?;
    for path in [
        format!("/cases/{edit_case}"),
        format!("/cases/{}/sessions", setup.soak_case),
    ] {
        let body = if path.ends_with("sessions") {
            &session_form
        } else {
            &case_form
        };
        let (status, _) = server::post_form(&server.url(&path), cookie, body)?;
        if status != 303 {
            return Err(format!("POST {path} answered {status}").into());
        }
    }
    let plan = SoakPlan {
        cookie: cookie.to_string(),
        max_case_id: setup.max_case_id,
        case_form,
        edit_case,
        session_case: setup.soak_case,
        session_form,
    };
    let script = std::env::temp_dir().join(format!("accord-bench-soak-{}.lua", std::process::id()));
    std::fs::write(&script, load::soak_script(&plan))?;
    println!();
    println!(
        "soak: wrk, 200 connections, {seconds} s: 30% /cases pages, 30% case pages, 20% /dashboard, \
         5% registrations, 5% edits, 10% sessions added"
    );
    let watch = RssWatch::start(server.pid());
    let run = wrk(&server.url("/"), None, 200, seconds, Some(&script.to_string_lossy()));
    let peak = watch.finish();
    let _ = std::fs::remove_file(&script);
    let run = run?;
    println!(
        "{} requests, {:.0} req/s, {} errors ({} timed out after 10 s; target 0) {}, p50 {:.1} ms, p99 {:.1} ms \
         (target < 200 ms) {}",
        run.requests,
        run.requests_per_sec,
        run.errors,
        run.timeouts,
        verdict(run.errors == 0),
        run.p50_ms,
        run.p99_ms,
        verdict(run.p99_ms < 200.0)
    );
    memory_line("after the soak", server.rss_mb(), Some(peak));
    Ok(())
}
