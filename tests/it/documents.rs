//! Issue 13, parts 2–5: party details for documents, the printed documents,
//! the whole case file (卷宗) and the CSV that keeps terms and closing reasons.

use axum::http::StatusCode;

use crate::common::{Page, TestApp, accord_cmd, case_form};
use accord::domain::Role;

/// Every phone number the fixtures carry: the parties' and the mediator's.
const PHONES: [&str; 4] = ["13812341234", "010-62345678", "62345678", "13800000000"];
const ID: &str = "11010519491231002X";

async fn setup() -> (TestApp, i64) {
    let mut app = TestApp::new().await;
    app.add_user("li", Role::Mediator).await;
    app.login("li").await;
    let m = app.mediator_of("li").await;
    (app, m)
}

/// A case whose applicant has an ID number, an address and a representative.
async fn case_with_details(app: &mut TestApp, m: i64) -> i64 {
    let form = case_form(
        m,
        &[
            ("applicant_id_number", ID),
            ("applicant_address", "北京市朝阳区阳光路1号"),
            ("applicant_representative", "王经理"),
        ],
    );
    app.create_case(&form).await
}

/// Accepted on 11-05, one session on 11-10, settled for 8,000.00 on 11-20.
async fn settled_case(app: &mut TestApp, m: i64) -> i64 {
    let id = case_with_details(app, m).await;
    app.accept(id, "2026-11-05").await;
    let mid = m.to_string();
    let session = [
        ("held_on", "2026-11-10"),
        ("form", "on_site"),
        ("mediators", mid.as_str()),
        ("notes", "双方到场,申请人陈述诉求。"),
    ];
    app.post_ok(&format!("/cases/{id}/sessions"), &session).await;
    app.settle(id, "2026-11-20", "2026-12-31").await;
    id
}

async fn add_visit(app: &mut TestApp, id: i64, on: &str) {
    let visit = [
        ("visited_on", on),
        ("visitor", "李调解员"),
        ("performance", "fulfilled"),
        ("satisfaction", "satisfied"),
        ("notes", "已付清。"),
    ];
    app.post_ok(&format!("/cases/{id}/visits"), &visit).await;
}

async fn session_id(app: &TestApp, id: i64) -> i64 {
    accord::on_db!(app.pool, |e| sqlx::query_scalar(
        "SELECT MIN(id) FROM mediation_sessions WHERE case_id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await)
    .unwrap()
}

async fn case_no(app: &TestApp, id: i64) -> String {
    accord::on_db!(app.pool, |e| sqlx::query_scalar(
        "SELECT case_no FROM cases WHERE id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await)
    .unwrap()
}

fn assert_no_phones(page: &Page, what: &str) {
    for phone in PHONES {
        assert!(!page.body.contains(phone), "{what} shows the phone number {phone}");
    }
}

#[tokio::test]
async fn the_id_number_is_masked_on_the_case_page_but_whole_on_documents_and_for_admins() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = case_with_details(&mut app, m).await;
        app.accept(id, "2026-11-05").await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts("#applicants .id-number"), vec!["1101**********002X"]);
        assert_eq!(page.text("#applicants .address"), "北京市朝阳区阳光路1号");
        assert_eq!(page.text("#applicants .representative"), "王经理");
        assert!(!page.body.contains(ID), "the case page shows the whole ID number");

        let doc = app.get(&format!("/cases/{id}/documents/rights")).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.text(".party-id"), ID);
        assert_eq!(doc.text(".party-representative"), "王经理");
        assert_no_phones(&doc, "the notice of rights");

        let mut admin = app.client();
        admin.add_user("boss", Role::Admin).await;
        admin.login("boss").await;
        let page = admin.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#applicants .id-number"), ID);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_id_number_is_refused_naming_the_field_and_saves_nothing() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        // The last digit of a valid number changed: the check character is wrong.
        let form = case_form(m, &[("applicant_id_number", "11010519491231003X")]);
        let page = app.post_case(&form).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("#applicant_id_number-0-error").contains("身份证"));
        assert_eq!(
            page.attrs("#applicant_id_number_0", "value"),
            vec!["11010519491231003X"]
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
        // A document number of another kind is taken as written.
        let form = case_form(m, &[("applicant_id_number", "H12345678")]);
        app.create_case(&form).await;
    })
    .await;
}

