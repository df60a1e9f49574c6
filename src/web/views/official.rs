//! The official statistics report (issue 16): the case form's and case
//! page's fields, the A4 report, and the admin's mapping editor.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::components::{csrf, field_error, invalid, money};
use super::layout;
use super::rates::rate;
use crate::domain::case::FieldErrors;
use crate::domain::official::{Figures, FiguresForm, Mapping, OfficialPeriod, OfficialReport};
use crate::domain::reference::RefLists;
use crate::domain::{RefList, codes::Coded};
use crate::i18n::{Label, Msg};
use crate::store::cases::CaseRow;
use crate::web::Ctx;

/// The three fields on the case form (new and edit).
pub fn case_fields(ctx: &Ctx, f: &FiguresForm, e: &FieldErrors) -> Markup {
    let field = |name: &str, label: Msg, value: &str, hint: Msg| {
        html! {
            div.field {
                label for=(name) { (ctx.t(label)) }
                input id=(name) name=(name) type="text" inputmode="numeric" value=(value) class=[invalid(e, name)]
                    aria-describedby=(format!("{name}-hint"));
                small.hint id=(format!("{name}-hint")) { (ctx.t(hint)) }
                (field_error(ctx, e, name))
            }
        }
    };
    html! {
        fieldset #official-figures {
            legend { (ctx.t(Msg::OffFiguresLegend)) }
            div.grid {
                (field("people_involved", Msg::OffFieldPeople, &f.people_involved, Msg::OffHintPeople))
                (field("prevented_crime", Msg::OffFieldCrime, &f.prevented_crime, Msg::OffHintPrevented))
                (field("prevented_petition", Msg::OffFieldPetition, &f.prevented_petition, Msg::OffHintPrevented))
            }
        }
    }
}

/// The three fields among the case page's facts.
pub fn case_facts(ctx: &Ctx, c: &CaseRow, parties: usize) -> Markup {
    let prevented = |n: i64| {
        if n > 0 {
            n.to_string()
        } else {
            ctx.t(Msg::OffNone).to_string()
        }
    };
    html! {
        dt { (ctx.t(Msg::OffFieldPeople)) }
        dd #people-involved {
            @match c.people_involved {
                Some(n) => (n),
                None => (ctx.t(Msg::OffPeopleFromParties).replace("{n}", &parties.to_string())),
            }
        }
        dt { (ctx.t(Msg::OffFieldCrime)) } dd #prevented-crime { (prevented(c.prevented_crime_people)) }
        dt { (ctx.t(Msg::OffFieldPetition)) } dd #prevented-petition { (prevented(c.prevented_petition_people)) }
    }
}

/// `2026年第3季度`, `2026 Q3` ...
pub fn period_label(ctx: &Ctx, p: OfficialPeriod) -> String {
    match p {
        OfficialPeriod::Month(y, m) => ctx
            .t(Msg::OffPeriodMonth)
            .replace("{y}", &y.to_string())
            .replace("{m}", &m.to_string()),
        OfficialPeriod::Quarter(y, q) => ctx
            .t(Msg::OffPeriodQuarter)
            .replace("{y}", &y.to_string())
            .replace("{q}", &q.to_string()),
        OfficialPeriod::Year(y) => ctx.t(Msg::OffPeriodYear).replace("{y}", &y.to_string()),
    }
}

/// What the report page shows.
pub struct ReportView<'a> {
    /// The period as typed (or the default's code).
    pub typed: &'a str,
    /// The period read, with its figures; `None` when it could not be read.
    pub report: Option<(OfficialPeriod, &'a OfficialReport)>,
    /// Who files it: the committee's or the association's name.
    pub org_name: &'a str,
    /// A supervisor's committees, `(id, name)`, each with a line; empty
    /// for a committee's own report.
    pub committees: &'a [(i64, String)],
    /// The one committee a supervisor asked for (kept by the picker).
    pub committee: Option<i64>,
    pub today: NaiveDate,
}

