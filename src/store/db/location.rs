//! Where the database is, as the `database` setting and `--db` name it.

use super::Backend;

/// Where the database is: a SQLite file (a path, or a `sqlite:` URL) or a
/// PostgreSQL server (`postgres://user@host/db`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(std::path::PathBuf),
    Server(String),
}

impl Location {
    /// Reads a `database` setting: a `postgres://` or `postgresql://` URL
    /// names a server; a `sqlite:` URL or anything else, a file.
    pub fn parse(value: &str) -> Location {
        let value = value.trim();
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Location::Server(value.to_string());
        }
        let path = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"));
        Location::File(std::path::PathBuf::from(path.unwrap_or(value)))
    }

    /// The file, when the database is one.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    /// Whether there is a database there to open: the file exists (a
    /// server's database is taken to exist; connecting tells).
    pub fn exists(&self) -> bool {
        self.file().is_none_or(std::path::Path::exists)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Location::File(_) => Backend::Sqlite,
            Location::Server(_) => Backend::Postgres,
        }
    }
}

/// The setting as given to `--db` (a path, or the server's URL).
impl AsRef<std::ffi::OsStr> for Location {
    fn as_ref(&self) -> &std::ffi::OsStr {
        match self {
            Location::File(p) => p.as_os_str(),
            Location::Server(url) => std::ffi::OsStr::new(url),
        }
    }
}

impl Location {
    /// The setting as text, as given to `--db`.
    pub fn to_str(&self) -> Option<&str> {
        AsRef::<std::ffi::OsStr>::as_ref(self).to_str()
    }
}

/// Shown in logs and messages; a server's password, if the URL holds one,
/// is left out.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(url) => match url.split_once('@') {
                Some((user, host)) if user.matches(':').count() > 1 => {
                    let scheme_user = user.rsplit_once(':').map_or(user, |(su, _)| su);
                    write!(f, "{scheme_user}:***@{host}")
                }
                _ => f.write_str(url),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_names_a_server_anything_else_a_file() {
        assert_eq!(
            Location::parse("postgres://root@127.0.0.1/test").backend(),
            Backend::Postgres
        );
        assert_eq!(Location::parse("postgresql://h/db").backend(), Backend::Postgres);
        assert_eq!(Location::parse("sqlite:data/a.db"), Location::File("data/a.db".into()));
        assert_eq!(
            Location::parse("sqlite://data/a.db"),
            Location::File("data/a.db".into())
        );
        assert_eq!(
            Location::parse(" data/accord.db "),
            Location::File("data/accord.db".into())
        );
    }

    #[test]
    fn a_password_is_not_shown() {
        let shown = Location::parse("postgres://accord:s3cret@db.example/accord").to_string();
        assert_eq!(shown, "postgres://accord:***@db.example/accord");
        assert_eq!(
            Location::parse("postgres://root@127.0.0.1/test").to_string(),
            "postgres://root@127.0.0.1/test"
        );
    }
}