#[tokio::test]
async fn the_agreement_writes_the_amount_in_capitals_the_copies_and_the_date_in_chinese() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = settled_case(&mut app, m).await;
        let doc = app.get(&format!("/cases/{id}/agreement")).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.text("#doc-amount .amount-figures"), "¥8,000.00");
        assert_eq!(doc.text("#doc-amount .amount-capital"), "人民币捌仟元整");
        assert!(
            doc.text("#copies").starts_with("本协议一式三份"),
            "{}",
            doc.text("#copies")
        );
        assert_eq!(doc.text("#seal-date"), "二〇二六年十一月二十日");
        assert!(doc.has(".sign-block .signatures") && doc.has(".sign-block #seal"));
        assert_no_phones(&doc, "the agreement");
    })
    .await;
}

#[tokio::test]
async fn each_document_of_a_settled_case_is_filled_from_it_without_phone_numbers() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = settled_case(&mut app, m).await;
        add_visit(&mut app, id, "2026-11-27").await;
        let sid = session_id(&app, id).await;

        let page = app.get(&format!("/cases/{id}")).await;
        let links = page.attrs("#documents a.document-link", "href");
        let expected: Vec<String> = [
            "documents/acceptance".to_string(),
            "documents/rights".to_string(),
            format!("documents/sessions/{sid}"),
            "agreement".to_string(),
            "documents/visits".to_string(),
            "documents/judicial".to_string(),
            "documents/closing".to_string(),
            "dossier".to_string(),
        ]
        .iter()
        .map(|t| format!("/cases/{id}/{t}"))
        .collect();
        assert_eq!(links, expected, "only the documents a settled case has");

        let doc = app.get(&format!("/cases/{id}/documents/acceptance")).await;
        assert_eq!(doc.text(".doc-title"), "人民调解受理通知书");
        assert_eq!(doc.text(".addressee"), "北京某物业服务有限公司");
        assert!(doc.text(".doc-body").contains("2026年11月5日"));
        assert_eq!(doc.text(".seal-date"), "二〇二六年十一月五日");

        let doc = app.get(&format!("/cases/{id}/documents/sessions/{sid}")).await;
        assert_eq!(doc.text(".doc-title"), "人民调解笔录");
        assert_eq!(doc.text(".session-number"), "第一次");
        assert_eq!(doc.text(".held-on"), "二〇二六年十一月十日");
        assert_eq!(doc.text("textarea[name=record]"), "双方到场,申请人陈述诉求。");
        // Both parties and the mediator present sign, and the recorder.
        assert_eq!(doc.texts(".attendee-sign").len(), 3);
        assert_eq!(doc.texts(".recorder-sign").len(), 1);
        assert_no_phones(&doc, "the session record");

        let doc = app.get(&format!("/cases/{id}/documents/visits")).await;
        assert_eq!(doc.text(".doc-title"), "人民调解回访记录表");
        assert_eq!(doc.text(".visited-on"), "二〇二六年十一月二十七日");
        assert_eq!(doc.text(".amount-capital"), "人民币捌仟元整");

        let doc = app.get(&format!("/cases/{id}/documents/judicial")).await;
        assert_eq!(doc.text(".doc-title"), "司法确认申请书");
        assert_eq!(doc.text(".doc-amount .amount-capital"), "人民币捌仟元整");
        assert_eq!(doc.texts(".party-sign").len(), 2);
        assert_eq!(doc.text(".party-id"), ID);

        let doc = app.get(&format!("/cases/{id}/documents/closing")).await;
        assert_eq!(doc.text(".doc-title"), "人民调解结案报告表");
        assert_eq!(doc.text(".sessions-held"), "一");
        assert_eq!(doc.text(".outcome"), "调解成功");
        assert_eq!(doc.text(".closed-on"), "二〇二六年十一月二十日");
        assert!(doc.has(".sign-block .seal"));

        for path in ["acceptance", "rights", "visits", "judicial", "closing"] {
            let doc = app.get(&format!("/cases/{id}/documents/{path}")).await;
            assert_eq!(doc.status, StatusCode::OK, "{path}");
            assert_no_phones(&doc, path);
        }
        // A settled case has no termination record; a session of no case has no page.
        let doc = app.get(&format!("/cases/{id}/documents/termination")).await;
        assert_eq!(doc.status, StatusCode::CONFLICT);
        assert_eq!(doc.text("#refusal"), "本案目前没有这份文书。");
        let doc = app.get(&format!("/cases/{id}/documents/sessions/{}", sid + 100)).await;
        assert_eq!(doc.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_failed_case_prints_the_termination_with_the_routes_the_parties_were_told_of() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = case_with_details(&mut app, m).await;
        app.accept(id, "2026-11-05").await;
        let fail = [
            ("on", "2026-11-20"),
            ("routes", "court"),
            ("routes", "arbitration"),
            ("reason", "双方对金额分歧过大"),
        ];
        app.post_ok(&format!("/cases/{id}/fail"), &fail).await;
        let doc = app.get(&format!("/cases/{id}/documents/termination")).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.text(".doc-title"), "人民调解终结书");
        let routes = doc.text(".routes");
        assert!(
            routes.contains("向人民法院起诉") && routes.contains("申请仲裁"),
            "{routes}"
        );
        assert_eq!(doc.text("textarea[name=reason]"), "双方对金额分歧过大");
        assert!(doc.text(".doc-copies").starts_with("本终结书一式三份"));
        assert!(
            doc.text(".doc-body").contains("共进行零次调解"),
            "{}",
            doc.text(".doc-body")
        );
        assert_eq!(doc.text(".seal-date"), "二〇二六年十一月二十日");
        assert_no_phones(&doc, "the termination record");
        assert_eq!(
            app.get(&format!("/cases/{id}/documents/judicial")).await.status,
            StatusCode::CONFLICT
        );
    })
    .await;
}

