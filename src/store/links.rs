//! The mediators linked to a case or to a session: written by replacing
//! the whole set, so the form's list is what is stored.

use crate::store::Backend;
use crate::store::sql::{Sql, values};

/// Which set of mediator links.
#[derive(Debug, Clone, Copy)]
pub enum MediatorLinks {
    Case,
    Session,
}

impl MediatorLinks {
    /// The table and its owner column: fixed names, never user input.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            MediatorLinks::Case => ("case_mediators", "case_id"),
            MediatorLinks::Session => ("session_mediators", "session_id"),
        }
    }
}

/// Replaces the mediators linked to `owner` with `mediator_ids`. The
/// links kept are left alone: each link written or deleted moves its
/// mediator's figures in the summary through triggers, and most edits
/// keep their mediators. On SQLite both statements go as one batch.
pub async fn replace(
    conn: &mut crate::store::Conn<'_>,
    links: MediatorLinks,
    owner: i64,
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    let (delete, insert) = statements(links, owner, mediator_ids);
    match insert {
        Some(insert) if conn.backend() == Backend::Sqlite => {
            let mut batch = delete;
            batch.then(insert);
            batch.execute_in(conn).await?;
        }
        Some(insert) => {
            delete.execute_in(conn).await?;
            insert.execute_in(conn).await?;
        }
        None => {
            delete.execute_in(conn).await?;
        }
    }
    Ok(())
}

/// [`replace`]'s statements appended to a SQLite batch, so a write path
/// sends them with its own in one hand-over to the connection's thread.
pub fn push_replace(batch: &mut Sql, links: MediatorLinks, owner: i64, mediator_ids: &[i64]) {
    let (delete, insert) = statements(links, owner, mediator_ids);
    batch.then(delete);
    if let Some(insert) = insert {
        batch.then(insert);
    }
}

/// The delete of the links dropped, and the insert of those added (none
/// without mediators).
fn statements(links: MediatorLinks, owner: i64, mediator_ids: &[i64]) -> (Sql, Option<Sql>) {
    let (table, column) = links.table();
    let mut delete = Sql::new(format!("DELETE FROM {table} WHERE {column} = "));
    delete.push_bind(owner);
    if !mediator_ids.is_empty() {
        delete.push(" AND mediator_id NOT IN (");
        for (i, &m) in mediator_ids.iter().enumerate() {
            if i > 0 {
                delete.push(", ");
            }
            delete.push_bind(m);
        }
        delete.push(")");
    }
    let head = format!("INSERT INTO {table} ({column}, mediator_id) VALUES ");
    let insert = values(
        &head,
        " ON CONFLICT DO NOTHING",
        mediator_ids.len(),
        &mut mediator_ids.iter(),
        |q, &m| {
            q.push_bind(owner).push(", ").push_bind(m);
        },
    );
    (delete, insert)
}
