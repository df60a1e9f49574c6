//! `accord dossier CASE_NO --out FILE.html`: a case's whole file (卷宗) as
//! one self-contained HTML file (stylesheet inline) for offline archiving.

use std::path::PathBuf;

use clap::Args;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::documents::DocCtx;
use crate::documents::dossier::{self, Cover};
use crate::i18n::{Lang, Msg};
use crate::store::cases::{self, Scope};
use crate::store::{audit, reference};

#[derive(Debug, Clone, Args)]
pub struct DossierArgs {
    /// The case number, e.g. 物调〔2026〕第0001号.
    pub case_no: String,
    /// The HTML file to write; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The language of the words around the data (default: the configured one).
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
}

pub async fn run(config: Config, args: DossierArgs) -> Result {
    if !config.database.exists() {
        return Err(format!("no database at {}", config.database).into());
    }
    if args.out.exists() {
        return Err(format!("{} already exists; choose a new file name", args.out.display()).into());
    }
    let lang = match args.lang.as_deref() {
        None => config.default_language,
        Some(code) => Lang::from_code(code).ok_or_else(|| format!("--lang: `{code}` is not zh or en"))?,
    };
    let pool = super::open_database(&config).await?;
    let result = write(&config, &pool, &args, lang).await;
    pool.close().await;
    result
}

async fn write(config: &Config, pool: &crate::store::Db, args: &DossierArgs, lang: Lang) -> Result {
    let id = cases::id_by_number(pool, &args.case_no)
        .await?
        .ok_or_else(|| format!("no case numbered {}", args.case_no))?;
    let files = crate::store::attachments::files::FileStore::new(&config.files_dir);
    let loaded = dossier::load(pool, id, Scope::All, lang, &dossier::Images::Embedded(&files))
        .await?
        .ok_or_else(|| format!("no case numbered {}", args.case_no))?;
    let refs = reference::load(pool).await?;
    let d = DocCtx {
        lang,
        association: &loaded.committee,
        refs: &refs,
    };
    let cover = Cover {
        retention_years: config.retention_for(&loaded.detail.case.category),
    };
    let case_no = &loaded.detail.case.case_no;
    let title = format!("{} {case_no}", Msg::DocCoverTitle.text(lang));
    let page = dossier::standalone(lang, &title, dossier::dossier(&d, &loaded, &cover));
    // Written beside the target and renamed, so a failed run leaves no half file.
    let tmp = args.out.with_extension("html.part");
    std::fs::write(&tmp, page.into_string())
        .and_then(|()| std::fs::rename(&tmp, &args.out))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", args.out.display())
        })?;
    let details = serde_json::json!({"file": args.out.display().to_string(), "dossier": case_no});
    audit::record_event(pool, None, "export", "export", details).await?;
    eprintln!("Wrote the file of {case_no} to {}", args.out.display());
    Ok(())
}
