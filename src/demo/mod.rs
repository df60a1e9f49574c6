//! Synthetic demo data: realistic cases (Chinese names, estates in
//! Beijing's districts, categories weighted as in practice, sessions,
//! agreements and follow-ups), the same for the same seed. Used by
//! `accord demo`, the benchmark and the tests.

pub mod committees;
mod estates;
pub mod generator;
mod names;
mod outcome;

use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;

use crate::domain::{Durability, Money};
use crate::store::orgs::Committee;
use crate::store::search::DOCUMENTS_PER_STATEMENT;
use crate::store::{demo, mediators, stats};
use generator::{Desk, Generator, Plan};

/// Cases without `--cases`: the Beijing committee's published count.
pub const DEFAULT_CASES: usize = 200;
/// Their amount_claimed in fen: 1,361,000.00 yuan (136.1万元).
pub const DEFAULT_TOTAL_FEN: i64 = 136_100_000;
/// Cases written per batch of multi-row INSERTs.
const BATCH: usize = 2000;

/// What to load.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many cases; `None`: the Beijing committee's 200, adding up to
    /// 1,361,000.00 yuan.
    pub cases: Option<usize>,
    /// Seed of the random draws.
    pub seed: u64,
    /// Replace the cases of a database that already has some.
    pub force: bool,
    /// The database's durability, restored when the load is done (it
    /// writes with `synchronous=OFF` and syncs once at the end).
    pub durability: Durability,
}

/// Why a load wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the database already has cases; use --force to replace them with demo data")]
    HasCases,
    #[error("drawing the demo cases failed")]
    Drawing,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a load did, for its caller to print.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub cases: usize,
    pub amount_claimed: Money,
    pub seconds: f64,
}

/// Writes the demo cases in one transaction; refuses a database with cases
/// unless `--force`, which replaces them.
pub async fn load(pool: &crate::store::Db, committee: &Committee, args: &Options) -> Result<Loaded, LoadError> {
    load_reporting(pool, committee, args, |_, _| {}).await
}

/// [`load`], calling `progress(written, total)` after each batch of cases
/// (the command line draws its progress bar from it).
pub async fn load_reporting(
    pool: &crate::store::Db,
    committee: &Committee,
    args: &Options,
    progress: impl FnMut(usize, usize),
) -> Result<Loaded, LoadError> {
    load_committees(pool, committee, 1, args, progress)
        .await
        .map(|(loaded, _)| loaded)
}

