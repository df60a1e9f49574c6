//! Issue 12, the official report from its summary (`official_monthly`,
//! migration 0034): after every kind of write, the report read from the
//! summary is the report computed from the cases, for any period and
//! scope, and the summary has no drift.

use axum::http::StatusCode;

use crate::common::{TestApp, admin_app, case_form, day};
use crate::official::settle;
use accord::domain::Role;
use accord::domain::official::{Cell, Mapping, NationalType, OfficialPeriod, SourceGroup};
use accord::domain::workflow::Fulfilment;
use accord::domain::workflow::closing::Change;
use accord::store::cases::Scope;
use accord::store::stats::{self, Via, official};

/// A form's pairs as `post` takes them.
fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The cells in one order, whichever way they were read.
fn sorted(mut cells: Vec<Cell>) -> Vec<Cell> {
    cells.sort_by_key(|c| (c.committee_id, c.national_type.code(), c.source_group.code()));
    cells
}

/// Every period from 2019 to 2026 (years, 2026's quarters and months) in
/// every scope: the summary's report is the cases' report; and the
/// packets' monthly lines of each committee too. Returns the accepted
/// cases of 2026 in the whole installation.
async fn both_ways_agree(app: &TestApp, committees: &[i64]) -> i64 {
    assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0, "drift");
    let mut periods: Vec<OfficialPeriod> = (2019..=2026).map(OfficialPeriod::Year).collect();
    periods.extend((1..=4).map(|q| OfficialPeriod::Quarter(2026, q)));
    periods.extend((1..=12).map(|m| OfficialPeriod::Month(2026, m)));
    let mut scopes = vec![Scope::All, Scope::Subtree(1)];
    for &id in committees {
        scopes.push(Scope::Committee { id, narrow: false });
        scopes.push(Scope::Committee { id, narrow: true });
    }
    for period in &periods {
        let (from, to) = period.bounds();
        for &scope in &scopes {
            let best = official::cells_via(&app.pool, from, to, scope, Via::Best)
                .await
                .unwrap();
            let direct = official::cells_via(&app.pool, from, to, scope, Via::Cases)
                .await
                .unwrap();
            assert_eq!(sorted(best), sorted(direct), "{period:?} {scope:?}");
        }
        for &id in committees {
            let best = official::monthly_cells_via(&app.pool, from, to, id, Via::Best)
                .await
                .unwrap();
            let direct = official::monthly_cells_via(&app.pool, from, to, id, Via::Cases)
                .await
                .unwrap();
            let key = |(month, c): &(String, Cell)| (month.clone(), c.national_type.code(), c.source_group.code());
            let (mut best, mut direct) = (best, direct);
            best.sort_by_key(key);
            direct.sort_by_key(key);
            assert_eq!(best, direct, "monthly {period:?} {id}");
        }
    }
    let (from, to) = OfficialPeriod::Year(2026).bounds();
    let cells = official::cells(&app.pool, from, to, Scope::All).await.unwrap();
    cells.iter().map(|c| c.figures.accepted).sum()
}

