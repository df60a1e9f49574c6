//! `--pages`: every GET route of the router, median of `--runs` requests
//! to the real server; with one database, beside the same SQL in the
//! `sqlite3` shell and Datasette; with `--beside`, the second database's
//! server in the next column, page by page.

use std::time::Duration;

use super::super::anyhow_like::Result;
use super::export::{self, ExportRate};
use super::routes::{PAGES, Page, Who};
use super::side::Side;
use super::tools::Tools;
use super::{median_ms, ms, ratio, server, verdict};

/// The route whose time gives the export's rows a second.
const EXPORT_ROUTE: &str = "/export/cases.csv";

/// The median time of `page` on `side`, or the HTTP status that refused it.
fn time(side: &Side, page: &Page, runs: usize) -> Result<std::result::Result<f64, u16>> {
    let header = match page.who {
        Who::Admin => Some(format!("Cookie: {}", side.admin)),
        Who::Mediator => Some(format!("Cookie: {}", side.mediator)),
        Who::Supervisor => Some(format!("Cookie: {}", side.supervisor)),
        Who::ApiToken => Some(format!("Authorization: Bearer {}", side.token)),
        Who::Anonymous => None,
    };
    let url = side.server.url(&side.setup.fill(page.path));
    let mut times = Vec::new();
    for i in 0..=runs {
        let (status, secs) = server::time_get(&url, header.as_deref())?;
        if !(200..400).contains(&status) {
            return Ok(Err(status));
        }
        // The first request warms the caches and is not counted.
        if i > 0 {
            times.push(Duration::from_secs_f64(secs));
        }
    }
    Ok(Ok(median_ms(times)))
}

/// Times every page on the one database, beside the generic tools.
pub(super) fn alone(side: &Side, tools: &Tools, runs: usize) -> Result {
    println!();
    println!(
        "{:<44} {:>10} {:>9} {:>12} {:>7} {:>12} {:>7}",
        "page (median of 5)", "accord", "target", "sqlite3", "ratio", "datasette", "ratio"
    );
    let mut slow = 0;
    let mut export_ms = None;
    for page in PAGES {
        let ours = match time(side, page, runs)? {
            Ok(ms) => ms,
            Err(status) => {
                slow += 1;
                println!("{:<44} answered HTTP {status}: MISSED", page.name);
                continue;
            }
        };
        if page.route == EXPORT_ROUTE {
            export_ms = Some(ours);
        }
        let sql = page.sql.map(|s| side.setup.fill(s));
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
    export_rates(side, export_ms, None);
    Ok(())
}

/// Times every page on two databases, one page on both before the next,
/// so both see the same machine.
pub(super) fn beside(first: &Side, second: &Side, runs: usize) -> Result {
    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>7} {:>9}",
        "page (median of 5)",
        first.label(),
        second.label(),
        "ratio",
        "target"
    );
    let mut slow = [0, 0];
    let mut export_ms = [None, None];
    for page in PAGES {
        let times = [time(first, page, runs)?, time(second, page, runs)?];
        let text = |t: &std::result::Result<f64, u16>| match t {
            Ok(ms) => format!("{ms:.1} ms"),
            Err(status) => format!("HTTP {status}"),
        };
        let mut missed = Vec::new();
        for (i, (t, side)) in times.iter().zip([first, second]).enumerate() {
            if !t.as_ref().is_ok_and(|ms| *ms < page.target_ms) {
                slow[i] += 1;
                missed.push(side.label());
            }
            if page.route == EXPORT_ROUTE {
                export_ms[i] = t.ok();
            }
        }
        let ratio_text = match times {
            [Ok(a), Ok(b)] => ratio(a, Some(b)),
            _ => "n/a".into(),
        };
        let outcome = if missed.is_empty() {
            "ok".to_string()
        } else {
            format!("MISSED ({})", missed.join(", "))
        };
        println!(
            "{:<44} {:>12} {:>12} {:>7} {:>6.0} ms {outcome}",
            page.name,
            text(&times[0]),
            text(&times[1]),
            ratio_text,
            page.target_ms,
        );
    }
    for (i, side) in [first, second].into_iter().enumerate() {
        println!(
            "{}: {} of {} pages within target",
            side.label(),
            PAGES.len() - slow[i],
            PAGES.len()
        );
    }
    println!(
        "ratio = {} / {} (below 1: {} faster)",
        first.label(),
        second.label(),
        first.label()
    );
    export_rates(first, export_ms[0], Some((second, export_ms[1])));
    Ok(())
}

/// The export of every case in the process and as the download timed
/// with the pages, as rows a second beside the target (and beside the
/// other database's, when there is one).
fn export_rates(side: &Side, download_ms: Option<f64>, other: Option<(&Side, Option<f64>)>) {
    let download = |ms: Option<f64>, cases: i64| {
        ms.map(|ms| ExportRate {
            rows: u64::try_from(cases).unwrap_or(0),
            bytes: 0,
            seconds: ms / 1000.0,
        })
    };
    let mine = download(download_ms, side.cases);
    let theirs = other.and_then(|(o, ms)| download(ms, o.cases).map(|r| (o.label(), r)));
    if let Some(rate) = side.export {
        let beside = other.and_then(|(o, _)| o.export.map(|r| (o.label(), r)));
        export::print(
            &format!("CSV export in process, {} cases ({})", side.cases, side.label()),
            &rate,
            beside.as_ref().map(|(l, r)| (*l, r)),
        );
    }
    if let Some(rate) = mine {
        export::print(
            &format!("GET /export/cases.csv ({})", side.label()),
            &rate,
            theirs.as_ref().map(|(l, r)| (*l, r)),
        );
    }
}
