//! Issue 9, sign-in and sessions: a long write never takes reads down, a
//! stranger cannot lock anyone out, hashing is bounded, anonymous visitors
//! store nothing, and security events are audited.

mod audit;
mod session_saves;
mod sessions;
mod throttle;

use std::net::SocketAddr;
use std::str::FromStr;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::common::TestApp;
use accord::config::Config;

/// A second connection to the app's database file, holding the write lock
/// until it is dropped (or rolled back).
pub async fn hold_write_lock(app: &TestApp) -> SqliteConnection {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .unwrap()
        .filename(app.config.database.file().unwrap());
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
    sqlx::query("UPDATE users SET active = active")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

pub fn config_with(f: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config::defaults();
    f(&mut config);
    config
}

pub fn peer(ip: &str) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), 40000)
}
