//! How a word is matched: the conditions a search adds to the case list,
//! through the trigram and gram indexes, a district's name or a phone.

use super::Reading;
use super::{grams, probe};
use crate::domain::CaseFilter;
use crate::domain::search::{PhoneSearch, phone_digits, words};
use crate::store::Backend;
use crate::store::dialect::like;
use crate::store::sql::Sql;

/// The shortest query the index can answer.
pub const MIN_CHARS: usize = 3;

/// True when the index can answer this query.
pub fn indexable(q: &str) -> bool {
    q.chars().count() >= MIN_CHARS
}

/// The query as one FTS5 phrase: the whole text as a substring, with no
/// operators (quotes doubled, as FTS5 string literals want).
pub fn phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// A word of one or two characters as the token `case_grams` holds for it
/// (migration 0019): the hex of its UTF-8 bytes, lowercased as SQLite's
/// lower() does (ASCII only).
pub fn gram_token(word: &str) -> String {
    let mut token = String::with_capacity(word.len() * 2);
    grams::push_token(&mut token, word);
    token
}

/// A LIKE pattern finding `text` anywhere (with `ESCAPE '\\'`).
pub(super) fn anywhere(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
    )
}

/// Adds the search's conditions: every word must match the case number,
/// project, summary or a party's name, or the label of the case's
/// district, or (when `phones` allows) the end of a party's phone number.
///
/// A word is one `IN` over the union of the ways' case ids, on both
/// backends: an OR between `IN`s makes the planner test every case against
/// each (on PostgreSQL a word found nowhere read all of them, 250 ms at
/// 200,000 cases), where the union hands it the few matching ids. On
/// SQLite the union is tested from the rowid alone, where the OR read each
/// case's row for its district: a count of the most common category with
/// a project's name took 224 ms at 1,000,000 cases, 62 ms now.
///
/// On PostgreSQL a word of three characters or more also carries the
/// filter's own conditions into its subquery, where the search rows' copy of
/// the filtered columns (PostgreSQL migration 0012) meets the word in one index scan.
/// The list tests the same conditions on `cases`: the same cases either way.
///
/// How the ways are written follows `reading` ([`Reading`]): with
/// [`Reading::CasesByWord`] the district is left out (no word is in a
/// district's name), with [`Reading::CasesInOrder`] each case is tested
/// against the word's matches or the district in turn; with
/// [`Reading::CasesProbing`] a word whose bit is set is tested on each
/// case's own fields ([`probe`]), and a common word not tested is written
/// for a narrowed count ([`probe::push_common`]).
pub fn push_search(qb: &mut Sql, b: Backend, q: &str, filter: &CaseFilter, reading: Reading) {
    let phones = filter.phones;
    let or = " UNION ALL ";
    for (i, word) in words(q).into_iter().enumerate() {
        let pattern = anywhere(word);
        if probe::probed(reading, i) {
            qb.push(" AND ");
            probe::push_probe(qb, word);
            continue;
        }
        if probe::common(reading, i) {
            qb.push(" AND ");
            probe::push_common(qb, word);
            continue;
        }
        if b == Backend::Postgres && reading == Reading::CasesInOrder && !indexable(word) {
            qb.push(" AND (c.district IN (");
            push_districts(qb, b, &pattern);
            qb.push(") OR ");
            push_grams_of_case(qb, word);
            qb.push(")");
            continue;
        }
        qb.push(" AND (c.id IN (");
        if b == Backend::Postgres {
            push_postgres_word(qb, word, filter);
        } else if indexable(word) {
            // Same cases as a LIKE over the columns, found through the trigram index.
            qb.push("SELECT rowid FROM case_search WHERE case_search MATCH ")
                .push_bind(phrase(word));
        } else {
            // Shorter words through the gram index.
            qb.push("SELECT rowid FROM case_grams WHERE case_grams MATCH ")
                .push_bind(phrase(&gram_token(word)));
        }
        if let Some(digits) = phone_digits(word).filter(|_| phones != PhoneSearch::Off) {
            qb.push(or);
            push_phone(qb, b, &digits, phones);
        }
        match reading {
            Reading::CasesByWord => {
                qb.push("))");
            }
            Reading::CasesInOrder | Reading::CasesWithDistrict => {
                qb.push(") OR c.district IN (");
                push_districts(qb, b, &pattern);
                qb.push("))");
            }
            Reading::Cases | Reading::CasesProbing(_) | Reading::Rows => {
                qb.push(or).push("SELECT id FROM cases WHERE district IN (");
                push_districts(qb, b, &pattern);
                qb.push(")))");
            }
        }
    }
}

