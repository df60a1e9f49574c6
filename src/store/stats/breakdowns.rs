//! The breakdowns by category, source, district, mediator and month.

use super::*;

/// The breakdowns by category, source, district, mediator and month. The
/// CSV export of statistics reads these too.
pub async fn breakdowns(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<Breakdowns, sqlx::Error> {
    breakdowns_via(pool, period, filter, scope, deadlines, Via::Best).await
}

pub(super) async fn breakdowns_via(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Breakdowns, sqlx::Error> {
    let mut out = Breakdowns::default();
    let dims = [Dim::Category, Dim::Source, Dim::District, Dim::Mediator, Dim::Month];
    let mut from_the_cases = Vec::new();
    for dim in dims {
        match Summary::for_dim(dim, filter, scope, via) {
            Some(summary) => *rows_mut(&mut out, dim) = from_summary(pool, dim, &summary, period).await?,
            None => from_the_cases.push(dim),
        }
    }
    if from_the_cases.is_empty() {
        return Ok(out);
    }
    let broad = capped(filter, scope, via) && more_than_the_cap(pool, period, filter, scope, deadlines).await?;
    let counted = if broad {
        None
    } else {
        from_cases(pool, &from_the_cases, period, filter, scope, deadlines, via).await?
    };
    match counted {
        Some(counted) => {
            for (dim, rows) in from_the_cases.into_iter().zip(counted) {
                *rows_mut(&mut out, dim) = rows;
            }
        }
        None => out.uncounted = from_the_cases.iter().map(|d| d.breakdown()).collect(),
    }
    Ok(out)
}

/// The rows of one breakdown.
fn rows_mut(out: &mut Breakdowns, dim: Dim) -> &mut Vec<Row> {
    match dim {
        Dim::Category => &mut out.by_category,
        Dim::Source => &mut out.by_source,
        Dim::District => &mut out.by_district,
        Dim::Mediator => &mut out.by_mediator,
        Dim::Month => &mut out.by_month,
    }
}

/// Whether a count over the cases stops at [`UNCOUNTED_ABOVE`]: unless
/// something narrows them to a mediator's own, or the cases themselves are
/// asked for (the tests' reference).
fn capped(filter: &CaseFilter, scope: Scope, via: Via) -> bool {
    via == Via::Best && !matches!(scope, Scope::Mediator { .. }) && filter.mediator.is_none()
}

/// Whether more than [`UNCOUNTED_ABOVE`] cases match: asked first, by
/// itself, since stopping at the first 10,001 is cheap and counting them
/// all for the breakdowns would not be.
async fn more_than_the_cap(
    pool: &crate::store::Db,
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<bool, sqlx::Error> {
    let b = pool.backend();
    let (from, to) = date_bounds(period);
    let mut qb = Sql::new("SELECT COUNT(*) FROM (SELECT 1 AS one");
    push_cases(&mut qb, b, filter, scope);
    qb.push(" WHERE ");
    push_in_period(&mut qb, from, to);
    push_filter(&mut qb, b, filter, scope, deadlines);
    qb.push(" LIMIT ").push_bind(UNCOUNTED_ABOVE + 1).push(") t");
    let (matching,): (i64,) = qb.fetch_one(pool).await?;
    Ok(matching > UNCOUNTED_ABOVE)
}

pub(super) type RowTuple = (String, Option<String>, i64, i64, i64, i64, i64, i64);

pub(super) fn to_rows(tuples: Vec<RowTuple>) -> Vec<Row> {
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
fn push_outer(qb: &mut Sql, dim: Dim) {
    let (name, _, _) = dim.order();
    qb.push(format!(
        "SELECT x.key, {name}, x.cases, x.claimed, x.accepted, x.settled, x.agreed, x.in_mediation FROM ("
    ));
}

async fn from_summary(
    pool: &crate::store::Db,
    dim: Dim,
    summary: &Summary,
    period: &Period,
) -> Result<Vec<Row>, sqlx::Error> {
    let key = if dim == Dim::Month { "month" } else { "code" };
    let mut qb = Sql::new("");
    push_outer(&mut qb, dim);
    qb.push(format!(
        "SELECT {key} AS key, CAST(SUM(received) AS BIGINT) AS cases, CAST(SUM(claimed) AS BIGINT) AS claimed,
            CAST(SUM(accepted) AS BIGINT) AS accepted,
            CAST(SUM(CASE status WHEN 'settled' THEN accepted ELSE 0 END) AS BIGINT) AS settled,
            CAST(SUM(agreed) AS BIGINT) AS agreed,
            CAST(SUM(CASE status WHEN 'in_mediation' THEN accepted ELSE 0 END) AS BIGINT) AS in_mediation
         FROM"
    ));
    let grain = if dim == Dim::Month { Grain::Months } else { Grain::Years };
    push_summary_rows(&mut qb, summary, period, grain);
    let (_, join, order) = dim.order();
    qb.push(format!(
        " GROUP BY {key} HAVING SUM(received) <> 0 OR SUM(accepted) <> 0) x {join} ORDER BY {order}"
    ));
    Ok(to_rows(qb.fetch_all(pool).await?))
}

/// The breakdowns by `dims`, in that order, counted over the cases of the
/// period and filter; `None` when more than [`UNCOUNTED_ABOVE`] match
/// and the count is [`capped`]. The cases are read once (`matching`, no
/// more than one over the cap) for all of them; each breakdown's rows are
/// numbered in its order (`rn`), after a first row (`d` = -1) with the
/// number of cases read.
async fn from_cases(
    pool: &crate::store::Db,
    dims: &[Dim],
    period: &Period,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    via: Via,
) -> Result<Option<Vec<Vec<Row>>>, sqlx::Error> {
    let b = pool.backend();
    let (from, to) = date_bounds(period);
    let mut qb = Sql::new(format!(
        "WITH matching AS MATERIALIZED (
            SELECT c.id, c.category, c.source, c.district, c.status, c.amount_claimed,
                COALESCE(c.amount_agreed, 0) AS amount_agreed, {} AS rm, {} AS am,",
        dialect::month_key(b, "c.received_on"),
        dialect::month_key(b, "c.accepted_on"),
    ));
    push_part_flags(&mut qb, from, to);
    push_cases(&mut qb, b, filter, scope);
    qb.push(" WHERE ");
    push_in_period(&mut qb, from, to);
    push_filter(&mut qb, b, filter, scope, deadlines);
    let capped = capped(filter, scope, via);
    if capped {
        qb.push(" LIMIT ").push_bind(UNCOUNTED_ABOVE + 1);
    }
    qb.push(
        ") SELECT CAST(-1 AS BIGINT) AS d, '' AS key, NULL AS name, COUNT(*) AS cases, CAST(0 AS BIGINT) AS claimed,
            CAST(0 AS BIGINT) AS accepted, CAST(0 AS BIGINT) AS settled, CAST(0 AS BIGINT) AS agreed,
            CAST(0 AS BIGINT) AS in_mediation, CAST(0 AS BIGINT) AS rn FROM matching",
    );
    for (i, dim) in dims.iter().enumerate() {
        let (name, join, order) = dim.order();
        qb.push(format!(
            " UNION ALL SELECT {i} AS d, x.key, {name} AS name, x.cases, x.claimed, x.accepted, x.settled, x.agreed,
                x.in_mediation, ROW_NUMBER() OVER (ORDER BY {order}) AS rn
             FROM ({}) x {join}",
            grouped(*dim).replace("{ids_first}", ids_first(b))
        ));
    }
    qb.push(" ORDER BY d, rn");
    type Tuple = (i64, String, Option<String>, i64, i64, i64, i64, i64, i64, i64);
    let tuples: Vec<Tuple> = qb.fetch_all(pool).await?;
    let mut out = vec![Vec::new(); dims.len()];
    for (d, key, name, cases, claimed, accepted, settled, agreed, in_mediation, _) in tuples {
        if d == -1 && capped && cases > UNCOUNTED_ABOVE {
            return Ok(None);
        }
        if let Some(rows) = usize::try_from(d).ok().and_then(|d| out.get_mut(d)) {
            rows.push((key, name, cases, claimed, accepted, settled, agreed, in_mediation));
        }
    }
    Ok(Some(out.into_iter().map(to_rows).collect()))
}

/// The matching cases grouped by a dimension. A case counts in the month
/// it was received and in the month it was accepted: two parts. `CROSS
/// JOIN` keeps SQLite from walking every mediator link to find theirs.
fn grouped(dim: Dim) -> &'static str {
    match dim {
        Dim::Category => GROUPED_BY_CATEGORY,
        Dim::Source => GROUPED_BY_SOURCE,
        Dim::District => GROUPED_BY_DISTRICT,
        Dim::Mediator => GROUPED_BY_MEDIATOR,
        Dim::Month => GROUPED_BY_MONTH,
    }
}

const GROUPED_BY_CATEGORY: &str = "SELECT category AS key, CAST(SUM(r) AS BIGINT) AS cases,
    CAST(SUM(r * amount_claimed) AS BIGINT) AS claimed, CAST(SUM(a) AS BIGINT) AS accepted,
    CAST(SUM(CASE status WHEN 'settled' THEN a ELSE 0 END) AS BIGINT) AS settled,
    CAST(SUM(a * amount_agreed) AS BIGINT) AS agreed,
    CAST(SUM(CASE status WHEN 'in_mediation' THEN a ELSE 0 END) AS BIGINT) AS in_mediation
    FROM matching GROUP BY category";
const GROUPED_BY_SOURCE: &str = "SELECT source AS key, CAST(SUM(r) AS BIGINT) AS cases,
    CAST(SUM(r * amount_claimed) AS BIGINT) AS claimed, CAST(SUM(a) AS BIGINT) AS accepted,
    CAST(SUM(CASE status WHEN 'settled' THEN a ELSE 0 END) AS BIGINT) AS settled,
    CAST(SUM(a * amount_agreed) AS BIGINT) AS agreed,
    CAST(SUM(CASE status WHEN 'in_mediation' THEN a ELSE 0 END) AS BIGINT) AS in_mediation
    FROM matching GROUP BY source";
const GROUPED_BY_DISTRICT: &str = "SELECT district AS key, CAST(SUM(r) AS BIGINT) AS cases,
    CAST(SUM(r * amount_claimed) AS BIGINT) AS claimed, CAST(SUM(a) AS BIGINT) AS accepted,
    CAST(SUM(CASE status WHEN 'settled' THEN a ELSE 0 END) AS BIGINT) AS settled,
    CAST(SUM(a * amount_agreed) AS BIGINT) AS agreed,
    CAST(SUM(CASE status WHEN 'in_mediation' THEN a ELSE 0 END) AS BIGINT) AS in_mediation
    FROM matching GROUP BY district";
/// `{ids_first}`: see [`ids_first`].
const GROUPED_BY_MEDIATOR: &str = "SELECT CAST(cm.mediator_id AS TEXT) AS key, CAST(SUM(r) AS BIGINT) AS cases,
    CAST(SUM(r * amount_claimed) AS BIGINT) AS claimed, CAST(SUM(a) AS BIGINT) AS accepted,
    CAST(SUM(CASE status WHEN 'settled' THEN a ELSE 0 END) AS BIGINT) AS settled,
    CAST(SUM(a * amount_agreed) AS BIGINT) AS agreed,
    CAST(SUM(CASE status WHEN 'in_mediation' THEN a ELSE 0 END) AS BIGINT) AS in_mediation
    FROM matching {ids_first} case_mediators cm ON cm.case_id = matching.id GROUP BY cm.mediator_id";
const GROUPED_BY_MONTH: &str = "SELECT key, CAST(SUM(r) AS BIGINT) AS cases, CAST(SUM(claimed) AS BIGINT) AS claimed,
    CAST(SUM(a) AS BIGINT) AS accepted, CAST(SUM(settled) AS BIGINT) AS settled,
    CAST(SUM(agreed) AS BIGINT) AS agreed, CAST(SUM(open) AS BIGINT) AS in_mediation FROM (
        SELECT rm AS key, 1 AS r, amount_claimed AS claimed, 0 AS a, 0 AS settled, 0 AS agreed, 0 AS open
        FROM matching WHERE r = 1
        UNION ALL
        SELECT am, 0, 0, 1, CASE status WHEN 'settled' THEN 1 ELSE 0 END, amount_agreed,
            CASE status WHEN 'in_mediation' THEN 1 ELSE 0 END
        FROM matching WHERE a = 1
    ) AS parts GROUP BY key";
