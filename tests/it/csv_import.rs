//! Issue 6: importing CSV files (web upload and command line), and the
//! round trip export → import → export.

use crate::common::{Page, TestApp, accord_cmd, admin_app, case_form};
use axum::http::StatusCode;

use accord::domain::{CaseFilter, Deadlines, Period, Role};
use accord::store::cases::Scope;
use accord::store::stats::{self, Via};

pub(crate) const EN_HEADINGS: &str = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators";

/// Uploads through the real form, as a browser sends it: the form's hidden
/// fields first (the CSRF token), then the file.
pub(crate) async fn upload(app: &mut TestApp, bytes: &[u8], dry_run: bool) -> Page {
    let (action, token) = upload_form(app).await;
    let mut fields: Vec<(&str, Option<&str>, &[u8])> = vec![
        ("csrf_token", None, token.as_bytes()),
        ("file", Some("cases.csv"), bytes),
    ];
    if dry_run {
        fields.push(("dry_run", None, b"1"));
    }
    app.post_multipart(&action, &fields).await
}

/// Counts of everything an import may write.
pub(crate) async fn footprint(app: &TestApp) -> [i64; 5] {
    [
        app.count("SELECT COUNT(*) FROM cases").await,
        app.count("SELECT COUNT(*) FROM parties").await,
        app.count("SELECT COUNT(*) FROM mediators").await,
        app.count("SELECT COUNT(*) FROM audit_log").await,
        app.count("SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM case_counters")
            .await,
    ]
}

fn party_pairs(side: &str, parties: &[(&str, &str)]) -> Vec<(String, String)> {
    parties
        .iter()
        .flat_map(|(t, n)| {
            [
                (format!("{side}_type"), t.to_string()),
                (format!("{side}_name"), n.to_string()),
                (format!("{side}_phone"), String::new()),
            ]
        })
        .collect()
}

/// Sets the outcome columns as the workflow would have.
async fn set_outcome(app: &TestApp, id: i64, sql_set: &str) {
    let sql = format!("UPDATE cases SET {sql_set} WHERE id = {id}");
    accord::on_db!(app.pool, |e| sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(e)
        .await
        .map(|_| ()))
    .unwrap();
}

/// A register with every status, several parties and mediators, awkward
/// text, a retired category, an inactive mediator and two years.
async fn varied_register() -> TestApp {
    let mut app = admin_app().await;
    let mediators = varied_mediators(&app).await;
    add_varied_cases(&mut app, mediators).await;
    app.sql_exec("UPDATE categories SET retired = TRUE WHERE code = 'other'")
        .await;
    accord::on_db!(app.pool, |e| sqlx::query(
        "UPDATE mediators SET active = FALSE WHERE id = $1"
    )
    .bind(mediators[2])
    .execute(e)
    .await
    .map(|_| ()))
    .unwrap();
    app
}

/// The mediators of [`varied_register`]'s cases.
async fn varied_mediators(app: &TestApp) -> [i64; 3] {
    let mut ids = [0; 3];
    for (id, name) in ids.iter_mut().zip(["王调解", "赵调解", "李调解"]) {
        *id = app.add_mediator(name).await;
    }
    ids
}

