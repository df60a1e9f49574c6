//! The benchmark's own accounts and the ids its paths' placeholders
//! stand for (`{case}`, `{settled}`, ...; see `routes`), read from the
//! file it runs on, with a photo attached for the attachment pages.

use super::super::anyhow_like::Result;
use crate::domain::Role;
use crate::on_db;
use crate::password;
use crate::store::orgs::FIRST_COMMITTEE;
use crate::store::{Backend, users};

/// The benchmark's accounts and the ids the paths' placeholders stand for.
pub(super) struct Setup {
    pub(super) admin: (String, String),
    pub(super) mediator: (String, String),
    /// A supervisor at the root association (issue 15): every committee.
    pub(super) supervisor: (String, String),
    /// (placeholder, value), e.g. ("{case}", "4711").
    pub(super) fill: Vec<(&'static str, String)>,
    pub(super) max_case_id: i64,
    /// A case in mediation with a few sessions, for the pages and throughput.
    pub(super) case: i64,
    /// Another, for the sessions the soak adds.
    pub(super) soak_case: i64,
    pub(super) case_mediator: i64,
    /// A mediator of `soak_case`, for the sessions the soak adds.
    pub(super) session_mediator: i64,
}

impl Setup {
    pub(super) async fn prepare(pool: &crate::store::Db, files_dir: &std::path::Path) -> Result<Setup> {
        // Everything within the committee of the newest case, whose
        // accounts the benchmark signs in with: on a file of many
        // committees (issue 15), a case of another committee is a 404.
        let committee = on_db!(pool, |e| {
            sqlx::query_scalar::<_, i64>("SELECT committee_id FROM cases ORDER BY id DESC LIMIT 1")
                .fetch_optional(e)
                .await
        })?
        .unwrap_or(FIRST_COMMITTEE);
        let one = |sql: &'static str| async move {
            on_db!(pool, |e| sqlx::query_scalar::<_, i64>(sql).fetch_optional(e).await).map(|v| v.unwrap_or(0))
        };
        // The same, of the committee's cases (`$1`).
        let mine = |sql: &'static str| async move {
            on_db!(pool, |e| sqlx::query_scalar::<_, i64>(sql)
                .bind(committee)
                .fetch_optional(e)
                .await)
            .map(|v| v.unwrap_or(0))
        };
        let busiest = mine(
            "SELECT cm.mediator_id FROM case_mediators cm JOIN cases c ON c.id = cm.case_id
             WHERE cm.case_id > (SELECT MAX(id) - 20000 FROM cases) AND +c.committee_id = $1
             GROUP BY cm.mediator_id ORDER BY COUNT(*) DESC LIMIT 1",
        )
        .await?;
        if busiest == 0 {
            return Err("the file has no cases with mediators: load some with `accord demo`".into());
        }
        // Cases in mediation with a few sessions: one for the pages and the
        // throughput, another for the sessions the soak adds (which would
        // make it a case like no other for the next run).
        let in_mediation = "SELECT c.id FROM cases c WHERE c.status = 'in_mediation' AND c.archived_on IS NULL
             AND +c.committee_id = $1
             AND (SELECT COUNT(*) FROM mediation_sessions s WHERE s.case_id = c.id) BETWEEN 1 AND 5
             ORDER BY c.id DESC LIMIT 2";
        let cases: Vec<i64> = on_db!(pool, |e| sqlx::query_scalar(in_mediation)
            .bind(committee)
            .fetch_all(e)
            .await)?;
        let (case, soak_case) = match cases.as_slice() {
            [a, b] => (*a, *b),
            _ => return Err("the file needs two cases in mediation with sessions: load it with `accord demo`".into()),
        };
        let case_no: String = on_db!(pool, |e| {
            sqlx::query_scalar("SELECT case_no FROM cases WHERE id = $1")
                .bind(case)
                .fetch_one(e)
                .await
        })?;
        let session: i64 = on_db!(pool, |e| {
            sqlx::query_scalar("SELECT MAX(id) FROM mediation_sessions WHERE case_id = $1")
                .bind(case)
                .fetch_one(e)
                .await
        })?;
        let session_mediator: i64 = on_db!(pool, |e| {
            sqlx::query_scalar("SELECT mediator_id FROM case_mediators WHERE case_id = $1 LIMIT 1")
                .bind(soak_case)
                .fetch_one(e)
                .await
        })?;
        let settled = mine(
            "SELECT id FROM cases WHERE status = 'settled' AND agreement_type = 'written' AND archived_on IS NULL AND +committee_id = $1
             ORDER BY id DESC LIMIT 1",
        )
        .await?;
        let failed =
            mine("SELECT id FROM cases WHERE status = 'failed' AND archived_on IS NULL AND +committee_id = $1 ORDER BY id DESC LIMIT 1")
                .await?;
        let mut archived =
            mine("SELECT id FROM cases WHERE archived_on IS NOT NULL AND +committee_id = $1 ORDER BY id DESC LIMIT 1")
                .await?;
        if archived == 0 {
            // The demo archives nothing: the benchmark's file gets one
            // archived case (neither `settled` nor `failed`), for the
            // unarchive page.
            archived = mine(
                "SELECT id FROM cases WHERE status = 'failed' AND closed_on IS NOT NULL AND +committee_id = $1
                 ORDER BY id DESC LIMIT 1 OFFSET 1",
            )
            .await?;
            on_db!(pool, |e| {
                sqlx::query("UPDATE cases SET archived_on = closed_on WHERE id = $1")
                    .bind(archived)
                    .execute(e)
                    .await
                    .map(|_| ())
            })?;
        }
        let visit_case = mine(
            "SELECT v.case_id FROM return_visits v JOIN cases c ON c.id = v.case_id
             WHERE v.case_id > (SELECT MAX(id) - 200000 FROM cases) AND +c.committee_id = $1
             ORDER BY v.case_id DESC LIMIT 1",
        )
        .await?;
        let visit = on_db!(pool, |e| {
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM return_visits WHERE case_id = $1")
                .bind(visit_case)
                .fetch_one(e)
                .await
        })?
        .unwrap_or(0);
        let attachment = photo_attachment(pool, files_dir, settled).await?;
        let max_case_id = one("SELECT MAX(id) FROM cases").await?;
        let year = one(match pool.backend() {
            Backend::Sqlite => "SELECT CAST(substr(MAX(received_on), 1, 4) AS INTEGER) - 1 FROM cases",
            Backend::Postgres => "SELECT CAST(EXTRACT(YEAR FROM MAX(received_on)) AS BIGINT) - 1 FROM cases",
        })
        .await?;
        let tag = std::process::id();
        let admin = (format!("bench-admin-{tag}"), password::generate());
        let mediator = (format!("bench-mediator-{tag}"), password::generate());
        let admin_id = users::insert(
            pool,
            &admin.0,
            &password::hash_async(admin.1.clone()).await,
            Role::Admin,
            None,
            committee,
        )
        .await?;
        users::insert(
            pool,
            &mediator.0,
            &password::hash_async(mediator.1.clone()).await,
            Role::Mediator,
            Some(busiest),
            committee,
        )
        .await?;
        let supervisor = (format!("bench-supervisor-{tag}"), password::generate());
        let root = one("SELECT MIN(id) FROM organisations WHERE parent_id IS NULL").await?;
        users::insert(
            pool,
            &supervisor.0,
            &password::hash_async(supervisor.1.clone()).await,
            Role::Supervisor,
            None,
            root,
        )
        .await?;
        Ok(Setup {
            admin,
            mediator,
            supervisor,
            fill: vec![
                ("{case}", case.to_string()),
                // `case=…`, the number percent-encoded for a query.
                ("{case_query}", serde_urlencoded::to_string([("case", &case_no)])?),
                ("{session}", session.to_string()),
                ("{settled}", settled.to_string()),
                ("{failed}", failed.to_string()),
                ("{archived}", archived.to_string()),
                ("{visit_case}", visit_case.to_string()),
                ("{visit}", visit.to_string()),
                ("{attachment}", attachment.to_string()),
                ("{mediator}", busiest.to_string()),
                ("{user}", admin_id.to_string()),
                ("{year}", year.to_string()),
            ],
            max_case_id,
            case,
            soak_case,
            case_mediator: busiest,
            session_mediator,
        })
    }

    pub(super) fn fill(&self, text: &str) -> String {
        self.fill.iter().fold(text.to_string(), |t, (placeholder, value)| {
            t.replace(placeholder, value)
        })
    }
}

