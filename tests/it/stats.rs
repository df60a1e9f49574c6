//! Statistics on a small hand-made dataset whose answers are known, read
//! both from the monthly summary and from the cases themselves.

use crate::common::{TestApp, case_form, day, today};
use accord::domain::stats::Stats;
use accord::domain::workflow::closing::{Agreement, Change};
use accord::domain::workflow::{AgreementType, Fulfilment, Route};
use accord::domain::{CaseFilter, Deadlines, Flag, Money, Period, RefList, Role, Status};
use accord::store::cases::Scope;
use accord::store::reference;
use accord::store::stats::{self, Via};
use std::collections::HashMap;

fn deadlines() -> Deadlines {
    Deadlines::new(today(), 30)
}

struct Data {
    app: TestApp,
    mediator: i64,
    other: i64,
    ids: Vec<i64>,
}

async fn case(app: &mut TestApp, mediator: i64, received: &str, category: &str, district: &str, amount: &str) -> i64 {
    let form = case_form(
        mediator,
        &[
            ("received_on", received),
            ("category", category),
            ("district", district),
            ("amount_claimed", amount),
        ],
    );
    app.create_case(&form).await
}

fn settle(on: &str, amount: i64, due: &str) -> Change {
    Change::Settle {
        on: day(on),
        agreement: Agreement {
            kind: AgreementType::Written,
            amount: Money::from_fen(amount),
            on: day(on),
            due: day(due),
            terms: "按约定履行".into(),
        },
    }
}

/// Seven cases across 2025 and 2026 (today is 2026-11-28, limit 30 days):
/// A received 2025-12-30, accepted 2026-01-02, settled 2026-01-12 for 8,000, fulfilled;
/// B received 2025-03-01, accepted 2025-03-02, failed 2025-03-20;
/// C received 2025-12-31, declined 2026-01-03;
/// D received and accepted 2026-01-01, settled 2026-01-31 for 5,000;
/// E received 2026-10-01, accepted 2026-10-02, still in mediation: overdue;
/// F received 2026-11-20, only registered;
/// G received 2026-06-01 (other mediator), accepted 2026-06-02, withdrawn 2026-06-10.
async fn data() -> Data {
    let mut app = TestApp::new().await;
    app.add_user("admin", Role::Admin).await;
    let mediator = app.add_mediator("甲调解员").await;
    let other = app.add_mediator("乙调解员").await;
    app.login("admin").await;
    let a = case(&mut app, mediator, "2025-12-30", "fees", "chaoyang", "10,000.00").await;
    let b = case(&mut app, mediator, "2025-03-01", "parking", "haidian", "2000.50").await;
    let c = case(&mut app, mediator, "2025-12-31", "fees", "haidian", "").await;
    let dd = case(&mut app, mediator, "2026-01-01", "fees", "chaoyang", "5000").await;
    let e = case(&mut app, mediator, "2026-10-01", "neighbour", "chaoyang", "0").await;
    let f = case(&mut app, mediator, "2026-11-20", "fees", "xicheng", "1234.56").await;
    let g = case(&mut app, other, "2026-06-01", "service_quality", "haidian", "3000").await;
    app.apply(a, Change::Accept { on: day("2026-01-02") }).await;
    app.apply(a, settle("2026-01-12", 800_000, "2026-02-12")).await;
    app.apply(a, Change::Fulfilment(Fulfilment::Fulfilled)).await;
    app.apply(b, Change::Accept { on: day("2025-03-02") }).await;
    let fail = Change::Fail {
        on: day("2025-03-20"),
        routes: vec![Route::Court],
        reason: String::new(),
    };
    app.apply(b, fail).await;
    let decline = Change::Decline {
        on: day("2026-01-03"),
        reason: "拒绝调解".into(),
    };
    app.apply(c, decline).await;
    app.apply(dd, Change::Accept { on: day("2026-01-01") }).await;
    app.apply(dd, settle("2026-01-31", 500_000, "2026-03-01")).await;
    app.apply(e, Change::Accept { on: day("2026-10-02") }).await;
    app.apply(g, Change::Accept { on: day("2026-06-02") }).await;
    let withdraw = Change::Withdraw {
        on: day("2026-06-10"),
        reason: "撤回".into(),
    };
    app.apply(g, withdraw).await;
    Data {
        app,
        mediator,
        other,
        ids: vec![a, b, c, dd, e, f, g],
    }
}

