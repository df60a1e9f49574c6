//! Views of the admin pages.

pub mod audit;
pub mod orgs;
pub mod reference;
pub mod users;
pub mod users_tokens;
