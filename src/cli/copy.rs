//! `accord copy --from SRC --to DEST`: a whole installation from one
//! database into another, of either backend (a SQLite file's path, or a
//! `postgres://` URL): SQLite → PostgreSQL to grow, PostgreSQL → SQLite for
//! an offline copy. The target must be new (no case, user or mediator);
//! sessions are left behind. Every table's rows and sums are compared on
//! both sides and printed; any difference undoes the copy.
//!
//! Attachment files go from `--from-files` to `--to-files`, each by
//! default the config's `files_dir`: both sides sharing one folder (the
//! usual move of a server to PostgreSQL on the same machine), nothing is
//! copied; an offline copy names its own folder with `--to-files`.

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::attachments::files::FileStore;
use crate::store::copy::{self, Folders};
use crate::store::{self, Location};

#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The installation to copy: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    pub from: String,
    /// Where to copy it: a new SQLite file or an empty PostgreSQL database.
    #[arg(long, value_name = "DB")]
    pub to: String,
    /// The source's attachments folder (default: the config's files_dir).
    #[arg(long, value_name = "DIR")]
    pub from_files: Option<PathBuf>,
    /// The target's attachments folder (default: the config's files_dir).
    #[arg(long, value_name = "DIR")]
    pub to_files: Option<PathBuf>,
}

pub async fn run(config: Config, args: CopyArgs) -> Result {
    let (from, to) = (Location::parse(&args.from), Location::parse(&args.to));
    if !from.exists() {
        return Err(format!("no database at {from}").into());
    }
    if from == to {
        return Err("--from and --to name the same database".into());
    }
    let busy = std::time::Duration::from_secs(u64::from(config.busy_timeout_seconds));
    let source = store::connect(&from, busy, config.durability).await?;
    let target = match store::connect(&to, busy, config.durability).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e.into());
        }
    };
    let folders = Folders {
        from: FileStore::new(args.from_files.unwrap_or_else(|| config.files_dir.clone())),
        to: FileStore::new(args.to_files.unwrap_or_else(|| config.files_dir.clone())),
    };
    let result = copy::copy(&source, &target, Some(&folders)).await;
    source.close().await;
    target.close().await;
    let report = result?;
    println!(
        "{:<20} {:<16} {:>16} {:>16}",
        "table", "rows / sum of", "source", "target"
    );
    for t in &report.tallies {
        println!("{:<20} {:<16} {:>16} {:>16}", t.table, t.column, t.source, t.target);
    }
    println!(
        "Copied {from} to {to}: every count and sum above agrees; {} attachment files copied from {} to {}.",
        report.files,
        folders.from.root().display(),
        folders.to.root().display(),
    );
    Ok(())
}
