//! Queries assembled at run time (filters, lists, search) for either
//! backend: the text with `$1, $2 ...` placeholders, which SQLite and
//! PostgreSQL both read, and the values kept beside it to bind in order.
//! The counterpart of sqlx's `QueryBuilder`, which is tied to one backend.

use chrono::NaiveDate;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow};

use super::{Backend, Conn, Db};
use crate::on_db;

/// A value to bind, typed even when NULL (PostgreSQL needs the type).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Bool(Option<bool>),
}

macro_rules! arg_from {
    ($t:ty, $v:ident => $e:expr) => {
        impl From<$t> for Arg {
            fn from($v: $t) -> Arg {
                $e
            }
        }
    };
}

arg_from!(i64, v => Arg::Int(Some(v)));
arg_from!(i32, v => Arg::Int(Some(i64::from(v))));
arg_from!(u32, v => Arg::Int(Some(i64::from(v))));
arg_from!(Option<i64>, v => Arg::Int(v));
arg_from!(&str, v => Arg::Text(Some(v.to_string())));
arg_from!(String, v => Arg::Text(Some(v)));
arg_from!(&String, v => Arg::Text(Some(v.clone())));
arg_from!(Option<String>, v => Arg::Text(v));
arg_from!(Option<&str>, v => Arg::Text(v.map(str::to_string)));
arg_from!(NaiveDate, v => Arg::Date(Some(v)));
arg_from!(Option<NaiveDate>, v => Arg::Date(v));
arg_from!(bool, v => Arg::Bool(Some(v)));

/// A query's text and its values, built piece by piece.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
    /// Where each placeholder starts in `text`, and its length.
    marks: Vec<(usize, usize)>,
}

/// Binds every value of `$args` to the query `$q`, in order.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
                Arg::Date(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

impl Sql {
    pub fn new(text: impl AsRef<str>) -> Sql {
        Sql {
            text: text.as_ref().to_string(),
            args: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// Appends SQL text (never a value: values go through [`Sql::push_bind`]).
    pub fn push(&mut self, text: impl AsRef<str>) -> &mut Sql {
        self.text.push_str(text.as_ref());
        self
    }

    /// Appends a placeholder for `value`, bound when the query runs.
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Sql {
        self.args.push(value.into());
        let start = self.text.len();
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self.marks.push((start, self.text.len() - start));
        self
    }

    /// Appends values as a comma-separated list of placeholders.
    pub fn push_list<A: Into<Arg>>(&mut self, values: impl IntoIterator<Item = A>) -> &mut Sql {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.push_bind(v);
        }
        self
    }

    /// Appends `next` as a statement of its own, after a `;`: a batch,
    /// which only SQLite runs as one query (one hand-over to its thread).
    pub fn then(&mut self, next: Sql) -> &mut Sql {
        self.text.push_str(";\n");
        let mut from = 0;
        for (&(start, len), arg) in next.marks.iter().zip(next.args) {
            self.text.push_str(&next.text[from..start]);
            self.push_bind(arg);
            from = start + len;
        }
        self.text.push_str(&next.text[from..]);
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// The text for SQLite: each placeholder as a plain `?`, in order.
    /// SQLite finds a numbered placeholder's name by a scan of all names,
    /// which made a statement of thousands of values take seconds to bind.
    fn sqlite_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut from = 0;
        for &(start, len) in &self.marks {
            out.push_str(&self.text[from..start]);
            out.push('?');
            from = start + len;
        }
        out.push_str(&self.text[from..]);
        out
    }

    /// The text for a backend and the values, taken apart to be bound
    /// later without copying them (see `cases::Statements`).
    pub fn into_parts(self, b: Backend) -> (String, Vec<Arg>) {
        (self.text_for(b), self.args)
    }

    /// The text for a backend.
    pub fn text_for(&self, b: Backend) -> String {
        match b {
            Backend::Sqlite => self.sqlite_text(),
            Backend::Postgres => self.text.clone(),
        }
    }

    pub async fn fetch_all<T>(&self, db: &Db) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(db.backend());
        on_db!(db, |e| {
            bind_all!(sqlx::query_as::<_, T>(AssertSqlSafe(text.clone())), &self.args)
                .fetch_all(e)
                .await
        })
    }

    pub async fn fetch_all_in<T>(&self, conn: &mut Conn<'_>) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(conn.backend());
        on_db!(conn, |e| {
            bind_all!(sqlx::query_as::<_, T>(AssertSqlSafe(text.clone())), &self.args)
                .fetch_all(e)
                .await
        })
    }

    pub async fn fetch_optional<T>(&self, db: &Db) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(db.backend());
        on_db!(db, |e| {
            bind_all!(sqlx::query_as::<_, T>(AssertSqlSafe(text.clone())), &self.args)
                .fetch_optional(e)
                .await
        })
    }

    pub async fn fetch_one<T>(&self, db: &Db) -> Result<T, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(db.backend());
        on_db!(db, |e| {
            bind_all!(sqlx::query_as::<_, T>(AssertSqlSafe(text.clone())), &self.args)
                .fetch_one(e)
                .await
        })
    }

    pub async fn fetch_one_in<T>(&self, conn: &mut Conn<'_>) -> Result<T, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(conn.backend());
        on_db!(conn, |e| {
            bind_all!(sqlx::query_as::<_, T>(AssertSqlSafe(text.clone())), &self.args)
                .fetch_one(e)
                .await
        })
    }

    /// Runs a statement; answers how many rows it changed.
    pub async fn execute(&self, db: &Db) -> Result<u64, sqlx::Error> {
        let text = self.text_for(db.backend());
        on_db!(db, |e| {
            bind_all!(sqlx::query(AssertSqlSafe(text.clone())), &self.args)
                .execute(e)
                .await
                .map(|done| done.rows_affected())
        })
    }

    /// [`Sql::execute_in`], the values moved into the query rather than
    /// copied (a statement of thousands of values).
    pub async fn run_in(self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        let (text, args) = self.into_parts(conn.backend());
        execute_parts(conn, text, args).await
    }

    /// [`Sql::execute`] on a connection (in its transaction, if any).
    pub async fn execute_in(&self, conn: &mut Conn<'_>) -> Result<u64, sqlx::Error> {
        let text = self.text_for(conn.backend());
        on_db!(conn, |e| {
            bind_all!(sqlx::query(AssertSqlSafe(text.clone())), &self.args)
                .execute(e)
                .await
                .map(|done| done.rows_affected())
        })
    }
}

