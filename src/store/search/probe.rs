//! SQLite: a short word found in many cases tested on each case's own
//! fields, instead of collecting its matches from the gram index.
//!
//! A word is usually one `IN` over its matches ([`super::push_search`]):
//! SQLite collects every match into a temporary index before the first
//! case is tested. For a word in most cases that is most of the work: at
//! 1,000,000 cases `物业` is in 880,000, and collecting them took 130 ms,
//! once for the count and once for the page. Tested case by case, with
//! `instr` over the fields the gram document is cut from, the count stops
//! after its 10,001st match and a page after its last row (about a
//! microsecond a case: 0.1 ms for the first page, 2 ms for the 40th).
//!
//! Testing costs more than collecting when the matches are few, since a
//! count then reads many cases for each match. A count up to the cap reads
//! about `cap × cases / matches` cases at some 2 µs each; collecting costs
//! some 1.2 µs a match. The two meet where `matches² ≈ 1.7 × cap × cases`:
//! at 1,000,000 cases, 130,000 matches (`王`, in 107,000, is still
//! collected: 43 ms for its count either way).
//!
//! A count narrowed by a column too (`category=parking&q=朝阳`) walks the
//! column's cases until it has its cap's worth, `cap × cases / matches`
//! of them whatever the column's share: 42,000 for `朝阳`, each
//! non-match costing about 3 µs (its parties are read), 135 ms. Written
//! as its district tested on the row and its index's matches collected
//! once ([`push_common`]), a case costs about 1.6 µs, plus some 0.1 µs a
//! match collected: 70 ms. Testing wins again when the word is in most
//! cases (`物业`, whose matches are 880,000 to collect and whose test
//! ends early). The two meet near a third of the cases at a million,
//! `matches² ≈ 90,000 × cases`. So such a count tests only the words in
//! more cases than that, estimated from the newest cases ([`SAMPLE`]),
//! and looks the others up; the page still tests them, as it stops after
//! its rows.

use super::query::{anywhere, caseless, indexable, push_districts};
use super::{Reading, Weights, gram_token, phrase};
use crate::domain::CaseFilter;
use crate::domain::search::{phone_digits, words};
use crate::store::sql::Sql;
use crate::store::{Backend, Conn};

/// `matches² ≥ WEIGHT × cases` makes a word tested case by case
/// (1.7 × the list's cap of 10,000; see the module's note).
const WEIGHT: i64 = 17_000;

/// `matches² ≥ WEIGHT_NARROWED × cases` makes a word tested case by case
/// in a count narrowed by other conditions too (see the module's note).
const WEIGHT_NARROWED: i64 = 90_000;

/// The newest cases a common word is tested on to estimate its share, for
/// a count narrowed by other conditions (about a millisecond).
const SAMPLE: i64 = 1_000;

