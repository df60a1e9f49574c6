//! `accord export [--out FILE] [filters] [--lang zh|en]`: the case CSV,
//! streamed to a file as the web export streams it to a browser.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use futures_util::StreamExt;

use super::anyhow_like::Result;
use super::progress::Progress;
use crate::clock::Clock;
use crate::config::Config;
use crate::csv_io;
use crate::domain::{CaseFilter, Deadlines, RefList, Status, parse_date};
use crate::i18n::Lang;
use crate::store::cases::Scope;
use crate::store::{self, audit, mediators, reference};

/// The filters of the case list, as flags.
#[derive(Debug, Clone, Default, Args)]
pub struct ExportArgs {
    /// Where to write (default: accord-cases-YYYY-MM-DD.csv, today's date;
    /// `-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Headings and codes in Chinese labels (zh) or English keys and codes (en).
    #[arg(long, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
    /// Status code or label, e.g. settled or 调解成功.
    #[arg(long)]
    pub status: Option<String>,
    /// Category code or label.
    #[arg(long)]
    pub category: Option<String>,
    /// Source code or label.
    #[arg(long)]
    pub source: Option<String>,
    /// District code or label.
    #[arg(long)]
    pub district: Option<String>,
    /// Mediator id or name.
    #[arg(long)]
    pub mediator: Option<String>,
    /// Received on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Received on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Text in the case number, project, party names or summary.
    #[arg(long)]
    pub q: Option<String>,
    /// A deadline flag: overdue, follow_up or judicial_due.
    #[arg(long)]
    pub flag: Option<String>,
}

impl ExportArgs {
    /// The filter, read exactly as the case list reads its query string;
    /// but where the list drops what it cannot read, the command refuses.
    async fn filter(&self, pool: &crate::store::Db) -> Result<CaseFilter> {
        let refs = reference::load(pool).await?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: String| pairs.push((k.to_string(), v));
        if let Some(s) = &self.status {
            let code = csv_io::labels::read::<Status>(s).ok_or(format!("unknown status: {s}"))?;
            push("status", code.code().to_string());
        }
        for (key, list, value) in [
            ("category", RefList::Category, &self.category),
            ("source", RefList::Source, &self.source),
            ("district", RefList::District, &self.district),
        ] {
            if let Some(v) = value {
                let code = refs.code_for(list, v).ok_or(format!("unknown {key}: {v}"))?;
                push(key, code.to_string());
            }
        }
        if let Some(m) = &self.mediator {
            let all = mediators::list(pool, None).await?;
            let id = match m.trim().parse::<i64>() {
                Ok(id) if all.iter().any(|x| x.id == id) => id,
                _ => all
                    .iter()
                    .find(|x| x.name == m.trim())
                    .map(|x| x.id)
                    .ok_or(format!("no mediator {m}"))?,
            };
            push("mediator", id.to_string());
        }
        for (key, value) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = value {
                let d = parse_date(v).map_err(|_| format!("--{key}: not a date: {v}"))?;
                push(key, d.to_string());
            }
        }
        if let Some(q) = &self.q {
            push("q", q.clone());
        }
        if let Some(f) = &self.flag {
            push("flag", f.clone());
        }
        let filter = CaseFilter::from_pairs(&pairs);
        if self.flag.is_some() && filter.flag.is_none() {
            return Err(format!("unknown flag: {}", self.flag.as_deref().unwrap_or("")).into());
        }
        Ok(filter)
    }
}

pub async fn run(config: Config, args: ExportArgs) -> Result {
    let pool = super::open_database(&config).await?;
    let mut filter = args.filter(&pool).await?;
    // The command acts as the system, which sees phones as an admin does.
    filter.phones = crate::domain::search::PhoneSearch::AllCases;
    let lang = args
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(config.default_language);
    let today = Clock::System.today(config.timezone);
    let deadlines = Deadlines::new(today, config.mediation_limit_days);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(csv_io::cases_file_name(today)));
    let mut sink: Box<dyn Write> = if out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        let file = std::fs::File::create(&out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        Box::new(std::io::BufWriter::with_capacity(256 * 1024, file))
    };
    // Progress goes to standard error, so only for a file.
    let mut progress = if out.as_os_str() == "-" {
        None
    } else {
        let total = store::cases::count(&pool, &filter, Scope::All, deadlines).await?;
        Some(Progress::new("export", "cases", total.max(0) as u64))
    };
    let (chunks, written) = csv_io::export::cases(pool.clone(), filter, Scope::All, deadlines, lang).await?;
    let mut chunks = std::pin::pin!(chunks);
    while let Some(chunk) = chunks.next().await {
        sink.write_all(&chunk?)?;
        if let Some(p) = &mut progress {
            p.set(written.load(std::sync::atomic::Ordering::Relaxed));
        }
    }
    sink.flush()?;
    if let Some(p) = progress {
        p.finish();
    }
    let rows = written.load(std::sync::atomic::Ordering::Relaxed);
    let details = serde_json::json!({"file": out.display().to_string(), "rows": rows});
    audit::record_event(&pool, None, "export", "export", details).await?;
    if out.as_os_str() != "-" {
        eprintln!("Wrote {rows} cases to {}", out.display());
    }
    pool.close().await;
    Ok(())
}
