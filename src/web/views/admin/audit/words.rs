//! What an audit entry's codes, field names and entity names read as: every
//! one through the catalogue or the reference lists, never raw.

use maud::{Markup, html};
use serde_json::Value;

use crate::domain::attachment::{AttachmentKind, FileType};
use crate::domain::org::{OrgKind, OrgLevel};
use crate::domain::reference::RefLists;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Route, Satisfaction, SessionMode};
use crate::domain::{Flag, Money, RefList, Role, Status};
use crate::i18n::Msg;
use crate::store::audit::Entry;
use crate::web::Ctx;
use crate::web::views::admin::orgs;

/// The verb of an entry, as history reads it ("Accepted", "Closed as settled").
pub fn action_msg(action: &str) -> Option<Msg> {
    Some(match action {
        "create" => Msg::ActCreated,
        "update" => Msg::ActUpdated,
        "delete" => Msg::ActDeleted,
        "disable" => Msg::ActDisabled,
        "reset_password" => Msg::ActPasswordReset,
        "retire" => Msg::ActRetired,
        "restore" => Msg::ActRestored,
        "rename" => Msg::ActRenamed,
        "accept" => Msg::ActAccepted,
        "decline" => Msg::ActDeclined,
        "settle" => Msg::ActSettled,
        "fail" => Msg::ActFailed,
        "withdraw" => Msg::ActWithdrawn,
        "archive" => Msg::ActArchived,
        "fulfilment" => Msg::ActFulfilment,
        "judicial" => Msg::ActJudicial,
        "import" => Msg::ActImported,
        "load" => Msg::ActLoaded,
        "sign_in" => Msg::ActionSignIn,
        "sign_in_failed" => Msg::ActionSignInFailed,
        "sign_out" => Msg::ActionSignOut,
        "unlock" => Msg::ActionUnlock,
        "export" => Msg::ActionExport,
        "backup" => Msg::ActionBackup,
        // Corrections (issue 13)
        "correct_agreement" => Msg::ActAgreementCorrected,
        "reopen" => Msg::ActReopened,
        "unarchive" => Msg::ActUnarchived,
        "void" => Msg::ActVoided,
        "purge" => Msg::ActPurged,
        "transfer_send" => Msg::ActTransferSent,
        "transfer_accept" => Msg::ActTransferAccepted,
        "transfer_return" => Msg::ActTransferReturned,
        // API tokens (issue 16)
        "revoke" => Msg::ActRevoked,
        // Statistics packets (issue 16)
        "receive" => Msg::ActPacketReceived,
        "replace" => Msg::ActPacketReplaced,
        _ => return None,
    })
}

/// The kind of record an entry is about.
pub fn entity_msg(entity: &str) -> Option<Msg> {
    Some(match entity {
        "case" => Msg::EntCase,
        "session" => Msg::EntSession,
        "visit" => Msg::EntVisit,
        "user" => Msg::EntUser,
        "mediator" => Msg::EntMediator,
        "party" => Msg::EntParty,
        "categories" => Msg::EntCategories,
        "sources" => Msg::EntSources,
        "districts" => Msg::EntDistricts,
        "party_types" => Msg::EntPartyTypes,
        "demo" => Msg::EntDemo,
        "backup" => Msg::EntBackup,
        "export" => Msg::EntExport,
        "attachment" => Msg::AttEntity,
        "organisation" => Msg::EntOrganisation,
        "official_mapping" => Msg::OffMappingTitle,
        "api_token" => Msg::EntApiToken,
        "statistics_packet" => Msg::EntStatisticsPacket,
        _ => return None,
    })
}

/// The reference list an entity names (`categories` ...).
fn entity_list(entity: &str) -> Option<RefList> {
    RefList::ALL.into_iter().find(|l| l.table() == entity)
}

