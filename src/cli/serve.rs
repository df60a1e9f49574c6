//! `accord serve`: open the database, make the first admin, serve.

use tokio::net::TcpListener;

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Role;
use crate::store::session_store::SqliteSessionStore;
use crate::store::{self, users};
use crate::{password, web};

pub async fn run(config: Config) -> Result {
    let pool = store::open_with(&config.database, config.durability).await?;
    tracing::info!(database = %config.database.display(), "database ready");
    ensure_admin(&pool).await?;
    let sessions = SqliteSessionStore::new(pool.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = sessions.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr()?;
    println!("Accord is serving at http://{addr}/");
    tracing::info!(%addr, "listening");
    let app = web::router(web::AppState::new(pool.clone(), config, Clock::System));
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    pool.close().await;
    Ok(())
}

/// With no users at all, creates `admin` with ACCORD_ADMIN_PASSWORD or a
/// random password, printed once.
pub async fn ensure_admin(pool: &sqlx::SqlitePool) -> Result {
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
    users::insert(pool, "admin", &hash, Role::Admin, None).await?;
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
