//! How many cases a filter finds in a scope: exactly, or up to a cap.

use super::filter::{push_filter, push_filter_on};
use crate::domain::{CaseFilter, Deadlines};
use crate::on_db;
use crate::store::Conn;
use crate::store::cases::Scope;
use crate::store::search::{self, Reading};
use crate::store::sql::Sql;

/// The number of cases a filter finds in a scope.
pub async fn count(
    pool: &crate::store::Db,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
) -> Result<i64, sqlx::Error> {
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE 1 = 1");
    push_filter(&mut qb, pool.backend(), filter, scope, deadlines);
    let (n,): (i64,) = qb.fetch_one(pool).await?;
    Ok(n)
}

/// The number of cases a filter finds in a scope, counting no further than
/// `cap + 1` (so a broad filter stops early), on a connection already taken
/// (one for the whole list page: each query through the pool costs a
/// connection taken and given back, given back checked with one more round
/// trip to its thread).
pub async fn count_upto_in(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    let from = search::reading(conn, filter).await?;
    count_upto_on(conn, filter, scope, deadlines, cap, from).await
}

/// [`count_upto_in`] with the filter's search read as `from` says.
pub(super) async fn count_upto_on(
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    cap: i64,
    from: Reading,
) -> Result<i64, sqlx::Error> {
    // A committee's whole list is what its summary counts (every case once,
    // in the month it was received, kept by the same transaction as every
    // write): a few hundred summary rows instead of `cap` cases.
    if let Scope::Committee { id, .. } = scope
        && filter.is_empty()
    {
        let n: i64 = on_db!(conn, |e| {
            sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) FROM stats_monthly
                 WHERE committee_id = $1 AND dim = 'all' AND status <> 'voided'",
            )
            .bind(id)
            .fetch_one(e)
            .await
        })?;
        return Ok(n.min(cap + 1));
    }
    let b = conn.backend();
    let mut qb = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM ");
    let streamed = words_alone(filter, scope)
        && filter
            .q
            .as_deref()
            .is_some_and(|q| search::push_stream(&mut qb, b, q, from));
    // A word the page tests case by case may be looked up for the count,
    // unless the count reads its matches (where each case streamed is
    // tested as a page tests it).
    let from = if streamed { from } else { from.counted() };
    if !streamed {
        qb.push(from.table()).push(" WHERE 1 = 1");
    }
    push_filter_on(&mut qb, b, filter, scope, deadlines, from);
    qb.push(" LIMIT ").push_bind(cap + 1).push(") matching");
    let (n,): (i64,) = qb.fetch_one_in(conn).await?;
    Ok(n)
}

