//! The audit log page, and a case's history timeline.

use chrono::{DateTime, FixedOffset};
use maud::{Markup, html};
use serde_json::Value;

use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Satisfaction, SessionMode};
use crate::domain::{Money, Role, Status};
use crate::i18n::Msg;
use crate::store::audit::{AuditFilter, Entry};
use crate::store::users::UserRow;
use crate::web::Ctx;
use crate::web::views::layout;

pub struct AuditView<'a> {
    pub entries: &'a [Entry],
    pub total: i64,
    pub page: i64,
    pub filter: &'a AuditFilter,
    pub users: &'a [UserRow],
    pub entities: &'a [String],
    pub offset: FixedOffset,
}

/// `2026-11-28 09:30` in the configured time zone.
pub fn local_time(at: &str, offset: FixedOffset) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&offset).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

fn action_msg(action: &str) -> Option<Msg> {
    Some(match action {
        "create" => Msg::ActionCreate,
        "update" => Msg::ActionUpdate,
        "delete" => Msg::ActionDelete,
        "disable" => Msg::ActionDisable,
        "reset_password" => Msg::ResetPassword,
        "retire" => Msg::Retire,
        "restore" => Msg::Restore,
        "rename" => Msg::Rename,
        "accept" => Msg::WfAccept,
        "decline" => Msg::WfDecline,
        "settle" => Msg::StatusSettled,
        "fail" => Msg::StatusFailed,
        "withdraw" => Msg::StatusWithdrawn,
        "archive" => Msg::WfArchive,
        "fulfilment" => Msg::WfFulfilment,
        "judicial" => Msg::WfJudicial,
        "import" => Msg::NavImport,
        "sign_in" => Msg::ActionSignIn,
        "sign_in_failed" => Msg::ActionSignInFailed,
        "sign_out" => Msg::ActionSignOut,
        "unlock" => Msg::ActionUnlock,
        "export" => Msg::ActionExport,
        "backup" => Msg::ActionBackup,
        _ => return None,
    })
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
        "active" => Msg::FieldActive,
        "role" => Msg::FieldRole,
        "username" => Msg::Username,
        "client" => Msg::ClientAddress,
        _ => return None,
    })
}

/// The label of a code kept in an audit snapshot, by the field it was in.
/// Snapshots are history: a code no list knows any more shows as written.
fn code_label(ctx: &Ctx, key: &str, code: &str) -> Option<&'static str> {
    Some(match key {
        "status" => ctx.label(Status::from_code(code)?),
        "role" => ctx.label(Role::from_code(code)?),
        "agreement_type" => ctx.label(AgreementType::from_code(code)?),
        "fulfilment" | "performance" => ctx.label(Fulfilment::from_code(code)?),
        "judicial_confirmation" => ctx.label(Judicial::from_code(code)?),
        "form" => ctx.label(SessionMode::from_code(code)?),
        "satisfaction" => ctx.label(Satisfaction::from_code(code)?),
        _ => return None,
    })
}

/// A JSON value as a person reads it; amounts in fen become yuan and
/// statuses their names.
fn show_value(ctx: &Ctx, key: &str, v: &Value) -> String {
    match v {
        Value::String(s) => code_label(ctx, key, s).map_or_else(|| s.clone(), str::to_string),
        Value::Null => "—".into(),
        Value::Number(n) if key.starts_with("amount") => {
            n.as_i64().map(|f| Money::from_fen(f).to_string()).unwrap_or_default()
        }
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(o) => o.get("name").map(|n| show_value(ctx, "", n)).unwrap_or_default(),
                other => show_value(ctx, "", other),
            })
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

