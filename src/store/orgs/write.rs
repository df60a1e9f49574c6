//! Adding, renaming and retiring organisations: each one audited write in
//! one transaction, the tree's rules checked against the tree inside it
//! (see `domain::org`).

use chrono::Utc;

use super::{Organisation, get_in};
use crate::domain::org::{NewKind, NewOrg, OrgErrors, OrgProblem, RegionCode, place_problem, retire_problem};
use crate::on_db;
use crate::store::audit::{self, Audited, Target};
use crate::store::{Backend, Conn, Db, now_utc};

/// Why a change to the tree was refused.
#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    /// A field's problem, keyed by its form field name; nothing written.
    #[error("{0:?}")]
    Invalid(OrgErrors),
    #[error("no such organisation")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl OrgError {
    fn field(field: &str, problem: OrgProblem) -> OrgError {
        let mut errors = OrgErrors::default();
        errors.add(field, problem);
        OrgError::Invalid(errors)
    }
}

/// An organisation in the audit trail (entity `organisation`).
struct OrgRecord;

impl Audited for OrgRecord {
    const ENTITY: &'static str = "organisation";
    const KEPT: &'static [&'static str] = &["name"];

    async fn snapshot(conn: &mut Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        let sql = match conn.backend() {
            Backend::Sqlite => {
                "SELECT json_object('parent_id', parent_id, 'kind', kind, 'level', level, 'name', name,
                     'region_code', region_code, 'case_prefix', case_prefix, 'retired_on', retired_on)
                 FROM organisations WHERE id = $1"
            }
            Backend::Postgres => {
                "SELECT jsonb_build_object('parent_id', parent_id, 'kind', kind, 'level', level, 'name', name,
                     'region_code', region_code, 'case_prefix', case_prefix,
                     'retired_on', CAST(retired_on AS TEXT))
                 FROM organisations WHERE id = $1"
            }
        };
        audit::json_of(conn, sql, id).await
    }
}

fn target<'a>(id: i64, actor: Option<i64>, client: Option<&'a str>, action: &'a str) -> Target<'a> {
    Target {
        id,
        case_id: None,
        actor,
        action,
        always: false,
        client,
        reason: None,
    }
}

/// Whether another organisation under `parent` (not `except`) has `name`.
async fn sibling_named(conn: &mut Conn<'_>, parent: i64, name: &str, except: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = on_db!(conn, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations WHERE parent_id = $1 AND name = $2 AND id <> $3"
    )
    .bind(parent)
    .bind(name)
    .bind(except)
    .fetch_one(e)
    .await)?;
    Ok(n > 0)
}

/// Adds an association or a committee under an association; its `path`
/// is its parent's and its own id. Returns the new id.
pub async fn add(db: &Db, actor: Option<i64>, client: Option<&str>, new: &NewOrg) -> Result<i64, OrgError> {
    let mut tx = crate::store::begin_write(db).await?;
    let parent = get_in(&mut tx.conn(), new.parent_id)
        .await?
        .ok_or(OrgError::field("parent", OrgProblem::UnknownParent))?;
    if let Some(problem) = place_problem(parent.kind, parent.retired) {
        return Err(OrgError::field("parent", problem));
    }
    if sibling_named(&mut tx.conn(), parent.id, &new.name, -1).await? {
        return Err(OrgError::field("name", OrgProblem::NameTaken));
    }
    let (level, prefix) = match &new.kind {
        NewKind::Association(level) => (Some(level.code()), None),
        NewKind::Committee(prefix) => (None, Some(prefix.as_str())),
    };
    if let Some(prefix) = prefix {
        let taken: i64 = on_db!(tx, |e| sqlx::query_scalar(
            "SELECT COUNT(*) FROM organisations WHERE case_prefix = $1"
        )
        .bind(prefix)
        .fetch_one(e)
        .await)?;
        if taken > 0 {
            return Err(OrgError::field("prefix", OrgProblem::PrefixTaken));
        }
    }
    let row = Row {
        kind: new.kind.kind().code(),
        level,
        name: &new.name,
        region: Some(new.region.as_str()),
        prefix,
        remote_key: None,
    };
    let id = insert_under(&mut tx.conn(), &parent, &row).await?;
    audit::created::<OrgRecord>(&mut tx.conn(), target(id, actor, client, "create")).await?;
    tx.commit().await?;
    Ok(id)
}

/// An organisation's row as written.
pub(crate) struct Row<'a> {
    pub kind: &'a str,
    pub level: Option<&'a str>,
    pub name: &'a str,
    pub region: Option<&'a str>,
    pub prefix: Option<&'a str>,
    /// A committee reported by another installation (`store::rollup`).
    pub remote_key: Option<&'a str>,
}