/// One multi-row `INSERT` of up to `per` of the `rows` left: `head`
/// (`INSERT INTO t (a, b) VALUES `), each row's values in brackets as
/// `row` pushes them, then `tail` (an upsert's `ON CONFLICT`, or nothing).
/// `None` when no row is left.
pub fn values<T>(
    head: &str,
    tail: &str,
    per: usize,
    rows: &mut impl Iterator<Item = T>,
    mut row: impl FnMut(&mut Sql, T),
) -> Option<Sql> {
    let mut q = Sql::new(head);
    for (i, r) in rows.by_ref().take(per).enumerate() {
        q.push(if i == 0 { "(" } else { ", (" });
        row(&mut q, r);
        q.push(")");
    }
    if q.args.is_empty() {
        return None;
    }
    q.push(tail);
    Some(q)
}

/// Runs a statement of many values, its text and values as
/// [`Sql::into_parts`] gives them: the values are moved into the query,
/// not copied. The text has plain `?`s on SQLite: binding a numbered
/// placeholder (`$n`, `?n`) looks its number up among all the
/// statement's, which makes a statement of 28,000 values take seconds.
pub async fn execute_parts(conn: &mut Conn<'_>, text: String, args: Vec<Arg>) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(text));
        for arg in args {
            query = match arg {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Date(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
            };
        }
        query.execute(e).await.map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_numbers_the_next_statement_s_values_after_its_own() {
        let mut q = Sql::new("DELETE FROM parties WHERE case_id = ");
        q.push_bind(7);
        let mut next = Sql::new("INSERT INTO t (a, b) VALUES (");
        next.push_bind("x").push(", ").push_bind(8).push(")");
        q.then(next);
        assert_eq!(
            q.text_for(Backend::Postgres),
            "DELETE FROM parties WHERE case_id = $1;\nINSERT INTO t (a, b) VALUES ($2, $3)"
        );
        assert_eq!(
            q.text_for(Backend::Sqlite),
            "DELETE FROM parties WHERE case_id = ?;\nINSERT INTO t (a, b) VALUES (?, ?)"
        );
        assert_eq!(q.args(), &[Arg::from(7), Arg::from("x"), Arg::from(8)]);
    }

    #[test]
    fn values_become_numbered_placeholders_in_order() {
        let mut q = Sql::new("SELECT id FROM cases WHERE TRUE");
        q.push(" AND status = ").push_bind("settled");
        q.push(" AND id IN (").push_list([3i64, 5]).push(")");
        assert_eq!(
            q.text(),
            "SELECT id FROM cases WHERE TRUE AND status = $1 AND id IN ($2, $3)"
        );
        assert_eq!(
            q.sqlite_text(),
            "SELECT id FROM cases WHERE TRUE AND status = ? AND id IN (?, ?)"
        );
        assert_eq!(
            q.args(),
            &[Arg::Text(Some("settled".into())), Arg::Int(Some(3)), Arg::Int(Some(5))]
        );
    }

    #[tokio::test]
    async fn the_same_query_runs_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::open(&dir.path().join("sql.db")).await.unwrap();
        let mut q = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cases WHERE received_on >= ");
        q.push_bind(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let (n,): (i64,) = q.fetch_one(&db).await.unwrap();
        assert_eq!(n, 0);
    }
}