/// [`varied_register`]'s six cases, through the case form and the
/// workflow's columns, with [`varied_mediators`].
async fn add_varied_cases(app: &mut TestApp, [wang, zhao, li]: [i64; 3]) {
    let form = |extra: &[(&str, &str)], more: Vec<(String, String)>| {
        let mut f = case_form(wang, extra);
        if !more.is_empty() {
            let keys: Vec<String> = more.iter().map(|(k, _)| k.clone()).collect();
            f.retain(|(k, _)| !keys.contains(k));
            f.extend(more);
        }
        f
    };
    let settled = app.create_case(&form(&[], vec![])).await;
    set_outcome(
        app,
        settled,
        "status = 'settled', accepted_on = '2026-11-03', agreement_type = 'written', amount_agreed = 800000,
         agreement_on = '2026-11-20', performance_due = '2027-03-31', fulfilment = 'partial',
         judicial_confirmation = 'confirmed', closed_on = '2026-11-21'",
    )
    .await;
    let mut parties = party_pairs(
        "applicant",
        &[("owner", "张三"), ("occupant", "-李四"), ("owner", "王五")],
    );
    parties.extend(party_pairs(
        "respondent",
        &[("property_company", "某物业公司, 北京分公司")],
    ));
    parties.push(("mediators".into(), zhao.to_string()));
    parties.push(("mediators".into(), li.to_string()));
    let awkward = app
        .create_case(&form(
            &[
                ("project", "=SUM(A1:A9)"),
                ("summary", "第一行,逗号\n\"引号\"与 'apostrophe'\n@第三行"),
                ("amount_claimed", "0"),
                ("received_on", "2025-12-31"),
                ("category", "other"),
                ("source", "hotline_12345"),
            ],
            parties,
        ))
        .await;
    set_outcome(app, awkward, "status = 'in_mediation', accepted_on = '2026-01-04'").await;
    let declined = app
        .create_case(&form(&[("received_on", "2025-03-01"), ("district", "yanqing")], vec![]))
        .await;
    set_outcome(app, declined, "status = 'declined', closed_on = '2025-03-09'").await;
    let failed = app.create_case(&form(&[("received_on", "2026-02-01")], vec![])).await;
    set_outcome(
        app,
        failed,
        "status = 'failed', accepted_on = '2026-02-02', closed_on = '2026-02-28'",
    )
    .await;
    let withdrawn = app.create_case(&form(&[("received_on", "2026-02-01")], vec![])).await;
    set_outcome(
        app,
        withdrawn,
        "status = 'withdrawn', accepted_on = '2026-02-03', closed_on = '2026-02-04'",
    )
    .await;
    app.create_case(&form(&[("amount_claimed", "1.5万")], vec![])).await;
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_then_export_gives_the_same_file() {
    crate::common::both(async || {
        let mut first = varied_register().await;
        for lang in ["zh", "en"] {
            let exported = first.get(&format!("/export/cases.csv?lang={lang}")).await;
            assert_eq!(exported.status, StatusCode::OK);
            let mut second = admin_app().await;
            let page = upload(&mut second, &exported.bytes, false).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert!(
                page.text("#import-result").contains("已导入 6 件案件。"),
                "{}",
                page.body
            );
            assert_eq!(stats::summary_drift(&second.pool).await.unwrap(), 0);
            let again = second.get(&format!("/export/cases.csv?lang={lang}")).await;
            assert_eq!(
                String::from_utf8_lossy(&again.bytes),
                String::from_utf8_lossy(&exported.bytes),
                "the {lang} round trip changes nothing"
            );
            assert_eq!(again.bytes, exported.bytes);
            // And the other language agrees too: the data, not just the text, came back.
            let other = if lang == "zh" { "en" } else { "zh" };
            assert_eq!(
                second.get(&format!("/export/cases.csv?lang={other}")).await.bytes,
                first.get(&format!("/export/cases.csv?lang={other}")).await.bytes
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_import_names_the_mediators_it_creates_and_audits_every_case() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    app.add_mediator("王调解").await;
    let file = format!(
        "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲小区,chaoyang,欠费,100,registered,,,,,,,,张三,owner,某物业,property_company,王调解; 钱调解\n\
         ,2026-10-02,,当事人申请,物业费纠纷,乙小区,朝阳区,欠费,200,已登记,,,,,,,,李四,业主,某物业,物业服务企业,钱调解; 孙调解\n"
    );
    let page = upload(&mut app, file.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let lines = page.texts("#import-result p");
    assert_eq!(lines, ["已导入 2 件案件。", "新建调解员:钱调解、孙调解"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM mediators").await, 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND action = 'import'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'mediator' AND action = 'import'")
            .await,
        2
    );
    let by = app.sql_i64("SELECT created_by FROM cases LIMIT 1").await;
    assert_eq!(by, app.count("SELECT id FROM users WHERE username = 'boss'").await);
}).await;
}

/// The import writes each case's audit entry from the rows it inserts:
/// the case's history shows what was imported, parties and mediators too.
#[tokio::test]
async fn an_imported_case_s_history_shows_the_imported_values() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        let file = format!(
            "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,\"甲\"\"小区\",chaoyang,\"欠费\n两年\",1234.50,registered,,,,,,,,张三;李四,owner,某物业,property_company,王调解; 钱调解\n"
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let id = app.sql_i64("SELECT id FROM cases").await;
        let history = app.get(&format!("/cases/{id}")).await;
        let entry = history.text("#history li[data-action=import]");
        for shown in ["甲\"小区", "欠费", "两年", "1,234.50", "张三", "李四", "某物业", "王调解", "钱调解"] {
            assert!(entry.contains(shown), "{shown} missing from the history entry: {entry}");
        }
    })
    .await;
}

#[tokio::test]
async fn spreadsheet_habits_are_read_without_a_bom_and_blank_rows_are_skipped() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解").await;
    let file = "案件编号,登记日期,受理日期,案件来源,纠纷类型,项目/小区,区县,纠纷概要,涉及金额,状态,协议形式,协议金额,\
协议生效日期,履行期限,履行情况,司法确认,结案日期,申请人,申请人类型,被申请人,被申请人类型,调解员,,\r\n\
,2023/9/21,2023年9月22日,当事人申请,停车管理,丙小区,Haidian,车位纠纷,\"1,234.50\",调解成功,口头,¥800,2023-09-30,2023/10/31,已履行,,2023-09-30,\"张三；李四\",业主,某物业,物业服务企业,王调解,,\r\n\
,,,,,,,,,,,,,,,,,,,,,,,\r\n\
,2024年1月2日,,street_referral,Parking,丁小区,海淀区,\"多行\r\n概要\",1.5万,,,,,,,,,王五,Owner,赵六,owner,王调解,,\r\n\
,,,,,,,,,,,,,,,,,,,,,,,\r\n\
\r\n";
    let page = upload(&mut app, file.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text("#import-result").contains("已导入 2 件案件。"));
    let export = app.get("/export/cases.csv?lang=en").await;
    let text = String::from_utf8(export.bytes[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        rows[1],
        "物调〔2023〕第0001号,2023-09-21,2023-09-22,party_application,parking,丙小区,haidian,车位纠纷,1234.50,settled,\
oral,800.00,2023-09-30,2023-10-31,fulfilled,none,2023-09-30,张三; 李四,owner; owner,某物业,property_company,王调解,,,,,"
    );
    assert_eq!(
        rows[2],
        "物调〔2024〕第0001号,2024-01-02,,street_referral,parking,丁小区,haidian,\"多行\n概要\",15000.00,registered,\
,,,,,none,,王五,owner,赵六,owner,王调解,,,,,"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mediators").await,
        1,
        "王调解 is known as #{m}"
    );
}).await;
}

