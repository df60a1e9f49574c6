//! Copying a whole installation from one database to another, of either
//! backend (`accord copy`, and the backup of a PostgreSQL database into a
//! SQLite file): every table of [`TABLES`], ids and all, read in one
//! consistent snapshot of the source and written in one transaction on the
//! target, which must hold no case, user or mediator yet.
//!
//! Values move as typed values ([`Kind`]): a date is read as a date and
//! written as one (SQLite's `YYYY-MM-DD` text, PostgreSQL's DATE), a flag
//! as a boolean (SQLite's 0/1, PostgreSQL's BOOLEAN).
//!
//! The summary tables (`stats_monthly`, `stats_yearly`, `stats_daily`,
//! `party_type_usage`, `official_monthly`) are copied as they are, not
//! rebuilt: the target then shows exactly the figures the source showed, and the check after the copy compares them
//! too. While the base tables go in, the insert triggers that would add
//! the same cases to the summary a second time stand aside, as they do for
//! a bulk load (`stats_deferred`, migration 0014); the summary rows follow
//! once the triggers are back. The search index is built on the target by
//! `store::search::index_new`, as after a bulk load, and PostgreSQL's
//! identities go on after the ids copied.

use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Row};

use super::attachments::files::{FileStore, hash_file};
use super::sql::{Arg, Sql};
use super::{Backend, Conn, Db};
use crate::domain::attachment::is_sha256_hex;
use crate::on_db;

mod tables;

use Kind::{Bool, Date, Int, Text};
pub use tables::{Kind, NOT_COPIED, TABLES, Table};
/// A count or a sum of one table, on the source and on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub table: &'static str,
    /// `rows`, or the summed column.
    pub column: &'static str,
    pub source: i64,
    pub target: i64,
}

/// What a copy moved.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every table's rows and sums, on both sides; all agree.
    pub tallies: Vec<Tally>,
    /// Attachment files copied to the target's folder (0 when both sides
    /// share one folder).
    pub files: usize,
}

/// Why a copy was not made (the target is then left as it was).
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target already holds data ({0} cases, users and mediators); copy only into a new database")]
    NotEmpty(i64),
    #[error("the copy does not match the source: {}", .0.iter().map(|t| format!("{}.{}: {} ≠ {}", t.table, t.column, t.source, t.target)).collect::<Vec<_>>().join(", "))]
    Mismatch(Vec<Tally>),
    #[error("attachment files could not be copied:\n{}", .0.join("\n"))]
    Files(Vec<String>),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// The attachments' folders of the two sides, when files are to be copied.
#[derive(Debug, Clone)]
pub struct Folders {
    pub from: FileStore,
    pub to: FileStore,
}

/// Copies the installation in `from` into `to` (both migrated; `to` with
/// no case, user or mediator), then checks every table's rows and sums on
/// both sides and, with `folders`, copies and checks every attachment file
/// the source names, all before the target's transaction commits.
#[tracing::instrument(skip_all)]
pub async fn copy(from: &Db, to: &Db, folders: Option<&Folders>) -> Result<Report, CopyError> {
    let mut read = from.begin_read().await?;
    let mut write = to.begin_write().await?;
    let mut src = read.conn();
    let mut dst = write.conn();
    let held = scalar(&mut dst, HELD).await?;
    if held > 0 {
        return Err(CopyError::NotEmpty(held));
    }
    execute(&mut dst, "INSERT INTO stats_deferred (one) VALUES (1)").await?;
    for t in TABLES.iter().filter(|t| !t.summary) {
        copy_table(&mut src, &mut dst, t).await?;
    }
    execute(&mut dst, "DELETE FROM stats_deferred").await?;
    for t in TABLES.iter().filter(|t| t.summary) {
        copy_table(&mut src, &mut dst, t).await?;
    }
    let (first, last) = id_range(&mut dst).await?;
    if last > 0 {
        super::search::index_new(&mut dst, first, last).await?;
    }
    for t in TABLES.iter().filter(|t| t.columns[0] == ("id", Int)) {
        let next = last_id(&mut src, t.name).await?;
        continue_ids(&mut dst, t.name, next).await?;
    }
    let mut tallies = Vec::new();
    for t in TABLES {
        let (a, b) = (tally(&mut src, t).await?, tally(&mut dst, t).await?);
        for ((column, source), (_, target)) in a.into_iter().zip(b) {
            tallies.push(Tally {
                table: t.name,
                column,
                source,
                target,
            });
        }
    }
    let differ: Vec<Tally> = tallies.iter().filter(|t| t.source != t.target).cloned().collect();
    if !differ.is_empty() {
        return Err(CopyError::Mismatch(differ));
    }
    let mut files = 0;
    if let Some(folders) = folders {
        let hashes: Vec<String> = on_db!(src, |e| sqlx::query_scalar(
            "SELECT DISTINCT sha256 FROM attachments WHERE purged_at IS NULL ORDER BY sha256"
        )
        .fetch_all(e)
        .await)?;
        let folders = folders.clone();
        let (copied, problems) = tokio::task::spawn_blocking(move || copy_files(&folders, &hashes))
            .await
            .map_err(|e| sqlx::Error::Io(std::io::Error::other(e.to_string())))?;
        if !problems.is_empty() {
            return Err(CopyError::Files(problems));
        }
        files = copied;
    }
    write.commit().await?;
    read.rollback().await?;
    crate::store::bulk::refresh_statistics(&mut to.acquire().await?.conn()).await?;
    tracing::info!(tables = TABLES.len(), files, "installation copied and checked");
    Ok(Report { tallies, files })
}