/// The statistics both ways; they must agree.
async fn both(app: &TestApp, period: Period, filter: &CaseFilter, scope: Scope) -> Stats {
    let best = stats::stats_via(&app.pool, &period, filter, scope, deadlines(), Via::Best)
        .await
        .unwrap();
    let direct = stats::stats_via(&app.pool, &period, filter, scope, deadlines(), Via::Cases)
        .await
        .unwrap();
    assert_eq!(best, direct, "summary and cases disagree for {period:?}");
    best
}

#[tokio::test]
async fn a_year_counts_cases_received_and_accepted_in_it() {
    crate::common::both(async || {
        let data = data().await;
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        let t = &s.totals;
        assert_eq!(t.cases_total, 4, "D, E, F and G were received in 2026");
        assert_eq!(t.amount_claimed.plain(), "9234.56");
        assert_eq!(t.accepted, 4, "A, D, E and G were accepted in 2026");
        assert_eq!((t.settled, t.failed, t.withdrawn, t.in_mediation), (2, 0, 1, 1));
        assert_eq!((t.registered, t.declined), (1, 0));
        assert_eq!(t.success_rate().percent(), "50.0");
        assert_eq!(t.amount_agreed.plain(), "13000.00");
        assert_eq!(t.average_days_to_close().as_deref(), Some("16.0"), "10, 30 and 8 days");
        assert_eq!(t.fulfilment_rate().percent(), "50.0");
        assert_eq!(t.overdue, 1, "E has been in mediation since 2026-10-02");

        let s = both(&data.app, Period::Year(2025), &CaseFilter::default(), Scope::All).await;
        let t = &s.totals;
        assert_eq!((t.cases_total, t.accepted, t.failed, t.declined), (3, 1, 1, 1));
        assert_eq!(t.amount_claimed.plain(), "12000.50");
        assert_eq!(t.success_rate().percent(), "0.0");
        assert_eq!(t.average_days_to_close().as_deref(), Some("18.0"));
    })
    .await;
}

#[tokio::test]
async fn every_year_adds_up_all_cases() {
    crate::common::both(async || {
        let data = data().await;
        let s = both(&data.app, Period::All, &CaseFilter::default(), Scope::All).await;
        assert_eq!(s.totals.cases_total, 7);
        assert_eq!(s.totals.amount_claimed.plain(), "21235.06");
        assert_eq!((s.totals.accepted, s.totals.settled), (5, 2));
        assert_eq!(s.totals.success_rate().percent(), "40.0");
    })
    .await;
}

#[tokio::test]
async fn range_boundaries_are_inclusive_on_both_days() {
    crate::common::both(async || {
        let data = data().await;
        let range = |a: &str, b: &str| Period::Range {
            from: day(a),
            to: day(b),
        };
        // Not whole months: read from the cases.
        let s = both(
            &data.app,
            range("2025-12-31", "2026-01-01"),
            &CaseFilter::default(),
            Scope::All,
        )
        .await;
        assert_eq!(s.totals.cases_total, 2, "C on the first day, D on the last");
        assert_eq!(s.totals.accepted, 1, "D accepted on the last day");
        // A whole month: read from the summary.
        let s = both(
            &data.app,
            range("2026-01-01", "2026-01-31"),
            &CaseFilter::default(),
            Scope::All,
        )
        .await;
        assert_eq!((s.totals.cases_total, s.totals.accepted, s.totals.settled), (1, 2, 2));
        let s = both(
            &data.app,
            range("2026-01-03", "2026-01-31"),
            &CaseFilter::default(),
            Scope::All,
        )
        .await;
        assert_eq!((s.totals.cases_total, s.totals.accepted), (0, 0));
        // New Year's Eve belongs to the old year.
        let s = both(&data.app, Period::Year(2025), &CaseFilter::default(), Scope::All).await;
        assert!(s.breakdowns.by_month.iter().any(|m| m.key == "2025-12" && m.cases == 2));
    })
    .await;
}

