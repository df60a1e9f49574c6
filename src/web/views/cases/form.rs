//! The case form, for registering and for editing.

use maud::{Markup, html};

use crate::domain::case::{CaseForm, FieldErrors, PartyForm};
use crate::domain::reference::RefLists;
use crate::domain::{PartyRole, RefList};
use crate::i18n::Msg;
use crate::store::mediators::Mediator;
use crate::web::Ctx;
use crate::web::views::components::{csrf, field_error, invalid, ref_select};
use crate::web::views::layout;

pub struct FormView<'a> {
    pub title: Msg,
    pub action: String,
    pub case_no: Option<&'a str>,
    pub form: &'a CaseForm,
    pub errors: &'a FieldErrors,
    pub refs: &'a RefLists,
    pub mediators: &'a [Mediator],
    pub cancel: String,
    /// The side whose "add a row" button was pressed: its new row gets the cursor.
    pub focus: Option<PartyRole>,
    /// The most parties a side may have (`max_parties_per_side`).
    pub max_parties: usize,
}

pub fn page(ctx: &Ctx, v: &FormView) -> Markup {
    let f = v.form;
    let e = v.errors;
    let text_field = |name: &str, label: Msg, value: &str, hint: Option<Msg>| {
        html! {
            div.field {
                label for=(name) { (ctx.t(label)) }
                input id=(name) name=(name) type="text" value=(value) class=[invalid(e, name)]
                    aria-describedby=[hint.map(|_| format!("{name}-hint"))];
                @if let Some(h) = hint { small.hint id=(format!("{name}-hint")) { (ctx.t(h)) } }
                (field_error(ctx, e, name))
            }
        }
    };
    let title = match v.case_no {
        Some(no) => format!("{} {}", ctx.t(v.title), no),
        None => ctx.t(v.title).to_string(),
    };
    let body = html! {
        h1 { (title) }
        @if !e.is_empty() {
            p.error-message role="alert" { (ctx.t(Msg::FormHasErrors)) }
        }
        form.case-form method="post" action=(v.action) novalidate {
            (csrf(ctx))
            // Enter in a field presses a form's first submit button: this
            // one saves, not the "add a row" buttons further down.
            button.skip type="submit" tabindex="-1" aria-hidden="true" { (ctx.t(Msg::SaveCase)) }
            fieldset {
                legend { (ctx.t(Msg::CaseDetails)) }
                div.grid {
                    (text_field("received_on", Msg::FieldReceivedOn, &f.received_on, Some(Msg::HintDate)))
                    div.field {
                        label for="source" { (ctx.t(Msg::FieldSource)) }
                        (ref_select(ctx, "source", "source", v.refs.list(RefList::Source), &f.source, Msg::ChooseOne, e.get("source").is_some()))
                        (field_error(ctx, e, "source"))
                    }
                    div.field {
                        label for="category" { (ctx.t(Msg::FieldCategory)) }
                        (ref_select(ctx, "category", "category", v.refs.list(RefList::Category), &f.category, Msg::ChooseOne, e.get("category").is_some()))
                        (field_error(ctx, e, "category"))
                    }
                    div.field {
                        label for="district" { (ctx.t(Msg::FieldDistrict)) }
                        (ref_select(ctx, "district", "district", v.refs.list(RefList::District), &f.district, Msg::ChooseOne, e.get("district").is_some()))
                        (field_error(ctx, e, "district"))
                    }
                    (text_field("project", Msg::FieldProject, &f.project, None))
                    (text_field("amount_claimed", Msg::FieldAmountClaimed, &f.amount_claimed, Some(Msg::HintAmount)))
                }
                div.field {
                    label for="summary" { (ctx.t(Msg::FieldSummary)) }
                    textarea id="summary" name="summary" rows="8" class=[invalid(e, "summary")] { (f.summary) }
                    (field_error(ctx, e, "summary"))
                }
            }
            // The official statistics' fields (issue 16).
            (crate::web::views::official::case_fields(ctx, &f.figures, e))
            (party_rows(ctx, v, PartyRole::Applicant, &f.applicants))
            (party_rows(ctx, v, PartyRole::Respondent, &f.respondents))
            fieldset {
                legend { (ctx.t(Msg::FieldMediators)) }
                @if !v.mediators.iter().any(|m| m.active) {
                    p.hint { (ctx.t(Msg::NoMediators)) " " a href="/mediators" { (ctx.t(Msg::AddMediator)) } }
                }
                div.checks {
                    @for m in v.mediators.iter().filter(|m| m.active || f.mediators.contains(&m.id.to_string())) {
                        label.check {
                            input type="checkbox" name="mediators" value=(m.id)
                                checked[f.mediators.contains(&m.id.to_string())];
                            " " (m.name)
                        }
                    }
                }
                (field_error(ctx, e, "mediators"))
            }
            div.actions {
                button.primary type="submit" { (ctx.t(Msg::SaveCase)) }
                a.button href=(v.cancel) { (ctx.t(Msg::Cancel)) }
            }
        }
    };
    layout::page(ctx, &title, body)
}

