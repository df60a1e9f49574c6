//! The reference lists: categories, sources, party types and districts.

use std::collections::{HashMap, HashSet};

use std::sync::OnceLock;

use super::audit::{self, Audited, Target};
use super::{Backend, dialect};

use crate::domain::RefList;
use crate::domain::reference::generate_code;
pub use crate::domain::reference::{RefItem, RefLists};
use crate::on_db;

pub async fn load(pool: &crate::store::Db) -> Result<RefLists, sqlx::Error> {
    let mut lists = RefLists::default();
    for list in RefList::ALL {
        let sql = match list {
            RefList::Category => "SELECT code, label_zh, label_en, retired FROM categories ORDER BY sort, code",
            RefList::Source => "SELECT code, label_zh, label_en, retired FROM sources ORDER BY sort, code",
            RefList::PartyType => "SELECT code, label_zh, label_en, retired FROM party_types ORDER BY sort, code",
            RefList::District => "SELECT code, label_zh, label_en, retired FROM districts ORDER BY sort, code",
        };
        let items = on_db!(pool, |e| sqlx::query_as(sql).fetch_all(e).await)?;
        match list {
            RefList::Category => lists.categories = items,
            RefList::Source => lists.sources = items,
            RefList::PartyType => lists.party_types = items,
            RefList::District => lists.districts = items,
        }
    }
    Ok(lists)
}

/// Why a change to a reference list was refused.
#[derive(Debug, thiserror::Error)]
pub enum RefChangeError {
    /// The code is taken.
    #[error("the code is taken")]
    Duplicate,
    /// Cases use the code: it can only be retired.
    #[error("the code is in use")]
    InUse,
    #[error("no such code")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// How many cases (or parties, for party types) use each code of a list:
/// every case, counted or not, read from the summaries the triggers keep
/// (migrations 0005 and 0018) rather than from the cases themselves.
pub async fn usage(pool: &crate::store::Db, list: RefList) -> Result<HashMap<String, i64>, sqlx::Error> {
    let sql = match list {
        RefList::Category => USAGE_CATEGORY,
        RefList::Source => USAGE_SOURCE,
        RefList::District => USAGE_DISTRICT,
        RefList::PartyType => "SELECT code, parties FROM party_type_usage WHERE parties <> 0",
    };
    let rows: Vec<(String, i64)> = on_db!(pool, |e| sqlx::query_as(sql).fetch_all(e).await)?;
    Ok(rows.into_iter().collect())
}

/// The fields of a reference entry; an entry of the audit trail shows them
/// all, so it names the entry (by code and labels) whatever changed.
const ITEM_FIELDS: &[&str] = &["code", "label_zh", "label_en", "retired"];

/// A reference list's entries in the audit trail, one type per list (the
/// list is the entity), each snapshot the whole row found by its [`key`].
macro_rules! audited_list {
    ($name:ident, $table:literal) => {
        struct $name;

        impl Audited for $name {
            const ENTITY: &'static str = $table;
            const KEPT: &'static [&'static str] = ITEM_FIELDS;
            const SHOWS_ID: bool = false;

            async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
                static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
                let b = conn.backend();
                let sql = SQL[b as usize].get_or_init(|| snapshot_sql(b, $table));
                audit::json_of(conn, sql, id).await
            }
        }
    };
}

/// The query of an entry's snapshot: the whole row, found by its [`key`]
/// (`$1`), as a JSON object alike on both backends.
fn snapshot_sql(b: Backend, table: &str) -> String {
    format!(
        "SELECT {}('code', code, 'label_zh', label_zh, 'label_en', label_en, 'retired', {})
         FROM {table} ORDER BY code LIMIT 1 OFFSET $1",
        dialect::json_object(b),
        dialect::json_bool(b, "retired"),
    )
}

/// Each case is in the summary once under its category (source, district),
/// in the year it was received (migration 0038); committee 0 holds the whole installation.
const USAGE_CATEGORY: &str = "SELECT code, CAST(SUM(received) AS BIGINT) AS n FROM stats_yearly
     WHERE committee_id = 0 AND dim = 'category'
     GROUP BY code HAVING SUM(received) <> 0";
const USAGE_SOURCE: &str = "SELECT code, CAST(SUM(received) AS BIGINT) AS n FROM stats_yearly
     WHERE committee_id = 0 AND dim = 'source'
     GROUP BY code HAVING SUM(received) <> 0";
const USAGE_DISTRICT: &str = "SELECT code, CAST(SUM(received) AS BIGINT) AS n FROM stats_yearly
     WHERE committee_id = 0 AND dim = 'district'
     GROUP BY code HAVING SUM(received) <> 0";

audited_list!(CategoryEntry, "categories");
audited_list!(SourceEntry, "sources");
audited_list!(PartyTypeEntry, "party_types");
audited_list!(DistrictEntry, "districts");

/// Runs `$body` with `$a` the audit type of `$list`.
macro_rules! with_audited {
    ($list:expr, $a:ident => $body:expr) => {
        match $list {
            RefList::Category => {
                type $a = CategoryEntry;
                $body
            }
            RefList::Source => {
                type $a = SourceEntry;
                $body
            }
            RefList::PartyType => {
                type $a = PartyTypeEntry;
                $body
            }
            RefList::District => {
                type $a = DistrictEntry;
                $body
            }
        }
    };
}

/// A reference entry's change in the trail: always recorded (a rename to
/// the same labels is still the admin's act), with no client address.
fn target(key: i64, actor: Option<i64>, action: &str) -> Target<'_> {
    Target {
        id: key,
        case_id: None,
        actor,
        action,
        always: true,
        client: None,
        reason: None,
    }
}