/// Whether a target holds anything of an installation.
const HELD: &str = "SELECT CAST((SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM users)
    + (SELECT COUNT(*) FROM mediators) AS BIGINT)";

async fn scalar(conn: &mut Conn<'_>, sql: &str) -> Result<i64, sqlx::Error> {
    let sql = sql.to_string();
    on_db!(conn, |e| sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql.clone()))
        .fetch_one(e)
        .await)
}

async fn execute(conn: &mut Conn<'_>, sql: &'static str) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| sqlx::query(sql).execute(e).await.map(|_| ()))
}

async fn id_range(conn: &mut Conn<'_>) -> Result<(i64, i64), sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as::<_, (i64, i64)>(
        "SELECT CAST(COALESCE(MIN(id), 0) AS BIGINT), CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases"
    )
    .fetch_one(e)
    .await)
}

/// The select of a table's columns (PostgreSQL's CITEXT read as TEXT).
fn select_columns(t: &Table, b: Backend) -> String {
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|(c, k)| match (b, k) {
            (Backend::Postgres, Text) => format!("CAST(\"{c}\" AS TEXT)"),
            _ => format!("\"{c}\""),
        })
        .collect();
    format!("SELECT {} FROM {}", columns.join(", "), t.name)
}

/// The select of a table's rows in key order.
fn select_sql(t: &Table, b: Backend) -> String {
    format!("{} ORDER BY {}", select_columns(t, b), t.key.join(", "))
}

/// A row's values as typed arguments, in the table's column order.
fn values<'r, R: Row>(row: &'r R, columns: &[(&str, Kind)]) -> Result<Vec<Arg>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<NaiveDate>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Int => Arg::Int(row.try_get(i)?),
                Text => Arg::Text(row.try_get(i)?),
                Date => Arg::Date(row.try_get(i)?),
                Bool => Arg::Bool(row.try_get(i)?),
            })
        })
        .collect()
}

/// Every row of a table, in key order, as typed values (for the copy's
/// tests, which compare two installations row for row).
pub async fn rows(db: &Db, t: &Table) -> Result<Vec<Vec<Arg>>, sqlx::Error> {
    let sql = select_sql(t, db.backend());
    on_db!(db, |e| {
        let rows = sqlx::query(AssertSqlSafe(sql.clone())).fetch_all(e).await?;
        rows.iter().map(|r| values(r, t.columns)).collect()
    })
}

/// Bound parameters in one statement: under SQLite's limit of 32,766 and
/// PostgreSQL's of 65,535.
const MAX_PARAMS: usize = 30_000;

/// Copies a table's rows from the source into the target a page at a
/// time: each page is a short statement of its own, read after the last
/// key of the one before (in the source's one snapshot), and written as
/// one INSERT of many rows.
async fn copy_table(src: &mut Conn<'_>, dst: &mut Conn<'_>, t: &Table) -> Result<(), sqlx::Error> {
    // sqlx binds SQLite's numbered parameters in time that grows with the
    // square of their number: 100 rows a statement there (measured: a
    // 300-case demo in 0.9 s, against 5 s at 1,000 rows).
    let rows = match dst.backend() {
        Backend::Sqlite => 100,
        Backend::Postgres => 1_000,
    };
    let per_statement = (MAX_PARAMS / t.columns.len()).min(rows);
    let key_at: Vec<usize> = t
        .key
        .iter()
        .map(|k| t.columns.iter().position(|(c, _)| c == k).expect("a key column"))
        .collect();
    let mut after: Option<Vec<Arg>> = None;
    loop {
        let page = page(src, t, after.as_deref(), per_statement).await?;
        let Some(last) = page.last() else { break };
        insert(dst, t, &page).await?;
        if page.len() < per_statement {
            break;
        }
        after = Some(key_at.iter().map(|&i| last[i].clone()).collect());
    }
    Ok(())
}

