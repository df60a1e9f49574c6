//! Issue 13, part 1: corrections, never silent and never a delete. Each
//! needs a reason, shows in the case's history with old and new values,
//! and leaves the statistics and the summary exact.

use axum::http::StatusCode;

use crate::common::{TestApp, case_form};
use accord::domain::{CaseFilter, Period, Role};
use accord::store::cases::Scope;
use accord::store::stats;

/// An app with the mediator `li` signed in, an admin `boss` and another
/// mediator `wang` in their own browsers.
struct Setup {
    app: TestApp,
    admin: TestApp,
    other: TestApp,
    m: i64,
}

async fn setup() -> Setup {
    let mut app = TestApp::new().await;
    app.add_user("li", Role::Mediator).await;
    app.add_user("wang", Role::Mediator).await;
    app.add_user("boss", Role::Admin).await;
    app.login("li").await;
    let m = app.mediator_of("li").await;
    let mut admin = app.client();
    admin.login("boss").await;
    let mut other = app.client();
    other.login("wang").await;
    Setup { app, admin, other, m }
}

/// A case claiming 12,345.60, accepted on 11-05 and settled on 11-20 for 8,000.
async fn settled(s: &mut Setup) -> i64 {
    let id = s.app.create_case(&case_form(s.m, &[])).await;
    s.app.accept(id, "2026-11-05").await;
    s.app.settle(id, "2026-11-20", "2026-12-31").await;
    id
}

/// The audit entries but downloads: a download's entry is written in the
/// background (`web::export::audit_export`), so it may land between two
/// counts taken right after one.
async fn audit_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_log WHERE entity <> 'export'")
        .await
}

async fn totals(app: &TestApp) -> accord::domain::stats::Totals {
    let filter = CaseFilter::default();
    let d = accord::domain::Deadlines::new(crate::common::today(), 30);
    let best = stats::stats_via(&app.pool, &Period::Year(2026), &filter, Scope::All, d, stats::Via::Best);
    let best = best.await.unwrap();
    let cases = stats::stats_via(
        &app.pool,
        &Period::Year(2026),
        &filter,
        Scope::All,
        d,
        stats::Via::Cases,
    );
    assert_eq!(best, cases.await.unwrap(), "summary and cases agree");
    assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
    best.totals
}

/// The number of cases the statistics CSV gives for November 2026.
fn november_cases(csv: &str) -> String {
    let line = csv
        .lines()
        .find(|l| l.starts_with("月份,2026-11,"))
        .unwrap_or_else(|| panic!("no November row in {csv}"));
    line.split(',').nth(2).unwrap().to_string()
}

/// The history line of an action on the case page.
fn history(page: &crate::common::Page, action: &str) -> String {
    page.text(&format!("#history li[data-action={action}]"))
}

fn agreement_form<'a>(amount: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("agreement_type", "written"),
        ("amount_agreed", amount),
        ("agreement_on", "2026-11-20"),
        ("performance_due", "2026-12-31"),
        ("agreement_terms", "被申请人分两期支付物业费。"),
        ("reason", reason),
    ]
}

