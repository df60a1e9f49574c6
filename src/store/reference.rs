//! The reference lists: categories, sources, party types and districts.

use std::collections::{HashMap, HashSet};

use super::audit::{self, Audited, Target};

use crate::domain::RefList;
use crate::on_db;
use crate::domain::reference::generate_code;
pub use crate::domain::reference::{RefItem, RefLists};

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
    let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(pool.sqlite()?).await?;
    Ok(rows.into_iter().collect())
}

/// The fields of a reference entry; an entry of the audit trail shows them
/// all, so it names the entry (by code and labels) whatever changed.
const ITEM_FIELDS: &[&str] = &["code", "label_zh", "label_en", "retired"];

/// A reference list's entries in the audit trail, one type per list (the
/// list is the entity), each snapshot the whole row found by its rowid.
macro_rules! audited_list {
    ($name:ident, $table:literal) => {
        struct $name;

        impl Audited for $name {
            const ENTITY: &'static str = $table;
            const KEPT: &'static [&'static str] = ITEM_FIELDS;
            const SHOWS_ID: bool = false;

            async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
                let sql = concat!(
                    "SELECT json_object('code', code, 'label_zh', label_zh, 'label_en', label_en,
                            'retired', json(iif(retired, 'true', 'false')))
                     FROM ",
                    $table,
                    " WHERE rowid = ?"
                );
                audit::json_of(conn, sql, id).await
            }
        }
    };
}

/// Each case is in the summary once under its category (source, district),
/// in the month it was received.
const USAGE_CATEGORY: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'category' GROUP BY code HAVING n <> 0";
const USAGE_SOURCE: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'source' GROUP BY code HAVING n <> 0";
const USAGE_DISTRICT: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'district' GROUP BY code HAVING n <> 0";

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
fn target(rowid: i64, actor: Option<i64>, action: &str) -> Target<'_> {
    Target {
        id: rowid,
        case_id: None,
        actor,
        action,
        always: true,
        client: None,
        reason: None,
    }
}

/// The rowid of a code's row, which the audit snapshots find it by. Used
/// within one transaction only: a VACUUM may renumber these tables' rowids,
/// so none is ever stored.
async fn rowid(tx: &mut crate::store::Conn<'_>, list: RefList, code: &str) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!("SELECT rowid FROM {} WHERE code = ?", list.table());
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(tx.sqlite()?)
        .await
}

async fn find(tx: &mut crate::store::Conn<'_>, list: RefList, code: &str) -> Result<Option<RefItem>, sqlx::Error> {
    let sql = format!(
        "SELECT code, label_zh, label_en, retired FROM {} WHERE code = ?",
        list.table()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(tx.sqlite()?)
        .await
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
            let taken: HashSet<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut **tx.sqlite()?)
                .await?
                .into_iter()
                .collect();
            generate_code(en, |c| taken.contains(c))
        }
    };
    let code = code.as_str();
    let sql = format!(
        "INSERT INTO {t} (code, label_zh, label_en, sort) VALUES (?, ?, ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM {t}))"
    );
    let inserted = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .bind(zh)
        .bind(en)
        .execute(&mut **tx.sqlite()?)
        .await;
    let rowid = match inserted {
        Err(e) if super::is_unique_violation(&e) => return Err(RefChangeError::Duplicate),
        other => other?.last_insert_rowid(),
    };
    with_audited!(list, A => audit::created::<A>(&mut tx.conn(), target(rowid, actor, "create")).await?);
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
    let (Some(mut item), Some(rowid)) = (
        find(&mut tx.conn(), list, code).await?,
        rowid(&mut tx.conn(), list, code).await?,
    ) else {
        return Err(RefChangeError::NotFound);
    };
    edit(&mut item);
    let sql = format!(
        "UPDATE {} SET label_zh = ?, label_en = ?, retired = ? WHERE rowid = ?",
        list.table()
    );
    let update = async |conn: &mut crate::store::Conn<'_>| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&item.label_zh)
            .bind(&item.label_en)
            .bind(item.retired)
            .bind(rowid)
            .execute(conn.sqlite()?)
            .await
    };
    with_audited!(list, A => audit::changed::<A, _, sqlx::Error>(&mut tx.conn(), target(rowid, actor, action), update).await?);
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
    let Some(rowid) = rowid(&mut tx.conn(), list, code).await? else {
        return Err(RefChangeError::NotFound);
    };
    let sql = format!("DELETE FROM {} WHERE rowid = ?", list.table());
    let remove = async |conn: &mut crate::store::Conn<'_>| {
        match sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(rowid)
            .execute(conn.sqlite()?)
            .await
        {
            Ok(_) => Ok(()),
            // The foreign keys from cases and parties refuse it.
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(RefChangeError::InUse),
            Err(e) => Err(e.into()),
        }
    };
    with_audited!(list, A => audit::deleted::<A, _, RefChangeError>(&mut tx.conn(), target(rowid, actor, "delete"), remove).await?);
    tx.commit().await?;
    Ok(())
}
