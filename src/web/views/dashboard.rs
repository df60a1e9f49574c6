//! The dashboard: headline cards, charts, breakdown tables, overdue cases.
//! The annual report reuses its pieces.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::charts::{self, Point, Series};
use super::components::money;
use super::layout;
use super::rates::{provisional_note, rate};
use crate::domain::reference::RefLists;
use crate::domain::stats::{Rate, Row, Stats, Totals, by_year, millions};
use crate::domain::{Money, Period, RefList};
use crate::i18n::{Lang, Msg};
use crate::store::stats::OverdueRow;
use crate::web::Ctx;

/// The period selector's fields as typed, kept when refused.
#[derive(Debug, Clone, Default)]
pub struct PeriodForm {
    pub year: String,
    pub from: String,
    pub to: String,
    /// Why what was typed is not a period.
    pub error: Option<Msg>,
}

pub struct DashboardView<'a> {
    pub stats: &'a Stats,
    /// Every year, for the cumulative line.
    pub cumulative: &'a Totals,
    pub overdue: &'a [OverdueRow],
    pub refs: &'a RefLists,
    pub years: &'a [i32],
    pub form: &'a PeriodForm,
    pub today: NaiveDate,
    /// Only the user's own cases are counted (mediators).
    pub mine_only: bool,
    /// The user may open the annual report.
    pub reports: bool,
}

/// A headline amount in the UI language: 136.1 (万元) or 1.361 (million yuan).
pub fn big_amount(lang: Lang, m: Money) -> String {
    match lang {
        Lang::Zh => m.wan(),
        Lang::En => millions(m),
    }
}

/// A sentence with `{n}`-style blanks filled in.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

/// 累计协调物业纠纷N件,涉及金额y万元.
pub fn cumulative_line(ctx: &Ctx, t: &Totals) -> String {
    fill(
        ctx.t(Msg::StCumulative),
        &[
            ("n", t.cases_total.to_string()),
            ("y", big_amount(ctx.lang, t.amount_claimed)),
        ],
    )
}

pub fn cards(ctx: &Ctx, t: &Totals) -> Markup {
    let unit = ctx.t(Msg::StWan);
    html! {
        section.cards aria-label=(ctx.t(Msg::StPeriod)) {
            div.card #card-cases { span.label { (ctx.t(Msg::StCases)) } span.value { (t.cases_total) } }
            div.card #card-accepted { span.label { (ctx.t(Msg::StAccepted)) } span.value { (t.accepted) } }
            div.card #card-settled { span.label { (ctx.t(Msg::StSettled)) } span.value { (t.settled) } }
            div.card #card-rate { span.label { (ctx.t(Msg::StSuccessRate)) } span.value { (rate(ctx, t.success_rate(), t.in_mediation)) } }
            div.card #card-claimed {
                span.label { (ctx.t(Msg::StClaimed)) }
                span.value { (big_amount(ctx.lang, t.amount_claimed)) small { (unit) } }
                span.exact { (money(t.amount_claimed.fen())) }
            }
            div.card #card-agreed {
                span.label { (ctx.t(Msg::StAgreed)) }
                span.value { (big_amount(ctx.lang, t.amount_agreed)) small { (unit) } }
                span.exact { (money(t.amount_agreed.fen())) }
            }
        }
        dl.minor-figures {
            dt { (ctx.t(Msg::StatusFailed)) } dd { (t.failed) }
            dt { (ctx.t(Msg::StatusWithdrawn)) } dd { (t.withdrawn) }
            dt { (ctx.t(Msg::StatusDeclined)) } dd { (t.declined) }
            dt { (ctx.t(Msg::StatusInMediation)) } dd { (t.in_mediation) }
            dt { (ctx.t(Msg::StAvgDays)) } dd { (t.average_days_to_close().unwrap_or_else(|| "—".into())) }
            dt { (ctx.t(Msg::StFulfilment)) } dd #fulfilment-rate { (rate(ctx, t.fulfilment_rate(), 0)) }
            dt { (ctx.t(Msg::StOverdue)) } dd #overdue-count { (t.overdue) }
        }
    }
}

