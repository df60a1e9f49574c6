//! Grouped summary rows added to PostgreSQL's summary tables in bulk (the
//! demo's and the import's, see [`super::tally`]), each column of a chunk
//! bound as one array and unnested.
//!
//! The multi-row statements SQLite takes (24,000 values each) cost
//! PostgreSQL as much to plan as to run. The rows of one write are grouped,
//! so their keys are distinct: only a row already stored can share a key.
//! Into an empty table (a demo, a first import) they are inserted plainly;
//! otherwise each is added to its stored row (`ON CONFLICT`), which costs a
//! speculative insertion a row.
//!
//! `stats_monthly`'s trigger keeps `stats_yearly` row by row (migration
//! 0018), at about 100 µs a row. While a bulk write adds months it stands
//! aside (migration 0020), and the months are added to their years here,
//! grouped, from the same arrays.

use sqlx::PgConnection;

/// Rows to a statement: one array per column.
const ROWS_PER_CHUNK: usize = 100_000;

/// The figure columns, in the order of a row's figures.
const FIGURES: &str = "received, claimed, accepted, agreed, closed, close_days, fulfilled";

/// A summary row: committee, dim, code, day or month, status, figures.
pub(super) type Row = (i64, &'static str, String, String, &'static str, [i64; 7]);

/// Adds `rows` to `table`, whose date column is `key` (`day` or `month`),
/// and the months to `stats_yearly` with them.
pub(super) async fn write(
    conn: &mut PgConnection,
    table: &str,
    key: &str,
    mut rows: impl Iterator<Item = Row>,
) -> Result<(), sqlx::Error> {
    // Fixed SQL: table and column names of ours, never input.
    let empty: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT NOT EXISTS (SELECT 1 FROM {table})"
    )))
    .fetch_one(&mut *conn)
    .await?;
    let to_table = format!(
        "INSERT INTO {table} ({}) SELECT * FROM {ARRAYS} {}",
        columns(key),
        if empty {
            String::new()
        } else {
            super::bulk::upsert_for(table, key)
        }
    );
    let yearly = key == "month";
    let sums = FIGURES
        .split(", ")
        .map(|f| format!("CAST(SUM({f}) AS BIGINT)"))
        .collect::<Vec<_>>()
        .join(", ");
    let to_years = format!(
        "INSERT INTO stats_yearly ({}) SELECT committee_id, dim, code, left(month, 4), status, {sums} \
         FROM {ARRAYS} AS a ({}) GROUP BY committee_id, dim, code, left(month, 4), status {}",
        columns("year"),
        columns("month"),
        super::bulk::upsert_for("stats_yearly", "year"),
    );
    if yearly {
        aside(conn, "on").await?;
    }
    loop {
        let chunk: Vec<Row> = rows.by_ref().take(ROWS_PER_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let arrays = Arrays::of(chunk);
        arrays.bind(&to_table).execute(&mut *conn).await?;
        if yearly {
            arrays.bind(&to_years).execute(&mut *conn).await?;
        }
    }
    if yearly {
        aside(conn, "").await?;
    }
    Ok(())
}

/// The twelve arrays a chunk is bound as, unnested into rows.
const ARRAYS: &str = "UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS TEXT[]), CAST($3 AS TEXT[]), CAST($4 AS TEXT[]), \
     CAST($5 AS TEXT[]), CAST($6 AS BIGINT[]), CAST($7 AS BIGINT[]), CAST($8 AS BIGINT[]), CAST($9 AS BIGINT[]), \
     CAST($10 AS BIGINT[]), CAST($11 AS BIGINT[]), CAST($12 AS BIGINT[]))";

/// A summary table's columns in the arrays' order, its date column `key`.
fn columns(key: &str) -> String {
    format!("committee_id, dim, code, {key}, status, {FIGURES}")
}

/// Sets `stats_monthly`'s yearly trigger aside (`on`) or back (empty), for
/// the rest of the transaction at most.
async fn aside(conn: &mut PgConnection, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('accord.yearly_aside', $1, true)")
        .bind(value)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A chunk of rows as one array per column.
struct Arrays {
    committees: Vec<i64>,
    dims: Vec<&'static str>,
    codes: Vec<String>,
    dates: Vec<String>,
    statuses: Vec<&'static str>,
    figures: [Vec<i64>; 7],
}

impl Arrays {
    fn of(chunk: Vec<Row>) -> Arrays {
        let n = chunk.len();
        let mut a = Arrays {
            committees: Vec::with_capacity(n),
            dims: Vec::with_capacity(n),
            codes: Vec::with_capacity(n),
            dates: Vec::with_capacity(n),
            statuses: Vec::with_capacity(n),
            figures: std::array::from_fn(|_| Vec::with_capacity(n)),
        };
        for (k, dim, code, date, status, figures) in chunk {
            a.committees.push(k);
            a.dims.push(dim);
            a.codes.push(code);
            a.dates.push(date);
            a.statuses.push(status);
            for (column, value) in a.figures.iter_mut().zip(figures) {
                column.push(value);
            }
        }
        a
    }

    /// `statement` with the arrays bound as `$1` .. `$12`.
    fn bind<'q>(&'q self, statement: &'q str) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(statement))
            .bind(&self.committees)
            .bind(&self.dims)
            .bind(&self.codes)
            .bind(&self.dates)
            .bind(&self.statuses);
        for column in &self.figures {
            query = query.bind(column);
        }
        query
    }
}