/// The codes of the districts whose name holds the word (none, the usual
/// case).
pub(super) fn push_districts(qb: &mut Sql, b: Backend, pattern: &str) {
    let like = like(b);
    qb.push(format!("SELECT code FROM districts WHERE label_zh {like} "))
        .push_bind(pattern.to_string())
        .push(format!(" ESCAPE '\\' OR label_en {like} "))
        .push_bind(pattern.to_string())
        .push(" ESCAPE '\\'");
}

/// The cases with a party whose phone number ends in these digits (the
/// mediator's own cases only, with [`PhoneSearch::CasesOf`]).
fn push_phone(qb: &mut Sql, b: Backend, digits: &str, phones: PhoneSearch) {
    // Stored numbers keep their dashes, brackets and +86: compare
    // digits, by the end. The last four go through the expression
    // index `parties_phone_tail` (migration 0013), so no scan.
    // PostgreSQL's index is on `right(phone, 4)` (see its schema).
    let tail = digits[digits.len() - 4..].to_string();
    let tail_of_phone = match b {
        Backend::Sqlite => "SELECT p.case_id FROM parties p WHERE substr(p.phone, -4)",
        Backend::Postgres => "SELECT p.case_id FROM parties p WHERE right(p.phone, 4)",
    };
    qb.push(format!("{tail_of_phone} = "))
        .push_bind(tail)
        .push(
            " AND replace(replace(replace(replace(replace(p.phone, '-', ''), '(', ''), ')', ''), '（', ''), '）', '')
              LIKE ",
        )
        .push_bind(format!("%{digits}"));
    if let PhoneSearch::CasesOf(m) = phones {
        qb.push(" AND p.case_id IN (SELECT case_id FROM case_mediators WHERE mediator_id = ")
            .push_bind(m)
            .push(")");
    }
}

/// A word's case ids on PostgreSQL: three characters or more through the
/// trigram index on `case_search_doc(...)` (case ignored, as FTS5's trigram
/// tokenizer does); shorter words through the GIN index of `case_grams`,
/// which holds each case's grams lowercased as SQLite's lower() does (ASCII
/// only), as codes (migration 0003).
fn push_postgres_word(qb: &mut Sql, word: &str, filter: &CaseFilter) {
    if indexable(word) {
        qb.push(format!(
            "SELECT case_id FROM case_search
             WHERE case_search_doc(case_no, project, summary, parties) {} ",
            like_for(word)
        ))
        .push_bind(anywhere(word))
        .push(" ESCAPE '\\'");
        push_copied_filters(qb, filter);
    } else {
        qb.push("SELECT case_id FROM case_grams WHERE grams @> ARRAY[CAST(")
            .push_bind(grams::gram_code(&word.to_ascii_lowercase()))
            .push(" AS BIGINT)]");
    }
}

/// PostgreSQL: whether the case `c`'s gram row holds a short word, looked
/// up by the case's id. `OFFSET 0` keeps the planner from turning the
/// EXISTS into a hashed set of every match, which fetches each of them.
fn push_grams_of_case(qb: &mut Sql, word: &str) {
    qb.push("EXISTS (SELECT 1 FROM case_grams g WHERE g.case_id = c.id AND g.grams @> ARRAY[CAST(")
        .push_bind(grams::gram_code(&word.to_ascii_lowercase()))
        .push(" AS BIGINT)] OFFSET 0)");
}

