//! What `accord copy` moves: every table of the schema with its columns
//! and their kinds, and the tables it leaves out, each with its reason (a
//! test holds both lists against both schemas).

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BIGINT on PostgreSQL, INTEGER on SQLite (ids, fen, counts).
    Int,
    /// TEXT (CITEXT for user names on PostgreSQL), also timestamps and JSON.
    Text,
    /// A calendar day: DATE on PostgreSQL, `YYYY-MM-DD` on SQLite.
    Date,
    /// A flag: BOOLEAN on PostgreSQL, 0/1 on SQLite.
    Bool,
}

use Kind::{Bool, Date, Int, Text};

/// A table as the copy moves it.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// Every column of the table, in the schema's order.
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key: the order rows are read in, and the conflict
    /// target of a seeded table.
    pub key: &'static [&'static str],
    /// Rows the migrations put there already (the reference lists, the
    /// data version): written over, not added.
    pub seeded: bool,
    /// A summary table: copied after the base tables, with the triggers
    /// back (they write nothing to it then: no case is inserted).
    pub summary: bool,
    /// Columns whose sums must agree after the copy (money, counts).
    pub sums: &'static [&'static str],
}

const REFERENCE: &[(&str, Kind)] = &[
    ("code", Text),
    ("label_zh", Text),
    ("label_en", Text),
    ("sort", Int),
    ("retired", Bool),
];

const SUMMARY: &[&str] = &[
    "received",
    "claimed",
    "accepted",
    "agreed",
    "closed",
    "close_days",
    "fulfilled",
];

const fn reference(name: &'static str) -> Table {
    Table {
        name,
        columns: REFERENCE,
        key: &["code"],
        seeded: true,
        summary: false,
        sums: &["sort"],
    }
}

const fn base(
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: &'static [&'static str],
    sums: &'static [&'static str],
) -> Table {
    Table {
        name,
        columns,
        key,
        seeded: false,
        summary: false,
        sums,
    }
}

