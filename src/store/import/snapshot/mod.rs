//! The audit snapshots of imported cases, written here from the rows the
//! import inserts rather than read back from the database (SQLite only):
//! the text `cases::snapshot_expr` makes of the same case, byte for byte
//! (the test `an_imported_case_s_audit_entry_is_its_snapshot` compares
//! them). Reading 50,000 cases back through the snapshot's subqueries took
//! a fifth of the time a big import held the write lock.
//!
//! Here the entries, staged and written; the text of one case in `case`,
//! the JSON as SQLite writes it in `json`.

mod case;
mod json;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, SqliteConnection};

use super::{ImportedCase, Stamp};
use crate::domain::CaseNo;
use case::of;

/// Audit entries an INSERT carries: 2 values each, under SQLite's 32,766.
const ENTRIES_PER_STATEMENT: usize = 1000;

/// Where the mediators an import creates stand among [`names`]: the n-th
/// (from 1) at `NEW + n`, after every mediator on record, as their ids
/// will be.
const NEW: i64 = i64::MAX / 2;

/// The mediators' names by id, those on record (every committee's: the
/// snapshot names whoever a case links).
pub(super) async fn names(conn: &mut SqliteConnection) -> Result<HashMap<i64, String>, sqlx::Error> {
    Ok(sqlx::query_as("SELECT id, name FROM mediators")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect())
}

/// The import's audit entries, one per case (ids from `first` on, in
/// order), each with the case's snapshot as `after`, made before they are
/// written: `names` are the mediators on record ([`names`]), with those
/// the import creates (`new_mediators`) after them.
#[derive(Debug, Default)]
pub(super) struct Entries {
    entries: Vec<(i64, String)>,
    /// Written into `temp.import_audit` already ([`Entries::stage`]).
    staged: bool,
}

impl Entries {
    pub(super) fn new(
        cases: &[ImportedCase],
        numbers: &[CaseNo],
        new_mediators: &[String],
        names: &HashMap<i64, String>,
        stamp: Stamp<'_>,
        first: i64,
    ) -> Entries {
        let mut names = names.clone();
        names.extend((1..).zip(new_mediators).map(|(n, name)| (NEW + n, name.clone())));
        let entries = (first..)
            .zip(cases)
            .zip(numbers)
            .map(|((id, c), number)| {
                let text = number.to_string();
                let ids: Vec<i64> = c
                    .case
                    .mediator_ids
                    .iter()
                    .map(|&m| if m < 0 { NEW - m } else { m })
                    .collect();
                (
                    id,
                    of(&c.row(Some(id), number, &text, stamp), &c.case.parties, &ids, &names),
                )
            })
            .collect();
        Entries { entries, staged: false }
    }

    /// Writes them into `temp.import_audit`, emptied first: the
    /// connection's own table, whose writing takes no lock of the
    /// database's, copied into the log under the lock ([`Entries::write`]).
    pub(super) async fn stage(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        sqlx::query("DROP TABLE IF EXISTS temp.import_audit")
            .execute(&mut *conn)
            .await?;
        sqlx::query("CREATE TEMP TABLE import_audit (id INTEGER, after TEXT)")
            .execute(&mut *conn)
            .await?;
        let mut entries = std::mem::take(&mut self.entries).into_iter().peekable();
        while entries.peek().is_some() {
            let chunk: Vec<(i64, String)> = entries.by_ref().take(ENTRIES_PER_STATEMENT).collect();
            // Plain `?`s, bound in order (see `cases::insert_many`).
            let mut sql = String::from("INSERT INTO temp.import_audit (id, after) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str("(?, ?)");
            }
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (id, after) in chunk {
                query = query.bind(id).bind(after);
            }
            query.execute(&mut *conn).await?;
        }
        self.staged = true;
        Ok(())
    }

    /// Writes them into the log, from the staging table (staged first if
    /// they are not yet).
    pub(super) async fn write(mut self, conn: &mut SqliteConnection, stamp: Stamp<'_>) -> Result<(), sqlx::Error> {
        if !self.staged {
            self.stage(&mut *conn).await?;
        }
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, entity, entity_id, case_id, action, before, after)
             SELECT ?, ?, 'case', id, id, 'import', NULL, after FROM temp.import_audit",
        )
        .bind(stamp.now)
        .bind(stamp.actor)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// Drops `temp.import_audit` (see [`Entries::stage`]).
pub(super) async fn unstage(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS temp.import_audit")
        .execute(conn)
        .await?;
    Ok(())
}
