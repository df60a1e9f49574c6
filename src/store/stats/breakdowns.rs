//! The breakdowns by category, source, district, mediator and month.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::*;

/// The breakdowns by category, source, district, mediator and month. The
/// CSV export of statistics reads these too.
pub async fn breakdowns(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Breakdowns, sqlx::Error> {
    breakdowns_via(pool, period, filter, scope, deadlines, Via::Best).await
}

pub(super) async fn breakdowns_via(
    pool: &SqlitePool,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Breakdowns, sqlx::Error> {
    let months = summary_months(period, filter, scope, via);
    let mut out = Breakdowns::default();
    for dim in [Dim::Category, Dim::Source, Dim::District, Dim::Mediator, Dim::Month] {
        let rows = match &months {
            Some((from, to)) => from_summary(pool, dim, from, to).await?,
            None => from_cases(pool, dim, period, filter, scope, deadlines).await?,
        };
        match dim {
            Dim::Category => out.by_category = rows,
            Dim::Source => out.by_source = rows,
            Dim::District => out.by_district = rows,
            Dim::Mediator => out.by_mediator = rows,
            Dim::Month => out.by_month = rows,
        }
    }
    Ok(out)
}

type RowTuple = (String, Option<String>, i64, i64, i64, i64, i64, i64);

fn to_rows(tuples: Vec<RowTuple>) -> Vec<Row> {
    tuples
        .into_iter()
        .map(
            |(key, name, cases, claimed, accepted, settled, agreed, in_mediation)| Row {
                key,
                name,
                cases,
                amount_claimed: Money::from_fen(claimed),
                accepted,
                settled,
                in_mediation,
                amount_agreed: Money::from_fen(agreed),
            },
        )
        .collect()
}

/// The outer query every breakdown shares: name, totals per key, order.
fn push_outer(qb: &mut QueryBuilder<Sqlite>, dim: Dim) {
    let (name, _) = dim.order();
    qb.push(format!(
        "SELECT x.key, {name}, x.cases, x.claimed, x.accepted, x.settled, x.agreed, x.in_mediation FROM ("
    ));
}

async fn from_summary(pool: &SqlitePool, dim: Dim, from: &str, to: &str) -> Result<Vec<Row>, sqlx::Error> {
    let key = if dim == Dim::Month { "month" } else { "code" };
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_outer(&mut qb, dim);
    qb.push(format!(
        "SELECT {key} AS key, SUM(received) AS cases, SUM(claimed) AS claimed, SUM(accepted) AS accepted,
            SUM(CASE status WHEN 'settled' THEN accepted ELSE 0 END) AS settled, SUM(agreed) AS agreed,
            SUM(CASE status WHEN 'in_mediation' THEN accepted ELSE 0 END) AS in_mediation
         FROM stats_monthly WHERE dim = "
    ));
    qb.push_bind(dim.code())
        .push(" AND month BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(format!(
            " AND {COUNTED} GROUP BY {key} HAVING SUM(received) <> 0 OR SUM(accepted) <> 0) x {}",
            dim.order().1
        ));
    Ok(to_rows(qb.build_query_as().fetch_all(pool).await?))
}

async fn from_cases(
    pool: &SqlitePool,
    dim: Dim,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Vec<Row>, sqlx::Error> {
    let (from, to) = period.bounds();
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_outer(&mut qb, dim);
    if dim == Dim::Month {
        // A case counts in the month it was received and in the month it
        // was accepted: two parts, added up per month.
        qb.push(
            "SELECT key, SUM(r) AS cases, SUM(claimed) AS claimed, SUM(a) AS accepted, SUM(settled) AS settled,
                SUM(agreed) AS agreed, SUM(open) AS in_mediation FROM (
             SELECT substr(c.received_on, 1, 7) AS key, 1 AS r, c.amount_claimed AS claimed, 0 AS a,
                0 AS settled, 0 AS agreed, 0 AS open FROM cases c WHERE c.received_on BETWEEN ",
        );
        qb.push_bind(from.clone()).push(" AND ").push_bind(to.clone());
        push_filter(&mut qb, filter, scope, deadlines);
        push_counted(&mut qb);
        qb.push(
            " UNION ALL SELECT substr(c.accepted_on, 1, 7), 0, 0, 1, c.status = 'settled',
                COALESCE(c.amount_agreed, 0), c.status = 'in_mediation' FROM cases c WHERE c.accepted_on BETWEEN ",
        );
        qb.push_bind(from).push(" AND ").push_bind(to);
        push_filter(&mut qb, filter, scope, deadlines);
        push_counted(&mut qb);
        qb.push(") GROUP BY key");
    } else {
        let (key, join) = match dim {
            Dim::Category => ("c.category", ""),
            Dim::Source => ("c.source", ""),
            Dim::District => ("c.district", ""),
            _ => (
                "CAST(cm.mediator_id AS TEXT)",
                " JOIN case_mediators cm ON cm.case_id = c.id",
            ),
        };
        qb.push(
            "SELECT key, SUM(r) AS cases, SUM(r * amount_claimed) AS claimed, SUM(a) AS accepted,
                SUM(a * (status = 'settled')) AS settled, SUM(a * COALESCE(amount_agreed, 0)) AS agreed,
                SUM(a * (status = 'in_mediation')) AS in_mediation
             FROM (SELECT ",
        );
        qb.push(key)
            .push(" AS key, c.status, c.amount_claimed, c.amount_agreed,");
        push_part_flags(&mut qb, &from, &to);
        qb.push(" FROM cases c").push(join).push(" WHERE ");
        push_in_period(&mut qb, &from, &to);
        push_filter(&mut qb, filter, scope, deadlines);
        push_counted(&mut qb);
        qb.push(") GROUP BY key");
    }
    qb.push(format!(") x {}", dim.order().1));
    Ok(to_rows(qb.build_query_as().fetch_all(pool).await?))
}
