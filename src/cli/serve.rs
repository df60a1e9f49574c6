//! `accord serve`: open the database, make the first admin, serve.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Role;
use crate::store::users::MediatorLink;
use crate::store::{self, users};
use crate::{password, web};

pub async fn run(config: Config) -> Result {
    let pool = super::open_database(&config).await?;
    tracing::info!(database = %config.database, "database ready");
    ensure_admin(&pool).await?;
    // A file loaded in bulk by an older version (or copied in) gets its
    // search segments where later writes leave them alone.
    store::search::settle(&pool).await;
    tokio::spawn(purge_every(pool.clone(), Duration::from_secs(3600)));
    tokio::spawn(trim_every(TRIM_EVERY));
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr()?;
    println!("Accord is serving at http://{addr}/");
    tracing::info!(%addr, "listening");
    let app = web::router(web::AppState::new(pool.clone(), config, Clock::System));
    // The peer's address is the client's, for throttling sign-in.
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown())
        .await?;
    pool.close().await;
    Ok(())
}

/// Sign-in attempts are kept this long (the audit log keeps sign-ins).
const KEEP_ATTEMPTS_SECS: i64 = 30 * 24 * 3600;

/// Deletes expired sessions and old sign-in attempts, now and every `period`.
async fn purge_every(pool: crate::store::Db, period: Duration) {
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now().timestamp();
        match store::purge(&pool, now, KEEP_ATTEMPTS_SECS).await {
            Ok((sessions, attempts)) => tracing::info!(sessions, attempts, "purged"),
            Err(e) => tracing::warn!(error = %e, "could not purge expired sessions and old sign-in attempts"),
        }
    }
}

/// How often freed memory goes back to the kernel.
const TRIM_EVERY: Duration = Duration::from_secs(2);

/// Hands the allocator's free memory back to the kernel every `period`, so
/// the memory a big page needed is not kept (see `crate::memory`).
async fn trim_every(period: Duration) {
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        let _ = tokio::task::spawn_blocking(crate::memory::trim).await;
    }
}

/// With no users at all, creates `admin` with ACCORD_ADMIN_PASSWORD or a
/// random password, printed once.
pub async fn ensure_admin(pool: &crate::store::Db) -> Result {
    if users::count(pool).await? > 0 {
        return Ok(());
    }
    let (password, generated) = match std::env::var("ACCORD_ADMIN_PASSWORD") {
        Ok(p) if p.chars().count() >= password::MIN_LEN => (p, false),
        Ok(_) => {
            return Err(format!(
                "ACCORD_ADMIN_PASSWORD must have at least {} characters",
                password::MIN_LEN
            )
            .into());
        }
        Err(_) => (password::generate(), true),
    };
    let hash = password::hash_async(password.clone()).await;
    let account = users::NewAccount {
        username: "admin",
        password_hash: &hash,
        role: Role::Admin,
        org_id: crate::store::orgs::FIRST_COMMITTEE,
        link: MediatorLink::None,
    };
    users::create(pool, None, None, account).await?;
    if generated {
        println!("Created the first user: admin / {password}");
        println!("This password is shown only once. Change it with `accord user passwd admin`.");
    } else {
        println!("Created the first user: admin (password from ACCORD_ADMIN_PASSWORD)");
    }
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}
