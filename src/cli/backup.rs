//! `accord backup DEST`: a directory with a consistent copy of the
//! database (`DEST/accord.db`, safe to take while the server runs) and
//! every attachment it names (`DEST/files/…`), checked as a restore would
//! use it: `PRAGMA integrity_check` and every file's SHA-256. On PostgreSQL
//! `accord.db` is a SQLite file copied from one snapshot (`store::copy`).

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::attachments::files::FileStore;
use crate::store::{audit, backup};

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The directory to write; it must not exist yet.
    pub dest: PathBuf,
}

pub async fn run(config: Config, args: BackupArgs) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database).into());
    }
    if args.dest.exists() {
        return Err(format!("{} already exists; choose a new name", args.dest.display()).into());
    }
    let pool = super::open_database(&config).await?;
    let details = serde_json::json!({"file": args.dest.display().to_string()});
    let store = FileStore::new(&config.files_dir);
    let result = match audit::record_event(&pool, None, "backup", "backup", details).await {
        Ok(()) => backup::backup_dir(&pool, &store, &args.dest).await,
        Err(e) => Err(e.into()),
    };
    pool.close().await;
    let report = result?;
    println!(
        "Backup written to {}: {} ({} bytes) and {} attachment files ({} bytes) in {}/; integrity check: ok; every file's SHA-256: ok",
        args.dest.display(),
        backup::DB_NAME,
        report.db_bytes,
        report.files,
        report.file_bytes,
        backup::FILES_NAME,
    );
    match config.database.backend() {
        crate::store::Backend::Sqlite => println!(
            "To restore: stop Accord; copy {} over the database file (delete its -wal and -shm files) and the contents of {}/ into files_dir; run `accord check`; start Accord.",
            backup::DB_NAME,
            backup::FILES_NAME,
        ),
        crate::store::Backend::Postgres => println!(
            "To restore: stop Accord; create an empty database; run `accord copy --from {} --from-files {} --to postgres://...` (files go to files_dir); start Accord.",
            args.dest.join(backup::DB_NAME).display(),
            args.dest.join(backup::FILES_NAME).display(),
        ),
    }
    Ok(())
}
