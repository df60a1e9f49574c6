//! Everything the case page shows, read on one connection (issue 12:
//! `/cases/{id}` at 5,000 requests a second). Seven queries each through
//! the pool cost seven connections taken and given back, each given back
//! checked by sqlx with one more round trip to the connection's thread;
//! on one connection they cost the seven queries alone.

use super::{CaseDetail, Scope, get_in};
use crate::store::attachments::{self, Attachment};
use crate::store::audit::{self, Entry};
use crate::store::sessions::{self, Session};
use crate::store::visits::{self, Visit};

/// A case with its parties and mediators, its sessions and visits, its
/// history and its attachments.
pub struct CaseShown {
    pub detail: CaseDetail,
    pub sessions: Vec<Session>,
    pub visits: Vec<Visit>,
    pub history: Vec<Entry>,
    pub attachments: Vec<Attachment>,
}

/// The case page's data, if the scope may see the case.
pub async fn for_page(pool: &crate::store::Db, id: i64, scope: Scope) -> Result<Option<CaseShown>, sqlx::Error> {
    let mut held = pool.acquire().await?;
    let conn = &mut held.conn();
    let Some(detail) = get_in(conn, id, scope).await? else {
        return Ok(None);
    };
    Ok(Some(CaseShown {
        detail,
        sessions: sessions::for_case_in(conn, id).await?,
        visits: visits::for_case_in(conn, id).await?,
        history: audit::for_case_in(conn, id).await?,
        attachments: attachments::list_for_case_in(conn, id).await?,
    }))
}