pub fn report_page(ctx: &Ctx, v: &ReportView) -> Markup {
    let title = match v.report {
        Some((p, _)) => format!("{} {}", ctx.t(Msg::OffTitle), period_label(ctx, p)),
        None => ctx.t(Msg::OffTitle).to_string(),
    };
    let body = html! {
        @if let Some((period, r)) = v.report {
            @let (from, to) = period.bounds();
            @let t = &r.totals;
            @let cases_people = |n: i64, p: i64| ctx.t(Msg::OffCasesPeople).replace("{n}", &n.to_string()).replace("{p}", &p.to_string());
            article.report.official {
                header.report-head {
                    p.association { (v.org_name) }
                    h1 { (ctx.t(Msg::OffTitle)) }
                    p #period { (ctx.t(Msg::OffPeriodLabel)) ": " (period_label(ctx, period)) " (" (from) " – " (to) ")" }
                }
                section #main-figures {
                    div.table-wrap { table {
                        thead { tr { th { (ctx.t(Msg::OffIndicator)) } th.num { (ctx.t(Msg::OffValue)) } } }
                        tbody {
                            tr { th { (ctx.t(Msg::OffAccepted)) } td.num #accepted { (t.accepted) } }
                            tr { th { (ctx.t(Msg::OffSettled)) } td.num #settled { (t.settled) } }
                            tr { th { (ctx.t(Msg::OffSuccessRate)) } td.num #success-rate { (rate(ctx, t.success_rate(), t.in_mediation)) } }
                            tr { th { (ctx.t(Msg::OffAmountAgreed)) } td.num #amount-agreed { (money(t.amount_agreed.fen())) } }
                            tr { th { (ctx.t(Msg::OffPeople)) } td.num #people { (t.people) } }
                            tr { th { (ctx.t(Msg::OffFulfilmentRate)) } td.num #fulfilment-rate { (rate(ctx, t.fulfilment_rate(), 0)) } }
                            tr { th { (ctx.t(Msg::OffPreventedCrime)) } td.num #prevented-crime { (cases_people(t.crime_cases, t.crime_people)) } }
                            tr { th { (ctx.t(Msg::OffPreventedPetition)) } td.num #prevented-petition { (cases_people(t.petition_cases, t.petition_people)) } }
                        }
                    } }
                }
                (table(ctx, "by-source", Msg::OffBySource, t, r.by_source.iter().map(|(g, f)| (g.code(), ctx.label(*g).to_string(), f))))
                (table(ctx, "by-type", Msg::OffByType, t, r.by_type.iter().map(|(k, f)| (k.code(), ctx.label(*k).to_string(), f))))
                @if !v.committees.is_empty() {
                    @let rows: Vec<(String, String, Figures)> = v.committees.iter()
                        .filter(|(id, _)| v.committee.is_none_or(|c| c == *id))
                        .map(|(id, name)| (id.to_string(), name.clone(), r.committee(*id))).collect();
                    (table(ctx, "by-committee", Msg::OffByCommittee, t, rows.iter().map(|(id, name, f)| (id.as_str(), name.clone(), f))))
                }
                p.hint #scope-note { (ctx.t(Msg::OffScopeNote)) }
                p.no-print { a.button #official-csv href=(csv_link(period, v.committee)) { (ctx.t(Msg::OffCsvLink)) } }
                footer.report-foot {
                    p { (ctx.t(Msg::OffFiller)) ": ______  " (ctx.t(Msg::OffHead)) ": ______  " (ctx.t(Msg::OffPreparer)) ": ______" }
                    p { (ctx.t(Msg::StReportPrepared)) ": " (v.today) }
                }
            }
        } @else {
            h1 { (ctx.t(Msg::OffTitle)) }
            p.error-message #period-error role="alert" { (ctx.t(Msg::OffBadPeriod)) }
        }
        nav.no-print.report-years {
            form.filters method="get" action="/reports/official" {
                label for="period" { (ctx.t(Msg::OffPeriodLabel)) }
                " "
                input #period-input type="text" id="period" name="period" value=(v.typed) aria-describedby="period-hint"
                    class=[v.report.is_none().then_some("invalid")];
                @if let Some(c) = v.committee { input type="hidden" name="committee" value=(c); }
                " "
                button type="submit" { (ctx.t(Msg::OffShow)) }
                " "
                small.hint #period-hint { (ctx.t(Msg::OffPeriodHint)) }
            }
            p.hint { (ctx.t(Msg::StReportPrintHint)) }
        }
    };
    layout::page(ctx, &title, body)
}

/// The report's CSV: the same period (and a supervisor's one committee).
pub fn csv_link(period: OfficialPeriod, committee: Option<i64>) -> String {
    let mut link = format!("/reports/official.csv?period={}", period.code());
    if let Some(c) = committee {
        link.push_str(&format!("&committee={c}"));
    }
    link
}

/// A breakdown: one line per group, every group printed, and the total.
fn table<'a>(
    ctx: &Ctx,
    id: &str,
    heading: Msg,
    total: &Figures,
    rows: impl Iterator<Item = (&'a str, String, &'a Figures)>,
) -> Markup {
    html! {
        section.breakdown id=(id) {
            h2 { (ctx.t(heading)) }
            div.table-wrap { table {
                thead { tr {
                    th { (ctx.t(heading)) }
                    th.num { (ctx.t(Msg::OffAccepted)) }
                    th.num { (ctx.t(Msg::OffSettled)) }
                    th.num { (ctx.t(Msg::OffSuccessRate)) }
                    th.num { (ctx.t(Msg::OffAmountAgreed)) }
                    th.num { (ctx.t(Msg::OffPeople)) }
                } }
                tbody {
                    @for (code, label, f) in rows {
                        tr data-code=(code) {
                            td { (label) }
                            (cells(ctx, f))
                        }
                    }
                }
                tfoot { tr.total { th { (ctx.t(Msg::StTotal)) } (cells(ctx, total)) } }
            } }
        }
    }
}

fn cells(ctx: &Ctx, f: &Figures) -> Markup {
    html! {
        td.num.accepted { (f.accepted) }
        td.num.settled { (f.settled) }
        td.num.rate { (rate(ctx, f.success_rate(), f.in_mediation)) }
        td.num.amount { (money(f.amount_agreed.fen())) }
        td.num.people { (f.people) }
    }
}

/// The admin's mapping editor: a national line for each category and
/// source, retired codes too (their old cases still count).
pub fn mapping_page(ctx: &Ctx, m: &Mapping, refs: &RefLists, errors: &FieldErrors) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::OffMappingTitle)) }
        p.hint #mapping-hint { (ctx.t(Msg::OffMappingHint)) }
        @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        form.mapping method="post" action="/reference/official" {
            (csrf(ctx))
            (mapping_section(ctx, refs, errors, RefList::Category, Msg::OffNationalType, &m.categories))
            (mapping_section(ctx, refs, errors, RefList::Source, Msg::OffSourceGroup, &m.sources))
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Save)) }
                a.button href="/reference" { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::OffMappingTitle), body)
}

