//! `accord import FILE [--dry-run]`: cases from a CSV file, all or none.

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::csv_io::import::{self, Failure, Options};
use crate::i18n::{Lang, Msg};

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The CSV file, in the export's format (Chinese or English headings).
    pub file: PathBuf,
    /// Check the file and report, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Language of the report (default: the configured default_language).
    #[arg(long, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
}

pub async fn run(config: Config, args: ImportArgs) -> Result {
    let lang = args
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(config.default_language);
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let pool = super::open_database(&config).await?;
    let options = Options {
        today: Clock::System.today(config.timezone),
        prefix: config.case_prefix.clone(),
        actor: None,
        dry_run: args.dry_run,
        max_parties_per_side: config.max_parties_per_side,
    };
    let outcome = import::run(&pool, &bytes, &options).await;
    pool.close().await;
    match outcome {
        Ok(report) => {
            println!("{}", report.summary(lang));
            if let Some(line) = report.mediators_line(lang) {
                println!("{line}");
            }
            Ok(())
        }
        Err(Failure::Invalid(errors)) => {
            eprintln!(
                "{}",
                Msg::CsvImportFailed
                    .text(lang)
                    .replace("{n}", &errors.len().to_string())
            );
            for e in &errors {
                eprintln!("{}", e.message(lang));
            }
            Err(format!("{} problems in {}", errors.len(), args.file.display()).into())
        }
        Err(Failure::Db(e)) => Err(e.into()),
    }
}
