//! Issue 10, the first hour: the case list's order, page size and pages,
//! and values in the URL that cannot be read.

use axum::http::StatusCode;

use crate::common::{TestApp, admin_app, case_form};

/// An admin app with `n` cases; case i claims (i + 1) × 100 yuan and was
/// received on day i + 1 of October 2026.
async fn app_with_cases(n: usize) -> TestApp {
    let mut app = admin_app().await;
    let m = app.add_mediator("林杰").await;
    for i in 0..n {
        let amount = ((i + 1) * 100).to_string();
        let day = format!("2026-10-{:02}", i % 28 + 1);
        let form = case_form(m, &[("amount_claimed", &amount), ("received_on", &day)]);
        app.create_case(&form).await;
    }
    app
}

fn amounts(page: &crate::common::Page) -> Vec<String> {
    page.texts("table.cases tbody td.num")
}

#[tokio::test]
async fn the_amount_heading_orders_the_list_largest_first_then_smallest_first() {
    let mut app = app_with_cases(3).await;
    let list = app.get("/cases").await;
    let href = list.attrs("th a.sort[data-sort=amount_claimed]", "href");
    assert_eq!(href, vec!["/cases?sort=amount_claimed&dir=desc"]);

    let desc = app.get(&href[0]).await;
    assert_eq!(amounts(&desc), ["¥300.00", "¥200.00", "¥100.00"]);
    assert!(desc.text("th[aria-sort=descending]").contains("▼"));
    let flip = desc.attrs("th a.sort[data-sort=amount_claimed]", "href");
    assert_eq!(flip, vec!["/cases?sort=amount_claimed&dir=asc"]);

    let asc = app.get(&flip[0]).await;
    assert_eq!(amounts(&asc), ["¥100.00", "¥200.00", "¥300.00"]);
    // The other sortable columns have links too.
    for key in ["received_on", "accepted_on", "status"] {
        assert_eq!(
            asc.attrs(&format!("th a.sort[data-sort={key}]"), "href").len(),
            1,
            "{key}"
        );
    }
}

#[tokio::test]
async fn received_and_status_orders_read_from_the_url() {
    let mut app = app_with_cases(3).await;
    let asc = app.get("/cases?sort=received_on&dir=asc").await;
    assert_eq!(
        asc.texts("table.cases tbody td:nth-child(2)"),
        ["2026-10-01", "2026-10-02", "2026-10-03"]
    );
    let by_status = app.get("/cases?sort=status&dir=asc").await;
    assert_eq!(by_status.status, StatusCode::OK);
    assert_eq!(amounts(&by_status).len(), 3);
    let accepted = app.get("/cases?sort=accepted_on&dir=desc").await;
    assert_eq!(amounts(&accepted).len(), 3);
}

#[tokio::test]
async fn a_page_size_of_twenty_pages_the_list_and_the_links_keep_it() {
    let mut app = app_with_cases(23).await;
    let list = app.get("/cases").await;
    assert_eq!(list.texts("select#per_page option"), ["20", "50", "100", "200"]);
    assert_eq!(list.attrs("select#per_page option[selected]", "value"), ["50"]);

    let page1 = app.get("/cases?per_page=20&sort=amount_claimed&dir=asc").await;
    assert_eq!(amounts(&page1).len(), 20);
    assert_eq!(page1.text(".pager .current"), "1 / 2");
    assert_eq!(
        page1.attrs("a[rel=next]", "href"),
        ["/cases?sort=amount_claimed&dir=asc&per_page=20&page=2"]
    );
    // The "go to page" form is a plain GET form keeping order and size.
    let hidden: Vec<String> = page1.attrs("form.goto input[type=hidden]", "name");
    assert_eq!(hidden, ["sort", "dir", "per_page"]);
    assert_eq!(page1.attrs("form.goto", "method"), ["get"]);
    assert_eq!(page1.attrs("form.goto input[name=page]", "max"), ["2"]);
    let page2 = app.get("/cases?sort=amount_claimed&dir=asc&per_page=20&page=2").await;
    assert_eq!(amounts(&page2), ["¥2,100.00", "¥2,200.00", "¥2,300.00"]);
}

