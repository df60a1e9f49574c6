//! A case in the audit trail: what it was before and after a change, as
//! JSON, read by one SQL expression in each backend's spelling.

use crate::store::Backend;
use crate::store::audit::{self, Audited, Target};

/// A case in the audit trail: its snapshot, and the entries of its history.
pub struct CaseRecord;

impl CaseRecord {
    /// A change to the case `id`, shown on its own history.
    pub fn target(id: i64, actor: Option<i64>, action: &str) -> Target<'_> {
        Target {
            id,
            case_id: Some(id),
            actor,
            action,
            always: false,
            client: None,
            reason: None,
        }
    }
}

impl Audited for CaseRecord {
    const ENTITY: &'static str = "case";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        snapshot(conn, id).await
    }
}

/// The JSON of a case `c` for the audit trail (see [`snapshot`]), as an
/// SQL expression, so a set of cases can be snapshotted in one statement:
/// SQLite's spelling (see [`snapshot_expr`] for each backend's).
macro_rules! snapshot_json {
    () => {
        "json_object(
            'case_no', c.case_no, 'received_on', c.received_on, 'accepted_on', c.accepted_on,
            'source', c.source, 'category', c.category, 'project', c.project, 'district', c.district,
            'summary', c.summary, 'amount_claimed', iif(c.amount_claimed_blank, NULL, c.amount_claimed), 'status', c.status,
            'agreement_type', c.agreement_type, 'amount_agreed', c.amount_agreed,
            'agreement_on', c.agreement_on, 'performance_due', c.performance_due,
            'agreement_terms', c.agreement_terms, 'fulfilment', c.fulfilment,
            'judicial_confirmation', c.judicial_confirmation, 'closed_on', c.closed_on,
            'close_reason', c.close_reason, 'routes_informed', c.routes_informed,
            'archived_on', c.archived_on, 'judicial_applied_on', c.judicial_applied_on, 'voided_on', c.voided_on,
            'people_involved', c.people_involved, 'prevented_crime_people', c.prevented_crime_people,
            'prevented_petition_people', c.prevented_petition_people,
            'applicants', json((SELECT json_group_array(json_object('type', party_type, 'name', name, 'phone', phone,
                               'id_number', id_number, 'address', address, 'representative', representative))
                           FROM (SELECT * FROM parties WHERE case_id = c.id AND role = 'applicant' ORDER BY position))),
            'respondents', json((SELECT json_group_array(json_object('type', party_type, 'name', name, 'phone', phone,
                               'id_number', id_number, 'address', address, 'representative', representative))
                           FROM (SELECT * FROM parties WHERE case_id = c.id AND role = 'respondent' ORDER BY position))),
            'mediators', json((SELECT json_group_array(m.name) FROM
                           (SELECT m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
                            WHERE cm.case_id = c.id ORDER BY m.name, m.id) m)))"
    };
}

/// [`snapshot_json`] on PostgreSQL: the same object (dates as
/// `YYYY-MM-DD` text, an empty list as `[]`, mediators in SQLite's byte
/// order whatever the database's collation), as `jsonb`.
const SNAPSHOT_PG: &str = "jsonb_build_object(
    'case_no', c.case_no, 'received_on', c.received_on, 'accepted_on', c.accepted_on,
    'source', c.source, 'category', c.category, 'project', c.project, 'district', c.district,
    'summary', c.summary, 'amount_claimed', CASE WHEN c.amount_claimed_blank THEN NULL ELSE c.amount_claimed END,
    'status', c.status, 'agreement_type', c.agreement_type, 'amount_agreed', c.amount_agreed,
    'agreement_on', c.agreement_on, 'performance_due', c.performance_due,
    'agreement_terms', c.agreement_terms, 'fulfilment', c.fulfilment,
    'judicial_confirmation', c.judicial_confirmation, 'closed_on', c.closed_on,
    'close_reason', c.close_reason, 'routes_informed', c.routes_informed,
    'archived_on', c.archived_on, 'judicial_applied_on', c.judicial_applied_on, 'voided_on', c.voided_on,
    'people_involved', c.people_involved, 'prevented_crime_people', c.prevented_crime_people,
    'prevented_petition_people', c.prevented_petition_people,
    'applicants', COALESCE((SELECT jsonb_agg(jsonb_build_object('type', party_type, 'name', name, 'phone', phone,
                       'id_number', id_number, 'address', address, 'representative', representative) ORDER BY position)
                   FROM parties WHERE case_id = c.id AND role = 'applicant'), CAST('[]' AS jsonb)),
    'respondents', COALESCE((SELECT jsonb_agg(jsonb_build_object('type', party_type, 'name', name, 'phone', phone,
                       'id_number', id_number, 'address', address, 'representative', representative) ORDER BY position)
                   FROM parties WHERE case_id = c.id AND role = 'respondent'), CAST('[]' AS jsonb)),
    'mediators', COALESCE((SELECT jsonb_agg(m.name ORDER BY m.name COLLATE \"C\", m.id) FROM case_mediators cm
                   JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id), CAST('[]' AS jsonb)))";

/// The snapshot of a case `c` as an SQL expression, in the backend's spelling.
pub fn snapshot_expr(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => snapshot_json!(),
        Backend::Postgres => SNAPSHOT_PG,
    }
}

/// A case as JSON for the audit trail: its own columns (less bookkeeping),
/// its parties and its mediators.
pub async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
    const SQLITE: &str = concat!("SELECT ", snapshot_json!(), " FROM cases c WHERE c.id = $1");
    static POSTGRES: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {SNAPSHOT_PG} FROM cases c WHERE c.id = $1"));
    let sql = match conn.backend() {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES.as_str(),
    };
    audit::json_of(conn, sql, id).await
}
