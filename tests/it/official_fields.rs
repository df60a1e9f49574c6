//! Issue 16 leftovers: the official report's three case fields
//! (涉及当事人人数, 防止民转刑, 防止群体性上访) in the case CSV (export and
//! import) and in `accord demo`.

use axum::http::StatusCode;

use crate::common::{TestApp, admin_app, case_form};
use crate::csv_import::{EN_HEADINGS, footprint, upload};
use accord::domain::Role;

/// Each case's three fields, in the order registered.
async fn figures(app: &TestApp) -> Vec<(Option<i64>, i64, i64)> {
    accord::on_db!(app.pool, |e| sqlx::query_as(
        "SELECT people_involved, prevented_crime_people, prevented_petition_people FROM cases ORDER BY id"
    )
    .fetch_all(e)
    .await)
    .unwrap()
}

/// The data rows of a CSV, cells split (none of these cells holds a comma).
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).to_vec()).unwrap();
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn the_case_csv_carries_the_three_fields_and_an_import_reads_them_back() {
    crate::common::both(async || {
        let mut first = admin_app().await;
        let m = first.add_mediator("王调解").await;
        first
            .create_case(&case_form(
                m,
                &[
                    ("people_involved", "30"),
                    ("prevented_crime", "3"),
                    ("prevented_petition", "25"),
                ],
            ))
            .await;
        first.create_case(&case_form(m, &[])).await;
        first.create_case(&case_form(m, &[("prevented_petition", "60")])).await;
        let expected = vec![(Some(30), 3, 25), (None, 0, 0), (None, 0, 60)];
        assert_eq!(figures(&first).await, expected);
        for lang in ["zh", "en"] {
            let exported = first.get(&format!("/export/cases.csv?lang={lang}")).await;
            assert_eq!(exported.status, StatusCode::OK);
            let lines = String::from_utf8_lossy(&exported.bytes).into_owned();
            let heading = lines.lines().next().unwrap().to_string();
            let tail = if lang == "zh" {
                ",涉及当事人人数,防止民转刑人数,防止群体性上访人数"
            } else {
                ",people_involved,prevented_crime_people,prevented_petition_people"
            };
            assert!(heading.ends_with(tail), "{heading}");
            // Blank for "the parties" and for none, as the case form shows them.
            let cells: Vec<Vec<String>> = rows(&exported.bytes)[1..]
                .iter()
                .map(|r| r[r.len() - 3..].to_vec())
                .collect();
            assert_eq!(cells, [["30", "3", "25"], ["", "", ""], ["", "", "60"]]);

            let mut second = admin_app().await;
            let page = upload(&mut second, &exported.bytes, false).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert_eq!(figures(&second).await, expected, "the {lang} file round-trips");
            let again = second.get(&format!("/export/cases.csv?lang={lang}")).await;
            assert_eq!(again.bytes, exported.bytes);
            // The import's audit entry holds the values too.
            let after = second
                .sql_text("SELECT after FROM audit_log WHERE entity = 'case' ORDER BY id LIMIT 1")
                .await
                .unwrap();
            let after: serde_json::Value = serde_json::from_str(&after).unwrap();
            assert_eq!(
                (
                    &after["people_involved"],
                    &after["prevented_crime_people"],
                    &after["prevented_petition_people"]
                ),
                (&30.into(), &3.into(), &25.into())
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_bad_count_names_its_row_and_column_and_nothing_is_written() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        app.create_case(&case_form(m, &[])).await;
        app.get("/lang/en").await;
        let before = footprint(&app).await;
        let ok = ",2026-10-01,,party_application,fees,甲小区,chaoyang,欠费,100,registered,,,,,,,,张三,owner,某物业,property_company,王调解";
        let file = format!(
            "{EN_HEADINGS},people_involved,prevented_crime_people,prevented_petition_people\n\
             {ok},12,0,\n{ok},0,,\n{ok},,两人,100000\n{ok}, 7 ,1,5\n"
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        let count = "Not a number of people: write a whole number from 0 to 99,999 (people involved: at least 1).";
        assert_eq!(
            page.texts("ol.import-errors li"),
            [
                format!("row 3, column W (people_involved): {count}"),
                format!("row 4, column X (prevented_crime_people): {count}"),
                format!("row 4, column Y (prevented_petition_people): {count}"),
            ]
        );
        assert_eq!(footprint(&app).await, before, "a bad file changes nothing");

        // Without the bad rows the same columns import, blanks as none.
        let file = format!(
            "{EN_HEADINGS},people_involved,prevented_crime_people,prevented_petition_people\n\
             {ok},12,0,\n{ok}, 7 ,1,5\n"
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            figures(&app).await[1..],
            [(Some(12), 0, 0), (Some(7), 1, 5)]
        );
    })
    .await;
}

#[tokio::test]
async fn a_file_from_before_the_three_columns_still_imports_with_none_of_them() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.add_mediator("王调解").await;
        let file = format!(
            "{EN_HEADINGS}\n,2026-10-01,,party_application,fees,甲,chaoyang,欠费,,,,,,,,,,张三,owner,某物业,property_company,王调解\n"
        );
        let page = upload(&mut app, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(figures(&app).await, [(None, 0, 0)]);
    })
    .await;
}

#[tokio::test]
async fn a_demo_fills_the_fields_for_some_cases_and_its_official_report_shows_them() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        let options = accord::demo::Options {
            cases: Some(2000),
            seed: 7,
            force: false,
            durability: accord::domain::Durability::Full,
        };
        let committee = accord::store::orgs::Committee::first(&app.config.case_prefix);
        accord::demo::load(&app.pool, &committee, &options).await.unwrap();
        let all = figures(&app).await;
        let named = all.iter().filter(|f| f.0.is_some()).count();
        assert!(
            (400..=800).contains(&named),
            "about 30 % name the people involved: {named}"
        );
        assert!(all.iter().all(|f| f.0.is_none_or(|n| (2..=40).contains(&n))));
        let crime = all.iter().filter(|f| f.1 > 0).count();
        let petition = all.iter().filter(|f| f.2 > 0).count();
        assert!((3..=40).contains(&crime), "about 1 % of settled cases: {crime}");
        assert!((1..=20).contains(&petition), "about 0.5 % of settled cases: {petition}");
        let unsettled = app
            .count(
                "SELECT COUNT(*) FROM cases WHERE status <> 'settled'
                 AND (prevented_crime_people > 0 OR prevented_petition_people > 0)",
            )
            .await;
        assert_eq!(unsettled, 0, "only a settled case prevented anything");

        app.add_user("sec", Role::Secretary).await;
        app.login("sec").await;
        let mut crime_cases = 0;
        for year in 2019..=2025 {
            let page = app.get(&format!("/reports/official?period={year}")).await;
            assert_eq!(page.status, StatusCode::OK);
            let shown = page.text("#prevented-crime");
            let n: i64 = shown.split('件').next().unwrap().trim().parse().unwrap();
            crime_cases += n;
        }
        assert!(crime_cases > 0, "the report shows 防止民转刑 figures");

        // The same seed draws the same fields.
        let again = TestApp::new().await;
        accord::demo::load(&again.pool, &committee, &options).await.unwrap();
        assert_eq!(figures(&again).await, all);
    })
    .await;
}
