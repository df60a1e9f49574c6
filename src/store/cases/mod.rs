//! Cases, their parties and their mediators.

mod insert;
mod keyset;
mod list;
mod page;
mod read;
mod scope;
mod snapshot;
mod write;

pub use insert::{NewCase, Statements, copy_staged, insert, insert_many, new_uuid};
pub use keyset::{After, list_after};
pub(crate) use list::push_scope;
pub use list::{
    CaseListRow, CasePage, LIST_CAP, PAGE_CAP, archived_between, count, count_upto_in, id_by_number, list_counted_in,
    list_in, push_filter,
};
pub use page::{CaseShown, for_page};
pub use read::{CaseDetail, CaseRow, Party, get, get_in};
pub use scope::{Scope, committee_is_narrow};
pub use snapshot::{CaseRecord, snapshot, snapshot_expr};
pub use write::{create, next_seq, raise_counter, update};
pub(crate) use write::{replace_mediators, replace_parties};
