//! maud views. Every visible string comes from the catalogue (`ctx.t`).

pub mod admin;
pub mod cases;
pub mod components;
pub mod error;
pub mod layout;
pub mod login;
pub mod mediators;
