//! Views of the mediation workflow: the case page's sections, the action
//! and record forms, the printable agreement and "my work".

mod agreement;
mod case;
mod forms;
mod my;

pub use agreement::{no_agreement_page, page as agreement_page};
pub use case::{CaseWorkflow, actions as case_actions, sections as case_sections};
pub use forms::{ActionView, SessionView, VisitView, action_page, session_page, visit_page};
pub use my::{WorkItem, page as my_page};

use maud::{Markup, html};

use super::components::{problem_msg, status_msg};
use super::layout;
use crate::domain::deadlines::CaseFlags;
use crate::domain::workflow::closing::{Flaw, Flaws};
use crate::domain::workflow::{Action, AgreementType, Fulfilment, Judicial, Refusal, Route, Satisfaction, SessionMode};
use crate::domain::{Flag, Status};
use crate::i18n::Msg;
use crate::web::Ctx;

pub fn action_msg(action: Action) -> Msg {
    match action {
        Action::Accept => Msg::WfAccept,
        Action::Decline => Msg::WfDecline,
        Action::Settle => Msg::WfSettle,
        Action::Fail => Msg::WfFail,
        Action::Withdraw => Msg::WfWithdraw,
        Action::Archive => Msg::WfArchive,
        Action::Fulfilment => Msg::WfSetFulfilment,
        Action::Judicial => Msg::WfSetJudicial,
        Action::Session => Msg::WfRecordSession,
        Action::Visit => Msg::WfRecordVisit,
    }
}

pub fn agreement_type_msg(v: AgreementType) -> Msg {
    match v {
        AgreementType::Written => Msg::WfWritten,
        AgreementType::Oral => Msg::WfOral,
    }
}

pub fn route_msg(v: Route) -> Msg {
    match v {
        Route::Arbitration => Msg::WfRouteArbitration,
        Route::Administrative => Msg::WfRouteAdministrative,
        Route::Court => Msg::WfRouteCourt,
    }
}

pub fn fulfilment_msg(v: Fulfilment) -> Msg {
    match v {
        Fulfilment::Pending => Msg::WfFulfilmentPending,
        Fulfilment::Fulfilled => Msg::WfFulfilmentFulfilled,
        Fulfilment::Partial => Msg::WfFulfilmentPartial,
        Fulfilment::Unfulfilled => Msg::WfFulfilmentUnfulfilled,
    }
}

pub fn judicial_msg(v: Judicial) -> Msg {
    match v {
        Judicial::None => Msg::WfJudicialNone,
        Judicial::Applied => Msg::WfJudicialApplied,
        Judicial::Confirmed => Msg::WfJudicialConfirmed,
        Judicial::Rejected => Msg::WfJudicialRejected,
    }
}

pub fn mode_msg(v: SessionMode) -> Msg {
    match v {
        SessionMode::OnSite => Msg::WfOnSite,
        SessionMode::Phone => Msg::WfPhone,
        SessionMode::Online => Msg::WfOnline,
    }
}

pub fn satisfaction_msg(v: Satisfaction) -> Msg {
    match v {
        Satisfaction::Satisfied => Msg::WfSatisfied,
        Satisfaction::BasicallySatisfied => Msg::WfBasicallySatisfied,
        Satisfaction::Dissatisfied => Msg::WfDissatisfied,
    }
}

pub fn flag_msg(flag: Flag) -> Msg {
    match flag {
        Flag::Overdue => Msg::WfFlagOverdue,
        Flag::FollowUp => Msg::WfFlagFollowUp,
        Flag::JudicialDue => Msg::WfFlagJudicialDue,
    }
}

/// A stored code's label; a code the list does not know shows as itself.
pub fn label<T: Copy>(ctx: &Ctx, code: &str, from_code: fn(&str) -> Option<T>, msg: fn(T) -> Msg) -> String {
    from_code(code)
        .map(|v| ctx.t(msg(v)).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The message of a workflow form's flaw.
pub fn flaw_msg(flaw: Flaw) -> Msg {
    match flaw {
        Flaw::Field(p) => problem_msg(p),
        Flaw::BeforeReceived => Msg::WfBeforeReceived,
        Flaw::BeforeAccepted => Msg::WfBeforeAccepted,
        Flaw::BeforeAgreement => Msg::WfBeforeAgreement,
        Flaw::AfterClosing => Msg::WfAfterClosing,
        Flaw::NeedRoute => Msg::WfNeedRoute,
    }
}

/// The message under a field, if it has a flaw.
pub fn flaw_error(ctx: &Ctx, flaws: &Flaws, key: &str) -> Markup {
    html! {
        @if let Some(f) = flaws.get(key) {
            span.field-error id=(format!("{key}-error")) role="alert" { (ctx.t(flaw_msg(f))) }
        }
    }
}

/// The class of an input with a flaw.
pub fn invalid(flaws: &Flaws, key: &str) -> Option<&'static str> {
    flaws.get(key).map(|_| "invalid")
}

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
            Refusal::NotAllowed { action, .. } => {
                p.error-message #refusal role="alert" { (ctx.t(Msg::WfRefusedNotAllowed)) }
                dl.facts {
                    dt { (ctx.t(Msg::FieldCaseNo)) } dd { (case_no) }
                    dt { (ctx.t(Msg::WfRefusedAction)) } dd #refused-action { (ctx.t(action_msg(action))) }
                    dt { (ctx.t(Msg::WfCurrentStatus)) } dd #current-status { (ctx.t(status_msg(status))) }
                }
            }
        }
        p { a href=(format!("/cases/{case_id}")) { (ctx.t(Msg::WfBackToCase)) } }
    };
    layout::page(ctx, ctx.t(Msg::WfRefusedTitle), body)
}