/// Cases per month (per year over long periods), by category, and the
/// success-rate trend.
pub fn charts(ctx: &Ctx, stats: &Stats, refs: &RefLists) -> Markup {
    let b = &stats.breakdowns;
    let (rows, title) = if b.by_month.len() > 24 {
        (by_year(&b.by_month), Msg::StChartPerYear)
    } else {
        (b.by_month.clone(), Msg::StChartPerMonth)
    };
    let labels: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    let categories: Vec<(String, i64)> = b
        .by_category
        .iter()
        .map(|r| (refs.label(RefList::Category, &r.key, ctx.lang).to_string(), r.cases))
        .collect();
    let trend: Vec<Point> = rows
        .iter()
        .map(|r| Point {
            tenths: (r.accepted > 0).then(|| r.success_rate().tenths()),
            note: (r.in_mediation > 0).then(|| provisional_note(ctx, r.in_mediation)),
        })
        .collect();
    html! {
        div.charts {
            (charts::bars("chart-months", ctx.t(title), &labels, &[
                Series { label: ctx.t(Msg::StLegendReceived), values: rows.iter().map(|r| r.cases).collect() },
                Series { label: ctx.t(Msg::StLegendAccepted), values: rows.iter().map(|r| r.accepted).collect() },
            ]))
            (charts::hbars("chart-categories", ctx.t(Msg::StChartByCategory), &categories))
            (charts::percent_line("chart-trend", ctx.t(Msg::StChartTrend), &labels, &trend, ctx.t(Msg::StTrendProvisional)))
        }
    }
}

/// A breakdown as a table with a total line; `list` names the codes.
pub fn breakdown(
    ctx: &Ctx,
    id: &str,
    title: Msg,
    head: Msg,
    rows: &[Row],
    refs: &RefLists,
    list: Option<RefList>,
) -> Markup {
    let sum = |f: fn(&Row) -> i64| rows.iter().map(f).sum::<i64>();
    html! {
        section.breakdown #(id) {
            h2 { (ctx.t(title)) }
            div.table-wrap { table {
                thead { tr {
                    th { (ctx.t(head)) }
                    th.num { (ctx.t(Msg::StCases)) }
                    th.num { (ctx.t(Msg::StAccepted)) }
                    th.num { (ctx.t(Msg::StSettled)) }
                    th.num { (ctx.t(Msg::StSuccessRate)) }
                    th.num { (ctx.t(Msg::StClaimed)) }
                    th.num { (ctx.t(Msg::StAgreed)) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (label(ctx, r, refs, list)) }
                            td.num { (r.cases) }
                            td.num { (r.accepted) }
                            td.num { (r.settled) }
                            td.num { (rate(ctx, r.success_rate(), r.in_mediation)) }
                            td.num { (money(r.amount_claimed.fen())) }
                            td.num { (money(r.amount_agreed.fen())) }
                        }
                    }
                }
                @if list.is_some() {
                    tfoot { tr {
                        th { (ctx.t(Msg::StTotal)) }
                        td.num { (sum(|r| r.cases)) }
                        td.num { (sum(|r| r.accepted)) }
                        td.num { (sum(|r| r.settled)) }
                        td.num { (rate(ctx, Rate::new(sum(|r| r.settled), sum(|r| r.accepted)), sum(|r| r.in_mediation))) }
                        td.num { (money(sum(|r| r.amount_claimed.fen()))) }
                        td.num { (money(sum(|r| r.amount_agreed.fen()))) }
                    } }
                }
            } }
        }
    }
}

/// The statistics CSV of a period: the same breakdowns, in the tables' column order.
pub fn stats_csv_link(period: &Period) -> String {
    match period {
        Period::All => "/export/stats.csv".into(),
        Period::Year(y) => format!("/export/stats.csv?year={y}"),
        Period::Range { from, to } => format!("/export/stats.csv?from={from}&to={to}"),
    }
}

fn label(ctx: &Ctx, r: &Row, refs: &RefLists, list: Option<RefList>) -> String {
    match (list, &r.name) {
        (Some(list), _) => refs.label(list, &r.key, ctx.lang).to_string(),
        (None, Some(name)) => name.clone(),
        (None, None) => r.key.clone(),
    }
}

