//! What the state keeps in memory between requests: the reference lists,
//! recently read users, and which committees hold few cases.

use std::sync::Arc;

use super::AppState;
use crate::domain::reference::RefLists;

/// How long whether a committee holds few cases is reused: it moves only
/// as cases are added by the thousand.
const NARROW_FOR: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Default)]
pub(super) struct NarrowCache(std::sync::Mutex<std::collections::HashMap<i64, (bool, std::time::Instant)>>);

/// How long a signed-in user's row read for a request is reused by the
/// next ones (issue 12: one query less per request). Changes made here
/// drop the copies at once ([`AppState::users_changed`]); a change by
/// another process (`accord user …`) takes effect within this time.
pub(super) const USER_CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Default)]
pub(super) struct UserCache(
    std::sync::Mutex<std::collections::HashMap<i64, (crate::store::users::User, std::time::Instant)>>,
);

/// The cached reference lists and a generation counter: a load that
/// started before a change is never stored after it.
#[derive(Default)]
pub(super) struct RefCache(std::sync::Mutex<(u64, Option<Arc<RefLists>>)>);

impl AppState {
    /// The reference lists (categories, sources, party types, districts),
    /// from memory after the first request: every page shows their labels,
    /// and only [`AppState::refs_changed`] after an admin's change moves them.
    pub async fn refs(&self) -> Result<Arc<RefLists>, sqlx::Error> {
        let generation = {
            let cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(lists) = &cache.1 {
                return Ok(lists.clone());
            }
            cache.0
        };
        let lists = Arc::new(crate::store::reference::load(&self.pool).await?);
        let mut cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.0 == generation {
            cache.1 = Some(lists.clone());
        }
        Ok(lists)
    }

    /// A user by id, from memory when read in the last two seconds.
    pub async fn user(&self, id: i64) -> Result<Option<crate::store::users::User>, sqlx::Error> {
        let lock = || self.users.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((user, read_at)) = lock().get(&id)
            && read_at.elapsed() < USER_CACHE_FOR
        {
            return Ok(Some(user.clone()));
        }
        let user = crate::store::users::by_id(&self.pool, id).await?;
        let mut cache = lock();
        match &user {
            Some(u) => {
                if cache.len() >= 10_000 {
                    cache.clear();
                }
                cache.insert(id, (u.clone(), std::time::Instant::now()));
            }
            None => {
                cache.remove(&id);
            }
        }
        Ok(user)
    }

    /// After an admin changed a user: every request reads users afresh.
    pub fn users_changed(&self) {
        self.users
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// The scope of committee `id`'s cases, knowing whether they are few
    /// among the installation's ([`crate::store::cases::committee_is_narrow`], kept for
    /// [`NARROW_FOR`]). Only how queries are planned depends on it.
    pub async fn committee_scope(&self, id: i64) -> Result<crate::store::cases::Scope, sqlx::Error> {
        let kept = self
            .narrow
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .filter(|(_, at)| at.elapsed() < NARROW_FOR)
            .map(|(narrow, _)| *narrow);
        let narrow = match kept {
            Some(narrow) => narrow,
            None => {
                let narrow = crate::store::cases::committee_is_narrow(&self.pool, id).await?;
                self.narrow
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(id, (narrow, std::time::Instant::now()));
                narrow
            }
        };
        Ok(crate::store::cases::Scope::Committee { id, narrow })
    }

    /// Forgets the cached reference lists: the next request reads them.
    pub fn refs_changed(&self) {
        let mut cache = self.refs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.0 += 1;
        cache.1 = None;
    }
}