#[tokio::test]
async fn a_page_past_the_end_shows_the_last_page() {
    let mut app = app_with_cases(23).await;
    let page = app.get("/cases?per_page=20&page=999").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(amounts(&page).len(), 3);
    assert_eq!(page.text(".pager .current"), "2 / 2");
    assert!(!page.has("#unread-filters"));
}

#[tokio::test]
async fn an_invalid_date_or_unknown_status_in_the_url_is_reported_above_the_list() {
    let mut app = app_with_cases(2).await;
    let page = app.get("/cases?from=2026-13-45&status=lost&category=&sort=name").await;
    assert_eq!(page.status, StatusCode::OK);
    let notice = page.texts("#unread-filters li");
    assert_eq!(notice.len(), 3, "{notice:?}");
    assert!(
        notice[0].contains("登记日期自") && notice[0].contains("2026-13-45"),
        "{notice:?}"
    );
    assert!(notice[0].contains("不是有效日期"), "{notice:?}");
    assert!(notice[1].contains("状态") && notice[1].contains("lost"), "{notice:?}");
    assert!(notice[2].contains("排序"), "{notice:?}");
    // The rest of the list is shown, unfiltered.
    assert_eq!(amounts(&page).len(), 2);

    app.get("/lang/en?next=%2Fcases").await;
    let en = app.get("/cases?to=yesterday&district=atlantis").await;
    let notice = en.texts("#unread-filters li");
    assert!(
        notice[0].contains("“yesterday”") && notice[0].contains("It was ignored"),
        "{notice:?}"
    );
    assert!(
        notice[1].contains("atlantis") && notice[1].contains("Not one of the choices"),
        "{notice:?}"
    );
    assert_eq!(amounts(&en).len(), 2);
}

#[tokio::test]
async fn an_empty_filter_form_reports_nothing() {
    let mut app = app_with_cases(1).await;
    let page = app
        .get("/cases?q=&status=&category=&source=&district=&mediator=&flag=&from=&to=&per_page=50")
        .await;
    assert!(!page.has("#unread-filters"), "{}", page.body);
    assert_eq!(amounts(&page).len(), 1);
}

// Item 10: adding a user links a mediator by choice, or a new one by name.

#[tokio::test]
async fn the_add_user_form_starts_with_a_prompt_to_choose_a_mediator() {
    let mut app = admin_app().await;
    app.add_mediator("林杰").await;
    let page = app.get("/users").await;
    let options = page.texts("form[action='/users'] select#mediator option");
    assert_eq!(options.first().map(String::as_str), Some("请选择调解员"));
    assert!(options.contains(&"林杰".to_string()));
    assert_eq!(options.last().map(String::as_str), Some("新建调解员(在下方填写姓名)"));
    assert!(
        page.attrs("form[action='/users'] select#mediator option[selected]", "value")
            .is_empty()
    );
    assert!(page.has("input#mediator_name"));
}

