//! Dashboards' figures kept in memory, and read once however many ask
//! (issue 12: a dashboard is read far more often than the cases change,
//! and under a mixed load every write made each dashboard after it read
//! the figures again, all at once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::domain::stats as stats_types;
use crate::store::stats;

/// The most dashboards kept; past it the cache starts afresh.
const CACHE_ENTRIES: usize = 512;

/// The figures of a dashboard, as read at one data version.
pub struct Figures {
    /// When their reading began: they show every write committed before.
    pub read_from: Instant,
    /// The data version (migration 0025) read first: they show every write
    /// it counts.
    pub version: i64,
    pub stats: stats_types::Stats,
    pub cumulative: stats_types::Totals,
    pub overdue: Vec<stats::OverdueRow>,
    pub years: Vec<i32>,
}

/// One dashboard's place in the cache: its latest figures, and the turn
/// that lets one request at a time read them afresh.
#[derive(Default)]
struct Slot {
    figures: Mutex<Option<Arc<Figures>>>,
    turn: tokio::sync::Mutex<()>,
}

impl Slot {
    fn latest(&self) -> Option<Arc<Figures>> {
        self.figures.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Dashboards read lately, by period, scope and day. Figures are used only
/// while the database's data version (moved by every write to what the
/// statistics read, by any process) is the one they were read at, so they
/// are never older than the last write.
///
/// Requests that find the figures out of date take turns to read them
/// again: the first reads, and those waiting behind it use what it read
/// when its reading began after they did (so it shows every write
/// committed before they began), instead of each reading the same
/// figures once more.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<String, Arc<Slot>>>);

impl Cache {
    fn slot(&self, key: &str) -> Arc<Slot> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = map.get(key) {
            return slot.clone();
        }
        if map.len() >= CACHE_ENTRIES {
            map.clear();
        }
        map.entry(key.to_string()).or_default().clone()
    }

    /// The figures for `key`: kept ones while `version` (read when the
    /// request began, at `began`) stands, or those `read` returns, read by
    /// one request at a time.
    pub async fn get_or_read<F, Fut, E>(
        &self,
        key: &str,
        began: Instant,
        version: i64,
        read: F,
    ) -> Result<Arc<Figures>, E>
    where
        F: FnOnce(Instant) -> Fut,
        Fut: Future<Output = Result<Figures, E>>,
    {
        let slot = self.slot(key);
        let fresh = |f: &Arc<Figures>| f.version == version || f.read_from > began;
        if let Some(figures) = slot.latest().filter(fresh) {
            return Ok(figures);
        }
        let _turn = slot.turn.lock().await;
        // Whoever had the turn before may have read them since this request began.
        if let Some(figures) = slot.latest().filter(fresh) {
            return Ok(figures);
        }
        let figures = Arc::new(read(Instant::now()).await?);
        *slot.figures.lock().unwrap_or_else(PoisonError::into_inner) = Some(figures.clone());
        Ok(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(read_from: Instant, version: i64) -> Figures {
        Figures {
            read_from,
            version,
            stats: stats_types::Stats {
                period: crate::domain::Period::All,
                totals: Default::default(),
                breakdowns: Default::default(),
            },
            cumulative: Default::default(),
            overdue: Vec::new(),
            years: Vec::new(),
        }
    }

    #[tokio::test]
    async fn requests_waiting_together_read_the_figures_once() {
        let cache = Arc::new(Cache::default());
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let began = Instant::now();
        let gate = Arc::new(tokio::sync::Notify::new());
        let mut waiting = Vec::new();
        for _ in 0..8 {
            let (cache, reads, gate) = (cache.clone(), reads.clone(), gate.clone());
            waiting.push(tokio::spawn(async move {
                cache
                    .get_or_read("k", began, 7, |from| async move {
                        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        gate.notified().await;
                        Ok::<_, ()>(figures(from, 7))
                    })
                    .await
                    .map(|f| f.version)
            }));
        }
        while reads.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        gate.notify_one();
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(7));
        }
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn figures_read_before_a_request_began_at_another_version_are_read_again() {
        let cache = Cache::default();
        let old = Instant::now();
        let kept = cache
            .get_or_read("k", old, 1, |from| async move { Ok::<_, ()>(figures(from, 1)) })
            .await
            .unwrap();
        assert_eq!(kept.version, 1);
        let later = Instant::now();
        let same = cache.get_or_read("k", later, 1, |_| async { Err(()) }).await.unwrap();
        assert!(Arc::ptr_eq(&kept, &same));
        let read_again = cache
            .get_or_read("k", later, 2, |from| async move { Ok::<_, ()>(figures(from, 2)) })
            .await
            .unwrap();
        assert_eq!(read_again.version, 2);
    }
}