/// Writes `row` under `parent`, in a transaction holding the write lock;
/// its `path` is its parent's and its own id. Returns the new id. The
/// rules of the tree are the caller's.
pub(crate) async fn insert_under(
    conn: &mut Conn<'_>,
    parent: &Organisation,
    row: &Row<'_>,
) -> Result<i64, sqlx::Error> {
    // The path needs the id: the row goes in under a path no other row
    // can have while this transaction holds the write lock, then gets its own.
    let id: i64 = on_db!(conn, |e| {
        sqlx::query_scalar(
        "INSERT INTO organisations (parent_id, kind, level, name, region_code, case_prefix, path, created_at, remote_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(parent.id)
    .bind(row.kind)
    .bind(row.level)
    .bind(row.name)
    .bind(row.region)
    .bind(row.prefix)
    .bind(format!("{}+", parent.path))
    .bind(now_utc())
    .bind(row.remote_key)
    .fetch_one(e)
    .await
    })?;
    on_db!(conn, |e| sqlx::query(
        "UPDATE organisations SET path = $1 WHERE id = $2"
    )
    .bind(format!("{}{id}/", parent.path))
    .bind(id)
    .execute(e)
    .await
    .map(|_| ()))?;
    Ok(id)
}

/// Renames an organisation and, when given, sets its region code.
pub async fn update(
    db: &Db,
    actor: Option<i64>,
    client: Option<&str>,
    id: i64,
    name: &str,
    region: Option<&RegionCode>,
) -> Result<(), OrgError> {
    let mut tx = crate::store::begin_write(db).await?;
    let org = get_in(&mut tx.conn(), id).await?.ok_or(OrgError::NotFound)?;
    if let Some(parent) = org.parent_id
        && sibling_named(&mut tx.conn(), parent, name, id).await?
    {
        return Err(OrgError::field("name", OrgProblem::NameTaken));
    }
    let region = region.map(RegionCode::as_str).or(org.region_code.as_deref());
    audit::changed::<OrgRecord, _, sqlx::Error>(&mut tx.conn(), target(id, actor, client, "update"), async |conn| {
        on_db!(conn, |e| sqlx::query(
            "UPDATE organisations SET name = $1, region_code = $2 WHERE id = $3"
        )
        .bind(name)
        .bind(region)
        .bind(id)
        .execute(e)
        .await
        .map(|_| ()))
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Retires an organisation: it takes no new users or cases, and keeps
/// what it has (a retired committee's users still read its cases). Not
/// the root, nor an association with organisations under it still working.
pub async fn retire(db: &Db, actor: Option<i64>, client: Option<&str>, id: i64) -> Result<(), OrgError> {
    let mut tx = crate::store::begin_write(db).await?;
    let org: Organisation = get_in(&mut tx.conn(), id).await?.ok_or(OrgError::NotFound)?;
    let active_children: i64 = on_db!(tx, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations WHERE parent_id = $1 AND retired_on IS NULL"
    )
    .bind(id)
    .fetch_one(e)
    .await)?;
    if let Some(problem) = retire_problem(org.parent_id.is_none(), active_children) {
        return Err(OrgError::field("retire", problem));
    }
    set_retired(
        &mut tx.conn(),
        actor,
        client,
        id,
        Some(Utc::now().date_naive()),
        "retire",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a retired organisation back into use, under a parent in use.
pub async fn restore(db: &Db, actor: Option<i64>, client: Option<&str>, id: i64) -> Result<(), OrgError> {
    let mut tx = crate::store::begin_write(db).await?;
    let org = get_in(&mut tx.conn(), id).await?.ok_or(OrgError::NotFound)?;
    if let Some(parent) = org.parent_id {
        let parent = get_in(&mut tx.conn(), parent).await?.ok_or(OrgError::NotFound)?;
        if parent.retired {
            return Err(OrgError::field("retire", OrgProblem::Retired));
        }
    }
    set_retired(&mut tx.conn(), actor, client, id, None, "restore").await?;
    tx.commit().await?;
    Ok(())
}

async fn set_retired(
    conn: &mut Conn<'_>,
    actor: Option<i64>,
    client: Option<&str>,
    id: i64,
    on: Option<chrono::NaiveDate>,
    action: &str,
) -> Result<(), sqlx::Error> {
    audit::changed::<OrgRecord, _, sqlx::Error>(conn, target(id, actor, client, action), async |conn| {
        on_db!(conn, |e| sqlx::query(
            "UPDATE organisations SET retired_on = $1 WHERE id = $2"
        )
        .bind(on)
        .bind(id)
        .execute(e)
        .await
        .map(|_| ()))
    })
    .await
}

/// Every committee's mediators as (committee, mediator id, name), active
/// first, for the users page's mediator choice.
pub async fn mediators_by_committee(db: &Db) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    on_db!(db, |e| sqlx::query_as(
        "SELECT committee_id, id, name FROM mediators WHERE active ORDER BY committee_id, name"
    )
    .fetch_all(e)
    .await)
}
