//! The finders of the case file: a case by its number, the cases
//! archived in a period.

use chrono::NaiveDate;

use super::push_scope;
use crate::domain::CaseNo;
use crate::on_db;
use crate::store::cases::Scope;
use crate::store::sql::Sql;

/// The cases archived from `from` to `to` (inclusive) that the scope may
/// see, oldest archive first, at most `limit`; and how many there are in all.
pub async fn archived_between(
    pool: &crate::store::Db,
    from: NaiveDate,
    to: NaiveDate,
    scope: Scope,
    limit: i64,
) -> Result<(Vec<i64>, i64), sqlx::Error> {
    let mut qb = Sql::new("SELECT c.id FROM cases c WHERE c.archived_on BETWEEN ");
    qb.push_bind(from).push(" AND ").push_bind(to);
    push_scope(&mut qb, scope);
    qb.push(" ORDER BY c.archived_on, c.case_no, c.id LIMIT ")
        .push_bind(limit);
    let ids: Vec<(i64,)> = qb.fetch_all(pool).await?;
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE c.archived_on BETWEEN ");
    qb.push_bind(from).push(" AND ").push_bind(to);
    push_scope(&mut qb, scope);
    let (total,): (i64,) = qb.fetch_one(pool).await?;
    Ok((ids.into_iter().map(|(id,)| id).collect(), total))
}

/// The id of the case with this number, as written or in the standard
/// form (`物调〔2026〕第0001号` for `物调[2026]第1号`).
pub async fn id_by_number(pool: &crate::store::Db, case_no: &str) -> Result<Option<i64>, sqlx::Error> {
    let standard = CaseNo::parse(case_no).map(|n| n.to_string());
    on_db!(pool, |e| {
        sqlx::query_scalar("SELECT id FROM cases WHERE case_no = $1 OR case_no = $2 ORDER BY id LIMIT 1")
            .bind(case_no.trim())
            .bind(standard.clone().unwrap_or_default())
            .fetch_optional(e)
            .await
    })
}