fn field_msg(key: &str) -> Option<Msg> {
    Some(match key {
        "case_no" => Msg::FieldCaseNo,
        "received_on" => Msg::FieldReceivedOn,
        "accepted_on" => Msg::FieldAcceptedOn,
        "source" => Msg::FieldSource,
        "category" => Msg::FieldCategory,
        "project" => Msg::FieldProject,
        "district" => Msg::FieldDistrict,
        "summary" => Msg::FieldSummary,
        "amount_claimed" => Msg::FieldAmountClaimed,
        "status" => Msg::FieldStatus,
        "applicants" => Msg::FieldApplicants,
        "respondents" => Msg::FieldRespondents,
        "mediators" => Msg::FieldMediators,
        "closed_on" => Msg::FieldClosedOn,
        "close_reason" => Msg::FldCloseReason,
        "agreement_type" => Msg::WfAgreementType,
        "amount_agreed" => Msg::WfAmountAgreed,
        "agreement_on" => Msg::WfAgreementOn,
        "performance_due" => Msg::WfPerformanceDue,
        "agreement_terms" => Msg::WfAgreementTerms,
        "fulfilment" => Msg::WfFulfilment,
        "judicial_confirmation" => Msg::WfJudicial,
        "judicial_applied_on" => Msg::WfJudicialAppliedOn,
        "archived_on" => Msg::WfArchivedOn,
        "routes_informed" => Msg::WfRoutes,
        "held_on" => Msg::WfHeldOn,
        "form" => Msg::WfSessionForm,
        "notes" => Msg::WfSessionNotes,
        "visited_on" => Msg::WfVisitedOn,
        "visitor" => Msg::WfVisitor,
        "performance" => Msg::WfPerformanceFound,
        "satisfaction" => Msg::WfSatisfaction,
        "name" => Msg::FieldName,
        "phone" => Msg::FieldPhone,
        "type" => Msg::FieldPartyType,
        "active" => Msg::FieldActive,
        "role" => Msg::FieldRole,
        "username" => Msg::Username,
        "client" => Msg::ClientAddress,
        "code" => Msg::FldEntry,
        "label_zh" => Msg::FldLabelZh,
        "label_en" => Msg::FldLabelEn,
        "retired" => Msg::FldRetired,
        "mediator_id" => Msg::FldMediatorLink,
        "org_id" => Msg::OrgField,
        "cases" => Msg::FldCases,
        "seed" => Msg::FldSeed,
        "replaced" => Msg::FldReplaced,
        "note" => Msg::FldNote,
        "file" => Msg::FldFile,
        "query" => Msg::FldQuery,
        "rows" => Msg::FldRows,
        // Corrections (issue 13): the reason every correction carries.
        "reason" => Msg::CorrReason,
        "voided_on" => Msg::CorrVoidedOn,
        // attachments
        "original_name" => Msg::AttOriginalName,
        "kind" => Msg::AttKind,
        "detected_type" => Msg::AttType,
        "size" => Msg::AttSize,
        "sha256" => Msg::AttHash,
        "voided_reason" => Msg::AttVoidReason,
        // The official report's case fields (issue 16)
        "people_involved" => Msg::OffFieldPeople,
        "prevented_crime_people" => Msg::OffFieldCrime,
        "prevented_petition_people" => Msg::OffFieldPetition,
        // Statistics packets (issue 16)
        "period" => Msg::OffPeriodLabel,
        "committee" => Msg::OrgKindCommittee,
        _ => return None,
    })
}

/// An organisation's fields (issue 15), some named as a case's are
/// (`kind`) but meaning something else.
fn org_field_msg(key: &str) -> Option<Msg> {
    Some(match key {
        "kind" => Msg::OrgKind,
        "level" => Msg::OrgLevel,
        "parent_id" => Msg::OrgParent,
        "name" => Msg::OrgName,
        "region_code" => Msg::OrgRegion,
        "case_prefix" => Msg::OrgPrefix,
        "retired_on" => Msg::FldRetired,
        _ => return None,
    })
}

/// The label of a code kept in an audit snapshot, by the field it was in.
/// Snapshots are history: a code no list knows any more shows as written.
fn code_label(ctx: &Ctx, refs: &RefLists, entity: &str, key: &str, code: &str) -> Option<String> {
    let known = |list: RefList| {
        refs.list(list)
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.label(ctx.lang).to_string())
    };
    let fixed = match key {
        "kind" if entity == "organisation" => ctx.t(orgs::kind_msg(OrgKind::from_code(code)?)),
        "level" => ctx.t(orgs::level_msg(OrgLevel::from_code(code)?)),
        "status" => ctx.label(Status::from_code(code)?),
        "role" => ctx.label(Role::from_code(code)?),
        "agreement_type" => ctx.label(AgreementType::from_code(code)?),
        "fulfilment" | "performance" => ctx.label(Fulfilment::from_code(code)?),
        "judicial_confirmation" => ctx.label(Judicial::from_code(code)?),
        "form" => ctx.label(SessionMode::from_code(code)?),
        "satisfaction" => ctx.label(Satisfaction::from_code(code)?),
        "kind" => ctx.label(AttachmentKind::from_code(code)?),
        "detected_type" => FileType::from_code(code)?.short_name(),
        "category" => return known(RefList::Category),
        "source" => return known(RefList::Source),
        "district" => return known(RefList::District),
        "type" => return known(RefList::PartyType),
        "code" => return known(entity_list(entity)?),
        "routes_informed" => {
            let labels: Option<Vec<&str>> = code
                .split(',')
                .filter(|c| !c.trim().is_empty())
                .map(|c| Route::from_code(c.trim()).map(|r| ctx.label(r)))
                .collect();
            return labels.map(|l| l.join(ctx.t(Msg::ListSeparator)));
        }
        "note" if code == "synthetic demo data" => ctx.t(Msg::DemoNote),
        _ => return None,
    };
    Some(fixed.to_string())
}