/// Every table the copy moves, parents before children. A test holds this
/// list to both schemas: each table's columns, and every table either here
/// or in [`NOT_COPIED`].
pub const TABLES: &[Table] = &[
    reference("categories"),
    reference("sources"),
    reference("party_types"),
    reference("districts"),
    // Issue 16: the national statistics' mapping, seeded with DOMAIN.md's defaults.
    Table {
        name: "official_category_map",
        columns: &[("category", Text), ("national_type", Text)],
        key: &["category"],
        seeded: true,
        summary: false,
        sums: &[],
    },
    Table {
        name: "official_source_map",
        columns: &[("source", Text), ("source_group", Text)],
        key: &["source"],
        seeded: true,
        summary: false,
        sums: &[],
    },
    // Seeded: migration 0026 made the first association and committee.
    Table {
        name: "organisations",
        columns: &[
            ("id", Int),
            ("parent_id", Int),
            ("kind", Text),
            ("level", Text),
            ("name", Text),
            ("region_code", Text),
            ("case_prefix", Text),
            ("path", Text),
            ("retired_on", Date),
            ("created_at", Text),
            ("remote_key", Text),
        ],
        key: &["id"],
        seeded: true,
        summary: false,
        sums: &[],
    },
    base(
        "mediators",
        &[
            ("id", Int),
            ("name", Text),
            ("phone", Text),
            ("active", Bool),
            ("created_at", Text),
            ("committee_id", Int),
        ],
        &["id"],
        &[],
    ),
    base(
        "users",
        &[
            ("id", Int),
            ("username", Text),
            ("password_hash", Text),
            ("role", Text),
            ("mediator_id", Int),
            ("active", Bool),
            ("created_at", Text),
            ("org_id", Int),
        ],
        &["id"],
        &[],
    ),
    base(
        "case_counters",
        &[("committee_id", Int), ("year", Int), ("last_seq", Int)],
        &["committee_id", "year"],
        &["last_seq"],
    ),
    base(
        "cases",
        &[
            ("id", Int),
            ("case_no", Text),
            ("case_year", Int),
            ("case_seq", Int),
            ("received_on", Date),
            ("accepted_on", Date),
            ("source", Text),
            ("category", Text),
            ("project", Text),
            ("district", Text),
            ("summary", Text),
            ("amount_claimed", Int),
            ("status", Text),
            ("agreement_type", Text),
            ("amount_agreed", Int),
            ("agreement_on", Date),
            ("performance_due", Date),
            ("agreement_terms", Text),
            ("fulfilment", Text),
            ("judicial_confirmation", Text),
            ("closed_on", Date),
            ("close_reason", Text),
            ("routes_informed", Text),
            ("archived_on", Date),
            ("created_by", Int),
            ("created_at", Text),
            ("updated_at", Text),
            ("judicial_applied_on", Date),
            ("amount_claimed_blank", Bool),
            ("voided_on", Date),
            ("void_reason", Text),
            ("committee_id", Int),
            // The official report's fields (issue 16).
            ("people_involved", Int),
            ("prevented_crime_people", Int),
            ("prevented_petition_people", Int),
            ("uuid", Text),
        ],
        &["id"],
        &["amount_claimed", "amount_agreed", "case_seq"],
    ),
    base(
        "parties",
        &[
            ("id", Int),
            ("case_id", Int),
            ("role", Text),
            ("party_type", Text),
            ("name", Text),
            ("phone", Text),
            ("position", Int),
            ("id_number", Text),
            ("address", Text),
            ("representative", Text),
        ],
        &["id"],
        &["case_id"],
    ),
    base(
        "case_mediators",
        &[("case_id", Int), ("mediator_id", Int)],
        &["case_id", "mediator_id"],
        &["mediator_id"],
    ),
    base(
        "case_transfers",
        &[
            ("id", Int),
            ("case_id", Int),
            ("from_committee", Int),
            ("to_committee", Int),
            ("reason", Text),
            ("old_case_no", Text),
            ("sent_by", Int),
            ("sent_at", Text),
            ("decision", Text),
            ("decision_reason", Text),
            ("decided_by", Int),
            ("decided_at", Text),
        ],
        &["id"],
        &["case_id"],
    ),
    base(
        "mediation_sessions",
        &[
            ("id", Int),
            ("case_id", Int),
            ("held_on", Date),
            ("form", Text),
            ("notes", Text),
            ("created_by", Int),
            ("created_at", Text),
            ("voided_on", Date),
            ("void_reason", Text),
        ],
        &["id"],
        &["case_id"],
    ),
    base(
        "session_mediators",
        &[("session_id", Int), ("mediator_id", Int)],
        &["session_id", "mediator_id"],
        &["mediator_id"],
    ),
    base(
        "return_visits",
        &[
            ("id", Int),
            ("case_id", Int),
            ("visited_on", Date),
            ("visitor", Text),
            ("performance", Text),
            ("satisfaction", Text),
            ("notes", Text),
            ("created_by", Int),
            ("created_at", Text),
            ("voided_on", Date),
            ("void_reason", Text),
        ],
        &["id"],
        &["case_id"],
    ),
    base(
        "attachments",
        &[
            ("id", Int),
            ("case_id", Int),
            ("session_id", Int),
            ("visit_id", Int),
            ("kind", Text),
            ("note", Text),
            ("original_name", Text),
            ("size", Int),
            ("sha256", Text),
            ("detected_type", Text),
            ("uploaded_by", Int),
            ("uploaded_at", Text),
            ("voided_at", Text),
            ("voided_by", Int),
            ("voided_reason", Text),
            ("purged_at", Text),
        ],
        &["id"],
        &["size"],
    ),
    base(
        "audit_log",
        &[
            ("id", Int),
            ("at", Text),
            ("user_id", Int),
            ("entity", Text),
            ("entity_id", Int),
            ("case_id", Int),
            ("action", Text),
            ("before", Text),
            ("after", Text),
            ("actor_name", Text),
        ],
        &["id"],
        &["entity_id"],
    ),
    base(
        "login_attempts",
        &[
            ("id", Int),
            ("username", Text),
            ("at", Int),
            ("success", Bool),
            ("client", Text),
            ("refused", Bool),
            ("cleared", Bool),
        ],
        &["id"],
        &[],
    ),
    // API tokens (issue 16): their hashes travel like the users' password hashes.
    base(
        "api_tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("label", Text),
            ("scope", Text),
            ("token_hash", Text),
            ("created_at", Text),
            ("created_by", Int),
            ("expires_at", Text),
            ("last_used_at", Text),
            ("revoked_at", Text),
        ],
        &["id"],
        &[],
    ),
    // A child installation's official-report lines, from its statistics packets.
    base(
        "official_reported",
        &[
            ("committee_id", Int),
            ("month", Text),
            ("national_type", Text),
            ("source_group", Text),
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
        &["committee_id", "month", "national_type", "source_group"],
        &["accepted", "amount_agreed", "people"],
    ),
    // When the packet that last wrote each reported month was made.
    base(
        "packet_months",
        &[("committee_id", Int), ("month", Text), ("created_at", Text)],
        &["committee_id", "month"],
        &[],
    ),
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

/// The tables of the schemas the copy leaves out, and why.
pub const NOT_COPIED: &[(&str, &str)] = &[
    (
        "http_sessions",
        "signed-in cookies: everyone signs in again on the target",
    ),
    (
        "stats_deferred",
        "empty outside a bulk write's transaction; the copy uses it itself",
    ),
    ("case_search", "the search index: built again on the target"),
    ("case_grams", "the short-word index: built again on the target"),
    ("_sqlx_migrations", "each database's own migrations"),
    (
        "search_positions",
        "SQLite's fixed positions 1..10000 for the gram view",
    ),
];
