//! PostgreSQL's search rows read as the cases themselves, when they
//! answer a filter alone, and the check that their copy of the filtered
//! columns is exact.

use super::query::{anywhere, indexable, like_for};
use crate::domain::CaseFilter;
use crate::domain::search::{PhoneSearch, phone_digits, words};
use crate::store::sql::Sql;

/// The search rows on PostgreSQL as the case list reads them when they
/// answer a filter alone ([`rows_answer`]): named and shaped as `cases c`
/// for the columns they hold a copy of (PostgreSQL migration 0012), so
/// `store::cases::push_filter` writes the same conditions on them. The
/// planner sees through the subquery: the filters and the words meet in
/// the one GIN index, and a page's order (date received, id) is read from
/// the same rows, so neither the count nor the page looks up a case.
pub const ROWS: &str = "(SELECT case_id AS id, status, category, source, district, received_on, committee_id,
        case_search_doc(case_no, project, summary, parties) AS doc FROM case_search) c";

/// How a case list reads a filter's search: what its query reads as `c`,
/// and how each word's ways of matching are written ([`super::push_search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// `cases c`, each word's ways of matching as one set of ids: its
    /// matches in the index, the cases of a district whose name holds it,
    /// a phone's. For SQLite, and where no one asked [`reading`].
    Cases,
    /// `cases c` on PostgreSQL, no word being in a district's name: each
    /// word's matches in the index alone. A case has one search row, so
    /// PostgreSQL joins them to the cases one to one and stops at a page's
    /// or a count's LIMIT; the union with the (empty) district made it
    /// gather, de-duplicate and sort every match first (`q=物业`, a word in
    /// half the cases: 9.3 s at 1,000,000 cases).
    CasesByWord,
    /// `cases c` on PostgreSQL, a word being in a district's name: each case
    /// tested against the word's district or its matches in turn, so a page
    /// walks the cases in its order and stops. The district's cases are
    /// many (180,000 of 1,000,000), and joining them took 2 s for a page.
    /// A short word's matches are looked up for each case tested: collected
    /// first, `朝阳`'s 60,000 fetched as many rows of `case_grams` (250 ms
    /// for a page that tests 260 cases, 1 ms now).
    CasesInOrder,
    /// [`Reading::CasesInOrder`] for a count ([`Reading::counted`]): each
    /// word's matches collected once, as a count tests many cases.
    CasesWithDistrict,
    /// `cases c` on SQLite, the words [`Weights::probed`] names tested on
    /// each case's own fields, the others looked up in their index: a
    /// short word in a tenth of the cases or more (`super::probe`).
    CasesProbing(Weights),
    /// PostgreSQL's search rows alone ([`ROWS`]).
    Rows,
}

/// SQLite's search words weighed by the cases that hold them, a bit for
/// each (bit `i` for the `i`-th word; see `super::probe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Weights {
    /// Tested on each case's own fields.
    pub probed: u8,
    /// In many cases: a word in neither mask is rare, and its matches lead
    /// the plan (`+c.` on the filtered columns).
    pub common: u8,
    /// Tested case by case in a count narrowed by other conditions too; a
    /// common word not in it is looked up there (see [`Reading::counted`]).
    pub most: u8,
}

impl Weights {
    /// Every word of `mask` common and tested case by case, in a page and in
    /// its count.
    pub fn probing(mask: u8) -> Weights {
        Weights {
            probed: mask,
            common: mask,
            most: mask,
        }
    }
}

impl Reading {
    /// How the count of a list read this way reads its search: on SQLite,
    /// a word tested case by case in the page may be looked up for the
    /// count ([`Weights::most`]); on PostgreSQL a word looked up case by
    /// case is collected ([`Reading::CasesWithDistrict`]). A page stops after its rows; a count
    /// narrowed by a column too reads its column's cases up to its cap, and
    /// testing each costs more than collecting the word's matches once
    /// unless the word is in most of them.
    pub fn counted(self) -> Reading {
        match self {
            Reading::CasesProbing(w) => Reading::CasesProbing(Weights { probed: w.most, ..w }),
            Reading::CasesInOrder => Reading::CasesWithDistrict,
            other => other,
        }
    }

    /// What the query reads as `c`.
    pub fn table(self) -> &'static str {
        match self {
            Reading::Cases
            | Reading::CasesByWord
            | Reading::CasesInOrder
            | Reading::CasesWithDistrict
            | Reading::CasesProbing(_) => "cases c",
            Reading::Rows => ROWS,
        }
    }
}

/// How the case list reads this filter's search ([`Reading`]): without a
/// search, `cases` as always; on SQLite, `cases` with its common short
/// words tested case by case (`super::probe`). On PostgreSQL a word in a
/// district's name reads the cases in order; otherwise the search rows
/// answer alone when every word is long enough for the trigram index, no
/// word could be a phone number searched (each of which matches cases
/// whose document lacks the word), and there is no deadline flag (which
/// reads columns the search rows hold no copy of); else the cases, word by
/// word.
pub async fn reading(conn: &mut crate::store::Conn<'_>, filter: &CaseFilter) -> Result<Reading, sqlx::Error> {
    let Some(q) = &filter.q else {
        return Ok(Reading::Cases);
    };
    let pg = match conn {
        crate::store::Conn::Postgres(pg) => pg,
        crate::store::Conn::Sqlite(lite) => {
            return super::probe::reading(lite, q, filter).await;
        }
    };
    let words = words(q);
    if words.is_empty() {
        return Ok(Reading::Cases);
    }
    let patterns: Vec<String> = words.iter().map(|w| anywhere(w)).collect();
    // LIKE's default escape character is the backslash, as `anywhere` writes.
    let in_a_district: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM districts WHERE label_zh ILIKE ANY($1) OR label_en ILIKE ANY($1))",
    )
    .bind(&patterns)
    .fetch_one(&mut **pg)
    .await?;
    if in_a_district {
        return Ok(Reading::CasesInOrder);
    }
    let phones = filter.phones != PhoneSearch::Off && words.iter().any(|w| phone_digits(w).is_some());
    if filter.flag.is_some() || !words.iter().all(|w| indexable(w)) || phones {
        return Ok(Reading::CasesByWord);
    }
    Ok(Reading::Rows)
}

/// The search's conditions on [`ROWS`]: every word in the document.
pub fn push_on_rows(qb: &mut Sql, q: &str) {
    for word in words(q) {
        qb.push(format!(" AND c.doc {} ", like_for(word)))
            .push_bind(anywhere(word))
            .push(" ESCAPE '\\'");
    }
}

/// The search rows on PostgreSQL whose copy of the case's filtered columns
/// (PostgreSQL migration 0012) differs from the case; 0 when every write kept them
/// exact, and always on SQLite, which keeps no copy. For tests and for
/// checking a database by hand, as `store::stats::summary_drift`.
pub async fn filter_drift(pool: &crate::store::Db) -> Result<i64, sqlx::Error> {
    let crate::store::Db::Postgres(pg) = pool else {
        return Ok(0);
    };
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM case_search s JOIN cases c ON c.id = s.case_id
         WHERE (s.status, s.category, s.source, s.district, s.received_on, s.committee_id)
               IS DISTINCT FROM (c.status, c.category, c.source, c.district, c.received_on, c.committee_id)",
    )
    .fetch_one(pg)
    .await
}
