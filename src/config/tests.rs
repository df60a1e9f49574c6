//! Settings: defaults, files, environment and the keys their errors name.

use super::*;

#[test]
fn defaults_match_the_documented_values() {
    let c = Config::defaults();
    assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(
        c.database,
        crate::store::Location::File(PathBuf::from("data/accord.db"))
    );
    assert_eq!(c.case_prefix, "物调");
    assert_eq!(c.timezone.local_minus_utc(), 8 * 3600);
    assert_eq!(c.mediation_limit_days, 30);
    assert_eq!(c.default_language, Lang::Zh);
    assert_eq!(c.busy_timeout_seconds, 10);
    assert!(c.trusted_proxies.is_empty());
    assert_eq!((c.hash_workers, c.hash_queue), (0, 16));
    assert_eq!(c.durability, Durability::Full);
    assert_eq!(c.max_parties_per_side, 50);
    assert_eq!(c.files_dir, PathBuf::from("data/files"));
    assert_eq!(c.max_upload_mb, 25);
}

#[test]
fn the_upload_limit_is_a_number_of_megabytes() {
    let mut c = Config::defaults();
    c.apply_file("max_upload_mb = 2\nfiles_dir = \"/srv/accord/files\"\n")
        .unwrap();
    assert_eq!(c.max_upload_bytes(), 2 * 1024 * 1024);
    assert!(c.max_upload_request_bytes() > 8 * 1024 * 1024);
    assert_eq!(c.files_dir, PathBuf::from("/srv/accord/files"));
    assert_eq!(c.set("max_upload_mb", "0").unwrap_err().key, "max_upload_mb");
    assert_eq!(c.set("files_dir", " ").unwrap_err().key, "files_dir");
}

#[test]
fn trusted_proxies_are_a_list_of_addresses() {
    let mut c = Config::defaults();
    c.apply_file("trusted_proxies = [\"10.0.0.1\", \"::1\"]\n").unwrap();
    assert_eq!(c.trusted_proxies.len(), 2);
    c.set("trusted_proxies", "192.168.1.1, 192.168.1.2").unwrap();
    assert_eq!(c.trusted_proxies[1].to_string(), "192.168.1.2");
    let e = c.set("trusted_proxies", "proxy.local").unwrap_err();
    assert_eq!(e.key, "trusted_proxies");
}

#[test]
fn durability_is_full_or_normal() {
    let mut c = Config::defaults();
    c.apply_file("durability = \"normal\"\n").unwrap();
    assert_eq!(c.durability, Durability::Normal);
    let env = vec![("ACCORD_DURABILITY".to_string(), "fast".to_string())];
    assert_eq!(Config::load(None, env).unwrap_err().key, "ACCORD_DURABILITY");
    let e = c.apply_file("max_parties_per_side = 0\n").unwrap_err();
    assert_eq!(e.key, "max_parties_per_side");
}

#[test]
fn environment_overrides_the_file_and_bad_values_name_their_key() {
    let env = vec![("ACCORD_MEDIATION_LIMIT_DAYS".to_string(), "45".to_string())];
    let c = Config::load(None, env).unwrap();
    assert_eq!(c.mediation_limit_days, 45);
    let env = vec![("ACCORD_TIMEZONE".to_string(), "eight".to_string())];
    let e = Config::load(None, env).unwrap_err();
    assert_eq!(e.key, "ACCORD_TIMEZONE");
}

#[test]
fn a_bad_file_value_names_the_key() {
    let mut c = Config::defaults();
    let e = c.apply_file("mediation_limit_days = \"soon\"\n").unwrap_err();
    assert_eq!(e.key, "mediation_limit_days");
    let e = c.apply_file("bind = \"nowhere\"\n").unwrap_err();
    assert_eq!(e.key, "bind");
    let e = c.apply_file("colour = \"red\"\n").unwrap_err();
    assert_eq!(e.key, "colour");
}

#[test]
fn retention_years_are_a_table_by_category_with_a_default() {
    let c = Config::defaults();
    assert_eq!(c.retention_for("fees"), 10);
    let env = vec![(
        "ACCORD_RETENTION_YEARS".to_string(),
        "default=15, safety_loss=0".to_string(),
    )];
    let c = Config::load(None, env).unwrap();
    assert_eq!(c.retention_for("fees"), 15);
    assert_eq!(c.retention_for("safety_loss"), 0);
    let env = vec![("ACCORD_RETENTION_YEARS".to_string(), "fees=ten".to_string())];
    assert_eq!(Config::load(None, env).unwrap_err().key, "ACCORD_RETENTION_YEARS");
}

#[test]
fn the_rollup_key_is_unset_by_default_and_at_least_32_bytes() {
    assert_eq!(Config::defaults().rollup_key, None);
    let mut c = Config::defaults();
    let key = "0123456789abcdef0123456789abcdef";
    let env = vec![("ACCORD_ROLLUP_KEY".to_string(), key.to_string())];
    assert_eq!(Config::load(None, env).unwrap().rollup_key.as_deref(), Some(key));
    assert_eq!(c.set("rollup_key", "too short").unwrap_err().key, "rollup_key");
    c.set("rollup_key", "").unwrap();
    assert_eq!(c.rollup_key, None);
}
