//! A real listening server for the benchmark: this same binary running
//! `serve` on the file, so its resident memory is the server's alone, and
//! requests through `curl` (installed wherever `wrk` is).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::super::anyhow_like::Result;

pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts `accord serve` (this binary, or `exe`) on a free port of 127.0.0.1 and waits until it
    /// listens.
    pub fn start(db: &std::ffi::OsStr, files_dir: &Path, exe: Option<&Path>) -> Result<Server> {
        let exe = match exe {
            Some(e) => e.to_path_buf(),
            None => std::env::current_exe()?,
        };
        let mut child = Command::new(exe)
            .arg("--db")
            .arg(db)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("ACCORD_SECURE_COOKIES", "false")
            .env("ACCORD_FILES_DIR", files_dir)
            // `ACCORD_BENCH_LOG` sets the server's log filter (e.g.
            // `sqlx::query=debug` to see every statement's time).
            .env(
                "RUST_LOG",
                std::env::var("ACCORD_BENCH_LOG").unwrap_or_else(|_| "error".into()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout from the server")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Accord is serving at http://") {
                        break rest.trim_end_matches('/').to_string();
                    }
                }
                _ => {
                    let _ = child.kill();
                    return Err("the server stopped before it listened".into());
                }
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Server { child, addr })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Resident memory now, in MB.
    pub fn rss_mb(&self) -> f64 {
        rss_kb(self.pid()) as f64 / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// VmRSS of a process, in kB (0 when unknown).
pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// The machine's CPU time so far, as (busy, all) in clock ticks, from
/// the first line of /proc/stat (zeros where it cannot be read).
pub fn cpu_ticks() -> (u64, u64) {
    let line = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = line
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal ...: idle and iowait
    // are the time the CPUs had nothing to run.
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    let all: u64 = ticks.iter().take(8).sum();
    (all.saturating_sub(idle), all)
}

/// The share of the machine's CPU time that was busy between two
/// [`cpu_ticks`] readings, in percent.
pub fn busy_percent(before: (u64, u64), after: (u64, u64)) -> f64 {
    let busy = after.0.saturating_sub(before.0) as f64;
    let all = after.1.saturating_sub(before.1) as f64;
    if all > 0.0 { 100.0 * busy / all } else { f64::NAN }
}

/// Samples a process's resident memory every 100 ms until dropped; the
/// highest sample is the peak under the load.
pub struct RssWatch {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssWatch {
    pub fn start(pid: u32) -> RssWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(rss_kb(pid)));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kb(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        RssWatch {
            stop,
            peak,
            thread: Some(thread),
        }
    }

    /// The peak, in MB.
    pub fn finish(mut self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.peak.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

/// Whether a program can be started (`wrk --version` exits with 1).
pub fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// One GET through curl: (status, seconds).
pub fn time_get(url: &str, header: Option<&str>) -> Result<(u16, f64)> {
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-o", "/dev/null", "-m", "300", "-w", "%{http_code} %{time_total}"]);
    if let Some(h) = header {
        cmd.arg("-H").arg(h);
    }
    let out = cmd.arg(url).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let status = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let secs = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    Ok((status, secs))
}

/// A GET's body through curl.
pub fn get_body(url: &str, cookie: &str) -> Result<String> {
    let out = Command::new("curl")
        .args(["-s", "-m", "300", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg(url)
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A form POST through curl: (status, Location header).
pub fn post_form(url: &str, cookie: &str, body: &str) -> Result<(u16, String)> {
    let out = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-m",
            "60",
            "-w",
            "%{http_code} %{redirect_url}",
            "-H",
        ])
        .arg(format!("Cookie: {cookie}"))
        .args(["-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary"])
        .arg(body)
        .arg(url)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (status, location) = text.split_once(' ').unwrap_or((&text, ""));
    Ok((status.parse().unwrap_or(0), location.to_string()))
}

/// The `csrf_token` value of the first form on a page.
pub fn csrf_token(body: &str) -> Option<String> {
    body.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

/// Signs in through the `/login` form; returns the `Cookie` header value
/// (`accord_session=…`) of the signed-in session.
pub fn sign_in(server: &Server, user: &str, password: &str) -> Result<String> {
    let jar = std::env::temp_dir().join(format!("accord-bench-jar-{}-{user}", std::process::id()));
    let _ = std::fs::remove_file(&jar);
    let login = server.url("/login");
    let page = Command::new("curl")
        .args(["-s", "-c"])
        .arg(&jar)
        .arg("-b")
        .arg(&jar)
        .arg(&login)
        .output()?;
    let token = csrf_token(&String::from_utf8_lossy(&page.stdout)).ok_or("no CSRF token on /login")?;
    let form = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("username", user),
        ("password", password),
    ])?;
    Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-c"])
        .arg(&jar)
        .arg("-b")
        .arg(&jar)
        .args([
            "--data-binary",
            &form,
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
        ])
        .arg(&login)
        .output()?;
    let cookies = std::fs::read_to_string(&jar).unwrap_or_default();
    let _ = std::fs::remove_file(&jar);
    cookies
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f.len() >= 7 && f[5] == "accord_session")
        .map(|f| format!("accord_session={}", f[6]))
        .ok_or_else(|| format!("could not sign in as {user}").into())
}