/// Whether nothing but the search's words narrows a list: no column, date,
/// mediator or flag, and a scope no index may start from (every case, or a
/// committee holding most of them).
fn words_alone(filter: &CaseFilter, scope: Scope) -> bool {
    let rest = CaseFilter {
        q: None,
        ..filter.clone()
    };
    rest.is_empty() && matches!(scope, Scope::All | Scope::Committee { narrow: false, .. })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::PartyRole;
    use crate::store::orgs::{Committee, FIRST_COMMITTEE};

    /// A new file with a case for each (district, category, project,
    /// summary), each with the applicant 张伟.
    async fn with_cases(cases: &[(&str, &str, &str, &str)]) -> (tempfile::TempDir, crate::store::Db) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("count.db")).await.unwrap();
        let mediator = crate::store::mediators::insert(&pool, FIRST_COMMITTEE, "王调解", "", true)
            .await
            .unwrap();
        let committee = Committee::first("物调");
        for &(district, category, project, summary) in cases {
            let mut input =
                crate::store::search::case_input(project, summary, &[(PartyRole::Applicant, "张伟")], mediator);
            input.district = district.into();
            input.category = category.into();
            crate::store::cases::create(&pool, &input, &committee, None)
                .await
                .unwrap();
        }
        (dir, pool)
    }

    /// Read from a word's matches, a count finds each case once: a case of
    /// the district whose name holds the word and whose text holds it too
    /// is in both of the word's streams.
    #[tokio::test]
    async fn a_count_read_from_a_word_s_matches_counts_each_case_once() {
        let (_dir, pool) = with_cases(&[
            ("chaoyang", "fees", "朝阳花园", "漏水"),
            ("chaoyang", "fees", "翠湖苑", "欠费"),
            ("haidian", "fees", "翠湖苑", "朝阳门外停车"),
            ("haidian", "fees", "阳光花园", "朝阳区的业主"),
            ("haidian", "fees", "翠湖苑", "漏水"),
        ])
        .await;
        let deadlines = Deadlines::new(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 30);
        let mut conn = pool.acquire().await.unwrap();
        let mut conn = conn.conn();
        let mut counted = 0;
        for q in ["朝阳", "朝阳区", "翠湖", "朝阳 翠湖", "翠湖 朝阳", "张伟", "停车"] {
            let filter = CaseFilter {
                q: Some(q.into()),
                ..CaseFilter::default()
            };
            for scope in [
                Scope::All,
                Scope::Committee {
                    id: FIRST_COMMITTEE,
                    narrow: false,
                },
            ] {
                for cap in [1, 2, 100] {
                    let every = count_upto_on(&mut conn, &filter, scope, deadlines, cap, Reading::Cases)
                        .await
                        .unwrap();
                    // Each word tested case by case, or one of them looked up.
                    for mask in [0b01, 0b10, 0b11] {
                        let streamed = count_upto_on(
                            &mut conn,
                            &filter,
                            scope,
                            deadlines,
                            cap,
                            Reading::CasesProbing(search::Weights::probing(mask)),
                        )
                        .await
                        .unwrap();
                        assert_eq!(streamed, every, "{q} {scope:?} cap {cap} mask {mask}");
                    }
                    counted += every;
                }
            }
        }
        assert!(counted > 20, "the words find cases");
    }

    /// A count narrowed by a column too finds the same cases whether its
    /// common words are tested case by case or looked up with their
    /// district tested on the row ([`Reading::counted`]), each case once.
    #[tokio::test]
    async fn a_narrowed_count_of_a_common_word_counts_what_a_plain_count_does() {
        let (_dir, pool) = with_cases(&[
            ("chaoyang", "parking", "朝阳花园", "漏水"),
            ("chaoyang", "parking", "翠湖苑", "欠费"),
            ("chaoyang", "fees", "翠湖苑", "欠费"),
            ("haidian", "parking", "翠湖苑", "朝阳门外停车"),
            ("haidian", "fees", "阳光花园", "朝阳区的业主"),
            ("haidian", "parking", "翠湖苑", "漏水"),
        ])
        .await;
        let deadlines = Deadlines::new(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 30);
        let mut conn = pool.acquire().await.unwrap();
        let mut conn = conn.conn();
        let common = |mask| search::Weights {
            probed: mask,
            common: 0b11,
            most: 0,
        };
        let mut counted = 0;
        for q in ["朝阳", "朝阳区", "翠湖", "朝阳 翠湖", "张伟 朝阳"] {
            let filter = CaseFilter {
                q: Some(q.into()),
                category: Some("parking".into()),
                ..CaseFilter::default()
            };
            let every = count_upto_on(&mut conn, &filter, Scope::All, deadlines, 100, Reading::Cases)
                .await
                .unwrap();
            for mask in [0b00, 0b01, 0b10, 0b11] {
                let reading = Reading::CasesProbing(common(mask));
                let n = count_upto_on(&mut conn, &filter, Scope::All, deadlines, 100, reading)
                    .await
                    .unwrap();
                assert_eq!(n, every, "{q} mask {mask}");
            }
            counted += every;
        }
        assert_eq!(counted, 3 + 3 + 2 + 2 + 3, "the words find the parking cases");
    }
}
