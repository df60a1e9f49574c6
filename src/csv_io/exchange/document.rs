//! The document as it is written: plain JSON values (money as strings with
//! two decimals, dates as `YYYY-MM-DD`, codes as DOMAIN.md's codes). These
//! types are `schema/exchange-v1.json` in Rust; a test validates every
//! export against the schema. Reading checks each value into the store's
//! types ([`super::check`]); writing turns those back ([`to_doc`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::Money;
use crate::store::exchange::{ExCase, ExEntry, FIELDS, Kind, Val};

/// The value of `format`.
pub const FORMAT: &str = "accord-exchange";
/// The version of the format these types read and write.
pub const VERSION: u32 = 1;

/// A whole exchange document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u32,
    /// UTC, RFC 3339.
    pub exported_at: String,
    pub source: Source,
    pub cases: Vec<DocCase>,
}

/// Where a document was written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The association of the installation that wrote it.
    pub association: String,
    /// The version of Accord that wrote it.
    pub accord_version: String,
}

/// One whole case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocCase {
    pub uuid: String,
    pub case_no: String,
    pub committee_prefix: String,
    /// The case's own fields by name (see `store::exchange::FIELDS`).
    pub fields: Map<String, Value>,
    pub parties: Vec<DocParty>,
    pub mediators: Vec<String>,
    pub sessions: Vec<DocSession>,
    pub visits: Vec<DocVisit>,
    pub attachments: Vec<DocAttachment>,
    /// The case's history, oldest first.
    pub history: Vec<ExEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocParty {
    pub role: String,
    #[serde(rename = "type")]
    pub party_type: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub address: String,
    pub representative: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSession {
    pub held_on: String,
    pub form: String,
    pub mediators: Vec<String>,
    pub notes: String,
    pub voided_on: Option<String>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocVisit {
    pub visited_on: String,
    pub visitor: String,
    pub performance: String,
    pub satisfaction: String,
    pub notes: String,
    pub voided_on: Option<String>,
    pub void_reason: Option<String>,
}

/// An attachment of the manifest; its file, when sent, is at `path`
/// relative to the document (`F.files/<sha256>`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocAttachment {
    pub name: String,
    pub kind: String,
    #[serde(rename = "type")]
    pub file_type: String,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub uploaded_at: String,
    pub voided_at: Option<String>,
    pub voided_reason: Option<String>,
    pub path: String,
}

/// Where an attachment's file goes beside a document whose folder of
/// files is `files_folder` (`F.files`).
pub fn file_path(files_folder: &str, sha256: &str) -> String {
    format!("{files_folder}/{sha256}")
}

/// A field's value as the document writes it.
fn field_value(kind: Kind, v: &Val) -> Value {
    match v {
        Val::Date(d) => d.map_or(Value::Null, |d| Value::String(d.to_string())),
        Val::Fen(f) => f.map_or(Value::Null, |f| Value::String(Money::from_fen(f).plain())),
        Val::Count(n) => n.map_or(Value::Null, Value::from),
        Val::Text(t) if kind == Kind::Routes => Value::Array(
            t.iter()
                .flat_map(|t| t.split(','))
                .filter(|r| !r.is_empty())
                .map(|r| Value::String(r.to_string()))
                .collect(),
        ),
        Val::Text(t) => t.clone().map_or(Value::Null, Value::String),
    }
}

/// A case as the document writes it.
pub fn to_doc(c: &ExCase, files_folder: &str) -> DocCase {
    let fields = FIELDS
        .iter()
        .zip(&c.fields.0)
        .map(|(f, v)| (f.name.to_string(), field_value(f.kind, v)))
        .collect();
    DocCase {
        uuid: c.uuid.clone(),
        case_no: c.case_no.clone(),
        committee_prefix: c.committee_prefix.clone(),
        fields,
        parties: c
            .parties
            .iter()
            .map(|p| DocParty {
                role: p.role.code().into(),
                party_type: p.party_type.clone(),
                name: p.name.clone(),
                phone: p.phone.as_str().into(),
                id_number: p.details.id_number.as_str().into(),
                address: p.details.address.clone(),
                representative: p.details.representative.clone(),
            })
            .collect(),
        mediators: c.mediators.clone(),
        sessions: c
            .sessions
            .iter()
            .map(|s| DocSession {
                held_on: s.held_on.to_string(),
                form: s.form.code().into(),
                mediators: s.mediators.clone(),
                notes: s.notes.clone(),
                voided_on: s.voided_on.map(|d| d.to_string()),
                void_reason: s.void_reason.clone(),
            })
            .collect(),
        visits: c
            .visits
            .iter()
            .map(|v| DocVisit {
                visited_on: v.visited_on.to_string(),
                visitor: v.visitor.clone(),
                performance: v.performance.code().into(),
                satisfaction: v.satisfaction.code().into(),
                notes: v.notes.clone(),
                voided_on: v.voided_on.map(|d| d.to_string()),
                void_reason: v.void_reason.clone(),
            })
            .collect(),
        attachments: c
            .attachments
            .iter()
            .map(|a| DocAttachment {
                name: a.name.clone(),
                kind: a.kind.code().into(),
                file_type: a.file_type.code().into(),
                size: a.size,
                sha256: a.sha256.clone(),
                note: a.note.clone(),
                uploaded_at: a.uploaded_at.clone(),
                voided_at: a.voided_at.clone(),
                voided_reason: a.voided_reason.clone(),
                path: file_path(files_folder, &a.sha256),
            })
            .collect(),
        history: c.history.clone(),
    }
}
