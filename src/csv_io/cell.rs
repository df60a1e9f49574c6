//! Single cells: formula-injection guarding and lists of names.

use std::borrow::Cow;

/// The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How several names share one cell.
pub const JOIN: &str = "; ";

/// True when a spreadsheet would take the text for a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return), or when it is
/// already a guarded text (a `'` before such a text): guarding that too is
/// what keeps [`unguard`] an exact inverse.
fn needs_guard(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => true,
        Some(b'\'') => needs_guard(&text[1..]),
        _ => false,
    }
}

/// Neutralises a cell against formula injection (OWASP "CSV injection"):
/// a leading `'` makes Excel and LibreOffice show the text as text.
pub fn guard(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`guard`]: `unguard(&guard(x)) == x` for every text.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

/// Splits `张三; 李四` (also `；`) into trimmed names, dropping blanks.
pub fn split_names(cell: &str) -> Vec<&str> {
    cell.split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Strips a leading BOM.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_guarded_and_read_back_exactly() {
        for text in [
            "=1+2", "+86 138", "-5", "@SUM(A1)", "\tx", "'=1", "''@x", "'plain", "plain", "", "'", "张三",
        ] {
            let guarded = guard(text);
            assert!(!guarded.starts_with(['=', '+', '-', '@', '\t']), "{guarded}");
            assert_eq!(unguard(&guarded), text, "round trip of {text:?}");
        }
        assert_eq!(guard("=1+2"), "'=1+2");
        assert_eq!(guard("'plain"), "'plain");
        assert_eq!(guard("'=1"), "''=1");
    }

    #[test]
    fn names_split_on_either_semicolon() {
        assert_eq!(split_names("张三; 李四；王五 ;"), vec!["张三", "李四", "王五"]);
        assert!(split_names(" ").is_empty());
    }
}
