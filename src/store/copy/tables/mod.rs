//! What `accord copy` moves: every table of the schema with its columns
//! and their kinds, and the tables it leaves out, each with its reason (a
//! test holds both lists against both schemas).
//!
//! The list is long, so its parts live in modules of their own, in the
//! list's order: `installation` (the reference lists, the
//! official maps, organisations, mediators and users), `cases` (the cases
//! and what is filed under them), `records` (the logs, the tokens and a
//! child installation's reported lines) and `summaries` (the tables the
//! triggers keep). [`TABLES`] lays them end to end.

mod cases;
mod installation;
mod records;
mod summaries;

use crate::domain::joined::{joined, total};

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BIGINT on PostgreSQL, INTEGER on SQLite (ids, fen, counts).
    Int,
    /// TEXT (CITEXT for user names on PostgreSQL), also timestamps and JSON.
    Text,
    /// A calendar day: DATE on PostgreSQL, `YYYY-MM-DD` on SQLite.
    Date,
    /// A flag: BOOLEAN on PostgreSQL, 0/1 on SQLite.
    Bool,
}

/// A table as the copy moves it.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// Every column of the table, in the schema's order.
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key: the order rows are read in, and the conflict
    /// target of a seeded table.
    pub key: &'static [&'static str],
    /// Rows the migrations put there already (the reference lists, the
    /// data version): written over, not added.
    pub seeded: bool,
    /// A summary table: copied after the base tables, with the triggers
    /// back (they write nothing to it then: no case is inserted).
    pub summary: bool,
    /// Columns whose sums must agree after the copy (money, counts).
    pub sums: &'static [&'static str],
}

const fn base(
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: &'static [&'static str],
    sums: &'static [&'static str],
) -> Table {
    Table {
        name,
        columns,
        key,
        seeded: false,
        summary: false,
        sums,
    }
}

/// The parts of [`TABLES`], in order: parents before children.
const PARTS: &[&[Table]] = &[
    installation::INSTALLATION,
    cases::CASES,
    records::RECORDS,
    summaries::SUMMARIES,
];

/// Every table the copy moves, parents before children. A test holds this
/// list to both schemas: each table's columns, and every table either here
/// or in [`NOT_COPIED`].
pub const TABLES: &[Table] = &joined::<Table, { total(PARTS) }>(PARTS);

/// The tables of the schemas the copy leaves out, and why.
pub const NOT_COPIED: &[(&str, &str)] = &[
    (
        "http_sessions",
        "signed-in cookies: everyone signs in again on the target",
    ),
    (
        "stats_deferred",
        "empty outside a bulk write's transaction; the copy uses it itself",
    ),
    ("case_search", "the search index: built again on the target"),
    ("case_grams", "the short-word index: built again on the target"),
    ("_sqlx_migrations", "each database's own migrations"),
    (
        "search_positions",
        "SQLite's fixed positions 1..10000 for the gram view",
    ),
];
