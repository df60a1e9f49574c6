//! Issue 16, the official statistics report: a small hand-made dataset
//! whose figures are known, read on the A4 page, as CSV and as JSON from
//! the command line; the admin's mapping onto the national lists; the
//! case fields the report needs.

use axum::http::StatusCode;

use crate::common::{TestApp, accord_cmd, case_form, day};
use accord::domain::Money;
use accord::domain::Role;
use accord::domain::workflow::Fulfilment;
use accord::domain::workflow::closing::{Agreement, Change};

/// Settles for `fen` on `on` with a written agreement.
pub(crate) fn settle(on: &str, fen: i64) -> Change {
    Change::Settle {
        on: day(on),
        agreement: Agreement {
            kind: accord::domain::workflow::AgreementType::Written,
            amount: Money::from_fen(fen),
            on: day(on),
            due: day("2026-10-31"),
            terms: "按约定履行".into(),
        },
    }
}

/// Today is 2026-11-28. In the third quarter of 2026 (July to September):
/// A fees / party_application, 2 parties, accepted 07-02, settled for
///   8,000.00 and fulfilled, 3 people kept from 民转刑;
/// B neighbour / committee_initiative, 5 people, accepted 07-06, settled
///   for 1,234.50 (not yet performed), 12 people kept from a mass petition;
/// C safety_loss / court_referral, 2 parties, accepted 08-11, failed;
/// D parking / hotline_12345, 4 people, accepted 09-21, still in mediation,
///   2 people kept from 民转刑.
/// Not in it: E accepted in June; F accepted 09-26 and voided; G only registered.
async fn data() -> TestApp {
    let mut app = TestApp::new().await;
    app.add_user("boss", Role::Admin).await;
    app.add_user("sec", Role::Secretary).await;
    let m = app.add_mediator("甲调解员").await;
    app.login("boss").await;
    let mut case = async |received: &str, category: &str, source: &str, extra: &[(&str, &str)]| {
        let mut fields = vec![("received_on", received), ("category", category), ("source", source)];
        fields.extend_from_slice(extra);
        app.create_case(&case_form(m, &fields)).await
    };
    let a = case("2026-07-01", "fees", "party_application", &[("prevented_crime", "3")]).await;
    let b = case(
        "2026-07-05",
        "neighbour",
        "committee_initiative",
        &[("people_involved", "5"), ("prevented_petition", "12")],
    )
    .await;
    let c = case("2026-08-10", "safety_loss", "court_referral", &[]).await;
    let d = case(
        "2026-09-20",
        "parking",
        "hotline_12345",
        &[("people_involved", "4"), ("prevented_crime", "2")],
    )
    .await;
    let e = case("2026-06-20", "fees", "party_application", &[]).await;
    let f = case("2026-09-25", "fees", "party_application", &[("prevented_crime", "9")]).await;
    case("2026-08-01", "fees", "party_application", &[]).await;
    let accept = |on: &str| Change::Accept { on: day(on) };
    app.apply(a, accept("2026-07-02")).await;
    app.apply(a, settle("2026-07-20", 800_000)).await;
    app.apply(a, Change::Fulfilment(Fulfilment::Fulfilled)).await;
    app.apply(b, accept("2026-07-06")).await;
    app.apply(b, settle("2026-08-01", 123_450)).await;
    app.apply(c, accept("2026-08-11")).await;
    let fail = Change::Fail {
        on: day("2026-09-01"),
        routes: vec![accord::domain::workflow::Route::Court],
        reason: String::new(),
    };
    app.apply(c, fail).await;
    app.apply(d, accept("2026-09-21")).await;
    app.apply(e, accept("2026-06-25")).await;
    app.apply(e, settle("2026-06-30", 50_000)).await;
    app.apply(f, accept("2026-09-26")).await;
    let void = Change::Void {
        on: day("2026-09-27"),
        reason: "重复登记".into(),
    };
    app.apply(f, void).await;
    app
}

/// The figures of one group's line: accepted, settled, amount, people.
fn line(page: &crate::common::Page, table: &str, code: &str) -> Vec<String> {
    [".accepted", ".settled", ".amount", ".people"]
        .iter()
        .map(|c| page.text(&format!("#{table} tr[data-code='{code}'] td{c}")))
        .collect()
}

