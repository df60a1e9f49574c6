//! Accord Exchange v1 (issue 16): whole cases in one JSON document that
//! moves between installations, optionally gzip-compressed, with the
//! attachments' files in a folder beside it (`F.files/<sha256>`).
//! `schema/exchange-v1.json` is the contract; [`document`] holds its types.
//!
//! - [`document`]: the document's types, and cases turned into them
//! - [`check`]: a document's values checked into the store's, with every
//!   problem named by case and field ([`problem`])
//! - [`export()`]: cases from the store into a document (a writer or a file)
//! - [`import()`]: a document into the store, all or nothing, idempotent
//!
//! Each case carries a UUID: importing a case this installation has
//! already updates it when it changed and leaves it alone otherwise.

pub mod check;
pub mod document;
mod export;
mod import;
pub mod problem;

use std::io::Read;

pub use document::{Document, FORMAT, VERSION};
pub use export::{ExportError, ExportOptions, Exported, export, export_file};
pub use import::{ImportError, ImportOptions, Imported, Outcome, import, parse};
pub use problem::{Problem, Refusal};

/// Whether a file name asks for gzip (`.gz`).
pub fn is_gzip_name(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The folder of attachment files beside a document: `F.files` for `F`.
pub fn files_folder_name(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!("{name}.files")
}

/// The document's bytes, unpacked when they are gzip (told by content,
/// whatever the name).
fn unpack(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, std::io::Error> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
        Ok(out.into())
    } else {
        Ok(bytes.into())
    }
}
