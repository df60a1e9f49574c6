//! The `accord` command line.

pub mod backup;
pub mod bench;
pub mod check;
pub mod copy;
pub mod demo;
pub mod dossier;
pub mod exchange;
pub mod export;
pub mod import;
pub mod org;
mod progress;
pub mod purge;
pub mod serve;
pub mod stats;
pub mod token;
pub mod user;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};

#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    about = "Case tracker for property-dispute mediation committees"
)]
pub struct Cli {
    /// Config file (default: config/default.toml when present).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// SQLite database file (overrides the config's `database`).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Manage sign-in accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Issue, list and revoke the JSON API's tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Manage the associations and committees (organisations).
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Statistics of a period, as a table or JSON.
    Stats(stats::StatsArgs),
    /// Fill the database with synthetic demo cases.
    #[command(long_about = demo::LONG_ABOUT)]
    Demo(demo::DemoArgs),
    /// Time the demo load, the dashboard and the case list at scale.
    #[command(long_about = bench::LONG_ABOUT)]
    Bench(bench::BenchArgs),
    /// Export cases as CSV (the case list's filters as flags).
    Export(export::ExportArgs),
    /// Import cases from a CSV file: all rows or none.
    Import(import::ImportArgs),
    /// Write a checked backup directory: the database and its attachments (safe while serving).
    Backup(backup::BackupArgs),
    /// Check the database's integrity and every attachment file's SHA-256.
    Check,
    /// Copy a whole installation between two databases (SQLite or PostgreSQL), checked.
    Copy(copy::CopyArgs),
    /// Write a case's whole file (卷宗) as one self-contained HTML file.
    Dossier(dossier::DossierArgs),
    /// Remove the files of a voided case's attachments (the rows stay, marked purged).
    Purge(purge::PurgeArgs),
    /// Move whole cases between installations (Accord Exchange v1 JSON).
    #[command(subcommand)]
    Exchange(exchange::ExchangeCommand),
}

impl Cli {
    /// The settings: file, then environment, then these flags.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let mut config = Config::load(self.config.as_deref(), std::env::vars())?;
        if let Some(db) = &self.db {
            config.set("database", &db.to_string_lossy()).map_err(|e| ConfigError {
                key: "--db".into(),
                ..e
            })?;
        }
        if let Some(Command::Serve { bind: Some(bind) }) = &self.command {
            config.set("bind", bind).map_err(|e| ConfigError {
                key: "--bind".into(),
                ..e
            })?;
        }
        Ok(config)
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow_like::Result {
    let config = cli.config()?;
    match cli.command {
        None | Some(Command::Serve { .. }) => serve::run(config).await,
        Some(Command::User(cmd)) => user::run(config, cmd).await,
        Some(Command::Token(cmd)) => token::run(config, cmd).await,
        Some(Command::Org(cmd)) => org::run(config, cmd).await,
        Some(Command::Stats(args)) => stats::run(config, args).await,
        Some(Command::Demo(args)) => demo::run(config, args).await,
        Some(Command::Bench(args)) => bench::run(config, args).await,
        Some(Command::Export(args)) => export::run(config, args).await,
        Some(Command::Import(args)) => import::run(config, args).await,
        Some(Command::Backup(args)) => backup::run(config, args).await,
        Some(Command::Check) => check::run(config).await,
        Some(Command::Copy(args)) => copy::run(config, args).await,
        Some(Command::Dossier(args)) => dossier::run(config, args).await,
        Some(Command::Purge(args)) => purge::run(config, args).await,
        Some(Command::Exchange(cmd)) => exchange::run(config, cmd).await,
    }
}

/// A tiny boxed error for the CLI's top level: every subcommand's error
/// becomes a message on stderr and exit code 1.
/// The configured database, opened with its busy timeout and durability.
pub async fn open_database(config: &Config) -> Result<crate::store::Db, sqlx::Error> {
    let busy_timeout = std::time::Duration::from_secs(u64::from(config.busy_timeout_seconds));
    let db = crate::store::connect(&config.database, busy_timeout, config.durability).await?;
    crate::store::orgs::name_unnamed(&db, &config.association_name).await?;
    Ok(db)
}

/// The committee `id` of the configured database, for commands that
/// write cases; an error naming it when there is no such committee.
pub async fn committee(
    db: &crate::store::Db,
    config: &Config,
    id: i64,
) -> anyhow_like::Result<crate::store::orgs::Committee> {
    crate::store::orgs::committee(db, id, &config.case_prefix)
        .await?
        .ok_or_else(|| format!("no committee has id {id} (see `accord org list`)").into())
}

pub mod anyhow_like {
    pub type Error = Box<dyn std::error::Error + Send + Sync>;
    pub type Result<T = ()> = std::result::Result<T, Error>;
}
