//! The same work done by generic tools on a copy of the file: the `sqlite3`
//! shell (its own `.timer`, so its start-up is not counted) and, where
//! installed, Datasette (`pip install datasette`) over HTTP.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::median_ms;
use super::server::time_get;

/// A copy of the database for the other tools, removed on drop, so they
/// never lock or checkpoint the file the server serves.
pub struct Copy(pub PathBuf);

impl Copy {
    pub fn make(db: &Path) -> std::io::Result<Copy> {
        // No dot in the stem: Datasette names the database after it.
        let stem = db
            .file_stem()
            .map_or("accord".into(), |s| s.to_string_lossy().replace('.', "_"));
        let copy = db.with_file_name(format!("{stem}_bench_copy.db"));
        // Fold the server's write-ahead log in first, so the copy is whole.
        let _ = Command::new("sqlite3")
            .arg(db)
            .arg("PRAGMA wal_checkpoint(TRUNCATE);")
            .stdout(Stdio::null())
            .status();
        std::fs::copy(db, &copy)?;
        Ok(Copy(copy))
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Runs of the other tools' work: three, or one when it takes longer
/// than [`LONG_RUN`] (a scan of a million rows takes the same time each run).
const RUNS: usize = 3;
const LONG_RUN: Duration = Duration::from_secs(2);

/// The median of three runs of `sql` in the sqlite3 shell, in ms; `None`
/// without the shell.
pub fn sqlite3_ms(path: &Path, sql: &str) -> Option<f64> {
    let mut runs = Vec::new();
    while runs.len() < RUNS && runs.last().is_none_or(|d| *d < LONG_RUN) {
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
            // The schema is read before the timer starts, as a server has it.
            .write_all(format!(".output /dev/null\nSELECT COUNT(*) FROM sqlite_schema;\n.timer on\n{sql}").as_bytes())
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
    Some(median_ms(runs))
}

/// A Datasette serving the copy.
pub struct Datasette {
    child: Child,
    base: String,
    /// The database's name in Datasette's URLs (the file's stem).
    db: String,
}

impl Datasette {
    /// Starts `datasette serve` on `port`; `None` when it is not installed
    /// or does not come up within a minute.
    pub fn start(copy: &Path, port: u16) -> Option<Datasette> {
        let child = Command::new("datasette")
            .arg("serve")
            .arg(copy)
            .args(["--port", &port.to_string()])
            .args(["--setting", "sql_time_limit_ms", "120000"])
            .args(["--setting", "facet_time_limit_ms", "1000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let d = Datasette {
            child,
            base: format!("http://127.0.0.1:{port}"),
            db: copy.file_stem()?.to_string_lossy().into_owned(),
        };
        for _ in 0..600 {
            if matches!(time_get(&d.url("/-/versions.json"), None), Ok((200, _))) {
                return Some(d);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The URL running one SQL statement through Datasette's JSON API.
    pub fn sql_url(&self, statement: &str) -> String {
        let query = serde_urlencoded::to_string([("sql", statement.trim()), ("_shape", "array")]).unwrap_or_default();
        self.url(&format!("/{}.json?{query}", self.db))
    }

    /// A row's page, as JSON.
    pub fn row_url(&self, table: &str, id: i64) -> String {
        self.url(&format!("/{}/{table}/{id}.json", self.db))
    }

    /// A table's first page in an order, as JSON.
    pub fn table_url(&self, table: &str, sort_desc: &str) -> String {
        self.url(&format!("/{}/{table}.json?_sort_desc={sort_desc}&_size=50", self.db))
    }

    /// Every statement of `sql` through the JSON API, one request each;
    /// the median of three runs of the lot (see [`RUNS`]), in ms. `None` on an error.
    pub fn sql_ms(&self, sql: &str) -> Option<f64> {
        // Statements end a line (a ';' inside one, as in `'; '`, does not).
        let statements: Vec<&str> = sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()).collect();
        let mut runs = Vec::new();
        while runs.len() < RUNS && runs.last().is_none_or(|d| *d < LONG_RUN) {
            let mut total = 0.0;
            for s in &statements {
                let (status, secs) = time_get(&self.sql_url(s), None).ok()?;
                if status != 200 {
                    eprintln!("datasette answered {status} to: {s}");
                    return None;
                }
                total += secs;
            }
            runs.push(Duration::from_secs_f64(total));
        }
        Some(median_ms(runs))
    }
}

impl Drop for Datasette {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
