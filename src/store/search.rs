//! Substring search through the `case_search` trigram index (migration
//! 0005). A trigram index finds substrings of three characters or more;
//! shorter queries are answered by LIKE over the columns themselves, which
//! finds the same cases, only slower.

/// The shortest query the index can answer.
pub const MIN_CHARS: usize = 3;

/// True when the index can answer this query.
pub fn indexable(q: &str) -> bool {
    q.chars().count() >= MIN_CHARS
}

/// The query as one FTS5 phrase: the whole text as a substring, with no
/// operators (quotes doubled, as FTS5 string literals want).
pub fn phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_becomes_one_quoted_phrase() {
        assert_eq!(phrase("阳光花园"), "\"阳光花园\"");
        assert_eq!(phrase("a\"b OR c"), "\"a\"\"b OR c\"");
        assert!(indexable("阳光花"));
        assert!(!indexable("张三"));
    }
}
