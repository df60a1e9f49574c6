//! maud views. Every visible string comes from the catalogue (`ctx.t`).

pub mod admin;
pub mod attachments;
pub mod backup;
pub mod cases;
pub mod charts;
pub mod components;
pub mod dashboard;
pub mod documents;
pub mod error;
pub mod import;
pub mod layout;
pub mod login;
pub mod mediators;
pub mod official;
pub mod oversight;
pub mod rates;
pub mod report;
pub mod transfers;
pub mod workflow;
