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
//! more cases than that, estimated from the newest cases ([`SAMPLE`](narrowed::SAMPLE)),
//! and looks the others up; the page still tests them, as it stops after
//! its rows.

mod narrowed;

use super::query::{anywhere, caseless, indexable, push_districts};
use super::{Reading, Weights, gram_token, phrase};
use crate::domain::CaseFilter;
use crate::domain::search::{phone_digits, words};
use crate::store::sql::Sql;
use crate::store::{Backend, Conn};
use narrowed::{column_rarer, enough_matches_narrowed, sample};

/// `matches² ≥ WEIGHT × cases` makes a word tested case by case
/// (1.7 × the list's cap of 10,000; see the module's note).
const WEIGHT: i64 = 17_000;

/// How SQLite reads a search's words: [`Reading::CasesProbing`] with the
/// words found in enough cases to be tested case by case, or
/// [`Reading::Cases`] when there is none. Only words `instr` finds exactly
/// where their index does are weighed ([`testable`]). A list narrowed by
/// other conditions too (`narrowed`) weighs a word by its share of the
/// newest cases ([`SAMPLE`](narrowed::SAMPLE)), which also says whether its count tests it
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
mod tests;
