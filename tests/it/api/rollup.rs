//! Issue 16, statistics packets up the hierarchy: a city installation
//! writes a committee's packet with `accord stats --packet`; a provincial
//! installation takes it through `POST /api/v1/rollup` from a rollup token,
//! and its supervisors' figures add it to their own committees'. A packet
//! holds no personal data; a changed one is refused; a second packet of the
//! same period replaces the first.

use axum::http::StatusCode;
use serde_json::Value;

use accord::config::Config;
use accord::domain::official::OfficialReport;
use accord::domain::org::{NewKind, NewOrg, OrgLevel, RegionCode};
use accord::domain::token::TokenScope;
use accord::domain::workflow::AgreementType;
use accord::domain::workflow::closing::{Agreement, Change};
use accord::domain::{CaseFilter, Deadlines, Money, Period, Role};
use accord::store::cases::Scope;
use accord::store::stats::official;
use accord::store::{orgs, stats};

use super::{Call, json, token};
use crate::common::{TestApp, accord_cmd, case_form, day, today};

const KEY: &str = "the key the city and the province share, 32+ bytes";

/// What the city's cases hold that is personal or identifying: none of it
/// may leave in a packet.
const PERSONAL: &[&str] = &[
    "王建国",
    "13900003333",
    "某丙物业公司",
    "010-62345678",
    "丙小区漏水纠纷概要",
    "阳光花园小区",
    "丙调解员",
    "按月分期支付",
    "物调",
];

fn keyed() -> Config {
    let mut config = Config::defaults();
    config.rollup_key = Some(KEY.into());
    config
}

/// The city: three cases received in the first quarter of 2026 (10,000,
/// 20,000 and 30,000 claimed), two accepted, one settled for 8,000; and one
/// in May, outside the quarter.
async fn city() -> TestApp {
    let mut app = TestApp::with_config(keyed(), today()).await;
    app.add_user("cityadmin", Role::Admin).await;
    let m = app.add_mediator("丙调解员").await;
    app.login("cityadmin").await;
    let personal = [
        ("respondent_name", "王建国"),
        ("respondent_phone", "13900003333"),
        ("applicant_name", "某丙物业公司"),
        ("summary", "丙小区漏水纠纷概要"),
    ];
    let mut ids = Vec::new();
    for (received, amount) in [
        ("2026-01-05", "10,000"),
        ("2026-02-05", "20,000"),
        ("2026-03-05", "30,000"),
        ("2026-05-05", "40,000"),
    ] {
        let mut extra = vec![("received_on", received), ("amount_claimed", amount)];
        extra.extend_from_slice(&personal);
        ids.push(app.create_case(&case_form(m, &extra)).await);
    }
    app.apply(ids[0], Change::Accept { on: day("2026-01-06") }).await;
    let agreement = Agreement {
        kind: AgreementType::Written,
        amount: Money::from_fen(800_000),
        on: day("2026-01-20"),
        due: day("2026-06-30"),
        terms: "按月分期支付".into(),
    };
    app.apply(
        ids[0],
        Change::Settle {
            on: day("2026-01-20"),
            agreement,
        },
    )
    .await;
    app.apply(ids[1], Change::Accept { on: day("2026-02-06") }).await;
    app
}

/// `accord stats --packet` on the city's database: the packet's text.
fn packet_of(app: &TestApp, period: &str, key: Option<&str>) -> Result<String, String> {
    let out = app
        .dir
        .path()
        .join(format!("packet-{period}-{}.json", rand::random::<u32>()));
    let mut cmd = accord_cmd(app.dir.path());
    cmd.arg("--db")
        .arg(&app.config.database)
        .args(["stats", "--packet", "--period", period, "--out"])
        .arg(&out);
    match key {
        Some(k) => cmd.env("ACCORD_ROLLUP_KEY", k),
        None => cmd.env_remove("ACCORD_ROLLUP_KEY"),
    };
    let done = cmd.output().unwrap();
    if !done.status.success() {
        return Err(String::from_utf8_lossy(&done.stderr).into_owned());
    }
    Ok(std::fs::read_to_string(out).unwrap())
}