/// How SQLite reads a search's words: [`Reading::CasesProbing`] with the
/// words found in enough cases to be tested case by case, or
/// [`Reading::Cases`] when there is none. Only words `instr` finds exactly
/// where their index does are weighed ([`testable`]). A list narrowed by
/// other conditions too (`narrowed`) weighs a word by its share of the
/// newest cases ([`SAMPLE`]), which also says whether its count tests it
/// ([`Weights::most`]); the count of a word alone streams its matches
/// ([`push_stream`]), so the start of that stream weighs it.
pub(super) async fn reading(
    conn: &mut sqlx::SqliteConnection,
    q: &str,
    filter: &CaseFilter,
) -> Result<Reading, sqlx::Error> {
    let narrowed = !CaseFilter {
        q: None,
        ..filter.clone()
    }
    .is_empty();
    let words = words(q);
    if !words.iter().any(|w| testable(w)) {
        return Ok(Reading::Cases);
    }
    // The highest id: the number of cases, near enough, without a count.
    let cases: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases")
        .fetch_one(&mut *conn)
        .await?;
    let enough = enough_matches(cases);
    let (mut probed, mut most, mut common) = (0u8, 0u8, 0u8);
    for (i, word) in words.iter().enumerate() {
        if !testable(word) {
            continue;
        }
        let bit = 1 << i;
        if narrowed {
            let (hits, sampled) = sample(conn, word, cases).await?;
            if hits * cases >= enough * sampled {
                probed |= bit;
            } else if hits > 0 && column_rarer(conn, filter, hits * cases / sampled).await? {
                common |= bit;
            }
            if hits * cases >= enough_matches_narrowed(cases) * sampled {
                most |= bit;
            }
            continue;
        }
        // Counted no further than `enough`: the stream a count reads
        // ([`push_stream`]), stopped early (a case found both ways counts
        // twice, which an estimate allows).
        let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (");
        push_matches(&mut qb, word);
        qb.push(" LIMIT ").push_bind(enough).push(")");
        let (found,): (i64,) = qb.fetch_one_in(&mut Conn::Sqlite(&mut *conn)).await?;
        if found >= enough {
            probed |= bit;
            most |= bit;
        }
    }
    Ok(if probed | common == 0 {
        Reading::Cases
    } else {
        Reading::CasesProbing(Weights {
            probed,
            common: probed | common,
            most: most & probed,
        })
    })
}

/// Whether the one column a list is narrowed by (its status, category,
/// source or district, nothing else) holds fewer than a third of a word's
/// estimated `matches`, counted on the column's index alone up to that
/// number. Its cases then lead the plan, each tested
/// against the word's matches collected once ([`push_common`]), instead
/// of the word's matches each looked up: `status=withdrawn&q=王` read
/// 107,000 matches for 3,600 withdrawn ones (300 ms), where the 34,000
/// withdrawn cases are tested in 55.
async fn column_rarer(
    conn: &mut sqlx::SqliteConnection,
    filter: &CaseFilter,
    matches: i64,
) -> Result<bool, sqlx::Error> {
    let columns = [
        filter.status.is_some(),
        filter.category.is_some(),
        filter.source.is_some(),
        filter.district.is_some(),
    ];
    let rest = CaseFilter {
        q: None,
        status: None,
        category: None,
        source: None,
        district: None,
        ..filter.clone()
    };
    if columns.into_iter().filter(|&c| c).count() != 1 || !rest.is_empty() {
        return Ok(false);
    }
    // A third: counting all of a surname's 107,000 entries of
    // `cases_category` took 15 ms of a 120 ms page.
    let enough = (matches / 3).max(1);
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM cases c WHERE 1 = 1");
    super::push_equal_columns(&mut qb, "c.", filter);
    qb.push(" LIMIT ").push_bind(enough).push(")");
    let (n,): (i64,) = qb.fetch_one_in(&mut Conn::Sqlite(&mut *conn)).await?;
    Ok(n < enough)
}

/// How many of the newest [`SAMPLE`] cases (of `cases`, the highest id)
/// hold a word, and how many were read: about a millisecond, where
/// counting the start of its matches took 8 to 10 ms for `朝阳`.
async fn sample(conn: &mut sqlx::SqliteConnection, word: &str, cases: i64) -> Result<(i64, i64), sqlx::Error> {
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE c.id > ");
    qb.push_bind(cases - SAMPLE).push(" AND ");
    push_probe(&mut qb, word);
    let (hits,): (i64,) = qb.fetch_one_in(&mut Conn::Sqlite(&mut *conn)).await?;
    Ok((hits, SAMPLE.min(cases).max(1)))
}

/// Whether `instr` over a case's fields finds a word exactly where its
/// index does: a word of one or two characters, whose index
/// (`case_grams`) holds the fields as SQLite's `lower()` does (ASCII
/// only); or a longer word of Chinese characters and digits alone, which
/// no case folding of the trigram index touches. Not a phone number's
/// digits, which also match by the parties' phones.
fn testable(word: &str) -> bool {
    (!indexable(word) || caseless(word)) && phone_digits(word).is_none()
}

/// A word's matches as one stream of `(id, arm)`: the cases of the
/// districts whose name holds it (arm 0), then its matches in its index
/// (arm 1), which may repeat a case of arm 0.
fn push_matches(qb: &mut Sql, word: &str) {
    qb.push("SELECT id, 0 AS arm FROM cases WHERE district IN (");
    push_districts(qb, Backend::Sqlite, &anywhere(word));
    qb.push(") UNION ALL ");
    push_index_matches(qb, word, "rowid, 1");
}

/// `SELECT {columns} FROM` a word's index `WHERE` it matches.
fn push_index_matches(qb: &mut Sql, word: &str, columns: &str) {
    if indexable(word) {
        qb.push(format!("SELECT {columns} FROM case_search WHERE case_search MATCH "))
            .push_bind(phrase(word));
    } else {
        qb.push(format!("SELECT {columns} FROM case_grams WHERE case_grams MATCH "))
            .push_bind(phrase(&gram_token(word)));
    }
}

/// A common word looked up in a narrowed count ([`Reading::counted`]):
/// the case's district tested on its row, its matches in the index
/// collected once. Its district's cases are many (180,000 of 1,000,000
/// for `朝阳`) and the row is read anyway, while its index's are fewer
/// (60,000); the `+` keeps SQLite from reading the district's cases
/// through their index (a quarter's cases with `朝阳`: 103 ms, 33 ms
/// without).
pub(super) fn push_common(qb: &mut Sql, word: &str) {
    qb.push("(+c.district IN (");
    push_districts(qb, Backend::Sqlite, &anywhere(word));
    qb.push(") OR c.id IN (");
    push_index_matches(qb, word, "rowid");
    qb.push("))");
}

/// For a count with nothing but its words to narrow it (no column, date,
/// mediator or flag; every case of a committee holding most cases) and
/// every word tested case by case, the first read as the stream of its matches, each
/// case looked up once by its id, as `m CROSS JOIN cases c` (SQLite keeps a
/// CROSS JOIN's order): the count stops after its cap's worth of matches.
/// Tested case by case, the count read every case up to its cap's
/// worth, four for one match of `朝阳` (73 ms at 1,000,000 cases, 10 ms
/// now). The district's cases come first, and a match of the index in a
/// district already read is skipped. The caller writes the filter after
/// it, each condition with `AND`. False, with nothing written, when a
/// word is looked up in its index.
pub(super) fn push_stream(qb: &mut Sql, q: &str, from: Reading) -> bool {
    // A word looked up in its index leads instead: it is the rarer (a
    // stream of `物业` tested against `张伟` read 880,000 cases).
    let Some(&word) = words(q).first().filter(|_| all_probed(from, q)) else {
        return false;
    };
    qb.push("(");
    push_matches(qb, word);
    qb.push(") m CROSS JOIN cases c ON c.id = m.id WHERE (m.arm = 0 OR c.district NOT IN (");
    push_districts(qb, Backend::Sqlite, &anywhere(word));
    qb.push("))");
    true
}

/// The matches from which a word is tested case by case, among `cases`
/// (at least one, so an empty table tests nothing).
fn enough_matches(cases: i64) -> i64 {
    ceil_root(WEIGHT.saturating_mul(cases.max(0)))
}

/// [`enough_matches`] for a count narrowed by other conditions too.
fn enough_matches_narrowed(cases: i64) -> i64 {
    ceil_root(WEIGHT_NARROWED.saturating_mul(cases.max(0)))
}

/// The square root of `product`, rounded up, at least one.
fn ceil_root(product: i64) -> i64 {
    // The integer square root, rounded up.
    let mut root = product.isqrt();
    if root * root < product {
        root += 1;
    }
    root.max(1)
}

/// Whether word `i` of the search is tested case by case.
pub(super) fn probed(reading: Reading, i: usize) -> bool {
    matches!(reading, Reading::CasesProbing(w) if i < 8 && w.probed & (1 << i) != 0)
}

/// Whether word `i` of the search is common but looked up in its index
/// ([`push_common`]).
pub(super) fn common(reading: Reading, i: usize) -> bool {
    matches!(reading, Reading::CasesProbing(w) if i < 8 && w.common & !w.probed & (1 << i) != 0)
}

/// Whether some word of `q` is looked up in its index and in few cases, so
/// that its matches should lead the plan.
pub fn some_rare(reading: Reading, q: &str) -> bool {
    let common = match reading {
        Reading::CasesProbing(w) => w.common | w.probed,
        _ => 0,
    };
    (0..words(q).len()).any(|i| i >= 8 || common & (1 << i) == 0)
}

/// Whether every word of `q` is tested case by case, so that no index of
/// matches is there to lead the plan.
pub fn all_probed(reading: Reading, q: &str) -> bool {
    let n = words(q).len();
    n > 0 && (0..n).all(|i| probed(reading, i))
}

/// A word tested on the case `c` ([`testable`]): in its
/// district's name, number, project, summary or a party's name, as its
/// index holds them (ASCII lowercased). The district comes first:
/// one look-up in a list of a few codes, which settles most cases when the
/// word names a district (`朝阳`: 180,000 of 1,000,000 cases). A word with
/// no ASCII letter is found in a field exactly where it is found in the
/// field lowercased, so the fields are read as they are (a fifth faster).
pub(super) fn push_probe(qb: &mut Sql, word: &str) {
    let lowered = word.to_ascii_lowercase();
    let field = |column: &str| {
        if word.bytes().any(|b| b.is_ascii_alphabetic()) {
            format!("lower({column})")
        } else {
            column.to_string()
        }
    };
    qb.push("(c.district IN (");
    push_districts(qb, Backend::Sqlite, &anywhere(word));
    qb.push(")");
    for column in ["c.project", "c.summary", "c.case_no"] {
        qb.push(format!(" OR instr({}, ", field(column)))
            .push_bind(lowered.clone())
            .push(") > 0");
    }
    qb.push(format!(
        " OR EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND instr({}, ",
        field("p.name")
    ))
    .push_bind(lowered)
    .push(") > 0))");
}

#[cfg(test)]
mod tests {
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
            "物业", "物", "b座", "B", "zh", "ZH", "'b", "张伟", "伟", "〔", "号", "朝阳", "朝", "Ch", "区", "é", "É",
            "%", "_", "0%", "x", "水",
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
}