/// One side's party rows and its "add a row" button, a plain submit
/// button (`add_applicant` / `add_respondent`) that shows the form again
/// with one more row: no JavaScript needed.
fn party_rows(ctx: &Ctx, v: &FormView, role: PartyRole, rows: &[PartyForm]) -> Markup {
    let e = v.errors;
    let side = role.code();
    let (legend, add) = match role {
        PartyRole::Applicant => (Msg::FieldApplicants, Msg::AddApplicantRow),
        PartyRole::Respondent => (Msg::FieldRespondents, Msg::AddRespondentRow),
    };
    // One blank row more than filled (at least two rows), up to the cap.
    let filled = rows.iter().filter(|r| r.filled()).count();
    let count = rows.len().max((filled + 1).min(v.max_parties)).max(2);
    // After "add a row", the cursor goes to the new row.
    let focus = (v.focus == Some(role)).then_some(count - 1);
    let blank = PartyForm::default();
    let side_key = format!("{side}s");
    html! {
        fieldset.parties id=(side_key) {
            legend { (ctx.t(legend)) }
            small.hint { (ctx.t(Msg::HintParties)) }
            div.table-wrap.parties-wrap {
                table.party-table {
                    thead { tr {
                        th { (ctx.t(Msg::FieldPartyType)) }
                        th { (ctx.t(Msg::FieldName)) }
                        th { (ctx.t(Msg::FieldPhone)) }
                        th { (ctx.t(Msg::FieldIdNumber)) }
                        th { (ctx.t(Msg::FieldAddress)) }
                        th { (ctx.t(Msg::FieldRepresentative)) }
                    } }
                    tbody {
                        @for i in 0..count {
                            @let row = rows.get(i).unwrap_or(&blank);
                            @let type_key = format!("{side}_type.{i}");
                            @let name_key = format!("{side}_name.{i}");
                            @let phone_key = format!("{side}_phone.{i}");
                            tr {
                                td {
                                    (ref_select(ctx, &format!("{side}_type"), &format!("{side}_type_{i}"),
                                        v.refs.list(RefList::PartyType), &row.party_type, Msg::ChooseOne, e.get(&type_key).is_some()))
                                    (field_error(ctx, e, &type_key))
                                }
                                td {
                                    input type="text" name=(format!("{side}_name")) id=(format!("{side}_name_{i}"))
                                        value=(row.name) class=[invalid(e, &name_key)]
                                        aria-label=(ctx.t(Msg::FieldName)) autofocus[focus == Some(i)];
                                    (field_error(ctx, e, &name_key))
                                }
                                td {
                                    input type="tel" name=(format!("{side}_phone")) id=(format!("{side}_phone_{i}"))
                                        value=(row.phone) class=[invalid(e, &phone_key)]
                                        aria-label=(ctx.t(Msg::FieldPhone));
                                    (field_error(ctx, e, &phone_key))
                                }
                                @for (field, value, msg) in [
                                    ("id_number", &row.id_number, Msg::FieldIdNumber),
                                    ("address", &row.address, Msg::FieldAddress),
                                    ("representative", &row.representative, Msg::FieldRepresentative),
                                ] {
                                    @let key = format!("{side}_{field}.{i}");
                                    td {
                                        input type="text" name=(format!("{side}_{field}")) id=(format!("{side}_{field}_{i}"))
                                            value=(value) class=[invalid(e, &key)]
                                            aria-label=(ctx.t(msg));
                                        (field_error(ctx, e, &key))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (field_error(ctx, e, &side_key))
            @if count < v.max_parties {
                button.add-row type="submit" name=(format!("add_{side}")) value="1" { "+ " (ctx.t(add)) }
            }
        }
    }
}
