//! JSON text written as SQLite's JSON functions write it, byte for byte.

/// A JSON object as SQLite's `json_object()` writes it: keys in the order
/// given, no spaces.
pub(super) struct Object(String);

impl Object {
    pub(super) fn new() -> Object {
        Object(String::from("{"))
    }

    pub(super) fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    pub(super) fn text(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => push_string(self.key(key), v),
            None => self.key(key).push_str("null"),
        }
    }

    pub(super) fn int(&mut self, key: &str, value: Option<i64>) {
        match value {
            Some(v) => self.key(key).push_str(&v.to_string()),
            None => self.key(key).push_str("null"),
        }
    }

    pub(super) fn date(&mut self, key: &str, value: Option<chrono::NaiveDate>) {
        // As sqlx stores a date in SQLite.
        self.text(key, value.map(|d| d.format("%F").to_string()).as_deref());
    }

    pub(super) fn raw(&mut self, key: &str, json: &str) {
        self.key(key).push_str(json);
    }

    pub(super) fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A string as SQLite's JSON functions quote it (`jsonAppendString`):
/// `"` and `\` behind a backslash, the control characters as `\b \t \n
/// \f \r` or `\u00xx`, everything else as it is.
pub(super) fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    #[tokio::test]
    async fn strings_are_quoted_as_sqlite_quotes_them() {
        let mut db = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let every_control: String = (1u8..0x20).map(char::from).collect();
        for text in ["", "a\"b\\c/'", "张三 🏠 «été»\u{7f}\u{2028}", every_control.as_str()] {
            let quoted: String = sqlx::query_scalar("SELECT json_quote(?)")
                .bind(text)
                .fetch_one(&mut db)
                .await
                .unwrap();
            let mut ours = String::new();
            push_string(&mut ours, text);
            assert_eq!(ours, quoted);
        }
    }
}
