//! Bulk loads (the demo, an import at least as big as what is stored):
//! a table's secondary indexes are set aside for the load and built again
//! after it, in the same transaction. Building an index sorts its rows
//! once; keeping it during the load inserts every row into every index at
//! a random place, which costs more as soon as the load is as big as the
//! table. A rollback or a crash puts the indexes back with everything else.
//!
//! SQLite only: on PostgreSQL a load writes in batches with its indexes in
//! place (dropping an index there takes a lock every reader waits on, and
//! the server's own bulk paths make up the difference), so nothing is set
//! aside and nothing rebuilt.

use crate::store::Conn;

/// The `CREATE INDEX` statements of the indexes set aside, to run again.
#[must_use = "the indexes must be restored before the transaction commits"]
pub struct IndexesAside(Vec<String>);

/// Drops the secondary indexes of `tables` (not those that enforce a
/// primary key or a UNIQUE constraint, which have no SQL of their own).
pub async fn set_indexes_aside(
    conn: &mut crate::store::Conn<'_>,
    tables: &[&str],
) -> Result<IndexesAside, sqlx::Error> {
    let mut aside = Vec::new();
    let Conn::Sqlite(conn) = conn else {
        return Ok(IndexesAside(aside));
    };
    for table in tables {
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        )
        .bind(table)
        .fetch_all(&mut **conn)
        .await?;
        for (name, sql) in indexes {
            // An identifier cannot be bound; this one comes from the schema itself.
            let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
            sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut **conn).await?;
            aside.push(sql);
        }
    }
    Ok(IndexesAside(aside))
}

impl IndexesAside {
    /// Builds every index set aside again.
    pub async fn restore(self, conn: &mut crate::store::Conn<'_>) -> Result<(), sqlx::Error> {
        // Empty on PostgreSQL, where nothing was set aside.
        for sql in self.0 {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(conn.sqlite()?).await?;
        }
        Ok(())
    }
}

/// True when loading `new_rows` cases is worth setting the indexes aside:
/// the load is at least as big as the cases already stored (counted by
/// the highest id, which needs no scan: cases are never deleted). Never on
/// PostgreSQL (see the module's note).
pub async fn worth_setting_aside(conn: &mut crate::store::Conn<'_>, new_rows: usize) -> Result<bool, sqlx::Error> {
    let Conn::Sqlite(conn) = conn else {
        return Ok(false);
    };
    let stored: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM cases")
        .fetch_one(&mut **conn)
        .await?;
    Ok(new_rows as i64 >= stored.max(1))
}

/// After a bulk load on PostgreSQL, the planner's statistics: until
/// autovacuum comes round, a table just filled reads as nearly empty and the
/// planner picks nested loops over thousands of rows (a mediator's work list
/// took 2 s on 20,000 fresh demo cases, 13 ms after `ANALYZE`). SQLite
/// plans from its indexes alone here: nothing to do.
pub async fn refresh_statistics(conn: &mut crate::store::Conn<'_>) -> Result<(), sqlx::Error> {
    if let crate::store::Conn::Postgres(c) = conn {
        sqlx::query("ANALYZE").execute(&mut **c).await?;
    }
    Ok(())
}
