//! Admin pages: users, organisations, reference lists, the audit log.

pub mod audit;
pub mod orgs;
pub mod reference;
pub mod users;
pub mod users_tokens;
