//! `accord purge CASE_NO`: removes the files of a voided case's attachments
//! (see `store::attachments::purge`).

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::store::attachments::{files::FileStore, purge};

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// The voided case's number, e.g. 物调〔2026〕第0012号.
    pub case_no: String,
}

pub async fn run(config: Config, args: PurgeArgs) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database).into());
    }
    let pool = super::open_database(&config).await?;
    let store = FileStore::new(&config.files_dir);
    let result = purge::purge_case(&pool, &store, &args.case_no).await;
    pool.close().await;
    let done = result?;
    println!(
        "{}: {} attachment(s) purged, {} file(s) removed from {}, {} kept (another attachment has the same content)",
        args.case_no,
        done.attachments,
        done.files,
        config.files_dir.display(),
        done.kept
    );
    Ok(())
}
