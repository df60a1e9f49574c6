//! Issue 14: on PostgreSQL the search rows hold a copy of the columns the
//! case list filters on (PostgreSQL migration 0012), so a search with filters is one
//! index scan. The copies follow every write; a search with filters finds
//! the same cases on both backends.

use axum::http::StatusCode;

use crate::common::{TestApp, admin_app, case_form};
use accord::domain::Role;
use accord::store::search::filter_drift;

const HEADINGS: &str = "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,applicants,\
applicant_type,respondents,respondent_type,mediators";

/// The number of cases the list shows for these query pairs.
async fn listed(app: &mut TestApp, query: &str) -> String {
    let page = app.get(&format!("/cases?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    page.text("#total")
}

async fn no_drift(app: &TestApp, after: &str) {
    assert_eq!(filter_drift(&app.pool).await.unwrap(), 0, "after {after}");
}

#[tokio::test]
async fn the_search_rows_copies_of_the_filters_follow_edits_status_changes_transfers_and_imports() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let id = app.create_case(&case_form(m, &[])).await;
        no_drift(&app, "a new case").await;
        let q = "q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD";
        assert_eq!(listed(&mut app, &format!("category=fees&district=chaoyang&{q}")).await, "1");

        // An edit of every copied column a form holds.
        let form = case_form(
            m,
            &[
                ("category", "parking"),
                ("district", "haidian"),
                ("source", "hotline_12345"),
                ("received_on", "2026-10-30"),
            ],
        );
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post_ok(&format!("/cases/{id}"), &pairs).await;
        no_drift(&app, "an edit").await;
        assert_eq!(listed(&mut app, &format!("category=fees&district=chaoyang&{q}")).await, "0");
        let edited = format!("category=parking&district=haidian&source=hotline_12345&from=2026-10-30&to=2026-10-30&{q}");
        assert_eq!(listed(&mut app, &edited).await, "1");

        // A status change.
        app.accept(id, "2026-11-03").await;
        no_drift(&app, "a status change").await;
        assert_eq!(listed(&mut app, &format!("status=in_mediation&category=parking&{q}")).await, "1");
        assert_eq!(listed(&mut app, &format!("status=registered&category=parking&{q}")).await, "0");

        // A transfer to committee 3, accepted there.
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user_in(3, "boss3", Role::Admin).await;
        app.post_ok(&format!("/cases/{id}/transfer"), &[("to", "3"), ("reason", "纠纷发生地属朝阳区")])
            .await;
        let mut boss3 = app.client();
        boss3.login("boss3").await;
        boss3.post_ok(&format!("/cases/{id}/transfer/accept"), &[]).await;
        no_drift(&app, "a transfer").await;
        assert_eq!(listed(&mut boss3, &format!("category=parking&district=haidian&{q}")).await, "1");
        assert_eq!(listed(&mut app, &format!("category=parking&district=haidian&{q}")).await, "0");

        // An import.
        let file = format!(
            "{HEADINGS}\n,2026-10-01,,street_referral,renovation,阳光花园东区,xicheng,装修噪音,100,registered,,,,,,,,张三,owner,某物业,property_company,王调解\n"
        );
        let form = app.get("/import").await;
        let action = form.attrs("form[enctype='multipart/form-data']", "action").pop().unwrap();
        let token = form
            .attrs("form[enctype='multipart/form-data'] input[name=csrf_token]", "value")
            .pop()
            .unwrap();
        let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("csrf_token", None, token.as_bytes()),
            ("file", Some("cases.csv"), file.as_bytes()),
        ];
        let page = app.post_multipart(&action, &fields).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        no_drift(&app, "an import").await;
        let imported = format!("category=renovation&district=xicheng&source=street_referral&{q}");
        assert_eq!(listed(&mut app, &imported).await, "1");

        // The drift query sees a copy gone wrong.
        if app.pool.backend() == accord::store::Backend::Postgres {
            app.sql_exec("UPDATE case_search SET district = 'dongcheng' WHERE case_id = 1").await;
            assert_eq!(filter_drift(&app.pool).await.unwrap(), 1);
        }
    })
    .await;
}