/// The province: its own committee 2 with one case in March 2026 (5,000
/// claimed); the city's association 3 under the root, with the account
/// `beijing` the city sends with; the supervisor `national` at the root.
async fn province(config: Config) -> TestApp {
    let mut app = TestApp::with_config(config, today()).await;
    let city = NewOrg {
        parent_id: 1,
        name: "北京市协会".into(),
        region: RegionCode::parse("110000").unwrap(),
        kind: NewKind::Association(OrgLevel::City),
    };
    assert_eq!(orgs::add(&app.pool, None, None, &city).await.unwrap(), 3);
    app.sql_exec("UPDATE organisations SET name = '省调委会' WHERE id = 2")
        .await;
    app.add_user("provadmin", Role::Admin).await;
    app.add_user_in(3, "beijing", Role::Supervisor).await;
    app.add_user_in(1, "national", Role::Supervisor).await;
    let m = app.add_mediator("省调解员").await;
    app.login("provadmin").await;
    app.create_case(&case_form(
        m,
        &[("received_on", "2026-03-10"), ("amount_claimed", "5,000")],
    ))
    .await;
    app
}

/// The figures of the first quarter of 2026 under organisation `org`.
async fn q1(app: &TestApp, scope: Scope) -> (i64, i64, i64, Money) {
    let period = Period::Range {
        from: day("2026-01-01"),
        to: day("2026-03-31"),
    };
    let deadlines = Deadlines::new(today(), 30);
    let s = stats::stats(&app.pool, &period, &CaseFilter::default(), scope, deadlines)
        .await
        .unwrap();
    let t = s.totals;
    (t.cases_total, t.accepted, t.settled, t.amount_claimed)
}

async fn post(app: &mut TestApp, token: &str, body: Value) -> crate::common::Page {
    Call::send("POST", "/api/v1/rollup", token, body).on(app).await
}

