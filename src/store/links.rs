//! The mediators linked to a case or to a session: written by replacing
//! the whole set, so the form's list is what is stored.

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
    let delete = format!("DELETE FROM {table} WHERE {column} = ?");
    sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(owner)
        .execute(conn.sqlite()?)
        .await?;
    let insert = format!("INSERT INTO {table} ({column}, mediator_id) VALUES (?, ?)");
    for m in mediator_ids {
        sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
            .bind(owner)
            .bind(m)
            .execute(conn.sqlite()?)
            .await?;
    }
    Ok(())
}
