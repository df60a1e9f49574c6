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
//! `--beside DB` loads and serves a second database the same way and
//! times every page on both, side by side (PostgreSQL beside SQLite, say);
//! `--servers N` adds the case page's throughput through N servers on the
//! one database against one server.
//!
//! The server's resident memory is printed at idle and after each phase.
//! Build with `--release`: timings of a debug build mean nothing.

mod compare;
mod export;
mod load;
mod pages;
mod routes;
mod server;
mod setup;
mod side;
mod soak;
mod sql;
mod throughput;
mod tools;
mod writes;

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::Location;
use crate::web;
use side::Side;
use tools::Tools;

/// The help of `accord bench --help`.
pub const LONG_ABOUT: &str = "Time the speed targets at national scale (issues 5, 6, 12).\n\n\
    Phases, all unless some are picked: --writes (on scratch files beside --db: case creates per second with \
    durability full and normal; the time a 50,000-row import holds the write lock, target 3 s); the load of \
    `accord demo --cases N` into the fresh file --db (target 60 s; skipped with --reuse, which uses the file as \
    it is); --pages (every GET route of the router, median of 5 requests to a real listening server, target \
    100 ms); --throughput (wrk, 2 threads, 16 connections, 20 s each: /cases/{id} 5,000 req/s, /cases 1,000, \
    /dashboard 500); --soak SECONDS (wrk, 200 connections, list, case page, dashboard, register, edit, add \
    session; no error, p99 under 200 ms; 600 s when no phase is picked; --think MS: each connection waits about \
    that long between answer and next request, as a user does). Each figure is printed beside its \
    target and beside the same SQL run by the sqlite3 shell and, where installed, Datasette (pip install \
    datasette) on a copy of the file, as a ratio; the server's resident memory (target 150 MB) at idle and \
    after each phase. --beside DB loads and serves a second database the same way (e.g. a SQLite file beside a \
    PostgreSQL database) and prints every page's time on both side by side, and each one's CSV export rate \
    (target 200,000 rows/s); --servers N adds the case page through N servers on the one database at once \
    against one server (target: 1.6 times with two). Needs curl and wrk (apt-get install wrk sqlite3).\n\n\
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
    /// In the soak, each connection waits between half and one and a half
    /// times this many milliseconds after each answer, as a user reads the
    /// page before the next click; 0 sends the next request at once (the
    /// server saturated: its latency is then 200 / throughput on average).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub think: u64,
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
    /// A second database timed beside --db, page by page, loaded the same
    /// way (e.g. a SQLite file beside a PostgreSQL database).
    #[arg(long, value_name = "FILE|URL")]
    pub beside: Option<String>,
    /// With --throughput, also serve the case page through this many
    /// servers on the one database at once, beside one server.
    #[arg(long, default_value_t = 1)]
    pub servers: usize,
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
            "no benchmark entry for the GET route(s) {}: add them to src/cli/bench/routes/",
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
    if let Some(path) = location.file()
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
    let time_export = all || args.pages;
    let main = Side::open(&config, &location, &args, time_export).await?;
    let beside = match args.beside.as_deref().map(Location::parse) {
        Some(other) => Some(Side::open(&config, &other, &args, time_export).await?),
        None => None,
    };
    // The generic tools stand beside one database; two databases are
    // compared with each other instead.
    let tools = match (&beside, main.location.file()) {
        (None, Some(path)) => Tools::start(path, args.datasette_port),
        _ => Tools::none(),
    };
    // The server hands freed memory back every 2 s: idle is after that.
    std::thread::sleep(Duration::from_secs(3));
    for side in std::iter::once(&main).chain(&beside) {
        println!(
            "{} server pid {} at {}; resident memory at idle: {:.0} MB (target < {RSS_TARGET_MB:.0} MB)",
            side.label(),
            side.server.pid(),
            side.server.addr,
            side.server.rss_mb()
        );
    }
    if all || args.pages {
        match &beside {
            Some(other) => pages::beside(&main, other, args.runs)?,
            None => pages::alone(&main, &tools, args.runs)?,
        }
        for side in std::iter::once(&main).chain(&beside) {
            memory_line(
                &format!("after the pages ({})", side.label()),
                side.server.rss_mb(),
                None,
            );
        }
    }
    if all || args.throughput {
        throughput::run(&main, &tools, args.seconds)?;
        if args.servers > 1 {
            throughput::servers(&main, args.servers, args.seconds, args.server_bin.as_deref())?;
        }
    }
    if let Some(seconds) = soak {
        soak::run(&main, seconds, args.think)?;
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
