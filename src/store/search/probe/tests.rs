//! The probe's tests: what a word tested case by case finds, and how
//! words are weighed.

use super::*;
use crate::domain::{PartyRole, Status};
use crate::store::search::index::tests::case;
use crate::store::search::push_search;

/// The ids a search finds over every case, read as `reading` says.
async fn found(pool: &crate::store::Db, q: &str, reading: Reading) -> Vec<i64> {
    let mut qb = Sql::new("SELECT c.id FROM cases c WHERE 1 = 1");
    push_search(&mut qb, Backend::Sqlite, q, &CaseFilter::default(), reading);
    qb.push(" ORDER BY c.id");
    let rows: Vec<(i64,)> = qb.fetch_all(pool).await.unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// Tested on each case's fields, a short word finds the cases its
/// gram index finds: ASCII in either case, a party's name, the case
/// number, the district's name, alone or beside a word looked up.
#[tokio::test]
async fn a_word_tested_case_by_case_finds_what_its_index_finds() {
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("probe.db")).await.unwrap();
    let mediator = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "王调解", "", true)
        .await
        .unwrap();
    let committee = crate::store::orgs::Committee::first("物调");
    for input in [
        case(
            "阳光花园 B座",
            "业主Zhang Wei拖欠物业费",
            &[(PartyRole::Respondent, "某物业公司"), (PartyRole::Applicant, "O'Brien")],
            mediator,
        ),
        case("翠湖苑", "漏水", &[(PartyRole::Applicant, "张伟")], mediator),
        case("ÉTÉ 园", "停车 100%", &[(PartyRole::Applicant, "李_四")], mediator),
    ] {
        crate::store::cases::create(&pool, &input, &committee, None)
            .await
            .unwrap();
    }
    let mut some_found = 0;
    for q in [
        "物业", "物", "b座", "B", "zh", "ZH", "'b", "张伟", "伟", "〔", "号", "朝阳", "朝", "Ch", "区", "é", "É", "%",
        "_", "0%", "x", "水",
    ] {
        let looked_up = found(&pool, q, Reading::Cases).await;
        assert_eq!(
            found(&pool, q, Reading::CasesProbing(Weights::probing(1))).await,
            looked_up,
            "{q:?}"
        );
        // Common, looked up with its district tested on the row.
        let common = Weights {
            probed: 0,
            common: 1,
            most: 0,
        };
        assert_eq!(found(&pool, q, Reading::CasesProbing(common)).await, looked_up, "{q:?}");
        some_found += usize::from(!looked_up.is_empty());
    }
    assert!(some_found > 15, "the words find cases");
    // Two words, each way in turn.
    for mask in [0b01, 0b10, 0b11] {
        assert_eq!(
            found(&pool, "物业 zh", Reading::CasesProbing(Weights::probing(mask))).await,
            vec![1],
            "{mask}"
        );
        assert_eq!(
            found(&pool, "张伟 翠湖苑", Reading::CasesProbing(Weights::probing(mask))).await,
            vec![2],
            "{mask}"
        );
    }
}

/// A rare word beside a rarer column is written so that the column's
/// cases lead (its matches collected once); beside a broader column, or
/// beside more than one condition, its matches lead as before.
#[tokio::test]
async fn a_rare_word_beside_a_rarer_column_lets_the_column_lead() {
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("rarer.db")).await.unwrap();
    let mediator = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "李调解", "", true)
        .await
        .unwrap();
    let committee = crate::store::orgs::Committee::first("物调");
    for i in 0..40 {
        let name = if i % 2 == 0 { "王芳" } else { "李四" };
        let input = case("翠湖苑", "欠费", &[(PartyRole::Applicant, name)], mediator);
        crate::store::cases::create(&pool, &input, &committee, None)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE cases SET status = 'withdrawn' WHERE id <= 2")
        .execute(pool.sqlite().unwrap())
        .await
        .unwrap();
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    let filter = |status: Option<Status>, category: Option<&str>| CaseFilter {
        q: Some("王".into()),
        status,
        category: category.map(String::from),
        ..CaseFilter::default()
    };
    let rarer = filter(Some(Status::Withdrawn), None);
    let led = Reading::CasesProbing(Weights {
        probed: 0,
        common: 1,
        most: 0,
    });
    assert_eq!(reading(&mut conn, "王", &rarer).await.unwrap(), led);
    let category = crate::store::search::case_input("x", "y", &[], mediator).category;
    for broader in [
        filter(None, Some(&category)),
        filter(Some(Status::Withdrawn), Some(&category)),
    ] {
        assert_eq!(
            reading(&mut conn, "王", &broader).await.unwrap(),
            Reading::Cases,
            "{broader:?}"
        );
    }
    // The same cases either way.
    assert_eq!(found(&pool, "王", led).await, found(&pool, "王", Reading::Cases).await);
}

