//! The integration tests: one binary, so the dependency tree is linked once.
//! Each module drives the real router (or the real binary) over a real
//! SQLite file.

mod common;

mod api;
mod attachments;
mod backup;
mod browser;
mod browser_layout;
mod case_register;
mod cli;
mod committees;
mod copy;
mod corrections;
mod csv_export;
mod csv_import;
mod dashboard;
mod demo;
mod documents;
mod exchange;
mod first_hour;
mod first_hour_list;
mod hardening_input;
mod hardening_signin;
mod official;
mod official_fields;
mod official_summary;
mod orgs;
mod oversight;
mod permissions;
mod scale_lists;
mod schema_parity;
mod search_filters;
mod search_index;
mod security;
mod stats;
mod transfers;
mod two_servers;
mod workflow;