/// [`load_reporting`] over `count` committees: `first` and, under the
/// root association, `count - 1` more (see [`committees::nth`]; found
/// again by their prefixes when they exist), the cases dealt to them in
/// turn, each committee numbering its own and staffed by its own
/// mediators. All in the load's one transaction. Returns the committees,
/// `first` first.
pub async fn load_committees(
    pool: &crate::store::Db,
    first: &Committee,
    count: usize,
    args: &Options,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Loaded, Vec<Committee>), LoadError> {
    if demo::has_cases(pool).await? && !args.force {
        return Err(LoadError::HasCases);
    }
    let started = Instant::now();
    let n = args.cases.unwrap_or(DEFAULT_CASES);
    let mut conn = demo::load_connection(pool).await?;
    let mut tx = demo::begin(&mut conn).await?;
    let mut all = vec![first.clone()];
    for i in 0..count.saturating_sub(1) {
        let c = committees::nth(i);
        let id = demo::orgs::ensure_committee(&mut tx.conn(), &c.name, c.region_code, &c.prefix).await?;
        all.push(Committee { id, prefix: c.prefix });
    }
    // One committee keeps the demo's staff as before; many share the
    // cases, and each gets a few mediators for its part.
    let staff = if all.len() == 1 {
        (n / 2000).clamp(8, 300)
    } else {
        (n / all.len() / 2000).clamp(2, 300)
    };
    let mut desks = Vec::with_capacity(all.len());
    for (k, c) in all.iter().enumerate() {
        let seed = args.seed.wrapping_add(k as u64);
        let mediators = ensure_mediators(pool, &mut tx.conn(), c.id, staff, seed).await?;
        desks.push(Desk {
            committee_id: c.id,
            prefix: c.prefix.clone(),
            mediators,
            counters: Default::default(),
        });
    }
    if args.force {
        demo::delete_cases(&mut tx.conn()).await?;
    }
    let (first_case_id, first_session_id) = demo::next_ids(&mut tx.conn()).await?;
    for desk in &mut desks {
        desk.counters = demo::counters(&mut tx.conn(), desk.committee_id).await?;
    }
    let mut generator = Generator::new(Plan {
        cases: n,
        seed: args.seed,
        total_claimed: args.cases.is_none().then_some(DEFAULT_TOTAL_FEN),
        desks,
        first_case_id,
        first_session_id,
    });
    // The cases are drawn on a thread of their own while this task writes
    // the previous batch: on two cores, drawing and writing overlap.
    let (batches, mut ready) = tokio::sync::mpsc::channel::<demo::Ready>(2);
    // The thread also counts the summary of the cases it draws, and makes
    // each batch ready to write (see `demo::Ready`).
    let backend = pool.backend();
    let drawing = std::thread::spawn(move || {
        let mut summary = stats::Tally::default();
        loop {
            let batch = generator.batch(BATCH);
            if batch.is_empty() {
                break;
            }
            for case in &batch {
                case.tally(&mut summary);
            }
            if batches.blocking_send(demo::Ready::new(backend, batch)).is_err() {
                break;
            }
        }
        (generator, summary)
    });
    let aside = demo::begin_bulk(&mut tx.conn()).await?;
    let mut claimed = 0i64;
    let mut written = 0;
    progress(written, n);
    // Gram documents are written many batches to a statement: each
    // statement ends a segment of the index (see `search::bulk_pending`).
    let mut docs = Vec::new();
    while let Some(mut batch) = ready.recv().await {
        claimed += batch.claimed;
        written += batch.cases;
        docs.append(&mut batch.grams);
        demo::insert_batch(&mut tx.conn(), batch).await?;
        if docs.len() + BATCH > DOCUMENTS_PER_STATEMENT {
            demo::insert_grams(&mut tx.conn(), std::mem::take(&mut docs)).await?;
        }
        progress(written, n);
    }
    demo::insert_grams(&mut tx.conn(), docs).await?;
    let (generator, summary) = drawing.join().map_err(|_| LoadError::Drawing)?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "demo rows");
    let last = first_case_id + n as i64 - 1;
    demo::end_bulk(&mut tx.conn(), aside, first_case_id, last, summary).await?;
    let mut note = json!({"cases": n, "seed": args.seed, "replaced": args.force, "note": "synthetic demo data"});
    if all.len() > 1 {
        note["committees"] = all.len().into();
    }
    let counters: Vec<(i64, _)> = generator
        .desks()
        .iter()
        .map(|d| (d.committee_id, &d.counters))
        .collect();
    demo::record(&mut tx.conn(), &counters, note).await?;
    tx.commit().await?;
    demo::finish(conn, args.durability).await?;
    crate::store::search::settle(pool).await;
    let loaded = Loaded {
        cases: n,
        amount_claimed: Money::from_fen(claimed),
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((loaded, all))
}

/// At least `count` active mediators, named from the seed; existing ones
/// are used first, new ones are written in the load's transaction.
/// Returns (id, name) of each.
async fn ensure_mediators(
    pool: &crate::store::Db,
    tx: &mut crate::store::Conn<'_>,
    committee_id: i64,
    count: usize,
    seed: u64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut list: Vec<(i64, String)> = mediators::list(pool, Some(committee_id))
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| (m.id, m.name))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x4D45_4449);
    while list.len() < count {
        let name = names::person(&mut rng);
        let phone = names::mobile(&mut rng);
        let id = mediators::insert_in(tx, committee_id, &name, &phone, true).await?;
        list.push((id, name));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo makes its gram documents as it draws its cases (SQLite):
    /// the same index as the view `case_gram_docs` writes; and the indexes'
    /// memory for new rows is FTS5's default again after the load.
    #[tokio::test]
    async fn the_demo_s_gram_documents_are_those_of_the_view() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("demo.db")).await.unwrap();
        let options = Options {
            cases: Some(300),
            seed: 7,
            force: false,
            durability: Durability::Full,
        };
        load(&pool, &Committee::first("物调"), &options).await.unwrap();
        let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
        let by_demo = crate::store::search::gram_index(&mut conn).await;
        assert_eq!(by_demo.1.len(), 300);
        for sql in [
            "INSERT INTO case_grams (case_grams) VALUES ('delete-all')",
            "INSERT INTO case_grams (rowid, grams) SELECT id, grams FROM case_gram_docs",
        ] {
            sqlx::query(sql).execute(&mut *conn).await.unwrap();
        }
        assert_eq!(crate::store::search::gram_index(&mut conn).await, by_demo);
        for sql in [
            "SELECT v FROM case_search_config WHERE k = 'hashsize'",
            "SELECT v FROM case_grams_config WHERE k = 'hashsize'",
        ] {
            let size: i64 = sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap();
            assert_eq!(size, 1 << 20, "{sql}");
        }
    }
}