/// Up to `limit` rows of a table in key order, after the key `after`.
async fn page(
    src: &mut Conn<'_>,
    t: &Table,
    after: Option<&[Arg]>,
    limit: usize,
) -> Result<Vec<Vec<Arg>>, sqlx::Error> {
    let mut q = Sql::new(select_columns(t, src.backend()));
    if let Some(key) = after {
        q.push(format!(" WHERE ({}) > (", t.key.join(", ")));
        q.push_list(key.iter().cloned());
        q.push(")");
    }
    q.push(format!(" ORDER BY {} LIMIT {limit}", t.key.join(", ")));
    on_db!(src, |e| {
        let mut query = sqlx::query(AssertSqlSafe(q.text().to_string()));
        for a in q.args() {
            query = match a {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
                Arg::Date(v) => query.bind(*v),
                Arg::Bool(v) => query.bind(*v),
            };
        }
        let rows = query.fetch_all(e).await?;
        rows.iter().map(|r| values(r, t.columns)).collect()
    })
}

async fn insert(dst: &mut Conn<'_>, t: &Table, rows: &[Vec<Arg>]) -> Result<(), sqlx::Error> {
    let names: Vec<String> = t.columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let mut q = Sql::new(format!("INSERT INTO {} ({}) VALUES ", t.name, names.join(", ")));
    for (i, row) in rows.iter().enumerate() {
        q.push(if i == 0 { "(" } else { ", (" });
        q.push_list(row.iter().cloned());
        q.push(")");
    }
    if t.seeded {
        let set: Vec<String> = t
            .columns
            .iter()
            .filter(|(c, _)| !t.key.contains(c))
            .map(|(c, _)| format!("\"{c}\" = excluded.\"{c}\""))
            .collect();
        q.push(format!(
            " ON CONFLICT ({}) DO UPDATE SET {}",
            t.key.join(", "),
            set.join(", ")
        ));
    }
    q.execute_in(dst).await?;
    Ok(())
}

/// The last id a table handed out on the source: its highest id, or on
/// PostgreSQL the identity's value when that is higher (rows deleted since,
/// such as a demo's cases replaced), so the target never hands one out
/// twice. SQLite's ids are rowids without AUTOINCREMENT: the next is the
/// highest plus one.
async fn last_id(src: &mut Conn<'_>, table: &'static str) -> Result<i64, sqlx::Error> {
    let max = scalar(
        src,
        &format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}"),
    )
    .await?;
    let counter: Option<i64> = match src {
        Conn::Sqlite(_) => None,
        Conn::Postgres(c) => {
            sqlx::query_scalar("SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence($1, 'id') AS regclass))")
                .bind(table)
                .fetch_one(&mut **c)
                .await?
        }
    };
    Ok(max.max(counter.unwrap_or(0)))
}

/// Moves PostgreSQL's identity of a table's ids on to `last` (SQLite's
/// next rowid follows the highest id copied by itself).
async fn continue_ids(dst: &mut Conn<'_>, table: &'static str, last: i64) -> Result<(), sqlx::Error> {
    if let Conn::Postgres(c) = dst {
        sqlx::query("SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)")
            .bind(table)
            .bind(last.max(1))
            .bind(last > 0)
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

/// A table's row count and the sums of its [`Table::sums`].
async fn tally(conn: &mut Conn<'_>, t: &Table) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
    let mut exprs = vec!["CAST(COUNT(*) AS BIGINT)".to_string()];
    exprs.extend(
        t.sums
            .iter()
            .map(|c| format!("CAST(COALESCE(SUM(\"{c}\"), 0) AS BIGINT)")),
    );
    let sql = format!("SELECT {} FROM {}", exprs.join(", "), t.name);
    let values: Vec<i64> = on_db!(conn, |e| {
        let row = sqlx::query(AssertSqlSafe(sql.clone())).fetch_one(e).await?;
        (0..exprs.len())
            .map(|i| row.try_get::<i64, _>(i))
            .collect::<Result<Vec<_>, _>>()
    })?;
    let names = std::iter::once("rows").chain(t.sums.iter().copied());
    Ok(names.zip(values).collect())
}

/// Copies each named file that the target's folder lacks, checking its
/// SHA-256; answers how many were copied and a line per problem. Nothing
/// is copied when both sides use one folder.
fn copy_files(folders: &Folders, hashes: &[String]) -> (usize, Vec<String>) {
    let same = match (folders.from.root().canonicalize(), folders.to.root().canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => folders.from.root() == folders.to.root(),
    };
    let mut problems = Vec::new();
    let mut copied = 0;
    for sha in hashes {
        if !is_sha256_hex(sha) {
            problems.push(format!("the database holds a malformed hash: {sha}"));
            continue;
        }
        let (src, dst) = (folders.from.path_of(sha), folders.to.path_of(sha));
        if same || matches!(hash_file(&dst), Ok((h, _)) if &h == sha) {
            continue;
        }
        let done = dst
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::copy(&src, &dst))
            .and_then(|_| std::fs::File::open(&dst)?.sync_all())
            .and_then(|_| hash_file(&dst));
        match done {
            Ok((h, _)) if &h == sha => copied += 1,
            Ok(_) => problems.push(format!("{}: the copy's SHA-256 differs", dst.display())),
            Err(e) => problems.push(format!("cannot copy {}: {e}", src.display())),
        }
    }
    (copied, problems)
}
