//! Progress of a long command (`accord demo`, `export`, `import`) on standard
//! error: on a terminal an indicatif bar with the rate and the time left;
//! otherwise (a log file, cron, a pipe) plain lines, one at the start, one
//! at most every few seconds and one at the end, so a log shows the job
//! moving without the bar's control characters.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// How often a plain line is written when not on a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    what: &'static str,
    unit: &'static str,
    total: u64,
    shown: Shown,
}

enum Shown {
    Bar(ProgressBar),
    Plain { started: Instant, last: Instant, done: u64 },
}

impl Progress {
    /// A job of `total` `unit`s (e.g. "cases"), named `what` in plain lines.
    pub fn new(what: &'static str, unit: &'static str, total: u64) -> Progress {
        let shown = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} {msg}, {rate}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // indicatif's own {per_sec} shows four decimals of a case.
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            });
            bar.set_style(style);
            bar.set_prefix(what);
            bar.set_message(unit);
            Shown::Bar(bar)
        } else {
            let now = Instant::now();
            eprintln!("{what}: 0/{total} {unit}");
            Shown::Plain {
                started: now,
                last: now,
                done: 0,
            }
        };
        Progress {
            what,
            unit,
            total,
            shown,
        }
    }

    /// `done` units of the total are finished.
    pub fn set(&mut self, done: u64) {
        match &mut self.shown {
            Shown::Bar(bar) => bar.set_position(done),
            Shown::Plain { started, last, done: d } => {
                *d = done;
                if last.elapsed() >= PLAIN_EVERY {
                    *last = Instant::now();
                    eprintln!(
                        "{}",
                        plain_line(self.what, self.unit, done, self.total, started.elapsed())
                    );
                }
            }
        }
    }

    /// The last line (plain) or the full bar (terminal).
    pub fn finish(self) {
        match self.shown {
            Shown::Bar(bar) => bar.finish(),
            Shown::Plain { started, done, .. } => {
                eprintln!(
                    "{}",
                    plain_line(self.what, self.unit, done, self.total, started.elapsed())
                );
            }
        }
    }
}

/// `demo: 40000/100000 cases (40%), 21000/s, about 3 s left`.
fn plain_line(what: &str, unit: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(0.001);
    let rate = done as f64 / secs;
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let mut line = format!("{what}: {done}/{total} {unit} ({percent}%), {rate:.0}/s");
    if done < total && rate > 0.0 {
        let left = (total - done) as f64 / rate;
        line.push_str(&format!(", about {left:.0} s left"));
    } else {
        line.push_str(&format!(", done in {secs:.1} s"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_line_gives_the_share_the_rate_and_the_time_left() {
        let line = plain_line("demo", "cases", 40_000, 100_000, Duration::from_secs(2));
        assert_eq!(line, "demo: 40000/100000 cases (40%), 20000/s, about 3 s left");
        let end = plain_line("export", "cases", 10, 10, Duration::from_secs(1));
        assert_eq!(end, "export: 10/10 cases (100%), 10/s, done in 1.0 s");
        assert!(plain_line("export", "cases", 0, 0, Duration::ZERO).contains("(100%)"));
    }
}
