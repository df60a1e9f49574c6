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

use super::query::{anywhere, caseless, indexable, push_districts};
use super::{Reading, gram_token, phrase};
use crate::domain::search::{phone_digits, words};
use crate::store::sql::Sql;
use crate::store::{Backend, Conn};

/// `matches² ≥ WEIGHT × cases` makes a word tested case by case
/// (1.7 × the list's cap of 10,000; see the module's note).
const WEIGHT: i64 = 17_000;

/// How SQLite reads a search's words: [`Reading::CasesProbing`] with the
/// words found in enough cases to be tested case by case, or
/// [`Reading::Cases`] when there is none. Only words `instr` finds exactly
/// where their index does are weighed ([`testable`]).
pub(super) async fn reading(conn: &mut sqlx::SqliteConnection, q: &str) -> Result<Reading, sqlx::Error> {
    let words = words(q);
    if !words.iter().any(|w| testable(w)) {
        return Ok(Reading::Cases);
    }
    // The highest id: the number of cases, near enough, without a count.
    let cases: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases")
        .fetch_one(&mut *conn)
        .await?;
    let enough = enough_matches(cases);
    let mut probed = 0u8;
    for (i, word) in words.iter().enumerate() {
        if !testable(word) {
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
            probed |= 1 << i;
        }
    }
    Ok(if probed == 0 {
        Reading::Cases
    } else {
        Reading::CasesProbing(probed)
    })
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
    if indexable(word) {
        qb.push(") UNION ALL SELECT rowid, 1 FROM case_search WHERE case_search MATCH ")
            .push_bind(phrase(word));
    } else {
        qb.push(") UNION ALL SELECT rowid, 1 FROM case_grams WHERE case_grams MATCH ")
            .push_bind(phrase(&gram_token(word)));
    }
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
pub fn push_stream(qb: &mut Sql, q: &str, from: Reading) -> bool {
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
    let product = WEIGHT.saturating_mul(cases.max(0));
    // The integer square root, rounded up.
    let mut root = product.isqrt();
    if root * root < product {
        root += 1;
    }
    root.max(1)
}

/// Whether word `i` of the search is tested case by case.
pub(super) fn probed(reading: Reading, i: usize) -> bool {
    matches!(reading, Reading::CasesProbing(mask) if i < 8 && mask & (1 << i) != 0)
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
    use crate::domain::{CaseFilter, PartyRole};
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
            assert_eq!(found(&pool, q, Reading::CasesProbing(1)).await, looked_up, "{q:?}");
            some_found += usize::from(!looked_up.is_empty());
        }
        assert!(some_found > 15, "the words find cases");
        // Two words, each way in turn.
        for mask in [0b01, 0b10, 0b11] {
            assert_eq!(
                found(&pool, "物业 zh", Reading::CasesProbing(mask)).await,
                vec![1],
                "{mask}"
            );
            assert_eq!(
                found(&pool, "张伟 翠湖苑", Reading::CasesProbing(mask)).await,
                vec![2],
                "{mask}"
            );
        }
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
            Reading::CasesProbing(1),
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

    #[test]
    fn a_mask_names_the_words_tested() {
        let r = Reading::CasesProbing(0b101);
        assert!(probed(r, 0) && !probed(r, 1) && probed(r, 2) && !probed(r, 8));
        assert!(!probed(Reading::Cases, 0));
        assert!(all_probed(Reading::CasesProbing(0b11), "物业 王"));
        assert!(!all_probed(Reading::CasesProbing(0b01), "物业 王"));
        assert!(!all_probed(Reading::Cases, "物业"));
    }
}