#[tokio::test]
async fn breakdowns_split_the_year_by_category_month_district_and_mediator() {
    crate::common::both(async || {
        let data = data().await;
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        let b = &s.breakdowns;
        let cats: Vec<(&str, i64, i64, i64)> = b
            .by_category
            .iter()
            .map(|r| (r.key.as_str(), r.cases, r.accepted, r.settled))
            .collect();
        assert_eq!(
            cats,
            vec![("fees", 2, 2, 2), ("service_quality", 1, 1, 0), ("neighbour", 1, 1, 0)],
            "in the categories' own order"
        );
        assert_eq!(b.by_category[0].amount_claimed.plain(), "6234.56");
        let months: Vec<(&str, i64, i64)> = b
            .by_month
            .iter()
            .map(|r| (r.key.as_str(), r.cases, r.accepted))
            .collect();
        assert_eq!(
            months,
            vec![
                ("2026-01", 1, 2),
                ("2026-06", 1, 1),
                ("2026-10", 1, 1),
                ("2026-11", 1, 0)
            ]
        );
        assert_eq!(b.by_month[0].amount_agreed.plain(), "13000.00");
        let districts: Vec<(&str, i64, i64)> = b
            .by_district
            .iter()
            .map(|r| (r.key.as_str(), r.cases, r.accepted))
            .collect();
        assert_eq!(
            districts,
            vec![("xicheng", 1, 0), ("chaoyang", 2, 3), ("haidian", 1, 1)]
        );
        let mediators: Vec<(String, Option<&str>, i64)> = b
            .by_mediator
            .iter()
            .map(|r| (r.key.clone(), r.name.as_deref(), r.cases))
            .collect();
        assert_eq!(
            mediators,
            vec![
                (data.other.to_string(), Some("乙调解员"), 1),
                (data.mediator.to_string(), Some("甲调解员"), 3)
            ],
            "by name"
        );
        assert_eq!(b.by_source.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn filters_and_a_mediators_scope_narrow_the_counts() {
    crate::common::both(async || {
        let data = data().await;
        let filter = CaseFilter {
            category: Some("fees".into()),
            ..CaseFilter::default()
        };
        let s = both(&data.app, Period::Year(2026), &filter, Scope::All).await;
        assert_eq!((s.totals.cases_total, s.totals.accepted), (2, 2));
        let user = data.app.add_user("乙", Role::Mediator).await;
        let scope = Scope::Mediator {
            committee_id: accord::store::orgs::FIRST_COMMITTEE,
            user_id: user,
            mediator_id: Some(data.other),
        };
        let s = both(&data.app, Period::All, &CaseFilter::default(), scope).await;
        assert_eq!((s.totals.cases_total, s.totals.withdrawn), (1, 1), "only G is theirs");
    })
    .await;
}

fn range(from: &str, to: &str) -> Period {
    Period::Range {
        from: day(from),
        to: day(to),
    }
}

/// Ranges not aligned to months (the days at their edges come from the
/// daily summary), with each filter the summary holds and with those it
/// does not: always the numbers of a plain count over the cases.
#[tokio::test]
async fn any_range_with_any_filter_gives_the_numbers_of_a_plain_count() {
    crate::common::both(async || {
        let data = data().await;
        let admin = data.app.sql_i64("SELECT id FROM users WHERE username = 'admin'").await;
        // A has both mediators.
        accord::on_db!(data.app.pool, |e| {
            sqlx::query("INSERT INTO case_mediators (case_id, mediator_id) VALUES ($1, $2)")
                .bind(data.ids[0])
                .bind(data.other)
                .execute(e)
                .await
                .map(|_| ())
        })
        .unwrap();
        let filters = [
            CaseFilter::default(),
            CaseFilter {
                status: Some(Status::Settled),
                ..CaseFilter::default()
            },
            CaseFilter {
                district: Some("chaoyang".into()),
                ..CaseFilter::default()
            },
            CaseFilter {
                status: Some(Status::InMediation),
                category: Some("fees".into()),
                ..CaseFilter::default()
            },
            CaseFilter {
                source: Some("party_application".into()),
                ..CaseFilter::default()
            },
            CaseFilter {
                mediator: Some(data.mediator),
                ..CaseFilter::default()
            },
            CaseFilter {
                category: Some("fees".into()),
                district: Some("haidian".into()),
                ..CaseFilter::default()
            },
            CaseFilter {
                flag: Some(Flag::Overdue),
                ..CaseFilter::default()
            },
            CaseFilter {
                q: Some("阳光".into()),
                ..CaseFilter::default()
            },
        ];
        let periods = [
            Period::All,
            Period::Year(2026),
            range("2025-12-30", "2026-01-01"),
            range("2025-12-31", "2025-12-31"),
            range("2025-03-02", "2026-10-01"),
            range("2025-02-15", "2026-11-19"),
            range("2026-01-02", "2026-01-31"),
            range("2025-12-01", "2026-01-12"),
        ];
        let scopes = [
            Scope::All,
            Scope::Mediator {
                committee_id: accord::store::orgs::FIRST_COMMITTEE,
                user_id: admin,
                mediator_id: None,
            },
            Scope::Mediator {
                committee_id: accord::store::orgs::FIRST_COMMITTEE,
                user_id: admin + 100,
                mediator_id: Some(data.other),
            },
        ];
        for period in periods {
            for filter in &filters {
                for scope in scopes {
                    both(&data.app, period, filter, scope).await;
                }
            }
        }
        // A received on 2025-12-30, C on the 31st, D on 2026-01-01 (and
        // accepted that day): three cases received, one accepted.
        let s = both(
            &data.app,
            range("2025-12-30", "2026-01-01"),
            &CaseFilter::default(),
            Scope::All,
        )
        .await;
        assert_eq!((s.totals.cases_total, s.totals.accepted), (3, 1));
        assert_eq!(s.breakdowns.by_month.len(), 2);
        let settled = CaseFilter {
            status: Some(Status::Settled),
            ..CaseFilter::default()
        };
        let s = both(&data.app, range("2025-12-30", "2026-01-01"), &settled, Scope::All).await;
        assert_eq!((s.totals.cases_total, s.totals.settled), (2, 1), "A and D are settled");
        assert!(s.breakdowns.uncounted.is_empty(), "a few cases are always counted");
    })
    .await;
}

/// The reference lists page counts each code's cases from the summaries:
/// the same numbers as counting the cases and parties.
#[tokio::test]
async fn reference_usage_counts_are_those_of_the_cases_and_parties() {
    crate::common::both(async || {
        let data = data().await;
        let lists = [
            (RefList::Category, "SELECT category, COUNT(*) FROM cases GROUP BY 1"),
            (RefList::Source, "SELECT source, COUNT(*) FROM cases GROUP BY 1"),
            (RefList::District, "SELECT district, COUNT(*) FROM cases GROUP BY 1"),
            (
                RefList::PartyType,
                "SELECT party_type, COUNT(*) FROM parties GROUP BY 1",
            ),
        ];
        for (list, sql) in lists {
            let kept = reference::usage(&data.app.pool, list).await.unwrap();
            let rows: Vec<(String, i64)> =
                accord::on_db!(data.app.pool, |e| sqlx::query_as(sql).fetch_all(e).await).unwrap();
            let fresh: HashMap<String, i64> = rows.into_iter().collect();
            assert_eq!(kept, fresh, "{list:?}");
        }
        assert_eq!(
            reference::usage(&data.app.pool, RefList::Category)
                .await
                .unwrap()
                .get("fees"),
            Some(&4)
        );
    })
    .await;
}

#[tokio::test]
async fn the_summary_stays_exact_through_edits_and_reassignments() {
    crate::common::both(async || {
        let mut data = data().await;
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        // Change F's category, amount and mediators through the edit form.
        let f = data.ids[5];
        let both_mediators = format!("{}", data.other);
        let mut form = case_form(
            data.mediator,
            &[
                ("received_on", "2026-11-20"),
                ("category", "parking"),
                ("amount_claimed", "99.99"),
            ],
        );
        form.push(("mediators".into(), both_mediators));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = data.app.post(&format!("/cases/{f}"), &pairs).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        assert_eq!(s.totals.amount_claimed.plain(), "8099.99");
        assert_eq!(
            s.breakdowns
                .by_mediator
                .iter()
                .find(|r| r.key == data.other.to_string())
                .unwrap()
                .cases,
            2
        );

        // Corrections (issue 13) move the numbers and keep the summary exact.
        let [a, _, _, dd, _, _, g] = data.ids[..] else {
            unreachable!()
        };
        let reason = || "更正".to_string();
        let corrected = Agreement {
            kind: AgreementType::Oral,
            amount: Money::from_fen(900_000),
            on: day("2026-01-12"),
            due: day("2026-02-12"),
            terms: "更正后的条款".into(),
        };
        data.app
            .apply(
                a,
                Change::CorrectAgreement {
                    agreement: corrected,
                    reason: reason(),
                },
            )
            .await;
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        assert_eq!(
            s.totals.amount_agreed.plain(),
            "14000.00",
            "9,000 for A and 5,000 for D"
        );
        data.app.apply(dd, Change::Reopen { reason: reason() }).await;
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        assert_eq!(
            (s.totals.settled, s.totals.in_mediation),
            (1, 2),
            "D is back in mediation"
        );
        assert_eq!(s.totals.amount_agreed.plain(), "9000.00");
        let archive = Change::Archive {
            on: day("2026-11-28"),
            reason: String::new(),
        };
        data.app.apply(a, archive).await;
        data.app.apply(a, Change::Unarchive { reason: reason() }).await;
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        let void = Change::Void {
            on: day("2026-11-28"),
            reason: reason(),
        };
        data.app.apply(g, void).await;
        assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        let s = both(&data.app, Period::Year(2026), &CaseFilter::default(), Scope::All).await;
        assert_eq!(
            (s.totals.cases_total, s.totals.withdrawn),
            (3, 0),
            "G is in no statistic"
        );
        let by_other = s
            .breakdowns
            .by_mediator
            .iter()
            .find(|r| r.key == data.other.to_string());
        assert_eq!(by_other.map(|r| r.cases), Some(1), "only F is left to 乙");
        // The search index still holds every case, voided ones too.
        // SQLite's FTS5 table is keyed by rowid, PostgreSQL's by case_id.
        let stale = data
            .app
            .sql_i64(match crate::common::backend() {
                accord::store::Backend::Sqlite => {
                    "SELECT COUNT(*) FROM cases c LEFT JOIN case_search s ON s.rowid = c.id
                     WHERE s.rowid IS NULL OR s.case_no IS DISTINCT FROM c.case_no
                        OR s.project IS DISTINCT FROM c.project OR s.summary IS DISTINCT FROM c.summary"
                }
                accord::store::Backend::Postgres => {
                    "SELECT COUNT(*) FROM cases c LEFT JOIN case_search s ON s.case_id = c.id
                     WHERE s.case_id IS NULL OR s.case_no IS DISTINCT FROM c.case_no
                        OR s.project IS DISTINCT FROM c.project OR s.summary IS DISTINCT FROM c.summary"
                }
            })
            .await;
        assert_eq!(stale, 0);
    })
    .await;
}

#[tokio::test]
async fn text_search_finds_substrings_through_the_index_and_short_queries_without_it() {
    crate::common::both(async || {
        let mut data = data().await;
        let found = |page: &crate::common::Page| page.texts("table.cases tbody tr").len();
        let page = data.app.get("/cases?q=%E9%98%B3%E5%85%89%E8%8A%B1").await; // 阳光花
        assert_eq!(found(&page), 7, "every case is in 阳光花园小区");
        let page = data.app.get("/cases?q=%E5%BC%A0%E4%B8%89").await; // 张三: two characters
        assert_eq!(found(&page), 7);
        let page = data.app.get("/cases?q=%E6%9F%90%E7%89%A9%E4%B8%9A%E6%9C%8D").await; // 某物业服
        assert_eq!(found(&page), 7, "party names are searched");
        let page = data.app.get("/cases?q=%E7%89%A9%E4%B8%9A%E6%9C%8D%E5%8A%A1X").await;
        assert_eq!(found(&page), 0);
        let no: String = accord::on_db!(data.app.pool, |e| {
            sqlx::query_scalar("SELECT case_no FROM cases WHERE id = $1")
                .bind(data.ids[0])
                .fetch_one(e)
                .await
        })
        .unwrap();
        let q = no.chars().skip(2).take(8).collect::<String>();
        let page = data
            .app
            .get(&format!("/cases?{}", serde_urlencoded::to_string([("q", &q)]).unwrap()))
            .await;
        assert!(found(&page) >= 1, "{q} is part of a case number");
    })
    .await;
}

/// Cases across 2025 and 2026, edited, voided and moved across new year:
/// the dashboard of every year, of each year and of a range across the
/// boundary (read from the yearly, monthly and daily rows of the summary)
/// gives the figures counted from the cases, and the yearly rows stay
/// those of the monthly ones.
#[tokio::test]
async fn cases_moved_across_new_year_leave_every_years_figures_exact() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("admin", Role::Admin).await;
        let mediator = app.add_mediator("甲调解员").await;
        let other = app.add_mediator("乙调解员").await;
        app.login("admin").await;
        let a = case(&mut app, mediator, "2025-12-20", "fees", "chaoyang", "1,000").await;
        let b = case(&mut app, other, "2026-01-03", "parking", "haidian", "2,000").await;
        let c = case(&mut app, mediator, "2025-06-01", "fees", "haidian", "3,000").await;
        let d = case(&mut app, other, "2026-03-01", "neighbour", "chaoyang", "4,000").await;
        let e = case(&mut app, mediator, "2025-11-11", "fees", "xicheng", "5,000").await;
        app.apply(c, Change::Accept { on: day("2025-06-02") }).await;
        app.apply(c, settle("2026-01-15", 200_000, "2026-02-15")).await;
        app.apply(d, Change::Accept { on: day("2026-03-02") }).await;
        // Edited: A moves into 2026 with another mediator and amount, B back into 2025.
        let (m1, m2) = (mediator.to_string(), other.to_string());
        let edits = [
            (
                a,
                case_form(
                    other,
                    &[
                        ("received_on", "2026-01-05"),
                        ("amount_claimed", "1,500"),
                        ("category", "parking"),
                        ("mediators", &m1),
                        ("mediators", &m2),
                    ],
                ),
            ),
            (
                b,
                case_form(other, &[("received_on", "2025-12-28"), ("amount_claimed", "2,000")]),
            ),
            (
                d,
                case_form(
                    other,
                    &[
                        ("received_on", "2026-03-01"),
                        ("category", "neighbour"),
                        ("amount_claimed", "4,400"),
                    ],
                ),
            ),
        ];
        for (id, form) in edits {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let saved = app.post(&format!("/cases/{id}"), &pairs).await;
            assert_eq!(saved.status, axum::http::StatusCode::SEE_OTHER, "{}", saved.body);
        }
        app.apply(b, Change::Accept { on: day("2026-01-02") }).await;
        let void = Change::Void {
            on: day("2026-02-01"),
            reason: "重复登记".into(),
        };
        app.apply(e, void).await;
        assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0);

        let range = Period::Range {
            from: day("2025-12-15"),
            to: day("2026-02-10"),
        };
        let none = CaseFilter::default();
        let all = both(&app, Period::All, &none, Scope::All).await;
        let y2025 = both(&app, Period::Year(2025), &none, Scope::All).await;
        let y2026 = both(&app, Period::Year(2026), &none, Scope::All).await;
        let across = both(&app, range, &none, Scope::All).await;
        // A, B, C, D; E voided. 2025: B and C received; 2026: A and D.
        assert_eq!(
            (
                all.totals.cases_total,
                y2025.totals.cases_total,
                y2026.totals.cases_total
            ),
            (4, 2, 2)
        );
        assert_eq!(all.totals.amount_claimed, Money::from_fen(1_090_000));
        assert_eq!((y2025.totals.accepted, y2026.totals.accepted), (1, 2));
        // The range: B received 12-28, A received 01-05, B accepted 01-02.
        assert_eq!((across.totals.cases_total, across.totals.accepted), (2, 1));
        for (dim, rows) in [
            ("category", &all.breakdowns.by_category),
            ("mediator", &all.breakdowns.by_mediator),
        ] {
            assert!(!rows.is_empty(), "{dim}");
        }
        // A filter the summary holds, over the years and across the boundary.
        for period in [Period::All, Period::Year(2025), Period::Year(2026), range] {
            for category in ["fees", "parking", "neighbour"] {
                let filter = CaseFilter {
                    category: Some(category.into()),
                    ..CaseFilter::default()
                };
                both(&app, period, &filter, Scope::All).await;
            }
            let filter = CaseFilter {
                mediator: Some(other),
                ..CaseFilter::default()
            };
            both(&app, period, &filter, Scope::All).await;
        }
        // The dashboard shows the same.
        for (query, s) in [
            ("", &all),
            ("?year=2025", &y2025),
            ("?year=2026", &y2026),
            ("?from=2025-12-15&to=2026-02-10", &across),
        ] {
            let page = app.get(&format!("/dashboard{query}")).await;
            assert_eq!(page.status, axum::http::StatusCode::OK, "{query}");
            assert_eq!(
                page.text("#card-cases .value"),
                s.totals.cases_total.to_string(),
                "{query}"
            );
        }
    })
    .await;
}