/// The count of a list narrowed by one short word alone in a district's
/// name ([`Reading::CasesInOrder`]), on PostgreSQL: the word's matches as one
/// stream, the district's cases (arm 0) then the index's (arm 1), each
/// case joined once, so the count stops at its cap (`q=朝阳`: the district's
/// first 10,001 cases, where collecting the index's 60,000 matches first
/// fetched as many rows). The caller writes the filter after it. False,
/// with nothing written, for any other search.
pub(super) fn push_postgres_stream(qb: &mut Sql, q: &str, from: Reading) -> bool {
    let words = words(q);
    let [word] = words.as_slice() else {
        return false;
    };
    // A longer word's matches are few, and its count reads them as well
    // as the list's order does (`朝阳区`: 30 ms, 90 ms streamed).
    if from != Reading::CasesInOrder || indexable(word) {
        return false;
    }
    let districts = anywhere(word);
    qb.push("(SELECT id, 0 AS arm FROM cases WHERE district IN (");
    push_districts(qb, Backend::Postgres, &districts);
    qb.push(") UNION ALL SELECT case_id, 1 FROM (");
    push_postgres_word(qb, word, &CaseFilter::default());
    qb.push(") w) m JOIN cases c ON c.id = m.id WHERE (m.arm = 0 OR c.district NOT IN (");
    push_districts(qb, Backend::Postgres, &districts);
    qb.push("))");
    true
}

/// The filter's conditions on the columns `case_search` holds a copy of
/// on PostgreSQL (migration 0012), as `store::cases::push_filter` writes
/// them on `cases`. A list without a status asks for every status but
/// `voided`, which no index answers: left to `cases`.
fn push_copied_filters(qb: &mut Sql, filter: &CaseFilter) {
    push_equal_columns(qb, "", filter);
    if let Some(d) = filter.from {
        qb.push(" AND received_on >= ").push_bind(d);
    }
    if let Some(d) = filter.to {
        qb.push(" AND received_on <= ").push_bind(d);
    }
}

/// The filter's status (when one is asked for), category, source and
/// district as equalities on the columns `{prefix}status` and so on: the
/// case list's on `cases`, and the search rows' copies of them.
pub(crate) fn push_equal_columns(qb: &mut Sql, prefix: &str, filter: &CaseFilter) {
    if let Some(s) = filter.status {
        qb.push(format!(" AND {prefix}status = ")).push_bind(s.code());
    }
    for (column, value) in [
        ("category", &filter.category),
        ("source", &filter.source),
        ("district", &filter.district),
    ] {
        if let Some(v) = value {
            qb.push(format!(" AND {prefix}{column} = ")).push_bind(v.clone());
        }
    }
}

/// How PostgreSQL compares a word with a document, ignoring ASCII case
/// as SQLite does: `ILIKE`, which lowercases the whole document first; or,
/// for a word of Chinese characters and digits alone, `LIKE`, which finds
/// the same documents (no character lowercases to one of those) and
/// rechecks the trigram index's candidates in 40 % less time.
pub(super) fn like_for(word: &str) -> &'static str {
    if caseless(word) { "LIKE" } else { "ILIKE" }
}

/// A word of Chinese characters and digits alone: no case folding, ASCII
/// or Unicode, changes any of them.
pub(super) fn caseless(word: &str) -> bool {
    word.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_becomes_one_quoted_phrase() {
        assert_eq!(phrase("阳光花园"), "\"阳光花园\"");
        assert_eq!(phrase("a\"b OR c"), "\"a\"\"b OR c\"");
        assert!(indexable("阳光花"));
        assert!(!indexable("张三"));
        assert_eq!(gram_token("张"), "E5BCA0");
        assert_eq!(gram_token("Zz"), "7A7A");
    }

    #[test]
    fn only_a_word_no_letter_case_touches_is_compared_by_like() {
        assert_eq!(like_for("阳光花园"), "LIKE");
        assert_eq!(like_for("2026年"), "LIKE");
        for word in ["阳光B座", "Zhang", "ÉTÉ", "i\u{307}x", "（物业）"] {
            assert_eq!(like_for(word), "ILIKE", "{word}");
        }
    }

    /// At a million cases a phone search must not read every party.
    #[tokio::test]
    async fn a_phone_search_looks_up_the_last_four_digits_in_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("plan.db")).await.unwrap();
        let mut qb = Sql::new("EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE 1 = 1");
        let filter = CaseFilter {
            phones: PhoneSearch::AllCases,
            ..CaseFilter::default()
        };
        push_search(&mut qb, Backend::Sqlite, "13812341234", &filter, Reading::Cases);
        let rows: Vec<(i64, i64, i64, String)> = qb.fetch_all(&pool).await.unwrap();
        let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
        assert!(plan.iter().any(|l| l.contains("parties_phone_tail")), "{plan:#?}");
    }
}
