//! The records kept beside the cases: the audit log, sign-in attempts, API
//! tokens, and a child installation's official-report lines with the
//! months its packets wrote.

use super::Kind::{Bool, Int, Text};
use super::{Table, base};

/// The logs, the tokens and the reported lines, after the cases and users
/// they name.
pub(super) const RECORDS: &[Table] = &[
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
];
