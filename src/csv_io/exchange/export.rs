//! Cases out of the store into an exchange document.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use super::document::{FORMAT, Source, VERSION, to_doc};
use super::{files_folder_name, is_gzip_name};
use crate::store::Db;
use crate::store::attachments::files::FileStore;
use crate::store::exchange::{self, Selection};

/// What to export, and how to write it.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub selection: Selection,
    /// The installation's association, named in `source`.
    pub association: String,
    /// The configured case-number prefix (the first committee's).
    pub default_prefix: String,
    /// The folder the manifest's paths name (`F.files`).
    pub files_folder: String,
    pub gzip: bool,
    /// `exported_at`: UTC, RFC 3339.
    pub now: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    pub cases: usize,
    /// The SHA-256 of every attachment listed, once each.
    pub attachments: Vec<String>,
    /// Files written beside the document; listed files not kept here.
    pub files_written: usize,
    pub files_missing: usize,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Writes the selected cases as one document to `out` (gzip when the
/// options say so), read from one consistent view of the data. Each case
/// is written as soon as it is read: memory holds one case at a time.
pub async fn export<W: Write + Send>(db: &Db, opts: &ExportOptions, out: W) -> Result<Exported, ExportError> {
    if opts.gzip {
        let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
        let done = write_document(db, opts, &mut gz).await?;
        gz.finish()?.flush()?;
        Ok(done)
    } else {
        let mut out = out;
        let done = write_document(db, opts, &mut out).await?;
        out.flush()?;
        Ok(done)
    }
}

/// The document of [`super::Document`]'s shape, its cases written one by one.
async fn write_document<W: Write + Send>(db: &Db, opts: &ExportOptions, out: &mut W) -> Result<Exported, ExportError> {
    let source = Source {
        association: opts.association.clone(),
        accord_version: env!("CARGO_PKG_VERSION").into(),
    };
    write!(
        out,
        "{{\n  \"format\": {},\n  \"version\": {VERSION},\n  \"exported_at\": {},\n  \"source\": {},\n  \"cases\": [",
        serde_json::to_string(FORMAT)?,
        serde_json::to_string(&opts.now)?,
        serde_json::to_string(&source)?,
    )?;
    let mut tx = db.begin_read().await?;
    let ids = exchange::select(&mut tx.conn(), &opts.selection).await?;
    let mut done = Exported::default();
    let mut listed = HashSet::new();
    for id in ids {
        let Some(c) = exchange::read(&mut tx.conn(), id, &opts.default_prefix).await? else {
            continue;
        };
        for a in &c.attachments {
            if listed.insert(a.sha256.clone()) {
                done.attachments.push(a.sha256.clone());
            }
        }
        out.write_all(if done.cases == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut *out, &to_doc(&c, &opts.files_folder))?;
        done.cases += 1;
    }
    out.write_all(b"\n  ]\n}\n")?;
    Ok(done)
}

/// Writes the document to `path` (gzip when it ends in `.gz`), and with
/// `files` the attachments' files beside it in `path.files/`.
pub async fn export_file(
    db: &Db,
    mut opts: ExportOptions,
    path: &Path,
    files: Option<&FileStore>,
) -> Result<Exported, ExportError> {
    opts.files_folder = files_folder_name(path);
    opts.gzip = is_gzip_name(path);
    let file = std::fs::File::create(path)?;
    let mut done = export(db, &opts, std::io::BufWriter::new(file)).await?;
    if let Some(store) = files {
        let folder = path.with_file_name(&opts.files_folder);
        std::fs::create_dir_all(&folder)?;
        for sha in &done.attachments {
            let from = store.path_of(sha);
            if !from.exists() {
                done.files_missing += 1;
                continue;
            }
            let to = folder.join(sha);
            if !to.exists() {
                std::fs::copy(&from, &to)?;
            }
            done.files_written += 1;
        }
    }
    Ok(done)
}
