//! The `case_grams` documents of new cases, computed here instead of by
//! the view `case_gram_docs` (migration 0019): the view cuts each field
//! with hex(substr()) over a table of positions, which took most of a big
//! import's search phase. The document is the view's, token for token;
//! the view stays for the trigger and `index_case` (one case at a time).
//! On PostgreSQL the rows of `case_gram_rows` are cut here the same way,
//! for every write path ([`index_postgres`]); the schema's trigger keeps
//! its own SQL.
//!
//! Here a document cut from a case's fields; SQLite's documents written
//! (now, or made ahead and staged) in `sqlite`; PostgreSQL's rows in
//! `postgres`.

mod postgres;
mod sqlite;

pub(super) use postgres::{gram_code, index_postgres};
#[cfg(test)]
pub(super) use sqlite::documents;
pub use sqlite::{DOCUMENTS_PER_STATEMENT, Documents, documents_ahead, insert_documents, unstage};
pub(super) use sqlite::{insert_ahead, insert_new};

/// Each case's gram document (id, grams), `None` when it has no gram.
pub type Document = (i64, Option<String>);

/// A chunk's cases (id, case number, project, summary) and their parties'
/// names (case id, name), as the view reads them.
type Fields = (Vec<(i64, String, String, String)>, Vec<(i64, String)>);

/// Each case's document, by id.
fn documents_of((cases, parties): Fields) -> Vec<Document> {
    let mut parties = parties.iter().peekable();
    let mut docs = Vec::with_capacity(cases.len());
    for (id, case_no, project, summary) in &cases {
        let names = std::iter::from_fn(|| {
            parties
                .next_if(|(case_id, _)| case_id <= id)
                .map(|(_, name)| name.as_str())
        });
        let fields = [case_no, project, summary].into_iter().map(String::as_str).chain(names);
        docs.push((*id, document(fields)));
    }
    docs
}

/// A case's document from its fields in the view's order: number,
/// project, summary, then its parties' names by role and position.
pub fn document<'a>(fields: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut doc = String::new();
    for field in fields {
        push_field(&mut doc, field);
    }
    // group_concat over no gram at all is NULL.
    (!doc.is_empty()).then_some(doc)
}

/// Adds one field's grams to a document, as the view writes them: for
/// each character, the token of it and the token of it with the next
/// one (itself alone at the end), space-separated. Like SQLite's
/// lower(), only ASCII is lowercased.
fn push_field(doc: &mut String, field: &str) {
    each_gram(field, |one, two| {
        if !doc.is_empty() {
            doc.push(' ');
        }
        push_token(doc, one);
        doc.push(' ');
        push_token(doc, two);
    });
}

/// Calls `f` for each character of a field with the character and the
/// character with the next one (itself alone at the end), as SQLite's
/// view and PostgreSQL's `case_gram_rows` cut a field with substr().
/// Like SQLite's length(), the text ends at its first NUL (PostgreSQL's
/// text holds none).
fn each_gram<'a>(field: &'a str, mut f: impl FnMut(&'a str, &'a str)) {
    let field = field.split('\0').next().unwrap_or_default();
    let mut chars = field.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = at + c.len_utf8();
        let end2 = chars.peek().map_or(end, |(next, d)| next + d.len_utf8());
        f(&field[at..end], &field[at..end2]);
    }
}

/// Appends the token of a gram: the hex of its ASCII-lowercased bytes.
pub(super) fn push_token(out: &mut String, gram: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in gram.bytes().map(|b| b.to_ascii_lowercase()) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xF)] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(fields: &[&str]) -> String {
        let mut doc = String::new();
        for f in fields {
            push_field(&mut doc, f);
        }
        doc
    }

    #[test]
    fn each_character_gives_its_gram_and_the_pair_it_starts() {
        assert_eq!(document(&["Ab"]), "61 6162 62 62");
        assert_eq!(document(&["张", "x"]), "E5BCA0 E5BCA0 78 78");
        assert_eq!(document(&["", "a\0b"]), "61 61");
        assert_eq!(document(&[""]), "");
    }
}
