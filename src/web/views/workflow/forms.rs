//! The workflow's action forms (accept, decline, close, follow-up and the
//! corrections). Each renders the same fields on the case page and, with
//! its flaws, on its own page when refused.

use maud::{Markup, html};

use crate::domain::Money;
use crate::domain::workflow::closing::{ActionForm, FieldErrors};
use crate::domain::workflow::{Action, AgreementType, Coded, Fulfilment, Judicial, Route};
use crate::i18n::{Label, Msg};
use crate::web::Ctx;
use crate::web::views::components::{csrf, field_error, invalid};
use crate::web::views::layout;

/// An action's own page: the closing forms, and any action refused with flaws.
pub struct ActionView<'a> {
    pub case_id: i64,
    pub case_no: &'a str,
    pub action: Action,
    pub form: &'a ActionForm,
    pub flaws: &'a FieldErrors,
}

fn title(action: Action) -> Msg {
    match action {
        Action::Accept => Msg::WfAcceptTitle,
        Action::Decline => Msg::WfDeclineTitle,
        Action::Settle => Msg::WfSettleTitle,
        Action::Fail => Msg::WfFailTitle,
        Action::Withdraw => Msg::WfWithdrawTitle,
        other => other.msg(),
    }
}

/// A page with a title, the case number, an error banner and a form.
pub(super) fn form_page(ctx: &Ctx, heading: Msg, case_id: i64, case_no: &str, has_flaws: bool, form: Markup) -> Markup {
    let title = format!("{} {}", ctx.t(heading), case_no);
    let body = html! {
        h1 { (ctx.t(heading)) " " a href=(format!("/cases/{case_id}")) { (case_no) } }
        @if has_flaws { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        (form)
    };
    layout::page(ctx, &title, body)
}

/// What an action that looks final will do, said on its own page before
/// the button (the confirmation pages of issue 13).
fn what_it_does(action: Action) -> Option<Msg> {
    Some(match action {
        Action::Archive => Msg::CorrArchiveWhat,
        Action::Reopen => Msg::CorrReopenWhat,
        Action::Unarchive => Msg::CorrUnarchiveWhat,
        Action::Void => Msg::CorrVoidWhat,
        Action::CorrectAgreement => Msg::CorrCorrectWhat,
        _ => return None,
    })
}

pub fn action_page(ctx: &Ctx, v: &ActionView) -> Markup {
    let form = html! {
        @if let Some(what) = what_it_does(v.action) { p.confirm-what #confirm-what { (ctx.t(what)) } }
        (workflow_form(ctx, v.case_id, v.action, v.form, v.flaws, true))
    };
    form_page(ctx, title(v.action), v.case_id, v.case_no, !v.flaws.is_empty(), form)
}

/// The agreement correction once more, when its amount is above the
/// amount claimed: the same form, filled, with the warning on top and the
/// amount confirmed in a hidden field (a different amount asks again).
pub fn confirm_amount_page(ctx: &Ctx, v: &ActionView, agreed: i64, claimed: i64) -> Markup {
    let warning = ctx
        .t(Msg::CorrAmountAboveClaim)
        .replace("{agreed}", &Money::from_fen(agreed).plain())
        .replace("{claimed}", &Money::from_fen(claimed).plain());
    let form = html! {
        p.error-message #amount-warning role="alert" { (warning) }
        (workflow_form(ctx, v.case_id, v.action, v.form, v.flaws, true))
    };
    form_page(ctx, Msg::CorrConfirmTitle, v.case_id, v.case_no, false, form)
}

/// Where an action's form posts.
pub fn action_url(case_id: i64, action: Action) -> String {
    match action {
        Action::CorrectAgreement => format!("/cases/{case_id}/agreement/correct"),
        other => format!("/cases/{case_id}/{}", other.code()),
    }
}

/// The reason of a correction (required) or of an archive (optional).
pub(super) fn reason_field(ctx: &Ctx, flaws: &FieldErrors, value: &str, required: bool) -> Markup {
    let hint = if required {
        Msg::CorrReasonHint
    } else {
        Msg::CorrReasonOptional
    };
    html! {
        div.field {
            label for="reason" { (ctx.t(Msg::CorrReason)) }
            textarea #reason name="reason" rows="3" required[required] class=[invalid(flaws, "reason")] { (value) }
            small.hint { (ctx.t(hint)) }
            (field_error(ctx, flaws, "reason"))
        }
    }
}

pub(super) fn text_input(
    ctx: &Ctx,
    flaws: &FieldErrors,
    name: &str,
    label: Msg,
    value: &str,
    hint: Option<Msg>,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (ctx.t(label)) }
            input id=(name) name=(name) type="text" value=(value) class=[invalid(flaws, name)];
            @if let Some(h) = hint { small.hint { (ctx.t(h)) } }
            (field_error(ctx, flaws, name))
        }
    }
}