/// The key the audit snapshots find a code's row by: how many codes of
/// its list sort before it. The tables have no id of their own (and no
/// rowid on PostgreSQL); the key holds within one write transaction, in
/// which no code is added or removed after it is taken, and is never
/// stored ([`Audited::SHOWS_ID`] is false).
async fn key(tx: &mut crate::store::Conn<'_>, list: RefList, code: &str) -> Result<Option<i64>, sqlx::Error> {
    let t = list.table();
    let sql = format!(
        "SELECT CAST((SELECT COUNT(*) FROM {t} o WHERE o.code < r.code) AS BIGINT) FROM {t} r WHERE r.code = $1"
    );
    on_db!(tx, |e| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(e)
            .await
    })
}

async fn find(tx: &mut crate::store::Conn<'_>, list: RefList, code: &str) -> Result<Option<RefItem>, sqlx::Error> {
    let sql = format!(
        "SELECT code, label_zh, label_en, retired FROM {} WHERE code = $1",
        list.table()
    );
    on_db!(tx, |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(e)
            .await
    })
}

/// Adds a code at the end of a list and returns it. Without a code, one is
/// made from the English label ([`generate_code`]) inside the write
/// transaction, so two admins adding at once never get the same one.
pub async fn add(
    pool: &crate::store::Db,
    actor: Option<i64>,
    list: RefList,
    code: Option<&str>,
    zh: &str,
    en: &str,
) -> Result<String, RefChangeError> {
    let mut tx = super::begin_write(pool).await?;
    let t = list.table();
    let code = match code {
        Some(c) => c.to_string(),
        None => {
            let sql = format!("SELECT code FROM {t}");
            let taken: Vec<String> = on_db!(tx, |e| sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(e).await)?;
            let taken: HashSet<String> = taken.into_iter().collect();
            generate_code(en, |c| taken.contains(c))
        }
    };
    let code = code.as_str();
    let sql = format!(
        "INSERT INTO {t} (code, label_zh, label_en, sort) VALUES ($1, $2, $3, (SELECT COALESCE(MAX(sort), 0) + 1 FROM {t}))"
    );
    let inserted = on_db!(tx, |e| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .bind(zh)
            .bind(en)
            .execute(e)
            .await
            .map(|_| ())
    });
    match inserted {
        Err(e) if super::is_unique_violation(&e) => return Err(RefChangeError::Duplicate),
        other => other?,
    };
    let key = key(&mut tx.conn(), list, code).await?.ok_or(RefChangeError::NotFound)?;
    with_audited!(list, A => audit::created::<A>(&mut tx.conn(), target(key, actor, "create")).await?);
    tx.commit().await?;
    Ok(code.to_string())
}

/// Renames a code's labels; the code itself never changes.
pub async fn rename(
    pool: &crate::store::Db,
    actor: Option<i64>,
    list: RefList,
    code: &str,
    zh: &str,
    en: &str,
) -> Result<(), RefChangeError> {
    change(pool, actor, list, code, "rename", |item| {
        item.label_zh = zh.to_string();
        item.label_en = en.to_string();
    })
    .await
}

/// Retires a code (hidden from new cases, kept for old ones) or restores it.
pub async fn set_retired(
    pool: &crate::store::Db,
    actor: Option<i64>,
    list: RefList,
    code: &str,
    retired: bool,
) -> Result<(), RefChangeError> {
    let action = if retired { "retire" } else { "restore" };
    change(pool, actor, list, code, action, |item| item.retired = retired).await
}

/// Changes an item's labels or retired flag and records before and after.
async fn change(
    pool: &crate::store::Db,
    actor: Option<i64>,
    list: RefList,
    code: &str,
    action: &str,
    edit: impl FnOnce(&mut RefItem),
) -> Result<(), RefChangeError> {
    let mut tx = super::begin_write(pool).await?;
    let (Some(mut item), Some(key)) = (
        find(&mut tx.conn(), list, code).await?,
        key(&mut tx.conn(), list, code).await?,
    ) else {
        return Err(RefChangeError::NotFound);
    };
    edit(&mut item);
    let sql = format!(
        "UPDATE {} SET label_zh = $1, label_en = $2, retired = $3 WHERE code = $4",
        list.table()
    );
    let update = async |conn: &mut crate::store::Conn<'_>| {
        on_db!(conn, |e| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&item.label_zh)
                .bind(&item.label_en)
                .bind(item.retired)
                .bind(code)
                .execute(e)
                .await
                .map(|_| ())
        })
    };
    with_audited!(list, A => audit::changed::<A, _, sqlx::Error>(&mut tx.conn(), target(key, actor, action), update).await?);
    tx.commit().await?;
    Ok(())
}

/// Deletes a code no case uses. A code in use can only be retired.
pub async fn delete(
    pool: &crate::store::Db,
    actor: Option<i64>,
    list: RefList,
    code: &str,
) -> Result<(), RefChangeError> {
    let mut tx = super::begin_write(pool).await?;
    let Some(key) = key(&mut tx.conn(), list, code).await? else {
        return Err(RefChangeError::NotFound);
    };
    let sql = format!("DELETE FROM {} WHERE code = $1", list.table());
    let remove = async |conn: &mut crate::store::Conn<'_>| {
        let deleted = on_db!(conn, |e| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(code)
                .execute(e)
                .await
                .map(|_| ())
        });
        match deleted {
            Ok(_) => Ok(()),
            // The foreign keys from cases and parties refuse it.
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(RefChangeError::InUse),
            Err(e) => Err(e.into()),
        }
    };
    with_audited!(list, A => audit::deleted::<A, _, RefChangeError>(&mut tx.conn(), target(key, actor, "delete"), remove).await?);
    tx.commit().await?;
    Ok(())
}
