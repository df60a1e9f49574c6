//! The generic tools timed beside accord: the `sqlite3` shell and, where
//! installed, Datasette, both on a copy of the SQLite file.

use std::path::Path;

use super::compare::{Copy, Datasette, sqlite3_ms};
use super::server;

/// The generic tools beside accord, on a copy of the file (none on a
/// database server).
pub(super) struct Tools {
    copy: Option<Copy>,
    pub(super) datasette: Option<Datasette>,
}

impl Tools {
    pub(super) fn none() -> Tools {
        Tools {
            copy: None,
            datasette: None,
        }
    }

    pub(super) fn start(db: &Path, port: u16) -> Tools {
        let sqlite3 = server::installed("sqlite3");
        let datasette_installed = server::installed("datasette");
        if !sqlite3 {
            println!("sqlite3 is not installed (apt-get install sqlite3): no side-by-side figures");
        }
        if !datasette_installed {
            println!("Datasette is not installed (pip install datasette): no Datasette column");
        }
        let copy = if sqlite3 || datasette_installed {
            match Copy::make(db) {
                Ok(c) => Some(c),
                Err(e) => {
                    println!("could not copy the file for the other tools: {e}");
                    None
                }
            }
        } else {
            None
        };
        let datasette = match (&copy, datasette_installed) {
            (Some(c), true) => {
                let d = Datasette::start(&c.0, port);
                if d.is_none() {
                    println!("Datasette did not start on port {port}: no Datasette column");
                }
                d
            }
            _ => None,
        };
        Tools { copy, datasette }
    }

    pub(super) fn sqlite3_ms(&self, sql: &str) -> Option<f64> {
        sqlite3_ms(&self.copy.as_ref()?.0, sql)
    }
}
