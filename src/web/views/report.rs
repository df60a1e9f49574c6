//! The annual report, printable on A4: the headline sentence as
//! associations publish it, the cumulative line, tables and charts.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::dashboard::{big_amount, breakdown, cards, charts, cumulative_line, fill, stats_csv_link};
use super::layout;
use super::rates::rate_text;
use crate::domain::reference::RefLists;
use crate::domain::stats::{Stats, Totals};
use crate::domain::{Period, RefList};
use crate::i18n::Msg;
use crate::web::Ctx;

pub struct ReportView<'a> {
    pub year: i32,
    pub stats: &'a Stats,
    /// From the first case to the end of the year.
    pub cumulative: &'a Totals,
    pub refs: &'a RefLists,
    pub years: &'a [i32],
    pub association: &'a str,
    pub today: NaiveDate,
}

/// 全年受理物业纠纷N件,调解成功M件,成功率x%,涉及金额y万元.
pub fn headline(ctx: &Ctx, t: &Totals) -> String {
    fill(
        ctx.t(Msg::StHeadline),
        &[
            ("n", t.accepted.to_string()),
            ("m", t.settled.to_string()),
            ("x", rate_text(ctx, t.success_rate(), t.in_mediation)),
            ("y", big_amount(ctx.lang, t.amount_claimed)),
        ],
    )
}

pub fn page(ctx: &Ctx, v: &ReportView) -> Markup {
    let title = fill(ctx.t(Msg::StReportTitle), &[("year", v.year.to_string())]);
    let b = &v.stats.breakdowns;
    let body = html! {
        article.report {
            header.report-head {
                p.association { (v.association) }
                h1 { (title) }
            }
            p.headline #headline { (headline(ctx, &v.stats.totals)) }
            p.cumulative #cumulative { (cumulative_line(ctx, v.cumulative)) }
            (cards(ctx, &v.stats.totals))
            // A supervisor's report: each committee under the association.
            @if !b.by_committee.is_empty() {
                (super::oversight::committee_table(ctx, &b.by_committee))
            }
            (charts(ctx, v.stats, v.refs))
            (breakdown(ctx, "by-category", Msg::StByCategory, Msg::FieldCategory, &b.by_category, v.refs, Some(RefList::Category)))
            (breakdown(ctx, "by-source", Msg::StBySource, Msg::FieldSource, &b.by_source, v.refs, Some(RefList::Source)))
            (breakdown(ctx, "by-district", Msg::StByDistrict, Msg::FieldDistrict, &b.by_district, v.refs, Some(RefList::District)))
            (breakdown(ctx, "by-mediator", Msg::StByMediator, Msg::FieldMediators, &b.by_mediator, v.refs, None))
            (breakdown(ctx, "by-month", Msg::StByMonth, Msg::StMonth, &b.by_month, v.refs, None))
            footer.report-foot {
                p { (ctx.t(Msg::StReportPrepared)) ": " (v.today) }
            }
        }
        nav.no-print.report-years {
            p.hint { (ctx.t(Msg::StReportPrintHint)) }
            p { a #stats-csv href=(stats_csv_link(&Period::Year(v.year))) { (ctx.t(Msg::StStatsCsv)) } }
            // Issue 16: the same year in the Ministry of Justice's statistics.
            p { a #official-link href=(format!("/reports/official?period={}", v.year)) { (ctx.t(Msg::OffLinkReport)) } }
            @if v.years.len() > 1 {
                p {
                    (ctx.t(Msg::StReportOtherYears)) ": "
                    @for y in v.years.iter().filter(|y| **y != v.year) {
                        a href=(format!("/reports/{y}")) { (y) } " "
                    }
                }
            }
        }
    };
    layout::page(ctx, &title, body)
}
