//! The search rows PostgreSQL's write paths compute in Rust are those of
//! the schema's `case_search_index` / `case_gram_rows`, and short words
//! find the same cases on both backends.

use std::collections::{BTreeMap, BTreeSet};

use accord::domain::case::{CaseInput, PartyInput};
use accord::domain::{PartyRole, Phone};
use accord::store::{Db, search};

use axum::http::StatusCode;

use crate::common::{Page, TestApp, admin_app, case_form};

fn case(project: &str, summary: &str, parties: &[(PartyRole, &str)], mediator: i64) -> CaseInput {
    CaseInput {
        received_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        source: "party_application".into(),
        category: "fees".into(),
        project: project.into(),
        district: "chaoyang".into(),
        summary: summary.into(),
        amount_claimed: None,
        parties: parties
            .iter()
            .map(|&(role, name)| PartyInput {
                role,
                party_type: "owner".into(),
                name: name.into(),
                phone: Phone::default(),
                details: Default::default(),
            })
            .collect(),
        mediator_ids: vec![mediator],
        figures: Default::default(),
    }
}

/// Cases with mixed-case ASCII, accents, an emoji, a newline, and parties
/// in both roles; answers the first and last id.
async fn register(app: &TestApp) -> (i64, i64) {
    let mediator = app.add_mediator("王调解").await;
    let cases = [
        case(
            "阳光花园 B座",
            "业主Zhang Wei拖欠物业费\n第二行 «ÉTÉ» 🏠",
            &[
                (PartyRole::Respondent, "某物业公司"),
                (PartyRole::Applicant, "张伟"),
                (PartyRole::Applicant, "O'Brien"),
            ],
            mediator,
        ),
        case(
            "翠湖苑",
            "漏水",
            &[(PartyRole::Applicant, "李"), (PartyRole::Respondent, "QX物业")],
            mediator,
        ),
    ];
    let mut ids = Vec::new();
    for input in &cases {
        ids.push(
            accord::store::cases::create(&app.pool, input, &accord::store::orgs::Committee::first("调"), None)
                .await
                .unwrap()
                .0,
        );
    }
    (ids[0], ids[ids.len() - 1])
}

/// The rows of `case_search` and `case_grams`, as sets.
async fn search_rows(
    pg: &sqlx::PgPool,
) -> (
    BTreeSet<(i64, Option<String>, Option<String>, Option<String>, Option<String>)>,
    BTreeSet<(i64, Vec<i64>)>,
) {
    let docs = sqlx::query_as("SELECT case_id, case_no, project, summary, parties FROM case_search")
        .fetch_all(pg)
        .await
        .unwrap();
    let grams = sqlx::query_as("SELECT case_id, grams FROM case_grams")
        .fetch_all(pg)
        .await
        .unwrap();
    (docs.into_iter().collect(), grams.into_iter().collect())
}

#[tokio::test]
async fn the_rows_written_in_rust_are_those_of_the_schema_s_function() {
    crate::common::both(async || {
        let app = admin_app().await;
        let (first, last) = register(&app).await;
        let Db::Postgres(pg) = &app.pool else {
            return; // SQLite: the view's documents, see `store::search` tests.
        };
        // `cases::create` indexed each case (`index_case`); now `index_new`.
        let by_case = search_rows(pg).await;
        sqlx::query("DELETE FROM case_grams").execute(pg).await.unwrap();
        sqlx::query("DELETE FROM case_search").execute(pg).await.unwrap();
        let mut tx = app.pool.begin_write().await.unwrap();
        search::index_new(&mut tx.conn(), first, last).await.unwrap();
        tx.commit().await.unwrap();
        let by_rust = search_rows(pg).await;
        assert_eq!(by_rust, by_case);

        let expected: Vec<(i64, String)> = sqlx::query_as("SELECT * FROM case_gram_rows($1, $2)")
            .bind(first)
            .bind(last)
            .fetch_all(pg)
            .await
            .unwrap();
        let expected: BTreeSet<(i64, String)> = expected.into_iter().collect();
        assert!(expected.contains(&(first, "zh".to_string())) && expected.contains(&(first, "🏠".to_string())));
        assert!(expected.contains(&(first, "\n".to_string())) && expected.contains(&(last, "qx".to_string())));
        // Each case's row holds the codes of those grams, distinct and in order.
        let codes: Vec<(i64, i64)> = sqlx::query_as("SELECT g_case_id, gram_code(g_gram) FROM case_gram_rows($1, $2)")
            .bind(first)
            .bind(last)
            .fetch_all(pg)
            .await
            .unwrap();
        let mut expected: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (id, code) in codes {
            expected.entry(id).or_default().push(code);
        }
        for codes in expected.values_mut() {
            codes.sort_unstable();
            codes.dedup();
        }
        assert_eq!(by_rust.1, expected.into_iter().collect());

        sqlx::query("SELECT case_search_index($1, $2)")
            .bind(first)
            .bind(last)
            .execute(pg)
            .await
            .unwrap();
        assert_eq!(search_rows(pg).await, by_rust);
    })
    .await;
}