#[tokio::test]
async fn the_quarterly_report_prints_the_known_figures_of_a_hand_made_dataset() {
    crate::common::both(async || {
        let app = data().await;
        let mut sec = app.client();
        sec.login("sec").await;
        let page = sec.get("/reports/official?period=2026-Q3").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.text("#period").contains("2026年第3季度"),
            "{}",
            page.text("#period")
        );
        assert!(page.text("#period").contains("2026-07-01 – 2026-09-30"));
        assert_eq!(page.text("#accepted"), "4");
        assert_eq!(page.text("#settled"), "2");
        // D is still in mediation: the rate is provisional, as on the dashboard.
        assert_eq!(page.text("#success-rate"), "50.0%(暂,1件调解中)");
        assert_eq!(page.text("#amount-agreed"), "¥9,234.50");
        assert_eq!(page.text("#people"), "13");
        assert_eq!(page.text("#fulfilment-rate"), "50.0%");
        assert_eq!(page.text("#prevented-crime"), "2件 5人");
        assert_eq!(page.text("#prevented-petition"), "1件 12人");
        assert_eq!(line(&page, "by-source", "initiative"), ["1", "1", "¥1,234.50", "5"]);
        assert_eq!(line(&page, "by-source", "application"), ["2", "1", "¥8,000.00", "6"]);
        assert_eq!(line(&page, "by-source", "referral"), ["1", "0", "¥0.00", "2"]);
        // Every line of the national list, zeros included, in its order.
        let types = page.attrs("#by-type tbody tr", "data-code");
        assert_eq!(types.len(), 15);
        assert_eq!((types[0].as_str(), types[14].as_str()), ("marriage_family", "other"));
        assert_eq!(line(&page, "by-type", "property"), ["2", "1", "¥8,000.00", "6"]);
        assert_eq!(line(&page, "by-type", "neighbourhood"), ["1", "1", "¥1,234.50", "5"]);
        assert_eq!(line(&page, "by-type", "damages"), ["1", "0", "¥0.00", "2"]);
        assert_eq!(line(&page, "by-type", "medical"), ["0", "0", "¥0.00", "0"]);
        assert_eq!(page.text("#by-type tbody tr[data-code=medical] td.rate"), "—");
        assert_eq!(page.text("#by-type tfoot td.accepted"), "4");
        // A month and a year: June holds E alone; the year adds it to the quarter.
        let june = sec.get("/reports/official?period=2026-06").await;
        assert_eq!(
            (june.text("#accepted"), june.text("#success-rate")),
            ("1".into(), "100.0%".into())
        );
        let year = sec.get("/reports/official?period=2026").await;
        assert_eq!(year.text("#accepted"), "5");
        assert_eq!(year.text("#amount-agreed"), "¥9,734.50");
        // The annual report links the same year's official statistics.
        let annual = sec.get("/reports/2026").await;
        assert_eq!(
            annual.attrs("#official-link", "href"),
            ["/reports/official?period=2026"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_command_line_writes_the_same_figures_as_csv_and_json() {
    crate::common::both(async || {
        let app = data().await;
        let run = |format: &str| {
            let out = accord_cmd(app.dir.path())
                .arg("--db")
                .arg(&app.config.database)
                .args(["stats", "--official", "--period", "2026-Q3", format, "--committee", "2"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        let json: serde_json::Value = serde_json::from_slice(&run("--json")).unwrap();
        assert_eq!(json["period"]["code"], "2026-Q3");
        assert_eq!(json["accepted"], 4);
        assert_eq!(json["settled"], 2);
        assert_eq!(json["success_rate"], "50.0");
        assert_eq!(
            (json["provisional"].as_bool(), json["in_mediation"].as_i64()),
            (Some(true), Some(1))
        );
        assert_eq!(json["amount_agreed"], "9234.50");
        assert_eq!(json["people_involved"], 13);
        assert_eq!(json["fulfilment_rate"], "50.0");
        assert_eq!(json["prevented_crime"], serde_json::json!({"cases": 2, "people": 5}));
        assert_eq!(
            json["prevented_petition"],
            serde_json::json!({"cases": 1, "people": 12})
        );
        let types = json["by_national_type"].as_array().unwrap();
        assert_eq!(types.len(), 15);
        assert_eq!(types[13]["national_type"], "property");
        assert_eq!(types[13]["amount_agreed"], "8000.00");
        assert_eq!(types[0]["success_rate"], serde_json::Value::Null);
        let groups = json["by_source_group"].as_array().unwrap();
        assert_eq!(groups[2]["source_group"], "referral");
        assert_eq!(groups[2]["accepted"], 1);

        let csv = run("--csv");
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("分类,项目,受理纠纷数,调解成功数"), "{}", lines[0]);
        assert_eq!(lines[1], "合计,合计,4,2,50.0,1,9234.50,13,50.0,2,5,1,12");
        assert!(
            lines.contains(&"案件来源,主动调解,1,1,100.0,0,1234.50,5,0.0,0,0,1,12"),
            "{text}"
        );
        assert!(lines.contains(&"纠纷类型,医疗,0,0,,0,0.00,0,,0,0,0,0"), "{text}");
        assert_eq!(lines.iter().filter(|l| l.starts_with("纠纷类型,")).count(), 15);

        let bad = accord_cmd(app.dir.path())
            .arg("--db")
            .arg(&app.config.database)
            .args(["stats", "--official", "--period", "2026-Q5", "--json"])
            .output()
            .unwrap();
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("quarter must be Q1 to Q4"));
    })
    .await;
}

#[tokio::test]
async fn an_admins_change_to_the_mapping_changes_the_report_and_is_audited() {
    crate::common::both(async || {
        let mut app = data().await;
        let page = app.get("/reference/official").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.attrs("select[name='category.neighbour'] option[selected]", "value"),
            ["neighbourhood"]
        );
        assert_eq!(
            page.attrs("select[name='category.parking'] option[selected]", "value"),
            ["property"]
        );
        assert_eq!(
            page.attrs("select[name='source.street_referral'] option[selected]", "value"),
            ["referral"]
        );
        let saved = app
            .post(
                "/reference/official",
                &[("category.parking", "contract"), ("source.hotline_12345", "referral")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let report = app.get("/reports/official?period=2026-Q3").await;
        assert_eq!(line(&report, "by-type", "property"), ["1", "1", "¥8,000.00", "2"]);
        assert_eq!(line(&report, "by-type", "contract"), ["1", "0", "¥0.00", "4"]);
        assert_eq!(line(&report, "by-source", "application"), ["1", "1", "¥8,000.00", "2"]);
        assert_eq!(line(&report, "by-source", "referral"), ["2", "0", "¥0.00", "6"]);
        assert_eq!(report.text("#accepted"), "4", "the totals stay");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'official_mapping'")
                .await,
            1
        );
        // A national code that is not on the list is refused, nothing saved.
        let forged = app.post("/reference/official", &[("category.fees", "fees")]).await;
        assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(forged.has("#category-fees-error") || forged.body.contains("不是可选的值"));
        // A category added later counts as 物业 until an admin maps it.
        let added = app
            .post(
                "/reference/categories",
                &[("code", "lift"), ("label_zh", "电梯"), ("label_en", "Lifts")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let page = app.get("/reference/official").await;
        assert_eq!(
            page.attrs("select[name='category.lift'] option[selected]", "value"),
            ["property"]
        );
        assert!(page.text("#mapping-hint").contains("新增的纠纷类型计入“物业”"));
    })
    .await;
}

#[tokio::test]
async fn a_period_that_cannot_be_read_shows_the_page_with_a_clear_message() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("sec", Role::Secretary).await;
        app.login("sec").await;
        for bad in ["2026-Q5", "2026-13", "%3Cscript%3E", "1989"] {
            let page = app.get(&format!("/reports/official?period={bad}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(page.text("#period-error").contains("2026-Q3"), "{bad}");
            assert!(!page.has("#accepted"));
        }
        // Without a period: the quarter of today (2026-11-28), with nothing in it.
        let page = app.get("/reports/official").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.attrs("#period-input", "value"), ["2026-Q4"]);
        assert_eq!(
            (page.text("#accepted"), page.text("#success-rate")),
            ("0".into(), "—".into())
        );
    })
    .await;
}

#[tokio::test]
async fn the_case_form_checks_and_keeps_the_reports_fields_and_the_case_page_shows_them() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        let m = app.add_mediator("甲调解员").await;
        app.login("boss").await;
        let refused = app
            .post_case(&case_form(m, &[("people_involved", "0"), ("prevented_crime", "两人")]))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.has("#people_involved-error"));
        assert!(refused.has("#prevented_crime-error"));
        assert_eq!(
            refused.attrs("#prevented_crime", "value"),
            ["两人"],
            "the input is kept"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 0, "nothing saved");
        let plain = app.create_case(&case_form(m, &[])).await;
        let page = app.get(&format!("/cases/{plain}")).await;
        assert_eq!(page.text("#people-involved"), "2(按当事人数)");
        assert_eq!(page.text("#prevented-crime"), "否");
        let id = app
            .create_case(&case_form(
                m,
                &[("people_involved", "30"), ("prevented_petition", "25")],
            ))
            .await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#people-involved"), "30");
        assert_eq!(page.text("#prevented-petition"), "25");
        let form = app.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(form.attrs("#people_involved", "value"), ["30"]);
        assert_eq!(form.attrs("#prevented_crime", "value"), [""]);
        // Edited back to blank: the parties count again.
        let edit = case_form(m, &[("people_involved", ""), ("prevented_petition", "")]);
        let pairs: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.text("#people-involved"), "2(按当事人数)");
        assert_eq!(page.text("#prevented-petition"), "否");
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_sees_each_committee_added_up_and_no_mediator_sees_it_at_all() {
    crate::common::both(async || {
        let mut app = data().await;
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user_in(3, "boss3", Role::Admin).await;
        app.add_user_in(3, "med3", Role::Mediator).await;
        let m3 = app.mediator_of("med3").await;
        let mut boss3 = app.client();
        boss3.login("boss3").await;
        let other = boss3
            .create_case(&case_form(
                m3,
                &[("received_on", "2026-08-01"), ("category", "neighbour")],
            ))
            .await;
        app.apply(other, Change::Accept { on: day("2026-08-02") }).await;
        // Committee 2's own report does not count committee 3's case.
        assert_eq!(app.get("/reports/official?period=2026-Q3").await.text("#accepted"), "4");
        accord::store::users::insert(
            &app.pool,
            "national",
            &accord::password::hash(crate::common::PASSWORD),
            Role::Supervisor,
            None,
            1,
        )
        .await
        .unwrap();
        let mut sup = app.client();
        sup.login("national").await;
        let page = sup.get("/reports/official?period=2026-Q3").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.text("#accepted"), "5");
        assert_eq!(line(&page, "by-committee", "2"), ["4", "2", "¥9,234.50", "13"]);
        assert_eq!(line(&page, "by-committee", "3"), ["1", "0", "¥0.00", "2"]);
        assert_eq!(line(&page, "by-type", "neighbourhood"), ["2", "1", "¥1,234.50", "7"]);
        assert!(!page.body.contains("张三"), "no party's name");
        let one = sup.get("/reports/official?period=2026-Q3&committee=3").await;
        assert_eq!(one.text("#accepted"), "1");
        assert_eq!(one.attrs("#by-committee tbody tr", "data-code"), ["3"]);
        // The CSV of the same choice: the added-up figures, a line per committee.
        assert_eq!(
            one.attrs("#official-csv", "href"),
            ["/reports/official.csv?period=2026-Q3&committee=3"]
        );
        let csv = sup.get("/reports/official.csv?period=2026-Q3").await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        assert!(csv.body.contains("\r\n合计,合计,5,"), "{}", csv.body);
        assert_eq!(csv.body.matches("\r\n调委会,").count(), 2, "{}", csv.body);
        assert!(!csv.body.contains("张三"), "no party's name");
        let csv = sup.get("/reports/official.csv?period=2026-Q3&committee=3").await;
        assert!(csv.body.contains("\r\n合计,合计,1,"), "{}", csv.body);
        let mut med = app.client();
        med.login("med3").await;
        assert_eq!(med.get("/reports/official").await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_reports_csv_on_the_web_is_the_commands_csv_and_is_audited() {
    crate::common::both(async || {
        let app = data().await;
        let mut sec = app.client();
        sec.login("sec").await;
        let page = sec.get("/reports/official?period=2026-Q3").await;
        assert_eq!(
            page.attrs("#official-csv", "href"),
            ["/reports/official.csv?period=2026-Q3"]
        );
        let web = sec.get("/reports/official.csv?period=2026-Q3").await;
        assert_eq!(web.status, StatusCode::OK, "{}", web.body);
        assert_eq!(
            web.headers["content-disposition"],
            "attachment; filename=\"accord-official-2026-Q3.csv\""
        );
        assert_eq!(web.headers["cache-control"], "no-store");
        assert!(web.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let out = accord_cmd(app.dir.path())
            .arg("--db")
            .arg(&app.config.database)
            .args([
                "stats",
                "--official",
                "--period",
                "2026-Q3",
                "--csv",
                "--committee",
                "2",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            String::from_utf8_lossy(&web.bytes),
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(web.bytes, out.stdout, "one writer, byte for byte");
        assert!(web.body.contains("合计,合计,4,2,50.0,1,9234.50,13,50.0,2,5,1,12"));
        // English keys and codes on request, as the other CSV downloads.
        let en = sec.get("/reports/official.csv?period=2026-Q3&lang=en").await;
        assert!(
            en.body.contains("total,Total,4,2,50.0,1,9234.50,13,50.0,2,5,1,12"),
            "{}",
            en.body
        );
        // Recorded like the other exports (in the background: wait for it).
        let mut audited = 0;
        for _ in 0..50 {
            audited = app
                .count("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND after LIKE '%official.csv%'")
                .await;
            if audited == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(audited, 2);
        // A period that cannot be read: the page and its message, no file.
        for bad in ["2026-Q5", "soon"] {
            let page = sec.get(&format!("/reports/official.csv?period={bad}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(page.text("#period-error").contains("2026-Q3"), "{bad}");
            assert!(page.headers.get("content-disposition").is_none());
        }
        // A mediator may not download it, as they may not see the page.
        app.add_user("med", Role::Mediator).await;
        let mut med = app.client();
        med.login("med").await;
        let refused = med.get("/reports/official.csv?period=2026-Q3").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}
