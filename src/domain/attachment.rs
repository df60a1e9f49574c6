//! Attachments (附件): the kinds a person files them under, the file types
//! Accord takes, told by content (magic bytes) and never by name, and the
//! rules of a name, a note and a void reason.

use super::fields::{Problem, check_multiline_text};

codes! {
    /// What an attachment is, as the case file (卷宗) sorts it.
    AttachmentKind {
        Application => "application",
        Identity => "identity",
        Evidence => "evidence",
        SignedAgreement => "signed_agreement",
        PerformanceProof => "performance_proof",
        Photo => "photo",
        Other => "other",
    }
}

codes! {
    /// A file type Accord takes, as found in the content.
    FileType {
        Pdf => "pdf",
        Jpeg => "jpeg",
        Png => "png",
        Heic => "heic",
        Webp => "webp",
        Docx => "docx",
        Xlsx => "xlsx",
        Doc => "doc",
        Xls => "xls",
        Text => "text",
    }
}

impl FileType {
    /// The content type a download is sent with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Heic => "image/heic",
            FileType::Webp => "image/webp",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Doc => "application/msword",
            FileType::Xls => "application/vnd.ms-excel",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    /// Images every browser shows, so the case page shows them inline.
    /// HEIC is left out: most browsers cannot draw it.
    pub fn is_inline_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png | FileType::Webp)
    }

    /// A short name people know the type by (`PDF`, `Word`, ...).
    pub fn short_name(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::Heic => "HEIC",
            FileType::Webp => "WebP",
            FileType::Docx => "DOCX",
            FileType::Xlsx => "XLSX",
            FileType::Doc => "DOC",
            FileType::Xls => "XLS",
            FileType::Text => "TXT",
        }
    }
}

/// Why a file's content is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Zero bytes.
    Empty,
    /// None of the allowed types.
    UnknownType,
    /// Over the per-file size limit.
    TooLarge,
}

/// The first bytes of each binary type.
const PDF: &[u8] = b"%PDF-";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// ISO base media brands of HEIC/HEIF still images.
const HEIF_BRANDS: [&[u8]; 9] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"mif1", b"msf1",
];

/// Names inside a container that tell what it holds: the entries of an
/// Office Open XML zip, the UTF-16 stream names of an OLE compound file.
const NEEDLES: [&[u8]; 5] = [
    b"[Content_Types].xml",
    b"word/",
    b"xl/",
    b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0",
    b"W\0o\0r\0k\0b\0o\0o\0k\0",
];
const CONTENT_TYPES: usize = 0;
const WORD: usize = 1;
const XL: usize = 2;
const WORD_STREAM: usize = 3;
const WORKBOOK_STREAM: usize = 4;
/// Bytes enough to tell a head apart.
const HEAD: usize = 16;
/// Bytes kept from one chunk to the next so a needle split between two is found.
const CARRY: usize = 23;

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Known(FileType),
    Zip,
    Ole,
    MaybeText,
}

fn read_head(head: &[u8]) -> Head {
    if head.starts_with(PDF) {
        Head::Known(FileType::Pdf)
    } else if head.starts_with(JPEG) {
        Head::Known(FileType::Jpeg)
    } else if head.starts_with(PNG) {
        Head::Known(FileType::Png)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Head::Known(FileType::Webp)
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" && HEIF_BRANDS.contains(&&head[8..12]) {
        Head::Known(FileType::Heic)
    } else if head.starts_with(ZIP) {
        Head::Zip
    } else if head.starts_with(OLE) {
        Head::Ole
    } else {
        Head::MaybeText
    }
}

/// Reads a file's bytes as they arrive, without keeping them, and tells
/// its type at the end.
#[derive(Debug, Default)]
pub struct Sniffer {
    len: u64,
    head: Vec<u8>,
    /// The last bytes seen, for needles across chunks.
    carry: Vec<u8>,
    seen: [bool; NEEDLES.len()],
    /// An unfinished UTF-8 sequence at the end of the last chunk.
    utf8_rest: Vec<u8>,
    not_text: bool,
}

