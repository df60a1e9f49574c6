//! An exchange document into the store: read and checked whole first, the
//! attachments' files checked against their SHA-256, then every case
//! written in ONE transaction. A dry run writes the same and rolls back.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use super::check::{self, case_ref};
use super::document::{DocCase, Document, FORMAT, VERSION};
use super::problem::{Problem, Refusal};
use super::unpack;
use crate::store::attachments::files::{FileStore, hash_file};
use crate::store::exchange::{self, ExCase};
use crate::store::orgs::Committee;
use crate::store::{Db, begin_write, reference};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The committee new cases join and are numbered in.
    pub committee: Committee,
    /// Today: new cases take a number of this year.
    pub today: NaiveDate,
    /// Write, report, and roll back.
    pub dry_run: bool,
    /// The folder the manifest's paths are relative to (the document's),
    /// when the attachments' files may be beside it.
    pub beside: Option<PathBuf>,
    /// The attachment store files are copied into.
    pub files: FileStore,
    /// The configured case-number prefix (the first committee's).
    pub default_prefix: String,
}

/// What became of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Each case: its UUID, its number here, and what became of it.
    pub cases: Vec<(String, String, Outcome)>,
    /// Attachment files copied into the store.
    pub files_copied: usize,
    /// Attachments left out: their file was neither beside nor here.
    pub files_missing: usize,
    pub dry_run: bool,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The document, a case or a file was refused; each names where.
    #[error("{} problems; nothing was imported", .0.len())]
    Refused(Vec<Refusal>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads a document (JSON, or gzip of it), checking its format, version
/// and shape; a problem names the case and the field's path.
pub fn parse(bytes: &[u8]) -> Result<Document, Refusal> {
    let bytes = unpack(bytes).map_err(|e| Refusal::file(Problem::NotJson(e.to_string())))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| Refusal::file(Problem::NotJson(e.to_string())))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(Refusal::file(Problem::NotExchange));
    }
    let version = value.get("version").cloned().unwrap_or(Value::Null);
    if version.as_u64() != Some(u64::from(VERSION)) {
        return Err(Refusal::file(Problem::Version(version.to_string())));
    }
    serde_path_to_error::deserialize::<_, Document>(&value).map_err(|e| {
        let path = e.path().to_string();
        // `cases[3].parties[0].phone`: name case 3, and the rest as the field.
        let case = path
            .strip_prefix("cases[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.trim_start_matches('.'))));
        match case {
            Some((i, field)) => {
                let raw = &value["cases"][i];
                let text = |k: &str| raw.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
                Refusal {
                    case: Some(super::problem::CaseRef {
                        uuid: text("uuid"),
                        case_no: text("case_no"),
                    }),
                    field: field.to_string(),
                    problem: Problem::Shape(e.inner().to_string()),
                }
            }
            None => Refusal {
                case: None,
                field: path,
                problem: Problem::Shape(e.inner().to_string()),
            },
        }
    })
}

/// An attachment file to copy into the store once everything is checked.
struct Staged {
    path: PathBuf,
}

