//! The audit log page, and a case's history timeline.

use chrono::{DateTime, FixedOffset};
use maud::{Markup, html};

use crate::domain::reference::RefLists;
use crate::i18n::Msg;
use crate::store::audit::{AUDIT_PAGE, AuditFilter, Entry};
use crate::store::users::UserRow;
use crate::web::Ctx;
use crate::web::views::components::count_text;
use crate::web::views::layout;

mod words;
use words::{action_msg, changes, entity_msg};

pub struct AuditView<'a> {
    pub entries: &'a [Entry],
    /// Entries matching, up to the cap.
    pub total: i64,
    /// More entries match than `total`.
    pub more: bool,
    pub page: i64,
    /// The page asked for lay past the cap (the last within it is shown).
    pub past_cap: bool,
    pub filter: &'a AuditFilter,
    pub users: &'a [UserRow],
    pub entities: &'a [String],
    pub offset: FixedOffset,
    pub refs: &'a RefLists,
}

/// `2026-11-28 09:30` in the configured time zone.
pub fn local_time(at: &str, offset: FixedOffset) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&offset).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// An entry's action in words; an action no message names (none today)
/// shows as recorded rather than vanish.
fn action_text<'a>(ctx: &Ctx, action: &'a str) -> &'a str {
    action_msg(action).map_or(action, |m| ctx.t(m))
}

/// An entity's name in words, likewise.
fn entity_text<'a>(ctx: &Ctx, entity: &'a str) -> &'a str {
    entity_msg(entity).map_or(entity, |m| ctx.t(m))
}

/// A case's history, oldest first.
pub fn timeline(ctx: &Ctx, entries: &[Entry], refs: &RefLists, offset: FixedOffset) -> Markup {
    html! {
        section.history #history {
            h2 { (ctx.t(Msg::History)) }
            ol.timeline {
                @for e in entries {
                    li data-action=(e.action) data-entity=(e.entity) {
                        time { (local_time(&e.at, offset)) }
                        " " strong.actor { (e.username.as_deref().unwrap_or("—")) }
                        " " span.action { (action_text(ctx, &e.action)) }
                        @if e.entity != "case" { " · " (entity_text(ctx, &e.entity)) }
                        (changes(ctx, refs, e))
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
                    @for e in v.entities { option value=(e) selected[f.entity.as_deref() == Some(e)] { (entity_text(ctx, e)) } }
                }
            }
            div.field { label for="from" { (ctx.t(Msg::AuditFrom)) } input #from type="date" name="from" value=(date(f.from)); }
            div.field { label for="to" { (ctx.t(Msg::AuditTo)) } input #to type="date" name="to" value=(date(f.to)); }
            div.actions { button.primary type="submit" { (ctx.t(Msg::Filter)) } }
        }
        p.count { strong #total { (count_text(v.total, v.more)) } }
        @if v.past_cap {
            p.notice #list-cap role="status" { (ctx.t(Msg::AuditCapNotice)) }
        }
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
                            (entity_text(ctx, &e.entity))
                            @if let (Some(c), Some(no)) = (e.case_id, &e.case_no) { " " a.case-no href=(format!("/cases/{c}")) { (no) } }
                            @else if let Some(name) = &e.subject { " " span.subject { (name) } }
                            @else if let Some(id) = e.entity_id { " #" (id) }
                        }
                        td.action { (action_text(ctx, &e.action)) }
                        td { (changes(ctx, v.refs, e)) }
                    }
                }
            }
        } }
        @if v.total > v.page * AUDIT_PAGE {
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