/// The year select, the range and the submit button of a dashboard's
/// period form (the dashboard's and the supervisor's).
pub fn period_fields(ctx: &Ctx, years: &[i32], f: &PeriodForm) -> Markup {
    html! {
        div.field {
            label for="year" { (ctx.t(Msg::StYear)) }
            select #year name="year" {
                option value="" { (ctx.t(Msg::StAllYears)) }
                @for y in years {
                    option value=(y) selected[f.year == y.to_string()] { (y) }
                }
            }
        }
        div.field {
            label for="from" { (ctx.t(Msg::StFrom)) }
            input #from type="date" name="from" value=(f.from) class=[f.error.is_some().then_some("invalid")];
        }
        div.field {
            label for="to" { (ctx.t(Msg::StTo)) }
            input #to type="date" name="to" value=(f.to) class=[f.error.is_some().then_some("invalid")];
            @if let Some(e) = f.error {
                span.field-error #period-error role="alert" { (ctx.t(e)) }
            }
        }
        div.actions { button.primary type="submit" { (ctx.t(Msg::StShow)) } }
    }
}

fn period_form(ctx: &Ctx, v: &DashboardView) -> Markup {
    let f = v.form;
    html! {
        form.filters.period method="get" action="/dashboard" {
            (period_fields(ctx, v.years, f))
            p.hint.wide { (ctx.t(Msg::StPeriodHint)) }
        }
    }
}

fn overdue_table(ctx: &Ctx, rows: &[OverdueRow], total: i64, today: NaiveDate) -> Markup {
    html! {
        section #overdue {
            h2 { (ctx.t(Msg::StOverdueTitle)) " (" (total) ")" }
            @if rows.is_empty() {
                p.empty { (ctx.t(Msg::StOverdueNone)) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (ctx.t(Msg::FieldCaseNo)) }
                        th { (ctx.t(Msg::FieldProject)) }
                        th { (ctx.t(Msg::FieldAcceptedOn)) }
                        th.num { (ctx.t(Msg::StDaysInMediation)) }
                        th { (ctx.t(Msg::FieldMediators)) }
                    } }
                    tbody {
                        @for r in rows {
                            tr {
                                td { a href=(format!("/cases/{}", r.id)) { (r.case_no) } }
                                td { (r.project) }
                                td { (r.accepted_on) }
                                td.num.overdue { ((today - r.accepted_on).num_days()) }
                                td { (r.mediators.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                } }
                @if total > rows.len() as i64 {
                    p { a href="/cases?flag=overdue" { (ctx.t(Msg::StSeeAll)) } }
                }
            }
        }
    }
}

pub fn page(ctx: &Ctx, v: &DashboardView) -> Markup {
    let s = v.stats;
    let b = &s.breakdowns;
    let report_year = match s.period {
        Period::Year(y) => Some(y),
        _ => v.years.first().copied(),
    };
    let body = html! {
        div.case-head {
            h1 { (ctx.t(Msg::StDashboardTitle)) }
            @if let (true, Some(y)) = (v.reports, report_year) {
                a.button #report-link href=(format!("/reports/{y}")) { (ctx.t(Msg::StReportLink)) " " (y) }
            }
            a.button #stats-csv href=(stats_csv_link(&s.period)) { (ctx.t(Msg::StStatsCsv)) }
        }
        @if v.mine_only {
            p.hint #mine-only { (ctx.t(Msg::StMineOnly)) }
        }
        p.cumulative #cumulative { (cumulative_line(ctx, v.cumulative)) }
        (period_form(ctx, v))
        (cards(ctx, &s.totals))
        @if s.totals.cases_total == 0 && s.totals.accepted == 0 {
            p.empty { (ctx.t(Msg::StNoData)) }
        } @else {
            (charts(ctx, s, v.refs))
            (breakdown(ctx, "by-district", Msg::StByDistrict, Msg::FieldDistrict, &b.by_district, v.refs, Some(RefList::District)))
            (breakdown(ctx, "by-mediator", Msg::StByMediator, Msg::FieldMediators, &b.by_mediator, v.refs, None))
        }
        (overdue_table(ctx, v.overdue, s.totals.overdue, v.today))
    };
    layout::page(ctx, ctx.t(Msg::StDashboardTitle), body)
}
