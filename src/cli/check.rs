//! `accord check`: whether the installation is whole. The database passes
//! `PRAGMA integrity_check` and every attachment it names is in
//! `files_dir` with the right SHA-256. On PostgreSQL, the attachments are
//! read from the server and their files checked the same way (the server's
//! storage is its own to check). Safe while the server runs (it only
//! reads); exits non-zero naming each problem.

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::attachments::{check, files::FileStore};

pub async fn run(config: Config) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database).into());
    }
    let store = FileStore::new(&config.files_dir);
    let (report, verdict) = match config.database.file() {
        Some(file) => (check::check(file, &store).await?, "integrity check ok"),
        None => {
            let pool = super::open_database(&config).await?;
            let report = check::check_server(&pool, &store).await;
            pool.close().await;
            (report?, "database server answers")
        }
    };
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
        "{}: {verdict}; {} attachment files ({} bytes) in {} all present with the right SHA-256",
        config.database,
        report.files,
        report.bytes,
        config.files_dir.display()
    );
    Ok(())
}
