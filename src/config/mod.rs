//! Settings: the built-in defaults (`config/default.toml`, embedded), then a
//! config file, then `ACCORD_*` environment variables, then command-line flags.
//!
//! Here the settings and their keys; reading them in that order in `load`,
//! each key's text checked and set in `set`.

mod load;
mod set;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use chrono::FixedOffset;

use crate::domain::Durability;
use crate::i18n::Lang;
use crate::store::Location;

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

    /// The largest attachment taken, in bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        u64::from(self.max_upload_mb) * 1024 * 1024
    }

    /// The largest upload request: four files at the limit, and the form around them.
    pub fn max_upload_request_bytes(&self) -> usize {
        (4 * self.max_upload_bytes() + 64 * 1024) as usize
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

#[cfg(test)]
mod tests;
