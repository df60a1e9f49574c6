//! The installation's own tables, set up before any case: the reference
//! lists and the official statistics' maps (seeded by the migrations), the
//! organisations, their mediators and the users.

use super::Kind::{self, Bool, Date, Int, Text};
use super::{Table, base};

const REFERENCE: &[(&str, Kind)] = &[
    ("code", Text),
    ("label_zh", Text),
    ("label_en", Text),
    ("sort", Int),
    ("retired", Bool),
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

/// The reference lists, the official maps, organisations, mediators and
/// users: parents of every case.
pub(super) const INSTALLATION: &[Table] = &[
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
];