/// A photo attached to `case` (a 1600 × 1200 PNG the benchmark draws and
/// stores as an upload would), for the attachment pages; an earlier run's
/// is used again.
async fn photo_attachment(pool: &crate::store::Db, files_dir: &std::path::Path, case: i64) -> Result<i64> {
    use crate::domain::attachment::AttachmentKind;
    use crate::store::attachments::{self, Link, NewAttachment, files::FileStore};
    let kept: Option<i64> = on_db!(pool, |e| {
        sqlx::query_scalar(
            "SELECT id FROM attachments WHERE case_id = $1 AND purged_at IS NULL AND voided_at IS NULL LIMIT 1",
        )
        .bind(case)
        .fetch_optional(e)
        .await
    })?;
    let store = FileStore::new(files_dir);
    if let Some(id) = kept
        && let Some(a) = attachments::get(pool, crate::store::cases::Scope::All, case, id).await?
        && store.path_of(&a.sha256).exists()
    {
        return Ok(id);
    }
    let photo = image::RgbImage::from_fn(1600, 1200, |x, y| image::Rgb([(x / 7) as u8, (y / 5) as u8, 120]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(photo).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    let mut incoming = store.create(u64::MAX).await?;
    incoming.write(png).await?;
    let sealed = incoming
        .seal()
        .await?
        .map_err(|refusal| format!("the benchmark's photo was refused: {refusal:?}"))?;
    let new = NewAttachment {
        kind: AttachmentKind::Photo,
        note: "accord bench".into(),
        original_name: "bench.png".into(),
        size: sealed.size,
        sha256: sealed.sha256.clone(),
        detected_type: sealed.file_type,
    };
    sealed.commit().await?;
    let ids = attachments::insert_all(pool, case, Link::Case, &[new], None).await?;
    Ok(ids[0])
}
