//! Admin pages: users, reference lists, the audit log.

pub mod audit;
pub mod reference;
pub mod users;
