//! The reference lists: categories, sources, party types and districts.

use std::collections::{HashMap, HashSet};

use sqlx::SqlitePool;

use crate::domain::RefList;
use crate::domain::reference::generate_code;
pub use crate::domain::reference::{RefItem, RefLists};

pub async fn load(pool: &SqlitePool) -> Result<RefLists, sqlx::Error> {
    let mut lists = RefLists::default();
    for list in RefList::ALL {
        let sql = match list {
            RefList::Category => "SELECT code, label_zh, label_en, retired FROM categories ORDER BY sort, code",
            RefList::Source => "SELECT code, label_zh, label_en, retired FROM sources ORDER BY sort, code",
            RefList::PartyType => "SELECT code, label_zh, label_en, retired FROM party_types ORDER BY sort, code",
            RefList::District => "SELECT code, label_zh, label_en, retired FROM districts ORDER BY sort, code",
        };
        let items = sqlx::query_as(sql).fetch_all(pool).await?;
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
pub async fn usage(pool: &SqlitePool, list: RefList) -> Result<HashMap<String, i64>, sqlx::Error> {
    let sql = match list {
        RefList::Category => USAGE_CATEGORY,
        RefList::Source => USAGE_SOURCE,
        RefList::District => USAGE_DISTRICT,
        RefList::PartyType => "SELECT code, parties FROM party_type_usage WHERE parties <> 0",
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(pool).await?;
    Ok(rows.into_iter().collect())
}

/// Each case is in the summary once under its category (source, district),
/// in the month it was received.
const USAGE_CATEGORY: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'category' GROUP BY code HAVING n <> 0";
const USAGE_SOURCE: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'source' GROUP BY code HAVING n <> 0";
const USAGE_DISTRICT: &str =
    "SELECT code, SUM(received) AS n FROM stats_monthly WHERE dim = 'district' GROUP BY code HAVING n <> 0";

fn item_json(code: &str, zh: &str, en: &str, retired: bool) -> serde_json::Value {
    serde_json::json!({"code": code, "label_zh": zh, "label_en": en, "retired": retired})
}

async fn audit(
    tx: &mut sqlx::SqliteConnection,
    actor: Option<i64>,
    list: RefList,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    let entity = list.table();
    super::audit::record(
        tx,
        super::audit::Change {
            user_id: actor,
            entity,
            entity_id: None,
            case_id: None,
            action,
            before,
            after,
        },
    )
    .await
}

async fn find(tx: &mut sqlx::SqliteConnection, list: RefList, code: &str) -> Result<Option<RefItem>, sqlx::Error> {
    let sql = format!(
        "SELECT code, label_zh, label_en, retired FROM {} WHERE code = ?",
        list.table()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *tx)
        .await
}

/// Adds a code at the end of a list and returns it. Without a code, one is
/// made from the English label ([`generate_code`]) inside the write
/// transaction, so two admins adding at once never get the same one.
pub async fn add(
    pool: &SqlitePool,
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
                .fetch_all(&mut *tx)
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
        .execute(&mut *tx)
        .await;
    match inserted {
        Err(e) if super::is_unique_violation(&e) => return Err(RefChangeError::Duplicate),
        other => other?,
    };
    audit(
        &mut tx,
        actor,
        list,
        "create",
        None,
        Some(item_json(code, zh, en, false)),
    )
    .await?;
    tx.commit().await?;
    Ok(code.to_string())
}

/// Renames a code's labels; the code itself never changes.
pub async fn rename(
    pool: &SqlitePool,
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
    pool: &SqlitePool,
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
    pool: &SqlitePool,
    actor: Option<i64>,
    list: RefList,
    code: &str,
    action: &str,
    edit: impl FnOnce(&mut RefItem),
) -> Result<(), RefChangeError> {
    let mut tx = super::begin_write(pool).await?;
    let Some(old) = find(&mut tx, list, code).await? else {
        return Err(RefChangeError::NotFound);
    };
    let mut new = old.clone();
    edit(&mut new);
    let sql = format!(
        "UPDATE {} SET label_zh = ?, label_en = ?, retired = ? WHERE code = ?",
        list.table()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&new.label_zh)
        .bind(&new.label_en)
        .bind(new.retired)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    let before = item_json(code, &old.label_zh, &old.label_en, old.retired);
    let after = item_json(code, &new.label_zh, &new.label_en, new.retired);
    audit(&mut tx, actor, list, action, Some(before), Some(after)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a code no case uses. A code in use can only be retired.
pub async fn delete(pool: &SqlitePool, actor: Option<i64>, list: RefList, code: &str) -> Result<(), RefChangeError> {
    let mut tx = super::begin_write(pool).await?;
    let Some(old) = find(&mut tx, list, code).await? else {
        return Err(RefChangeError::NotFound);
    };
    let sql = format!("DELETE FROM {} WHERE code = ?", list.table());
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).execute(&mut *tx).await {
        Ok(_) => {}
        // The foreign keys from cases and parties refuse it.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Err(RefChangeError::InUse),
        Err(e) => return Err(e.into()),
    }
    let before = item_json(code, &old.label_zh, &old.label_en, old.retired);
    audit(&mut tx, actor, list, "delete", Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}
