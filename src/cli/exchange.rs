//! `accord exchange export|import`: whole cases between installations as
//! Accord Exchange v1 documents (`schema/exchange-v1.json`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::csv_io::exchange::{self, ExportOptions, ImportError, ImportOptions, Outcome};
use crate::domain::{Status, parse_date};
use crate::i18n::{Lang, Msg};
use crate::store::attachments::files::FileStore;
use crate::store::exchange::Selection;
use crate::store::{audit, now_utc};

const EXPORT_ABOUT: &str = "Write whole cases (fields, parties, mediators, sessions, visits, agreement, \
history and an attachment manifest) as one Accord Exchange v1 JSON document; a name ending in .gz is \
gzip-compressed. The attachments' files are copied beside it into F.files/<sha256> (F being the \
document's name) unless --no-files is given. Every case carries a UUID, so importing the document \
elsewhere twice changes nothing.";

const IMPORT_ABOUT: &str = "Read an Accord Exchange v1 document (.json or .json.gz) in one transaction: \
a case whose UUID is unknown is created in the committee's series (its old number kept in its history), \
a known case that changed is updated, an unchanged one is left alone. Attachment files are taken from \
F.files/ beside the document when their SHA-256 matches (a mismatch refuses the whole file). \
--dry-run writes everything, reports, and rolls back.";

#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// Write cases as an Accord Exchange v1 document (with their files beside it).
    #[command(long_about = EXPORT_ABOUT)]
    Export(ExportArgs),
    /// Read an Accord Exchange v1 document: all cases or none.
    #[command(long_about = IMPORT_ABOUT)]
    Import(ImportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The document to write: `.json`, or `.json.gz` for gzip.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only the cases of this committee (its id).
    #[arg(long)]
    pub committee: Option<i64>,
    /// Only cases of this status (code, e.g. settled).
    #[arg(long)]
    pub status: Option<String>,
    /// Received on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Received on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only these case numbers (repeat the flag, or give several).
    #[arg(long = "case", value_name = "NO", num_args = 1..)]
    pub cases: Vec<String>,
    /// Leave the attachments' files out (the manifest still lists them).
    #[arg(long)]
    pub no_files: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The document (`.json` or `.json.gz`).
    pub file: PathBuf,
    /// Write everything, report what would change, and roll back.
    #[arg(long)]
    pub dry_run: bool,
    /// The committee new cases join (its id; default: the first committee).
    #[arg(long, default_value_t = crate::store::orgs::FIRST_COMMITTEE)]
    pub committee: i64,
    /// Language of the report (default: the configured default_language).
    #[arg(long, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
}

pub async fn run(config: Config, cmd: ExchangeCommand) -> Result {
    match cmd {
        ExchangeCommand::Export(args) => export(config, args).await,
        ExchangeCommand::Import(args) => import(config, args).await,
    }
}

async fn export(config: Config, args: ExportArgs) -> Result {
    let date = |flag: &str, v: &Option<String>| -> Result<_> {
        v.as_deref()
            .map(|v| parse_date(v).map_err(|_| format!("--{flag}: not a date: {v}").into()))
            .transpose()
    };
    let status = args
        .status
        .as_deref()
        .map(|s| Status::from_code(s.trim()).ok_or(format!("unknown status: {s}")))
        .transpose()?;
    let selection = Selection {
        committee: args.committee,
        status,
        from: date("from", &args.from)?,
        to: date("to", &args.to)?,
        case_nos: args.cases.clone(),
    };
    let pool = super::open_database(&config).await?;
    let opts = ExportOptions {
        selection,
        association: config.association_name.clone(),
        default_prefix: config.case_prefix.clone(),
        files_folder: String::new(),
        gzip: false,
        now: now_utc(),
    };
    let store = FileStore::new(config.files_dir.clone());
    let files = (!args.no_files).then_some(&store);
    let done = exchange::export_file(&pool, opts, &args.out, files)
        .await
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    let details = serde_json::json!({
        "file": args.out.display().to_string(),
        "cases": done.cases,
        "format": exchange::FORMAT,
    });
    audit::record_event(&pool, None, "export", "export", details).await?;
    pool.close().await;
    eprintln!(
        "Wrote {} cases to {} ({} attachment files beside it, {} not kept here)",
        done.cases,
        args.out.display(),
        done.files_written,
        done.files_missing
    );
    Ok(())
}

async fn import(config: Config, args: ImportArgs) -> Result {
    let lang = args
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(config.default_language);
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let pool = super::open_database(&config).await?;
    let opts = ImportOptions {
        committee: super::committee(&pool, &config, args.committee).await?,
        today: Clock::System.today(config.timezone),
        dry_run: args.dry_run,
        beside: Some(
            args.file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), PathBuf::from),
        ),
        files: FileStore::new(config.files_dir.clone()),
        default_prefix: config.case_prefix.clone(),
    };
    let outcome = exchange::import(&pool, &bytes, &opts).await;
    pool.close().await;
    let report = match outcome {
        Ok(report) => report,
        Err(ImportError::Refused(refusals)) => {
            for r in &refusals {
                eprintln!("{}", r.message(lang));
            }
            eprintln!("{}", Msg::ExNothingImported.text(lang));
            return Err(format!("{} problems in {}", refusals.len(), args.file.display()).into());
        }
        Err(e) => return Err(e.into()),
    };
    for (uuid, case_no, outcome) in &report.cases {
        let word = match outcome {
            Outcome::Created => Msg::ExCreated,
            Outcome::Updated => Msg::ExUpdated,
            Outcome::Unchanged => Msg::ExUnchanged,
        };
        println!("{}\t{uuid}\t{case_no}", word.text(lang));
    }
    println!(
        "{}",
        Msg::ExSummary
            .text(lang)
            .replace("{created}", &report.created.to_string())
            .replace("{updated}", &report.updated.to_string())
            .replace("{unchanged}", &report.unchanged.to_string())
    );
    if report.files_missing > 0 {
        println!(
            "{}",
            Msg::ExMissingFiles
                .text(lang)
                .replace("{n}", &report.files_missing.to_string())
        );
    }
    if report.dry_run {
        println!("{}", Msg::ExDryRun.text(lang));
    }
    Ok(())
}
