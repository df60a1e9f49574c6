//! Substring search through two indexes: the `case_search` trigram index
//! (migration 0005) finds words of three characters or more, `case_grams`
//! (migration 0019) words of one or two characters. Both find the cases a
//! LIKE over the columns themselves would find, without reading every case.
//! How a word is matched is `query` (and `rows`, PostgreSQL's search rows
//! when they answer a filter alone; `probe`, SQLite's common short words
//! tested case by case); how the indexes are kept, `index`.

mod grams;
mod index;
mod probe;
mod query;
mod rows;
mod settle;

pub use grams::{DOCUMENTS_PER_STATEMENT, Document, Documents, document, documents_ahead, insert_documents, unstage};
#[cfg(test)]
pub(crate) use index::gram_index;
#[cfg(test)]
pub(crate) use index::tests::case as case_input;
pub use index::{bulk_pending, index_case, index_new, index_new_with, push_index_case};
pub use probe::{all_probed, some_rare};
pub(crate) use query::push_equal_columns;
pub use query::{MIN_CHARS, gram_token, indexable, phrase, push_search};
pub use rows::{ROWS, Reading, Weights, filter_drift, push_on_rows, reading};
pub use settle::settle;

use crate::store::Backend;
use crate::store::sql::Sql;

/// The search tables, whose indexes a bulk load sets aside while it fills
/// them (PostgreSQL's GIN indexes; none on SQLite, where they are FTS5
/// tables).
pub const TABLES: &[&str] = &["case_search", "case_grams"];

/// For a count narrowed by its words alone, the stream of the first
/// word's matches it reads instead of `cases c` (SQLite's common words,
/// [`probe`]; PostgreSQL's word in a district's name, [`query`]); the
/// caller writes the filter after it, each condition with `AND`. False,
/// with nothing written, when the search is read otherwise.
pub fn push_stream(qb: &mut Sql, b: Backend, q: &str, from: Reading) -> bool {
    match b {
        Backend::Sqlite => probe::push_stream(qb, q, from),
        Backend::Postgres => query::push_postgres_stream(qb, q, from),
    }
}
