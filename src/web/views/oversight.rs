//! A supervisor's pages (issue 15): the committees' added-up figures, and
//! their cases by number, committee, category, district, amounts, status
//! and dates. Nothing here names or describes a person.

use maud::{Markup, html};

use super::components::{money, money_or_dash};
use super::dashboard::{PeriodForm, breakdown, cards, cumulative_line, period_fields, stats_csv_link};
use super::layout;
use super::rates::rate;
use crate::domain::reference::RefLists;
use crate::domain::stats::{Rate, Row, Stats, Totals};
use crate::domain::{Period, RefList};
use crate::i18n::Msg;
use crate::store::stats::OversightCase;
use crate::web::Ctx;

pub struct OversightView<'a> {
    pub org_name: &'a str,
    /// Every committee under the association, `(id, name)`, for the filter.
    pub committees: &'a [(i64, String)],
    /// The one committee shown, when one is chosen.
    pub committee: Option<i64>,
    pub stats: &'a Stats,
    pub cumulative: &'a Totals,
    pub by_committee: &'a [Row],
    pub refs: &'a RefLists,
    pub years: &'a [i32],
    pub form: &'a PeriodForm,
}

pub struct CasesView<'a> {
    pub committees: &'a [(i64, String)],
    pub committee: Option<i64>,
    pub rows: &'a [OversightCase],
    pub refs: &'a RefLists,
    pub page: i64,
    /// Another page follows.
    pub more: bool,
}

/// `&committee=ID` when one is chosen, to carry into links.
fn committee_arg(committee: Option<i64>) -> String {
    committee.map(|c| format!("committee={c}")).unwrap_or_default()
}

/// `base` with the committee added to its query.
fn with_committee(base: &str, committee: Option<i64>) -> String {
    match committee {
        None => base.to_string(),
        Some(_) if base.contains('?') => format!("{base}&{}", committee_arg(committee)),
        Some(_) => format!("{base}?{}", committee_arg(committee)),
    }
}

fn committee_select(ctx: &Ctx, committees: &[(i64, String)], chosen: Option<i64>) -> Markup {
    html! {
        div.field {
            label for="committee" { (ctx.t(Msg::OvCommittee)) }
            select #committee name="committee" {
                option value="" { (ctx.t(Msg::OvAllCommittees)) }
                @for (id, name) in committees {
                    option value=(id) selected[chosen == Some(*id)] { (name) }
                }
            }
        }
    }
}

fn period_form(ctx: &Ctx, v: &OversightView) -> Markup {
    let f = v.form;
    html! {
        form.filters.period method="get" action="/oversight" {
            (committee_select(ctx, v.committees, v.committee))
            (period_fields(ctx, v.years, f))
        }
    }
}

/// One line per committee (受理, 调解成功, 成功率, 涉及金额, 协议金额) and
/// their total, which is the page's headline.
pub fn committee_table(ctx: &Ctx, rows: &[Row]) -> Markup {
    let sum = |f: fn(&Row) -> i64| rows.iter().map(f).sum::<i64>();
    html! {
        section.breakdown #by-committee {
            h2 { (ctx.t(Msg::OvByCommittee)) }
            div.table-wrap { table {
                thead { tr {
                    th { (ctx.t(Msg::OvCommittee)) }
                    th.num { (ctx.t(Msg::StCases)) }
                    th.num { (ctx.t(Msg::StAccepted)) }
                    th.num { (ctx.t(Msg::StSettled)) }
                    th.num { (ctx.t(Msg::StSuccessRate)) }
                    th.num { (ctx.t(Msg::StClaimed)) }
                    th.num { (ctx.t(Msg::StAgreed)) }
                } }
                tbody {
                    @for r in rows {
                        tr data-committee=(r.key) {
                            td { (r.name.as_deref().unwrap_or(&r.key)) }
                            td.num { (r.cases) }
                            td.num { (r.accepted) }
                            td.num { (r.settled) }
                            td.num { (rate(ctx, r.success_rate(), r.in_mediation)) }
                            td.num { (money(r.amount_claimed.fen())) }
                            td.num { (money(r.amount_agreed.fen())) }
                        }
                    }
                }
                tfoot { tr #committee-total {
                    th { (ctx.t(Msg::StTotal)) }
                    td.num { (sum(|r| r.cases)) }
                    td.num { (sum(|r| r.accepted)) }
                    td.num { (sum(|r| r.settled)) }
                    td.num { (rate(ctx, Rate::new(sum(|r| r.settled), sum(|r| r.accepted)), sum(|r| r.in_mediation))) }
                    td.num { (money(sum(|r| r.amount_claimed.fen()))) }
                    td.num { (money(sum(|r| r.amount_agreed.fen()))) }
                } }
            } }
        }
    }
}

