//! `accord demo`: fills a database with realistic synthetic cases.

mod estates;
pub mod generator;
mod names;
mod outcome;

use std::time::Instant;

use clap::Args;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::domain::{Money, Role};
use crate::password;
use crate::store::{self, demo, mediators, users};
use generator::{Generator, Plan};

/// Cases without `--cases`: the Beijing committee's published count.
pub const DEFAULT_CASES: usize = 200;
/// Their amount_claimed in fen: 1,361,000.00 yuan (136.1万元).
pub const DEFAULT_TOTAL_FEN: i64 = 136_100_000;
/// Cases written per batch of multi-row INSERTs.
const BATCH: usize = 2000;

/// The options of `accord demo`.
/// The help of `accord demo --help`.
pub const LONG_ABOUT: &str = "Fill the database with synthetic demo cases: Chinese names, estates in Beijing's \
    16 districts, categories weighted as in practice, sessions, agreements, follow-ups and return visits, from \
    2019 to 2025. Without --cases: exactly 200 cases claiming 1,361,000.00 yuan in all, the Beijing committee's \
    published figures. The same seed always gives the same cases. A database that has cases is refused unless \
    --force, which replaces them in one transaction.\n\n\
    Demo data is synthetic: the load is written to the audit trail as one entry, not one per case. It also \
    creates the sign-ins `admin`, `secretary` and `mediator` (or resets their passwords) and prints them.";

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// How many cases (default: 200, adding up to 1,361,000.00 yuan).
    #[arg(long, value_name = "N")]
    pub cases: Option<usize>,
    /// Seed of the random draws.
    #[arg(long, value_name = "S", default_value_t = 2023)]
    pub seed: u64,
    /// Replace the cases of a database that already has some.
    #[arg(long)]
    pub force: bool,
    /// Do not create or reset the sign-ins (used by the benchmark).
    #[arg(long, hide = true)]
    pub no_users: bool,
}

/// What a load did, for its caller to print.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub cases: usize,
    pub amount_claimed: Money,
    pub seconds: f64,
}

pub async fn run(config: Config, args: DemoArgs) -> Result {
    let pool = store::open_with(&config.database, config.durability).await?;
    let loaded = load(&pool, &config, &args).await?;
    println!(
        "Loaded {} synthetic cases ({} claimed) in {:.1} s into {}",
        loaded.cases,
        loaded.amount_claimed,
        loaded.seconds,
        config.database.display()
    );
    if !args.no_users {
        sign_ins(&pool).await?;
    }
    pool.close().await;
    Ok(())
}

/// Writes the demo cases in one transaction; refuses a database with cases
/// unless `--force`, which replaces them.
pub async fn load(pool: &sqlx::SqlitePool, config: &Config, args: &DemoArgs) -> Result<Loaded> {
    if demo::has_cases(pool).await? && !args.force {
        return Err("the database already has cases; use --force to replace them with demo data".into());
    }
    let started = Instant::now();
    let n = args.cases.unwrap_or(DEFAULT_CASES);
    let mut conn = demo::load_connection(pool).await?;
    let mut tx = demo::begin(&mut conn).await?;
    let mediators = ensure_mediators(pool, &mut tx, (n / 2000).clamp(8, 300), args.seed).await?;
    if args.force {
        demo::delete_cases(&mut tx).await?;
    }
    let (first_case_id, first_session_id, counters) = demo::next_ids(&mut tx).await?;
    let mut generator = Generator::new(Plan {
        cases: n,
        seed: args.seed,
        total_claimed: args.cases.is_none().then_some(DEFAULT_TOTAL_FEN),
        prefix: config.case_prefix.clone(),
        mediators,
        first_case_id,
        first_session_id,
        counters,
    });
    let mut claimed = 0i64;
    loop {
        let batch = generator.batch(BATCH);
        if batch.is_empty() {
            break;
        }
        claimed += batch.iter().map(|c| c.amount_claimed).sum::<i64>();
        demo::insert_batch(&mut tx, &batch).await?;
    }
    let note = json!({"cases": n, "seed": args.seed, "replaced": args.force, "note": "synthetic demo data"});
    demo::record(&mut tx, generator.counters(), note).await?;
    tx.commit().await?;
    demo::finish(conn, config.durability).await?;
    Ok(Loaded {
        cases: n,
        amount_claimed: Money::from_fen(claimed),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// At least `count` active mediators, named from the seed; existing ones
/// are used first, new ones are written in the load's transaction.
/// Returns (id, name) of each.
async fn ensure_mediators(
    pool: &sqlx::SqlitePool,
    tx: &mut sqlx::SqliteConnection,
    count: usize,
    seed: u64,
) -> Result<Vec<(i64, String)>> {
    let mut list: Vec<(i64, String)> = mediators::list(pool)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| (m.id, m.name))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x4D45_4449);
    while list.len() < count {
        let name = names::person(&mut rng);
        let phone = names::mobile(&mut rng);
        let id = mediators::insert(&mut *tx, &name, &phone, true).await?;
        list.push((id, name));
    }
    Ok(list)
}

/// One sign-in per role, created or given a new password, printed once.
async fn sign_ins(pool: &sqlx::SqlitePool) -> Result {
    let first_mediator = mediators::list(pool)
        .await?
        .into_iter()
        .find(|m| m.active)
        .map(|m| m.id);
    println!("Sign-ins (passwords are shown only now):");
    for (name, role) in [
        ("admin", Role::Admin),
        ("secretary", Role::Secretary),
        ("mediator", Role::Mediator),
    ] {
        let pw = password::generate();
        let hash = password::hash_async(pw.clone()).await;
        if users::by_username(pool, name).await?.is_some() {
            users::set_password(pool, name, &hash).await?;
        } else {
            let mediator = (role == Role::Mediator).then_some(first_mediator).flatten();
            users::insert(pool, name, &hash, role, mediator).await?;
        }
        println!("  {:<10} {:<10} {pw}", role.code(), name);
    }
    Ok(())
}