#[tokio::test]
async fn the_report_from_the_summary_is_the_report_from_the_cases_after_every_kind_of_write() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        // A demo load, then another in its place: bulk inserts, then every case deleted.
        let first = accord::store::orgs::Committee::first(&app.config.case_prefix);
        for (seed, force) in [(7, false), (8, true)] {
            let options = accord::demo::Options {
                cases: Some(300),
                seed,
                force,
                durability: accord::domain::Durability::Full,
            };
            accord::demo::load(&app.pool, &first, &options).await.unwrap();
        }
        let demo_2026 = both_ways_agree(&app, &[2]).await;

        app.add_user("boss", Role::Admin).await;
        app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
        app.add_user_in(3, "boss3", Role::Admin).await;
        let m = app.add_mediator("甲调解员").await;
        app.login("boss").await;
        let mut case = async |received: &str, extra: &[(&str, &str)]| {
            let mut fields = vec![("received_on", received)];
            fields.extend_from_slice(extra);
            app.create_case(&case_form(m, &fields)).await
        };
        // Registered with its parties counted, and with people and escalations entered.
        let a = case("2026-07-01", &[("prevented_crime", "3")]).await;
        let b = case("2026-07-05", &[("people_involved", "5"), ("prevented_petition", "12")]).await;
        let c = case(
            "2026-08-10",
            &[("category", "safety_loss"), ("source", "court_referral")],
        )
        .await;
        let d = case("2026-09-20", &[("people_involved", "4")]).await;
        let e = case("2026-06-20", &[]).await;
        let f = case("2026-09-25", &[("prevented_crime", "9")]).await;
        let g = case("2026-08-01", &[]).await;
        let accept = |on: &str| Change::Accept { on: day(on) };
        for (id, on) in [
            (a, "2026-07-02"),
            (b, "2026-07-06"),
            (c, "2026-08-11"),
            (d, "2026-09-21"),
        ] {
            app.apply(id, accept(on)).await;
        }
        for (id, on) in [(e, "2026-06-25"), (f, "2026-09-26"), (g, "2026-08-02")] {
            app.apply(id, accept(on)).await;
        }
        // Settled with an amount, fulfilled; voided.
        app.apply(a, settle("2026-07-20", 800_000)).await;
        app.apply(a, Change::Fulfilment(Fulfilment::Fulfilled)).await;
        app.apply(b, settle("2026-08-01", 123_450)).await;
        let void = Change::Void {
            on: day("2026-09-27"),
            reason: "重复登记".into(),
        };
        app.apply(f, void).await;
        // Edited: category, source, escalations, people entered then cleared,
        // a party added, then one removed.
        let edited = case_form(
            m,
            &[
                ("received_on", "2026-08-10"),
                ("category", "neighbour"),
                ("source", "committee_initiative"),
                ("prevented_petition", "6"),
                ("respondent_type", "owner"),
                ("respondent_name", "张三"),
                ("respondent_phone", ""),
                ("respondent_type", "owner"),
                ("respondent_name", "李四"),
                ("respondent_phone", ""),
            ],
        );
        let saved = app.post(&format!("/cases/{c}"), &pairs(&edited)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM parties WHERE case_id = {c}"))
                .await,
            3
        );
        for people in ["7", ""] {
            let form = case_form(m, &[("received_on", "2026-06-20"), ("people_involved", people)]);
            let saved = app.post(&format!("/cases/{e}"), &pairs(&form)).await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        }
        let fewer = case_form(m, &[("received_on", "2026-08-10"), ("category", "neighbour")]);
        let saved = app.post(&format!("/cases/{c}"), &pairs(&fewer)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // A party moved from one case to another (no page does it; the summary follows anyway).
        // ... and back, so each case keeps a respondent for the import below.
        let party: i64 = app
            .count(&format!("SELECT MAX(id) FROM parties WHERE case_id = {g}"))
            .await;
        for (to, a_parties) in [(a, 3), (g, 2)] {
            let moved = format!("UPDATE parties SET case_id = {to} WHERE id = {party}");
            accord::on_db!(app.pool, |x| sqlx::query(sqlx::AssertSqlSafe(moved.clone()))
                .execute(x)
                .await
                .map(|_| ()))
            .unwrap();
            assert_eq!(
                app.count(&format!("SELECT COUNT(*) FROM parties WHERE case_id = {a}"))
                    .await,
                a_parties
            );
            assert_eq!(stats::summary_drift(&app.pool).await.unwrap(), 0, "party moved to {to}");
        }
        // Transferred to committee 3, which accepts it: counted there.
        let sent = app
            .post(&format!("/cases/{d}/transfer"), &[("to", "3"), ("reason", "属朝阳区")])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let mut boss3 = app.client();
        boss3.login("boss3").await;
        let taken = boss3.post(&format!("/cases/{d}/transfer/accept"), &[]).await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        assert_eq!(
            app.count(&format!("SELECT committee_id FROM cases WHERE id = {d}"))
                .await,
            3
        );

        // a, b, c, d, e, g accepted in 2026 and counted; f voided.
        assert_eq!(both_ways_agree(&app, &[2, 3]).await, demo_2026 + 6);
        let (from, to) = OfficialPeriod::Quarter(2026, 3).bounds();
        let own = Scope::Committee { id: 2, narrow: false };
        let q3 = official::cells(&app.pool, from, to, own).await.unwrap();
        let people: i64 = q3.iter().map(|c| c.figures.people).sum();
        let direct = official::cells_via(&app.pool, from, to, own, Via::Cases).await.unwrap();
        assert_eq!(people, direct.iter().map(|c| c.figures.people).sum::<i64>());

        // The mapping changed: read through at once, nothing rebuilt.
        let change = Mapping {
            categories: vec![("fees".into(), NationalType::Contract)],
            sources: vec![("party_application".into(), SourceGroup::Referral)],
        };
        official::save_mapping(&app.pool, None, &change).await.unwrap();
        both_ways_agree(&app, &[2, 3]).await;

        // Imported into another installation: the summary follows the import.
        let exported = app.get("/export/cases.csv").await;
        assert_eq!(exported.status, StatusCode::OK);
        let mut second = admin_app().await;
        let page = crate::csv_import::upload(&mut second, &exported.bytes, false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(both_ways_agree(&second, &[2]).await > 0);
    })
    .await;
}
