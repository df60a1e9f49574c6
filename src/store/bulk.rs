//! Bulk loads (the demo, an import at least as big as what is stored):
//! a table's secondary indexes are set aside for the load and built again
//! after it, in the same transaction. Building an index sorts its rows
//! once; keeping it during the load inserts every row into every index at
//! a random place, which costs more as soon as the load is as big as the
//! table. A rollback or a crash puts the indexes back with everything else.
//!
//! On PostgreSQL too: there a million demo cases kept some thirty B-trees
//! and two GIN indexes up to date row by row, most of the load's time.
//! Dropping an index locks its table until the load commits, so readers of
//! those tables wait for the load: one transaction either way, and only
//! for a load at least as big as the table (an import), or the demo.

use crate::on_db;
use crate::store::Conn;

/// The statements that build again what was set aside (`CREATE INDEX`,
/// PostgreSQL's `ADD CONSTRAINT ... FOREIGN KEY`), to run in order.
#[must_use = "what was set aside must be restored before the transaction commits"]
pub struct Aside(Vec<String>);

/// Memory PostgreSQL may use to build each index again, for the load's
/// transaction only (the server's default, 64 MB, sorts a million cases'
/// rows on disk).
const PG_BUILD_MEMORY: &str = "SET LOCAL maintenance_work_mem = '256MB'";

/// Drops the secondary indexes of `tables` (not those that enforce a
/// primary key or a UNIQUE constraint, which have no SQL of their own on
/// SQLite and are constraints on PostgreSQL).
async fn set_indexes_aside(conn: &mut Conn<'_>, tables: &[&str]) -> Result<Aside, sqlx::Error> {
    let mut aside = Vec::new();
    for table in tables {
        let indexes: Vec<(String, String)> = match conn {
            Conn::Sqlite(c) => {
                sqlx::query_as(
                    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                )
                .bind(table)
                .fetch_all(&mut **c)
                .await?
            }
            Conn::Postgres(c) => {
                sqlx::query_as(
                    "SELECT ic.relname, pg_get_indexdef(i.indexrelid)
                     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = CAST($1 AS regclass)
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                     ORDER BY ic.relname",
                )
                .bind(table)
                .fetch_all(&mut **c)
                .await?
            }
        };
        for (name, sql) in indexes {
            // An identifier cannot be bound; this one comes from the schema itself.
            let drop = format!("DROP INDEX {}", quoted(&name));
            on_db!(conn, |e| sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(e)
                .await
                .map(|_| ()))?;
            aside.push(sql);
        }
    }
    Ok(Aside(aside))
}

/// On PostgreSQL, drops the foreign keys of `tables`, for a load whose rows
/// are consistent by construction (the demo's): each row's check is a
/// query of its own and locks the row it finds, while `ADD CONSTRAINT`
/// checks all the rows again in one join when [`Aside::restore`] runs.
/// SQLite checks a key by a look-up in the parent's primary key: nothing
/// to set aside.
async fn set_foreign_keys_aside(conn: &mut Conn<'_>, tables: &[&str]) -> Result<Aside, sqlx::Error> {
    let mut aside = Vec::new();
    let Conn::Postgres(c) = conn else {
        return Ok(Aside(aside));
    };
    for table in tables {
        let keys: Vec<(String, String)> = sqlx::query_as(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = CAST($1 AS regclass) AND contype = 'f' ORDER BY conname",
        )
        .bind(table)
        .fetch_all(&mut **c)
        .await?;
        // Identifiers cannot be bound; these come from the schema itself.
        let table = quoted(table);
        for (name, definition) in keys {
            let name = quoted(&name);
            let drop = format!("ALTER TABLE {table} DROP CONSTRAINT {name}");
            sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut **c).await?;
            aside.push(format!("ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"));
        }
    }
    Ok(Aside(aside))
}

/// [`set_indexes_aside`] and [`set_foreign_keys_aside`] of `tables`, for a
/// load whose rows are consistent by construction.
pub async fn set_aside(conn: &mut Conn<'_>, tables: &[&str]) -> Result<Aside, sqlx::Error> {
    let indexes = set_indexes_aside(&mut *conn, tables).await?;
    Ok(indexes.and(set_foreign_keys_aside(conn, tables).await?))
}

/// An identifier, quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Aside {
    /// This, then `other`, restored in that order.
    pub fn and(mut self, other: Aside) -> Aside {
        self.0.extend(other.0);
        self
    }

    /// Builds again everything set aside.
    pub async fn restore(self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        if let Conn::Postgres(c) = conn
            && !self.0.is_empty()
        {
            sqlx::query(PG_BUILD_MEMORY).execute(&mut **c).await?;
        }
        for sql in self.0 {
            on_db!(conn, |e| sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(e)
                .await
                .map(|_| ()))?;
        }
        Ok(())
    }
}

/// True when loading `new_rows` cases is worth setting the indexes aside:
/// the load is at least as big as the cases already stored (counted by
/// the highest id, which needs no scan: cases are never deleted).
pub async fn worth_setting_aside(conn: &mut Conn<'_>, new_rows: usize) -> Result<bool, sqlx::Error> {
    let stored: i64 = on_db!(conn, |e| {
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases")
            .fetch_one(e)
            .await
    })?;
    Ok(new_rows as i64 >= stored.max(1))
}

/// After a bulk load on PostgreSQL, the planner's statistics: until
/// autovacuum comes round, a table just filled reads as nearly empty and the
/// planner picks nested loops over thousands of rows (a mediator's work list
/// took 2 s on 20,000 fresh demo cases, 13 ms after `ANALYZE`). SQLite
/// plans from its indexes alone here: nothing to do.
pub async fn refresh_statistics(conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
    if let Conn::Postgres(c) = conn {
        // Accord's own tables only: a bare ANALYZE also reads the catalogs
        // shared by every database of the server, and waits for any other
        // database's ANALYZE of them (a test's demo waited out its 10 s
        // lock timeout beside a million-case load).
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .fetch_all(&mut **c)
        .await?;
        if !tables.is_empty() {
            sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {}", tables.join(", "))))
                .execute(&mut **c)
                .await?;
        }
    }
    Ok(())
}