#[tokio::test]
async fn a_declined_case_prints_the_refusal_notice_with_its_reason() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = case_with_details(&mut app, m).await;
        app.post_ok(
            &format!("/cases/{id}/decline"),
            &[("on", "2026-11-03"), ("reason", "不属于人民调解范围")],
        )
        .await;
        let doc = app.get(&format!("/cases/{id}/documents/acceptance")).await;
        assert_eq!(doc.text(".doc-title"), "不予受理通知书");
        assert_eq!(doc.text("textarea[name=reason]"), "不属于人民调解范围");
        assert_eq!(doc.text(".seal-date"), "二〇二六年十一月三日");
        assert_eq!(
            app.get(&format!("/cases/{id}/documents/rights")).await.status,
            StatusCode::CONFLICT,
            "a declined case was never mediated"
        );
    })
    .await;
}

/// The titles of a dossier's sheets in order, a part of several sheets
/// (the return visits) named once.
fn sheet_titles(page: &Page) -> Vec<String> {
    let mut titles = page.texts(".dossier .doc-title");
    titles.dedup();
    titles
}

#[tokio::test]
async fn the_dossier_has_a_cover_and_a_table_of_contents_matching_its_parts_in_order() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = settled_case(&mut app, m).await;
        add_visit(&mut app, id, "2026-11-25").await;
        add_visit(&mut app, id, "2026-11-27").await;
        app.post_ok(&format!("/cases/{id}/archive"), &[]).await;
        let page = app.get(&format!("/cases/{id}/dossier")).await;
        assert_eq!(page.status, StatusCode::OK);

        assert_eq!(page.text(".cover .doc-title"), "人民调解卷宗");
        assert_eq!(page.text(".cover-association"), "北京物业管理行业协会调解委员会");
        assert_eq!(page.text(".cover-case-no"), case_no(&app, id).await);
        assert_eq!(page.text(".volume-no"), "2026-0001");
        assert_eq!(page.text(".retention"), "10年");
        assert_eq!(page.text(".filed-by"), "li");

        let toc = page.texts(".toc-title");
        assert_eq!(
            toc,
            vec![
                "人民调解受理登记表",
                "人民调解受理通知书",
                "人民调解当事人权利义务告知书",
                "人民调解笔录",
                "人民调解协议书",
                "人民调解回访记录表",
                "司法确认申请书",
                "人民调解结案报告表",
                "封底",
            ]
        );
        let mut parts = vec!["人民调解卷宗".to_string(), "卷内目录".to_string()];
        parts.extend(toc.iter().cloned());
        assert_eq!(sheet_titles(&page), parts, "the parts follow the table of contents");
        // Cover 1, contents 2, then a sheet a part; the two visits take two.
        assert_eq!(
            page.texts(".toc-page"),
            vec!["3", "4", "5", "6", "7", "8", "10", "11", "12"]
        );
        assert_eq!(page.texts(".dossier-part").len(), 2 + toc.len());
        assert_eq!(page.texts(".visit-record").len(), 2);
        assert_eq!(page.text(".sheet-count"), "本卷共12页。");
        assert_no_phones(&page, "the dossier");
    })
    .await;
}

