//! Accord: a case tracker for the mediation committees of property-management
//! associations.
//!
//! - [`config`]: settings from file, environment and flags
//! - [`documents`]: the printed documents of a case file and the whole file (卷宗)
//! - [`domain`]: plain types and their rules (money, dates, case numbers ...)
//! - [`store`]: all SQL
//! - [`web`]: the axum router, handlers and maud views
//! - [`csv_io`]: the CSV files read and written (export, import, statistics)
//! - [`demo`]: synthetic demo cases for `accord demo`, the benchmark and tests
//! - [`cli`]: the subcommands of the `accord` binary
//! - [`i18n`]: the message catalogue

pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_io;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod i18n;
pub mod memory;
pub mod password;
pub mod store;
pub mod web;