#[tokio::test]
async fn a_mediator_corrects_a_wrong_agreed_amount_with_a_reason_and_the_history_shows_it() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = settled(&mut s).await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(page.has("#correct-agreement"));
        let form = s.app.get(&format!("/cases/{id}/agreement/correct")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.attrs("input[name=amount_agreed]", "value"), vec!["8000.00"]);

        // No reason: the field says so and nothing is written.
        let before = audit_count(&s.app).await;
        let path = format!("/cases/{id}/agreement/correct");
        let page = s.app.post(&path, &agreement_form("7,500", "  ")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#reason-error"), "请写明理由:它会记入案件历史。");
        assert_eq!(page.attrs("input[name=amount_agreed]", "value"), vec!["7,500"]);
        assert_eq!(audit_count(&s.app).await, before);
        assert_eq!(totals(&s.app).await.amount_agreed.plain(), "8000.00");

        s.app
            .post_ok(&path, &agreement_form("7,500", "协议金额录入有误,应为7500元"))
            .await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#amount-agreed"), "¥7,500.00");
        let line = history(&page, "correct_agreement");
        assert!(line.contains("更正协议"), "{line}");
        assert!(
            line.contains("¥8,000.00") && line.contains("¥7,500.00"),
            "old → new: {line}"
        );
        assert!(line.contains("协议金额录入有误,应为7500元"), "the reason: {line}");
        assert!(line.contains("li"), "who: {line}");
        assert_eq!(totals(&s.app).await.amount_agreed.plain(), "7500.00");

        // In English the reason has its own label too.
        s.app.get("/lang/en").await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        let line = history(&page, "correct_agreement");
        assert!(
            line.contains("Agreement corrected") && line.contains("Reason"),
            "{line}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_agreed_amount_above_the_claim_is_confirmed_on_its_own_page_before_it_is_saved() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = settled(&mut s).await;
        let path = format!("/cases/{id}/agreement/correct");
        let before = audit_count(&s.app).await;
        let page = s.app.post(&path, &agreement_form("20,000", "补充了违约金")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text("#amount-warning").contains("20000.00"),
            "{}",
            page.text("#amount-warning")
        );
        assert_eq!(page.attrs("input[name=confirmed_amount]", "value"), vec!["2000000"]);
        assert!(page.has("#confirm"));
        assert_eq!(audit_count(&s.app).await, before, "nothing saved yet");

        // Changed to another amount above the claim: asked again.
        let mut other = agreement_form("30,000", "补充了违约金");
        other.push(("confirmed_amount", "2000000"));
        let page = s.app.post(&path, &other).await;
        assert!(page.has("#amount-warning"));
        assert_eq!(audit_count(&s.app).await, before);

        let mut confirmed = agreement_form("20,000", "补充了违约金");
        confirmed.push(("confirmed_amount", "2000000"));
        s.app.post_ok(&path, &confirmed).await;
        assert_eq!(totals(&s.app).await.amount_agreed.plain(), "20000.00");
    })
    .await;
}