/// The changed fields of one entry: field, before, after.
fn changes(ctx: &Ctx, e: &Entry) -> Markup {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let before = parse(&e.before);
    let after = parse(&e.after);
    let keys: Vec<String> = match (&before, &after) {
        (_, Some(Value::Object(a))) if e.action != "create" => a.keys().cloned().collect(),
        (Some(Value::Object(b)), _) => b.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let label = |k: &str| {
        field_msg(k)
            .map(|m| ctx.t(m).to_string())
            .unwrap_or_else(|| k.to_string())
    };
    html! {
        @if !keys.is_empty() {
            ul.changes {
                @for k in &keys {
                    @let b = before.as_ref().and_then(|b| b.get(k)).map(|v| show_value(ctx, k, v));
                    @let a = after.as_ref().and_then(|a| a.get(k)).map(|v| show_value(ctx, k, v));
                    li {
                        span.key { (label(k)) } ": "
                        @if let Some(b) = b { del { (b) } " → " }
                        ins { (a.unwrap_or_else(|| "—".into())) }
                    }
                }
            }
        }
    }
}

/// A case's history, oldest first.
pub fn timeline(ctx: &Ctx, entries: &[Entry], offset: FixedOffset) -> Markup {
    html! {
        section.history #history {
            h2 { (ctx.t(Msg::History)) }
            ol.timeline {
                @for e in entries {
                    li data-action=(e.action) data-entity=(e.entity) {
                        time { (local_time(&e.at, offset)) }
                        " " strong.actor { (e.username.as_deref().unwrap_or("—")) }
                        " " span.action { (action_msg(&e.action).map(|m| ctx.t(m)).unwrap_or(&e.action)) }
                        @if e.entity != "case" { " · " (e.entity) }
                        (changes(ctx, e))
                    }
                }
            }
        }
    }
}

pub fn page(ctx: &Ctx, v: &AuditView) -> Markup {
    let f = v.filter;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let body = html! {
        h1 { (ctx.t(Msg::NavAudit)) }
        form.filters method="get" action="/audit" {
            div.field {
                label for="user" { (ctx.t(Msg::Username)) }
                select #user name="user" {
                    option value="" { (ctx.t(Msg::AllOption)) }
                    @for u in v.users { option value=(u.id) selected[f.user_id == Some(u.id)] { (u.username) } }
                }
            }
            div.field {
                label for="entity" { (ctx.t(Msg::Entity)) }
                select #entity name="entity" {
                    option value="" { (ctx.t(Msg::AllOption)) }
                    @for e in v.entities { option value=(e) selected[f.entity.as_deref() == Some(e)] { (e) } }
                }
            }
            div.field { label for="from" { (ctx.t(Msg::DateFrom)) } input #from type="date" name="from" value=(date(f.from)); }
            div.field { label for="to" { (ctx.t(Msg::DateTo)) } input #to type="date" name="to" value=(date(f.to)); }
            div.actions { button.primary type="submit" { (ctx.t(Msg::Filter)) } }
        }
        p.count { strong #total { (v.total) } }
        div.table-wrap { table.audit {
            thead { tr {
                th { (ctx.t(Msg::When)) }
                th { (ctx.t(Msg::Username)) }
                th { (ctx.t(Msg::Entity)) }
                th { (ctx.t(Msg::Actions)) }
                th { (ctx.t(Msg::Changes)) }
            } }
            tbody {
                @for e in v.entries {
                    tr {
                        td { (local_time(&e.at, v.offset)) }
                        td.actor { (e.username.as_deref().unwrap_or("—")) }
                        td.entity {
                            (e.entity)
                            @if let Some(c) = e.case_id { " " a href=(format!("/cases/{c}")) { "#" (c) } }
                            @else if let Some(id) = e.entity_id { " #" (id) }
                        }
                        td.action { (action_msg(&e.action).map(|m| ctx.t(m)).unwrap_or(&e.action)) }
                        td { (changes(ctx, e)) }
                    }
                }
            }
        } }
        @if v.total > v.page * 100 {
            nav.pager {
                a rel="next" href=(format!("/audit?{}", serde_urlencoded::to_string([
                    ("user", f.user_id.map(|u| u.to_string()).unwrap_or_default()),
                    ("entity", f.entity.clone().unwrap_or_default()),
                    ("from", date(f.from)),
                    ("to", date(f.to)),
                    ("page", (v.page + 1).to_string()),
                ]).unwrap_or_default())) { (ctx.t(Msg::NextPage)) " →" }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::NavAudit), body)
}
