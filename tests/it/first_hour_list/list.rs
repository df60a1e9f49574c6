//! The case list: order, page size, pages, unreadable values in the URL
//! (item 5) and search by several words or a phone number (item 6).

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
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn received_and_status_orders_read_from_the_url() {
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn a_page_size_of_twenty_pages_the_list_and_the_links_keep_it() {
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn a_page_past_the_end_shows_the_last_page() {
    crate::common::both(async || {
        let mut app = app_with_cases(23).await;
        let page = app.get("/cases?per_page=20&page=999").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(amounts(&page).len(), 3);
        assert_eq!(page.text(".pager .current"), "2 / 2");
        assert!(!page.has("#unread-filters"));
    })
    .await;
}

#[tokio::test]
async fn an_invalid_date_or_unknown_status_in_the_url_is_reported_above_the_list() {
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn an_empty_filter_form_reports_nothing() {
    crate::common::both(async || {
        let mut app = app_with_cases(1).await;
        let page = app
            .get("/cases?q=&status=&category=&source=&district=&mediator=&flag=&from=&to=&per_page=50")
            .await;
        assert!(!page.has("#unread-filters"), "{}", page.body);
        assert_eq!(amounts(&page).len(), 1);
    })
    .await;
}

// Item 6: every word of a search must match; phones for who may see them.

#[tokio::test]
async fn several_search_words_must_all_match_including_the_district() {
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn admins_and_the_cases_mediators_find_a_case_by_a_partys_phone() {
    crate::common::both(async || {
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
    })
    .await;
}

#[tokio::test]
async fn received_and_accepted_dates_are_cells_that_never_wrap() {
    crate::common::both(async || {
        let mut app = app_with_cases(1).await;
        let id: i64 = app.sql_i64("SELECT MAX(id) FROM cases").await;
        app.accept(id, "2026-11-05").await;
        let page = app.get("/cases").await;
        let dates = page.texts("table.cases tbody td.date");
        assert!(dates.iter().any(|d| d == "2026-11-05"), "{dates:?}");
        let css = app.get("/static/app.css").await.body;
        let rule = css
            .lines()
            .find(|l| l.contains("td.date"))
            .expect("a rule for date cells");
        assert!(rule.contains("white-space: nowrap"), "{rule}");
    })
    .await;
}

/// The status of each row of a listing, from its badge's class.
fn statuses(page: &crate::common::Page) -> Vec<String> {
    page.attrs("table.cases tbody span.badge", "class")
        .iter()
        .map(|c| c.trim_start_matches("badge status-").to_string())
        .collect()
}

#[tokio::test]
async fn sorted_by_status_the_list_follows_the_workflow_both_ways() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("林杰").await;
        // Created in an order that is neither the workflow's nor the alphabet's.
        let withdrawn = app.create_case(&case_form(m, &[])).await;
        let settled = app.create_case(&case_form(m, &[])).await;
        let _registered = app.create_case(&case_form(m, &[])).await;
        let declined = app.create_case(&case_form(m, &[])).await;
        let failed = app.create_case(&case_form(m, &[])).await;
        let in_mediation = app.create_case(&case_form(m, &[])).await;
        for id in [withdrawn, settled, failed, in_mediation] {
            app.accept(id, "2026-11-03").await;
        }
        app.settle(settled, "2026-11-10", "2026-12-10").await;
        app.post_ok(
            &format!("/cases/{failed}/fail"),
            &[("on", "2026-11-10"), ("routes", "court")],
        )
        .await;
        app.post_ok(
            &format!("/cases/{withdrawn}/withdraw"),
            &[("on", "2026-11-10"), ("reason", "已和解")],
        )
        .await;
        app.post_ok(
            &format!("/cases/{declined}/decline"),
            &[("on", "2026-11-03"), ("reason", "拒绝调解")],
        )
        .await;

        let workflow = [
            "registered",
            "in_mediation",
            "settled",
            "failed",
            "withdrawn",
            "declined",
        ];
        // (A voided case, last in the order, is listed only when asked for.)
        let asc = app.get("/cases?sort=status&dir=asc").await;
        assert_eq!(statuses(&asc), workflow);
        let desc = app.get("/cases?sort=status&dir=desc").await;
        let mut backwards = workflow;
        backwards.reverse();
        assert_eq!(statuses(&desc), backwards);
    })
    .await;
}