/// An edit that adds a mediator to a case and keeps its first, then one
/// that drops the first: each mediator's count moves by the links added
/// and dropped alone, and the summary agrees with the cases after each
/// (kept links are left as they are, not written again).
#[tokio::test]
async fn an_edit_moves_the_counts_of_the_mediators_it_adds_and_drops_alone() {
    crate::common::both(async || {
        let mut data = data().await;
        let f = data.ids[5];
        let (m, o) = (data.mediator.to_string(), data.other.to_string());
        // The case's mediators after each edit, and the two mediators' counts.
        let both_of_them = [("mediators", m.as_str()), ("mediators", o.as_str())];
        let the_other = [("mediators", o.as_str())];
        for (mediators, first, second) in [(&both_of_them[..], 6, 2), (&the_other[..], 5, 2)] {
            let form = case_form(data.mediator, mediators);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let page = data.app.post(&format!("/cases/{f}"), &pairs).await;
            assert_eq!(page.status, 303, "{}", page.body);
            let s = both(&data.app, Period::All, &CaseFilter::default(), Scope::All).await;
            let cases_of = |id: i64| {
                s.breakdowns
                    .by_mediator
                    .iter()
                    .find(|r| r.key == id.to_string())
                    .map_or(0, |r| r.cases)
            };
            assert_eq!(
                (cases_of(data.mediator), cases_of(data.other)),
                (first, second),
                "{mediators:?}"
            );
            assert_eq!(stats::summary_drift(&data.app.pool).await.unwrap(), 0);
        }
    })
    .await;
}