/// The case numbers the list shows for these query pairs, in its order,
/// and its count.
async fn shown(app: &mut TestApp, query: &str) -> (Vec<String>, String) {
    let page = app.get(&format!("/cases?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    (page.texts("a.case-link"), page.text("#total"))
}

/// Issue 14: on PostgreSQL a search whose words the search rows hold, with
/// filters they hold a copy of, takes its count and its page's ids from the
/// search rows alone. The same cases in the same order as the list of
/// `cases` finds, and as SQLite finds: a voided case only when asked for,
/// another committee's never, a word in a district's name and an order the
/// search rows do not hold still through `cases`.
#[tokio::test]
async fn a_search_the_search_rows_answer_lists_the_cases_the_cases_table_does() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let mut numbers = Vec::new();
        for extra in [
            &[][..],
            &[("received_on", "2026-10-01")],
            &[("category", "parking")],
            &[("district", "haidian")],
            &[("project", "翠湖苑")],
            &[("received_on", "2026-10-01"), ("amount_claimed", "1")],
            &[("project", "阳光花园"), ("summary", "漏水")],
            &[],
        ] {
            let id = app.create_case(&case_form(m, extra)).await;
            let page = app.get(&format!("/cases/{id}")).await;
            numbers.push((id, page.text("#case-no")));
        }
        let void = numbers[7].0;
        app.post_ok(&format!("/cases/{void}/void"), &[("reason", "重复登记")])
            .await;
        // Another committee's case holding the word.
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user_in(3, "boss3", Role::Admin).await;
        let mut boss3 = app.client();
        boss3.login("boss3").await;
        let m3 = accord::store::mediators::insert(&app.pool, 3, "李调解", "", true)
            .await
            .unwrap();
        boss3.create_case(&case_form(m3, &[])).await;
        let no = |i: usize| numbers[i].1.clone();
        let ids = |is: &[usize]| -> Vec<String> { is.iter().map(|&i| no(i)).collect() };
        let q = "q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD";
        // Newest received first, then the latest registered.
        let cases = [
            (format!("category=fees&district=chaoyang&{q}"), ids(&[6, 0, 5, 1])),
            (q.to_string(), ids(&[6, 3, 2, 0, 5, 1])),
            (format!("category=fees&{q}"), ids(&[6, 3, 0, 5, 1])),
            (format!("status=voided&{q}"), ids(&[7])),
            (
                format!("{q}&sort=received_on&dir=asc&per_page=10"),
                ids(&[1, 5, 0, 2, 3, 6]),
            ),
            (format!("{q}%20%E6%BC%8F%E6%B0%B4"), ids(&[6])),
            (format!("{q}%20%E7%89%A9%E4%B8%9A%E8%B4%B9"), ids(&[3, 2, 0, 5, 1])),
            // In a district's name: every case of the district (on
            // PostgreSQL each case tested in the page's order).
            (
                "district=chaoyang&q=%E6%9C%9D%E9%98%B3%E5%8C%BA".to_string(),
                ids(&[6, 4, 2, 0, 5, 1]),
            ),
            ("q=%E6%9C%9D%E9%98%B3%E5%8C%BA".to_string(), ids(&[6, 4, 2, 0, 5, 1])),
            (
                format!("q=%E6%9C%9D%E9%98%B3%E5%8C%BA%20{}", &q[2..]),
                ids(&[6, 2, 0, 5, 1]),
            ),
            (
                "q=%E6%9C%9D%E9%98%B3%E5%8C%BA&sort=amount_claimed&dir=asc".to_string(),
                ids(&[5, 0, 1, 2, 4, 6]),
            ),
            ("category=parking&q=%E6%9C%9D%E9%98%B3".to_string(), ids(&[2])),
            // A short word through the gram index alone.
            ("category=fees&q=%E6%BC%8F%E6%B0%B4".to_string(), ids(&[6])),
            (format!("q=%E6%BC%8F%E6%B0%B4%20{}", &q[2..]), ids(&[6])),
            // An order the search rows do not hold.
            (format!("{q}&sort=amount_claimed&dir=asc"), ids(&[5, 0, 1, 2, 3, 6])),
        ];
        for (query, expected) in cases {
            let (rows, total) = shown(&mut app, &query).await;
            assert_eq!(rows, expected, "{query}");
            assert_eq!(total, expected.len().to_string(), "{query}");
        }
        // A page past the end is the last page.
        let (rows, total) = shown(&mut app, &format!("{q}&per_page=10&page=3")).await;
        assert_eq!((rows, total), (ids(&[6, 3, 2, 0, 5, 1]), "6".to_string()));
    })
    .await;
}

/// A short word in a district's name finds the district's cases and the
/// cases whose text holds it, each once, in order, and counts them alike:
/// alone (on PostgreSQL counted from the stream of its matches, each case
/// of the page looked up by its id), beside a column, in either order.
#[tokio::test]
async fn a_short_word_in_a_district_s_name_finds_the_district_and_the_text_alike() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let mut numbers = Vec::new();
        for extra in [
            &[("district", "chaoyang"), ("category", "parking")][..],
            &[("district", "haidian"), ("summary", "朝阳门外停车位被占")],
            &[("district", "haidian"), ("category", "parking")],
            &[("district", "chaoyang"), ("summary", "朝阳区业主投诉漏水")],
            &[
                ("district", "haidian"),
                ("category", "parking"),
                ("project", "朝阳花园"),
            ],
            &[("district", "haidian")],
        ] {
            let id = app.create_case(&case_form(m, extra)).await;
            numbers.push(app.get(&format!("/cases/{id}")).await.text("#case-no"));
        }
        let ids = |is: &[usize]| -> Vec<String> { is.iter().map(|&i| numbers[i].clone()).collect() };
        for (query, expected) in [
            ("q=%E6%9C%9D%E9%98%B3", ids(&[4, 3, 1, 0])),
            ("q=%E6%9C%9D", ids(&[4, 3, 1, 0])),
            ("category=parking&q=%E6%9C%9D%E9%98%B3", ids(&[4, 0])),
            ("q=%E6%9C%9D%E9%98%B3&sort=received_on&dir=asc", ids(&[0, 1, 3, 4])),
        ] {
            let (rows, total) = shown(&mut app, query).await;
            assert_eq!(rows, expected, "{query}");
            assert_eq!(total, expected.len().to_string(), "{query}");
        }
    })
    .await;
}
