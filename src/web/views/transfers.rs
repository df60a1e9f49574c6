//! Case transfer (移交): the transfer part of the case page, the form that
//! sends a case, and a committee's page of transfers in and out. A
//! receiver sees what it needs to decide (number, category, district,
//! amount, reason, dates), never the parties.

use maud::{Markup, html};

use super::components::{csrf, field_error, invalid, money_or_dash};
use super::layout;
use super::workflow::CaseWorkflow;
use crate::domain::case::FieldErrors;
use crate::domain::reference::RefLists;
use crate::domain::transfer::Decision;
use crate::domain::{RefList, Status};
use crate::i18n::Msg;
use crate::store::cases::CaseRow;
use crate::store::orgs::Organisation;
use crate::store::transfers::Transfer;
use crate::web::Ctx;

/// The day of a stored UTC timestamp (`2026-11-29T08:00:00Z`).
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// On the case page: the numbers the case had before a transfer, a
/// pending transfer, and the button that sends it.
pub fn case_section(ctx: &Ctx, c: &CaseRow, wf: &CaseWorkflow) -> Markup {
    let open = matches!(c.status, Status::Registered | Status::InMediation) && c.archived_on.is_none();
    let accepted = wf.transfers.iter().filter(|t| t.decision == Some(Decision::Accepted));
    html! {
        @for t in accepted {
            p.old-case-no {
                (ctx.t(Msg::TransferOldNo)) " " span.old-no { (t.old_case_no) }
                " (" (t.from_name) " → " (t.to_name) ", " (t.decided_at.as_deref().map(day).unwrap_or("")) ")"
            }
        }
        @if let Some(t) = wf.pending_transfer() {
            p.transfer-banner #transfer-pending role="status" {
                (ctx.t(Msg::TransferPendingBanner)) " " strong { (t.to_name) } " · "
                (ctx.t(Msg::TransferReason)) ": " (t.reason)
            }
        } @else if wf.can_act && open {
            div.actions { a.button #transfer href=(format!("/cases/{}/transfer", c.id)) { (ctx.t(Msg::TransferSend)) } }
        }
    }
}

/// The send form as typed.
pub struct SendForm {
    pub to: String,
    pub reason: String,
}

/// The page that sends a case: the committee it goes to and why.
pub fn send_page(ctx: &Ctx, c: &CaseRow, committees: &[Organisation], form: &SendForm, errors: &FieldErrors) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::TransferSendTitle)) " " (c.case_no) }
        p { (ctx.t(Msg::TransferSendIntro)) }
        @if !errors.is_empty() { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        form.stack method="post" action=(format!("/cases/{}/transfer", c.id)) {
            (csrf(ctx))
            div.field {
                label for="to" { (ctx.t(Msg::TransferTo)) }
                select #to name="to" class=[invalid(errors, "to")] required {
                    option value="" { (ctx.t(Msg::ChooseOne)) }
                    @for o in committees {
                        @let id = o.id.to_string();
                        option value=(id) selected[form.to == id] {
                            (o.name) @if let Some(r) = &o.region_code { " (" (r) ")" }
                        }
                    }
                }
                (field_error(ctx, errors, "to"))
            }
            div.field {
                label for="reason" { (ctx.t(Msg::TransferReason)) }
                textarea #reason name="reason" rows="3" class=[invalid(errors, "reason")] required { (form.reason) }
                (field_error(ctx, errors, "reason"))
            }
            button.primary type="submit" { (ctx.t(Msg::TransferSend)) }
            " " a href=(format!("/cases/{}", c.id)) { (ctx.t(Msg::Cancel)) }
        }
    };
    layout::page(ctx, ctx.t(Msg::TransferSendTitle), body)
}

/// A return being typed on the transfers page, with its problems.
pub struct ReturnForm {
    pub case_id: i64,
    pub reason: String,
    pub errors: FieldErrors,
}