#[tokio::test]
async fn a_city_packet_is_taken_by_the_province_and_adds_to_its_figures() {
    crate::common::both(async || {
        let city = city().await;
        let text = packet_of(&city, "2026-Q1", Some(KEY)).unwrap();
        for word in PERSONAL {
            assert!(!text.contains(word), "the packet holds {word:?}");
        }
        let packet: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(packet["period"], "2026-Q1");
        assert!(
            packet["months"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["at"].as_str().unwrap() < "2026-04")
        );

        let mut prov = province(keyed()).await;
        let own = q1(&prov, Scope::Subtree(1)).await;
        assert_eq!(own, (1, 0, 0, Money::from_fen(500_000)));
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let page = post(&mut prov, &rollup, packet.clone()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let done = json(&page);
        assert_eq!(done["created"], true);
        assert_eq!(done["replaced"], false);
        let remote = done["committee_id"].as_i64().unwrap();

        // The province's figures: its own case and the city's three.
        let expected = (4, 2, 1, Money::from_fen(6_500_000));
        assert_eq!(q1(&prov, Scope::Subtree(1)).await, expected);
        assert_eq!(
            q1(&prov, Scope::Subtree(3)).await,
            (3, 2, 1, Money::from_fen(6_000_000))
        );
        assert_eq!(
            q1(
                &prov,
                Scope::Committee {
                    id: remote,
                    narrow: true
                }
            )
            .await,
            q1(&city, Scope::All).await
        );
        // The official report adds the city's lines: two accepted, one settled for 8,000.
        let (from, to) = (day("2026-01-01"), day("2026-03-31"));
        let cells = official::cells(&prov.pool, from, to, Scope::Subtree(1)).await.unwrap();
        let report = OfficialReport::from_cells(&cells);
        assert_eq!((report.totals.accepted, report.totals.settled), (2, 1));
        assert_eq!(report.totals.amount_agreed, Money::from_fen(800_000));
        assert_eq!(report.committee(remote).people, 4, "two parties on each of two cases");
        let out = accord_cmd(prov.dir.path())
            .arg("--db")
            .arg(&prov.config.database)
            .args(["stats", "--official", "--period", "2026-Q1", "--json"])
            .output()
            .unwrap();
        let filed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(filed["accepted"], 2, "{filed}");
        prov.login("national").await;
        let page = prov.get("/oversight?from=2026-01-01&to=2026-03-31").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.text("#card-cases .value"), "4");
        let names = page.texts("#by-committee tbody td:first-child");
        assert!(
            names.iter().any(|n| n.contains("北京物业管理行业协会调解委员会")),
            "{names:?}"
        );
        // A range inside the quarter reads the packet's days.
        let page = prov.get("/oversight?from=2026-02-01&to=2026-02-28").await;
        assert_eq!(page.text("#card-cases .value"), "1");

        // The admin sees it marked as reported, and cannot place a user in it.
        prov.login("provadmin").await;
        let orgs_page = prov.get("/orgs").await;
        assert!(
            orgs_page.has(&format!("#org-{remote} .badge.remote")),
            "{}",
            orgs_page.body
        );
        let users_page = prov.get("/users").await;
        let places = users_page.attrs("select#org option", "value");
        assert!(
            places.contains(&"2".to_string()) && !places.contains(&remote.to_string()),
            "{places:?}"
        );
        let remote_id = remote.to_string();
        let pairs = [
            ("username", "x1"),
            ("role", "secretary"),
            ("org", remote_id.as_str()),
            ("password", "a-long-password"),
        ];
        let page = prov.post("/users", &pairs).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#org-error"));
        prov.login("national").await;

        // The same packet again replaces it: nothing counts twice.
        let page = post(&mut prov, &rollup, packet.clone()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["replaced"], true);
        assert_eq!(json(&page)["committee_id"].as_i64(), Some(remote));
        assert_eq!(q1(&prov, Scope::Subtree(1)).await, expected);
        // The committees reported are no drift of the province's own summary.
        assert_eq!(stats::summary_drift(&prov.pool).await.unwrap(), 0);
        assert_eq!(
            prov.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'statistics_packet'")
                .await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn a_changed_packet_or_another_key_is_refused_and_nothing_is_kept() {
    crate::common::both(async || {
        let city = city().await;
        let packet: Value = serde_json::from_str(&packet_of(&city, "2026-Q1", Some(KEY)).unwrap()).unwrap();
        let mut prov = province(keyed()).await;
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let before = q1(&prov, Scope::Subtree(1)).await;

        let mut tampered = packet.clone();
        let row = tampered["months"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r["received"].as_i64() > Some(0))
            .unwrap();
        row["received"] = Value::from(row["received"].as_i64().unwrap() + 100);
        let page = post(&mut prov, &rollup, tampered).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(page.content_type.as_deref(), Some("application/problem+json"));
        assert_eq!(json(&page)["type"], "/api/docs#problem-packet-refused");
        assert!(json(&page)["detail"].as_str().unwrap().contains("签名不符"));

        let other_key = "another key of thirty-two bytes or more!!";
        let foreign: Value = serde_json::from_str(&packet_of(&city, "2026-Q1", Some(other_key)).unwrap()).unwrap();
        assert_eq!(
            post(&mut prov, &rollup, foreign).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let mut unknown = packet.clone();
        unknown["extra"] = Value::from("x");
        assert_eq!(post(&mut prov, &rollup, unknown).await.status, StatusCode::BAD_REQUEST);

        assert_eq!(q1(&prov, Scope::Subtree(1)).await, before);
        assert_eq!(
            prov.count("SELECT COUNT(*) FROM organisations WHERE remote_key IS NOT NULL")
                .await,
            0
        );

        // Without the key the city writes no packet.
        let err = packet_of(&city, "2026-Q1", None).unwrap_err();
        assert!(err.contains("rollup_key"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn only_a_rollup_token_sends_packets_and_it_does_nothing_else() {
    crate::common::both(async || {
        let city = city().await;
        let packet: Value = serde_json::from_str(&packet_of(&city, "2026-Q1", Some(KEY)).unwrap()).unwrap();
        let mut prov = province(keyed()).await;
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let write = token(&prov, "provadmin", TokenScope::Write).await;
        let page = post(&mut prov, &write, packet.clone()).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
        assert_eq!(json(&page)["type"], "/api/docs#problem-rollup-only");
        let cases = Call::get("/api/v1/cases", &rollup).on(&mut prov).await;
        assert_eq!(cases.status, StatusCode::FORBIDDEN);
        assert_eq!(
            Call::get("/api/v1/stats", &rollup).on(&mut prov).await.status,
            StatusCode::FORBIDDEN
        );

        // An installation without the shared key takes no packet.
        let mut keyless = province(Config::defaults()).await;
        let rollup = token(&keyless, "beijing", TokenScope::Rollup).await;
        let page = post(&mut keyless, &rollup, packet).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
        assert_eq!(json(&page)["type"], "/api/docs#problem-no-rollup-key");
    })
    .await;
}

#[tokio::test]
async fn a_packet_larger_than_other_bodies_is_taken() {
    crate::common::both(async || {
        use accord::domain::official::OfficialPeriod;
        use accord::domain::packet::{self, Contents, Sender, SummaryRow};
        // 90 days of 150 districts: a busy committee's quarter, about 3 MB.
        let (from, _) = OfficialPeriod::Quarter(2026, 1).bounds();
        let days: Vec<SummaryRow> = (0..90)
            .flat_map(|d| {
                let at = (from + chrono::Days::new(d)).to_string();
                (0..150).map(move |n| SummaryRow {
                    dim: "district".into(),
                    code: format!("district-{n:03}"),
                    at: at.clone(),
                    status: "registered".into(),
                    received: 1,
                    claimed: 100,
                    accepted: 0,
                    agreed: 0,
                    closed: 0,
                    close_days: 0,
                    fulfilled: 0,
                })
            })
            .collect();
        let contents = Contents {
            period: OfficialPeriod::Quarter(2026, 1),
            committee: Sender {
                id: 2,
                name: "大调委会".into(),
                region_code: None,
            },
            created_at: "2026-04-01T00:00:00Z".into(),
            months: Vec::new(),
            days,
            official: Vec::new(),
        };
        let body = serde_json::to_value(packet::seal(KEY, &contents).unwrap()).unwrap();
        assert!(body.to_string().len() > 2 * 1024 * 1024);
        let mut prov = province(keyed()).await;
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let page = post(&mut prov, &rollup, body).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{}",
            &page.body[..page.body.len().min(300)]
        );
        assert_eq!(
            prov.count("SELECT COUNT(*) FROM stats_daily WHERE dim = 'district' AND committee_id > 2")
                .await,
            90 * 150
        );
    })
    .await;
}

#[tokio::test]
async fn an_older_packet_never_replaces_a_newer_one_whatever_order_they_come_in() {
    crate::common::both(async || {
        use accord::domain::official::OfficialPeriod;
        use accord::domain::packet::{self, Contents, Packet};
        let city = city().await;
        let sent: Packet = serde_json::from_str(&packet_of(&city, "2026-Q1", Some(KEY)).unwrap()).unwrap();
        let made = |at: &str, contents: &Contents| {
            let c = Contents {
                created_at: at.into(),
                ..contents.clone()
            };
            serde_json::to_value(packet::seal(KEY, &c).unwrap()).unwrap()
        };
        let quarter = packet::open(KEY, &sent).unwrap();
        let newer = made("2026-04-02T10:00:00+08:00", &quarter);
        let mut changed = quarter.clone();
        let row = changed.months.iter_mut().find(|r| r.received > 0).unwrap();
        row.received += 100;
        let older = made("2026-04-01T00:00:00Z", &changed);
        // February alone, made before the quarter's newer packet.
        let february = Contents {
            period: OfficialPeriod::Month(2026, 2),
            months: (quarter.months.iter().filter(|r| r.at == "2026-02").cloned()).collect(),
            days: (quarter.days.iter().filter(|r| r.at.starts_with("2026-02")))
                .cloned()
                .collect(),
            official: (quarter.official.iter().filter(|l| l.month == "2026-02"))
                .cloned()
                .collect(),
            ..changed.clone()
        };
        let february = made("2026-04-02T01:59:59Z", &february);

        let mut prov = province(keyed()).await;
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let page = post(&mut prov, &rollup, newer.clone()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let figures = q1(&prov, Scope::Subtree(1)).await;

        for late in [older, february] {
            let page = post(&mut prov, &rollup, late).await;
            assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
            assert_eq!(json(&page)["type"], "/api/docs#problem-packet-older");
            assert!(
                json(&page)["detail"].as_str().unwrap().contains("较早的包"),
                "{}",
                page.body
            );
            assert_eq!(q1(&prov, Scope::Subtree(1)).await, figures);
        }
        // The same packet again is taken, and changes nothing.
        let page = post(&mut prov, &rollup, newer).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["replaced"], true);
        assert_eq!(q1(&prov, Scope::Subtree(1)).await, figures);
        assert_eq!(
            prov.count("SELECT COUNT(*) FROM packet_months WHERE created_at = '2026-04-02T02:00:00.000000Z'")
                .await,
            3
        );

        // A packet that does not say when it was made is refused, naming the field.
        let page = post(&mut prov, &rollup, made("yesterday", &changed)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert_eq!(json(&page)["errors"][0]["field"], "created_at");
        assert_eq!(q1(&prov, Scope::Subtree(1)).await, figures);
    })
    .await;
}

#[tokio::test]
async fn a_packet_replacing_a_reported_committees_months_keeps_its_yearly_rows() {
    crate::common::both(async || {
        use accord::domain::packet::{self, Contents, Packet};
        let city = city().await;
        let sent: Packet = serde_json::from_str(&packet_of(&city, "2026-Q1", Some(KEY)).unwrap()).unwrap();
        let quarter = packet::open(KEY, &sent).unwrap();
        let made = |at: &str, contents: &Contents| {
            let c = Contents {
                created_at: at.into(),
                ..contents.clone()
            };
            serde_json::to_value(packet::seal(KEY, &c).unwrap()).unwrap()
        };
        let mut changed = quarter.clone();
        let row = changed
            .months
            .iter_mut()
            .find(|r| r.dim == "all" && r.received > 0)
            .unwrap();
        row.received += 100;

        let mut prov = province(keyed()).await;
        let rollup = token(&prov, "beijing", TokenScope::Rollup).await;
        let page = post(&mut prov, &rollup, made("2026-04-01T00:00:00Z", &quarter)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let remote = json(&page)["committee_id"].as_i64().unwrap();
        let page = post(&mut prov, &rollup, made("2026-04-02T00:00:00Z", &changed)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(json(&page)["replaced"], true);

        // The year reads the yearly rows, the quarter the monthly ones: the
        // reported committee has only the quarter, so both are the new packet's.
        let scope = Scope::Committee {
            id: remote,
            narrow: true,
        };
        let deadlines = Deadlines::new(today(), 30);
        let year = stats::stats(
            &prov.pool,
            &Period::Year(2026),
            &CaseFilter::default(),
            scope,
            deadlines,
        )
        .await
        .unwrap();
        assert_eq!(year.totals.cases_total, 103);
        assert_eq!(
            q1(&prov, scope).await,
            (
                year.totals.cases_total,
                year.totals.accepted,
                year.totals.settled,
                year.totals.amount_claimed
            )
        );
        let all = stats::stats(
            &prov.pool,
            &Period::All,
            &CaseFilter::default(),
            Scope::Subtree(3),
            deadlines,
        )
        .await
        .unwrap();
        assert_eq!(all.totals, year.totals);
        assert_eq!(stats::summary_drift(&prov.pool).await.unwrap(), 0);
    })
    .await;
}