#[tokio::test]
async fn a_mediator_account_without_a_chosen_mediator_is_refused_with_its_input_kept() {
    let mut app = admin_app().await;
    let page = app
        .post(
            "/users",
            &[
                ("username", "linjie"),
                ("role", "mediator"),
                ("mediator", ""),
                ("password", "long-password-1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#mediator-error").contains("至少选择一名调解员"));
    assert_eq!(page.attrs("input#username", "value"), ["linjie"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'linjie'").await,
        0
    );
}

#[tokio::test]
async fn an_existing_mediator_is_linked_and_no_new_record_is_made() {
    let mut app = admin_app().await;
    let lin = app.add_mediator("林杰").await;
    let page = app
        .post(
            "/users",
            &[
                ("username", "linjie"),
                ("role", "mediator"),
                ("mediator", &lin.to_string()),
                ("mediator_name", ""),
                ("password", "long-password-1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.mediator_of("linjie").await, lin);
    assert_eq!(app.count("SELECT COUNT(*) FROM mediators").await, 1);
}

#[tokio::test]
async fn a_new_mediator_needs_the_persons_real_name_and_is_recorded_under_it() {
    let mut app = admin_app().await;
    let form = |name: &'static str| {
        [
            ("username", "linjie"),
            ("role", "mediator"),
            ("mediator", "new"),
            ("mediator_name", name),
            ("password", "long-password-1"),
        ]
    };
    let refused = app.post("/users", &form("  ")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#mediator_name-error").contains("必填"));
    assert_eq!(refused.attrs("select#mediator option[selected]", "value"), ["new"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM mediators").await, 0);

    let ok = app.post("/users", &form("林杰")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM mediators")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(names, ["林杰"], "no stray mediator named after the login");
    assert!(
        app.get("/users")
            .await
            .texts("table.users td")
            .contains(&"林杰".to_string())
    );
}

// Item 11: reference lists need only labels and ask before retiring or deleting.

#[tokio::test]
async fn a_new_reference_entry_needs_only_its_labels_and_gets_a_code() {
    let mut app = admin_app().await;
    let page = app.get("/reference").await;
    assert!(!page.has("form.add-code input[name=code]"), "no code to invent");
    for (zh, en) in [
        ("电梯维修", "Lift repairs"),
        ("电梯维修二", "Lift repairs"),
        ("雄安", "雄安"),
    ] {
        let added = app
            .post("/reference/categories", &[("label_zh", zh), ("label_en", en)])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let page = app.get("/reference").await;
    let codes = page.texts("#list-categories td.code code");
    for code in ["lift_repairs", "lift_repairs_2", "c1"] {
        assert!(codes.contains(&code.to_string()), "{code} in {codes:?}");
    }
    // The new entry is offered on the case form by its label.
    let form = app.get("/cases/new").await;
    assert!(
        form.texts("select[name=category] option")
            .contains(&"电梯维修".to_string())
    );
}

#[tokio::test]
async fn retiring_an_entry_asks_for_confirmation_on_its_own_page() {
    let mut app = admin_app().await;
    let list = app.get("/reference").await;
    let href = list.attrs("#list-categories tr[data-code=parking] a.retire", "href");
    assert_eq!(href, ["/reference/categories/parking/retire"]);

    let ask = app.get(&href[0]).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.text("h1").contains("停用“停车管理"), "{}", ask.text("h1"));
    assert_eq!(
        app.count("SELECT retired FROM categories WHERE code = 'parking'").await,
        0
    );
    assert_eq!(ask.attrs("form.confirm", "action"), [href[0].clone()]);
    assert_eq!(ask.attrs("form.confirm input[name=csrf_token]", "value").len(), 1);
    assert_eq!(ask.attrs("form.confirm a.button", "href"), ["/reference"]);

    let done = app.post(&href[0], &[("retired", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT retired FROM categories WHERE code = 'parking'").await,
        1
    );
    // Restoring needs no confirmation.
    let list = app.get("/reference").await;
    assert!(list.has("#list-categories tr[data-code=parking] form button"));
}

#[tokio::test]
async fn deleting_an_unused_entry_asks_first_and_one_in_use_offers_retiring() {
    let mut app = admin_app().await;
    app.post(
        "/reference/districts",
        &[("label_zh", "雄安新区"), ("label_en", "Xiong'an")],
    )
    .await;
    let list = app.get("/reference").await;
    let href = list.attrs("#list-districts tr[data-code=xiong_an] a.delete", "href");
    assert_eq!(href, ["/reference/districts/xiong_an/delete"]);
    let ask = app.get(&href[0]).await;
    assert!(ask.text("h1").contains("删除“雄安新区"));
    assert!(ask.text("#confirm-text").contains("不能恢复"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM districts WHERE code = 'xiong_an'")
            .await,
        1
    );
    assert_eq!(app.post(&href[0], &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM districts WHERE code = 'xiong_an'")
            .await,
        0
    );

    // A code in use (by a case) cannot be deleted: the page says so.
    let m = app.add_mediator("陈静").await;
    app.create_case(&case_form(m, &[("district", "chaoyang")])).await;
    let ask = app.get("/reference/districts/chaoyang/delete").await;
    assert!(ask.text(".error-message").contains("只能停用"));
    assert!(!ask.has("form.confirm"));
    assert_eq!(
        app.get("/reference/districts/nowhere/delete").await.status,
        StatusCode::NOT_FOUND
    );
}

// Item 8: any number of parties per side, added without JavaScript.

/// The case form as a browser sends it: one filled applicant row and the
/// blank row after it, plus the given extra pairs.
fn typed_case(m: i64, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = case_form(m, &[]);
    for k in ["applicant_type", "applicant_name", "applicant_phone"] {
        form.push((k.into(), String::new()));
    }
    form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form
}

#[tokio::test]
async fn the_add_applicant_button_shows_one_more_row_keeping_what_was_typed() {
    let mut app = admin_app().await;
    let m = app.add_mediator("林杰").await;
    let fresh = app.get("/cases/new").await;
    assert_eq!(fresh.attrs("input[name=applicant_name]", "value").len(), 2);
    assert_eq!(fresh.attrs("button[name=add_applicant]", "type"), ["submit"]);
    // Enter in a field saves: the form's first submit button is not an "add" button.
    let first = fresh.texts("form.case-form button[type=submit]");
    assert_eq!(first[0], "保存", "{first:?}");

    let page = app.post_case(&typed_case(m, &[("add_applicant", "1")])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.has(".error-message") && !page.has(".field-error"),
        "no errors shown"
    );
    assert_eq!(
        page.attrs("input[name=applicant_name]", "value"),
        ["北京某物业服务有限公司", "", ""]
    );
    assert_eq!(
        page.attrs("input[name=applicant_name][autofocus]", "id"),
        ["applicant_name_2"]
    );
    assert_eq!(page.attrs("input[name=respondent_name]", "value")[0], "张三");
    assert_eq!(page.attrs("input#project", "value"), ["阳光花园小区"]);
    assert_eq!(page.text("textarea#summary"), "业主拖欠物业费两年,物业公司申请调解。");
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0, "nothing saved");

    // Three applicants, saved.
    let mut form = case_form(m, &[]);
    for (t, n) in [("owner", "王芳"), ("owner", "赵强"), ("occupant", "李明")] {
        form.extend([
            ("applicant_type".to_string(), t.to_string()),
            ("applicant_name".to_string(), n.to_string()),
            ("applicant_phone".to_string(), String::new()),
        ]);
    }
    let id = app.create_case(&form).await;
    let shown = app.get(&format!("/cases/{id}")).await;
    assert_eq!(
        shown.texts("#applicants .party-name"),
        ["北京某物业服务有限公司", "王芳", "赵强", "李明"]
    );
}

#[tokio::test]
async fn the_edit_form_adds_a_respondent_row_too() {
    let mut app = admin_app().await;
    let m = app.add_mediator("林杰").await;
    let id = app.create_case(&case_form(m, &[])).await;
    let mut form = case_form(m, &[]);
    form.push(("add_respondent".into(), "1".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = app.post(&format!("/cases/{id}"), &pairs).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attrs("input[name=respondent_name]", "value"), ["张三", ""]);
    assert!(!page.has(".field-error"));
}

#[tokio::test]
async fn a_side_stops_at_fifty_parties_with_a_clear_message() {
    let mut app = admin_app().await;
    let m = app.add_mediator("林杰").await;
    let mut form = case_form(m, &[]);
    form.retain(|(k, _)| !k.starts_with("applicant_"));
    for i in 0..50 {
        form.extend([
            ("applicant_type".to_string(), "owner".to_string()),
            ("applicant_name".to_string(), format!("业主{i}")),
            ("applicant_phone".to_string(), String::new()),
        ]);
    }
    let mut full = form.clone();
    full.push(("add_applicant".into(), "1".into()));
    let page = app.post_case(&full).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attrs("input[name=applicant_name]", "value").len(), 50);
    assert!(page.text("#applicants-error").contains("最多 50"));
    assert!(!page.has("button[name=add_applicant]"));
    // Fifty are saved; fifty-one are refused.
    assert_eq!(app.post_case(&form).await.status, StatusCode::SEE_OTHER);
    form.extend([
        ("applicant_type".to_string(), "owner".to_string()),
        ("applicant_name".to_string(), "业主50".to_string()),
        ("applicant_phone".to_string(), String::new()),
    ]);
    let refused = app.post_case(&form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#applicants-error").contains("最多 50"));
}

// Item 17: long commands show progress; off a terminal, as plain lines.

#[test]
fn demo_and_export_print_plain_progress_lines_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accord.db");
    let db = db.to_str().unwrap();
    let demo = crate::common::accord_cmd(dir.path())
        .args(["--db", db, "demo", "--cases", "5000"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let err = String::from_utf8_lossy(&demo.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("demo: ")).collect();
    assert_eq!(lines.first(), Some(&"demo: 0/5000 cases"), "{err}");
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("demo: 5000/5000 cases (100%), ") && last.contains("/s, done in "),
        "{err}"
    );
    assert!(
        !err.contains('\r') && !err.contains('\u{1b}'),
        "no bar drawn into a log: {err:?}"
    );
    // The sign-ins still go to standard output.
    assert!(String::from_utf8_lossy(&demo.stdout).contains("Loaded 5000 synthetic cases"));

    let out = dir.path().join("all.csv");
    let export = crate::common::accord_cmd(dir.path())
        .args(["--db", db, "export", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let err = String::from_utf8_lossy(&export.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("export: ")).collect();
    assert_eq!(lines.first(), Some(&"export: 0/5000 cases"), "{err}");
    assert!(
        lines.last().unwrap().starts_with("export: 5000/5000 cases (100%)"),
        "{err}"
    );
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
}

// Item 6: every word of a search must match; phones for who may see them.

#[tokio::test]
async fn several_search_words_must_all_match_including_the_district() {
    let mut app = admin_app().await;
    let m = app.add_mediator("林杰").await;
    for (name, district, project) in [
        ("赵平", "haidian", "阳光花园小区"),
        ("赵平", "chaoyang", "阳光花园小区"),
        ("钱多", "haidian", "阳光花园小区"),
    ] {
        app.create_case(&case_form(
            m,
            &[("applicant_name", name), ("district", district), ("project", project)],
        ))
        .await;
    }
    let page = app.get("/cases?q=赵平+海淀").await;
    assert_eq!(page.text("#total"), "1");
    assert_eq!(page.text("table.cases td.parties").split(" ⇄ ").next(), Some("赵平"));
    assert_eq!(app.get("/cases?q=赵平").await.text("#total"), "2");
    assert_eq!(app.get("/cases?q=阳光花园+海淀").await.text("#total"), "2");
    assert_eq!(app.get("/cases?q=赵平+西城").await.text("#total"), "0");
}

#[tokio::test]
async fn admins_and_the_cases_mediators_find_a_case_by_a_partys_phone() {
    let mut app = admin_app().await;
    app.add_user("li", accord::domain::Role::Mediator).await;
    app.add_user("wu", accord::domain::Role::Mediator).await;
    app.add_user("sec", accord::domain::Role::Secretary).await;
    let li = app.mediator_of("li").await;
    // case_form's respondent 张三 has 13812341234; the applicant 010-62345678.
    app.create_case(&case_form(li, &[])).await;
    for q in ["13812341234", "1234", "62345678", "010-62345678"] {
        assert_eq!(app.get(&format!("/cases?q={q}")).await.text("#total"), "1", "{q}");
    }
    assert_eq!(app.get("/cases?q=99999999").await.text("#total"), "0");

    app.login("li").await;
    assert_eq!(app.get("/cases?q=1234").await.text("#total"), "1");
    // A secretary may not see phones, so cannot search by them.
    app.login("sec").await;
    assert_eq!(app.get("/cases?q=13812341234").await.text("#total"), "0");
    assert_eq!(app.get("/cases?q=张三").await.text("#total"), "1");
    // Another mediator does not see the case at all.
    app.login("wu").await;
    assert_eq!(app.get("/cases?q=1234").await.text("#total"), "0");
}