/// An export's list filters (`status=settled`, `q=…`) as a person reads them.
fn query_text(ctx: &Ctx, refs: &RefLists, entity: &str, pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| {
            let key = match k.as_str() {
                "q" => Some(Msg::Search),
                "from" => Some(Msg::DateFrom),
                "to" => Some(Msg::DateTo),
                "flag" => Some(Msg::FldFlag),
                other => field_msg(other),
            };
            let value = match k.as_str() {
                "flag" => Flag::from_code(v).map(|f| ctx.label(f).to_string()),
                _ => code_label(ctx, refs, entity, k, v),
            };
            format!(
                "{}: {}",
                key.map_or(k.as_str(), |m| ctx.t(m)),
                value.as_deref().unwrap_or(v)
            )
        })
        .collect::<Vec<_>>()
        .join(ctx.t(Msg::ListSeparator))
}

/// A JSON value as a person reads it: amounts in fen become yuan, codes
/// their labels, true and false yes and no.
fn show_value(ctx: &Ctx, refs: &RefLists, entity: &str, key: &str, v: &Value) -> String {
    match v {
        Value::Object(o) if key == "query" => {
            let pairs: Vec<(String, String)> = o
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                .collect();
            query_text(ctx, refs, entity, &pairs)
        }
        Value::String(s) => code_label(ctx, refs, entity, key, s).unwrap_or_else(|| s.clone()),
        Value::Null => "—".into(),
        Value::Bool(b) => ctx.t(if *b { Msg::Yes } else { Msg::No }).into(),
        Value::Number(n) if key.starts_with("amount") => {
            n.as_i64().map(|f| Money::from_fen(f).to_string()).unwrap_or_default()
        }
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(o) => o
                    .get("name")
                    .map(|n| show_value(ctx, refs, entity, "", n))
                    .unwrap_or_default(),
                other => show_value(ctx, refs, entity, "", other),
            })
            .collect::<Vec<_>>()
            .join(ctx.t(Msg::ListSeparator)),
        other => other.to_string(),
    }
}

/// The changed fields of one entry: field, before, after. A field no
/// message names is left out rather than shown by its column name.
pub fn changes(ctx: &Ctx, refs: &RefLists, e: &Entry) -> Markup {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let before = parse(&e.before);
    let after = parse(&e.after);
    let keys: Vec<String> = match (&before, &after) {
        // A new attachment is named by its file and kind.
        (_, Some(Value::Object(_))) if e.action == "create" && e.entity == "attachment" => {
            vec!["original_name".into(), "kind".into()]
        }
        (_, Some(Value::Object(a))) if e.action != "create" => a.keys().cloned().collect(),
        (Some(Value::Object(b)), _) => b.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let fields: Vec<(Msg, &String)> = keys
        .iter()
        .filter_map(|k| match k.as_str() {
            "active" if e.entity == "user" => Some((Msg::UserEnabled, k)),
            _ if e.entity == "organisation" => Some((org_field_msg(k)?, k)),
            _ => Some((field_msg(k)?, k)),
        })
        .collect();
    let show = |snap: &Option<Value>, k: &str| {
        snap.as_ref()
            .and_then(|s| s.get(k))
            .map(|v| show_value(ctx, refs, &e.entity, k, v))
    };
    html! {
        @if !fields.is_empty() {
            ul.changes {
                @for (msg, k) in &fields {
                    li {
                        span.key { (ctx.t(*msg)) } ": "
                        @if let Some(b) = show(&before, k) { del { (b) } " → " }
                        ins { (show(&after, k).unwrap_or_else(|| "—".into())) }
                    }
                }
            }
        }
    }
}