/// Imports a document: every case created, updated or left alone, in one
/// transaction, or nothing at all.
pub async fn import(db: &Db, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let doc = parse(bytes).map_err(|r| ImportError::Refused(vec![r]))?;
    let refs = reference::load(db).await?;
    let mut refusals = Vec::new();
    let mut cases: Vec<ExCase> = Vec::with_capacity(doc.cases.len());
    for (i, c) in doc.cases.iter().enumerate() {
        if doc.cases[..i].iter().any(|o| o.uuid == c.uuid) {
            refusals.push(Refusal {
                case: Some(case_ref(c)),
                field: "uuid".into(),
                problem: Problem::DuplicateUuid,
            });
        }
        match check::case(c, &refs) {
            Ok(ok) => cases.push(ok),
            Err(found) => refusals.extend(found),
        }
    }
    if !refusals.is_empty() {
        return Err(ImportError::Refused(refusals));
    }
    let mut report = Imported {
        dry_run: opts.dry_run,
        ..Imported::default()
    };
    let mut staged = Vec::new();
    for (c, doc_case) in cases.iter_mut().zip(&doc.cases) {
        refusals.extend(files(c, doc_case, opts, &mut staged, &mut report));
    }
    if !refusals.is_empty() {
        return Err(ImportError::Refused(refusals));
    }
    let mark = serde_json::json!({ "from": doc.source.association, "exported_at": doc.exported_at });
    let mut tx = begin_write(db).await?;
    for (c, doc_case) in cases.iter().zip(&doc.cases) {
        let refused = |e: sqlx::Error| {
            if crate::store::is_constraint_violation(&e) {
                ImportError::Refused(vec![Refusal {
                    case: Some(case_ref(doc_case)),
                    field: String::new(),
                    problem: Problem::Refused(e.to_string()),
                }])
            } else {
                ImportError::Db(e)
            }
        };
        let id = exchange::find(&mut tx.conn(), &c.uuid).await?;
        let existing = match id {
            Some(id) => exchange::read(&mut tx.conn(), id, &opts.default_prefix).await?,
            None => None,
        };
        match (id, existing) {
            (Some(id), Some(existing)) => {
                if existing.holds(c) {
                    report.unchanged += 1;
                    report
                        .cases
                        .push((c.uuid.clone(), existing.case_no, Outcome::Unchanged));
                } else {
                    let committee = committee_of(&mut tx.conn(), id).await?;
                    exchange::update(&mut tx.conn(), id, committee, &existing, c, &mark)
                        .await
                        .map_err(refused)?;
                    report.updated += 1;
                    report.cases.push((c.uuid.clone(), existing.case_no, Outcome::Updated));
                }
            }
            _ => {
                let written = exchange::create(&mut tx.conn(), c, &opts.committee, opts.today, &mark)
                    .await
                    .map_err(refused)?;
                report.created += 1;
                report.cases.push((c.uuid.clone(), written.case_no, Outcome::Created));
            }
        }
    }
    if opts.dry_run {
        // Dropped without a commit: everything above is rolled back.
        drop(tx);
        return Ok(report);
    }
    // The files go in before the rows that name them are committed: a row
    // never names a missing file (one left without a row is harmless).
    for s in staged {
        copy_in(&opts.files, &s.path).await?;
        report.files_copied += 1;
    }
    tx.commit().await?;
    Ok(report)
}

/// The committee a case belongs to (its mediators are found there).
async fn committee_of(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<i64, sqlx::Error> {
    let mut q = crate::store::sql::Sql::new("SELECT committee_id FROM cases WHERE id = ");
    q.push_bind(id);
    let (c,): (i64,) = q.fetch_one_in(conn).await?;
    Ok(c)
}

/// Checks a case's attachments against their files: a file beside the
/// document must hash to its SHA-256 (and is staged for copying); one
/// neither beside nor in the store is left out of the case (and counted).
fn files(
    c: &mut ExCase,
    doc_case: &DocCase,
    opts: &ImportOptions,
    staged: &mut Vec<Staged>,
    report: &mut Imported,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let mut keep = vec![true; c.attachments.len()];
    for (i, (a, d)) in c.attachments.iter().zip(&doc_case.attachments).enumerate() {
        let at = |f: &str| format!("attachments[{i}].{f}");
        let relative = Path::new(&d.path);
        if !relative.components().all(|p| matches!(p, Component::Normal(_))) {
            refusals.push(Refusal {
                case: Some(case_ref(doc_case)),
                field: at("path"),
                problem: Problem::BadPath,
            });
            continue;
        }
        let beside = opts.beside.as_ref().map(|b| b.join(relative)).filter(|p| p.is_file());
        if let Some(path) = beside {
            match hash_file(&path) {
                Ok((sha, _)) if sha == a.sha256 => {
                    if !opts.files.path_of(&sha).exists() && !staged.iter().any(|s| s.path == path) {
                        staged.push(Staged { path });
                    }
                }
                Ok((sha, _)) => refusals.push(Refusal {
                    case: Some(case_ref(doc_case)),
                    field: at("sha256"),
                    problem: Problem::FileMismatch(sha),
                }),
                Err(e) => refusals.push(Refusal {
                    case: Some(case_ref(doc_case)),
                    field: at("path"),
                    problem: Problem::FileUnreadable(e.to_string()),
                }),
            }
        } else if !opts.files.path_of(&a.sha256).exists() {
            keep[i] = false;
            report.files_missing += 1;
        }
    }
    let mut flags = keep.into_iter();
    c.attachments.retain(|_| flags.next().unwrap_or(true));
    refusals
}

/// Copies a checked file into the attachment store under its hash.
async fn copy_in(store: &FileStore, path: &Path) -> Result<(), ImportError> {
    let bytes = tokio::fs::read(path).await?;
    let mut incoming = store.create(bytes.len() as u64).await?;
    incoming.write(bytes).await?;
    match incoming.seal().await? {
        Ok(sealed) => Ok(sealed.commit().await?),
        Err(_) => Err(ImportError::Refused(vec![Refusal {
            case: None,
            field: path.display().to_string(),
            problem: Problem::FileType,
        }])),
    }
}