#[tokio::test]
async fn every_kind_of_problem_is_listed_by_row_and_column_and_nothing_is_written() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let m = app.add_mediator("王调解").await;
    app.create_case(&case_form(m, &[])).await;
    app.get("/lang/en").await;
    let before = footprint(&app).await;
    let ok = "2026-10-01,,party_application,fees,甲小区,chaoyang,欠费,100,registered,,,,,,,,张三,owner,某物业,property_company";
    let long = "长".repeat(201);
    let rows = [
        format!("物调〔2026〕第0001号,{ok},王调解"),
        format!("2026-7,{ok},王调解"),
        format!("物调〔2026〕第0003号,{ok},新调解员"),
        format!("物调[2026]第0003号,{ok},王调解"),
        ",2026-13-01,,party_application,fees,甲,chaoyang,欠费,-5,,,,,,,,,张三,owner,某物业,owner,王调解".to_string(),
        ",2027-01-01,,party_application,bribes,甲,chaoyang,欠费,1.234,,,,,,,,,张三,owner,某物业,owner,王调解".to_string(),
        ",2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,,owner,\"甲; 乙\",owner; owner; owner,王调解".to_string(),
        ",2026-10-01,,party_application,fees,甲,chaoyang,\"两行\n概要\",,closed,,,,,,,,张三,owner,某物业,owner,王调解".to_string(),
        ",2026-10-01,2026-10-02,party_application,fees,甲,chaoyang,欠费,,settled,,,,,,,2026-10-09,张三,owner,某物业,owner,王调解".to_string(),
        ",2026-10-01,2026-10-02,party_application,fees,甲,chaoyang,欠费,,in_mediation,,500,,,,applied,,张三,owner,某物业,owner,王调解".to_string(),
        ",2026-10-01,2026-09-30,party_application,fees,甲,chaoyang,欠费,,in_mediation,,,,,,,,张三,owner,某物业,owner,王调解".to_string(),
        ",,,,,,,,,,,,,,,,,,,,,".to_string(),
        ",2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,,extra".to_string(),
        format!(",2026-10-01,,party_application,fees,{long},chaoyang,欠费,,,,,,,,,,张三,bystander,某物业,owner,王调解"),
    ];
    let file = format!("{EN_HEADINGS}\n{}\n", rows.join("\n"));
    let page = upload(&mut app, file.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let errors = page.texts("ol.import-errors li");
    let expected = [
        "row 2, column A (case_no): This case number already exists.",
        "row 3, column A (case_no): Not a case number like 物调〔2023〕第0007号; leave it blank to have one assigned.",
        "row 5, column A (case_no): The case number appears twice in the file (see also row 4).",
        "row 6, column B (received_on): Not a date; write e.g. 2023-09-21, 2023/9/21 or 2023年9月21日.",
        "row 6, column I (amount_claimed): The amount cannot be negative.",
        "row 7, column B (received_on): The date cannot be after today.",
        "row 7, column E (category): Not one of the choices.",
        "row 7, column I (amount_claimed): At most two decimals (to the fen).",
        "row 8, column R (applicants): Enter at least one applicant.",
        "row 8, column U (respondent_type): Give one type for all, or one type per name, separated by “; ”.",
        "row 9, column J (status): Not one of the choices.",
        "row 10, column K (agreement_type): Required for this status.",
        "row 10, column L (amount_agreed): Required for this status.",
        "row 10, column M (agreement_on): Required for this status.",
        "row 10, column N (performance_due): Required for this status.",
        "row 11, column L (amount_agreed): Must be empty for this status.",
        "row 11, column P (judicial_confirmation): Must be empty for this status.",
        "row 12, column C (accepted_on): Cannot be before “received_on”.",
        "row 14, column V (mediators): Choose at least one mediator.",
        "row 14, column W: This cell is under no column heading.",
        "row 15, column F (project): Too long.",
        "row 15, column S (applicant_type): Not one of the choices.",
    ];
    assert_eq!(errors, expected);
    assert_eq!(
        page.text("#import-errors strong"),
        format!(
            "Nothing was imported. Correct these {} problems and upload the file again:",
            expected.len()
        )
    );
    assert_eq!(footprint(&app).await, before, "a bad file changes nothing");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mediators WHERE name = '新调解员'")
            .await,
        0
    );
}).await;
}

#[tokio::test]
async fn problems_with_the_file_itself_are_reported_and_nothing_is_written() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let before = footprint(&app).await;
    let gbk = b"\xb0\xb8\xbc\xfe\xb1\xe0\xba\xc5,\xb5\xc7\xbc\xc7\xc8\xd5\xc6\xda\n".to_vec();
    let cases: [(&[u8], &[&str]); 5] = [
        (b"", &["第1行:文件是空的,没有标题行。"]),
        (&gbk, &["第1行,A列:文件不是 UTF-8 编码。请在 Excel 中另存为“CSV UTF-8(逗号分隔)”后再导入。"]),
        (EN_HEADINGS.as_bytes(), &["第2行:文件中没有案件行。"]),
        (
            b"received_on,source,category,project,district,summary,applicants,applicant_type,respondents,mediators,note,source\n",
            &[
                "第1行,K列(note):无法识别的列标题;请使用导出文件的列标题(中文或英文)。",
                "第1行,L列(source):列标题重复。",
                "第1行:缺少必需的列“被申请人类型”。",
            ],
        ),
        (b"\xEF\xBB\xBFcase_no\n\"unterminated", &["第1行:缺少必需的列“登记日期”。", "第1行:缺少必需的列“案件来源”。"]),
    ];
    for (bytes, expected) in cases {
        let page = upload(&mut app, bytes, false).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = page.texts("ol.import-errors li");
        assert_eq!(
            errors[..expected.len()],
            *expected,
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    let (action, token) = upload_form(&mut app).await;
    let page = app
        .post_multipart(&action, &[("csrf_token", None, token.as_bytes())])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.text("p.error-message"), "请选择要上传的 CSV 文件。");
    assert_eq!(footprint(&app).await, before);
}).await;
}

