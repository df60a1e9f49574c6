//! "My work": the signed-in mediator's open cases, flagged ones first.

use maud::{Markup, html};

use super::flag_badges;
use crate::domain::deadlines::CaseFlags;
use crate::i18n::Msg;
use crate::store::workflow::WorkRow;
use crate::web::Ctx;
use crate::web::views::components::status_badge;
use crate::web::views::layout;

/// One open case with the flags it raises.
pub struct WorkItem {
    pub row: WorkRow,
    pub flags: CaseFlags,
}

/// `items` are the first of `open` open cases; `all_cases` lists them all.
pub fn page(ctx: &Ctx, items: &[WorkItem], open: usize, all_cases: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::WfMyWorkTitle)) }
        @if items.is_empty() {
            p.empty { (ctx.t(Msg::WfMyWorkEmpty)) }
        } @else {
            p.hint { (ctx.t(Msg::WfMyWorkHint)) }
            @if open > items.len() {
                p.notice #my-work-more role="status" {
                    (ctx.t(Msg::MyWorkShown).replace("{n}", &items.len().to_string()).replace("{total}", &open.to_string()))
                    " " a href=(all_cases) { (ctx.t(Msg::MyWorkAllCases)) }
                }
            }
            div.table-wrap {
                table.cases #my-work {
                    thead { tr {
                        th { (ctx.t(Msg::FieldCaseNo)) }
                        th { (ctx.t(Msg::FieldProject)) }
                        th { (ctx.t(Msg::Parties)) }
                        th { (ctx.t(Msg::FieldStatus)) }
                        th { (ctx.t(Msg::WfFlags)) }
                    } }
                    tbody {
                        @for item in items {
                            @let r = &item.row;
                            tr.work-item.flagged[item.flags.any()] {
                                td { a.case-link href=(format!("/cases/{}", r.id)) { (r.case_no) } }
                                td { (r.project) }
                                td.parties {
                                    (r.applicants.as_deref().unwrap_or("")) " ⇄ " (r.respondents.as_deref().unwrap_or(""))
                                }
                                td { (status_badge(ctx, r.status)) }
                                td.flags { (flag_badges(ctx, &item.flags)) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::WfMyWorkTitle), body)
}
