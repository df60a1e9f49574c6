//! `accord import FILE [--dry-run]`: cases from a CSV file, all or none.

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use super::progress::Progress;
use crate::clock::Clock;
use crate::config::Config;
use crate::csv_io::import::{self, Failure, Options, Phase};
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
    /// The committee the cases join (its id; default: the first committee).
    #[arg(long, default_value_t = crate::store::orgs::FIRST_COMMITTEE)]
    pub committee: i64,
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
        committee: super::committee(&pool, &config, args.committee).await?,
        actor: None,
        dry_run: args.dry_run,
        max_parties_per_side: config.max_parties_per_side,
    };
    let mut checking: Option<Progress> = None;
    let mut writing: Option<Progress> = None;
    let outcome = import::run_reporting(&pool, &bytes, &options, |phase| match phase {
        Phase::Checking { done, total } => checking
            .get_or_insert_with(|| Progress::new("import check", "rows", total as u64))
            .set(done as u64),
        Phase::Writing => {
            if let Some(p) = checking.take() {
                p.finish();
            }
            writing = Some(Progress::new("import write", "step", 1));
        }
        Phase::Written => {
            if let Some(mut p) = writing.take() {
                p.set(1);
                p.finish();
            }
        }
    })
    .await;
    // A refused file ends its check without a write.
    if let Some(p) = checking {
        p.finish();
    }
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