/// The upload form's action and its hidden CSRF token.
async fn upload_form(app: &mut TestApp) -> (String, String) {
    let form = app.get("/import").await;
    assert_eq!(form.status, StatusCode::OK);
    let action = form
        .attrs("form[enctype='multipart/form-data']", "action")
        .pop()
        .expect("an upload form");
    let token = form
        .attrs("form[enctype='multipart/form-data'] input[name=csrf_token]", "value")
        .pop()
        .expect("a token in the upload form");
    (action, token)
}

#[tokio::test]
async fn kept_numbers_raise_the_counter_so_later_numbers_never_collide() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let row = |no: &str, received: &str| {
            format!("{no},{received},,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,王调解")
        };
        let file = format!(
            "{EN_HEADINGS}\n{}\n{}\n{}\n",
            row("", "2026-01-05"),
            row("物调〔2026〕第0050号", "2026-01-06"),
            row("京调〔2019〕第0007号", "2019-05-01")
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let numbers: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases ORDER BY id"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(
            numbers,
            ["物调〔2026〕第0051号", "物调〔2026〕第0050号", "京调〔2019〕第0007号"]
        );
        assert_eq!(
            app.count("SELECT last_seq FROM case_counters WHERE year = 2019").await,
            7
        );
        let id = app.create_case(&case_form(m, &[])).await;
        let next: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(next, "物调〔2026〕第0052号");
        let again = upload(&mut app, row("物调〔2026〕第0051号", "2026-01-05").as_bytes(), false).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_checks_everything_and_writes_nothing() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let before = footprint(&app).await;
    let file = format!(
        "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,新人\n"
    );
    let page = upload(&mut app, file.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.texts("#import-result p"),
        ["检查完毕:1 件案件全部有效。未写入任何内容。", "导入时将新建调解员:新人"]
    );
    assert_eq!(footprint(&app).await, before);
}).await;
}

#[tokio::test]
async fn only_admins_see_the_upload_page_or_may_upload() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_user("sec", Role::Secretary).await;
        let (action, admin_token) = upload_form(&mut app).await;
        let mut sec = app.client();
        sec.login("sec").await;
        assert_eq!(sec.get("/import").await.status, StatusCode::FORBIDDEN);
        let token = sec.csrf().await;
        let file = format!("{EN_HEADINGS}\n");
        let page = sec
            .post_multipart(
                &format!("/import?csrf_token={token}"),
                &[("file", Some("x.csv"), file.as_bytes())],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        // The admin's token is the admin's own: it does not work for another session.
        let page = sec
            .post_multipart(
                &action,
                &[
                    ("csrf_token", None, admin_token.as_bytes()),
                    ("file", Some("x.csv"), file.as_bytes()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    })
    .await;
}

/// A multipart field: name, file name, content.
type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// One valid row, for the CSRF tests.
fn one_case_file() -> String {
    format!(
        "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,property_company,王调解\n"
    )
}

#[tokio::test]
async fn the_upload_form_keeps_its_csrf_token_in_the_body_not_the_url() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        let form = app.get("/import").await;
        let action = form
            .attrs("form[enctype='multipart/form-data']", "action")
            .pop()
            .expect("an upload form");
        assert_eq!(action, "/import", "no token in the action");
        // The token is the form's first field, so it arrives before the file.
        let names = form.attrs("form[enctype='multipart/form-data'] [name]", "name");
        assert_eq!(names.first().map(String::as_str), Some("csrf_token"), "{names:?}");
        let page = upload(&mut app, one_case_file().as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 1);
    })
    .await;
}

#[tokio::test]
async fn an_upload_without_its_token_or_with_a_forged_one_is_refused_and_writes_nothing() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        let before = footprint(&app).await;
        let file = one_case_file();
        let (action, token) = upload_form(&mut app).await;
        let forged = "0".repeat(token.len());
        let attempts: [Vec<Part>; 4] = [
            vec![("file", Some("x.csv"), file.as_bytes())],
            vec![
                ("csrf_token", None, forged.as_bytes()),
                ("file", Some("x.csv"), file.as_bytes()),
            ],
            vec![("csrf_token", None, b""), ("file", Some("x.csv"), file.as_bytes())],
            // A good token after the file comes too late: the file is not read.
            vec![
                ("file", Some("x.csv"), file.as_bytes()),
                ("csrf_token", None, token.as_bytes()),
            ],
        ];
        for fields in &attempts {
            let page = app.post_multipart(&action, fields).await;
            assert_eq!(
                page.status,
                StatusCode::FORBIDDEN,
                "{:?}",
                fields.iter().map(|f| f.0).collect::<Vec<_>>()
            );
            assert_eq!(footprint(&app).await, before);
        }
        // Nor does a forged token in the query string open the door.
        let page = app
            .post_multipart(
                &format!("/import?csrf_token={forged}"),
                &[
                    ("csrf_token", None, token.as_bytes()),
                    ("file", Some("x.csv"), file.as_bytes()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(footprint(&app).await, before);
        // Scripts may still send the token in the query string.
        let page = app
            .post_multipart(
                &format!("/import?csrf_token={token}"),
                &[("file", Some("x.csv"), file.as_bytes())],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 1);
    })
    .await;
}

