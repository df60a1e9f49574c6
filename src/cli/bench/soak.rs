//! `--soak SECONDS`: wrk with 200 connections and a mixed script of list
//! pages, case pages, the dashboard, registrations, edits and added
//! sessions.

use super::super::anyhow_like::Result;
use super::load::{self, SoakPlan, wrk};
use super::server::{self, RssWatch};
use super::side::Side;
use super::{memory_line, verdict};

pub(super) fn run(side: &Side, seconds: u64, think_ms: u64) -> Result {
    let (server, setup, cookie) = (&side.server, &side.setup, side.admin.as_str());
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
        think_ms,
    };
    let script = std::env::temp_dir().join(format!("accord-bench-soak-{}.lua", std::process::id()));
    std::fs::write(&script, load::soak_script(&plan))?;
    println!();
    let pace = match think_ms {
        0 => "each connection's next request sent at once".to_string(),
        ms => format!(
            "each connection waiting {}–{} ms between answer and next request",
            ms / 2,
            ms * 3 / 2
        ),
    };
    println!(
        "soak: wrk, 200 connections, {seconds} s: 30% /cases pages, 30% case pages, 20% /dashboard, \
         5% registrations, 5% edits, 10% sessions added; {pace}"
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
