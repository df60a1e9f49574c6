//! Load through `wrk`: the throughput runs (2 threads, 16 connections, one
//! URL each) and the soak (200 connections, a mixed Lua script of reads
//! and writes).

use std::process::Command;

use super::super::anyhow_like::Result;

/// What one wrk run measured.
#[derive(Debug, Default)]
pub struct WrkRun {
    pub requests_per_sec: f64,
    pub requests: u64,
    /// Non-2xx/3xx answers plus socket errors (connect, read, write, timeout).
    pub errors: u64,
    /// Of `errors`, the requests wrk gave up waiting for.
    pub timeouts: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Runs wrk with two threads against `url`; `script` is a Lua file for
/// mixed requests.
pub fn wrk(url: &str, cookie: Option<&str>, connections: u32, seconds: u64, script: Option<&str>) -> Result<WrkRun> {
    run_wrk(url, cookie, 2, connections, seconds, script)
}

/// Runs wrk with `threads` threads against `url`.
pub fn wrk_threads(url: &str, cookie: Option<&str>, threads: u32, connections: u32, seconds: u64) -> Result<WrkRun> {
    run_wrk(url, cookie, threads, connections, seconds, None)
}

fn run_wrk(
    url: &str,
    cookie: Option<&str>,
    threads: u32,
    connections: u32,
    seconds: u64,
    script: Option<&str>,
) -> Result<WrkRun> {
    let mut cmd = Command::new("wrk");
    cmd.args(["--latency", "--timeout", "10s"])
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"));
    if let Some(c) = cookie {
        cmd.arg("-H").arg(format!("Cookie: {c}"));
    }
    if let Some(s) = script {
        cmd.args(["-s", s]);
    }
    let out = cmd.arg(url).output()?;
    if !out.status.success() {
        return Err(format!("wrk failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// wrk's latency figure (`812.00us`, `1.23ms`, `2.01s`) in milliseconds.
fn millis(text: &str) -> f64 {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().unwrap_or(f64::NAN) * factor
}

fn parse(output: &str) -> WrkRun {
    let mut run = WrkRun::default();
    for line in output.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => run.p50_ms = millis(v),
            ["99%", v] => run.p99_ms = millis(v),
            ["Requests/sec:", v] => run.requests_per_sec = v.parse().unwrap_or(0.0),
            [n, "requests", "in", ..] => run.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => run.errors += n.parse::<u64>().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                run.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
                run.timeouts = rest
                    .windows(2)
                    .find(|w| w[0] == "timeout")
                    .and_then(|w| w[1].parse().ok())
                    .unwrap_or(0);
            }
            _ => {}
        }
    }
    run
}

/// What the soak's requests need: the signed-in cookie, its CSRF token,
/// and the cases it edits and adds sessions to.
pub struct SoakPlan {
    pub cookie: String,
    pub max_case_id: i64,
    /// A form body registering a case (also used to edit `edit_case`).
    pub case_form: String,
    pub edit_case: i64,
    pub session_case: i64,
    pub session_form: String,
    /// Milliseconds a connection waits, on average, between an answer and
    /// its next request (0: none).
    pub think_ms: u64,
}

/// The Lua script of the soak: 30% case list pages, 30% case pages,
/// 20% dashboard, 5% registrations, 5% edits, 10% sessions added; with a
/// think time, wrk's `delay` holds each connection's next request back
/// (wrk times a request from its sending, so the wait is not counted).
pub fn soak_script(plan: &SoakPlan) -> String {
    let lua = |s: &str| format!("{s:?}");
    let delay = match plan.think_ms {
        0 => String::new(),
        ms => format!(
            "delay = function() return math.random({}, {}) end\n",
            ms / 2,
            ms * 3 / 2
        ),
    };
    format!(
        r#"math.randomseed(os.time())
local get = {{ ["Cookie"] = {cookie} }}
local post = {{ ["Cookie"] = {cookie}, ["Content-Type"] = "application/x-www-form-urlencoded" }}
request = function()
  local r = math.random(100)
  if r <= 30 then return wrk.format("GET", "/cases?page=" .. math.random(20), get)
  elseif r <= 60 then return wrk.format("GET", "/cases/" .. math.random({max}), get)
  elseif r <= 80 then return wrk.format("GET", "/dashboard", get)
  elseif r <= 85 then return wrk.format("POST", "/cases", post, {case_form})
  elseif r <= 90 then return wrk.format("POST", "/cases/{edit}", post, {case_form})
  else return wrk.format("POST", "/cases/{session}/sessions", post, {session_form})
  end
end
{delay}"#,
        cookie = lua(&plan.cookie),
        max = plan.max_case_id,
        case_form = lua(&plan.case_form),
        edit = plan.edit_case,
        session = plan.session_case,
        session_form = lua(&plan.session_form),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With a think time, each connection's next request waits half to one
    /// and a half times it; without, the script has no `delay` and wrk
    /// sends at once.
    #[test]
    fn the_soak_waits_between_requests_only_with_a_think_time() {
        let mut plan = SoakPlan {
            cookie: "id=1".into(),
            max_case_id: 9,
            case_form: "a=1".into(),
            edit_case: 2,
            session_case: 3,
            session_form: "b=2".into(),
            think_ms: 1000,
        };
        let paced = soak_script(&plan);
        assert!(
            paced.contains("\ndelay = function() return math.random(500, 1500) end\n"),
            "{paced}"
        );
        plan.think_ms = 0;
        let at_once = soak_script(&plan);
        assert!(!at_once.contains("delay"), "{at_once}");
        assert!(at_once.contains("\"/cases/2\", post, \"a=1\""), "{at_once}");
    }

    #[test]
    fn reads_wrk_output() {
        let out = "Running 20s test @ http://127.0.0.1:1/cases
  2 threads and 16 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     99%    2.01s
  35463 requests in 20.00s, 1.2GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   1773.27
";
        let run = parse(out);
        assert_eq!(run.requests, 35463);
        assert_eq!(run.errors, 9);
        assert_eq!(run.timeouts, 3);
        assert!((run.p50_ms - 0.812).abs() < 1e-9);
        assert!((run.p99_ms - 2010.0).abs() < 1e-9);
        assert!((run.requests_per_sec - 1773.27).abs() < 1e-9);
    }
}