/// 10,000 rows over three years, some mediators new, numbers assigned.
fn big_file(rows: usize) -> String {
    let mut file = String::with_capacity(rows * 300);
    file.push_str(EN_HEADINGS);
    file.push('\n');
    let categories = ["fees", "parking", "repairs_leaks", "neighbour", "renovation"];
    let districts = ["chaoyang", "haidian", "dongcheng", "fengtai"];
    for i in 0..rows {
        let year = 2023 + (i % 3);
        let month = 1 + (i % 12);
        let day = 1 + (i % 28);
        let received = format!("{year}-{month:02}-{day:02}");
        let amount = format!("{}.{:02}", (i * 37) % 100_000, i % 100);
        let outcome = if i % 4 == 0 {
            format!(
                "settled,written,{},{received},{year}-12-31,pending,,{received}",
                (i * 11) % 50_000
            )
        } else {
            "registered,,,,,,,".to_string()
        };
        let accepted = if i % 4 == 0 { received.as_str() } else { "" };
        file.push_str(&format!(
            ",{received},{accepted},party_application,{},第{i}号楼,{},\"业主{i}与物业就费用发生争议,要求调解。\",{amount},{outcome},业主{i},owner,物业公司{},property_company,调解员{}\n",
            categories[i % categories.len()],
            districts[i % districts.len()],
            i % 50,
            i % 7,
        ));
    }
    file
}

#[tokio::test]
async fn a_bulk_import_into_a_kept_register_leaves_the_summary_equal_to_a_recount() {
    crate::common::both(async || {
        let mut app = varied_register().await;
        app.add_mediator("调解员0").await;
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        let page = upload(&mut app, big_file(400).as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 406);
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        let deadlines = Deadlines::new(crate::common::today(), 30);
        // Whole years from the monthly summary; ranges not aligned to months
        // from the daily one at their edges; filters the summary holds.
        let ranges = [("2023-02-14", "2025-11-03"), ("2025-06-30", "2025-07-01")];
        let periods = [Period::All, Period::Year(2023), Period::Year(2025), Period::Year(2026)]
            .into_iter()
            .chain(ranges.iter().map(|(from, to)| Period::Range {
                from: crate::common::day(from),
                to: crate::common::day(to),
            }));
        let filters = [
            CaseFilter::default(),
            CaseFilter {
                status: Some(accord::domain::Status::Settled),
                ..CaseFilter::default()
            },
            CaseFilter {
                district: Some("chaoyang".into()),
                ..CaseFilter::default()
            },
        ];
        for period in periods {
            for f in &filters {
                let best = stats::stats_via(&app.pool, &period, f, Scope::All, deadlines, Via::Best)
                    .await
                    .unwrap();
                let direct = stats::stats_via(&app.pool, &period, f, Scope::All, deadlines, Via::Cases)
                    .await
                    .unwrap();
                assert_eq!(best, direct, "{period:?} {f:?}");
            }
        }
        // The switch is gone with the import: later writes go through the triggers.
        assert_eq!(app.count("SELECT COUNT(*) FROM stats_deferred").await, 0);
        let qian = app.add_mediator("钱调解").await;
        let id = app.create_case(&case_form(qian, &[])).await;
        assert!(id > 406);
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
    })
    .await;
}

/// [`add_varied_cases`] and a fulfilled settlement carrying the official
/// report's figures (people involved, prevented escalations).
async fn add_cases_of_every_figure(app: &mut TestApp, mediators: [i64; 3]) {
    add_varied_cases(app, mediators).await;
    let figures = [
        ("people_involved", "12"),
        ("prevented_crime", "3"),
        ("prevented_petition", "40"),
    ];
    let id = app.create_case(&case_form(mediators[1], &figures)).await;
    set_outcome(
        app,
        id,
        "status = 'settled', accepted_on = '2026-11-03', agreement_type = 'oral', amount_agreed = 250000,
         agreement_on = '2026-11-10', performance_due = '2026-12-10', fulfilment = 'fulfilled',
         closed_on = '2026-11-10'",
    )
    .await;
}

/// The rows of a summary table that count something (its `keys` then its
/// `figures`, columns as a list), one line each, in order.
async fn counting_rows(app: &TestApp, table: &str, keys: &str, figures: &str) -> Vec<String> {
    let columns: Vec<String> = (keys.split(", ").chain(figures.split(", ")))
        .map(|c| format!("CAST({c} AS TEXT)"))
        .collect();
    let counting: Vec<String> = figures.split(", ").map(|f| format!("{f} <> 0")).collect();
    let sql = format!(
        "SELECT {} FROM {table} WHERE {}",
        columns.join(" || ' ' || "),
        counting.join(" OR ")
    );
    let mut rows = accord::on_db!(app.pool, |e| sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .fetch_all(e)
    .await)
    .unwrap_or_else(|err| panic!("{sql}: {err}"));
    rows.sort_unstable();
    rows
}

