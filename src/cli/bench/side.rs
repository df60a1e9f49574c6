//! One database under test: loaded (unless `--reuse`), prepared with the
//! benchmark's accounts, and served by a real `accord serve` with both
//! accounts signed in. `--beside` adds a second one, timed page by page
//! next to the first.

use std::path::PathBuf;
use std::time::Duration;

use super::super::anyhow_like::Result;
use super::export::{self, ExportRate};
use super::server::{self, Server};
use super::setup::Setup;
use super::{BenchArgs, verdict};
use crate::clock::Clock;
use crate::config::Config;
use crate::demo;
use crate::domain::Deadlines;
use crate::on_db;
use crate::store::{self, Backend, Location};

/// Issue 12's target for `accord demo --cases 1000000`.
const LOAD_TARGET_SECS: f64 = 60.0;

pub(super) struct Side {
    pub(super) location: Location,
    /// The attachments' folder the server keeps its files in.
    pub(super) files_dir: PathBuf,
    pub(super) setup: Setup,
    pub(super) server: Server,
    /// The signed-in cookies of the benchmark's admin and mediator.
    pub(super) admin: String,
    pub(super) mediator: String,
    /// The signed-in cookie of the benchmark's supervisor (issue 15).
    pub(super) supervisor: String,
    /// A read token of the benchmark's admin, for the JSON API (issue 16).
    pub(super) token: String,
    /// The cases in the database.
    pub(super) cases: i64,
    /// Every case exported in this process as `accord export` does, when
    /// the pages are timed.
    pub(super) export: Option<ExportRate>,
}

impl Side {
    /// Opens `location`, loading it unless `--reuse`; with `time_export`,
    /// times the export of every case before the server starts.
    pub(super) async fn open(
        config: &Config,
        location: &Location,
        args: &BenchArgs,
        time_export: bool,
    ) -> Result<Side> {
        let file = location.file();
        if file.is_some_and(|p| p.exists()) && !args.reuse {
            return Err(format!(
                "{location} exists; remove it for a fresh load, or pass --reuse to use the cases in it"
            )
            .into());
        }
        let busy = Duration::from_secs(u64::from(config.busy_timeout_seconds));
        let pool = store::connect(location, busy, config.durability).await?;
        if !args.reuse {
            let options = demo::Options {
                cases: Some(args.cases),
                seed: 2023,
                force: false,
                durability: config.durability,
            };
            let loaded = demo::load(&pool, &store::orgs::Committee::first(&config.case_prefix), &options).await?;
            println!(
                "{:<44} {:>10.1} s   target < {LOAD_TARGET_SECS} s   {}",
                format!("demo load, {} cases ({})", loaded.cases, label(pool.backend())),
                loaded.seconds,
                verdict(loaded.seconds < LOAD_TARGET_SECS)
            );
        }
        // The attachments' folder beside the file (or the configured one
        // for a server), shared with the server.
        let files_dir = file.map_or_else(|| config.files_dir.clone(), |p| p.with_extension("files"));
        let setup = Setup::prepare(&pool, &files_dir).await?;
        let cases: i64 = on_db!(pool, |e| sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(e)
            .await)?;
        let export = if time_export {
            let deadlines = Deadlines::new(Clock::System.today(config.timezone), config.mediation_limit_days);
            Some(export::measure(&pool, config.default_language, deadlines).await?)
        } else {
            None
        };
        let token = api_token(&pool, &setup.admin.0).await?;
        pool.close().await;
        let server = Server::start(location.as_ref(), &files_dir, args.server_bin.as_deref())?;
        let admin = server::sign_in(&server, &setup.admin.0, &setup.admin.1)?;
        let mediator = server::sign_in(&server, &setup.mediator.0, &setup.mediator.1)?;
        let supervisor = server::sign_in(&server, &setup.supervisor.0, &setup.supervisor.1)?;
        Ok(Side {
            location: location.clone(),
            files_dir,
            setup,
            server,
            admin,
            mediator,
            supervisor,
            token,
            cases,
            export,
        })
    }

    /// "SQLite" or "PostgreSQL".
    pub(super) fn label(&self) -> &'static str {
        label(self.location.backend())
    }

    /// Another server on the same database (for `--servers`).
    pub(super) fn another_server(&self, exe: Option<&std::path::Path>) -> Result<Server> {
        Server::start(self.location.as_ref(), &self.files_dir, exe)
    }
}

/// A read token of `admin`, valid a day, for timing the JSON API.
async fn api_token(pool: &store::Db, admin: &str) -> Result<String> {
    let (user, _) = store::users::by_username(pool, admin)
        .await?
        .ok_or("the benchmark's admin is missing")?;
    let request = crate::domain::token::Issue {
        scope: crate::domain::token::TokenScope::Read,
        days: Some(1),
        label: "accord bench".into(),
    };
    Ok(store::tokens::issue(pool, None, None, user.id, &request).await?.1)
}

fn label(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}