#[tokio::test]
async fn reopening_clears_the_closing_fields_keeps_them_in_history_and_moves_the_statistics() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = settled(&mut s).await;
        assert_eq!(
            (totals(&s.app).await.settled, totals(&s.app).await.in_mediation),
            (1, 0)
        );
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(page.has("#reopen"));
        let confirm = s.app.get(&format!("/cases/{id}/reopen")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.text("#confirm-what").contains("清空"));
        assert!(confirm.has("form#reopen-form input[name=csrf_token]"));

        let before = audit_count(&s.app).await;
        let page = s.app.post(&format!("/cases/{id}/reopen"), &[("reason", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#reason-error"));
        assert_eq!(audit_count(&s.app).await, before);

        s.app
            .post_ok(&format!("/cases/{id}/reopen"), &[("reason", "被申请人反悔,继续调解")])
            .await;
        let closed: Option<chrono::NaiveDate> = accord::on_db!(s.app.pool, |e| sqlx::query_scalar(
            "SELECT closed_on FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(closed, None);
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("h1 .badge"), "调解中");
        assert!(!page.has("#amount-agreed"), "the agreement is cleared");
        let line = history(&page, "reopen");
        assert!(
            line.contains("¥8,000.00") && line.contains("2026-11-20"),
            "old values kept: {line}"
        );
        assert!(line.contains("被申请人反悔,继续调解"), "{line}");
        let t = totals(&s.app).await;
        assert_eq!(
            (t.settled, t.in_mediation, t.amount_agreed.plain()),
            (0, 1, "0.00".into())
        );

        // Declined cases were never accepted: nothing to reopen.
        let declined = s.app.create_case(&case_form(s.m, &[])).await;
        s.app
            .post_ok(
                &format!("/cases/{declined}/decline"),
                &[("on", "2026-11-20"), ("reason", "拒绝")],
            )
            .await;
        let page = s
            .app
            .post(&format!("/cases/{declined}/reopen"), &[("reason", "试试")])
            .await;
        assert_eq!(page.status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn archiving_asks_first_and_only_an_admin_unarchives_with_a_reason() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = settled(&mut s).await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.attrs("#archive", "href"), vec![format!("/cases/{id}/archive")]);
        let confirm = s.app.get(&format!("/cases/{id}/archive")).await;
        assert!(confirm.text("#confirm-what").contains("归档"));
        assert!(confirm.has("form#archive-form input[name=csrf_token]"));
        s.app.post_ok(&format!("/cases/{id}/archive"), &[("reason", "")]).await;

        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(!page.has("#unarchive"), "not for a mediator");
        assert_eq!(
            s.app.get(&format!("/cases/{id}/unarchive")).await.status,
            StatusCode::FORBIDDEN
        );
        let page = s
            .app
            .post(&format!("/cases/{id}/unarchive"), &[("reason", "归档过早")])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.other.get(&format!("/cases/{id}/unarchive")).await.status,
            StatusCode::NOT_FOUND
        );

        let page = s.admin.get(&format!("/cases/{id}")).await;
        assert!(page.has("#unarchive"));
        let page = s.admin.post(&format!("/cases/{id}/unarchive"), &[("reason", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        s.admin
            .post_ok(
                &format!("/cases/{id}/unarchive"),
                &[("reason", "归档过早,履行尚未完成")],
            )
            .await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(!page.has("#archived"));
        assert!(history(&page, "unarchive").contains("归档过早,履行尚未完成"));
        assert!(page.has("#fulfilment-form"), "the case takes changes again");
        assert_eq!(totals(&s.app).await.settled, 1);
    })
    .await;
}

#[tokio::test]
async fn an_admin_voids_a_duplicate_which_keeps_its_number_and_leaves_every_statistic_list_and_export() {
    crate::common::both(async || {
        let mut s = setup().await;
        let kept = settled(&mut s).await;
        let dup = settled(&mut s).await;
        let dup_no: String = accord::on_db!(s.app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(dup)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(totals(&s.app).await.cases_total, 2);
        let page = s.admin.get("/dashboard?year=2026").await;
        assert_eq!(page.text("#card-cases .value"), "2");
        let stats_csv = s.admin.get("/export/stats.csv?year=2026").await;
        assert_eq!(november_cases(&stats_csv.body), "2");

        // Mediators may not void; another mediator does not even see the case.
        assert_eq!(
            s.app.get(&format!("/cases/{dup}/void")).await.status,
            StatusCode::FORBIDDEN
        );
        let page = s.app.post(&format!("/cases/{dup}/void"), &[("reason", "重复")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.other.get(&format!("/cases/{dup}/void")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!s.app.get(&format!("/cases/{dup}")).await.has("#void"));

        let confirm = s.admin.get(&format!("/cases/{dup}/void")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.text("#confirm-what").contains("不能撤销"));
        let before = audit_count(&s.app).await;
        let page = s.admin.post(&format!("/cases/{dup}/void"), &[("reason", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("#reason-error"), "请写明理由:它会记入案件历史。");
        assert_eq!(audit_count(&s.app).await, before);
        s.admin
            .post_ok(&format!("/cases/{dup}/void"), &[("reason", "与前一案件重复登记")])
            .await;

        // Its page: struck through, 已作废, the reason; its number kept.
        let page = s.app.get(&format!("/cases/{dup}")).await;
        assert_eq!(page.text("#case-no"), dup_no);
        assert!(page.has("#case-no.struck"));
        assert_eq!(page.text("h1 .badge"), "已作废");
        assert!(page.text("#voided").contains("此案件已作废"));
        assert!(page.text("#void-reason").contains("与前一案件重复登记"));
        assert!(history(&page, "void").contains("与前一案件重复登记"));
        assert!(!page.has("#workflow-actions a") && !page.has("#workflow-actions form"));
        let refused = s.app.get(&format!("/cases/{dup}/edit")).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        let visit = [
            ("visited_on", "2026-11-28"),
            ("visitor", "李"),
            ("performance", "fulfilled"),
            ("satisfaction", "satisfied"),
        ];
        assert_eq!(
            s.app.post(&format!("/cases/{dup}/visits"), &visit).await.status,
            StatusCode::CONFLICT
        );

        // In no statistic: the dashboard, the totals both ways.
        let t = totals(&s.app).await;
        assert_eq!(
            (t.cases_total, t.settled, t.amount_agreed.plain()),
            (1, 1, "8000.00".into())
        );
        let page = s.admin.get("/dashboard?year=2026").await;
        assert_eq!(page.text("#card-cases .value"), "1");
        let stats_csv = s.admin.get("/export/stats.csv?year=2026").await;
        assert_eq!(november_cases(&stats_csv.body), "1");
        // `accord stats` reads the same numbers.
        let dir = tempfile::tempdir().unwrap();
        let db = s.app.config.database.to_str().unwrap().to_string();
        let out = crate::common::accord_cmd(dir.path())
            .args(["--db", &db, "stats", "--csv", "--year", "2026"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, stats_csv.bytes);

        // Not in the default list nor the export; found by its status filter.
        assert_eq!(s.admin.get("/cases").await.text("#total"), "1");
        let page = s.admin.get("/cases?status=voided").await;
        assert_eq!(page.text("#total"), "1");
        assert!(page.has("table.cases tbody tr.voided"));
        assert!(page.body.contains(&dup_no));
        let csv = s.admin.get("/export/cases.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(!csv.body.contains(&dup_no), "no export holds a voided case");
        let kept_no: String = accord::on_db!(s.app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(kept)
        .fetch_one(e)
        .await)
        .unwrap();
        assert!(csv.body.contains(&kept_no));
        let csv = s.admin.get("/export/cases.csv?status=voided").await;
        assert!(!csv.body.contains(&dup_no));

        // The next case does not reuse the number.
        let next = s.app.create_case(&case_form(s.m, &[])).await;
        let seqs: Vec<i64> = accord::on_db!(s.app.pool, |e| sqlx::query_scalar(
            "SELECT case_seq FROM cases ORDER BY id"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(seqs, vec![1, 2, 3], "case {next} takes a new number");
        // Voiding twice is refused.
        let page = s.admin.post(&format!("/cases/{dup}/void"), &[("reason", "再次")]).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn a_session_is_edited_and_voided_with_a_reason_and_stays_on_the_page_struck_through() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = s.app.create_case(&case_form(s.m, &[])).await;
        s.app.accept(id, "2026-11-05").await;
        let mid = s.m.to_string();
        let session = [
            ("held_on", "2026-11-06"),
            ("form", "on_site"),
            ("mediators", mid.as_str()),
            ("notes", "双方到场"),
        ];
        s.app.post_ok(&format!("/cases/{id}/sessions"), &session).await;
        let sid = s.app.count("SELECT MAX(id) FROM mediation_sessions").await;

        // An edit without a reason: refused at the field.
        let page = s.app.post(&format!("/cases/{id}/sessions/{sid}"), &session).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#reason-error"));

        let confirm = s.app.get(&format!("/cases/{id}/sessions/{sid}/void")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.has("#confirm-what") && confirm.has("form#void-form input[name=csrf_token]"));
        let page = s
            .app
            .post(&format!("/cases/{id}/sessions/{sid}/void"), &[("reason", " ")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            s.app
                .count("SELECT COUNT(*) FROM mediation_sessions WHERE voided_on IS NOT NULL")
                .await,
            0
        );
        s.app
            .post_ok(
                &format!("/cases/{id}/sessions/{sid}/void"),
                &[("reason", "记到了别的案件上")],
            )
            .await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(page.has(&format!("#session-{sid}.voided")));
        assert!(
            page.text(&format!("#session-{sid} .void-note"))
                .contains("记到了别的案件上")
        );
        assert!(!page.has(".edit-session"));
        let line = page.text("#history li[data-action=void][data-entity=session]");
        assert!(line.contains("记到了别的案件上"), "{line}");
        let edit = s.app.get(&format!("/cases/{id}/sessions/{sid}/edit")).await;
        assert_eq!(edit.status, StatusCode::CONFLICT);
        // Another mediator cannot reach it.
        let page = s.other.get(&format!("/cases/{id}/sessions/{sid}/void")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_return_visit_is_corrected_and_voided_and_the_fulfilment_follows_the_visits_standing() {
    crate::common::both(async || {
        let mut s = setup().await;
        let id = settled(&mut s).await;
        let visit = |on: &'static str, performance: &'static str| {
            vec![
                ("visited_on", on),
                ("visitor", "李调解"),
                ("performance", performance),
                ("satisfaction", "satisfied"),
            ]
        };
        s.app
            .post_ok(&format!("/cases/{id}/visits"), &visit("2026-11-25", "partial"))
            .await;
        s.app
            .post_ok(&format!("/cases/{id}/visits"), &visit("2026-11-27", "fulfilled"))
            .await;
        let last = s.app.count("SELECT MAX(id) FROM return_visits").await;
        assert_eq!(totals(&s.app).await.fulfilled, 1);

        let edit = s.app.get(&format!("/cases/{id}/visits/{last}/edit")).await;
        assert_eq!(edit.attrs("input[name=visited_on]", "value"), vec!["2026-11-27"]);
        let page = s
            .app
            .post(
                &format!("/cases/{id}/visits/{last}"),
                &visit("2026-11-27", "unfulfilled"),
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
        let mut changed = visit("2026-11-27", "unfulfilled");
        changed.push(("reason", "回访结果记错"));
        s.app.post_ok(&format!("/cases/{id}/visits/{last}"), &changed).await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#current-fulfilment"), "未履行");
        assert!(
            page.text("#history li[data-action=update][data-entity=visit]")
                .contains("回访结果记错")
        );
        assert_eq!(totals(&s.app).await.fulfilled, 0);

        s.app
            .post_ok(&format!("/cases/{id}/visits/{last}/void"), &[("reason", "重复录入")])
            .await;
        let page = s.app.get(&format!("/cases/{id}")).await;
        assert!(page.has(&format!("#visit-{last}.voided")));
        assert_eq!(page.text("#current-fulfilment"), "部分履行", "the earlier visit stands");
        assert_eq!(
            s.app.get(&format!("/cases/{id}/visits/{last}/edit")).await.status,
            StatusCode::CONFLICT
        );
        assert_eq!(totals(&s.app).await.fulfilled, 0);
    })
    .await;
}

/// Migration 0015 widens the CHECK of `cases.status` by editing the stored
/// schema: a database of the last release, with cases and connections
/// already open, takes `voided` on every connection afterwards and still
/// refuses an unknown status.
///
/// SQLite only, by nature: it replays SQLite's own migration history (the
/// PostgreSQL schema starts whole, with `voided` in its CHECK).
#[tokio::test]
async fn a_database_of_the_last_release_takes_the_voided_status_on_every_connection() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("old.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(3)
        .connect_with(options)
        .await
        .unwrap();
    let migrator = sqlx::migrate!("./migrations/sqlite");
    migrator.run_to(14, &pool).await.unwrap();
    sqlx::query(
        "INSERT INTO cases (case_no, case_year, case_seq, received_on, source, category, project, district,
             summary, created_at, updated_at)
         VALUES ('物调〔2026〕第0001号', 2026, 1, '2026-11-02', 'other', 'other', '阳光花园', 'chaoyang', '概要', 'x', 'x')",
    )
    .execute(&pool)
    .await
    .unwrap();
    // Two connections that read the old schema and stay open across the migration.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut conn = pool.acquire().await.unwrap();
        let old = sqlx::query("UPDATE cases SET status = 'voided'")
            .execute(&mut *conn)
            .await;
        assert!(old.is_err(), "the last release refuses the status");
        held.push(conn);
    }
    migrator.run(&pool).await.unwrap();
    for conn in &mut held {
        let mut tx = sqlx::Connection::begin(&mut **conn).await.unwrap();
        sqlx::query("UPDATE cases SET status = 'voided'")
            .execute(&mut *tx)
            .await
            .unwrap();
        let unknown = sqlx::query("UPDATE cases SET status = 'lost'").execute(&mut *tx).await;
        assert!(unknown.is_err(), "the CHECK still holds");
        tx.rollback().await.unwrap();
    }
    drop(held);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    sqlx::query("UPDATE cases SET status = 'voided', voided_on = '2026-11-28'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(stats::summary_drift(&accord::store::Db::from(pool)).await.unwrap(), 0);
}