#[tokio::test]
async fn an_import_into_cases_of_the_same_days_and_codes_adds_to_their_summary() {
    crate::common::both(async || {
        // The same cases twice in each register: `typed` through the forms
        // twice (the triggers count each as it is written); `imported`
        // through the forms once, then from its own export, so every one of
        // the import's summary rows falls on a row the register holds. Rows
        // replaced rather than added to would count those cases once.
        let mut typed = admin_app().await;
        let mediators = varied_mediators(&typed).await;
        add_cases_of_every_figure(&mut typed, mediators).await;
        add_cases_of_every_figure(&mut typed, mediators).await;
        let mut imported = admin_app().await;
        assert_eq!(varied_mediators(&imported).await, mediators);
        add_cases_of_every_figure(&mut imported, mediators).await;
        let export = imported.get("/export/cases.csv").await;
        assert_eq!(export.status, StatusCode::OK);
        // Kept from the file: the numbers `typed`'s second round took
        // (five cases received in 2026, two in 2025).
        let mut file = String::from_utf8(export.bytes.to_vec()).unwrap();
        for (year, count) in [(2026, 5), (2025, 2)] {
            for seq in (1..=count).rev() {
                let to = format!("〔{year}〕第{:04}号", seq + count);
                file = file.replace(&format!("〔{year}〕第{seq:04}号"), &to);
            }
        }
        let page = upload(&mut imported, file.as_bytes(), false).await;
        assert!(
            page.text("#import-result").contains("已导入 7 件案件。"),
            "{}",
            page.body
        );
        for app in [&typed, &imported] {
            assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 14);
            assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        }
        // The same figures, row for row (the triggers leave rows of zeros
        // behind a change of status: those count nothing) ...
        let figures = "received, claimed, accepted, agreed, closed, close_days, fulfilled";
        let official = "accepted, settled, in_mediation, amount_agreed, people, fulfilled, crime_cases, \
                        crime_people, petition_cases, petition_people";
        let tables = [
            ("stats_daily", "committee_id, dim, code, day, status", figures),
            ("stats_monthly", "committee_id, dim, code, month, status", figures),
            ("stats_yearly", "committee_id, dim, code, year, status", figures),
            ("official_monthly", "committee_id, month, category, source", official),
            ("party_type_usage", "code", "parties"),
        ];
        for (table, keys, figures) in tables {
            let rows = counting_rows(&typed, table, keys, figures).await;
            assert!(!rows.is_empty(), "{table}");
            assert_eq!(counting_rows(&imported, table, keys, figures).await, rows, "{table}");
        }
        // ... and on the pages that read them (once the last form's notice
        // is shown).
        typed.get("/").await;
        for path in [
            "/dashboard",
            "/dashboard?year=2026",
            "/dashboard?year=2025",
            "/dashboard?from=2026-02-01&to=2026-11-03",
            "/reports/official?period=2026",
            "/reports/official?period=2026-11",
        ] {
            let (page, same) = (typed.get(path).await, imported.get(path).await);
            assert_eq!(
                (page.status, page.text("main")),
                (StatusCode::OK, same.text("main")),
                "{path}"
            );
        }
        // After the import the triggers count again, years included (on
        // PostgreSQL the import's months set the yearly trigger aside).
        add_cases_of_every_figure(&mut typed, mediators).await;
        add_cases_of_every_figure(&mut imported, mediators).await;
        for app in [&typed, &imported] {
            assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 21);
            assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);
        }
        for (table, keys, figures) in tables {
            let rows = counting_rows(&typed, table, keys, figures).await;
            assert_eq!(counting_rows(&imported, table, keys, figures).await, rows, "{table}");
        }
    })
    .await;
}

#[tokio::test]
async fn ten_thousand_rows_are_imported_in_one_go() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        for n in 0..5 {
            app.add_mediator(&format!("调解员{n}")).await;
        }
        let file = big_file(10_000);
        assert!(file.len() > 2 * 1024 * 1024, "bigger than the forms' body limit");
        let schema = indexes_and_keys(&app).await;
        let started = std::time::Instant::now();
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{}",
            &page.body[..page.body.len().min(3000)]
        );
        eprintln!("10,000 rows imported in {:?}", started.elapsed());
        assert_eq!(
            page.texts("#import-result p"),
            ["已导入 10000 件案件。", "新建调解员:调解员5、调解员6"]
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 10_000);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM cases WHERE status = 'settled'").await,
            2_500
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM parties").await, 20_000);
        // An import as big as the register sets indexes (and PostgreSQL's
        // foreign keys) aside while it writes: all are back, and the search
        // finds the new cases by long and short words.
        assert_eq!(indexes_and_keys(&app).await, schema);
        let found = |page: &Page| page.texts("table.cases tbody tr").len();
        for (q, cases) in [("业主1234", 1), ("第9999号楼", 1), ("业主", 50)] {
            assert_eq!(found(&app.get(&format!("/cases?q={q}")).await), cases, "search {q}");
        }
        for year in [2023, 2024, 2025] {
            let cases = app
                .count(&format!("SELECT COUNT(*) FROM cases WHERE case_year = {year}"))
                .await;
            let last = app
                .count(&format!("SELECT last_seq FROM case_counters WHERE year = {year}"))
                .await;
            assert_eq!(last, cases, "every number of {year} used once, no gaps");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND action = 'import'")
                .await,
            10_000
        );
        // The statistics' monthly summary, kept by triggers, agrees with the cases.
        let deadlines = Deadlines::new(crate::common::today(), 30);
        for period in [Period::All, Period::Year(2024)] {
            let filter = CaseFilter::default();
            let best = stats::stats_via(&app.pool, &period, &filter, Scope::All, deadlines, Via::Best)
                .await
                .unwrap();
            let exact = stats::stats_via(&app.pool, &period, &filter, Scope::All, deadlines, Via::Cases)
                .await
                .unwrap();
            assert_eq!(best, exact);
            assert!(best.totals.cases_total > 0);
        }
        // Exported in many chunks, and back again unchanged.
        let exported = app.get("/export/cases.csv").await;
        let text = String::from_utf8(exported.bytes.clone()).unwrap();
        assert_eq!(text.matches("\r\n").count(), 10_001);
        let mut copy = admin_app().await;
        assert_eq!(upload(&mut copy, &exported.bytes, false).await.status, StatusCode::OK);
        assert_eq!(copy.get("/export/cases.csv").await.bytes, exported.bytes);
    })
    .await;
}

