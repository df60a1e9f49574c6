//! The few places where SQLite and PostgreSQL spell the same thing
//! differently, as SQL fragments for a backend. A query that needs one is
//! assembled once per backend (see [`Sql`](super::sql::Sql)); values are
//! still bound, never formatted in.

use super::Backend;

/// The function that builds a JSON object from key/value pairs.
pub fn json_object(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "json_object",
        Backend::Postgres => "jsonb_build_object",
    }
}

/// The aggregate that gathers values into a JSON array.
pub fn json_agg(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "json_group_array",
        Backend::Postgres => "jsonb_agg",
    }
}

/// A boolean column as a JSON boolean inside [`json_object`] (SQLite
/// stores 0/1 and would write a number).
pub fn json_bool(b: Backend, column: &str) -> String {
    match b {
        Backend::Sqlite => format!("json(iif({column}, 'true', 'false'))"),
        Backend::Postgres => column.to_string(),
    }
}

/// Joins text values of a group with a separator (an SQL literal).
pub fn string_agg(b: Backend, expr: &str, separator: &str) -> String {
    match b {
        Backend::Sqlite => format!("group_concat({expr}, {separator})"),
        Backend::Postgres => format!("string_agg({expr}, {separator})"),
    }
}

/// A calendar date's month as `YYYY-MM`.
pub fn month_key(b: Backend, date: &str) -> String {
    match b {
        Backend::Sqlite => format!("substr({date}, 1, 7)"),
        Backend::Postgres => format!("to_char({date}, 'YYYY-MM')"),
    }
}

/// A calendar date as `YYYY-MM-DD` text.
pub fn day_key(b: Backend, date: &str) -> String {
    match b {
        Backend::Sqlite => date.to_string(),
        Backend::Postgres => format!("to_char({date}, 'YYYY-MM-DD')"),
    }
}

/// Whole days from `earlier` to `later` (calendar dates), as an integer.
pub fn days_between(b: Backend, later: &str, earlier: &str) -> String {
    match b {
        Backend::Sqlite => format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"),
        Backend::Postgres => format!("({later} - {earlier})"),
    }
}

/// Substring matching that ignores ASCII case, as SQLite's LIKE does.
pub fn like(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_backend_gets_its_own_spelling() {
        assert_eq!(
            month_key(Backend::Sqlite, "c.received_on"),
            "substr(c.received_on, 1, 7)"
        );
        assert_eq!(
            month_key(Backend::Postgres, "c.received_on"),
            "to_char(c.received_on, 'YYYY-MM')"
        );
        assert_eq!(days_between(Backend::Postgres, "a", "b"), "(a - b)");
        assert_eq!(
            string_agg(Backend::Sqlite, "p.name", "char(31)"),
            "group_concat(p.name, char(31))"
        );
    }
}