#[tokio::test]
async fn one_and_two_character_words_find_the_same_cases_on_both_backends() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        register(&app).await;
        let found = |page: &Page| page.texts("table.cases tbody tr").len();
        for (q, cases) in [
            ("zh", 1),
            ("ZH", 1),
            ("É", 1),
            ("é", 0),
            ("🏠", 1),
            ("李", 1),
            ("伟", 1),
            ("物", 2),
            ("qx", 1),
            ("漏水", 1),
        ] {
            assert_eq!(found(&app.get(&format!("/cases?q={q}")).await), cases, "search {q}");
        }
    })
    .await;
}

/// An edit's fields, the words it makes find nothing, and those that
/// find the case after it.
type Edit<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a [&'a str]);

/// An edit that changes no searched word (here the amount) leaves the
/// case as findable as before, by long words and short; one that changes
/// the summary, then a party's name, makes the old words find nothing and
/// the new ones the case, in both indexes (words of three characters or
/// more, and of one or two).
#[tokio::test]
async fn an_edit_rewrites_a_case_s_search_documents_exactly_when_its_words_change() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解").await;
        let id = app.create_case(&case_form(m, &[("summary", "楼上漏水淹了厨房")])).await;
        let edits: [Edit; 3] = [
            (
                &[("summary", "楼上漏水淹了厨房"), ("amount_claimed", "99.00")],
                &[],
                &["漏水", "淹了厨房", "张三"],
            ),
            (
                &[("summary", "停车位被占用")],
                &["漏水", "淹了厨房"],
                &["车位", "停车位被占用", "张三"],
            ),
            (
                &[("summary", "停车位被占用"), ("respondent_name", "李四")],
                &["张三"],
                &["李四", "车位", "停车位被占用"],
            ),
        ];
        for (extra, gone, there) in edits {
            let form = case_form(m, extra);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let page = app.post(&format!("/cases/{id}"), &pairs).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            for (words, cases) in [(gone, 0), (there, 1)] {
                for q in words {
                    let page = app.get(&format!("/cases?q={q}")).await;
                    assert_eq!(page.texts("table.cases tbody tr").len(), cases, "{q} after {extra:?}");
                }
            }
        }
    })
    .await;
}

/// On PostgreSQL each statement is planned for its own values, however
/// often it runs: a plan made for any word (PostgreSQL's choice after five
/// runs of a prepared statement) read a common word's matches seven times
/// slower at a million cases. Every connection of the pool says so.
#[tokio::test]
async fn postgres_plans_each_statement_for_its_own_values_and_compiles_none() {
    crate::common::both(async || {
        let app = admin_app().await;
        let Db::Postgres(pg) = &app.pool else {
            return; // SQLite plans each statement once, from its indexes alone.
        };
        for _ in 0..7 {
            let (mode, jit): (String, String) =
                sqlx::query_as("SELECT current_setting('plan_cache_mode'), current_setting('jit')")
                    .fetch_one(pg)
                    .await
                    .unwrap();
            assert_eq!((mode.as_str(), jit.as_str()), ("force_custom_plan", "off"));
        }
    })
    .await;
}
