//! The reference lists page.

use std::collections::HashMap;

use maud::{Markup, html};

use crate::domain::RefList;
use crate::domain::case::FieldErrors;
use crate::domain::reference::{RefItem, RefLists};
use crate::i18n::Msg;
use crate::web::Ctx;
use crate::web::views::components::{csrf, field_error, invalid};
use crate::web::views::layout;

/// What the page shows beside the lists: a refused form and its list.
pub struct Refused<'a> {
    pub list: RefList,
    pub code: &'a str,
    pub zh: &'a str,
    pub en: &'a str,
    pub errors: FieldErrors,
    pub message: Option<Msg>,
}

pub fn list_msg(list: RefList) -> Msg {
    match list {
        RefList::Category => Msg::FieldCategory,
        RefList::Source => Msg::FieldSource,
        RefList::PartyType => Msg::PartyTypes,
        RefList::District => Msg::FieldDistrict,
    }
}

pub fn page(
    ctx: &Ctx,
    lists: &RefLists,
    usage: &HashMap<&str, HashMap<String, i64>>,
    refused: Option<&Refused>,
) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::NavReference)) }
        p.hint { (ctx.t(Msg::HintReference)) }
        // Issue 16: where each code counts in the national statistics.
        (crate::web::views::official::mapping_link(ctx))
        @if let Some(msg) = refused.and_then(|r| r.message) { p.error-message role="alert" { (ctx.t(msg)) } }
        @for list in RefList::ALL {
            @let t = list.table();
            @let used = usage.get(t);
            @let mine = refused.filter(|r| r.list == list);
            section id=(format!("list-{t}")) {
                h2 { (ctx.t(list_msg(list))) }
                div.table-wrap { table.reference {
                    thead { tr {
                        th { (ctx.t(Msg::FieldCode)) }
                        th { (ctx.t(Msg::LabelZh)) " / " (ctx.t(Msg::LabelEn)) }
                        th.num { (ctx.t(Msg::InUse)) }
                        th { (ctx.t(Msg::Actions)) }
                    } }
                    tbody {
                        @for item in lists.list(list) {
                            @let n = used.and_then(|u| u.get(&item.code)).copied().unwrap_or(0);
                            tr class=[item.retired.then_some("inactive")] data-code=(item.code) {
                                td.code { code { (item.code) } @if item.retired { " " span.badge { (ctx.t(Msg::Retired)) } } }
                                td {
                                    form.inline-form method="post" action=(format!("/reference/{t}/{}", item.code)) {
                                        (csrf(ctx))
                                        input type="text" name="label_zh" value=(item.label_zh) aria-label=(ctx.t(Msg::LabelZh));
                                        input type="text" name="label_en" value=(item.label_en) aria-label=(ctx.t(Msg::LabelEn));
                                        button type="submit" { (ctx.t(Msg::Rename)) }
                                    }
                                }
                                td.num { (n) }
                                td.row-actions {
                                    // Retiring and deleting ask first, on a page of their own.
                                    @if item.retired {
                                        form.inline method="post" action=(format!("/reference/{t}/{}/retire", item.code)) {
                                            (csrf(ctx))
                                            input type="hidden" name="retired" value="0";
                                            button type="submit" { (ctx.t(Msg::Restore)) }
                                        }
                                    } @else {
                                        a.button.retire href=(format!("/reference/{t}/{}/retire", item.code)) { (ctx.t(Msg::Retire)) }
                                    }
                                    @if n == 0 {
                                        " "
                                        a.button.danger.delete href=(format!("/reference/{t}/{}/delete", item.code)) { (ctx.t(Msg::Delete)) }
                                    }
                                }
                            }
                        }
                    }
                } }
                @let errors = mine.map(|r| r.errors.clone()).unwrap_or_default();
                form.add-code method="post" action=(format!("/reference/{t}")) {
                    (csrf(ctx))
                    p.hint { (ctx.t(Msg::HintRefCodeGenerated)) }
                    @if errors.get("code").is_some() {
                        input type="hidden" name="code" value=(mine.map(|r| r.code).unwrap_or(""));
                        (field_error(ctx, &errors, "code"))
                    }
                    div.field {
                        label for=(format!("{t}-zh")) { (ctx.t(Msg::LabelZh)) }
                        input id=(format!("{t}-zh")) type="text" name="label_zh" value=(mine.map(|r| r.zh).unwrap_or(""))
                            class=[invalid(&errors, "label_zh")];
                        (field_error(ctx, &errors, "label_zh"))
                    }
                    div.field {
                        label for=(format!("{t}-en")) { (ctx.t(Msg::LabelEn)) }
                        input id=(format!("{t}-en")) type="text" name="label_en" value=(mine.map(|r| r.en).unwrap_or(""))
                            class=[invalid(&errors, "label_en")];
                        (field_error(ctx, &errors, "label_en"))
                    }
                    div.actions { button.primary type="submit" { (ctx.t(Msg::AddCode)) } }
                }
            }
        }
    };
    layout::page(ctx, ctx.t(Msg::NavReference), body)
}

/// What a confirmation page asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Retire,
    Delete,
}

/// "Retire (or delete) this entry?": what it means, a button that posts
/// the change and a way back. An entry in use cannot be deleted: the page
/// says so and offers to retire it instead.
pub fn confirm(ctx: &Ctx, list: RefList, item: &RefItem, used: i64, what: Confirm) -> Markup {
    let t = list.table();
    let label = format!("{} / {}", item.label_zh, item.label_en);
    let (title, text) = match what {
        Confirm::Retire => (Msg::RefConfirmRetire, Msg::RefConfirmRetireText),
        Confirm::Delete => (Msg::RefConfirmDelete, Msg::RefConfirmDeleteText),
    };
    let title = ctx.t(title).replace("{label}", &label);
    let body = html! {
        h1 { (title) }
        p { (ctx.t(list_msg(list))) " · " code { (item.code) } }
        @if what == Confirm::Delete && used > 0 {
            p.error-message role="alert" { (ctx.t(Msg::CodeInUse)) }
            div.actions {
                a.button href=(format!("/reference/{t}/{}/retire", item.code)) { (ctx.t(Msg::Retire)) }
                a.button href="/reference" { (ctx.t(Msg::Cancel)) }
            }
        } @else {
            p #confirm-text { (ctx.t(text).replace("{n}", &used.to_string())) }
            form.confirm method="post" action=(format!("/reference/{t}/{}/{}", item.code, match what {
                Confirm::Retire => "retire",
                Confirm::Delete => "delete",
            })) {
                (csrf(ctx))
                @if what == Confirm::Retire { input type="hidden" name="retired" value="1"; }
                div.actions {
                    @if what == Confirm::Delete {
                        button.danger type="submit" { (ctx.t(Msg::Delete)) }
                    } @else {
                        button.primary type="submit" { (ctx.t(Msg::Retire)) }
                    }
                    a.button href="/reference" { (ctx.t(Msg::Cancel)) }
                }
            }
        }
    };
    layout::page(ctx, &title, body)
}
