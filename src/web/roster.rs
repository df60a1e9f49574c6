//! Each committee's mediators kept in memory while they stand (issue 12):
//! the case list's filter, the case form and its check show or check
//! every mediator of the committee, 300 rows at national scale, read for
//! every page. They are kept with the mediators' counter they were read
//! at (migration 0036), which every change to a mediator moves, by any
//! process, so a list is never older than the last change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::store::mediators::{self, Mediator, Versions};
use crate::store::{Conn, Db};

/// The most lists kept (one per committee, and one of every committee);
/// past it the cache starts afresh.
const LISTS_KEPT: usize = 1024;

/// A committee's mediators, with the counter they were read at.
type Kept = (i64, Arc<Vec<Mediator>>);

/// Each committee's kept mediators (`None`: every committee's).
#[derive(Default)]
pub struct Roster(Mutex<HashMap<Option<i64>, Kept>>);

impl Roster {
    /// The mediators of `committee` as of `versions` (read on `conn`
    /// first): kept ones while the counter stands, read on `conn` otherwise.
    pub async fn list_in(
        &self,
        conn: &mut Conn<'_>,
        committee: Option<i64>,
        versions: Versions,
    ) -> Result<Arc<Vec<Mediator>>, sqlx::Error> {
        let kept = {
            let lists = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            lists
                .get(&committee)
                .filter(|(at, _)| *at == versions.mediators)
                .map(|(_, list)| list.clone())
        };
        if let Some(list) = kept {
            return Ok(list);
        }
        let list = Arc::new(mediators::list_in(conn, committee).await?);
        let mut lists = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if lists.len() >= LISTS_KEPT {
            lists.clear();
        }
        // A slower reader of an older counter never replaces a newer list.
        if lists.get(&committee).is_none_or(|(at, _)| *at <= versions.mediators) {
            lists.insert(committee, (versions.mediators, list.clone()));
        }
        Ok(list)
    }

    /// [`Roster::list_in`] on a connection of its own.
    pub async fn list(&self, pool: &Db, committee: Option<i64>) -> Result<Arc<Vec<Mediator>>, sqlx::Error> {
        let mut held = pool.acquire().await?;
        let conn = &mut held.conn();
        let versions = mediators::versions_in(conn).await?;
        self.list_in(conn, committee, versions).await
    }
}
