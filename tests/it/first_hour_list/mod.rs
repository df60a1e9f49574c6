//! Issue 10, the first hour: the case list's order, pages and search, the
//! case, user and reference-list forms, and progress of long commands.

mod cli;
mod forms;
mod list;
mod reference;
mod users;
