//! Reading the settings: the embedded defaults, then a config file, then
//! the `ACCORD_*` environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;

use super::{Config, ConfigError, KEYS};
use crate::domain::Durability;
use crate::i18n::Lang;
use crate::store::Location;

/// The defaults, compiled in so the binary runs from any folder.
const DEFAULTS: &str = include_str!("../../config/default.toml");

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

    pub(super) fn apply_file(&mut self, text: &str) -> Result<(), ConfigError> {
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
}
