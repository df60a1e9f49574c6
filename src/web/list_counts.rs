//! The case list's counts kept in memory while the data stands (issue 12).

use crate::domain::{CaseFilter, Listing};
use crate::store::{Conn, cases};

use super::{AppResult, AppState};

/// The most counts kept; past it the cache starts afresh.
const COUNTS_KEPT: usize = 1024;

/// The case list's counts up to `LIST_CAP` + 1, by filter, scope and day,
/// each with the data version it was counted at (migration 0025): a count
/// is the page's costliest query (issue 12: `/cases` at 1,000 requests a
/// second), and the same list is asked for far more often than the cases
/// change. A text search is counted afresh every time: it reads the
/// parties and the search indexes, which the data version does not follow.
#[derive(Default)]
pub struct Counts(std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>);

/// A page of the case list, its count from [`Counts`] when it stands at
/// `version` (the data version, read first), read on `conn` (the page's
/// one connection).
pub async fn list_page(
    state: &AppState,
    conn: &mut Conn<'_>,
    filter: &CaseFilter,
    scope: cases::Scope,
    listing: Listing,
    version: i64,
) -> AppResult<cases::CasePage> {
    let deadlines = state.deadlines();
    if filter.q.is_some() {
        return Ok(cases::list_in(conn, filter, scope, deadlines, listing).await?);
    }
    let key = format!("{:?}|{scope:?}|{}", filter.to_pairs(), state.today());
    let kept = {
        let counts = state
            .list_counts
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.get(&key).filter(|(at, _)| *at == version).map(|(_, n)| *n)
    };
    let counted = match kept {
        Some(n) => n,
        None => {
            let n = cases::count_upto_in(conn, filter, scope, deadlines, cases::LIST_CAP).await?;
            let mut counts = state
                .list_counts
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if counts.len() >= COUNTS_KEPT {
                counts.clear();
            }
            counts.insert(key, (version, n));
            n
        }
    };
    Ok(cases::list_counted_in(conn, filter, scope, deadlines, listing, counted).await?)
}
