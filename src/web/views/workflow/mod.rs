//! Views of the mediation workflow: the case page's sections, the action
//! and record forms, the printable agreement and "my work".

mod agreement;
mod case;
mod corrections;
mod forms;
mod my;
mod records;

pub use agreement::{no_agreement_page, page as agreement_page};
pub use case::{CaseWorkflow, actions as case_actions, sections as case_sections};
pub use corrections::{VoidRecordView, VoidTarget, record_voided_page, void_record_page};
pub use forms::{ActionView, action_page, confirm_amount_page};
pub use my::{WorkItem, page as my_page};
pub use records::{SessionView, VisitView, session_page, visit_page};

use maud::{Markup, html};

use super::layout;
use crate::domain::Status;
use crate::domain::deadlines::CaseFlags;
use crate::domain::workflow::Refusal;
use crate::i18n::Msg;
use crate::web::Ctx;

/// "超期 5 天" in red.
pub fn overdue_badge(ctx: &Ctx, days: i64) -> Markup {
    html! { span.overdue { (ctx.t(Msg::WfOverdueBy)) " " (days) " " (ctx.t(Msg::WfDays)) } }
}

/// The flags a case raises, as badges.
pub fn flag_badges(ctx: &Ctx, flags: &CaseFlags) -> Markup {
    html! {
        @if let Some(days) = flags.overdue_days { (overdue_badge(ctx, days)) " " }
        @if let Some(days) = flags.follow_up_days {
            span.flag.follow-up { (ctx.t(Msg::WfFlagFollowUp)) " · " (ctx.t(Msg::WfPastDueBy)) " " (days) " " (ctx.t(Msg::WfDays)) } " "
        }
        @if let Some(deadline) = flags.judicial_due {
            span.flag.judicial-due { (ctx.t(Msg::WfFlagJudicialDue)) " · " (deadline) }
        }
    }
}

/// The page that says why an action was refused.
pub fn refusal_page(ctx: &Ctx, case_id: i64, case_no: &str, status: Status, refusal: Refusal) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::WfRefusedTitle)) }
        @match refusal {
            Refusal::Archived => p.error-message #refusal role="alert" { (ctx.t(Msg::WfRefusedArchived)) },
            Refusal::Voided => p.error-message #refusal role="alert" { (ctx.t(Msg::CorrRefusedVoided)) },
            Refusal::NotAllowed { action, .. } => {
                p.error-message #refusal role="alert" { (ctx.t(Msg::WfRefusedNotAllowed)) }
                dl.facts {
                    dt { (ctx.t(Msg::FieldCaseNo)) } dd { (case_no) }
                    dt { (ctx.t(Msg::WfRefusedAction)) } dd #refused-action { (ctx.label(action)) }
                    dt { (ctx.t(Msg::WfCurrentStatus)) } dd #current-status { (ctx.label(status)) }
                }
            }
        }
        p { a href=(format!("/cases/{case_id}")) { (ctx.t(Msg::WfBackToCase)) } }
    };
    layout::page(ctx, ctx.t(Msg::WfRefusedTitle), body)
}