/// The schema's indexes, and on PostgreSQL its foreign keys, by name.
async fn indexes_and_keys(app: &TestApp) -> Vec<String> {
    let sql = match app.pool.backend() {
        accord::store::Backend::Sqlite => "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        accord::store::Backend::Postgres => {
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
             UNION ALL SELECT conname FROM pg_constraint
                 WHERE contype = 'f' AND connamespace = CAST(current_schema() AS regnamespace)
             ORDER BY 1"
        }
    };
    let names: Vec<String> = accord::on_db!(app.pool, |e| sqlx::query_scalar(sql).fetch_all(e).await).unwrap();
    assert!(names.len() > 20, "{names:?}");
    names
}

#[tokio::test]
async fn the_import_command_checks_reports_and_writes_all_or_nothing() {
    crate::common::both(async || {
    let app = admin_app().await;
    let db = app.config.database.to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,新人\n"),
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{EN_HEADINGS}\n,2026-10-01,,party_application,bribes,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,新人\n"),
    )
    .unwrap();
    let before = footprint(&app).await;
    let out = accord_cmd(dir.path())
        .args(["--db", &db, "import", bad.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("row 2, column E (category): Not one of the choices."),
        "{stderr}"
    );
    let out = accord_cmd(dir.path())
        .args(["--db", &db, "import", good.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("检查完毕:1 件案件全部有效"));
    assert_eq!(footprint(&app).await, before);
    let out = accord_cmd(dir.path())
        .args(["--db", &db, "import", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("已导入 1 件案件。") && stdout.contains("新建调解员:新人"),
        "{stdout}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 1);
    let created_by: Option<i64> = accord::on_db!(app.pool, |e| sqlx::query_scalar("SELECT created_by FROM cases")
        .fetch_one(e)
        .await)
    .unwrap();
    assert_eq!(created_by, None, "the command line acts as nobody in particular");
}).await;
}

/// A file with problems on known rows, one quoted cell over two lines.
fn rows_with_problems(newline: &str) -> String {
    let ok =
        "party_application,fees,甲小区,chaoyang,欠费,100,registered,,,,,,,,张三,owner,某物业,property_company,王调解";
    [
        EN_HEADINGS.to_string(),
        format!(",2026-10-01,,{ok}"),
        format!(",2026-13-01,,{ok}"),
        format!(",2026-10-01,,party_application,fees,甲,chaoyang,\"两行{newline}概要\",,,,,,,,,,张三,owner,某物业,owner,王调解"),
        String::new(),
        ",2026-10-01,,party_application,bribes,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,王调解".to_string(),
        String::new(),
    ]
    .join(newline)
}

#[tokio::test]
async fn error_rows_are_counted_as_a_spreadsheet_shows_them_with_crlf_and_lf() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        app.get("/lang/en").await;
        let expected = [
            "row 3, column B (received_on): Not a date; write e.g. 2023-09-21, 2023/9/21 or 2023年9月21日.",
            "row 6, column E (category): Not one of the choices.",
        ];
        for newline in ["\n", "\r\n"] {
            let page = upload(&mut app, rows_with_problems(newline).as_bytes(), false).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{newline:?}");
            assert_eq!(page.texts("ol.import-errors li"), expected, "{newline:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
    })
    .await;
}

#[tokio::test]
async fn an_unclosed_quote_is_reported_at_the_row_where_it_opens() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        app.get("/lang/en").await;
        let ok = ",2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,王调解";
        for newline in ["\n", "\r\n"] {
            let file = [
            EN_HEADINGS,
            ok,
            ok,
            ",2026-10-01,,party_application,fees,甲,chaoyang,\"没有结束的引号,,,,,,,,,,张三,owner,某物业,owner,王调解",
            ok,
            "",
        ]
        .join(newline);
            let page = upload(&mut app, file.as_bytes(), false).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
            let errors = page.texts("ol.import-errors li");
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].starts_with("row 4:"), "{errors:?}");
            assert!(errors[0].contains("never closed"), "{errors:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0);
    })
    .await;
}