#[tokio::test]
async fn the_retention_period_on_the_cover_comes_from_the_setting_for_the_category() {
    crate::common::both(async || {
        let mut config = accord::config::Config::defaults();
        config.set("retention_years", "default=10,fees=30").unwrap();
        let mut app = TestApp::with_config(config, crate::common::today()).await;
        app.add_user("li", Role::Mediator).await;
        app.login("li").await;
        let m = app.mediator_of("li").await;
        let fees = app.create_case(&case_form(m, &[])).await;
        let parking = app.create_case(&case_form(m, &[("category", "parking")])).await;
        let page = app.get(&format!("/cases/{fees}/dossier")).await;
        assert_eq!(page.text(".retention"), "30年");
        let page = app.get(&format!("/cases/{parking}/dossier")).await;
        assert_eq!(page.text(".retention"), "10年");
    })
    .await;
}

#[tokio::test]
async fn accord_dossier_writes_the_file_of_a_case_as_one_self_contained_html_file() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = settled_case(&mut app, m).await;
        let web = app.get(&format!("/cases/{id}/dossier")).await;
        let number = case_no(&app, id).await;
        let db = app.config.database.clone();
        let out = app.dir.path().join("file.html");
        let run = accord_cmd(app.dir.path())
            .args([
                "--db",
                db.to_str().unwrap(),
                "dossier",
                &number,
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(
            body.contains("<style>") && body.contains("break-inside: avoid"),
            "the stylesheet is inline"
        );
        assert!(!body.contains("/static/app.css"), "nothing is fetched");
        let file = Page {
            status: StatusCode::OK,
            location: None,
            content_type: None,
            headers: Default::default(),
            body,
            bytes: Vec::new(),
        };
        assert_eq!(file.texts(".toc-title"), web.texts(".toc-title"));
        assert_eq!(file.text(".cover-case-no"), number);
        assert_eq!(file.text("#doc-amount .amount-capital"), "人民币捌仟元整");
        assert_no_phones(&file, "the dossier file");

        // An unknown number, or a file that exists, is refused without writing.
        let missing = app.dir.path().join("none.html");
        let run = accord_cmd(app.dir.path())
            .args(["--db", db.to_str().unwrap(), "dossier", "物调〔2026〕第9999号", "--out"])
            .arg(&missing)
            .output()
            .unwrap();
        assert!(!run.status.success());
        assert!(String::from_utf8_lossy(&run.stderr).contains("no case numbered"));
        assert!(!missing.exists());
        let run = accord_cmd(app.dir.path())
            .args(["--db", db.to_str().unwrap(), "dossier", &number, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(!run.status.success(), "an existing file is never overwritten");
    })
    .await;
}

#[tokio::test]
async fn the_files_of_every_case_archived_in_a_period_print_one_after_the_other() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let first = settled_case(&mut app, m).await;
        let second = settled_case(&mut app, m).await;
        let open = case_with_details(&mut app, m).await;
        for id in [first, second] {
            app.post_ok(&format!("/cases/{id}/archive"), &[]).await;
        }
        let page = app.get("/dossiers?from=2026-11-01&to=2026-11-30").await;
        assert_eq!(page.status, StatusCode::OK);
        let cases = page.attrs(".dossier", "data-case");
        assert_eq!(cases, vec![first.to_string(), second.to_string()]);
        assert!(!cases.contains(&open.to_string()));

        let page = app.get("/dossiers?from=2026-10-01&to=2026-10-31").await;
        assert_eq!(page.text("#dossiers-message"), "此期间没有归档的案件。");
        let page = app.get("/dossiers?from=2026-11-30&to=2026-11-01").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text("#dossiers-message").contains("起止日期"));
        let page = app.get("/dossiers?from=soon&to=").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Another mediator's cases are not theirs to print.
        let mut other = app.client();
        other.add_user("wang", Role::Mediator).await;
        other.login("wang").await;
        let page = other.get("/dossiers?from=2026-11-01&to=2026-11-30").await;
        assert!(page.attrs(".dossier", "data-case").is_empty());
    })
    .await;
}

