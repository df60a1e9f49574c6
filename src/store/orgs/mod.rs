//! Organisations (migration 0026): the tree of associations and their
//! mediation committees, and what a committee numbers its cases with.

use crate::domain::org::{OrgKind, OrgLevel};
use crate::on_db;
use crate::store::{Conn, Db};

/// The committee an installation from before issue 15 became, which keeps
/// its cases, users and numbers (migration 0026).
pub const FIRST_COMMITTEE: i64 = 2;

/// One organisation as pages and commands show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub level: Option<OrgLevel>,
    pub name: String,
    pub region_code: Option<String>,
    /// A committee's own prefix; `None` for the first committee, which goes
    /// on with the configured one (see [`Committee::prefix`]).
    pub case_prefix: Option<String>,
    /// The ids from the root down, `/1/2/`: a subtree is one prefix.
    pub path: String,
    pub retired: bool,
    /// A committee of another installation whose figures come in packets
    /// (`store::rollup`): it has no cases, users or numbers here.
    pub remote: bool,
}

impl Organisation {
    pub fn is_committee(&self) -> bool {
        self.kind == OrgKind::Committee
    }

    /// How deep in the tree: the root is 0.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// The columns of [`Organisation`], after `SELECT`.
macro_rules! columns {
    () => {
        "SELECT id, parent_id, kind, level, COALESCE(name, '') AS name, region_code, case_prefix, path,
                retired_on IS NOT NULL AS retired, remote_key IS NOT NULL AS remote FROM organisations"
    };
}

/// Every organisation, each after its parent (ordered by path).
pub async fn list(db: &Db) -> Result<Vec<Organisation>, sqlx::Error> {
    on_db!(db, |e| sqlx::query_as(concat!(columns!(), " ORDER BY path"))
        .fetch_all(e)
        .await)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Organisation>, sqlx::Error> {
    get_in(&mut db.acquire().await?.conn(), id).await
}

/// [`get`] on a connection already taken (or in a transaction).
pub async fn get_in(conn: &mut Conn<'_>, id: i64) -> Result<Option<Organisation>, sqlx::Error> {
    on_db!(conn, |e| sqlx::query_as(concat!(columns!(), " WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

/// A committee as case numbering needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    pub id: i64,
    /// The committee's prefix, or the configured one for the first committee.
    pub prefix: String,
}

impl Committee {
    /// The first committee, numbering with `prefix` (the configured one):
    /// what an installation of one committee writes to.
    pub fn first(prefix: &str) -> Committee {
        Committee {
            id: FIRST_COMMITTEE,
            prefix: prefix.to_string(),
        }
    }
}

/// The committee `id` numbers with, `configured` standing in for a
/// prefix never set; `None` when `id` is no committee, a retired one
/// (which takes no new cases: what writes a case asks here first), or one
/// reported from another installation.
pub async fn committee_in(conn: &mut Conn<'_>, id: i64, configured: &str) -> Result<Option<Committee>, sqlx::Error> {
    Ok(get_in(conn, id)
        .await?
        .filter(|o| o.is_committee() && !o.retired && !o.remote)
        .map(|o| Committee {
            id: o.id,
            prefix: o.case_prefix.unwrap_or_else(|| configured.to_string()),
        }))
}

/// [`committee_in`] on the pool.
pub async fn committee(db: &Db, id: i64, configured: &str) -> Result<Option<Committee>, sqlx::Error> {
    committee_in(&mut db.acquire().await?.conn(), id, configured).await
}

/// Names the organisations migration 0026 left unnamed, from the
/// configured `association_name` (e.g. 北京物业管理行业协会调解委员会): the
/// committee takes it whole, the association it without `调解委员会`.
/// Runs at start-up; a no-op once they have names.
pub async fn name_unnamed(db: &Db, committee_name: &str) -> Result<(), sqlx::Error> {
    if committee_name.trim().is_empty() {
        return Ok(());
    }
    let association = committee_name
        .strip_suffix("调解委员会")
        .filter(|s| !s.is_empty())
        .unwrap_or(committee_name);
    on_db!(db, |e| {
        sqlx::query(
            "UPDATE organisations SET name = CASE kind WHEN 'committee' THEN $1 ELSE $2 END
             WHERE name IS NULL",
        )
        .bind(committee_name)
        .bind(association)
        .execute(e)
        .await
        .map(|_| ())
    })
}

mod write;
pub use write::{OrgError, add, mediators_by_committee, restore, retire, update};
pub(crate) use write::{Row, insert_under};

/// An organisation on the organisations page, with what it holds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    #[sqlx(flatten)]
    pub org: Organisation,
    /// Its users (active or not).
    pub users: i64,
    /// Its cases (a committee's; 0 for an association).
    pub cases: i64,
}

/// Every organisation with its numbers of users and cases, each after its
/// parent. Users are one index range (`users_org`) each; cases are read
/// from the summary (migration 0027: a committee's received cases, by
/// year since 0038, and status), where counting `cases_committee` read every case
/// (115 ms at a million).
pub async fn list_with_counts(db: &Db) -> Result<Vec<OrgRow>, sqlx::Error> {
    on_db!(db, |e| sqlx::query_as(
        "SELECT o.id, o.parent_id, o.kind, o.level, COALESCE(o.name, '') AS name, o.region_code,
                o.case_prefix, o.path, o.retired_on IS NOT NULL AS retired, o.remote_key IS NOT NULL AS remote,
                (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS users,
                (SELECT CAST(COALESCE(SUM(s.received), 0) AS BIGINT) FROM stats_yearly s
                  WHERE s.committee_id = o.id AND s.dim = 'all') AS cases
         FROM organisations o ORDER BY o.path"
    )
    .fetch_all(e)
    .await)
}
