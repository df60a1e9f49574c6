//! The case list: its filters, the scope of who may see what, and paging;
//! and the finders of the case file (a number, the cases archived in a period).

use chrono::NaiveDate;

use crate::domain::{Listing, Status};

mod count;
mod filter;
mod finders;
mod order;
mod paging;

pub use count::{count, count_upto_in};
pub use filter::push_filter;
pub(crate) use filter::push_scope;
pub use finders::{archived_between, id_by_number};
pub(super) use paging::select_page;
pub use paging::{list_counted_in, list_in};

/// A line of the case list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseListRow {
    pub id: i64,
    pub case_no: String,
    pub received_on: NaiveDate,
    pub category: String,
    pub project: String,
    pub district: String,
    pub status: Status,
    /// In fen; `None` when left blank.
    pub amount_claimed: Option<i64>,
    pub applicants: Option<String>,
    pub respondents: Option<String>,
    pub mediators: Option<String>,
    /// Read by the deadline flags.
    pub accepted_on: Option<NaiveDate>,
}

/// The most cases a list counts. Past it the count is shown as "10,000+":
/// at a million cases an exact count reads every matching case.
pub const LIST_CAP: i64 = 10_000;

/// The most cases a list pages through when more than [`LIST_CAP`] match
/// (40 pages of 50). A deeper OFFSET reads every case before it; no one
/// pages that far rather than narrowing the filter or reversing the order,
/// which the page past it suggests. Fewer matches are paged to the end.
pub const PAGE_CAP: i64 = 2_000;

/// One page of the case list.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub rows: Vec<CaseListRow>,
    /// Cases matching the filter, on every page, at most [`LIST_CAP`].
    pub total: i64,
    /// More than [`LIST_CAP`] cases match (`total` is then the cap).
    pub more: bool,
    /// The listing asked for, on a page that exists (a page past the end
    /// is the last page; past the count's cap, a page past [`PAGE_CAP`] the
    /// last within it).
    pub listing: Listing,
    /// The page asked for was past [`PAGE_CAP`].
    pub past_cap: bool,
}