pub(super) fn textarea(ctx: &Ctx, flaws: &FieldErrors, name: &str, label: Msg, value: &str) -> Markup {
    html! {
        div.field {
            label for=(name) { (ctx.t(label)) }
            textarea id=(name) name=(name) rows="6" class=[invalid(flaws, name)] { (value) }
            (field_error(ctx, flaws, name))
        }
    }
}

/// A `<select>` of a closed list of codes.
pub(super) fn select<T: Coded + Label>(
    ctx: &Ctx,
    flaws: &FieldErrors,
    name: &str,
    label: Msg,
    selected: &str,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (ctx.t(label)) }
            select id=(name) name=(name) class=[invalid(flaws, name)] {
                @if selected.is_empty() { option value="" { (ctx.t(Msg::ChooseOne)) } }
                @for v in T::all() {
                    option value=(v.code()) selected[v.code() == selected] { (ctx.label(*v)) }
                }
            }
            (field_error(ctx, flaws, name))
        }
    }
}

/// The form of one action, posting to `/cases/{id}/{action}`; on a page
/// of its own (`standalone`) it has a way back.
pub fn workflow_form(
    ctx: &Ctx,
    case_id: i64,
    action: Action,
    f: &ActionForm,
    flaws: &FieldErrors,
    standalone: bool,
) -> Markup {
    let date_label = match action {
        Action::Accept => Msg::FieldAcceptedOn,
        Action::Decline => Msg::WfDeclinedOn,
        _ => Msg::FieldClosedOn,
    };
    let dated = matches!(
        action,
        Action::Accept | Action::Decline | Action::Settle | Action::Fail | Action::Withdraw
    );
    html! {
        form.record-form method="post" action=(action_url(case_id, action)) id=(format!("{}-form", action.code())) {
            (csrf(ctx))
            @if dated { (text_input(ctx, flaws, "on", date_label, &f.on, Some(Msg::HintDate))) }
            @match action {
                Action::Decline => (textarea(ctx, flaws, "reason", Msg::WfDeclineReason, &f.reason)),
                Action::Withdraw => (textarea(ctx, flaws, "reason", Msg::WfWithdrawReason, &f.reason)),
                Action::Fail => {
                    fieldset.routes {
                        legend { (ctx.t(Msg::WfRoutes)) }
                        div.checks {
                            @for r in Route::ALL {
                                label.check {
                                    input type="checkbox" name="routes" value=(r.code()) checked[f.routes.iter().any(|x| x == r.code())];
                                    " " (ctx.label(*r))
                                }
                            }
                        }
                        (field_error(ctx, flaws, "routes"))
                    }
                    (textarea(ctx, flaws, "reason", Msg::WfFailNotes, &f.reason))
                }
                Action::Settle | Action::CorrectAgreement => {
                    @if !f.confirmed_amount.is_empty() {
                        input type="hidden" name="confirmed_amount" value=(f.confirmed_amount);
                    }
                    fieldset.agreement-type {
                        legend { (ctx.t(Msg::WfAgreementType)) }
                        div.checks {
                            @for t in AgreementType::ALL {
                                label.check {
                                    input type="radio" name="agreement_type" value=(t.code()) checked[f.agreement_type == t.code()];
                                    " " (ctx.label(*t))
                                }
                            }
                        }
                        (field_error(ctx, flaws, "agreement_type"))
                    }
                    div.grid {
                        (text_input(ctx, flaws, "amount_agreed", Msg::WfAmountAgreed, &f.amount_agreed, Some(Msg::WfHintAmountAgreed)))
                        (text_input(ctx, flaws, "agreement_on", Msg::WfAgreementOn, &f.agreement_on, Some(Msg::HintDate)))
                        (text_input(ctx, flaws, "performance_due", Msg::WfPerformanceDue, &f.performance_due, Some(Msg::HintDate)))
                    }
                    (textarea(ctx, flaws, "agreement_terms", Msg::WfAgreementTerms, &f.agreement_terms))
                    @if action == Action::CorrectAgreement { (reason_field(ctx, flaws, &f.reason, true)) }
                }
                Action::Reopen | Action::Unarchive | Action::Void => (reason_field(ctx, flaws, &f.reason, true)),
                Action::Archive => (reason_field(ctx, flaws, &f.reason, false)),
                Action::Fulfilment => {
                    (select::<Fulfilment>(ctx, flaws, "fulfilment", Msg::WfFulfilment, &f.fulfilment))
                }
                Action::Judicial => {
                    div.grid {
                        (select::<Judicial>(ctx, flaws, "judicial", Msg::WfJudicial, &f.judicial))
                        (text_input(ctx, flaws, "judicial_applied_on", Msg::WfJudicialAppliedOn, &f.judicial_applied_on, Some(Msg::HintDate)))
                    }
                }
                _ => {}
            }
            div.actions {
                @if f.confirmed_amount.is_empty() {
                    button.primary type="submit" { (ctx.label(action)) }
                } @else {
                    button.primary #confirm type="submit" { (ctx.t(Msg::CorrConfirmSave)) }
                }
                @if standalone { a.button href=(format!("/cases/{case_id}")) { (ctx.t(Msg::Cancel)) } }
            }
        }
    }
}
