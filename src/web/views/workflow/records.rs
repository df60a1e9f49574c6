//! The forms of sessions and return visits: new, refused, or corrected
//! (with a reason).

use maud::{Markup, html};

use super::forms::{form_page, reason_field, select, text_input, textarea};
use crate::domain::workflow::closing::FieldErrors;
use crate::domain::workflow::records::{SessionForm, VisitForm};
use crate::domain::workflow::{Fulfilment, Satisfaction, SessionMode};
use crate::i18n::Msg;
use crate::store::mediators::Mediator;
use crate::web::Ctx;
use crate::web::views::components::{csrf, field_error, invalid};

/// The session form's page, for a new session or an edit.
pub struct SessionView<'a> {
    pub case_id: i64,
    pub case_no: &'a str,
    pub session_id: Option<i64>,
    pub form: &'a SessionForm,
    pub flaws: &'a FieldErrors,
    /// The mediators that may be ticked.
    pub mediators: &'a [Mediator],
}

pub fn session_page(ctx: &Ctx, v: &SessionView) -> Markup {
    let (heading, action) = match v.session_id {
        Some(sid) => (Msg::WfEditSession, format!("/cases/{}/sessions/{sid}", v.case_id)),
        None => (Msg::WfAddSession, format!("/cases/{}/sessions", v.case_id)),
    };
    let f = v.form;
    let form = html! {
        form.record-form #session-form method="post" action=(action) {
            (csrf(ctx))
            div.grid {
                (text_input(ctx, v.flaws, "held_on", Msg::WfHeldOn, &f.held_on, Some(Msg::HintDate)))
                (select::<SessionMode>(ctx, v.flaws, "form", Msg::WfSessionForm, &f.form))
            }
            fieldset {
                legend { (ctx.t(Msg::WfMediatorsPresent)) }
                div.checks {
                    @for m in v.mediators {
                        label.check {
                            input type="checkbox" name="mediators" value=(m.id) checked[f.mediators.contains(&m.id.to_string())];
                            " " (m.name)
                        }
                    }
                }
                (field_error(ctx, v.flaws, "mediators"))
            }
            div.field {
                label for="notes" { (ctx.t(Msg::WfSessionNotes)) }
                textarea #notes name="notes" rows="12" class=[invalid(v.flaws, "notes")] { (f.notes) }
                (field_error(ctx, v.flaws, "notes"))
            }
            @if v.session_id.is_some() { (reason_field(ctx, v.flaws, &f.reason, true)) }
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::Save)) }
                a.button href=(format!("/cases/{}", v.case_id)) { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    form_page(ctx, heading, v.case_id, v.case_no, !v.flaws.is_empty(), form)
}

/// The fields of a return visit.
pub fn visit_fields(ctx: &Ctx, f: &VisitForm, flaws: &FieldErrors) -> Markup {
    html! {
        div.grid {
            (text_input(ctx, flaws, "visited_on", Msg::WfVisitedOn, &f.visited_on, Some(Msg::HintDate)))
            (text_input(ctx, flaws, "visitor", Msg::WfVisitor, &f.visitor, None))
            (select::<Fulfilment>(ctx, flaws, "performance", Msg::WfPerformanceFound, &f.performance))
            (select::<Satisfaction>(ctx, flaws, "satisfaction", Msg::WfSatisfaction, &f.satisfaction))
        }
        small.hint { (ctx.t(Msg::WfHintVisit)) }
        (textarea(ctx, flaws, "notes", Msg::WfVisitNotes, &f.notes))
    }
}

/// A return visit on its own page: a refused new one, or an edit.
pub struct VisitView<'a> {
    pub case_id: i64,
    pub case_no: &'a str,
    /// The visit being changed; `None` for a new one.
    pub visit_id: Option<i64>,
    pub form: &'a VisitForm,
    pub flaws: &'a FieldErrors,
}

pub fn visit_page(ctx: &Ctx, v: &VisitView) -> Markup {
    let (heading, action) = match v.visit_id {
        Some(vid) => (Msg::CorrEditVisit, format!("/cases/{}/visits/{vid}", v.case_id)),
        None => (Msg::WfAddVisit, format!("/cases/{}/visits", v.case_id)),
    };
    let form = html! {
        form.record-form #visit-form method="post" action=(action) {
            (csrf(ctx))
            (visit_fields(ctx, v.form, v.flaws))
            @if v.visit_id.is_some() { (reason_field(ctx, v.flaws, &v.form.reason, true)) }
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::WfRecordVisit)) }
                a.button href=(format!("/cases/{}", v.case_id)) { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    form_page(ctx, heading, v.case_id, v.case_no, !v.flaws.is_empty(), form)
}
