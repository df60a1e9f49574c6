//! The summary tables the triggers keep (monthly, yearly and daily
//! statistics, party-type usage, the data version, the official report's
//! summary): copied after the base tables.

use super::Kind::{Int, Text};
use super::Table;

const SUMMARY: &[&str] = &[
    "received",
    "claimed",
    "accepted",
    "agreed",
    "closed",
    "close_days",
    "fulfilled",
];

/// The summary tables, last: the triggers are back when they go in.
pub(super) const SUMMARIES: &[Table] = &[
    Table {
        name: "stats_monthly",
        columns: &[
            ("committee_id", Int),
            ("dim", Text),
            ("code", Text),
            ("month", Text),
            ("status", Text),
            ("received", Int),
            ("claimed", Int),
            ("accepted", Int),
            ("agreed", Int),
            ("closed", Int),
            ("close_days", Int),
            ("fulfilled", Int),
        ],
        key: &["committee_id", "dim", "code", "month", "status"],
        seeded: false,
        summary: true,
        sums: SUMMARY,
    },
    // Its rows are written by the triggers of `stats_monthly` (migration
    // 0038) as that table goes in: written over, so the target holds the
    // source's rows as they are.
    Table {
        name: "stats_yearly",
        columns: &[
            ("committee_id", Int),
            ("dim", Text),
            ("code", Text),
            ("year", Text),
            ("status", Text),
            ("received", Int),
            ("claimed", Int),
            ("accepted", Int),
            ("agreed", Int),
            ("closed", Int),
            ("close_days", Int),
            ("fulfilled", Int),
        ],
        key: &["committee_id", "dim", "code", "year", "status"],
        seeded: true,
        summary: true,
        sums: SUMMARY,
    },
    Table {
        name: "stats_daily",
        columns: &[
            ("committee_id", Int),
            ("dim", Text),
            ("day", Text),
            ("code", Text),
            ("status", Text),
            ("received", Int),
            ("claimed", Int),
            ("accepted", Int),
            ("agreed", Int),
            ("closed", Int),
            ("close_days", Int),
            ("fulfilled", Int),
        ],
        key: &["committee_id", "dim", "day", "code", "status"],
        seeded: false,
        summary: true,
        sums: SUMMARY,
    },
    Table {
        name: "party_type_usage",
        columns: &[("code", Text), ("parties", Int)],
        key: &["code"],
        seeded: false,
        summary: true,
        sums: &["parties"],
    },
    Table {
        name: "data_version",
        columns: &[("one", Int), ("n", Int), ("mediators", Int)],
        key: &["one"],
        seeded: true,
        summary: true,
        sums: &["n", "mediators"],
    },
    // The official report's summary (migration 0034).
    Table {
        name: "official_monthly",
        columns: &[
            ("committee_id", Int),
            ("month", Text),
            ("category", Text),
            ("source", Text),
            ("accepted", Int),
            ("settled", Int),
            ("in_mediation", Int),
            ("amount_agreed", Int),
            ("people", Int),
            ("fulfilled", Int),
            ("crime_cases", Int),
            ("crime_people", Int),
            ("petition_cases", Int),
            ("petition_people", Int),
        ],
        key: &["committee_id", "month", "category", "source"],
        seeded: false,
        summary: true,
        sums: &["accepted", "amount_agreed", "people"],
    },
];
