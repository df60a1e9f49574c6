//! Settings: the built-in defaults (`config/default.toml`, embedded), then a
//! config file, then `ACCORD_*` environment variables, then command-line flags.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use chrono::FixedOffset;

use crate::domain::Durability;
use crate::i18n::Lang;
use crate::store::Location;

/// The defaults, compiled in so the binary runs from any folder.
const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Everything Accord can be told at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address the web server listens on.
    pub bind: SocketAddr,
    /// The database: a SQLite file's path, or a PostgreSQL server's URL.
    pub database: Location,
    /// The association's name, printed on agreements and reports.
    pub association_name: String,
    /// Prefix of case numbers (`物调`).
    pub case_prefix: String,
    /// Local time-zone offset for "today" and printed dates.
    pub timezone: FixedOffset,
    /// Days in mediation after acceptance before a case is overdue.
    pub mediation_limit_days: u32,
    /// Interface language for visitors who have not chosen one.
    pub default_language: Lang,
    /// Whether the session cookie is marked Secure.
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session expires.
    pub session_idle_minutes: u32,
    /// Seconds a write waits for SQLite's write lock before the request
    /// answers 503 "busy, try again".
    pub busy_timeout_seconds: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client; from any
    /// other peer the header is ignored. Empty: the socket's peer is the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Password hashes computed at once; 0 means one per CPU core.
    pub hash_workers: u32,
    /// Sign-ins that may wait for a hashing worker; more answer 503.
    pub hash_queue: u32,
    /// How hard commits are pushed to disk (`full` survives a power cut).
    pub durability: Durability,
    /// Most applicants, and most respondents, one case may have.
    pub max_parties_per_side: usize,
    /// Folder of the attachments' files, named by their SHA-256.
    pub files_dir: PathBuf,
    /// Largest attachment taken, in MB; one upload request may carry four times this.
    pub max_upload_mb: u32,
    /// 保管期限 printed on a case file's cover, in years, by category code;
    /// `default` for every category not named. 0 means permanent (永久).
    pub retention_years: std::collections::BTreeMap<String, u32>,
    /// Requests one API token may make a minute (issue 16); more answer 429.
    pub api_rate_per_minute: u32,
    /// The key shared with the parent installation (which signs the
    /// statistics packets sent up) or with the child ones (whose packets
    /// are taken); unset: no packet is written or taken. Never shown.
    pub rollup_key: Option<String>,
}

impl Config {
    /// The years a case file of this category is kept (0: permanently).
    pub fn retention_for(&self, category: &str) -> u32 {
        self.retention_years
            .get(category)
            .or_else(|| self.retention_years.get("default"))
            .copied()
            .unwrap_or(10)
    }
}

