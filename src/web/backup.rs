//! The admin's backup download: a fresh copy (SQLite's `VACUUM INTO`, or a
//! SQLite file copied from PostgreSQL), checked, then streamed from disk
//! (never held in memory) and removed.

use std::io::Read;
use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use tokio::sync::mpsc;

use super::routes::Routes;
use super::views::backup as view;
use super::{AppError, AppResult, AppState, Ctx};
use crate::domain::Permission;
use crate::store::{audit, backup};

pub fn routes(r: Routes) -> Routes {
    r.get("/backup", page).post("/backup", download)
}

async fn page(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::Backup)?;
    Ok(view::page(&ctx).into_response())
}

/// A new file name beside the database, so the copy lands on the same
/// disk and needs no space elsewhere; on PostgreSQL (no file of ours), in
/// the system's temporary folder.
fn scratch_path(state: &AppState) -> PathBuf {
    let mut bytes = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let dir = match state.config.database.file() {
        Some(file) => file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => std::env::temp_dir(),
    };
    dir.join(format!(".accord-backup-{name}.db"))
}

/// A POST (with its CSRF token) so no other site can make the server copy
/// its database; the answer is the file itself.
async fn download(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let admin = ctx.require(Permission::Backup)?.id;
    let details = serde_json::json!({"client": ctx.client.to_string()});
    audit::record_event(&state.pool, Some(admin), "backup", "backup", details).await?;
    let path = scratch_path(&state);
    let written = backup::backup(&state.pool, &path).await;
    let opened = written.map_err(|e| e.to_string()).and_then(|size| {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        Ok((file, size))
    });
    // The open file stays readable after its name is gone; nothing is
    // left behind however the download ends.
    let _ = std::fs::remove_file(&path);
    let (file, size) = opened.map_err(|e| AppError::Internal(format!("backup failed: {e}")))?;
    tracing::info!(user = ctx.user()?.id, size, "backup downloaded");
    let name = format!("accord-backup-{}.db", state.today());
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.sqlite3".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(file_chunks(file)),
    )
        .into_response())
}

/// Reads a file in a blocking thread, chunk by chunk, as the client takes them.
pub(super) fn file_chunks(
    mut file: std::fs::File,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let item = match file.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(&buf[..n])),
                Err(e) => Err(e),
            };
            let failed = item.is_err();
            if tx.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}