#[tokio::test]
async fn imported_case_numbers_keep_to_their_year_and_a_six_digit_sequence() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        app.get("/lang/en").await;
        let row = |no: &str, received: &str| {
            format!("{no},{received},,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,王调解")
        };
        let file = format!(
            "{EN_HEADINGS}\n{}\n{}\n{}\n",
            row("物调〔2024〕第9223372036854775807号", "2024-03-01"),
            row("物调〔2024〕第1000000号", "2024-03-01"),
            row("物调〔2025〕第0001号", "2024-03-01"),
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(
            page.texts("ol.import-errors li"),
            [
                "row 2, column A (case_no): The number's sequence is over 999,999.",
                "row 3, column A (case_no): The number's sequence is over 999,999.",
                "row 4, column A (case_no): The year in the case number is not the year of the received date.",
            ]
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM case_counters").await, 0);

        let good = format!("{EN_HEADINGS}\n{}\n", row("物调〔2024〕第999999号", "2024-03-01"));
        let page = upload(&mut app, good.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // Registration goes on after the largest number an import may keep.
        let id = app.create_case(&case_form(m, &[("received_on", "2024-05-01")])).await;
        let next: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(next, "物调〔2024〕第1000000号");
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_meets_every_refusal_of_the_real_write_and_still_writes_nothing() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    app.add_mediator("王调解").await;
    app.get("/lang/en").await;
    // A rule only the database knows (as `length(name) > 0` was for a name
    // of one NUL byte before the checks refused control characters).
    match app.pool.backend() {
        accord::store::Backend::Sqlite => {
            app.sql_exec(
                "CREATE TRIGGER refuse_party BEFORE INSERT ON parties WHEN NEW.name = '拒收'
                 BEGIN SELECT RAISE(ABORT, 'refused'); END",
            )
            .await;
        }
        // The same rule as PostgreSQL writes it, refusing as the schema's
        // triggers do (SQLSTATE 23000).
        accord::store::Backend::Postgres => {
            app.sql_exec(
                "CREATE FUNCTION refuse_party() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     IF NEW.name = '拒收' THEN
                         RAISE EXCEPTION 'refused' USING ERRCODE = '23000';
                     END IF;
                     RETURN NEW;
                 END $$",
            )
            .await;
            app.sql_exec(
                "CREATE TRIGGER refuse_party BEFORE INSERT ON parties FOR EACH ROW EXECUTE FUNCTION refuse_party()",
            )
            .await;
        }
    }
    let ok = ",2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,owner,新调解员";
    let refused = ",2026-10-02,,party_application,fees,乙,chaoyang,欠费,,,,,,,,,,拒收,owner,某物业,owner,王调解";
    let file = format!("{EN_HEADINGS}\n{ok}\n{refused}\n");
    let before = footprint(&app).await;
    for dry_run in [true, false] {
        let page = upload(&mut app, file.as_bytes(), dry_run).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "dry run {dry_run}: {}",
            page.body
        );
        assert_eq!(
            page.texts("ol.import-errors li"),
            [
                "row 3: The database refused to store this row (it breaks a storage rule). Check this row; nothing was imported."
            ],
            "dry run {dry_run}"
        );
        assert_eq!(footprint(&app).await, before, "dry run {dry_run}");
    }
    // Without the refused row, the dry run and the import report the same.
    let file = format!("{EN_HEADINGS}\n{ok}\n");
    let dry = upload(&mut app, file.as_bytes(), true).await;
    assert_eq!(footprint(&app).await, before);
    let real = upload(&mut app, file.as_bytes(), false).await;
    assert_eq!(
        (dry.status, real.status),
        (StatusCode::OK, StatusCode::OK),
        "{}",
        real.body
    );
    assert!(dry.text("#import-result p").contains('1') && real.text("#import-result p").contains('1'));
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 1);
}).await;
}

/// Words shorter than the trigram index's three characters (a surname, a
/// two-character name, two letters in either case) find imported cases
/// through the gram index the import writes.
#[tokio::test]
async fn one_and_two_character_words_find_imported_cases() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    app.add_mediator("王调解").await;
    let row = |project: &str, applicants: &str, respondent: &str| {
        format!(
            ",2026-10-01,,party_application,fees,{project},chaoyang,欠费,,registered,,,,,,,,{applicants},owner,{respondent},property_company,王调解\n"
        )
    };
    let file = format!(
        "{EN_HEADINGS}\n{}{}",
        row("甲小区", "\"欧阳娜娜；李四\"", "某物业"),
        row("乙小区", "张伟", "ACME物业")
    );
    let page = upload(&mut app, file.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let found = |page: &Page| page.texts("table.cases tbody tr").len();
    for (q, cases) in [
        ("欧", 1),
        ("娜娜", 1),
        ("李", 1),
        ("张", 1),
        ("张伟", 1),
        ("ac", 1),
        ("Me", 1),
        ("物", 2),
        ("王", 0),
    ] {
        assert_eq!(found(&app.get(&format!("/cases?q={q}")).await), cases, "search {q}");
    }
    })
    .await;
}

/// Issue 15: the cases of an import join the importing admin's committee,
/// numbered in its series; a mediator's name is matched within it only.
#[tokio::test]
async fn an_import_joins_the_importers_committee_and_matches_mediators_within_it() {
    crate::common::both(async || {
        let app = TestApp::new().await;
        app.add_mediator("王调解").await; // committee 2's
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user_in(3, "boss_b", Role::Admin).await;
        let mut b = app.client();
        b.login("boss_b").await;
        let file = format!(
            "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲小区,chaoyang,欠费,100,registered,,,,,,,,张三,owner,某物业,property_company,王调解\n\
             朝调〔2025〕第0009号,2025-10-02,,party_application,fees,乙小区,chaoyang,欠费,200,registered,,,,,,,,李四,owner,某物业,property_company,王调解\n"
        );
        let page = upload(&mut b, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let lines = page.texts("#import-result p");
        assert_eq!(lines, ["已导入 2 件案件。", "新建调解员:王调解"], "committee 2's 王调解 is not committee 3's");
        assert_eq!(app.count("SELECT COUNT(*) FROM cases WHERE committee_id = 3").await, 2);
        assert_eq!(
            app.sql_text("SELECT case_no FROM cases WHERE case_year = 2026").await.as_deref(),
            Some("朝调〔2026〕第0001号")
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM case_counters WHERE committee_id = 3 AND year = 2025 AND last_seq = 9")
                .await,
            1
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM case_counters WHERE committee_id = 2").await, 0);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
                 WHERE m.committee_id <> 3"
            )
            .await,
            0
        );
    })
    .await;
}
