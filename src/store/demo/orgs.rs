//! The committees of a demo with `--committees N`, written in the load's
//! transaction under the installation's one root association.

use crate::on_db;
use crate::store::{Conn, now_utc};

/// The root association: (id, path).
pub async fn root(conn: &mut Conn<'_>) -> Result<(i64, String), sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as(
        "SELECT id, path FROM organisations WHERE parent_id IS NULL AND kind = 'association'"
    )
    .fetch_one(e)
    .await)
}

/// The committee numbering with `prefix`, created under the root
/// association if there is none: a demo run again finds its committees.
pub async fn ensure_committee(
    conn: &mut Conn<'_>,
    name: &str,
    region_code: &str,
    prefix: &str,
) -> Result<i64, sqlx::Error> {
    let found: Option<i64> = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT id FROM organisations WHERE kind = 'committee' AND case_prefix = $1"
    )
    .bind(prefix)
    .fetch_optional(e)
    .await)?;
    if let Some(id) = found {
        return Ok(id);
    }
    let (parent, parent_path) = root(conn).await?;
    // The id is written, not drawn, because the path names it; PostgreSQL's
    // identity is moved past it below.
    let id: i64 = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM organisations"
    )
    .fetch_one(e)
    .await)?;
    on_db!(conn, |e| sqlx::query(
        "INSERT INTO organisations (id, parent_id, kind, level, name, region_code, case_prefix, path, created_at)
         VALUES ($1, $2, 'committee', NULL, $3, $4, $5, $6, $7)"
    )
    .bind(id)
    .bind(parent)
    .bind(name)
    .bind(region_code)
    .bind(prefix)
    .bind(format!("{parent_path}{id}/"))
    .bind(now_utc())
    .execute(e)
    .await
    .map(|_| ()))?;
    if let Conn::Postgres(c) = conn {
        sqlx::query("SELECT setval(pg_get_serial_sequence('organisations', 'id'), MAX(id)) FROM organisations")
            .execute(&mut **c)
            .await?;
    }
    Ok(id)
}
