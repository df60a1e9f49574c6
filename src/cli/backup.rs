//! `accord backup DEST`: a consistent copy of the database, safe to take
//! while the server runs, checked with `PRAGMA integrity_check`.

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::{audit, backup};

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub dest: PathBuf,
}

pub async fn run(config: Config, args: BackupArgs) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database.display()).into());
    }
    if args.dest.exists() {
        return Err(format!("{} already exists; choose a new file name", args.dest.display()).into());
    }
    let pool = super::open_database(&config).await?;
    let details = serde_json::json!({"file": args.dest.display().to_string()});
    let result = match audit::record_event(&pool, None, "backup", "backup", details).await {
        Ok(()) => backup::backup(&pool, &args.dest).await,
        Err(e) => Err(e.into()),
    };
    pool.close().await;
    let size = result?;
    println!(
        "Backup written to {} ({size} bytes); integrity check: ok",
        args.dest.display()
    );
    println!(
        "To restore: stop Accord, copy this file over the database file (delete its -wal and -shm files), start Accord."
    );
    Ok(())
}
