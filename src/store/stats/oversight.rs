//! A supervisor's case list (issue 15): what a case is, never who is in it.
//! The query names its columns and none of them is personal (no parties,
//! no summary, no project, no terms), so no page built on it can show any.

use chrono::NaiveDate;

use super::COUNTED;
use crate::domain::Status;
use crate::store::sql::Sql;

/// Cases shown on one page.
pub const OVERSIGHT_PAGE: i64 = 50;
/// Pages that can be turned: past them, narrow to one committee.
pub const OVERSIGHT_PAGES: i64 = 40;

/// One case as a supervisor sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OversightCase {
    pub case_no: String,
    pub committee: String,
    pub category: String,
    pub district: String,
    /// In fen.
    pub amount_claimed: i64,
    /// In fen.
    pub amount_agreed: Option<i64>,
    pub status: Status,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// Whose cases: one committee's, or those of the committees under an
/// organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committees {
    One(i64),
    Under(i64),
    /// Every committee: no condition, so the newest cases come straight
    /// from the index by date (a supervisor at the root; 0.5 s at 100,000
    /// cases through the condition, which SQLite serves from the committee
    /// index and then sorts).
    All,
}

/// Page `page` (from 1) of the cases, newest received first, and whether
/// another page follows. Voided cases (registered by mistake) are left out
/// as from every statistic.
pub async fn oversight_cases(
    pool: &crate::store::Db,
    committees: Committees,
    page: i64,
) -> Result<(Vec<OversightCase>, bool), sqlx::Error> {
    let page = page.clamp(1, OVERSIGHT_PAGES);
    let mut q = Sql::new(format!(
        "SELECT c.case_no, COALESCE(o.name, '') AS committee, c.category, c.district, c.amount_claimed, c.amount_agreed,
            c.status, c.received_on, c.accepted_on, c.closed_on
         FROM cases c JOIN organisations o ON o.id = c.committee_id WHERE c.{COUNTED}"
    ));
    match committees {
        Committees::One(id) => {
            q.push(" AND c.committee_id = ").push_bind(id);
        }
        Committees::Under(org) => {
            q.push(
                " AND c.committee_id IN (SELECT s.id FROM organisations s JOIN organisations top
                    ON substr(s.path, 1, length(top.path)) = top.path WHERE s.kind = 'committee' AND top.id = ",
            )
            .push_bind(org)
            .push(")");
        }
        Committees::All => {}
    }
    q.push(" ORDER BY c.received_on DESC, c.id DESC LIMIT ")
        .push_bind(OVERSIGHT_PAGE + 1)
        .push(" OFFSET ")
        .push_bind((page - 1) * OVERSIGHT_PAGE);
    let mut rows: Vec<OversightCase> = q.fetch_all(pool).await?;
    let more = rows.len() as i64 > OVERSIGHT_PAGE && page < OVERSIGHT_PAGES;
    rows.truncate(OVERSIGHT_PAGE as usize);
    Ok((rows, more))
}