/// A setting that could not be used, named by its key.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in `{key}`: {message}")]
pub struct ConfigError {
    /// The setting's key, as written in the config file.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

const KEYS: [&str; 20] = [
    "bind",
    "database",
    "association_name",
    "case_prefix",
    "timezone",
    "mediation_limit_days",
    "default_language",
    "secure_cookies",
    "session_idle_minutes",
    "busy_timeout_seconds",
    "trusted_proxies",
    "hash_workers",
    "hash_queue",
    "durability",
    "max_parties_per_side",
    "files_dir",
    "max_upload_mb",
    "retention_years",
    "api_rate_per_minute",
    "rollup_key",
];

impl Config {
    /// Loads the settings. `file` is the `--config` path; without it
    /// `config/default.toml` is read when present. `env` yields the process
    /// environment (tests pass their own).
    pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let mut config = Config::defaults();
        let path = match file {
            Some(path) => Some(path.to_path_buf()),
            None => {
                let default = PathBuf::from("config/default.toml");
                default.exists().then_some(default)
            }
        };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::new("--config", format!("cannot read {}: {e}", path.display())))?;
            config.apply_file(&text)?;
        }
        for (name, value) in env {
            let Some(key) = name.strip_prefix("ACCORD_") else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if KEYS.contains(&key.as_str()) {
                config
                    .set(&key, &value)
                    .map_err(|e| ConfigError { key: name.clone(), ..e })?;
            }
        }
        Ok(config)
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Config {
        let mut config = Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: Location::File(PathBuf::from("data/accord.db")),
            association_name: String::new(),
            case_prefix: String::new(),
            timezone: FixedOffset::east_opt(8 * 3600).expect("valid offset"),
            mediation_limit_days: 30,
            default_language: Lang::Zh,
            secure_cookies: false,
            session_idle_minutes: 480,
            busy_timeout_seconds: 10,
            trusted_proxies: Vec::new(),
            hash_workers: 0,
            hash_queue: 16,
            durability: Durability::Full,
            max_parties_per_side: 50,
            files_dir: PathBuf::from("data/files"),
            max_upload_mb: 25,
            retention_years: std::collections::BTreeMap::new(),
            api_rate_per_minute: 600,
            rollup_key: None,
        };
        config.apply_file(DEFAULTS).expect("the embedded defaults are valid");
        config
    }

    fn apply_file(&mut self, text: &str) -> Result<(), ConfigError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::new("config file", e.message().to_string()))?;
        for (key, value) in table {
            if !KEYS.contains(&key.as_str()) {
                return Err(ConfigError::new(&key, "unknown setting"));
            }
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                // A list (trusted_proxies) is read as its comma-separated text.
                toml::Value::Array(items) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| ConfigError::new(&key, "must be a list of texts"))
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .join(","),
                // A table (retention_years) is read as `key=value` pairs, as
                // its environment variable is written.
                toml::Value::Table(items) => items
                    .iter()
                    .map(|(k, v)| match v {
                        toml::Value::Integer(i) => Ok(format!("{k}={i}")),
                        _ => Err(ConfigError::new(&key, "must be a table of whole numbers")),
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .join(","),
                _ => return Err(ConfigError::new(&key, "must be text, a number or true/false")),
            };
            self.set(&key, &text)?;
        }
        Ok(())
    }

    /// Sets one key from its text form, checking it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let err = |m: &str| ConfigError::new(key, m);
        match key {
            "bind" => {
                self.bind = value
                    .trim()
                    .parse()
                    .map_err(|_| err(&format!("`{value}` is not an address like 127.0.0.1:8080")))?
            }
            "database" => {
                if value.trim().is_empty() {
                    return Err(err("must not be empty"));
                }
                self.database = Location::parse(value);
            }
            "association_name" => {
                if value.trim().is_empty() {
                    return Err(err("must not be empty"));
                }
                self.association_name = value.trim().to_string();
            }
            "case_prefix" => {
                if value.trim().is_empty() || value.chars().count() > 20 {
                    return Err(err("must be 1 to 20 characters"));
                }
                self.case_prefix = value.trim().to_string();
            }
            "timezone" => {
                self.timezone =
                    parse_offset(value).ok_or_else(|| err(&format!("`{value}` is not an offset like +08:00")))?
            }
            "mediation_limit_days" => {
                self.mediation_limit_days = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| (1..=3650).contains(d))
                    .ok_or_else(|| err(&format!("`{value}` is not a number of days from 1 to 3650")))?
            }
            "default_language" => {
                self.default_language =
                    Lang::from_code(value.trim()).ok_or_else(|| err(&format!("`{value}` is not \"zh\" or \"en\"")))?
            }
            "secure_cookies" => {
                self.secure_cookies = value
                    .trim()
                    .parse()
                    .map_err(|_| err(&format!("`{value}` is not true or false")))?
            }
            "session_idle_minutes" => {
                self.session_idle_minutes = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|m| (1..=60 * 24 * 30).contains(m))
                    .ok_or_else(|| err(&format!("`{value}` is not a number of minutes")))?
            }
            "busy_timeout_seconds" => {
                self.busy_timeout_seconds = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|s| (1..=600).contains(s))
                    .ok_or_else(|| err(&format!("`{value}` is not a number of seconds from 1 to 600")))?
            }
            "trusted_proxies" => {
                self.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        v.parse()
                            .map_err(|_| err(&format!("`{v}` is not an IP address like 10.0.0.1")))
                    })
                    .collect::<Result<_, _>>()?
            }
            "hash_workers" => {
                self.hash_workers = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n <= 256)
                    .ok_or_else(|| err(&format!("`{value}` is not a number from 0 to 256")))?
            }
            "hash_queue" => {
                self.hash_queue = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n <= 10_000)
                    .ok_or_else(|| err(&format!("`{value}` is not a number from 0 to 10000")))?
            }
            "durability" => {
                self.durability = Durability::from_code(value.trim())
                    .ok_or_else(|| err(&format!("`{value}` is not \"full\" or \"normal\"")))?
            }
            "max_parties_per_side" => {
                self.max_parties_per_side = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| err(&format!("`{value}` is not a number from 1 to 1000")))?
            }
            "files_dir" => {
                if value.trim().is_empty() {
                    return Err(err("must not be empty"));
                }
                self.files_dir = PathBuf::from(value.trim());
            }
            "api_rate_per_minute" => {
                self.api_rate_per_minute = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or_else(|| err(&format!("`{value}` is not a number from 1 to 1000000")))?
            }
            "rollup_key" => {
                let key = value.trim();
                if !key.is_empty() && key.len() < crate::domain::packet::KEY_MIN {
                    return Err(err(&format!(
                        "must be at least {} bytes (e.g. the output of `openssl rand -hex 32`)",
                        crate::domain::packet::KEY_MIN
                    )));
                }
                self.rollup_key = Some(key.to_string()).filter(|k| !k.is_empty());
            }
            "max_upload_mb" => {
                self.max_upload_mb = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=1024).contains(n))
                    .ok_or_else(|| err(&format!("`{value}` is not a number of MB from 1 to 1024")))?
            }
            "retention_years" => {
                let mut years = std::collections::BTreeMap::new();
                for pair in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let parsed = pair.split_once('=').and_then(|(code, n)| {
                        let n: u32 = n.trim().parse().ok().filter(|n| *n <= 100)?;
                        Some((code.trim().to_string(), n))
                    });
                    let (code, n) = parsed
                        .ok_or_else(|| err(&format!("`{pair}` is not `category = years` (0 to 100, 0 = permanent)")))?;
                    years.insert(code, n);
                }
                self.retention_years = years;
            }
            _ => return Err(err("unknown setting")),
        }
        Ok(())
    }

    /// The largest attachment taken, in bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        u64::from(self.max_upload_mb) * 1024 * 1024
    }

    /// The largest upload request: four files at the limit, and the form around them.
    pub fn max_upload_request_bytes(&self) -> usize {
        (4 * self.max_upload_bytes() + 64 * 1024) as usize
    }
}

/// Parses `+08:00`, `-05:30` or `Z`.
fn parse_offset(value: &str) -> Option<FixedOffset> {
    let value = value.trim();
    if value == "Z" || value == "+00:00" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match value.as_bytes().first()? {
        b'+' => (1, &value[1..]),
        b'-' => (-1, &value[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests;