pub fn page(ctx: &Ctx, v: &OversightView) -> Markup {
    let s = v.stats;
    let report_year = match s.period {
        Period::Year(y) => Some(y),
        _ => v.years.first().copied(),
    };
    let body = html! {
        div.case-head {
            h1 { (ctx.t(Msg::OvTitle)) }
            @if let Some(y) = report_year {
                a.button #report-link href=(with_committee(&format!("/reports/{y}"), v.committee)) {
                    (ctx.t(Msg::StReportLink)) " " (y)
                }
            }
            a.button #stats-csv href=(with_committee(&stats_csv_link(&s.period), v.committee)) { (ctx.t(Msg::StStatsCsv)) }
            a.button #oversight-cases href=(with_committee("/oversight/cases", v.committee)) { (ctx.t(Msg::OvCasesLink)) }
        }
        p.association { (v.org_name) }
        p.hint #no-personal-data { (ctx.t(Msg::OvNoPersonalData)) }
        p.cumulative #cumulative { (cumulative_line(ctx, v.cumulative)) }
        (period_form(ctx, v))
        (cards(ctx, &s.totals))
        (committee_table(ctx, v.by_committee))
        @if s.totals.cases_total > 0 || s.totals.accepted > 0 {
            (breakdown(ctx, "by-category", Msg::StByCategory, Msg::FieldCategory, &s.breakdowns.by_category, v.refs, Some(RefList::Category)))
            (breakdown(ctx, "by-district", Msg::StByDistrict, Msg::FieldDistrict, &s.breakdowns.by_district, v.refs, Some(RefList::District)))
        }
    };
    layout::page(ctx, ctx.t(Msg::OvTitle), body)
}

pub fn cases_page(ctx: &Ctx, v: &CasesView) -> Markup {
    let link = |page: i64| {
        let c = committee_arg(v.committee);
        if c.is_empty() {
            format!("/oversight/cases?page={page}")
        } else {
            format!("/oversight/cases?{c}&page={page}")
        }
    };
    let body = html! {
        h1 { (ctx.t(Msg::OvCasesTitle)) }
        p.hint #no-personal-data { (ctx.t(Msg::OvNoPersonalData)) }
        form.filters method="get" action="/oversight/cases" {
            (committee_select(ctx, v.committees, v.committee))
            div.actions { button.primary type="submit" { (ctx.t(Msg::StShow)) } }
        }
        @if v.rows.is_empty() {
            p.empty { (ctx.t(Msg::StNoData)) }
        } @else {
            div.table-wrap { table #oversight-cases {
                thead { tr {
                    th { (ctx.t(Msg::FieldCaseNo)) }
                    th { (ctx.t(Msg::OvCommittee)) }
                    th { (ctx.t(Msg::FieldCategory)) }
                    th { (ctx.t(Msg::FieldDistrict)) }
                    th.num { (ctx.t(Msg::StClaimed)) }
                    th.num { (ctx.t(Msg::StAgreed)) }
                    th { (ctx.t(Msg::FieldStatus)) }
                    th { (ctx.t(Msg::FieldReceivedOn)) }
                    th { (ctx.t(Msg::FieldAcceptedOn)) }
                    th { (ctx.t(Msg::FieldClosedOn)) }
                } }
                tbody {
                    @for r in v.rows {
                        tr {
                            td { (r.case_no) }
                            td { (r.committee) }
                            td { (v.refs.label(RefList::Category, &r.category, ctx.lang)) }
                            td { (v.refs.label(RefList::District, &r.district, ctx.lang)) }
                            td.num { (money(r.amount_claimed)) }
                            td.num { (money_or_dash(r.amount_agreed)) }
                            td { (ctx.label(r.status)) }
                            td { (r.received_on) }
                            td { (r.accepted_on.map(|d| d.to_string()).unwrap_or_default()) }
                            td { (r.closed_on.map(|d| d.to_string()).unwrap_or_default()) }
                        }
                    }
                }
            } }
        }
        nav.pager {
            @if v.page > 1 {
                a #previous-page href=(link(v.page - 1)) { (ctx.t(Msg::PreviousPage)) }
            }
            " " (v.page) " "
            @if v.more {
                a #next-page href=(link(v.page + 1)) { (ctx.t(Msg::NextPage)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::OvCasesTitle), body)
}
