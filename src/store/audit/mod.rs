//! The audit trail. Every change is written here in the same transaction as
//! the change itself; nothing ever updates or deletes a row.
//!
//! Writing an entry is `record`; the audited writes, which snapshot a
//! record around a change, `audited`; reading the trail back, `read`.

mod audited;
mod read;
mod record;

pub use audited::{Audited, Target, changed, created, deleted, json_of, with_client};
pub(crate) use read::FOR_CASE;
pub use read::{AUDIT_CAP, AUDIT_PAGE, AuditFilter, AuditPage, Entry, entities, for_case, for_case_in, search};
pub use record::{Change, diff, record, record_diff, record_event};