impl Sniffer {
    pub fn new() -> Sniffer {
        Sniffer::default()
    }

    /// Bytes read so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        self.len += chunk.len() as u64;
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        let head = read_head(&self.head);
        if matches!(head, Head::Zip | Head::Ole) || self.head.len() < HEAD {
            self.find_needles(chunk);
        }
        if head == Head::MaybeText && !self.not_text {
            self.check_text(chunk);
        }
    }

    fn find_needles(&mut self, chunk: &[u8]) {
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        for (i, needle) in NEEDLES.iter().enumerate() {
            if !self.seen[i] && buf.windows(needle.len()).any(|w| w == *needle) {
                self.seen[i] = true;
            }
        }
        let keep = buf.len().saturating_sub(CARRY);
        self.carry = buf.split_off(keep);
    }

    fn check_text(&mut self, chunk: &[u8]) {
        let mut buf = std::mem::take(&mut self.utf8_rest);
        buf.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&buf) {
            Ok(s) => s,
            // A sequence cut by the chunk's end is finished by the next chunk.
            Err(e) if e.error_len().is_none() => {
                let (done, rest) = buf.split_at(e.valid_up_to());
                self.utf8_rest = rest.to_vec();
                std::str::from_utf8(done).unwrap_or_default()
            }
            Err(_) => {
                self.not_text = true;
                return;
            }
        };
        if valid
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
        {
            self.not_text = true;
        }
    }

    /// The file's type, or why it is refused.
    pub fn finish(self) -> Result<FileType, Refusal> {
        if self.len == 0 {
            return Err(Refusal::Empty);
        }
        match read_head(&self.head) {
            Head::Known(t) => Ok(t),
            Head::Zip if self.seen[CONTENT_TYPES] && self.seen[WORD] => Ok(FileType::Docx),
            Head::Zip if self.seen[CONTENT_TYPES] && self.seen[XL] => Ok(FileType::Xlsx),
            Head::Ole if self.seen[WORD_STREAM] => Ok(FileType::Doc),
            Head::Ole if self.seen[WORKBOOK_STREAM] => Ok(FileType::Xls),
            Head::MaybeText if !self.not_text && self.utf8_rest.is_empty() => Ok(FileType::Text),
            _ => Err(Refusal::UnknownType),
        }
    }
}

/// The type of a whole file in memory (tests, small inputs).
pub fn sniff(bytes: &[u8]) -> Result<FileType, Refusal> {
    let mut s = Sniffer::new();
    s.feed(bytes);
    s.finish()
}

/// Longest original name kept, in characters.
pub const NAME_MAX: usize = 255;
/// Longest note, in characters.
pub const NOTE_MAX: usize = 500;

/// The name a browser sent, as kept: the last part of any path, without
/// control characters, at most [`NAME_MAX`] characters (the extension
/// kept); `None` when nothing is left.
pub fn clean_file_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    if name.chars().count() <= NAME_MAX {
        return Some(name.to_string());
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if e.chars().count() <= 10 => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    let stem: String = stem.chars().take(NAME_MAX - ext.chars().count()).collect();
    Some(format!("{stem}{ext}"))
}

/// A note on an attachment: optional, a few lines (the rule of every
/// multi-line field).
pub fn check_note(note: &str) -> Result<String, Problem> {
    match check_multiline_text(note, NOTE_MAX, false) {
        (note, None) => Ok(note),
        (_, Some(p)) => Err(p),
    }
}

/// The reason an attachment is voided: required.
pub fn check_reason(reason: &str) -> Result<String, Problem> {
    match check_multiline_text(reason, NOTE_MAX, true) {
        (reason, None) => Ok(reason),
        (_, Some(p)) => Err(p),
    }
}

/// A SHA-256 digest as 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// "12.3 KB" from bytes.
pub fn size_text(bytes: i64) -> String {
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    }
}

#[cfg(test)]
mod tests;