/// Tested case by case, a word leaves no list of matches for SQLite to
/// collect, and lets a filtered column's index lead when it is the
/// only word.
#[tokio::test]
async fn a_word_tested_case_by_case_collects_no_matches() {
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
    let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
    push_search(
        &mut qb,
        Backend::Sqlite,
        "物业",
        &CaseFilter::default(),
        Reading::CasesProbing(Weights::probing(1)),
    );
    let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(&pool).await.unwrap();
    let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
    assert!(!plan.iter().any(|l| l.contains("case_grams")), "{plan:#?}");
    assert!(plan.iter().any(|l| l.contains("parties_case")), "{plan:#?}");
}

#[test]
fn a_word_is_tested_case_by_case_from_a_share_that_falls_with_the_cases() {
    assert_eq!(enough_matches(1_000_000), 130_385);
    assert_eq!(enough_matches(100_000), 41_232);
    // A small committee's file collects every word.
    assert!(enough_matches(1_000) > 1_000);
    assert_eq!(enough_matches(0), 1);
}

#[test]
fn only_words_an_index_and_instr_find_alike_are_tested_case_by_case() {
    for word in ["物业", "zh", "Z", "é", "〔", "阳光花园", "朝阳区", "2026年"] {
        assert!(testable(word), "{word}");
    }
    // Case folded beyond ASCII by the trigram index; a phone's digits.
    for word in ["Zhang", "阳光B座", "ÉTÉ", "〔2026〕", "1234", "13812341234"] {
        assert!(!testable(word), "{word}");
    }
}

/// A narrowed count tests only the words in most cases; a page tests
/// every common word; only a word in neither mask is rare.
#[test]
fn a_count_looks_up_the_common_words_not_in_most_cases() {
    let page = Reading::CasesProbing(Weights {
        probed: 0b011,
        common: 0b011,
        most: 0b001,
    });
    assert!(probed(page, 0) && probed(page, 1) && !common(page, 1));
    let count = page.counted();
    assert!(probed(count, 0) && !probed(count, 1) && common(count, 1));
    assert!(!common(count, 0) && !common(count, 2));
    assert!(!some_rare(page, "物业 朝阳") && !some_rare(count, "物业 朝阳"));
    assert!(some_rare(count, "物业 朝阳 张三"));
    assert!(some_rare(Reading::Cases, "物业") && !some_rare(Reading::Cases, ""));
    assert_eq!(Reading::Cases.counted(), Reading::Cases);
    // From about a third of a million cases' matches at a million.
    assert_eq!(enough_matches_narrowed(1_000_000), 300_000);
}

#[test]
fn a_mask_names_the_words_tested() {
    let r = Reading::CasesProbing(Weights::probing(0b101));
    assert!(probed(r, 0) && !probed(r, 1) && probed(r, 2) && !probed(r, 8));
    assert!(!probed(Reading::Cases, 0));
    assert!(all_probed(Reading::CasesProbing(Weights::probing(0b11)), "物业 王"));
    assert!(!all_probed(Reading::CasesProbing(Weights::probing(0b01)), "物业 王"));
    assert!(!all_probed(Reading::Cases, "物业"));
}
