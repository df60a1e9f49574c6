//! The case list with its filters and pages.

use maud::{Markup, html};

use crate::domain::deadlines::FlagFacts;
use crate::domain::filter::Unread;
use crate::domain::reference::RefLists;
use crate::domain::workflow::Judicial;
use crate::domain::{CaseFilter, Deadlines, Flag, Listing, RefList, SortKey, Status};
use crate::i18n::Msg;
use crate::store::cases::{CaseListRow, PAGE_CAP};
use crate::store::mediators::Mediator;
use crate::web::Ctx;
use crate::web::views::components::{count_text, money_or_dash, ref_select, status_badge};
use crate::web::views::layout;
use crate::web::views::workflow::overdue_badge;

use super::list_nav::{page_size_field, pager, sort_heading, unread_notice};

pub struct ListView<'a> {
    pub rows: &'a [CaseListRow],
    pub total: i64,
    /// More cases match than `total` (the list's cap).
    pub more: bool,
    /// The page asked for lay past the cap.
    pub past_cap: bool,
    /// Order, page size and a page that exists.
    pub listing: Listing,
    /// Values in the URL that were ignored.
    pub unread: &'a [Unread],
    pub filter: &'a CaseFilter,
    pub refs: &'a RefLists,
    pub mediators: &'a [Mediator],
    /// Today and the mediation limit, to mark overdue cases.
    pub deadlines: Deadlines,
}

/// `/export/cases.csv?…`: the CSV of what the list shows, all pages.
pub fn export_link(filter: &CaseFilter) -> String {
    let query = serde_urlencoded::to_string(filter.to_pairs()).unwrap_or_default();
    if query.is_empty() {
        "/export/cases.csv".to_string()
    } else {
        format!("/export/cases.csv?{query}")
    }
}

pub fn page(ctx: &Ctx, v: &ListView) -> Markup {
    let f = v.filter;
    let l = &v.listing;
    let pages = l.pages(if v.more { v.total.min(PAGE_CAP) } else { v.total });
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let body = html! {
        h1 { (ctx.t(Msg::CasesTitle)) }
        (unread_notice(ctx, v.unread))
        form.filters method="get" action="/cases" role="search" {
            div.field.wide {
                label for="q" { (ctx.t(Msg::Search)) }
                input #q type="search" name="q" value=(f.q.clone().unwrap_or_default())
                    placeholder=(ctx.t(Msg::SearchPlaceholder));
            }
            div.field {
                label for="status" { (ctx.t(Msg::FieldStatus)) }
                select #status name="status" {
                    option value="" { (ctx.t(Msg::AllOption)) }
                    @for &s in Status::ALL {
                        option value=(s.code()) selected[f.status == Some(s)] { (ctx.label(s)) }
                    }
                }
            }
            @for (list, name, label, value) in [
                (RefList::Category, "category", Msg::FieldCategory, &f.category),
                (RefList::Source, "source", Msg::FieldSource, &f.source),
                (RefList::District, "district", Msg::FieldDistrict, &f.district),
            ] {
                div.field {
                    label for=(format!("f-{name}")) { (ctx.t(label)) }
                    (ref_select(ctx, name, &format!("f-{name}"), v.refs.list(list),
                        value.as_deref().unwrap_or(""), Msg::AllOption, false))
                }
            }
            div.field {
                label for="mediator" { (ctx.t(Msg::FieldMediators)) }
                select #mediator name="mediator" {
                    option value="" { (ctx.t(Msg::AllOption)) }
                    @for m in v.mediators {
                        option value=(m.id) selected[f.mediator == Some(m.id)] { (m.name) }
                    }
                }
            }
            div.field {
                label for="flag" { (ctx.t(Msg::WfFlag)) }
                select #flag name="flag" {
                    option value="" { (ctx.t(Msg::AllOption)) }
                    @for fl in Flag::ALL {
                        option value=(fl.code()) selected[f.flag == Some(fl)] { (ctx.label(fl)) }
                    }
                }
            }
            div.field {
                label for="from" { (ctx.t(Msg::DateFrom)) }
                input #from type="date" name="from" value=(date(f.from));
            }
            div.field {
                label for="to" { (ctx.t(Msg::DateTo)) }
                input #to type="date" name="to" value=(date(f.to));
            }
            (page_size_field(ctx, l))
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Filter)) }
                @if !f.is_empty() { a.button href="/cases" { (ctx.t(Msg::ClearFilters)) } }
            }
        }
        p.count {
            strong #total { (count_text(v.total, v.more)) } " " (ctx.t(Msg::CasesFound))
            " " a.export href=(export_link(f)) download { (ctx.t(Msg::ExportCsv)) }
            " " a.dossiers href="/dossiers" { (ctx.t(Msg::DossiersTitle)) }
        }
        @if v.past_cap {
            p.notice #list-cap role="status" { (ctx.t(Msg::ListCapNotice)) }
        }
        @if v.rows.is_empty() {
            p.empty { (ctx.t(Msg::NoCases)) }
        } @else {
            div.table-wrap {
                table.cases {
                    thead { tr {
                        th { (ctx.t(Msg::FieldCaseNo)) }
                        (sort_heading(ctx, f, l, SortKey::Received, Msg::FieldReceivedOn))
                        (sort_heading(ctx, f, l, SortKey::Accepted, Msg::FieldAcceptedOn))
                        th { (ctx.t(Msg::FieldCategory)) }
                        th { (ctx.t(Msg::FieldProject)) }
                        th { (ctx.t(Msg::Parties)) }
                        (sort_heading(ctx, f, l, SortKey::Amount, Msg::FieldAmountClaimed))
                        (sort_heading(ctx, f, l, SortKey::Status, Msg::FieldStatus))
                        th { (ctx.t(Msg::FieldMediators)) }
                    } }
                    tbody {
                        @for r in v.rows {
                            tr.voided[r.status == Status::Voided] {
                                td { a.case-link href=(format!("/cases/{}", r.id)) { (r.case_no) } }
                                td.date { (r.received_on) }
                                td.date { (date(r.accepted_on)) }
                                td { (v.refs.label(RefList::Category, &r.category, ctx.lang)) }
                                td { (r.project) br; small { (v.refs.label(RefList::District, &r.district, ctx.lang)) } }
                                td.parties {
                                    (r.applicants.as_deref().unwrap_or(""))
                                    " ⇄ "
                                    (r.respondents.as_deref().unwrap_or(""))
                                }
                                td.num { (money_or_dash(r.amount_claimed)) }
                                td {
                                    (status_badge(ctx, r.status))
                                    @if let Some(days) = overdue_days(&v.deadlines, r) { " " (overdue_badge(ctx, days)) }
                                }
                                td { (r.mediators.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
        (pager(ctx, f, l, pages))
    };
    layout::page(ctx, ctx.t(Msg::CasesTitle), body)
}

/// Days past the mediation limit of a listed case, if it is overdue.
fn overdue_days(d: &Deadlines, r: &CaseListRow) -> Option<i64> {
    let facts = FlagFacts {
        status: r.status,
        // Archived cases are closed, so never in mediation.
        archived: false,
        accepted_on: r.accepted_on,
        agreement_on: None,
        performance_due: None,
        fulfilment: None,
        judicial_confirmation: Judicial::None,
    };
    d.flags(&facts).overdue_days
}
