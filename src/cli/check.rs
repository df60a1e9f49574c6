//! `accord check`: whether the installation is whole. The database passes
//! `PRAGMA integrity_check` and every attachment it names is in
//! `files_dir` with the right SHA-256. Safe while the server runs (it only
//! reads); exits non-zero naming each problem.

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::attachments::{check, files::FileStore};

pub async fn run(config: Config) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database).into());
    }
    let store = FileStore::new(&config.files_dir);
    let Some(file) = config.database.file() else {
        return Err("accord check reads a SQLite file; on PostgreSQL use the server's own checks".into());
    };
    let report = check::check(file, &store).await?;
    if !report.problems.is_empty() {
        for p in &report.problems {
            eprintln!("{p}");
        }
        return Err(format!(
            "check failed: {} problem(s) in {} and {}",
            report.problems.len(),
            config.database,
            config.files_dir.display()
        )
        .into());
    }
    println!(
        "{}: integrity check ok; {} attachment files ({} bytes) in {} all present with the right SHA-256",
        config.database,
        report.files,
        report.bytes,
        config.files_dir.display()
    );
    Ok(())
}