/// Uploads a CSV through the import form, as a browser does.
async fn import(app: &mut TestApp, bytes: &[u8]) -> Page {
    let form = app.get("/import").await;
    let action = form
        .attrs("form[enctype='multipart/form-data']", "action")
        .pop()
        .unwrap();
    let token = form
        .attrs("form[enctype='multipart/form-data'] input[name=csrf_token]", "value")
        .pop()
        .unwrap();
    let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
        ("csrf_token", None, token.as_bytes()),
        ("file", Some("cases.csv"), bytes),
    ];
    app.post_multipart(&action, &fields).await
}

/// (case_no, agreement_terms, close_reason) of every case, in number order.
async fn terms_and_reasons(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    accord::on_db!(app.pool, |e| sqlx::query_as(
        "SELECT case_no, agreement_terms, close_reason FROM cases ORDER BY case_no"
    )
    .fetch_all(e)
    .await)
    .unwrap()
}

#[tokio::test]
async fn the_export_keeps_agreement_terms_and_closing_reasons_and_the_import_reads_them_back() {
    crate::common::both(async || {
        let mut app = crate::common::admin_app().await;
        let m = app.add_mediator("王调解").await;
        let settled = app.create_case(&case_form(m, &[])).await;
        app.accept(settled, "2026-11-05").await;
        app.settle(settled, "2026-11-20", "2026-12-31").await;
        let failed = app.create_case(&case_form(m, &[])).await;
        app.accept(failed, "2026-11-05").await;
        let fail = [
            ("on", "2026-11-20"),
            ("routes", "court"),
            ("reason", "=分歧过大,\"无法\"调和\n另行起诉"),
        ];
        app.post_ok(&format!("/cases/{failed}/fail"), &fail).await;
        let declined = app.create_case(&case_form(m, &[])).await;
        app.post_ok(
            &format!("/cases/{declined}/decline"),
            &[("on", "2026-11-03"), ("reason", "不属于调解范围")],
        )
        .await;
        let before = terms_and_reasons(&app).await;
        assert_eq!(
            before[0].1.as_deref(),
            Some("被申请人于履行期限前一次性支付物业费8000元。\n申请人减免滞纳金。")
        );
        assert_eq!(before[1].2.as_deref(), Some("=分歧过大,\"无法\"调和\n另行起诉"));

        for lang in ["zh", "en"] {
            let exported = app.get(&format!("/export/cases.csv?lang={lang}")).await;
            let text = String::from_utf8_lossy(&exported.bytes).to_string();
            let heading = text.lines().next().unwrap().to_string();
            let expected = if lang == "zh" {
                ",协议内容,结案原因"
            } else {
                ",agreement_terms,close_reason"
            };
            // The official report's three columns (issue 16) follow these.
            assert!(heading.contains(&format!("{expected},")), "{heading}");

            let mut fresh = crate::common::admin_app().await;
            let page = import(&mut fresh, &exported.bytes).await;
            assert!(
                page.text("#import-result").contains("已导入 3 件案件。"),
                "{}",
                page.body
            );
            assert_eq!(
                terms_and_reasons(&fresh).await,
                before,
                "the {lang} round trip keeps them"
            );
            let again = fresh.get(&format!("/export/cases.csv?lang={lang}")).await;
            assert_eq!(again.bytes, exported.bytes);
        }
    })
    .await;
}

#[tokio::test]
async fn an_old_file_without_the_terms_and_reason_columns_still_imports() {
    crate::common::both(async || {
    let mut app = crate::common::admin_app().await;
    app.add_mediator("王调解").await;
    let old = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators\r\n\
,2026-09-21,2026-09-22,party_application,parking,丙小区,haidian,车位纠纷,1234.50,settled,written,800,2026-09-30,2026-10-31,pending,none,2026-09-30,张三,owner,某物业,property_company,王调解\r\n\
,2026-09-21,2026-09-22,party_application,parking,丙小区,haidian,车位纠纷,,failed,,,,,,none,2026-09-30,李四,owner,某物业,property_company,王调解\r\n";
    let page = import(&mut app, old.as_bytes()).await;
    assert!(
        page.text("#import-result").contains("已导入 2 件案件。"),
        "{}",
        page.body
    );
    let rows = terms_and_reasons(&app).await;
    assert!(
        rows.iter()
            .all(|(_, terms, reason)| terms.is_none() && reason.is_none()),
        "{rows:?}"
    );

    // Terms on a case that has no agreement are a mistake in the file.
    let wrong = format!(
        "{},agreement_terms\r\n,2026-09-21,,party_application,parking,丙小区,haidian,车位纠纷,,registered,,,,,,none,,王五,owner,某物业,property_company,王调解,一次性支付\r\n",
        old.lines().next().unwrap()
    );
    let page = import(&mut app, wrong.as_bytes()).await;
    assert_eq!(
        page.text("#import-errors li"),
        "第2行,W列(agreement_terms):该状态下应留空。"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cases").await,
        2,
        "nothing more was written"
    );
}).await;
}

