//! The mediators linked to a case or to a session: written by replacing
//! the whole set, so the form's list is what is stored.

use crate::on_db;

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

/// Replaces the mediators linked to `owner` with `mediator_ids`.
pub async fn replace(
    conn: &mut crate::store::Conn<'_>,
    links: MediatorLinks,
    owner: i64,
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    let (table, column) = links.table();
    let delete = format!("DELETE FROM {table} WHERE {column} = $1");
    on_db!(conn, |e| {
        sqlx::query(sqlx::AssertSqlSafe(delete.as_str()))
            .bind(owner)
            .execute(e)
            .await
            .map(|_| ())
    })?;
    let insert = format!("INSERT INTO {table} ({column}, mediator_id) VALUES ($1, $2)");
    for m in mediator_ids {
        on_db!(conn, |e| {
            sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                .bind(owner)
                .bind(m)
                .execute(e)
                .await
                .map(|_| ())
        })?;
    }
    Ok(())
}