/// One list's codes, each with a choice of the national lines (fields
/// `category.fees`, `source.other` ...).
fn mapping_section<T: Coded + Label + PartialEq>(
    ctx: &Ctx,
    refs: &RefLists,
    errors: &FieldErrors,
    list: RefList,
    national: Msg,
    rows: &[(String, T)],
) -> Markup {
    let (prefix, own) = match list {
        RefList::Source => ("source", Msg::FieldSource),
        _ => ("category", Msg::FieldCategory),
    };
    html! {
        section id=(format!("{prefix}-mapping")) {
            h2 { (ctx.t(own)) " → " (ctx.t(national)) }
            div.table-wrap { table {
                thead { tr { th { (ctx.t(own)) } th { (ctx.t(national)) } } }
                tbody {
                    @for (code, chosen) in rows {
                        @let name = format!("{prefix}.{code}");
                        tr data-code=(code) {
                            td { label for=(name) { (refs.label(list, code, ctx.lang)) } }
                            td {
                                select name=(name) id=(name) class=[invalid(errors, &name)] {
                                    @for v in T::all() {
                                        option value=(v.code()) selected[v == chosen] { (ctx.label(*v)) }
                                    }
                                }
                                (field_error(ctx, errors, &name))
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// The link from the reference lists page to the mapping editor.
pub fn mapping_link(ctx: &Ctx) -> Markup {
    html! { p #official-mapping-link { a href="/reference/official" { (ctx.t(Msg::OffMappingLink)) } } }
}