/// A committee's transfers: those sent to it, with Accept and Return, and
/// those it sent.
pub fn list_page(
    ctx: &Ctx,
    incoming: &[Transfer],
    outgoing: &[Transfer],
    refs: &RefLists,
    typed: Option<&ReturnForm>,
) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::TransfersTitle)) }
        @if typed.is_some_and(|f| !f.errors.is_empty()) { p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) } }
        section #incoming {
            h2 { (ctx.t(Msg::TransfersIncoming)) }
            (table(ctx, incoming, refs, true, typed))
        }
        section #outgoing {
            h2 { (ctx.t(Msg::TransfersOutgoing)) }
            (table(ctx, outgoing, refs, false, None))
        }
    };
    layout::page(ctx, ctx.t(Msg::TransfersTitle), body)
}

fn table(ctx: &Ctx, rows: &[Transfer], refs: &RefLists, incoming: bool, typed: Option<&ReturnForm>) -> Markup {
    html! {
        @if rows.is_empty() {
            p.empty { (ctx.t(Msg::TransfersNone)) }
        } @else {
            table.transfers {
                thead { tr {
                    th { (ctx.t(Msg::FieldCaseNo)) }
                    th { (ctx.t(if incoming { Msg::TransferFrom } else { Msg::TransferTo })) }
                    th { (ctx.t(Msg::FieldCategory)) }
                    th { (ctx.t(Msg::FieldDistrict)) }
                    th { (ctx.t(Msg::FieldAmountClaimed)) }
                    th { (ctx.t(Msg::FieldReceivedOn)) }
                    th { (ctx.t(Msg::TransferReason)) }
                    th { (ctx.t(Msg::TransferSentOn)) }
                    th { (ctx.t(Msg::TransferDecision)) }
                } }
                tbody {
                    @for t in rows { (row(ctx, t, refs, incoming, typed.filter(|f| f.case_id == t.case_id))) }
                }
            }
        }
    }
}

fn row(ctx: &Ctx, t: &Transfer, refs: &RefLists, incoming: bool, typed: Option<&ReturnForm>) -> Markup {
    let no_errors = FieldErrors::default();
    let errors = typed.map_or(&no_errors, |f| &f.errors);
    html! {
        tr.transfer data-case=(t.case_id) {
            td.case-no {
                (t.old_case_no)
                @if t.case_no != t.old_case_no { " → " (t.case_no) }
            }
            td.committee { (if incoming { &t.from_name } else { &t.to_name }) }
            td { (refs.label(RefList::Category, &t.category, ctx.lang)) }
            td { (refs.label(RefList::District, &t.district, ctx.lang)) }
            td.num { (money_or_dash(t.claimed())) }
            td { (t.received_on) }
            td.reason { (t.reason) }
            td { (day(&t.sent_at)) }
            td.decision {
                @match t.decision {
                    Some(d) => {
                        (ctx.t(match d { Decision::Accepted => Msg::TransferAccepted, Decision::Returned => Msg::TransferReturned }))
                        " " (t.decided_at.as_deref().map(day).unwrap_or(""))
                        @if let Some(r) = &t.decision_reason { br; (r) }
                    }
                    None if incoming => {
                        form.inline-action.accept method="post" action=(format!("/cases/{}/transfer/accept", t.case_id)) {
                            (csrf(ctx))
                            button.primary type="submit" { (ctx.t(Msg::TransferAccept)) }
                        }
                        form.inline-action.return method="post" action=(format!("/cases/{}/transfer/return", t.case_id)) {
                            (csrf(ctx))
                            label for=(format!("return-{}", t.case_id)) { (ctx.t(Msg::TransferReturnReason)) }
                            input id=(format!("return-{}", t.case_id)) type="text" name="reason"
                                value=(typed.map_or("", |f| f.reason.as_str())) class=[invalid(errors, "reason")] required;
                            (field_error(ctx, errors, "reason"))
                            button type="submit" { (ctx.t(Msg::TransferReturn)) }
                        }
                    }
                    None => { (ctx.t(Msg::TransferWaiting)) }
                }
            }
        }
    }
}

/// Why a transfer step was refused, with the way back.
pub fn refused_page(ctx: &Ctx, msg: Msg, back: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::TransfersTitle)) }
        p.error-message #refusal role="alert" { (ctx.t(msg)) }
        p { a href=(back) { (ctx.t(Msg::TransferBack)) } }
    };
    layout::page(ctx, ctx.t(Msg::TransfersTitle), body)
}
