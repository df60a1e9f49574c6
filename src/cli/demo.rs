//! `accord demo`: fills a database with realistic synthetic cases (the
//! generator and loader are the library's [`crate::demo`]).

use clap::Args;

use super::anyhow_like::Result;
use super::progress::Progress;
use crate::config::Config;
use crate::demo::{self, Options};
use crate::domain::{Durability, Role};
use crate::password;
use crate::store::orgs::{self, Committee, FIRST_COMMITTEE};
use crate::store::{mediators, users};

/// The help of `accord demo --help`.
pub const LONG_ABOUT: &str = "Fill the database with synthetic demo cases: Chinese names, estates in Beijing's \
    16 districts, categories weighted as in practice, sessions, agreements, follow-ups and return visits, from \
    2019 to 2025. Without --cases: exactly 200 cases claiming 1,361,000.00 yuan in all, the Beijing committee's \
    published figures. The same seed always gives the same cases. A database that has cases is refused unless \
    --force, which replaces them in one transaction.\n\n\
    Demo data is synthetic: the load is written to the audit trail as one entry, not one per case. It also \
    creates the sign-ins `admin`, `secretary` and `mediator` (or resets their passwords) and prints them.";

/// The options of `accord demo`.
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
    /// Spread the cases over N committees under the association (the
    /// installation's own and N-1 more, one per district), each numbering
    /// its own, with a secretary and a mediator each and one supervisor.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=5000))]
    pub committees: Option<u16>,
    /// Do not create or reset the sign-ins (used by the benchmark).
    #[arg(long, hide = true)]
    pub no_users: bool,
}

impl DemoArgs {
    pub fn options(&self, durability: Durability) -> Options {
        Options {
            cases: self.cases,
            seed: self.seed,
            force: self.force,
            durability,
        }
    }
}

pub async fn run(config: Config, args: DemoArgs) -> Result {
    let pool = super::open_database(&config).await?;
    let total = args.cases.unwrap_or(demo::DEFAULT_CASES) as u64;
    let mut progress = Progress::new("demo", "cases", total);
    let options = args.options(config.durability);
    let first = super::committee(&pool, &config, FIRST_COMMITTEE).await?;
    let count = args.committees.map_or(1, usize::from);
    let (loaded, committees) =
        demo::load_committees(&pool, &first, count, &options, |done, _| progress.set(done as u64)).await?;
    progress.finish();
    println!(
        "Loaded {} synthetic cases ({} claimed) in {:.1} s into {}",
        loaded.cases, loaded.amount_claimed, loaded.seconds, config.database
    );
    if !args.no_users {
        sign_ins(&pool).await?;
        if args.committees.is_some() {
            more_sign_ins(&pool, &committees[1..]).await?;
        }
    }
    pool.close().await;
    Ok(())
}

/// Creates a sign-in, or gives it a new password; prints it.
async fn sign_in(pool: &crate::store::Db, name: &str, role: Role, mediator: Option<i64>, org_id: i64) -> Result {
    let pw = password::generate();
    let hash = password::hash_async(pw.clone()).await;
    if users::by_username(pool, name).await?.is_some() {
        users::set_password(pool, name, &hash).await?;
    } else {
        users::insert(pool, name, &hash, role, mediator, org_id).await?;
    }
    println!("  {:<10} {:<10} {pw}", role.code(), name);
    Ok(())
}

/// With `--committees`: a secretary and a mediator for each committee
/// after the first (`secretary-3`, `mediator-3` for committee 3), and one
/// supervisor at the root association.
async fn more_sign_ins(pool: &crate::store::Db, committees: &[Committee]) -> Result {
    for c in committees {
        let mediator = mediators::list(pool, Some(c.id))
            .await?
            .into_iter()
            .find(|m| m.active)
            .map(|m| m.id);
        sign_in(pool, &format!("secretary-{}", c.id), Role::Secretary, None, c.id).await?;
        sign_in(pool, &format!("mediator-{}", c.id), Role::Mediator, mediator, c.id).await?;
    }
    let root = orgs::list(pool).await?.into_iter().find(|o| o.parent_id.is_none());
    let root = root.map_or(1, |o| o.id);
    sign_in(pool, "supervisor", Role::Supervisor, None, root).await
}

/// One sign-in per role, created or given a new password, printed once.
async fn sign_ins(pool: &crate::store::Db) -> Result {
    let first_mediator = mediators::list(pool, Some(FIRST_COMMITTEE))
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
        let mediator = (role == Role::Mediator).then_some(first_mediator).flatten();
        sign_in(pool, name, role, mediator, FIRST_COMMITTEE).await?;
    }
    Ok(())
}