#[tokio::test]
async fn a_changed_address_is_kept_in_the_cases_history_and_the_edit_form_shows_the_details() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = case_with_details(&mut app, m).await;
        let form = app.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(
            form.attrs("#applicant_address_0", "value"),
            vec!["北京市朝阳区阳光路1号"]
        );
        assert_eq!(form.attrs("#applicant_representative_0", "value"), vec!["王经理"]);
        // The mediator's form shows the ID number masked; sent back so, it is kept.
        assert_eq!(
            form.attrs("#applicant_id_number_0", "value"),
            vec!["1101**********002X"]
        );
        assert!(!form.body.contains(ID));
        let changed = case_form(
            m,
            &[
                ("applicant_id_number", "1101**********002X"),
                ("applicant_address", "北京市朝阳区阳光路2号"),
                ("applicant_representative", "王经理"),
            ],
        );
        let pairs: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post_ok(&format!("/cases/{id}"), &pairs).await;
        let updates = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND action = 'update' AND case_id = {id}
             AND after LIKE '%阳光路2号%' AND before LIKE '%阳光路1号%'"
            ))
            .await;
        assert_eq!(updates, 1, "the change of address is in the history, old and new");
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#applicants .address"), "北京市朝阳区阳光路2号");
        let stored: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT id_number FROM parties WHERE role = 'applicant'"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(stored, ID, "the masked form kept the whole number");

        // A masked text that masks no stored number is refused, not stored.
        let wrong = case_form(m, &[("applicant_id_number", "1101**********0000")]);
        let pairs: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#applicant_id_number-0-error"));

        let mut admin = app.client();
        admin.add_user("boss", Role::Admin).await;
        admin.login("boss").await;
        let form = admin.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(form.attrs("#applicant_id_number_0", "value"), vec![ID]);
    })
    .await;
}

#[tokio::test]
async fn a_registered_case_has_a_short_file_and_english_readers_get_english_words() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        let id = case_with_details(&mut app, m).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            page.attrs("#documents a.document-link", "href"),
            vec![format!("/cases/{id}/dossier")],
            "nothing to print but the file before acceptance"
        );
        let page = app.get(&format!("/cases/{id}/dossier")).await;
        assert_eq!(page.texts(".toc-title"), vec!["人民调解受理登记表", "封底"]);
        assert_eq!(
            page.text("#doc-intake .amount-capital"),
            "人民币壹万贰仟叁佰肆拾伍元陆角"
        );
        app.get("/lang/en?next=/").await;
        let page = app.get(&format!("/cases/{id}/dossier")).await;
        assert_eq!(page.text(".cover .doc-title"), "People's mediation case file");
        assert_eq!(page.texts(".toc-title"), vec!["Intake record", "Back cover"]);
    })
    .await;
}

#[tokio::test]
async fn printing_the_files_of_a_period_stops_at_fifty_and_says_so() {
    crate::common::both(async || {
        let (mut app, m) = setup().await;
        for _ in 0..51 {
            app.create_case(&case_form(m, &[])).await;
        }
        // Archived straight in the table: only the archive date matters here.
        accord::on_db!(app.pool, |e| sqlx::query("UPDATE cases SET archived_on = '2026-11-20'")
            .execute(e)
            .await
            .map(|d| d.rows_affected()))
        .unwrap();
        let page = app.get("/dossiers?from=2026-11-01&to=2026-11-30").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.attrs(".dossier", "data-case").len(), 50);
        assert_eq!(
            page.text("#dossiers-message"),
            "此期间共有51件归档案件,一次最多打印50件;以下是前50件。请缩短期间后分次打印。"
        );
    })
    .await;
}
