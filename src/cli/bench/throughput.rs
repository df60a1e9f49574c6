//! `--throughput`: wrk, 2 threads, 16 connections on the case page, the
//! list and the dashboard, beside the same SQL in the `sqlite3` shell and
//! Datasette; with `--servers N`, the case page through one server and
//! then through N servers on the one database at once.

use super::super::anyhow_like::Result;
use super::load::{WrkRun, wrk, wrk_threads};
use super::server::{self, RssWatch, Server};
use super::side::Side;
use super::tools::Tools;
use super::{memory_line, ratio, sql, verdict};

/// One throughput target: accord's URL, its plain SQL, Datasette's URL.
struct Run {
    name: &'static str,
    path: String,
    target: f64,
    sql: &'static str,
    datasette: Option<String>,
}

/// How many times one server's rate N servers must reach (issue 14: 1.6
/// with two).
const SERVERS_TARGET: f64 = 1.6;
/// The connections of every run, whatever the number of servers.
const CONNECTIONS: u32 = 16;

pub(super) fn run(side: &Side, tools: &Tools, seconds: u64) -> Result {
    if !server::installed("wrk") {
        println!("wrk is not installed (apt-get install wrk): no throughput phase");
        return Ok(());
    }
    let setup = &side.setup;
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
    println!(
        "throughput: wrk, 2 threads, {CONNECTIONS} connections, {seconds} s, signed in ({})",
        side.label()
    );
    println!(
        "{:<24} {:>10} {:>8} {:>9} {:>7} {:>10} {:>12} {:>7} {:>11} {:>7}",
        "URL", "req/s", "p99", "errors", "target", "", "sqlite3 1×", "ratio", "datasette", "ratio"
    );
    for run in &runs {
        let watch = RssWatch::start(side.server.pid());
        let ours = wrk(
            &side.server.url(&run.path),
            Some(&side.admin),
            CONNECTIONS,
            seconds,
            None,
        )?;
        let peak = watch.finish();
        // The shell's timer counts whole milliseconds: below one, no figure.
        let plain = tools
            .sqlite3_ms(&setup.fill(run.sql))
            .filter(|ms| *ms >= 1.0)
            .map(|ms| 1000.0 / ms);
        let theirs = match &run.datasette {
            Some(url) => {
                let theirs = wrk(url, None, CONNECTIONS, seconds, None)?;
                if theirs.errors > 0 {
                    println!("(Datasette answered {} errors to {url})", theirs.errors);
                }
                (theirs.errors == 0).then_some(theirs.requests_per_sec)
            }
            None => None,
        };
        print_rate(run.name, &ours, run.target, plain, theirs);
        memory_line(&format!("after {}", run.name), side.server.rss_mb(), Some(peak));
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

/// The case page through one server, then through `count` servers on the
/// same database at once (one wrk per server, the connections shared out),
/// as a load balancer in front of them would spread them. Sessions live
/// in the database, so the one cookie is signed in on every server.
pub(super) fn servers(side: &Side, count: usize, seconds: u64, exe: Option<&std::path::Path>) -> Result {
    if !server::installed("wrk") {
        println!("wrk is not installed (apt-get install wrk): no throughput through several servers");
        return Ok(());
    }
    let mut extra = Vec::new();
    for _ in 1..count {
        extra.push(side.another_server(exe)?);
    }
    let all: Vec<&Server> = std::iter::once(&side.server).chain(&extra).collect();
    let path = format!("/cases/{}", side.setup.case);
    let before = server::cpu_ticks();
    let one = wrk(&side.server.url(&path), Some(&side.admin), CONNECTIONS, seconds, None)?;
    let one_busy = server::busy_percent(before, server::cpu_ticks());
    let before = server::cpu_ticks();
    let share = (CONNECTIONS / count as u32).max(1);
    let runs: Vec<Result<WrkRun>> = std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .iter()
            .map(|s| {
                let url = s.url(&path);
                let cookie = side.admin.as_str();
                scope.spawn(move || wrk_threads(&url, Some(cookie), 1, share, seconds))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a wrk thread panicked".into())))
            .collect()
    });
    let together_busy = server::busy_percent(before, server::cpu_ticks());
    let mut together = WrkRun::default();
    for run in runs {
        let run = run?;
        together.requests_per_sec += run.requests_per_sec;
        together.errors += run.errors;
        together.p99_ms = together.p99_ms.max(run.p99_ms);
    }
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    println!();
    println!(
        "the case page through {count} servers on one {} database ({CONNECTIONS} connections in all, {seconds} s; \
         servers, database and wrk share this machine's {cores} cores)",
        side.label()
    );
    println!(
        "{:<24} {:>10} {:>8} {:>9} {:>10}",
        "", "req/s", "p99", "errors", "CPU busy"
    );
    println!(
        "{:<24} {:>10.0} {:>5.0} ms {:>9} {:>9.0}%",
        "one server", one.requests_per_sec, one.p99_ms, one.errors, one_busy
    );
    println!(
        "{:<24} {:>10.0} {:>5.0} ms {:>9} {:>9.0}%",
        format!("{count} servers"),
        together.requests_per_sec,
        together.p99_ms,
        together.errors,
        together_busy
    );
    let times = together.requests_per_sec / one.requests_per_sec.max(1e-9);
    println!(
        "{count} servers / one: {times:.2}   target >= {SERVERS_TARGET}   {}",
        verdict(times >= SERVERS_TARGET && together.errors == 0)
    );
    if one_busy > 90.0 {
        println!(
            "(one server already kept this machine's CPUs {one_busy:.0}% busy: more servers can only share them; \
             the ratio means something with each server on machines or cores of its own)"
        );
    }
    Ok(())
}
