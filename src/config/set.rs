//! One setting set from its text, checked: the one place each key's
//! values are parsed, whether they come from a file, the environment or
//! a flag.

use std::path::PathBuf;

use chrono::FixedOffset;

use super::{Config, ConfigError};
use crate::domain::Durability;
use crate::i18n::Lang;
use crate::store::Location;

impl Config {
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
